"""The case file (eAkte) at ``/amt/faelle/<reference>``: the answers as the
applicant gave them (labels of the form version they used), computed values
and the estimate, the warnings they confirmed, their documents with preview
and download, the status history with the status change, internal notes,
and for team leads the access log.

Every view, preview and download is written to the audit log; every change
goes through the workflow's optimistic lock (the page carries the case's
``lock_version``; a change based on an older page is refused, never merged).
Notes are additions that overwrite nothing, so they do not take the lock."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from babel.numbers import format_decimal
from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from engine.form import value_at

from ..accounts import audit
from ..accounts.auth import staff_required
from ..accounts.models import AuditEvent, Team
from ..i18n import language, translate
from ..presentation import format_value
from ..storage import Application, Document
from . import access, bp, workflow
from .inbox import age_days, posted_lock_version, staff_names, today
from .models import CaseEvent, CaseNote

NOTE_LIMIT = 4000
AUDIT_LIMIT = 500
PREVIEWABLE = ("application/pdf", "image/jpeg", "image/png")
#: a preview is framed by the case page only; sandboxed, it can run nothing
PREVIEW_CSP = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'"
DOWNLOAD_CSP = "sandbox; default-src 'none'"


def _storage():
    return current_app.extensions["formwerk.storage"]


# -- what the page shows ----------------------------------------------------------

@dataclass
class AnswerRow:
    label: str
    text: str
    heading: bool = False


@dataclass
class AnswerSection:
    title: str
    rows: list[AnswerRow]


def answer_sections(form, outcome, walk, lang: str) -> list[AnswerSection]:
    """The pruned answers by section, labelled by the form version's own
    fields; entries of lists get a heading ("Kinder › Eintrag 1")."""
    sections = []
    for section in form.sections:
        pointers = [p for p in outcome.relevant if section.contains(p)]
        if not pointers:
            continue
        title = section.title(lang)
        rows: list[AnswerRow] = []
        entry = None
        for pointer in pointers:
            value = value_at(outcome.answers, pointer)
            if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
                continue  # a list of entries: its entries' answers follow
            tokens = pointer.split("/")
            last_index = max((i for i, t in enumerate(tokens) if t.isdigit()), default=None)
            if last_index is not None:
                holder = "/".join(tokens[:last_index + 1])
                if holder != entry:
                    entry = holder
                    heading = form.label_for(holder, lang)
                    prefix = title + " › "
                    rows.append(AnswerRow(heading[len(prefix):] if heading.startswith(prefix) else heading, "", True))
            else:
                entry = None
            described = form.field_at(walk, pointer, lang)
            rows.append(AnswerRow(described.label, format_value(described, value, lang)))
        sections.append(AnswerSection(title, rows))
    return sections


def plain(value: Any, lang: str) -> str:
    """A computed scalar as a German (or English) reader expects it."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return translate("yes" if value else "no", lang)
    if isinstance(value, (Decimal, float, int)):
        number = Decimal(str(value))
        pattern = "#,##0" if number == number.to_integral_value() else "#,##0.00"
        return format_decimal(number, format=pattern, locale="en_GB" if lang == "en" else "de_DE")
    return str(value)


@dataclass
class Computed:
    """A computed value: a scalar (``text``), an estimate with its lines, or
    a structure shown as nested key/value rows."""

    pointer: str
    label: str
    text: str | None = None
    lines: list[dict] | None = None
    total: Any = None
    rows: list[tuple[int, str, str]] = field(default_factory=list)


def _flatten(value: Any, lang: str, depth: int = 0, out: list | None = None) -> list[tuple[int, str, str]]:
    """Nested dicts and lists as (depth, key, text) rows."""
    out = [] if out is None else out
    items = value.items() if isinstance(value, dict) else enumerate(value, 1)
    for key, item in items:
        if isinstance(item, (dict, list)) and item:
            out.append((depth, str(key), ""))
            if depth < 6:
                _flatten(item, lang, depth + 1, out)
        else:
            out.append((depth, str(key), plain(item, lang)))
    return out


def computed_values(form, outcome, lang: str) -> list[Computed]:
    found = []
    for pointer, value in outcome.computed.items():
        item = Computed(pointer, form.label_for(pointer, lang))
        if isinstance(value, dict) and isinstance(value.get("zeilen"), list):
            item.lines = [{"label": line.get(f"label_{lang}") or line.get("label_de") or line.get("key", ""),
                           "amount": line.get("amount"), "kind": line.get("art", "")}
                          for line in value["zeilen"] if isinstance(line, dict)]
            item.total = value.get("anspruch")
            rest = {k: v for k, v in value.items() if k not in ("zeilen", "anspruch")}
            item.rows = _flatten(rest, lang) if rest else []
        elif isinstance(value, (dict, list)):
            item.rows = _flatten(value, lang)
        else:
            item.text = plain(value, lang)
        found.append(item)
    return found


