"""A case as one ZIP for the Fachverfahren or the records system:

- ``antrag.json``: form slug, version and content hash, the answers as
  submitted, findings and confirmations, the case's key facts, status
  history, document requests and mailbox messages;
- ``antrag.pdf``: the application as PDF (the receipt's layout);
- ``dokumente/``: every file of the case; ``bescheide/``: every decision letter;
- ``protokoll.json``: the case's audit log (this export included);
- ``manifest.json``: size and SHA-256 of every other file.

The export itself is audited before the log is written into the ZIP."""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from datetime import datetime

from flask import Response, current_app
from sqlalchemy import select

from ..accounts.models import AuditEvent
from ..accounts.auth import staff_required
from ..presentation import review_rows
from ..receipt_pdf import render as render_application
from ..storage import Document, utcnow
from . import access, bp, case_actions, loop
from .models import CaseEvent, Decision, MailboxMessage


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(name: str) -> str:
    """A file name that stays inside its folder of the ZIP."""
    cleaned = _UNSAFE.sub("_", name).strip("._") or "datei"
    return cleaned[:120]


def _iso(moment) -> str | None:
    return moment.isoformat() if moment is not None else None


def _dumps(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False, default=str).encode("utf-8")


def build(db, application) -> bytes:
    """The ZIP of one case (read inside ``db``)."""
    published = case_actions.published_of(application)
    outcome = case_actions.outcome_of(application, published)
    files: list[tuple[str, bytes]] = []
    requests = loop.requests_of(db, application.id)
    decisions = db.scalars(select(Decision).where(Decision.application_id == application.id).order_by(Decision.id)).all()
    events = db.scalars(select(CaseEvent).where(CaseEvent.application_id == application.id)
                        .order_by(CaseEvent.at, CaseEvent.id)).all()
    messages = db.scalars(select(MailboxMessage).where(MailboxMessage.application_id == application.id)
                          .order_by(MailboxMessage.id)).all()
    documents = db.scalars(select(Document).where(Document.application_id == application.id).order_by(Document.id)).all()
    record = {
        "reference": application.reference,
        "form": {"slug": published.slug, "version": published.version, "content_hash": published.content_hash},
        "submitted_at": _iso(application.submitted_at),
        "data_hash": application.data_hash,
        "status": application.status,
        "applicant": application.applicant_name,
        "household_size": application.household_size,
        "estimate": str(application.estimate) if application.estimate is not None else None,
        "complete_on_arrival": application.complete,
        "answers": json.loads(application.answers),
        "findings": json.loads(application.findings),
        "confirmations": json.loads(application.confirmations),
        "documents_required": [d.to_json() for d in outcome.documents],
        "documents": [{"file": f"dokumente/{d.id}-{safe_name(d.filename)}", "requirement": d.requirement,
                       "request": d.request_id, "content_type": d.content_type, "size": d.size, "sha256": d.sha256,
                       "uploaded_at": _iso(d.uploaded_at)} for d in documents],
        "history": [{"at": _iso(e.at), "actor": e.actor, "from": e.from_status, "to": e.to_status,
                     "comment": e.comment} for e in events],
        "requests": [{"id": v.request.id, "created_at": _iso(v.request.created_at),
                      "deadline": v.request.deadline.isoformat(), "status": v.request.status,
                      "answered_at": _iso(v.request.answered_at), "message": v.request.message,
                      "items": [{"key": i.key, "title": i.title, "files": [f.id for f in i.files]} for i in v.items]}
                     for v in reversed(requests)],
        "decisions": [{"id": d.id, "file": f"bescheide/bescheid-{d.id}.pdf", "at": _iso(d.at), "by": d.decided_by,
                       "outcome": d.outcome,
                       "monthly_amount": str(d.monthly_amount) if d.monthly_amount is not None else None,
                       "period_from": _iso(d.period_from), "period_to": _iso(d.period_to), "reasons": d.reasons,
                       "sha256": d.letter_sha256} for d in decisions],
        "mailbox": [{"at": _iso(m.at), "kind": m.kind, "subject": m.subject, "decision": m.decision_id,
                     "request": m.request_id, "first_opened_at": _iso(m.first_opened_at)} for m in messages],
    }
    files.append(("antrag.json", _dumps(record)))
    sections = [s for s in published.form.sections if any(s.contains(p) for p in outcome.relevant)]
    files.append(("antrag.pdf", render_application(application, published,
                                                   review_rows(published.form, outcome, sections, "de"), "de")))
    files += [(f"dokumente/{d.id}-{safe_name(d.filename)}", d.content) for d in documents]
    files += [(f"bescheide/bescheid-{d.id}.pdf", d.letter) for d in decisions]
    db.flush()  # the export's own audit entry belongs to the log
    log = db.scalars(select(AuditEvent).where(AuditEvent.reference == application.reference,
                                              AuditEvent.office_id == application.office_id)
                     .order_by(AuditEvent.id)).all()
    files.append(("protokoll.json", _dumps([{"id": e.id, "at": _iso(e.at), "actor": e.actor, "action": e.action,
                                             "detail": json.loads(e.detail or "{}"), "ip": e.ip} for e in log])))
    manifest = {"reference": application.reference, "created_at": _iso(utcnow()),
                "files": [{"path": path, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
                          for path, data in files]}
    buffer = io.BytesIO()
    stamp = datetime.now().timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, data in [*files, ("manifest.json", _dumps(manifest))]:
            info = zipfile.ZipInfo(path, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


@bp.get("/amt/faelle/<reference>/export.zip")
@staff_required(*access.CASE_ROLES)
def export_case(reference: str):
    storage = current_app.extensions["formwerk.storage"]
    with storage.session() as db:
        application = access.case_or_404(db, reference, action="case.export")
        body = build(db, application)
    return Response(body, mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="Akte-{application.reference}.zip"',
        "Cache-Control": "no-store",
        "Content-Security-Policy": "default-src 'none'; sandbox",
    })
