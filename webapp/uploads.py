"""What an uploaded file really is, before anyone opens it.

:func:`inspect` decides a file's type by its content and checks it with real
parsers: a PDF must parse with pypdf, carry no active content (JavaScript,
open or additional actions, launch/submit/import actions, embedded files,
rich media, XFA), have nothing appended after its end (polyglots) and no
stream that inflates beyond a bound (deflate bombs); an image must open with
Pillow within a pixel budget, verify, and end where its format ends. The
office's document requests reuse the same checks for uploads from the
status page.

:func:`attachment` serves a stored file to staff as a download with a
restrictive content type and a sandboxing CSP, never inline.

The web app checks uploads through :func:`inspect_upload`: at most
``UPLOAD_CHECKS`` at once per process (the checks are CPU-bound and share
the process with every page), each within ``UPLOAD_CHECK_SECONDS`` of
wall-clock time; an upload that finds no slot is answered 503
(:class:`ChecksBusy`) and not stored.
"""

from __future__ import annotations

import io
import logging
import re
import threading
import time
import warnings
from contextlib import contextmanager
from dataclasses import dataclass

from flask import Response, current_app
from werkzeug.exceptions import ServiceUnavailable

from . import i18n, pdfstreams
from .i18n import NC_

SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
#: PDF names that make a document do something when opened or clicked
ACTIVE_NAMES = frozenset({"/JavaScript", "/JS", "/OpenAction", "/AA", "/Launch", "/SubmitForm", "/ImportData",
                          "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia", "/RichMediaExecute", "/XFA", "/GoToE",
                          "/GoToR", "/GoTo3DView"})
#: action types (``/S``) that run, fetch or play something outside the document: the names above, and
#: article threads (may point into another file), sounds, movies, renditions and embedded-file targets
ACTIVE_ACTIONS = ACTIVE_NAMES | frozenset({"/Thread", "/Sound", "/Movie", "/Rendition", "/RichMediaExecute", "/GoToE",
                                           "/GoTo3DView"})
