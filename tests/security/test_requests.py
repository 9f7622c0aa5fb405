"""Hostile requests: CSRF variants, method tampering, path traversal, NUL
bytes and out-of-range numbers in paths and fields, malformed Host headers,
open redirects through the language switch, caching, HTTPS behind a proxy,
and rate limits."""

import re

import pytest

from tests.conftest import make_app
from tests.security.conftest import SLUG, csrf, fill, post, send, start

ROUTES = ["/", f"/formulare/{SLUG}", f"/antrag/{SLUG}", f"/antrag/{SLUG}/seite/anliegen", f"/antrag/{SLUG}/pruefen",
          f"/antrag/{SLUG}/nachweise", f"/antrag/{SLUG}/speichern", "/status", "/barrierefreiheit"]
POSTS = [f"/antrag/{SLUG}/neu", f"/antrag/{SLUG}/seite/anliegen", f"/antrag/{SLUG}/pruefen", f"/antrag/{SLUG}/absenden",
         f"/antrag/{SLUG}/nachweise", "/status", "/sitzung-beenden"]


@pytest.mark.parametrize("url", POSTS)
@pytest.mark.parametrize("variant", ["missing", "garbage", "other_session", "in_query", "in_header_only"])
def test_state_changing_posts_need_this_sessions_csrf_token(app, applicant, url, variant):
    client, token = applicant
    other = app.test_client()
    foreign = csrf(other)
    data, kwargs = {"action": "weiter", "/anliegen/grund": "erstantrag"}, {}
    if variant == "garbage":
        data["csrf_token"] = "x" * 90
    elif variant == "other_session":
        data["csrf_token"] = foreign
    elif variant == "in_query":
        url = f"{url}?csrf_token={token}"
    elif variant == "in_header_only":
        kwargs["headers"] = {"X-CSRFToken": foreign}
    page = client.post(url, data=data, **kwargs)
    assert page.status_code == 400 and "Die Anfrage konnte nicht verarbeitet werden" in page.get_data(as_text=True)


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "TRACE", "PROPFIND"])
@pytest.mark.parametrize("url", ROUTES)
def test_other_methods_are_405_pages(applicant, method, url):
    client, _ = applicant
    page = client.open(url, method=method)
    assert page.status_code == 405 and "Traceback" not in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store" and "Content-Security-Policy" in page.headers


@pytest.mark.parametrize("url", [
    "/static/../webapp/__init__.py", "/static/..%2f..%2fpyproject.toml", "/static/%2e%2e/%2e%2e/instance/secret_key",
    "/antrag/..%2f..%2fetc%2fpasswd", f"/antrag/{SLUG}/seite/..%2f..%2fpruefen", "/fortsetzen/..%2f..%2fstatus",
    "/eingang/..%2F..%2Finstance%2Fformwerk.db/bestaetigung.pdf", "/%5cevil.test",
])
def test_path_traversal_finds_nothing(applicant, url):
    client, _ = applicant
    page = client.get(url)
    assert page.status_code in (302, 404), url
    body = page.get_data()
    assert b"SECRET" not in body and b"[project]" not in body and b"SQLite format" not in body and b"root:" not in body


@pytest.mark.parametrize("url", [
    "/formulare/%00", f"/antrag/{SLUG}%00/seite/anliegen", "/eingang/FW%00/bestaetigung.pdf", "/fortsetzen/%00abc",
    "/?lang=%00", "/status?x=%01", "/formulare/" + "9" * 400, "/eingang/" + "9" * 40,
])
def test_nul_bytes_and_absurd_values_in_paths_are_clear_4xx(applicant, url):
    client, _ = applicant
    page = client.get(url)
    assert 400 <= page.status_code < 500 and "Traceback" not in page.get_data(as_text=True)


@pytest.mark.parametrize("fields", [
    {"reference": "FW-1\x00", "token": "x"}, {"reference": "9" * 5000, "token": "9" * 5000},
    {"reference": "' OR 1=1 --", "token": "' OR 1=1 --"},
])
def test_status_lookup_with_hostile_fields(applicant, fields):
    client, token = applicant
    page = client.post("/status", data={"csrf_token": token, **fields})
    assert page.status_code in (400, 404) and "Traceback" not in page.get_data(as_text=True)


