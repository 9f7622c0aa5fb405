"""The audit log of the office for team leads and admins: filter by date,
actor, action and reference, page through it (newest first, keyset by id),
and export the filtered events as CSV or JSON. Only the viewer's own
office's events, always; an export is itself recorded."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, time, timedelta, timezone

from flask import Response, abort, render_template, request, stream_with_context
from sqlalchemy import Select, select

from ..accounts import audit as audit_trail
from ..accounts.auth import staff_required
from ..accounts.models import AuditEvent, Office
from ..storage import utcnow
from . import bp
from .common import errors, office_id, storage
from .forms import AuditFilterForm

PAGE = 50
ROLES = ("teamlead", "admin")
COLUMNS = ("id", "at", "actor", "action", "reference", "ip", "detail")


def _like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filters() -> tuple[AuditFilterForm, Select]:
    """The filter form (from the query string) and the query it selects;
    aborts with the page and 400 when a filter is invalid."""
    form = AuditFilterForm(request.args)
    if not form.validate():
        abort(Response(render_template("admin/audit.html", form=form, events=[], errors=errors(form),
                                       older=None, args={}, paged=False), status=400))
    query = select(AuditEvent).where(AuditEvent.office_id == office_id())
    if form.von.data:
        query = query.where(AuditEvent.at >= datetime.combine(form.von.data, time(), timezone.utc))
    if form.bis.data:
        query = query.where(AuditEvent.at < datetime.combine(form.bis.data + timedelta(days=1), time(), timezone.utc))
    if form.wer.data:
        query = query.where(AuditEvent.actor.ilike(f"%{_like(form.wer.data)}%", escape="\\"))
    if form.aktion.data:
        query = query.where(AuditEvent.action.like(f"{_like(form.aktion.data)}%", escape="\\"))
    if form.aktenzeichen.data:
        query = query.where(AuditEvent.reference == form.aktenzeichen.data.upper())
    return form, query


def _filter_args(form: AuditFilterForm) -> dict[str, str]:
    return {field.name: (field.data.isoformat() if hasattr(field.data, "isoformat") else field.data)
            for field in form if field.data}


@bp.get("/protokoll")
@staff_required(*ROLES)
def audit():
    form, query = _filters()
    before = request.args.get("vor", "")
    if before:
        if not before.isdigit() or len(before) > 18:
            abort(400)
        query = query.where(AuditEvent.id < int(before))
    with storage().reader() as db:
        events = db.scalars(query.order_by(AuditEvent.id.desc()).limit(PAGE + 1)).all()
    older = events[PAGE - 1].id if len(events) > PAGE else None
    return render_template("admin/audit.html", form=form, events=events[:PAGE], errors=[], older=older,
                           args=_filter_args(form), paged=bool(before))


def _at(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat()


def _safe_cell(value: str) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas: quote them."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _export(kind: str):
    form, query = _filters()
    with storage().session() as db:
        office = db.get(Office, office_id())
        audit_trail.record(db, "audit.export", office_id=office_id(), detail={"format": kind, **_filter_args(form)})
    name = f"protokoll-{office.slug}-{utcnow():%Y%m%d-%H%M%S}.{kind}"
    query = query.order_by(AuditEvent.id)

    def rows():
        with storage().reader() as db:
            for event in db.scalars(query.execution_options(yield_per=500)):
                yield {"id": event.id, "at": _at(event.at), "actor": event.actor, "action": event.action,
                       "reference": event.reference or "", "ip": event.ip, "detail": event.detail}

    def as_csv():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(COLUMNS)
        for row in rows():
            writer.writerow([_safe_cell(str(row[c])) for c in COLUMNS])
            if buffer.tell() > 64 * 1024:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    def as_json():
        yield "["
        first = True
        for row in rows():
            try:
                row["detail"] = json.loads(row["detail"])
            except ValueError:
                pass
            yield ("" if first else ",") + "\n" + json.dumps(row, ensure_ascii=False)
            first = False
        yield "\n]\n"

    body = as_csv() if kind == "csv" else as_json()
    mimetype = "text/csv" if kind == "csv" else "application/json"
    return Response(stream_with_context(body), mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/protokoll.csv")
@staff_required(*ROLES)
def audit_csv():
    return _export("csv")


@bp.get("/protokoll.json")
@staff_required(*ROLES)
def audit_json():
    return _export("json")
