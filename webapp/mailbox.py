"""The applicant's side of a submitted application ("Ihr Vorgang"): its
status and history in plain words, the office's document requests with
uploads and sending the answer, the online mailbox (ePost) with the
decision letters, the documents the answers call for with those still
missing (handed in here after sending), and withdrawing the application.

Access is proven like the receipt's: the access code of the reference is in
this browser's session (``session["receipts"]``), put there by the
submission or by the look-up with reference and access code (never in a
URL). Anything else is a 404, so a reference alone reveals nothing.

Uploads get the wizard's checks (:func:`webapp.documents._read`, which
inspects content with :func:`webapp.uploads.inspect`: type by content, real
parsers, no active content, size). This is the applicant part: it uses the shared case-file operations
(:mod:`webapp.office.loop`, :mod:`webapp.office.workflow`) and models,
never the office's views."""

from __future__ import annotations

import functools
import hashlib
import secrets

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, session, url_for
from sqlalchemy import func, select

from . import mailbox_texts, ratelimit, submitted
from .accounts import audit
from .documents import _read, _safe_name
from .drafts import token_hash
from .i18n import language
from .office import loop, workflow
from .office import messages as office_messages
from .office.models import CaseEvent, Decision, MailboxMessage
from .storage import Application, Document, utcnow

bp = Blueprint("mailbox", __name__)

MAX_RECEIPTS = 10  # access codes one browser session remembers, as the receipt does


def _storage():
    return current_app.extensions["formwerk.storage"]


def _token(reference: str) -> str | None:
    return (session.get("receipts") or {}).get(reference)


def _verified(db, reference: str, token: str | None) -> Application | None:
    if not token or not isinstance(reference, str) or not reference or len(reference) > 32:
        return None
    application = db.scalar(select(Application).where(Application.reference == reference))
    if application is None or not secrets.compare_digest(application.status_token_hash, token_hash(token)):
        return None
    return application


def _own(db, reference: str) -> Application:
    """The application whose access code this browser holds, or 404."""
    application = _verified(db, reference, _token(reference))
    if application is None:
        abort(404)
    return application


def _remember(reference: str, token: str) -> None:
    receipts = dict(session.get("receipts") or {})
    receipts.pop(reference, None)
    receipts[reference] = token
    session["receipts"] = dict(list(receipts.items())[-MAX_RECEIPTS:])


# -- look-up by reference and access code -------------------------------------------


@bp.route("/vorgang", methods=["GET", "POST"])
def lookup():
    failed = False
    if request.method == "POST":
        ratelimit.enforce("status")
        reference = (request.form.get("reference") or "").strip().upper()[:40]
        token = (request.form.get("token") or "").strip()[:100]
        with _storage().reader() as db:
            application = _verified(db, reference, token)
        if application is not None:
            _remember(application.reference, token)
            return redirect(url_for("mailbox.case", reference=application.reference))
        failed = True
    return render_template("mailbox/lookup.html", failed=failed), (404 if failed else 200)


# -- the case -----------------------------------------------------------------------


def _render(db, application, *, error=None, status=200):
    lang = language()
    events = db.scalars(select(CaseEvent).where(CaseEvent.application_id == application.id)
                        .order_by(CaseEvent.at, CaseEvent.id)).all()
    requests = loop.requests_of(db, application.id)
    messages = db.scalars(select(MailboxMessage).where(MailboxMessage.application_id == application.id)
                          .order_by(MailboxMessage.at.desc(), MailboxMessage.id.desc())).all()
    sent = submitted.load(db, application, lang)
    titles = {r.key: r.title for r in sent.requirements}  # the form's documents in the visitor's language
    return render_template(
        "mailbox/case.html", application=application, status_label=workflow.label(application.status, lang),
        sent=sent, documents_open=application.status in workflow.OPEN_STATES,
        events=[(e, mailbox_texts.history(e.to_status, lang)) for e in events],
        open_requests=[r for r in requests if r.open],
        answered=[(r, ", ".join(titles.get(i.key, i.title) for i in r.items))
                  for r in requests if r.request.status == "beantwortet"],
        messages=[(m, office_messages.shown(m, lang, titles)) for m in messages], titles=titles, error=error,
        can_withdraw="zurueckgenommen" in workflow.allowed(application.status, "applicant"),
        max_files=current_app.config["MAX_FILES_PER_REQUIREMENT"]), status


