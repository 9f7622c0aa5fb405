"""The audit log of staff and API access to social data (§35 SGB I).

Every view of a case, every download and every change calls :func:`record`
inside the same transaction as the change (or right after a read), so an
access is never without its entry. Rows are append-only (database triggers)."""

from __future__ import annotations

import json
from typing import Any

from flask import g, has_request_context, request
from flask_login import current_user

from .models import AuditEvent


def actor_of_request() -> tuple[str, int | None, int | None]:
    """(actor text, staff id, office id) of whoever makes the current request."""
    token = g.get("api_token") if has_request_context() else None
    if token is not None:
        return f"api:{token.id} {token.name}", None, token.office_id
    if not has_request_context():
        return "cli", None, None
    if getattr(current_user, "is_authenticated", False):
        staff = current_user.account
        return f"staff:{staff.id} {staff.email}", staff.id, staff.office_id
    if request.path.startswith("/amt/"):
        return "anonymous", None, None  # e.g. a failed sign-in: nobody is signed in yet
    return "applicant", None, None


def record(db, action: str, *, reference: str | None = None, office_id: int | None = None,
           detail: dict[str, Any] | None = None) -> AuditEvent:
    """Append one audit event to the session ``db`` (committed with it)."""
    actor, staff_id, actor_office = actor_of_request()
    ip = (request.remote_addr or "")[:64] if has_request_context() else "cli"
    event = AuditEvent(office_id=office_id if office_id is not None else actor_office, staff_id=staff_id,
                       actor=actor[:300], action=action, reference=reference,
                       detail=json.dumps(detail or {}, ensure_ascii=False, default=str), ip=ip)
    db.add(event)
    return event
