"""The caseworkers' inbox: scoping between offices and teams, every filter,
the sort orders with keyset pages, "assign to me" with its optimistic lock,
the htmx fragment, and refusals of bad input (a message, never a 500)."""

import json
import re
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.staff import FORMS, csrf_token, first_valid_case, login, submit
from webapp.accounts.models import AuditEvent
from webapp.office import inbox as inbox_module
from webapp.office import search
from webapp.storage import Application, Draft, FormVersion

TODAY = date(2026, 11, 24)
REFERENCE = re.compile(r"FW-T\d{5}")


def make_cases(app, rows):
    """Insert applications directly (fast): each row a dict of Application
    fields; ``office``/``team`` are ids. Returns the references in order."""
    storage = app.extensions["formwerk.storage"]
    references = []
    with storage.session() as db:
        version = db.scalar(select(FormVersion.id).where(FormVersion.slug == "buergergeld"))
        start = db.scalar(select(func.count()).select_from(Application)) or 0
        for i, row in enumerate(rows, start):
            draft = Draft(form_version_id=version, token_hash=f"{i:064d}", expires_at=datetime.now(timezone.utc),
                          submitted=True)
            db.add(draft)
            db.flush()
            reference = row.pop("reference", f"FW-T{i:05d}")
            name = row.pop("name", f"Muster{i}, Erika")
            fields = dict(reference=reference, draft_id=draft.id, form_version_id=version, answers="{}",
                          findings="[]", confirmations="[]", data_hash="0" * 64, status_token_hash=f"{i:064x}",
                          status="eingegangen", applicant_name=name, search_text=f"{reference} {name}".lower(),
                          submitted_at=datetime(2026, 11, 20, 9, tzinfo=timezone.utc) + timedelta(minutes=i),
                          lock_version=0, household_size=1)
            fields.update(row)
            application = Application(**fields)
            db.add(application)
            db.flush()
            search.index(db, application.id, name)
            references.append(reference)
    return references


@pytest.fixture
def staff_client(app, offices):
    app.config["FORMWERK_TODAY"] = TODAY

    def signed_in(key):
        client = app.test_client()
        assert login(client, offices.email[key]).status_code == 302
        return client
    return signed_in


def listed(response) -> list[str]:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return REFERENCE.findall(response.get_data(as_text=True).split('id="inbox-results"', 1)[-1])


def unique(refs):
    return list(dict.fromkeys(refs))


def test_inbox_is_in_the_navigation_and_needs_a_case_role(app, client, offices, staff_client):
    assert client.get("/amt/faelle").status_code == 302  # anonymous: to sign-in
    for key in ("author_a", "admin_a", "author_b", "admin_b"):
        assert staff_client(key).get("/amt/faelle").status_code == 403
    page = staff_client("caseworker_a").get("/amt/faelle")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'href="/amt/faelle" aria-current="page">Posteingang' in text
    assert "Keine Anträge passen zu diesen Filtern." in text


def test_each_sees_only_their_office_and_team(app, offices, staff_client):
    nord_ak, nord_lz, sued = offices.team[("nord", "A-K")], offices.team[("nord", "L-Z")], offices.team[("sued", "A-Z")]
    refs = make_cases(app, [
        {"office_id": offices.office["nord"], "team_id": nord_ak},
        {"office_id": offices.office["nord"], "team_id": nord_lz},
        {"office_id": offices.office["nord"], "team_id": nord_lz, "assignee_id": offices.staff["caseworker_a"]},
        {"office_id": offices.office["sued"], "team_id": sued},
    ])
    seen = {key: set(unique(listed(staff_client(key).get("/amt/faelle"))))
            for key in ("caseworker_a", "caseworker_a2", "teamlead_a", "caseworker_b", "teamlead_b")}
    assert seen["caseworker_a"] == {refs[0], refs[2]}  # own team, and assigned to them
    assert seen["caseworker_a2"] == {refs[1], refs[2]}
    assert seen["teamlead_a"] == {refs[0], refs[1], refs[2]}
    assert seen["caseworker_b"] == seen["teamlead_b"] == {refs[3]}
    # a search for another office's reference finds nothing
    assert listed(staff_client("caseworker_b").get(f"/amt/faelle?q={refs[0]}&status=alle")) == []