@pytest.mark.parametrize("action", ["delete:99999999999999999999", "delete:-1", "delete:1e9", "delete:\u0661"])
def test_out_of_range_ids_in_fields_are_harmless(app, action):
    client = app.test_client()
    token = start(client, "buergergeld")
    page = client.post("/antrag/buergergeld/nachweise", data={"csrf_token": token, "action": action})
    assert page.status_code == 302


@pytest.mark.parametrize("host", ["x" * 300, "a b", "exa\tmple", "[::1", "evil.test:99999", "ä.de", ""])
def test_malformed_host_headers_get_a_page_with_security_headers(client, host):
    page = client.get("/", headers={"Host": host})
    assert page.status_code in (200, 400)
    assert "Content-Security-Policy" in page.headers and page.headers["Cache-Control"] == "no-store"
    assert "Traceback" not in page.get_data(as_text=True)


def test_untrusted_hosts_are_refused_when_configured(tmp_path):
    app = make_app(tmp_path, TRUSTED_HOSTS=["antrag.example.de"])
    client = app.test_client()
    assert client.get("/", headers={"Host": "antrag.example.de"}).status_code == 200
    refused = client.get("/", headers={"Host": "evil.test"})
    assert refused.status_code == 400 and "Content-Security-Policy" in refused.headers
    app.extensions["formwerk.storage"].engine.dispose()


def test_resume_links_use_the_public_url_not_the_host_header(tmp_path):
    app = make_app(tmp_path, PUBLIC_URL="https://antrag.example.de")
    client = app.test_client()
    token = start(client)
    post(client, token, "anliegen", action="speichern", **{"/anliegen/grund": "beratung"})
    client.set_cookie("session", client.get_cookie("session").value, domain="evil.test")
    html = client.get(f"/antrag/{SLUG}/speichern", headers={"Host": "evil.test"}).get_data(as_text=True)
    assert "https://antrag.example.de/fortsetzen/" in html and "evil.test" not in html
    app.extensions["formwerk.storage"].engine.dispose()


@pytest.mark.parametrize("path", ["/%5Cevil.test", "/%5C%5Cevil.test/x", "/\\evil.test", "/%2F%2Fevil.test"])
def test_the_language_switch_stays_on_this_origin(client, path):
    html = client.get(path).get_data(as_text=True)
    href = re.search(r'class="lang-switch" href="([^"]+)"', html).group(1)
    assert href.startswith("/") and not href.startswith("//") and "\\" not in href


@pytest.mark.parametrize("page", ["section", "review", "saved", "receipt", "status", "pdf", "start"])
def test_pages_with_personal_data_are_never_cached(applicant, page):
    client, token = applicant
    fill(client, token)
    if page in ("receipt", "status", "pdf"):
        reference = send(client, token)
    url = {"section": f"/antrag/{SLUG}/seite/kontakt", "review": f"/antrag/{SLUG}/pruefen", "saved": f"/antrag/{SLUG}/speichern",
           "start": "/"}.get(page)
    if page == "receipt":
        url = f"/eingang/{reference}"
    elif page == "pdf":
        url = f"/eingang/{reference}/bestaetigung.pdf"
    response = client.get(url) if page != "status" else client.post("/status", data={"csrf_token": token, "reference": reference,
                                                                                    "token": "x"})
    assert response.headers["Cache-Control"] == "no-store"


def test_static_assets_may_be_cached(client):
    with client.get("/static/formwerk.css") as page:
        assert page.status_code == 200 and page.headers.get("Cache-Control") != "no-store"


def test_htmx_fragments_are_never_cached(applicant):
    client, token = applicant
    fragment = client.post(f"/antrag/{SLUG}/seite/anliegen", headers={"HX-Request": "true"},
                           data={"csrf_token": token, "action": "refresh", "/anliegen/grund": "sonstiges"})
    assert fragment.headers["Cache-Control"] == "no-store"


