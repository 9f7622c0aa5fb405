"""Two tabs on one draft: saves of different answers are merged pointer by
pointer (also on the same page), relevance is worked out again on the merged
answers, and only changes of the same answers to different values conflict."""

import html
import json
import re

import pytest
from sqlalchemy import select

from tests.security.conftest import SLUG, post, start
from webapp.drafts import changed_since, fingerprint, merge, page_base, parse_base
from webapp.storage import Draft


class Tab:
    """One browser tab: the hidden fields of the page it loaded."""

    def __init__(self, client, token, section, slug=SLUG):
        self.client, self.token, self.section, self.slug = client, token, section, slug
        self.page = page = client.get(f"/antrag/{slug}/seite/{section}").get_data(as_text=True)
        self.hidden = {name: html.unescape(re.search(rf'name="{name}" value="([^"]*)"', page).group(1))
                       for name in ("revision", "editor", "base")}

    def post(self, action="weiter", htmx=False, **answers):
        return self.client.post(f"/antrag/{self.slug}/seite/{self.section}", headers={"HX-Request": "true"} if htmx else {},
                                data={"csrf_token": self.token, "action": action, **self.hidden, **answers})


def stored(app):
    with app.extensions["formwerk.storage"].reader() as db:
        return json.loads(db.scalars(select(Draft.answers)).one())


KONTAKT = {"/kontakt/vorname": "Ana", "/kontakt/nachname": "Muster"}


@pytest.fixture
def applicant(client):
    token = start(client)
    post(client, token, "anliegen", **{"/anliegen/grund": "beratung"})
    post(client, token, "kontakt", **KONTAKT)
    return client, token


def test_two_tabs_saving_different_sections_both_keep_their_answers(app, applicant):
    client, token = applicant
    tab_a, tab_b = Tab(client, token, "anliegen"), Tab(client, token, "termin")
    assert tab_b.post(**{"/termin/kanal": "telefon"}).status_code == 200  # new questions appeared: shown first
    saved = tab_a.post(**{"/anliegen/grund": "erstantrag"})
    assert saved.status_code == 302, saved.get_data(as_text=True)[:500]
    answers = stored(app)
    assert answers["anliegen"] == {"grund": "erstantrag"} and answers["termin"]["kanal"] == "telefon"
    assert answers["kontakt"] == {"vorname": "Ana", "nachname": "Muster"}


def test_two_tabs_changing_different_answers_of_one_page_are_merged(app, applicant):
    client, token = applicant
    tab_a, tab_b = Tab(client, token, "kontakt"), Tab(client, token, "kontakt")
    assert tab_b.post(**{**KONTAKT, "/kontakt/nachname": "Musterfrau"}).status_code in (200, 302)
    saved = tab_a.post(**{**KONTAKT, "/kontakt/vorname": "Anna"})  # shows the old surname, unchanged here
    assert saved.status_code in (200, 302) and saved.status_code != 409
    assert stored(app)["kontakt"] == {"vorname": "Anna", "nachname": "Musterfrau"}


def test_the_same_answer_changed_in_two_tabs_conflicts_and_names_it(app, applicant):
    client, token = applicant
    tab_a, tab_b = Tab(client, token, "kontakt"), Tab(client, token, "kontakt")
    tab_b.post(**{**KONTAKT, "/kontakt/vorname": "Anne"})
    lost = tab_a.post(**{**KONTAKT, "/kontakt/vorname": "Anna", "/kontakt/nachname": "Meier"})
    page = lost.get_data(as_text=True)
    assert lost.status_code == 409 and "in einem anderen Fenster oder auf einem anderen Gerät geändert" in page
    assert "dieselben Angaben geändert" in page and "› Vorname</li>" in page and "› Nachname</li>" not in page
    assert 'value="Anne"' in page  # the page shows what was saved
    assert stored(app)["kontakt"] == {"vorname": "Anne", "nachname": "Muster"}  # nothing of the losing post
    again = Tab(client, token, "kontakt").post(**{**KONTAKT, "/kontakt/vorname": "Anna"})
    assert again.status_code in (200, 302) and stored(app)["kontakt"]["vorname"] == "Anna"


def test_the_same_change_in_two_tabs_is_no_conflict(app, applicant):
    client, token = applicant
    tab_a, tab_b = Tab(client, token, "kontakt"), Tab(client, token, "kontakt")
    tab_b.post(**{**KONTAKT, "/kontakt/vorname": "Anna"})
    assert tab_a.post(**{**KONTAKT, "/kontakt/vorname": "Anna"}).status_code in (200, 302)
    assert stored(app)["kontakt"]["vorname"] == "Anna"