def test_filters(app, offices, staff_client):
    nord, team = offices.office["nord"], offices.team[("nord", "A-K")]
    me = offices.staff["teamlead_a"]
    refs = make_cases(app, [
        {"office_id": nord, "team_id": team, "complete": True, "name": "Albers, Jana"},                 # 0
        {"office_id": nord, "team_id": team, "confirmed_warnings": 2, "name": "Becker, Ali"},            # 1
        {"office_id": nord, "team_id": team, "missing_documents": 3, "assignee_id": me},                 # 2
        {"office_id": nord, "team_id": team, "request_deadline": TODAY - timedelta(days=1),
         "status": "unterlagen_nachgefordert"},                                                           # 3 overdue
        {"office_id": nord, "team_id": team, "request_deadline": TODAY, "status": "unterlagen_nachgefordert"},  # 4
        {"office_id": nord, "team_id": team, "status": "abgeschlossen",
         "submitted_at": datetime(2026, 9, 1, tzinfo=timezone.utc)},                                      # 5 closed
        {"office_id": nord, "team_id": team, "submitted_at": datetime(2026, 10, 1, tzinfo=timezone.utc)},  # 6 old, open
    ])
    c = staff_client("teamlead_a")

    def get(query):
        return set(unique(listed(c.get("/amt/faelle?" + query))))

    assert get("") == set(refs) - {refs[5]}  # open cases by default
    assert get("status=alle") == set(refs)
    assert get("status=abgeschlossen") == {refs[5]}
    assert get("status=unterlagen_nachgefordert") == {refs[3], refs[4]}
    assert get("flag=complete") == {refs[0]}
    assert get("flag=warnings") == {refs[1]}
    assert get("flag=missing") == {refs[2]}
    assert get("flag=overdue") == {refs[3]}
    assert get("flag=over_target") == {refs[6]}  # 54 days > 21, and still open
    assert get("assignee=mine") == {refs[2]}
    assert get(f"assignee={me}") == {refs[2]}
    assert get("assignee=none") == set(refs) - {refs[2], refs[5]}
    assert get("status=alle&from=2026-10-01&to=2026-10-01") == {refs[6]}
    assert get("status=alle&to=2026-10-31") == {refs[5], refs[6]}
    assert get("q=albers") == {refs[0]}
    assert get("q=BECKER+ali") == {refs[1]}
    assert get(f"q={refs[4].lower()}") == {refs[4]}
    assert get("q=100%25") == set()  # LIKE wildcards are literal
    assert get("q=_") == set()


def test_flags_age_and_estimate_are_shown(app, offices, staff_client):
    nord, team = offices.office["nord"], offices.team[("nord", "A-K")]
    make_cases(app, [{"office_id": nord, "team_id": team, "complete": True, "estimate": Decimal("1173.5"),
                      "confirmed_warnings": 1, "missing_documents": 2, "household_size": 4,
                      "request_deadline": TODAY - timedelta(days=3),
                      "submitted_at": datetime(2026, 10, 20, tzinfo=timezone.utc)}])
    text = staff_client("caseworker_a").get("/amt/faelle").get_data(as_text=True)
    for expected in ("vollständig", "1 Hinweis(e) bestätigt", "2 Nachweis(e) fehlen", "Frist überschritten",
                     "1.173,50 €", "35 von 21 Tagen", "über Ziel", "Antrag auf Bürgergeld", "20.10.2026"):
        assert expected in text, expected


@pytest.mark.parametrize("sort", inbox_module.SORTS)
def test_keyset_pages_cover_every_row_once_in_order(app, offices, staff_client, sort):
    nord, team = offices.office["nord"], offices.team[("nord", "A-K")]
    states = list(inbox_module.workflow.OPEN_STATES)
    rows = [{"office_id": nord, "team_id": team, "status": states[i % len(states)], "complete": i % 3 == 0,
             "estimate": None if i % 7 == 0 else Decimal(500 + (i * 37) % 400),
             # ties on the sort key, so the id must break them
             "submitted_at": datetime(2026, 11, 1, tzinfo=timezone.utc) + timedelta(days=i % 5)}
            for i in range(inbox_module.PAGE_SIZE * 2 + 7)]
    refs = make_cases(app, rows)
    c = staff_client("teamlead_a")
    seen, url, pages = [], f"/amt/faelle?sort={sort}", 0
    while url:
        response = c.get(url)
        seen += unique(listed(response))
        pages += 1
        found = re.search(r'href="([^"]+)" rel="next"', response.get_data(as_text=True))
        url = found.group(1).replace("&amp;", "&") if found else None
    assert pages == 3
    assert sorted(seen) == sorted(refs)  # every row once
    with app.extensions["formwerk.storage"].reader() as db:
        stored = {a.reference: a for a in db.scalars(select(Application))}
    rank = {s: i for i, s in enumerate(inbox_module.workflow.STATES)}
    keys = {
        "received": lambda a: (-a.submitted_at.timestamp(), -a.id),
        "age": lambda a: (a.submitted_at.timestamp(), a.id),
        "quick": lambda a: (not a.complete, a.submitted_at.timestamp(), a.id),
        "status": lambda a: (rank[a.status], a.submitted_at.timestamp(), a.id),
        "estimate": lambda a: (a.estimate is None, -(a.estimate or 0), -a.id),
    }
    assert seen == sorted(seen, key=lambda r: keys[sort](stored[r]))


