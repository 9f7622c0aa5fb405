"""Shared fixtures: an app on a throwaway SQLite database with the bundled
forms published, and its test client (Flask's tutorial pattern)."""

from pathlib import Path

import pytest

from webapp import create_app
from webapp.storage import upgrade

ROOT = Path(__file__).resolve().parents[1]
FORMS = ROOT / "forms"


def pytest_sessionstart(session):
    """Compile the gettext catalogs when missing or stale (``make setup`` does
    it too), so a test run never sees German where English is expected."""
    from webapp import i18n

    i18n.compile_catalogs()


def make_app(tmp_path: Path, **overrides):
    instance = tmp_path / "instance"
    app = create_app({
        "TESTING": True,
        "INSTANCE_PATH": str(instance),
        "DATABASE_URL": f"sqlite:///{instance / 'test.db'}",
        "SECRET_KEY": "test-only-secret",
        "SESSION_COOKIE_SECURE": False,
        "FORMS_DIR": str(FORMS),
        **overrides,
    })
    storage = app.extensions["formwerk.storage"]
    upgrade(storage.engine)
    app.extensions["formwerk.catalog"].publish_bundled(FORMS)
    return app


@pytest.fixture
def app(tmp_path):
    app = make_app(tmp_path)
    yield app
    app.extensions["formwerk.storage"].engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


from tests.staff import offices  # noqa: E402,F401  (fixture: two offices with staff of every role)
