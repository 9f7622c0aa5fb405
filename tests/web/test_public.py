"""Start page, form overview, language switch, error pages, security headers."""

from tests.conftest import FORMS
from webapp import create_app


def test_start_page_lists_the_published_forms_in_german_by_default(client):
    page = client.get("/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<html lang="de">' in html
    assert "Terminanfrage" in html and 'href="/formulare/terminanfrage"' in html
    assert 'href="/?lang=en"' in html


def test_language_switch_is_remembered(client):
    html = client.get("/?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in html and "Appointment request" in html
    html = client.get("/formulare/terminanfrage").get_data(as_text=True)
    assert '<html lang="en">' in html and "Your preferred appointment" in html
    assert 'href="/formulare/terminanfrage?lang=de"' in html


def test_unknown_language_falls_back_to_german(client):
    assert '<html lang="de">' in client.get("/?lang=xx").get_data(as_text=True)


def test_form_overview_lists_its_sections(client):
    html = client.get("/formulare/terminanfrage").get_data(as_text=True)
    for title in ("Ihr Anliegen", "Ihr Terminwunsch", "Unterstützung", "Ihre Kontaktdaten"):
        assert title in html


def test_unknown_form_and_page_are_404_pages(client):
    for url in ("/formulare/nope", "/nothing-here"):
        page = client.get(url)
        assert page.status_code == 404
        assert "Seite nicht gefunden" in page.get_data(as_text=True)


def test_security_headers_forbid_inline_scripts_and_framing(client):
    headers = client.get("/").headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_post_without_csrf_token_is_a_clear_400_not_a_500(client):
    page = client.post("/", data={"x": "1"})
    assert page.status_code in (400, 405)
    assert "Traceback" not in page.get_data(as_text=True)


def test_secret_key_is_generated_once_per_instance_and_not_shared(tmp_path):
    a = create_app({"INSTANCE_PATH": str(tmp_path / "a"), "DATABASE_URL": "sqlite://"})
    a2 = create_app({"INSTANCE_PATH": str(tmp_path / "a"), "DATABASE_URL": "sqlite://"})
    b = create_app({"INSTANCE_PATH": str(tmp_path / "b"), "DATABASE_URL": "sqlite://"})
    assert a.config["SECRET_KEY"] == a2.config["SECRET_KEY"] != b.config["SECRET_KEY"]
    assert len(a.config["SECRET_KEY"]) >= 48
    assert (tmp_path / "a" / "secret_key").stat().st_mode & 0o777 == 0o600


def test_init_db_migrates_and_publishes_idempotently(tmp_path):
    app = create_app({"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
                      "SECRET_KEY": "t"})
    runner = app.test_cli_runner()
    first = runner.invoke(args=["init-db"])
    assert first.exit_code == 0 and "published: terminanfrage" in first.output
    second = runner.invoke(args=["init-db"])
    assert second.exit_code == 0 and "up to date: terminanfrage" in second.output
    bundled = sorted(p.name for p in FORMS.iterdir() if (p / "form.json").exists())
    assert [p.slug for p in app.extensions["formwerk.catalog"].current()] == bundled
    app.extensions["formwerk.storage"].engine.dispose()
