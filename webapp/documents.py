"""Uploads of the documents an application's answers call for.

A file's type is decided by its content, never by its name or the browser's
claim, and the file is checked with real parsers (:func:`webapp.uploads.inspect`):
only clean PDF, JPEG and PNG are accepted, within the size the form allows.
A draft holds at most ``MAX_FILES_PER_REQUIREMENT`` files per document and
``MAX_UPLOAD_BYTES_PER_DRAFT`` bytes in all; uploads are rate-limited per
client. Files are stored in the database, never under the web root; pages
load their metadata only, never their bytes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, url_for
from sqlalchemy import delete, func, select
from sqlalchemy.orm import defer

from . import i18n, ratelimit
from .i18n import NC_, language
from .presentation import document_title
from .storage import Document
from .uploads import ChecksBusy, inspect, inspect_upload, sniff  # noqa: F401  (inspect, sniff: kept importable from here)
from .applicant import check as _check
from .applicant import drafts as _drafts
from .applicant import require_draft as _require

bp = Blueprint("documents", __name__)

READ_LIMIT = 64 * 1024 * 1024


@dataclass
class Requirement:
    """A required document and what has been uploaded for it."""

    document: object  # engine.outcome.RequiredDocument
    files: list[Document]
    title: str = ""  # the document's title naming whose it is ("Geburtsurkunde von Elif Yilmaz")

    def __post_init__(self):
        self.title = self.title or self.document.title

    @property
    def key(self) -> str:
        return self.document.key

    @property
    def done(self) -> bool:
        return bool(self.files)


def requirements(draft, outcome) -> list[Requirement]:
    storage = current_app.extensions["formwerk.storage"]
    with storage.reader() as db:
        files = db.scalars(select(Document).options(defer(Document.content, raiseload=True))
                           .where(Document.draft_id == draft.id).order_by(Document.id)).all()
    lang = language()
    return [Requirement(d, [f for f in files if f.requirement == d.key], document_title(d, outcome.answers, lang))
            for d in outcome.documents]


@bp.app_template_global()
def discarded_documents(draft, outcome) -> list[str]:
    """The uploads of a draft whose document the answers no longer call for
    (the partner's ID after "Partner: Nein"), as the review lists them with the
    answers that are not sent: only the documents still required go with the
    application (:mod:`webapp.office.intake`), so these files stay behind.
    Each names whose it was while the draft's answers still do ("Ausweis von
    Ayşe Yilmaz"); a file of a list entry since removed says so ("Ausweis,
    entfernte Person") rather than pass for the applicant's own."""
    storage = current_app.extensions["formwerk.storage"]
    with storage.reader() as db:
        files = db.scalars(select(Document).options(defer(Document.content, raiseload=True))
                           .where(Document.draft_id == draft.id).order_by(Document.id)).all()
    wanted = {d.key for d in outcome.documents}
    lang = language()
    titles, people = _declared_titles(draft.published.form.schema, lang)
    from .i18n import translate

    return [translate("discarded_file", lang, document=_discarded_title(f.requirement, titles, people, draft.answers, lang),
                      filename=f.filename)
            for f in files if f.requirement not in wanted]


@dataclass
class _Declared:
    """A document the form declares, where it was asked (what :func:`document_title` reads)."""

    path: str
    title: str


def _discarded_title(requirement: str, titles: dict[str, str], people: set[str], answers, lang: str) -> str:
    from .i18n import translate

    document_id, _, pointer = requirement.partition("@")
    title = titles.get(document_id, document_id)
    if not pointer.startswith("/"):
        return title
    if _entry_removed(answers, pointer):
        key = "document_of_removed_person" if document_id in people else "document_of_removed_entry"
        return translate(key, lang, document=title)
    return document_title(_Declared(pointer, title), answers if isinstance(answers, dict) else {}, lang)


def _entry_removed(answers, pointer: str) -> bool:
    """Whether ``pointer`` runs through a list entry the answers no longer hold."""
    from engine.form import split_pointer

    node = answers
    for token in split_pointer(pointer):
        if token == REMOVED or token.isdigit() and not (isinstance(node, list) and int(token) < len(node)):
            return True
        if isinstance(node, list):
            node = node[int(token)]
        elif isinstance(node, dict):
            node = node.get(token)
        else:
            node = None
    return False


#: the index an upload's requirement key gets when its list entry is removed (JSON Pointer's "past the end")
REMOVED = "-"


def follow_removal(db, draft_id: int, pointer: str) -> None:
    """Keep uploads with their list entry after the entry at ``pointer``
    (``/haushalt/kinder/1``) was removed from the draft's answers: its own
    uploads are marked as a removed entry's (``…/kinder/-/…``: listed on
    the review as "Ausweis, entfernte Person", never sent), and those of the
    entries after it move up one place with them. Without this, the second
    child's ID would pass for the third child's once the first is removed.
    Runs in the transaction ``db`` that saves the answers without the entry
    (``Drafts.save(..., also=...)``): both happen or neither."""
    parent, _, index = pointer.rpartition("/")
    if not index.isdigit() or not parent:
        return
    removed, prefix = int(index), parent + "/"
    for document in db.scalars(select(Document).options(defer(Document.content, raiseload=True))
                               .where(Document.draft_id == draft_id)):
        declared, _, path = document.requirement.partition("@")
        if not path.startswith(prefix):
            continue
        token, slash, rest = path[len(prefix):].partition("/")
        if not token.isdigit() or int(token) < removed:
            continue
        place = REMOVED if int(token) == removed else str(int(token) - 1)
        document.requirement = f"{declared}@{prefix}{place}{slash}{rest}"


def _declared_titles(schema, lang: str) -> tuple[dict[str, str], set[str]]:
    """The title of every document the form declares (``x-documents``), by
    id, and the ids declared for a person in a list (an entry with a first
    or last name, such as a child)."""
    titles: dict[str, str] = {}
    people: set[str] = set()
    stack = [(schema, False)]
    while stack:
        node, person = stack.pop()
        if isinstance(node, dict):
            for entry in node.get("x-documents") or ():
                if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                    title = entry.get("title")
                    if isinstance(title, dict):
                        title = title.get(lang) or title.get("de") or next(iter(title.values()), None)
                    if isinstance(title, str):
                        titles.setdefault(entry["id"], title)
                    if person:
                        people.add(entry["id"])
            for key, value in node.items():
                if key == "items" and isinstance(value, dict):
                    named = value.get("properties")
                    stack.append((value, isinstance(named, dict) and bool({"vorname", "nachname"} & set(named))))
                else:
                    stack.append((value, person))
        elif isinstance(node, list):
            stack.extend((item, person) for item in node)
    return titles, people


TEXTS = {
    "document_of_removed_person": NC_("document_of_removed_person", "{document}, entfernte Person"),
    "document_of_removed_entry": NC_("document_of_removed_entry", "{document}, entfernter Eintrag"),
}
i18n.register(TEXTS)


@bp.route("/antrag/<slug>/nachweise", methods=["GET", "POST"])
def upload(slug: str):
    draft = _require(slug)
    lang = language()
    outcome = _check(draft, lang)
    error = None
    if request.method == "POST":
        wanted = {d.key: d for d in outcome.documents}
        action = request.form.get("action", "upload")
        storage = current_app.extensions["formwerk.storage"]
        if action.startswith("delete:"):
            with storage.session() as db:
                db.execute(delete(Document).where(Document.draft_id == draft.id, Document.id == _int(action[7:])))
            return redirect(url_for("documents.upload", slug=slug))
        key = request.form.get("requirement", "")
        document = wanted.get(key)
        upload = request.files.get("file")
        if document is None:
            abort(400)
        ratelimit.enforce("upload")
        try:
            error, content, content_type = _read(upload, document)
        except ChecksBusy as busy:  # nothing stored, the draft untouched: the page says to try again shortly
            return _page(draft, outcome, (key, "upload_busy"), 503, busy)
        finally:
            if upload is not None:
                upload.close()  # large uploads are spooled to a temporary file
        if error is None:
            with storage.session() as db:
                error = _quota_error(db, draft.id, key, len(content))
                if error is None:
                    db.add(Document(draft_id=draft.id, requirement=key, filename=_safe_name(upload.filename),
                                    content_type=content_type, size=len(content),
                                    sha256=hashlib.sha256(content).hexdigest(), content=content))
        if error is None:
            _drafts().touch(draft)
            return redirect(url_for("documents.upload", slug=slug, _anchor=f"doc-{document.id}"))
        error = (key, error)
    return _page(draft, outcome, error, 400 if error else 200)


def _page(draft, outcome, error, status: int, busy: ChecksBusy | None = None):
    response = Response(render_template("wizard/documents.html", draft=draft, requirements=requirements(draft, outcome),
                                        error=error), status=status, mimetype="text/html")
    if busy is not None:
        response.headers["Retry-After"] = str(busy.retry_after)
    return response


@bp.app_errorhandler(ChecksBusy)
def busy_page(busy: ChecksBusy):
    """Every check slot taken while a file handed in elsewhere (the status
    page's uploads) waited: a 503 page in the visitor's language with
    ``Retry-After``; the view's transaction was rolled back, nothing stored."""
    response = Response(render_template("error.html", title_key="upload_busy_title", text_key="upload_busy"),
                        status=503, mimetype="text/html")
    response.headers["Retry-After"] = str(busy.retry_after)
    return response


def _quota_error(db, draft_id: int, key: str, size: int) -> str | None:
    """Per-document and per-draft limits, checked in the transaction that adds the file."""
    config = current_app.config
    count = db.scalar(select(func.count(Document.id))
                     .where(Document.draft_id == draft_id, Document.requirement == key))
    if count >= config["MAX_FILES_PER_REQUIREMENT"]:
        return "upload_quota_requirement"
    total = db.scalar(select(func.coalesce(func.sum(Document.size), 0)).where(Document.draft_id == draft_id))
    if total + size > config["MAX_UPLOAD_BYTES_PER_DRAFT"]:
        return "upload_quota_draft"
    return None


def _int(text: str) -> int:
    """A database id from a button's value; anything else (or out of range) is -1."""
    return int(text) if text.isdigit() and len(text) < 10 else -1


def _safe_name(name: str | None) -> str:
    name = (name or "dokument").replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in name if ch.isprintable())[:200] or "dokument"


def _read(upload, document) -> tuple[str | None, bytes, str]:
    if upload is None or not upload.filename:
        return "upload_missing", b"", ""
    content = upload.stream.read(min(document.max_size, READ_LIMIT) + 1)
    if not content:
        return "upload_empty", b"", ""
    if len(content) > document.max_size:
        return "upload_too_large", b"", ""
    found = inspect_upload(content, document.accept, max_pixels=current_app.config["MAX_IMAGE_PIXELS"])
    if not found.ok:
        return found.error, b"", ""
    return None, content, found.content_type