def test_relevance_is_worked_out_again_on_the_merged_answers(app, applicant):
    """Tab B switches the channel to the telephone; tab A, still showing the
    in-person questions, picks a location. Relevance is decided on the merged
    answers: the location no longer applies and is not taken, and the page
    that comes back asks what applies now (the phone number)."""
    client, token = applicant
    post(client, token, "termin", **{"/termin/kanal": "vor_ort"})
    tab_a, tab_b = Tab(client, token, "termin"), Tab(client, token, "termin")
    tab_b.post(**{"/termin/kanal": "telefon", "/termin/zeitfenster": "vormittag", "present": "/termin/zeitfenster"})
    merged = tab_a.post(**{"/termin/kanal": "vor_ort", "/termin/standort": "nord"})
    page = merged.get_data(as_text=True)
    assert merged.status_code == 200 and 'name="/termin/rufnummer"' in page and 'name="/termin/standort"' not in page
    termin = stored(app)["termin"]
    assert termin["kanal"] == "telefon" and termin["zeitfenster"] == ["vormittag"]
    assert "standort" not in termin  # an answer to a question that no longer applies is never stored


def test_a_stale_live_update_is_merged_too(app, applicant):
    client, token = applicant
    tab_a, tab_b = Tab(client, token, "anliegen"), Tab(client, token, "kontakt")
    tab_b.post(**{**KONTAKT, "/kontakt/nachname": "Musterfrau"})
    fragment = tab_a.post(action="refresh", htmx=True, **{"/anliegen/grund": "sonstiges"})
    text = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and 'role="alert"' not in text
    assert stored(app)["anliegen"]["grund"] == "sonstiges" and stored(app)["kontakt"]["nachname"] == "Musterfrau"
    fresh = re.search(r'name="revision" value="(\d+)"', text).group(1)
    assert int(fresh) == int(tab_a.hidden["revision"]) + 2  # the fragment carries the merged revision


def test_a_stale_post_without_its_base_still_conflicts(app, applicant):
    client, token = applicant
    tab_a, tab_b = Tab(client, token, "anliegen"), Tab(client, token, "kontakt")
    tab_b.post(**{**KONTAKT, "/kontakt/nachname": "X"})
    tab_a.hidden["base"] = "kaputt"
    assert tab_a.post(**{"/anliegen/grund": "erstantrag"}).status_code == 409
    assert stored(app)["anliegen"] == {"grund": "beratung"}


# -- posts that do not say which revision they show ------------------------------------------


@pytest.mark.parametrize("revision", [None, "", "abc", "-1", "1.0", "9" * 12])
def test_a_post_without_a_valid_revision_is_merged_and_never_overwrites_another_tabs_save(app, applicant, revision):
    """A broken or hostile client that drops or garbles the revision is a
    page of unknown age: merged against the fingerprint it carries, like any
    stale page, so the other tab's saved answer stays and a clash is refused."""
    client, token = applicant
    tab_a, tab_b = Tab(client, token, "kontakt"), Tab(client, token, "kontakt")
    tab_b.post(**{**KONTAKT, "/kontakt/nachname": "Musterfrau"})
    if revision is None:
        del tab_a.hidden["revision"]
    else:
        tab_a.hidden["revision"] = revision
    clash = tab_a.post(**{**KONTAKT, "/kontakt/vorname": "Anna", "/kontakt/nachname": "Meier"})
    assert clash.status_code == 409 and "› Nachname</li>" in clash.get_data(as_text=True)
    assert stored(app)["kontakt"] == {"vorname": "Ana", "nachname": "Musterfrau"}  # nothing of the clashing post
    merged = tab_a.post(**{**KONTAKT, "/kontakt/vorname": "Anna"})  # shows the old surname, unchanged here
    assert merged.status_code in (200, 302) and merged.status_code != 409
    assert stored(app)["kontakt"] == {"vorname": "Anna", "nachname": "Musterfrau"}


def test_a_post_without_any_hidden_field_cannot_change_what_another_tab_saved(app, applicant):
    """Without revision, editor and fingerprint the page is taken to have
    shown nothing (the oldest safe base): new answers are taken, a change of
    an answer another tab saved is refused with the out-of-date message, and
    adding entries by position to a list that has some is refused."""
    client, token = applicant
    Tab(client, token, "kontakt").post(**{**KONTAKT, "/kontakt/vorname": "Anne"})
    bare = client.post(f"/antrag/{SLUG}/seite/kontakt", data={"csrf_token": token, "action": "weiter",
                                                              **KONTAKT, "/kontakt/vorname": "Anna"})
    page = bare.get_data(as_text=True)
    assert bare.status_code == 409 and "anderen Gerät geändert" in page and "› Vorname</li>" in page
    assert stored(app)["kontakt"]["vorname"] == "Anne"
    Tab(client, token, "anliegen").post(**{"/anliegen/grund": "beratung"})
    taken = client.post(f"/antrag/{SLUG}/seite/termin", data={"csrf_token": token, "action": "weiter",
                                                              "/termin/kanal": "telefon"})
    assert taken.status_code in (200, 302) and stored(app)["termin"]["kanal"] == "telefon"  # not answered before
    again = client.post(f"/antrag/{SLUG}/seite/termin", data={"csrf_token": token, "action": "weiter",
                                                              "/termin/kanal": "vor_ort"})
    assert again.status_code in (200, 302) and stored(app)["termin"]["kanal"] == "vor_ort"  # its own save: no conflict


