"""Fuzzing every route with hypothesis (bounded): whatever the method, path
segments, query, form fields, cookies and headers, the app answers below 500
and never shows a traceback."""

import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import make_app
from tests.security.conftest import SLUG, fill, start

TEXT = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF, blacklist_categories=("Cs",)), max_size=40)
SEGMENT = st.one_of(TEXT, st.sampled_from(["..", "%00", "%2e%2e", "9" * 30, "-1", SLUG, "buergergeld", "kontakt", "allgemein",
                                          "FW-20260101-ABCDEF12", "x" * 300]))
ROUTES = [
    "/", "/formulare/{}", "/antrag/{}/neu", "/antrag/{}", "/antrag/{}/speichern", "/fortsetzen/{}",
    "/antrag/" + SLUG + "/seite/{}", "/antrag/{}/pruefen", "/antrag/{}/absenden", "/antrag/{}/eingang",
    "/antrag/{}/nachweise", "/eingang/{}", "/eingang/{}/bestaetigung.pdf", "/status", "/sitzung-beenden",
    "/barrierefreiheit", "/static/{}", "/{}",
]
FIELD_NAMES = st.one_of(TEXT, st.sampled_from(["action", "revision", "present", "confirm", "requirement", "reference", "token",
                                               "/anliegen/grund", "/kontakt/vorname", "/termin/ab_datum-jahr",
                                               "/haushalt/kinder/0/alter"]))
FIELD_VALUES = st.one_of(TEXT, st.sampled_from(["add:/haushalt/kinder", "remove:/haushalt/kinder/0", "delete:99999999999",
                                                "weiter", "speichern", "refresh", "true", "false", "sonstiges",
                                                "99999999999999999999", "-0", "1e400", "NaN"]))


@pytest.fixture(scope="module")
def fuzz_client():
    folder = Path(tempfile.mkdtemp(prefix="formwerk-fuzz-"))
    app = make_app(folder, RATE_LIMIT_FACTOR=0)
    client = app.test_client()
    token = start(client)
    fill(client, token)
    yield app, client, token
    app.extensions["formwerk.storage"].engine.dispose()


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(method=st.sampled_from(["GET", "POST", "POST", "POST", "HEAD", "PUT", "DELETE", "OPTIONS"]),
       route=st.sampled_from(ROUTES), segment=SEGMENT,
       query=st.dictionaries(FIELD_NAMES, FIELD_VALUES, max_size=3),
       fields=st.dictionaries(FIELD_NAMES, FIELD_VALUES, max_size=6),
       with_csrf=st.booleans(), htmx=st.booleans(),
       host=st.one_of(st.none(), st.sampled_from(["evil.test", "x" * 300, "[::1", "a b", "localhost:99999"])))
def test_no_route_answers_with_a_server_error(fuzz_client, method, route, segment, query, fields, with_csrf, htmx, host):
    app, client, token = fuzz_client
    from urllib.parse import quote

    path = route.format(quote(segment, safe="")) if "{}" in route else route
    data = dict(fields)
    if with_csrf:
        data["csrf_token"] = token
    headers = {"HX-Request": "true"} if htmx else {}
    if host:
        headers["Host"] = host
    response = client.open(path, method=method, query_string=query, data=data if method == "POST" else None, headers=headers)
    body = response.get_data(as_text=True)
    assert response.status_code < 500, (method, path, query, data, response.status_code)
    assert "Traceback" not in body and not re.search(r"File \"[^\"]+\.py\", line \d+", body)
    if not path.startswith("/static/"):
        assert response.headers.get("Cache-Control") == "no-store"
    response.close()
