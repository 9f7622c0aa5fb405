"""Uploads of the documents an application's answers call for.

A file's type is decided by its content (magic bytes), never by its name or
the browser's claim; only PDF, JPEG and PNG are accepted, within the size the
form allows. Files are stored in the database, never under the web root."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from sqlalchemy import delete, select

from .i18n import language
from .storage import Document
from .wizard import _check, _drafts, _require

bp = Blueprint("documents", __name__)

SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
READ_LIMIT = 64 * 1024 * 1024


def sniff(head: bytes) -> str | None:
    """The content type a file really has, from its first bytes."""
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


@dataclass
class Requirement:
    """A required document and what has been uploaded for it."""

    document: object  # engine.outcome.RequiredDocument
    files: list[Document]

    @property
    def key(self) -> str:
        return self.document.key

    @property
    def done(self) -> bool:
        return bool(self.files)


def requirements(draft, outcome) -> list[Requirement]:
    storage = current_app.extensions["formwerk.storage"]
    with storage.reader() as db:
        files = db.scalars(select(Document).where(Document.draft_id == draft.id).order_by(Document.id)).all()
    return [Requirement(d, [f for f in files if f.requirement == d.key]) for d in outcome.documents]


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
        try:
            error, content, content_type = _read(upload, document)
        finally:
            if upload is not None:
                upload.close()  # large uploads are spooled to a temporary file
        if error is None:
            with storage.session() as db:
                db.add(Document(draft_id=draft.id, requirement=key, filename=_safe_name(upload.filename),
                                content_type=content_type, size=len(content),
                                sha256=hashlib.sha256(content).hexdigest(), content=content))
            _drafts().save(draft)
            return redirect(url_for("documents.upload", slug=slug, _anchor=f"doc-{document.id}"))
        error = (key, error)
    return render_template("wizard/documents.html", draft=draft, requirements=requirements(draft, outcome), error=error), (
        400 if error else 200)


def _int(text: str) -> int:
    return int(text) if text.isdigit() else -1


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
    content_type = sniff(content[:16])
    if content_type is None or content_type not in document.accept:
        return "upload_wrong_type", b"", ""
    return None, content, content_type