@bp.get("/vorgang/<reference>")
def case(reference: str):
    with _storage().session() as db:
        application = _own(db, reference)
        return _render(db, application)


def _open_request(db, application, request_id: int) -> loop.RequestView:
    view = next((v for v in loop.requests_of(db, application.id) if v.request.id == request_id), None)
    if view is None:
        abort(404)
    return view


def _retry_on_conflict(view):
    """A change that lost the race against another change of the case (the
    office's, or another tab's) is not saved: the applicant is told to look
    again, never shown an error page."""
    @functools.wraps(view)
    def wrapped(reference: str, **kwargs):
        try:
            return view(reference, **kwargs)
        except workflow.WorkflowError:
            flash("mb_changed_meanwhile")
            return redirect(url_for("mailbox.case", reference=reference))

    return wrapped


def _file_id(action: str) -> int:
    """The file of a "delete:<id>" button (-1 for anything else)."""
    return int(action[7:]) if action[7:].isdigit() and len(action) < 20 else -1


def _accept_upload(db, application, wanted, files, *, key: str,
                   request_id: int | None = None) -> tuple[str | None, Document | None]:
    """Check the posted file against what is ``wanted`` (a request item or a
    required document: type, size, content) and both quotas (files already
    handed in for it, ``files``; bytes of the whole application), then store
    it under the requirement ``key`` (and the request, when it answers one).
    Returns (error text key, None) or (None, the stored document)."""
    upload = request.files.get("file")
    try:
        error, content, content_type = _read(upload, wanted)
    finally:
        if upload is not None:
            upload.close()
    if error is None and len(files) >= current_app.config["MAX_FILES_PER_REQUIREMENT"]:
        error = "mb_quota_item"
    if error is None:
        used = db.scalar(select(func.coalesce(func.sum(Document.size), 0))
                         .where(Document.application_id == application.id)) or 0
        if used + len(content) > current_app.config["MAX_UPLOAD_BYTES_PER_DRAFT"]:
            error = "mb_quota_total"
    if error is not None:
        return error, None
    document = Document(application_id=application.id, request_id=request_id, draft_id=None,
                        requirement=key, filename=_safe_name(upload.filename),
                        content_type=content_type, size=len(content), sha256=hashlib.sha256(content).hexdigest(),
                        content=content, uploaded_at=utcnow())
    db.add(document)
    db.flush()
    workflow.bump(db, application, None)
    return None, document


@bp.post("/vorgang/<reference>/unterlagen/<int:request_id>")
@_retry_on_conflict
def upload(reference: str, request_id: int):
    """Upload a file for one item of an open request, or delete one not yet sent."""
    with _storage().session() as db:
        application = _own(db, reference)
        view = _open_request(db, application, request_id)
        if not view.open:
            flash("mb_request_closed")
            return redirect(url_for("mailbox.case", reference=reference))
        action = request.form.get("action", "upload")
        if action.startswith("delete:"):
            file_id = _file_id(action)
            document = next((f for item in view.items for f in item.files if f.id == file_id), None)
            if document is None:
                abort(404)
            db.delete(document)
            workflow.bump(db, application, None)
            audit.record(db, "request.file_delete", reference=application.reference,
                         office_id=application.office_id, detail={"request": request_id, "file": file_id})
            return redirect(url_for("mailbox.case", reference=reference, _anchor=f"request-{request_id}"))
        ratelimit.enforce("upload")
        item = view.item(request.form.get("item", ""))
        if item is None:
            abort(400)
        error, document = _accept_upload(db, application, item, item.files, key=item.key, request_id=request_id)
        if error is not None:
            return _render(db, application, error=(request_id, item.key, error), status=400)
        audit.record(db, "request.upload", reference=application.reference, office_id=application.office_id,
                     detail={"request": request_id, "item": item.key, "file": document.id, "size": document.size,
                             "sha256": document.sha256})
    return redirect(url_for("mailbox.case", reference=reference, _anchor=f"request-{request_id}"))


