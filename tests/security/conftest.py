"""Fixtures of the hostile-input layer: an app with the bundled forms and an
applicant who has filled in a complete Terminanfrage, ready to send."""

import re

import pytest

from tests.conftest import make_app

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
SLUG = "terminanfrage"
#: every free-text question of the Terminanfrage and the answers that make it apply
FREE_TEXT = {
    "/anliegen/beschreibung": ("anliegen", {"/anliegen/grund": "sonstiges"}),
    "/unterstuetzung/sprache": ("unterstuetzung", {"/unterstuetzung/bedarf": "true", "/unterstuetzung/arten": "dolmetschen",
                                                   "present": "/unterstuetzung/arten"}),
    "/kontakt/vorname": ("kontakt", {}),
    "/kontakt/nachname": ("kontakt", {}),
}


def csrf(client, url=f"/formulare/{SLUG}"):
    return CSRF.search(client.get(url).get_data(as_text=True)).group(1)


def start(client, slug=SLUG):
    token = csrf(client, f"/formulare/{slug}")
    assert client.post(f"/antrag/{slug}/neu", data={"csrf_token": token}).status_code == 302
    return token


def post(client, token, section, action="weiter", slug=SLUG, **answers):
    return client.post(f"/antrag/{slug}/seite/{section}", data={"csrf_token": token, "action": action, **answers})


def fill(client, token, text="Ana Beispiel", **extra):
    """Answer every section of the Terminanfrage (free texts set to ``text``)."""
    post(client, token, "anliegen", **{"/anliegen/grund": "sonstiges"})
    post(client, token, "anliegen", **{"/anliegen/grund": "sonstiges", "/anliegen/beschreibung": text})
    post(client, token, "termin", **{"/termin/kanal": "vor_ort"})
    post(client, token, "termin", **{"/termin/kanal": "vor_ort", "/termin/standort": "nord", "/termin/zeitfenster": "vormittag",
                                     "present": "/termin/zeitfenster"})
    post(client, token, "unterstuetzung", **FREE_TEXT["/unterstuetzung/sprache"][1])
    post(client, token, "unterstuetzung", **FREE_TEXT["/unterstuetzung/sprache"][1], **{"/unterstuetzung/sprache": text})
    return post(client, token, "kontakt", **{"/kontakt/vorname": text, "/kontakt/nachname": text,
                                             "/kontakt/einwilligung": "true", "present": "/kontakt/einwilligung"})


def send(client, token):
    sent = client.post(f"/antrag/{SLUG}/absenden", data={"csrf_token": token})
    assert sent.status_code == 302 and sent.headers["Location"].startswith("/eingang/FW-"), sent.headers.get("Location")
    return sent.headers["Location"].rsplit("/", 1)[1]


@pytest.fixture
def app(tmp_path):
    app = make_app(tmp_path)
    yield app
    app.extensions["formwerk.storage"].engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def applicant(client):
    """(client, csrf token) with a fresh Terminanfrage draft."""
    return client, start(client)
