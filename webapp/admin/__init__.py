"""The administration of an office (``/amt/verwaltung``, role admin): staff
accounts, teams and their surname ranges, postcode areas, office settings,
reason templates, API tokens; and the audit log (admins and team leads).

Everything is scoped to the signed-in admin's own office: another office's
account, team, area, template or token answers 404, as if it did not exist."""

from __future__ import annotations

from flask import Blueprint, Flask

from .. import i18n
from .texts import TEXTS

#: One blueprint; each view module adds its routes before init_app registers it.
bp = Blueprint("admin", __name__, url_prefix="/amt/verwaltung")


def init_app(app: Flask) -> None:
    from ..accounts import add_nav
    from . import audit_log, common, organisation, settings, staff, tokens  # noqa: F401  (routes on bp)

    i18n.register(TEXTS)
    app.register_blueprint(bp)
    add_nav(app, "admin.index", "nav_admin", ("admin",))
    add_nav(app, "admin.audit", "adm_audit", ("teamlead",))