@dataclass
class Finding:
    message: str
    severity: str
    confirmed: bool
    answers: list[tuple[str, str]]


def findings(form, outcome, walk, application, lang: str) -> list[Finding]:
    """The warnings and notes stored with the application at submission,
    with the answers they point at (what the applicant confirmed)."""
    try:
        stored = json.loads(application.findings or "[]")
    except ValueError:
        stored = []
    found = []
    for issue in stored:
        if not isinstance(issue, dict) or issue.get("severity") not in ("warning", "info"):
            continue
        answers = []
        for pointer in issue.get("fields") or [issue.get("path", "")]:
            if not isinstance(pointer, str) or not pointer:
                continue
            try:
                described = form.field_at(walk, pointer, lang)
                text = format_value(described, value_at(outcome.answers, pointer), lang)
            except (KeyError, ValueError, LookupError):
                text = plain(value_at(outcome.answers, pointer), lang)
            answers.append((form.label_for(pointer, lang), text))
        found.append(Finding(str(issue.get("message", "")), issue["severity"], bool(issue.get("confirmed")), answers))
    found.sort(key=lambda f: f.severity != "warning")
    return found


@dataclass
class Requirement:
    title: str
    description: str | None
    files: list
    later: bool = False


def documents(db, application, outcome) -> list[Requirement]:
    """The documents the answers called for with what arrived, then files
    that came later (answers to document requests) or for nothing listed."""
    files = db.execute(select(Document.id, Document.requirement, Document.filename, Document.content_type,
                              Document.size, Document.uploaded_at, Document.request_id)
                       .where(Document.application_id == application.id)
                       .order_by(Document.uploaded_at, Document.id)).all()
    required = [Requirement(d.title, d.description, [f for f in files if f.requirement == d.key])
                for d in outcome.documents]
    keys = {d.key for d in outcome.documents}
    rest = [f for f in files if f.requirement not in keys]
    if rest:
        required.append(Requirement("", None, rest, later=True))
    return required


def _case_page(application: Application, *, status: int = 200, error: str | None = None,
               note_error: str | None = None, note_text: str = ""):
    lang = language()
    published = current_app.extensions["formwerk.catalog"].version(application.form_version_id)
    answers = json.loads(application.answers)
    as_of = application.submitted_at.date()  # computed values as the applicant saw them
    outcome = published.form.check(answers, lang=lang, as_of=as_of,
                                   confirmations=json.loads(application.confirmations))
    _, walk = published.form.walk(outcome.answers, as_of)
    preview = None
    with _storage().reader() as db:
        required = documents(db, application, outcome)
        events = db.scalars(select(CaseEvent).where(CaseEvent.application_id == application.id)
                            .order_by(CaseEvent.at, CaseEvent.id)).all()
        notes = db.scalars(select(CaseNote).where(CaseNote.application_id == application.id)
                           .order_by(CaseNote.at, CaseNote.id)).all()
        names = staff_names(db, application.office_id)
        team = db.get(Team, application.team_id) if application.team_id else None
        trail = []
        if current_user.role == "teamlead":
            trail = db.scalars(select(AuditEvent).where(AuditEvent.reference == application.reference,
                                                        AuditEvent.office_id == application.office_id)
                               .order_by(AuditEvent.id.desc()).limit(AUDIT_LIMIT)).all()
    wanted = request.args.get("vorschau", "")
    if wanted.isdigit():
        preview = next((f for r in required for f in r.files if f.id == int(wanted)), None)
        if preview is not None and preview.content_type not in PREVIEWABLE:
            preview = None
    on = today()
    age = age_days(application.submitted_at, on)
    target = current_user.office.target_days
    return render_template(
        "office/case.html", application=application, published=published, lock_version=application.lock_version,
        sections=answer_sections(published.form, outcome, walk, lang),
        computed=computed_values(published.form, outcome, lang),
        findings=findings(published.form, outcome, walk, application, lang),
        requirements=required, events=events, notes=notes, trail=trail, names=names, team=team,
        next_states=workflow.allowed(application.status, "staff"), label=workflow.label,
        age=age, target_days=target, over_target=application.status in workflow.OPEN_STATES and age > target,
        closed=application.status not in workflow.OPEN_STATES, error=error, note_error=note_error,
        note_text=note_text, note_limit=NOTE_LIMIT, preview=preview, me=current_user.account.id,
    ), status


