"""Two tabs or devices on one draft, submissions whose response is lost, and
a shared PC's session that sends many applications."""

import json
import re

import pytest
from sqlalchemy import select

from tests.security.conftest import SLUG, fill, post, send, start
from webapp import sessions
from webapp.storage import Application, Draft


def revision(client, section):
    return re.search(r'name="revision" value="(\d+)"', client.get(f"/antrag/{SLUG}/seite/{section}").get_data(as_text=True)).group(1)


def stored(app):
    with app.extensions["formwerk.storage"].reader() as db:
        return json.loads(db.scalars(select(Draft.answers)).one())


def test_the_tab_that_saves_second_is_told_and_overwrites_nothing(applicant, app):
    client, token = applicant
    post(client, token, "kontakt", **{"/kontakt/vorname": "Ana"})
    tab_a = revision(client, "kontakt")
    tab_b = revision(client, "kontakt")
    saved = client.post(f"/antrag/{SLUG}/seite/kontakt", data={"csrf_token": token, "action": "speichern", "revision": tab_a,
                                                                "/kontakt/vorname": "Ana", "/kontakt/nachname": "Muster"})
    assert saved.status_code == 302
    lost = client.post(f"/antrag/{SLUG}/seite/kontakt", data={"csrf_token": token, "action": "weiter", "revision": tab_b,
                                                               "/kontakt/vorname": "Anna"})
    html = lost.get_data(as_text=True)
    assert lost.status_code == 409 and "in einem anderen Fenster oder auf einem anderen Gerät geändert" in html
    assert 'value="Muster"' in html  # the page now shows what was saved
    assert stored(app)["kontakt"] == {"vorname": "Ana", "nachname": "Muster"}
    fresh = re.search(r'name="revision" value="(\d+)"', html).group(1)
    again = client.post(f"/antrag/{SLUG}/seite/kontakt", data={"csrf_token": token, "action": "speichern", "revision": fresh,
                                                                "/kontakt/vorname": "Anna", "/kontakt/nachname": "Muster"})
    assert again.status_code == 302 and stored(app)["kontakt"]["vorname"] == "Anna"


def test_a_stale_htmx_update_gets_the_saved_fields_and_a_visible_message(applicant, app):
    client, token = applicant
    stale = revision(client, "anliegen")
    post(client, token, "anliegen", **{"/anliegen/grund": "beratung"})
    fragment = client.post(f"/antrag/{SLUG}/seite/anliegen", headers={"HX-Request": "true"},
                           data={"csrf_token": token, "action": "refresh", "revision": stale, "/anliegen/grund": "sonstiges"})
    html = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and html.lstrip().startswith('<div id="fields">')
    assert 'role="alert"' in html and "anderen Gerät geändert" in html
    assert stored(app) == {"anliegen": {"grund": "beratung"}}


def test_a_save_racing_between_read_and_write_is_refused(applicant, app):
    """The revision check is in the UPDATE itself: a copy read before another
    save cannot be written, even when the page check passed."""
    from webapp.drafts import Conflict

    client, _ = applicant
    drafts = app.extensions["formwerk.drafts"]
    first = drafts.open(_token_of(app, client))
    second = drafts.open(_token_of(app, client))
    first.answers = {"anliegen": {"grund": "beratung"}}
    drafts.save(first)
    second.answers = {"anliegen": {"grund": "erstantrag"}}
    with pytest.raises(Conflict):
        drafts.save(second)
    assert stored(app) == {"anliegen": {"grund": "beratung"}}


def _token_of(app, client):
    with app.extensions["formwerk.storage"].reader() as db:
        data = json.loads(db.scalars(select(sessions.WebSession.data)).one())
    return data["drafts"][SLUG]


def test_a_lost_submission_response_leads_to_the_receipt_with_a_fresh_code(applicant, app):
    client, token = applicant
    fill(client, token)
    # the submission commits, but the response (and with it the session update) never arrives
    with app.extensions["formwerk.storage"].reader() as db:
        before = db.scalars(select(sessions.WebSession.data)).one()
    reference = send(client, token)
    with app.extensions["formwerk.storage"].session() as db:
        db.scalars(select(sessions.WebSession)).one().data = before
    retry = client.post(f"/antrag/{SLUG}/absenden", data={"csrf_token": token}, follow_redirects=True)
    html = retry.get_data(as_text=True)
    assert retry.status_code == 200 and reference in html and "neuer Zugangscode" in html
    code = re.findall(r'<code class="hash">([^<]+)</code>', html)[1]
    found = client.post("/status", data={"csrf_token": token, "reference": reference, "token": code})
    assert found.status_code == 200 and "Eingegangen" in found.get_data(as_text=True)
    with app.extensions["formwerk.storage"].reader() as db:
        assert len(db.scalars(select(Application)).all()) == 1


def test_a_shared_pc_session_stays_small_after_many_submissions(app):
    client = app.test_client()
    references = []
    for _ in range(12):
        token = start(client)
        fill(client, token)
        references.append(send(client, token))
    with app.extensions["formwerk.storage"].reader() as db:
        data = json.loads(db.scalars(select(sessions.WebSession.data)).one())
    assert list(data["receipts"]) == references[-10:]
    assert client.get(f"/eingang/{references[-1]}").status_code == 200
    assert client.get(f"/eingang/{references[0]}").status_code == 404  # forgotten here; the code on paper still works


def test_a_tabs_own_live_update_is_no_conflict_for_its_next_post(applicant, app):
    """"Weiter" pressed while the tab's own htmx update is still in flight
    carries the older revision, but the same editor: it is saved."""
    client, token = applicant
    html = client.get(f"/antrag/{SLUG}/seite/anliegen").get_data(as_text=True)
    revision_ = re.search(r'name="revision" value="(\d+)"', html).group(1)
    editor = re.search(r'name="editor" value="([^"]+)"', html).group(1)
    live = client.post(f"/antrag/{SLUG}/seite/anliegen", headers={"HX-Request": "true"},
                       data={"csrf_token": token, "action": "refresh", "revision": revision_, "editor": editor,
                             "/anliegen/grund": "beratung"})
    assert live.status_code == 200
    native = client.post(f"/antrag/{SLUG}/seite/anliegen", data={"csrf_token": token, "action": "weiter",
                                                                  "revision": revision_, "editor": editor,
                                                                  "/anliegen/grund": "erstantrag"})
    assert native.status_code == 302 and stored(app) == {"anliegen": {"grund": "erstantrag"}}
