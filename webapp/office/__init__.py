"""The Jobcenter's side: intake and routing of submitted applications, the
caseworkers' inbox and case file (eAkte), document requests, decisions to
the applicant's mailbox, export, and the API for the office's own software.

Built on the engine's public API and the shared storage; it never imports
the applicant wizard's views (the wizard announces submissions by signal)."""

from __future__ import annotations

from flask import Blueprint, Flask

#: One blueprint for every office page, so each endpoint is "office.<name>"
#: (office.inbox, office.case, ...). Each view module adds its routes to it;
#: init_app imports every such module BEFORE registering it (Flask refuses
#: routes added after registration).
bp = Blueprint("office", __name__)


def init_app(app: Flask) -> None:
    from . import intake

    intake.init_app(app)
    from . import case, inbox  # the inbox and the case file (eAkte): routes on bp

    inbox.init_app(app)
    from . import api  # /api/v1 for the office's own software: its own blueprint

    api.init_app(app)
    from . import case_actions, decisions, export, requests  # requests, decisions, export: routes on bp

    case_actions.init_app(app)
    app.register_blueprint(bp)  # last: after every module that adds routes to it
