"""Staff accounts shared by every staff part of the app (the office, the
studio, the administration): offices as tenants, roles, sign-in with an
optional second factor, the audit log, and the ``staff``/``office`` CLI.

Each staff part registers its entry in the staff navigation with
:func:`add_nav`; nothing here imports the parts."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from .. import i18n
from .models import ROLES, ApiToken, AuditEvent, Office, PostcodeArea, StaffUser, Team, TeamRange
from .texts import TEXTS

__all__ = ["ROLES", "ApiToken", "AuditEvent", "Office", "PostcodeArea", "StaffUser", "Team", "TeamRange",
           "add_nav", "init_app", "ensure_demo_office"]


def add_nav(app: Flask, endpoint: str, text_key: str, roles: tuple[str, ...]) -> None:
    """Show ``endpoint`` in the staff navigation to the given roles."""
    app.extensions.setdefault("formwerk.staff_nav", []).append((endpoint, text_key, roles))


def init_app(app: Flask) -> None:
    from . import views
    from .auth import login_manager, require_second_factor
    from .cli import office_cli, staff_cli

    i18n.register(TEXTS)
    login_manager.init_app(app)
    app.before_request(require_second_factor)
    app.register_blueprint(views.bp)
    app.cli.add_command(staff_cli)
    app.cli.add_command(office_cli)
    app.extensions.setdefault("formwerk.staff_nav", [])

    @app.context_processor
    def staff_nav():
        return {"staff_nav_items": app.extensions["formwerk.staff_nav"]}


def ensure_demo_office(storage) -> Office | None:
    """On a fresh installation, a demo office "Jobcenter Musterstadt" that
    receives every application (fallback), with two teams A–K and L–Z.
    Returns the office when it was created."""
    from .cli import DEFAULT_LEGAL_REMEDY

    with storage.session() as db:
        if db.scalar(select(func.count()).select_from(Office)):
            return None
        office = Office(slug="musterstadt", name="Jobcenter Musterstadt",
                        letterhead="Jobcenter Musterstadt\nMusterstraße 1\n12345 Musterstadt",
                        legal_remedy=DEFAULT_LEGAL_REMEDY, target_days=21, is_fallback=True, mfa_required=False)
        db.add(office)
        db.flush()
        for name, first, last in (("Team A–K", "A", "K"), ("Team L–Z", "L", "Z")):
            team = Team(office_id=office.id, name=name)
            db.add(team)
            db.flush()
            db.add(TeamRange(team_id=team.id, first=first, last=last))
        return office
