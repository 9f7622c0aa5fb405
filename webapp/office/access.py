"""Who may see which application: the one place that scopes every office
query (pages, files, exports and the API all go through it).

- Every member of staff sees only their own office's applications.
- A caseworker sees the applications of their team, and those assigned to
  them; a team lead sees all of the office's.
- Authors and admins work on forms and settings, not on cases (need to know,
  §35 SGB I): they see no case at all.
- An API token sees its office's applications.

A case outside one's scope is answered with 404, never 403, so its
existence does not leak."""

from __future__ import annotations

from flask import abort, g
from flask_login import current_user
from sqlalchemy import Select, or_, select

from ..accounts import audit
from ..storage import Application

#: roles that work on cases
CASE_ROLES = ("caseworker", "teamlead")


def scope(query: Select, *, staff=None, token=None) -> Select:
    """Restrict a query over :class:`Application` to what the actor may see.
    Defaults to the current request's API token or signed-in member of staff."""
    token = token if token is not None else (g.get("api_token") if staff is None else None)
    if token is not None:
        return query.where(Application.office_id == token.office_id)
    staff = staff if staff is not None else (current_user if current_user.is_authenticated else None)
    if staff is None or staff.role not in CASE_ROLES:
        return query.where(False)
    query = query.where(Application.office_id == staff.account.office_id)
    if staff.role == "caseworker":
        query = query.where(or_(Application.team_id == staff.account.team_id,
                                Application.assignee_id == staff.account.id))
    return query


def case_or_404(db, reference: str, *, action: str | None = "case.view", detail: dict | None = None) -> Application:
    """The application with ``reference`` if the actor may see it, else 404.
    Records ``action`` in the audit log (None: the caller records it)."""
    if not isinstance(reference, str) or not reference or len(reference) > 32:
        abort(404)
    application = db.scalar(scope(select(Application).where(Application.reference == reference)))
    if application is None:
        abort(404)
    if action:
        audit.record(db, action, reference=application.reference, office_id=application.office_id, detail=detail)
    return application


def actor_text() -> str:
    """The actor recorded on case events for the current request."""
    return audit.actor_of_request()[0]
