"""The form authors' studio (issue 14): forms as versions in the database,
edited, explained, previewed, tested, compared and published under the
four-eyes principle. Blueprint ``studio`` at /studio (``views.py``); the
engine does every check (``engine.explain``, ``engine.diff``,
``engine.cases``, ``engine.lint``), nothing here re-decides relevance."""

from __future__ import annotations

from flask import Flask

from .. import i18n
from .texts import TEXTS


def init_app(app: Flask) -> None:
    from .. import accounts
    from . import models  # noqa: F401  (the draft notices' table)
    from . import views
    from .migrate import pending_notice

    i18n.register(TEXTS)
    app.register_blueprint(views.bp)
    accounts.add_nav(app, "studio.index", "nav_studio", ("author", "teamlead"))

    @app.template_global()
    def studio_draft_notice(draft) -> dict | None:
        """What changed since an author moved this applicant draft to a newer
        version (shown once, on the task list)."""
        return pending_notice(app.extensions["formwerk.storage"], draft.id, i18n.language())