#: annotation types (``/Subtype``) that open or play a file (a file attachment's may be a UNC path)
ACTIVE_ANNOTATIONS = frozenset({"/FileAttachment", "/Sound", "/Movie", "/RichMedia"})
#: the only link targets a document may carry (a javascript:, file: or data: link runs or opens something)
SAFE_URI_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
_URI_NOISE = re.compile(r"[\x00-\x20\x7f-\x9f]")
MAX_INFLATED = 256 * 1024 * 1024  # bytes all of a PDF's streams may decode to together, every filter stage counted
MAX_DECODE_WORK = 512 * 1024 * 1024  # those plus the raw bytes fed into the decoders
MAX_PDF_OBJECTS = 200_000
MAX_PDF_PAGES = 500
MAX_PIXELS = 60_000_000
MAX_SIDE = 20_000
TAIL = 1024  # bytes allowed after a PDF's last %%EOF (some scanners pad)
CHECK_SECONDS = 10.0  # wall-clock time one file's check may take (``UPLOAD_CHECK_SECONDS``)
_MARKUP = re.compile(rb"<\s*(html|script|body|svg|iframe|object|embed)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Inspection:
    """``content_type`` when the file is acceptable, else ``error`` (a text key)."""

    content_type: str | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def sniff(head: bytes) -> str | None:
    """The content type a file claims by its first bytes (PDF, JPEG, PNG)."""
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def inspect(content: bytes, accept: tuple[str, ...] | list[str] | set[str] = ("application/pdf", "image/jpeg", "image/png"),
            *, max_pixels: int = MAX_PIXELS, max_seconds: float | None = None) -> Inspection:
    """Check an upload completely; never raises for any input. A PDF whose
    check takes longer than ``max_seconds`` (wall clock) is refused as
    ``upload_too_complex``."""
    if not content:
        return Inspection(error="upload_empty")
    content_type = sniff(content[:16])
    if content_type is None or content_type not in accept:
        return Inspection(error="upload_wrong_type")
    if _MARKUP.search(content[:TAIL]) or _MARKUP.search(content[-TAIL:]):
        return Inspection(error="upload_wrong_type")  # an HTML or SVG polyglot
    deadline = None if max_seconds is None else time.monotonic() + max_seconds
    try:
        if content_type == "application/pdf":
            error = _check_pdf(content, max_pixels, deadline)
        else:
            error = _check_image(content, content_type, max_pixels)
    except _TooLong:
        return Inspection(error="upload_too_complex")
    except Exception:  # any parser failure means: not a file we can vouch for
        return Inspection(error="upload_damaged")
    return Inspection(error=error) if error else Inspection(content_type=content_type)


# -- how many files are checked at once -------------------------------------------------


class ChecksBusy(ServiceUnavailable):
    """Every slot for checking uploads in this process is taken: the upload
    is not stored (503 with ``Retry-After``; the documents page and
    :func:`webapp.documents.busy_page` say so in the applicant's language)."""

    retry_after = 60

    def __init__(self):
        super().__init__(retry_after=self.retry_after)


class _Gate:
    """A counting semaphore whose size is read from the configuration at
    each entry (``UPLOAD_CHECKS``), so an app configured after start-up
    (or a test) gets the limit it sets."""

    def __init__(self):
        self._free = threading.Condition()
        self.busy = 0

    def enter(self, limit: int, wait: float) -> bool:
        deadline = time.monotonic() + wait
        with self._free:
            while self.busy >= limit:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._free.wait(remaining)
            self.busy += 1
            return True

    def leave(self) -> None:
        with self._free:
            self.busy -= 1
            self._free.notify()


@contextmanager
def check_slot():
    """Hold one of the app's ``UPLOAD_CHECKS`` slots while a file is checked,
    waiting at most ``UPLOAD_CHECK_WAIT`` seconds for one, else
    :class:`ChecksBusy`. The checks are CPU-bound and share one process
    (and its GIL) with every page: a few bombs at once must not slow
    everyone else for seconds."""
    app = current_app._get_current_object()
    gate = app.extensions.setdefault("formwerk.upload_checks", _Gate())
    if not gate.enter(max(1, int(app.config.get("UPLOAD_CHECKS", 2))), float(app.config.get("UPLOAD_CHECK_WAIT", 2))):
        raise ChecksBusy()
    try:
        yield
    finally:
        gate.leave()


def inspect_upload(content: bytes, accept, *, max_pixels: int) -> Inspection:
    """:func:`inspect` within a check slot and the app's time per file
    (``UPLOAD_CHECK_SECONDS``); raises :class:`ChecksBusy` when no slot frees in time."""
    with check_slot():
        return inspect(content, accept, max_pixels=max_pixels,
                       max_seconds=float(current_app.config.get("UPLOAD_CHECK_SECONDS", CHECK_SECONDS)))


class _TooLong(Exception):
    """The time for one file's check ran out."""


TEXTS = {
    "upload_busy": NC_("upload_busy", "Der Server prüft gerade viele Dateien. Bitte versuchen Sie es in einer Minute erneut."),
    "upload_busy_title": NC_("upload_busy_title", "Gerade viele Uploads"),
    # (the number is MAX_PDF_PAGES; tests/security/test_uploads.py holds them together)
    "upload_too_many_pages": NC_("upload_too_many_pages", "Die PDF-Datei hat mehr als 500 Seiten. Laden Sie bitte nur die Seiten hoch, die den Nachweis enthalten."),
    "upload_too_complex": NC_("upload_too_complex", "Die Datei ist zu aufwendig aufgebaut, um sie zu prüfen. Speichern Sie sie bitte neu (zum Beispiel über „Drucken“ als PDF) oder laden Sie einen Scan hoch."),
}
i18n.register(TEXTS)


# -- PDF -----------------------------------------------------------------------------


def _check_pdf(content: bytes, max_pixels: int = MAX_PIXELS, deadline: float | None = None) -> str | None:
    end = content.rfind(b"%%EOF")
    if end < 0 or len(content) - (end + 5) > TAIL or content[end + 5:].strip(b"\r\n\t \x00"):
        return "upload_damaged"  # truncated, or something appended (a ZIP or HTML polyglot)
    measured = pdfstreams.measure(content, max_decoded=MAX_INFLATED, max_work=MAX_DECODE_WORK, max_pixels=max_pixels,
                                  max_seconds=None if deadline is None else deadline - time.monotonic(),
                                  judge=_judge_raw, suspect=SUSPECT)
    if measured.error:
        # a decompression bomb, an unbounded filter, an oversized image (inline ones too), too long a check,
        # active content in an object stream (listed by a cross-reference or not)
        return measured.error
    duplicates = _DuplicateKeys()
    _PYPDF_LOG.addHandler(duplicates)
    try:
        error = _walk_pdf(content, deadline)
    finally:
        _PYPDF_LOG.removeHandler(duplicates)
    if error is None and duplicates.found:
        # pypdf keeps a key's first value, viewers its last: what was checked is not what is shown
        return "upload_damaged"
    return error


#: pypdf reports a dictionary's repeated key ("Multiple definitions in dictionary") on this logger
_PYPDF_LOG = logging.getLogger("pypdf.generic._data_structures")
_PYPDF_LOG.setLevel(logging.WARNING)  # records even when an application quiets pypdf's parent logger


class _DuplicateKeys(logging.Handler):
    """Notes pypdf's report of a repeated dictionary key, for the thread that
    attached it only (uploads are checked on several threads at once)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.found = False

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread and str(record.msg).startswith("Multiple definitions in dictionary"):
            self.found = True


def _walk_pdf(content: bytes, deadline: float | None = None) -> str | None:
    """Every object pypdf can reach, from the trailer and the cross-reference
    (object streams included), checked for active content; indirect values
    are resolved before they are judged (``/S 5 0 R`` with object 5 ``/Launch``)."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    if logging.root.manager.disable >= logging.WARNING:
        return "upload_damaged"  # repeated keys could not be seen: refuse rather than guess
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            return "upload_damaged"  # caseworkers cannot open it, and it cannot be checked
        if len(reader.pages) > MAX_PDF_PAGES:
            return "upload_too_many_pages"
        seen: set[tuple[int, int]] = set()
        # from the trailer and from every object the file lists, referenced or not
        # (a reader that rebuilds a broken file may find an "orphan" catalog)
        stack = [reader.trailer]
        for generation, numbers in getattr(reader, "xref", {}).items():
            stack.extend(IndirectObject(number, generation, reader) for number in list(numbers)[:MAX_PDF_OBJECTS])
        stack.extend(IndirectObject(number, 0, reader) for number in list(getattr(reader, "xref_objStm", {}))[:MAX_PDF_OBJECTS])
        visited = 0
        while stack:
            node = stack.pop()
            visited += 1
            if visited > MAX_PDF_OBJECTS:
                return "upload_damaged"
            if deadline is not None and visited % 256 == 0 and time.monotonic() > deadline:
                raise _TooLong()
            if isinstance(node, IndirectObject):
                key = (node.idnum, node.generation)
                if key in seen:
                    continue
                seen.add(key)
                node = node.get_object()
            if isinstance(node, DictionaryObject):
                for name, value in node.items():
                    if str(name) in ACTIVE_NAMES and not (name == "/OpenAction" and _destination(_resolve(value))):
                        return "upload_active_content"
                    target = _resolve(value)
                    if name == "/S" and str(target) in ACTIVE_ACTIONS:
                        return "upload_active_content"
                    if name == "/Subtype" and str(target) in ACTIVE_ANNOTATIONS:
                        return "upload_active_content"
                    if name in ("/URI", "/Base") and _unsafe_uri(target):
                        return "upload_active_content"
                    stack.append(value)
            elif isinstance(node, ArrayObject):
                stack.extend(node)
    return None


def _destination(value) -> bool:
    """An ``/OpenAction`` that only opens a page (``[3 0 R /FitH null]``, as
    fpdf2 and office suites write it, or a named destination), not an action."""
    return value is not None and not isinstance(value, dict)


def _all_destinations(targets: list) -> bool:
    return bool(targets) and all(_destination(t) for t in targets)


def _resolve(value, depth: int = 0):
    """An indirect value's target (a chain of references followed a few steps)."""
    from pypdf.generic import IndirectObject

    while isinstance(value, IndirectObject) and depth < 8:
        value = value.get_object()
        depth += 1
    return None if isinstance(value, IndirectObject) else value


def _unsafe_uri(value) -> bool:
    """A link target whose scheme is not a plain web, mail or phone link
    (control characters and blanks removed first, as browsers do:
    ``java\tscript:`` is ``javascript:``). A ``/URI`` dictionary's ``/Base``
    is checked as well."""
    from pypdf.generic import ByteStringObject, DictionaryObject, IndirectObject

    value = _resolve(value)
    if isinstance(value, DictionaryObject):
        return _unsafe_uri(value.get("/Base"))
    if isinstance(value, ByteStringObject):
        value = bytes(value).decode("latin-1")
    return isinstance(value, str) and _unsafe_text(value)


def _unsafe_text(value: str) -> bool:
    cleaned = _URI_NOISE.sub("", value).lower()
    if cleaned.startswith("\\"):
        return True  # a UNC path (\\host\share): Windows opens it over SMB and hands over the user's credentials
    match = _SCHEME.match(cleaned)
    return match is not None and match.group(1) not in SAFE_URI_SCHEMES


_BLANK = rb"(?:[\x00\t\n\x0c\r ]|%[^\r\n]*)*"
#: what an object stream must hold for :func:`_judge_raw` to find anything in it: a name the rules
#: refuse or look at, an escaped name (``/J#61vaScript``), or an action or annotation type given by reference
SUSPECT = re.compile(
    rb"#|/(?:" + b"|".join(re.escape(name[1:].encode()) for name in sorted(
        ACTIVE_NAMES | ACTIVE_ACTIONS | ACTIVE_ANNOTATIONS | {"/URI", "/Base"})) + rb")(?![^\x00\t\n\x0c\r ()<>\[\]{}/%])"
    rb"|/(?:S|Subtype)" + _BLANK + rb"\d+" + _BLANK + rb"\d+" + _BLANK + rb"R(?![A-Za-z0-9])")


def _judge_raw(value, resolve) -> str | None:
    """An object read from an object stream by :mod:`webapp.pdfstreams`
    (plain values: dict, list, :class:`~webapp.pdfstreams.Name`, bytes,
    references), judged by the same rules as :func:`_walk_pdf`; a
    reference's every possible target is judged (``resolve``)."""
    stack, seen = [value], 0
    while stack:
        node = stack.pop()
        seen += 1
        if seen > pdfstreams.MAX_TOKENS:
            return "upload_damaged"
        if isinstance(node, dict):
            for name, item in node.items():
                if name in ACTIVE_NAMES and not (name == "/OpenAction" and _all_destinations(resolve(item))):
                    return "upload_active_content"
                targets = resolve(item) if name in ("/S", "/Subtype", "/URI", "/Base") else ()
                if name == "/S" and any(t in ACTIVE_ACTIONS for t in targets if isinstance(t, str)):
                    return "upload_active_content"
                if name == "/Subtype" and any(t in ACTIVE_ANNOTATIONS for t in targets if isinstance(t, str)):
                    return "upload_active_content"
                if name in ("/URI", "/Base") and any(_unsafe_raw_uri(t, resolve) for t in targets):
                    return "upload_active_content"
                stack.append(item)
        elif isinstance(node, list):
            stack.extend(node)
    return None


def _unsafe_raw_uri(value, resolve) -> bool:
    if isinstance(value, dict):
        return any(_unsafe_raw_uri(t, lambda v: [v]) for t in resolve(value.get("/Base")))
    if isinstance(value, pdfstreams.Name):
        return False
    text = pdfstreams._decoded_text(value)
    return text is not None and _unsafe_text(text)


def _inflated_size(content: bytes) -> int:
    """How many bytes a PDF's streams decode to through their filter chains
    (stopping just past :data:`MAX_INFLATED`); see :mod:`webapp.pdfstreams`."""
    return pdfstreams.measure(content, max_decoded=MAX_INFLATED, max_work=MAX_DECODE_WORK, max_pixels=MAX_PIXELS).decoded


# -- images --------------------------------------------------------------------------


def _check_image(content: bytes, content_type: str, max_pixels: int) -> str | None:
    from PIL import Image

    trimmed = content.rstrip(b"\x00")
    if content_type == "image/png" and not trimmed.endswith(b"IEND\xaeB`\x82"):
        return "upload_damaged"  # truncated, or something appended
    if content_type == "image/jpeg" and not trimmed.endswith(b"\xff\xd9"):
        return "upload_damaged"
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(content)) as image:
                width, height = image.size
                if width * height > max_pixels or max(width, height) > MAX_SIDE:
                    return "upload_image_too_large"
                expected = {"image/png": "PNG", "image/jpeg": "JPEG"}[content_type]
                if image.format != expected:
                    return "upload_wrong_type"
                image.verify()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            return "upload_image_too_large"
    return None


# -- serving to staff ----------------------------------------------------------------


def attachment(content: bytes, content_type: str, filename: str) -> Response:
    """A stored document as a download: never rendered inline by the app's
    origin, sniffing off, scripts and plugins off even if a browser renders it."""
    from urllib.parse import quote

    safe = "".join(ch for ch in filename if ch.isalnum() or ch in "._- ")[:120] or "dokument"
    return Response(content, mimetype=content_type if content_type in dict(SIGNATURES).values() else "application/octet-stream",
                    headers={"Content-Disposition": f"attachment; filename=\"{safe}\"; filename*=UTF-8''{quote(filename[:120])}",
                             "Content-Security-Policy": "default-src 'none'; sandbox",
                             "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"})
