"""Server-side sessions: the cookie carries only a random id, the data lives
in the database, "Sitzung beenden" deletes it, rotation invalidates the old id."""

import re

from flask import session
from sqlalchemy import select

from webapp import sessions
from webapp.sessions import WebSession

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def cookie(client):
    found = client.get_cookie("session")
    return found.value if found else None


def start(client):
    token = CSRF.search(client.get("/formulare/terminanfrage").get_data(as_text=True)).group(1)
    client.post("/antrag/terminanfrage/neu", data={"csrf_token": token})
    return token


def test_cookie_is_an_opaque_id_and_the_data_is_on_the_server(client, app):
    start(client)
    value = cookie(client)
    assert value and len(value) >= 43 and "." not in value  # no signed payload, only an id
    with app.extensions["formwerk.storage"].reader() as db:
        rows = db.scalars(select(WebSession)).all()
    assert len(rows) == 1 and value not in rows[0].id_hash  # only its hash is stored
    assert "drafts" in rows[0].data


def test_ending_the_session_deletes_it_and_a_replayed_cookie_finds_nothing(client, app):
    token = start(client)
    old = cookie(client)
    client.post("/sitzung-beenden", data={"csrf_token": token})
    assert cookie(client) != old
    replay = app.test_client()
    replay.set_cookie("session", old)
    assert replay.get("/antrag/terminanfrage").status_code == 302  # the draft is not reachable any more
    assert "Sitzung beenden" not in replay.get("/").get_data(as_text=True)


def test_rotate_gives_a_new_id_and_keeps_the_data(app):
    @app.get("/_rotate")
    def _rotate():
        sessions.rotate()
        return "ok"

    client = app.test_client()
    start(client)
    old = cookie(client)
    client.get("/_rotate")
    new = cookie(client)
    assert new and new != old
    assert client.get("/antrag/terminanfrage").status_code == 200  # same data under the new id
    replay = app.test_client()
    replay.set_cookie("session", old)
    assert replay.get("/antrag/terminanfrage").status_code == 302


def test_oversize_sessions_are_not_stored(app):
    @app.get("/_grow")
    def _grow():
        session["big"] = "x" * (app.config["SESSION_MAX_BYTES"] + 1)
        return "ok"

    client = app.test_client()
    client.get("/_grow")
    assert sessions.count(app.extensions["formwerk.storage"]) == 0


def test_garbage_cookies_are_ignored(client):
    for value in ("", "x" * 500, "ä", "a.b.c"):
        client.set_cookie("session", value)
        assert client.get("/").status_code == 200
