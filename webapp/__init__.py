"""formwerk's web app: the Flask app factory.

``create_app(test_config)`` builds an app from embedded defaults (SQLite in the
instance folder, the bundled forms), overridden by ``test_config``. App servers
keep no state of their own: everything lives in the database.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import click
from flask import Flask
from flask_wtf.csrf import CSRFProtect

from . import config as _config
from .catalog import Catalog
from .drafts import Drafts
from .storage import Storage, upgrade

csrf = CSRFProtect()


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    instance = Path(app.instance_path)
    if test_config and "INSTANCE_PATH" in test_config:
        instance = Path(test_config["INSTANCE_PATH"])
    app.config.update(_config.defaults(instance))
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _config.secret_key(instance)

    storage = Storage(app.config["DATABASE_URL"])
    app.extensions["formwerk.storage"] = storage
    catalog = app.extensions["formwerk.catalog"] = Catalog(storage)
    app.extensions["formwerk.drafts"] = Drafts(storage, catalog, timedelta(days=app.config["DRAFT_LIFETIME_DAYS"]),
                                                max_bytes=app.config["MAX_DRAFT_BYTES"])
    csrf.init_app(app)

    from . import accounts, documents, errors, i18n, office, presentation, public, security, sessions, wizard

    sessions.init_app(app)  # server-side sessions in the database (webapp/sessions.py)
    from . import purge

    purge.init_app(app)  # `flask --app webapp purge`
    i18n.init_app(app)
    accounts.init_app(app)
    office.init_app(app)
    from . import studio

    studio.init_app(app)  # the form authors' studio at /studio (webapp/studio)
    from . import admin  # the office's administration (/amt/verwaltung)

    admin.init_app(app)
    presentation.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    app.register_blueprint(public.bp)
    app.register_blueprint(wizard.bp)
    app.register_blueprint(documents.bp)
    from . import mailbox  # the applicant's case page and mailbox

    app.register_blueprint(mailbox.bp)
    from . import appointments  # online appointments: /termine and /amt/termine

    appointments.init_app(app)

    @app.cli.command("init-db")
    def init_db() -> None:
        """Apply migrations and publish the bundled forms."""
        upgrade(storage.engine)
        published = app.extensions["formwerk.catalog"].publish_bundled(Path(app.config["FORMS_DIR"]))
        for row, created in published:
            click.echo(f"{'published' if created else 'up to date'}: {row.slug} {row.version}")
        demo = accounts.ensure_demo_office(storage)
        if demo is not None:
            click.echo(f"created the demo office {demo.slug!r} ({demo.name}); create the first admin with:\n"
                       f"  .venv/bin/flask --app webapp staff add --role admin --office {demo.slug} "
                       f"--email you@example.org --name 'Your Name'")

    return app