def test_page_links_keep_the_filters_and_a_forged_cursor_falls_back(app, offices, staff_client):
    nord, team = offices.office["nord"], offices.team[("nord", "A-K")]
    make_cases(app, [{"office_id": nord, "team_id": team, "complete": True} for _ in range(inbox_module.PAGE_SIZE + 1)])
    c = staff_client("teamlead_a")
    text = c.get("/amt/faelle?flag=complete&sort=age").get_data(as_text=True)
    link = re.search(r'href="([^"]+)" rel="next"', text).group(1)
    assert "flag=complete" in link and "sort=age" in link and "after=" in link
    second = c.get(link.replace("&amp;", "&"))
    assert len(unique(listed(second))) == 1
    assert "Zur ersten Seite" in second.get_data(as_text=True)
    for forged in ("xyz", "W10", "WyJ4Il0", "!!!", "eyJhIjoxfQ"):
        response = c.get(f"/amt/faelle?after={forged}")
        assert response.status_code == 200
        assert "Der Seitenverweis ist ungültig" in response.get_data(as_text=True)
        assert len(unique(listed(response))) == inbox_module.PAGE_SIZE


@pytest.mark.parametrize("query, message", [
    ("from=24.11.2026", "Geben Sie das Datum als Jahr-Monat-Tag an"),
    ("to=2026-13-01", "Geben Sie das Datum als Jahr-Monat-Tag an"),
    ("from=2026-11-20&to=2026-11-01", "muss nach dem Datum"),
])
def test_bad_dates_get_a_clear_message(offices, staff_client, query, message):
    response = staff_client("caseworker_a").get("/amt/faelle?" + query)
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert message in text and 'aria-invalid="true"' in text


@pytest.mark.parametrize("query", ["status=nonsense", "flag=x", "assignee=someone", "sort=drop", "q=" + "x" * 5000,
                                   "assignee=99999999999999999999"])
def test_odd_values_fall_back_to_defaults(offices, staff_client, query):
    assert staff_client("caseworker_a").get("/amt/faelle?" + query).status_code == 200


