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
"""

from __future__ import annotations

import io
import re
import warnings
import zlib
from dataclasses import dataclass

from flask import Response

SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
#: PDF names that make a document do something when opened or clicked
ACTIVE_NAMES = frozenset({"/JavaScript", "/JS", "/OpenAction", "/AA", "/Launch", "/SubmitForm", "/ImportData",
                          "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia", "/XFA", "/GoToE", "/GoToR"})
MAX_INFLATED = 256 * 1024 * 1024  # bytes all of a PDF's Flate streams may inflate to together
MAX_PDF_OBJECTS = 200_000
MAX_PDF_PAGES = 500
MAX_PIXELS = 60_000_000
MAX_SIDE = 20_000
TAIL = 1024  # bytes allowed after a PDF's last %%EOF (some scanners pad)
_MARKUP = re.compile(rb"<\s*(html|script|body|svg|iframe|object|embed)\b", re.IGNORECASE)
_STREAM = re.compile(rb"stream\r?\n")


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
            *, max_pixels: int = MAX_PIXELS) -> Inspection:
    """Check an upload completely; never raises for any input."""
    if not content:
        return Inspection(error="upload_empty")
    content_type = sniff(content[:16])
    if content_type is None or content_type not in accept:
        return Inspection(error="upload_wrong_type")
    if _MARKUP.search(content[:TAIL]) or _MARKUP.search(content[-TAIL:]):
        return Inspection(error="upload_wrong_type")  # an HTML or SVG polyglot
    try:
        if content_type == "application/pdf":
            error = _check_pdf(content)
        else:
            error = _check_image(content, content_type, max_pixels)
    except Exception:  # any parser failure means: not a file we can vouch for
        return Inspection(error="upload_damaged")
    return Inspection(error=error) if error else Inspection(content_type=content_type)


# -- PDF -----------------------------------------------------------------------------


def _check_pdf(content: bytes) -> str | None:
    end = content.rfind(b"%%EOF")
    if end < 0 or len(content) - (end + 5) > TAIL or content[end + 5:].strip(b"\r\n\t \x00"):
        return "upload_damaged"  # truncated, or something appended (a ZIP or HTML polyglot)
    if _inflated_size(content) > MAX_INFLATED:
        return "upload_damaged"
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            return "upload_damaged"  # caseworkers cannot open it, and it cannot be checked
        if len(reader.pages) > MAX_PDF_PAGES:
            return "upload_damaged"
        seen: set[tuple[int, int]] = set()
        stack = [reader.trailer]
        visited = 0
        while stack:
            node = stack.pop()
            visited += 1
            if visited > MAX_PDF_OBJECTS:
                return "upload_damaged"
            if isinstance(node, IndirectObject):
                key = (node.idnum, node.generation)
                if key in seen:
                    continue
                seen.add(key)
                node = node.get_object()
            if isinstance(node, DictionaryObject):
                for name, value in node.items():
                    if str(name) in ACTIVE_NAMES:
                        return "upload_active_content"
                    if name == "/S" and isinstance(value, NameObject) and str(value) in ACTIVE_NAMES:
                        return "upload_active_content"
                    stack.append(value)
            elif isinstance(node, ArrayObject):
                stack.extend(node)
    return None


def _inflated_size(content: bytes) -> int:
    """How far the raw streams of a PDF inflate, measured in bounded steps
    (never holding more than a chunk in memory)."""
    total = 0
    for match in _STREAM.finditer(content):
        start = match.end()
        stop = content.find(b"endstream", start)
        if stop < 0:
            break
        data = content[start:stop]
        if not data[:1] or data[0] & 0x0F != 8:  # not a zlib header: not Flate
            continue
        inflater = zlib.decompressobj()
        chunk = data
        try:
            # stop at the end of the zlib stream: bytes after it (the newline before
            # "endstream") stay in unconsumed_tail for ever and would loop endlessly
            while chunk and not inflater.eof:
                out = inflater.decompress(chunk, 1024 * 1024)
                total += len(out)
                if total > MAX_INFLATED:
                    return total
                if not out and len(inflater.unconsumed_tail) >= len(chunk):
                    break  # no progress: never spin
                chunk = inflater.unconsumed_tail
        except zlib.error:
            continue
    return total


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