# -- views ------------------------------------------------------------------------

@bp.get("/amt/faelle/<reference>")
@staff_required(*access.CASE_ROLES)
def case(reference: str):
    with _storage().session() as db:
        application = access.case_or_404(db, reference)
    return _case_page(application)


@bp.post("/amt/faelle/<reference>/status")
@staff_required(*access.CASE_ROLES)
def change_status(reference: str):
    """Move the case to another state (only what the workflow allows staff)."""
    version = posted_lock_version()
    to = request.form.get("to", "")[:30]
    comment = " ".join(request.form.get("comment", "").split())[:2000]
    try:
        with _storage().session() as db:
            application = access.case_or_404(db, reference, action=None)
            if version is None:
                raise workflow.WorkflowError("case_bad_version")
            if version != application.lock_version:  # the page was stale: say so before judging the move
                raise workflow.Conflict()
            workflow.transition(db, application, to, by="staff", actor=access.actor_text(),
                                expected_version=version, comment=comment)
    except workflow.Conflict:
        return _reload(reference, error="case_conflict", status=409)
    except workflow.WorkflowError as refused:
        return _reload(reference, error=refused.code, status=400)
    flash("case_status_changed")
    return redirect(url_for("office.case", reference=reference), 303)


def _reload(reference: str, **page):
    """The case page as it is now (after a refused change), audited as a view."""
    with _storage().session() as db:
        application = access.case_or_404(db, reference)
    return _case_page(application, **page)


@bp.post("/amt/faelle/<reference>/notizen")
@staff_required(*access.CASE_ROLES)
def add_note(reference: str):
    text = request.form.get("text", "").strip()
    if not text:
        return _reload(reference, note_error="case_note_empty", status=400)
    if len(text) > NOTE_LIMIT:
        return _reload(reference, note_error="case_note_too_long", note_text=text[:NOTE_LIMIT * 2], status=400)
    with _storage().session() as db:
        application = access.case_or_404(db, reference, action=None)
        staff = current_user.account
        note = CaseNote(application_id=application.id, staff_id=staff.id, author=staff.name[:200], text=text)
        db.add(note)
        db.flush()
        audit.record(db, "case.note", reference=application.reference, office_id=application.office_id,
                     detail={"note": note.id})
    flash("case_note_added")
    return redirect(url_for("office.case", reference=reference, _anchor="notizen"), 303)


def _document(reference: str, document_id: int, action: str) -> Document:
    """A document of a case in scope (404 otherwise), its access audited."""
    with _storage().session() as db:
        application = access.case_or_404(db, reference, action=None)
        document = db.scalar(select(Document).where(Document.id == document_id,
                                                    Document.application_id == application.id))
        if document is None:
            abort(404)
        audit.record(db, action, reference=application.reference, office_id=application.office_id,
                     detail={"document": document.id, "filename": document.filename, "sha256": document.sha256})
    return document


def _disposition(kind: str, filename: str) -> str:
    ascii_name = "".join(ch if ch.isascii() and ch.isprintable() and ch not in '"\\;' else "_" for ch in filename)
    return f"{kind}; filename=\"{ascii_name or 'dokument'}\"; filename*=UTF-8''{quote(filename, safe='')}"


@bp.get("/amt/faelle/<reference>/dokumente/<int:document_id>")
@staff_required(*access.CASE_ROLES)
def document(reference: str, document_id: int):
    """Download a document: as an attachment, as stored, and inert if opened."""
    found = _document(reference, document_id, "document.download")
    response = Response(found.content)
    response.headers["Content-Type"] = found.content_type
    response.headers["Content-Disposition"] = _disposition("attachment", found.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = DOWNLOAD_CSP
    return response


@bp.get("/amt/faelle/<reference>/dokumente/<int:document_id>/vorschau")
@staff_required(*access.CASE_ROLES)
def document_preview(reference: str, document_id: int):
    """A PDF or image shown inside the case page (framed by this site only, sandboxed)."""
    found = _document(reference, document_id, "document.preview")
    if found.content_type not in PREVIEWABLE:
        abort(404)
    response = Response(found.content)
    response.headers["Content-Type"] = found.content_type
    response.headers["Content-Disposition"] = _disposition("inline", found.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = PREVIEW_CSP
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response