def test_htmx_gets_only_the_result_list(app, offices, staff_client):
    make_cases(app, [{"office_id": offices.office["nord"], "team_id": offices.team[("nord", "A-K")]}])
    c = staff_client("caseworker_a")
    response = c.get("/amt/faelle?sort=age", headers={"HX-Request": "true"})
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    assert "<html" not in text and "<table" in text and 'hx-swap-oob="true"' in text and "1 Antrag gefunden" in text
    # a bad date inside the fragment: still 200 (htmx swaps only 2xx), with the message
    response = c.get("/amt/faelle?from=gestern", headers={"HX-Request": "true"})
    assert response.status_code == 200 and "Jahr-Monat-Tag" in response.get_data(as_text=True)
    # a history restore needs the whole page
    page = c.get("/amt/faelle", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in page.get_data(as_text=True)


def test_assign_to_me_with_lock_and_audit(app, offices, staff_client):
    ref = make_cases(app, [{"office_id": offices.office["nord"], "team_id": offices.team[("nord", "A-K")]}])[0]
    c = staff_client("caseworker_a")
    token = csrf_token(c, "/amt/faelle")
    response = c.post(f"/amt/faelle/{ref}/zuweisen",
                      data={"csrf_token": token, "lock_version": "0", "return_to": "flag=complete&evil=1&status=alle"})
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/amt/faelle?") and "evil" not in response.headers["Location"]
    with app.extensions["formwerk.storage"].reader() as db:
        row = db.scalar(select(Application).where(Application.reference == ref))
        assert row.assignee_id == offices.staff["caseworker_a"] and row.lock_version == 1
        assert db.scalar(select(AuditEvent).where(AuditEvent.action == "case.assign", AuditEvent.reference == ref))
    assert "Der Antrag ist Ihnen jetzt zugewiesen." in c.get(response.headers["Location"]).get_data(as_text=True)
    # a colleague with the old page (lock_version 0) gets the conflict; nothing is overwritten
    other = staff_client("teamlead_a")
    response = other.post(f"/amt/faelle/{ref}/zuweisen",
                          data={"csrf_token": csrf_token(other, "/amt/faelle"), "lock_version": "0", "return_to": "case"})
    assert response.status_code == 303 and response.headers["Location"] == f"/amt/faelle/{ref}"
    assert "Jemand anderes hat diesen Antrag geändert" in other.get(response.headers["Location"]).get_data(as_text=True)
    with app.extensions["formwerk.storage"].reader() as db:
        row = db.scalar(select(Application).where(Application.reference == ref))
        assert row.assignee_id == offices.staff["caseworker_a"] and row.lock_version == 1
    # without a lock version: refused with a message
    response = other.post(f"/amt/faelle/{ref}/zuweisen", data={"csrf_token": csrf_token(other, "/amt/faelle")})
    assert response.status_code == 303
    assert "Das Formular war unvollständig" in other.get("/amt/faelle").get_data(as_text=True)


def test_assign_outside_ones_scope_is_404(app, offices, staff_client):
    ref = make_cases(app, [{"office_id": offices.office["nord"], "team_id": offices.team[("nord", "A-K")]}])[0]
    for key in ("caseworker_b", "teamlead_b", "caseworker_a2"):
        c = staff_client(key)
        response = c.post(f"/amt/faelle/{ref}/zuweisen", data={"csrf_token": csrf_token(c, "/amt/faelle"),
                                                              "lock_version": "0"})
        assert response.status_code == 404
    c = staff_client("author_a")
    assert c.post(f"/amt/faelle/{ref}/zuweisen", data={"csrf_token": csrf_token(c, "/amt/"),
                                                       "lock_version": "0"}).status_code == 403
    with app.extensions["formwerk.storage"].reader() as db:
        assert db.scalar(select(Application.assignee_id).where(Application.reference == ref)) is None


def test_assign_via_htmx_answers_with_the_fragment(app, offices, staff_client):
    ref = make_cases(app, [{"office_id": offices.office["nord"], "team_id": offices.team[("nord", "A-K")]}])[0]
    c = staff_client("caseworker_a")
    response = c.post(f"/amt/faelle/{ref}/zuweisen", headers={"HX-Request": "true"}, follow_redirects=True,
                      data={"csrf_token": csrf_token(c, "/amt/faelle"), "lock_version": "0", "return_to": ""})
    text = response.get_data(as_text=True)
    assert "<html" not in text and "Der Antrag ist Ihnen jetzt zugewiesen." in text and "Caseworker A" in text


def test_a_real_submission_arrives_in_the_inbox(app, client, offices, staff_client):
    answers, as_of = first_valid_case()
    app.config["FORMWERK_TODAY"] = as_of
    answers["person"]["nachname"] = "Albers"  # nord, A-K
    application = submit(app, client, answers, as_of=as_of)
    response = staff_client("caseworker_a").get("/amt/faelle")
    assert application.reference in response.get_data(as_text=True)
    assert "Albers, Anna" in response.get_data(as_text=True)


def test_a_case_without_an_estimate_shows_a_dash_not_0_euros(app, client, offices, staff_client):
    """Example case 10 rules Bürgergeld out: the form computes 0 €, which is "no estimate"."""
    case = json.loads((FORMS / "buergergeld" / "cases" / "10_duldung_asylblg_keine_schaetzung.json")
                      .read_text(encoding="utf-8"))
    answers, as_of = case["answers"], date.fromisoformat(case.get("as_of", TODAY.isoformat()))
    app.config["FORMWERK_TODAY"] = as_of
    answers["person"]["nachname"] = "Albers"  # nord, A-K
    application = submit(app, client, answers, as_of=as_of)
    assert application.estimate is None
    html = staff_client("caseworker_a").get("/amt/faelle").get_data(as_text=True)
    row = re.search(rf"<tr[^>]*>(?:(?!</tr>).)*{application.reference}(?:(?!</tr>).)*</tr>", html, re.S).group(0)
    assert '<td class="num">—</td>' in row and "0,00" not in row
    # a real estimate is still shown
    answers, as_of = first_valid_case()
    answers["person"]["nachname"] = "Albers"
    estimated = submit(app, app.test_client(), answers, as_of=as_of)
    assert estimated.estimate is not None and estimated.estimate > 0


def test_name_search_matches_word_beginnings_with_umlauts_folded(app, offices, staff_client):
    refs = make_cases(app, [
        {"name": "Müller-Lüdenscheidt, Jürgen", "office_id": offices.office["nord"], "team_id": offices.team[("nord", "L-Z")]},
        {"name": "Straßburger, Anna", "office_id": offices.office["nord"], "team_id": offices.team[("nord", "L-Z")]},
    ])
    client = staff_client("teamlead_a")

    def get(query):
        return set(unique(listed(client.get(f"/amt/faelle?status=alle&{query}"))))

    assert get("q=m%C3%BCl") == {refs[0]}          # "mül": the beginning of a word
    assert get("q=muller") == {refs[0]}            # umlaut folded
    assert get("q=l%C3%BCdenscheidt+j%C3%BCrgen") == {refs[0]}
    assert get("q=strassb") == {refs[1]}           # ß → ss
    assert get("q=ller") == set()                  # not the middle of a word
