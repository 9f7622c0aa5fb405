"""Online appointments (Online-Termine): offices publish slots, applicants
book, move and cancel them, staff see the day's appointments.

- :mod:`.models` the tables (migration 0010), :mod:`.booking` the
  operations (capacity enforced by conditional UPDATEs), :mod:`.times`
  Europe/Berlin, :mod:`.ics` calendar files, :mod:`.mail` e-mails,
  :mod:`.presenting` what pages and e-mails say;
- :mod:`.applicant` the blueprint ``appointments`` (/termine),
  :mod:`.staff` the blueprint ``appointments_staff`` (/amt/termine)."""

from __future__ import annotations

from flask import Flask

from .. import i18n
from .texts import TEXTS


def init_app(app: Flask) -> None:
    from ..accounts import add_nav
    from . import applicant, staff

    i18n.register(TEXTS)
    app.register_blueprint(applicant.bp)
    app.register_blueprint(staff.bp)
    add_nav(app, "appointments_staff.day", "apt_nav", ("caseworker", "teamlead"))
    add_nav(app, "appointments_staff.slots", "apt_nav", ("admin",))