def test_a_bare_post_cannot_add_entries_to_a_list_another_tab_changed(app, client):
    token = _buergergeld_tabs(app, client)
    Tab(client, token, "person", "buergergeld").post(**{"/person/vorname": "Petra"})
    refused = client.post("/antrag/buergergeld/seite/haushalt", data={"csrf_token": token, "action": "add:/haushalt/kinder"})
    assert refused.status_code == 409 and "anderen Gerät geändert" in refused.get_data(as_text=True)
    assert len(stored(app)["haushalt"]["kinder"]) == 2


def test_confirmations_without_a_revision_are_refused_after_another_tabs_save(app, applicant):
    client, token = applicant
    Tab(client, token, "kontakt").post(**{**KONTAKT, "/kontakt/vorname": "Anne"})
    sent = client.post(f"/antrag/{SLUG}/pruefen", data={"csrf_token": token, "editor": "x" * 16})
    assert sent.status_code == 302
    assert "in einem anderen Fenster" in client.get(f"/antrag/{SLUG}/pruefen").get_data(as_text=True)


# -- the merge itself ----------------------------------------------------------------------


def test_merge_takes_only_this_tabs_changes():
    shown = {"a": {"x": "1", "y": "2", "z": "3"}}
    base = json.loads(page_base(shown, ["/a/x", "/a/y", "/a/z", "/a/w"]))
    current = {"a": {"x": "1", "y": "20", "z": "30", "w": "new"}}
    mine, clashes = merge(current, base, {"/a/x": "10", "/a/y": "2", "/a/z": "31", "/a/w": "mine"})
    assert mine == {"/a/x": "10"} and sorted(clashes) == ["/a/w", "/a/z"]
    assert merge(current, base, {"/a/z": "30"}) == ({"/a/z": "30"}, [])
    assert fingerprint(None) == fingerprint("") == fingerprint([])


def test_lists_changed_elsewhere_are_detected():
    shown = {"kinder": [{"name": "Mia"}]}
    base = json.loads(page_base(shown, ["/kinder", "/kinder/0/name"]))
    assert not changed_since(shown, base, "/kinder")
    assert changed_since({"kinder": [{"name": "Mia"}, {}]}, base, "/kinder")


@pytest.mark.parametrize("text", [None, "", "[]", "{\"a\": 1}", "{\"a\": \"short\"}", "x" * 300_000, "{" * 50])
def test_a_malformed_base_is_ignored(text):
    assert parse_base(text) is None


def _buergergeld_tabs(app, client):
    """A complete Bürgergeld draft with two children."""
    from pathlib import Path

    from webapp.drafts import dumps

    token = start(client, "buergergeld")
    case = Path(__file__).resolve().parents[2] / "forms/buergergeld/cases/02_paar_mit_kindern_10_und_17.json"
    with app.extensions["formwerk.storage"].session() as db:
        db.scalars(select(Draft)).one().answers = dumps(json.loads(case.read_text(encoding="utf-8"))["answers"])
    return token


def test_adding_an_entry_merges_unless_the_list_changed_in_the_other_tab(app, client):
    token = _buergergeld_tabs(app, client)
    tab_a, tab_b = Tab(client, token, "haushalt", "buergergeld"), Tab(client, token, "haushalt", "buergergeld")
    tab_c = Tab(client, token, "person", "buergergeld")
    assert 'value="remove:/haushalt/kinder/1"' in tab_b.page
    tab_c.post(**{"/person/vorname": "Petra"})  # another section: no reason to refuse
    added = tab_a.post(action="add:/haushalt/kinder")
    assert added.status_code == 302
    answers = stored(app)
    assert len(answers["haushalt"]["kinder"]) == 3 and answers["person"]["vorname"] == "Petra"
    removed = tab_b.post(action="remove:/haushalt/kinder/1")  # its page still shows two children
    assert removed.status_code == 409 and "anderen Gerät geändert" in removed.get_data(as_text=True)
    assert len(stored(app)["haushalt"]["kinder"]) == 3