def test_https_behind_a_proxy_gets_hsts_and_secure_links(tmp_path):
    app = make_app(tmp_path, PROXY_COUNT=1)
    client = app.test_client()
    page = client.get("/", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
    assert page.headers["Strict-Transport-Security"].startswith("max-age=")
    plain = client.get("/")
    assert "Strict-Transport-Security" not in plain.headers
    app.extensions["formwerk.storage"].engine.dispose()


def test_without_proxy_config_forwarded_headers_are_ignored(client):
    page = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in page.headers


@pytest.mark.parametrize("scope,request_", [
    ("draft_create", lambda c, t: c.post(f"/antrag/{SLUG}/neu", data={"csrf_token": t})),
    ("status", lambda c, t: c.post("/status", data={"csrf_token": t, "reference": "FW-1", "token": "x"})),
    ("resume", lambda c, t: c.get("/fortsetzen/unknown-token")),
])
def test_rate_limits_answer_429_with_retry_after(app, scope, request_):
    app.config["RATE_LIMITS"] = {scope: (3, 600)}
    client = app.test_client()
    token = csrf(client)
    statuses = [request_(client, token).status_code for _ in range(5)]
    assert 429 not in statuses[:3] and statuses[3:] == [429, 429]
    limited = request_(client, token)
    assert int(limited.headers["Retry-After"]) > 0 and "Zu viele Anfragen" in limited.get_data(as_text=True)


def test_rate_limits_are_per_client_and_shared_between_processes(tmp_path):
    """Two app instances (two processes' worth) on one database share the counters."""
    first = make_app(tmp_path, RATE_LIMITS={"resume": (2, 600)})
    second = make_app(tmp_path, RATE_LIMITS={"resume": (2, 600)})
    a, b = first.test_client(), second.test_client()
    assert a.get("/fortsetzen/x").status_code == 404
    assert b.get("/fortsetzen/x").status_code == 404
    assert a.get("/fortsetzen/x").status_code == 429
    other = b.get("/fortsetzen/x", environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert other.status_code == 404
    for app in (first, second):
        app.extensions["formwerk.storage"].engine.dispose()


def _saved_page(app, host):
    client = app.test_client()
    token = start(client)
    post(client, token, "anliegen", action="speichern", **{"/anliegen/grund": "beratung"})
    client.set_cookie("session", client.get_cookie("session").value, domain=host)
    return client.get(f"/antrag/{SLUG}/speichern", headers={"Host": host}).get_data(as_text=True)


def test_without_a_public_url_a_production_server_never_puts_the_host_header_into_resume_links(tmp_path, caplog):
    """Neither FORMWERK_PUBLIC_URL nor FORMWERK_TRUSTED_HOSTS, not in testing:
    a warning at start-up, and the link shown is relative (the browser
    resolves it against the origin it really uses)."""
    import logging

    with caplog.at_level(logging.WARNING, logger="formwerk.security"):
        app = make_app(tmp_path, TESTING=False, DEBUG=False, PUBLIC_URL=None, TRUSTED_HOSTS=None)
    assert any("FORMWERK_PUBLIC_URL is not set" in r.getMessage() for r in caplog.records)
    html = _saved_page(app, "evil.test")
    link = re.search(r'<p class="resume-link"><a href="([^"]+)"', html).group(1)
    assert link.startswith("/fortsetzen/") and "evil.test" not in html
    app.extensions["formwerk.storage"].engine.dispose()


def test_with_trusted_hosts_the_link_uses_the_admitted_host(tmp_path, caplog):
    import logging

    with caplog.at_level(logging.WARNING, logger="formwerk.security"):
        app = make_app(tmp_path, TESTING=False, DEBUG=False, PUBLIC_URL=None, TRUSTED_HOSTS=["antrag.example.de", "localhost"])
    assert any("FORMWERK_TRUSTED_HOSTS limits" in r.getMessage() for r in caplog.records)
    html = _saved_page(app, "antrag.example.de")
    assert "http://antrag.example.de/fortsetzen/" in html
    app.extensions["formwerk.storage"].engine.dispose()


def test_no_warning_with_a_public_url_or_in_tests(tmp_path, caplog):
    import logging

    with caplog.at_level(logging.WARNING, logger="formwerk.security"):
        first = make_app(tmp_path / "a", TESTING=False, DEBUG=False, PUBLIC_URL="https://antrag.example.de")
        second = make_app(tmp_path / "b")
    assert not [r for r in caplog.records if r.name == "formwerk.security"]
    for app in (first, second):
        app.extensions["formwerk.storage"].engine.dispose()