@bp.post("/vorgang/<reference>/nachweise")
@_retry_on_conflict
def hand_in(reference: str):
    """Hand in a document the answers call for after sending (or delete one
    handed in here by mistake, while the case is open). It goes straight to
    the case file, under the requirement the caseworker sees it by."""
    with _storage().session() as db:
        application = _own(db, reference)
        if application.status not in workflow.OPEN_STATES:
            flash("mb_documents_closed")
            return redirect(url_for("mailbox.case", reference=reference))
        lang = language()
        sent = submitted.load(db, application, lang)
        action = request.form.get("action", "upload")
        if action.startswith("delete:"):
            file_id = _file_id(action)
            document = next((f for r in sent.requirements for f in r.files
                             if f.id == file_id and f.draft_id is None and f.request_id is None), None)
            if document is None:
                abort(404)  # files sent with the application stay
            db.delete(db.get(Document, document.id))
            workflow.bump(db, application, None)
            audit.record(db, "documents.file_delete", reference=application.reference,
                         office_id=application.office_id, detail={"file": file_id})
            return redirect(url_for("mailbox.case", reference=reference, _anchor="documents-title"))
        requirement = next((r for r in sent.requirements if r.key == request.form.get("requirement", "")), None)
        if requirement is None:
            abort(400)
        ratelimit.enforce("upload")
        error, document = _accept_upload(db, application, requirement.document, requirement.files,
                                         key=requirement.key)
        if error is not None:
            return _render(db, application, error=("documents", requirement.key, error), status=400)
        audit.record(db, "documents.upload", reference=application.reference, office_id=application.office_id,
                     detail={"requirement": requirement.key, "file": document.id, "size": document.size,
                             "sha256": document.sha256})
    flash("mb_document_uploaded")
    return redirect(url_for("mailbox.case", reference=reference, _anchor="documents-title"))


@bp.post("/vorgang/<reference>/unterlagen/<int:request_id>/senden")
@_retry_on_conflict
def answer(reference: str, request_id: int):
    with _storage().session() as db:
        application = _own(db, reference)
        view = _open_request(db, application, request_id)
        if not view.open:
            flash("mb_request_closed")
        elif not loop.answer_request(db, application, view):
            return _render(db, application, error=(request_id, "", "mb_request_incomplete"), status=400)
        else:
            flash("mb_request_answered")
    return redirect(url_for("mailbox.case", reference=reference))


# -- mailbox ------------------------------------------------------------------------


@bp.get("/vorgang/<reference>/post/<int:message_id>/bescheid.pdf")
def letter(reference: str, message_id: int):
    """The decision letter of a mailbox message; the first download is the
    delivery receipt (``first_opened_at``)."""
    with _storage().session() as db:
        application = _own(db, reference)
        message = db.scalar(select(MailboxMessage).where(MailboxMessage.id == message_id,
                                                         MailboxMessage.application_id == application.id,
                                                         MailboxMessage.decision_id.is_not(None)))
        if message is None:
            abort(404)
        decision = db.get(Decision, message.decision_id)
        first = message.first_opened_at is None
        if first:
            message.first_opened_at = utcnow()
        audit.record(db, "mailbox.letter_open", reference=application.reference, office_id=application.office_id,
                     detail={"decision": decision.id, "first": first})
        body = decision.letter
    return Response(body, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="Bescheid-{application.reference}-{decision.id}.pdf"',
        "Cache-Control": "no-store",
        "Content-Security-Policy": "default-src 'none'; sandbox",
    })


# -- withdrawal ---------------------------------------------------------------------


@bp.route("/vorgang/<reference>/zuruecknehmen", methods=["GET", "POST"])
@_retry_on_conflict
def withdraw(reference: str):
    """Withdrawing is a deliberate second step: a page that says what it
    means, and a post that does it."""
    with _storage().session() as db:
        application = _own(db, reference)
        if "zurueckgenommen" not in workflow.allowed(application.status, "applicant"):
            flash("mb_withdraw_not_possible")
            return redirect(url_for("mailbox.case", reference=reference))
        if request.method == "GET":
            return render_template("mailbox/withdraw.html", application=application)
        if request.form.get("confirm") != "ja":
            return render_template("mailbox/withdraw.html", application=application, error=True), 400
        loop.withdraw(db, application)
    flash("mb_withdrawn")
    return redirect(url_for("mailbox.case", reference=reference))


mailbox_texts.register()