def test_a_live_update_meeting_changes_on_its_own_page_reloads_it(app, applicant):
    """htmx keeps every input as it is (hx-preserve), so a swapped fragment
    would go on showing the other tab's answers as they were: the page is
    reloaded instead, showing the merged answers."""
    client, token = applicant
    tab_a, tab_b = Tab(client, token, "kontakt"), Tab(client, token, "kontakt")
    tab_b.post(**{**KONTAKT, "/kontakt/nachname": "Musterfrau"})
    live = tab_a.post(action="refresh", htmx=True, **{**KONTAKT, "/kontakt/vorname": "Anna"})
    assert live.status_code == 200 and live.headers.get("HX-Refresh") == "true"
    assert stored(app)["kontakt"] == {"vorname": "Anna", "nachname": "Musterfrau"}
    page = client.get(f"/antrag/{SLUG}/seite/kontakt").get_data(as_text=True)
    assert 'value="Anna"' in page and 'value="Musterfrau"' in page and 'role="alert"' not in page


def test_a_live_update_clashing_with_another_tab_reloads_with_the_message(app, applicant):
    client, token = applicant
    tab_a, tab_b = Tab(client, token, "kontakt"), Tab(client, token, "kontakt")
    tab_b.post(**{**KONTAKT, "/kontakt/vorname": "Anne"})
    live = tab_a.post(action="refresh", htmx=True, **{**KONTAKT, "/kontakt/vorname": "Anna"})
    assert live.headers.get("HX-Refresh") == "true" and stored(app)["kontakt"]["vorname"] == "Anne"
    page = client.get(f"/antrag/{SLUG}/seite/kontakt").get_data(as_text=True)
    assert 'role="alert"' in page and "anderen Gerät geändert" in page and 'value="Anne"' in page
    again = client.get(f"/antrag/{SLUG}/seite/kontakt").get_data(as_text=True)
    assert "anderen Gerät geändert" not in again  # the notice is shown once


# -- the same stale page posted again ------------------------------------------------------


@pytest.mark.parametrize("hidden", [True, False])
def test_a_stale_page_posted_twice_never_writes_back_what_it_did_not_show(app, applicant, hidden):
    """Tab B's page is older than tab A's save: its post is merged (tab A's
    first name stays). The very same post again (a resent request, a script,
    a saved copy of the page) must be merged again, not pass as tab B's own
    next post and write back the empty first name its page showed."""
    client, token = applicant
    tab_a, tab_b = Tab(client, token, "kontakt"), Tab(client, token, "kontakt")
    tab_a.post(**{**KONTAKT, "/kontakt/vorname": "Anna"})
    shown = dict(KONTAKT)  # the first name as tab B's page showed it ("Ana")
    if not hidden:  # a client that sends none of the page's hidden fields, nor the first name
        tab_b.hidden, shown = {}, {"/kontakt/nachname": "Muster"}
    for _ in range(2):
        sent = tab_b.post(**shown)
        assert sent.status_code in (200, 302)
        assert stored(app)["kontakt"] == {"vorname": "Anna", "nachname": "Muster"}


@pytest.mark.parametrize("other_tab", [True, False])
def test_a_replayed_removal_removes_one_entry_only(app, client, other_tab):
    """"Entfernen" sent twice from the same page (a resent request) removes
    one entry: the second post's page shows a list that is no longer so."""
    token = _buergergeld_tabs(app, client)
    tab = Tab(client, token, "haushalt", "buergergeld")
    if other_tab:
        Tab(client, token, "person", "buergergeld").post(**{"/person/vorname": "Petra"})  # another tab saves
    assert tab.post(action="remove:/haushalt/kinder/0").status_code == 302
    assert len(stored(app)["haushalt"]["kinder"]) == 1
    again = tab.post(action="remove:/haushalt/kinder/0")
    assert again.status_code == 409 and len(stored(app)["haushalt"]["kinder"]) == 1


@pytest.mark.parametrize("revision", ["²", "١٢", "1\n", " 1"])
def test_a_revision_in_other_digits_is_malformed_not_an_error(app, applicant, revision):
    client, token = applicant
    tab_a, tab_b = Tab(client, token, "kontakt"), Tab(client, token, "kontakt")
    tab_b.post(**{**KONTAKT, "/kontakt/nachname": "Musterfrau"})
    tab_a.hidden["revision"] = revision
    merged = tab_a.post(**{**KONTAKT, "/kontakt/vorname": "Anna"})
    assert merged.status_code in (200, 302)
    assert stored(app)["kontakt"] == {"vorname": "Anna", "nachname": "Musterfrau"}
    for page in (f"/antrag/{SLUG}/pruefen", f"/antrag/{SLUG}/absenden"):
        answered = client.post(page, data={"csrf_token": token, "revision": revision, "editor": "y" * 16})
        assert answered.status_code < 500
