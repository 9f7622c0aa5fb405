"""The administration (/amt/verwaltung): every route, who may use it, the
admin's own office only (another office's rows are 404), accounts and their
sessions, teams, postcode areas without overlaps, settings, reason
templates, API tokens, and the audit log with its exports."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from sqlalchemy import select

from tests.staff import PASSWORD, csrf_token, login
from webapp.accounts.models import ApiToken, AuditEvent, Office, PostcodeArea, StaffUser, Team, TeamRange
from webapp.accounts.passwords import verify_password
from webapp.office.models import ReasonTemplate

BASE = "/amt/verwaltung"


def storage(app):
    return app.extensions["formwerk.storage"]


def signed_in(app, offices, key):
    client = app.test_client()
    assert login(client, offices.email[key]).status_code == 302
    return client


def post(client, path, data=None, form_path=None):
    """Post ``data`` with a CSRF token taken from ``form_path`` (default: ``path``)."""
    token = csrf_token(client, form_path or path)
    return client.post(path, data={"csrf_token": token, **(data or {})})


def account(app, email):
    with storage(app).reader() as db:
        return db.scalar(select(StaffUser).where(StaffUser.email == email))


def audit_actions(app):
    with storage(app).reader() as db:
        return [e.action for e in db.scalars(select(AuditEvent).order_by(AuditEvent.id))]


@pytest.fixture
def admin(app, offices):
    return signed_in(app, offices, "admin_a")


@pytest.fixture
def rows_b(app, offices):
    """A row of every kind in office sued (B), to be hidden from nord's admin."""
    with storage(app).session() as db:
        office = offices.office["sued"]
        template = ReasonTemplate(office_id=office, title="Einkommen B", text="Text B")
        token = ApiToken(office_id=office, name="Fachverfahren B", scopes="read", token_hash="b" * 64)
        db.add_all([template, token])
        db.flush()
        area = db.scalar(select(PostcodeArea).where(PostcodeArea.office_id == office))
        return {"staff": offices.staff["caseworker_b"], "team": offices.team[("sued", "A-Z")],
                "template": template.id, "token": token.id, "area": area.id}


GET_PAGES = ["/", "/mitarbeitende", "/mitarbeitende/neu", "/teams", "/postleitzahlen", "/einstellungen",
             "/begruendungen", "/api-zugaenge", "/protokoll"]


def test_every_admin_page_renders_for_an_admin(app, admin, offices):
    with storage(app).session() as db:
        template = ReasonTemplate(office_id=offices.office["nord"], title="Einkommen", text="Das Einkommen deckt …")
        db.add(template)
        db.flush()
        template_id = template.id
    pages = GET_PAGES + [f"/mitarbeitende/{offices.staff['caseworker_a']}", f"/teams/{offices.team[('nord', 'A-K')]}",
                         f"/begruendungen/{template_id}"]
    for page in pages:
        response = admin.get(BASE + page)
        assert response.status_code == 200, page
        assert "<h1>" in response.get_data(as_text=True)
    assert admin.get(BASE + "/protokoll.csv").status_code == 200
    assert admin.get(BASE + "/protokoll.json").status_code == 200


def test_pages_are_german_first_and_english_on_request(admin):
    assert "Mitarbeitende" in admin.get(BASE + "/mitarbeitende").get_data(as_text=True)
    assert "Staff" in admin.get(BASE + "/mitarbeitende?lang=en").get_data(as_text=True)


def test_navigation_shows_the_administration_to_admins_only(app, offices, admin):
    assert f'href="{BASE}/"' in admin.get("/amt/").get_data(as_text=True)
    caseworker = signed_in(app, offices, "caseworker_a")
    assert f'href="{BASE}/"' not in caseworker.get("/amt/").get_data(as_text=True)
    teamlead = signed_in(app, offices, "teamlead_a")
    assert f'href="{BASE}/protokoll"' in teamlead.get("/amt/").get_data(as_text=True)


@pytest.mark.parametrize("key", ["caseworker_a", "author_a", "teamlead_a"])
def test_other_roles_get_403(app, offices, key):
    client = signed_in(app, offices, key)
    for page in GET_PAGES:
        if page == "/protokoll" and key == "teamlead_a":
            continue
        assert client.get(BASE + page).status_code == 403, page
    token = csrf_token(client, "/amt/konto")
    for path in (f"/mitarbeitende/{offices.staff['caseworker_a']}/sperren", "/api-zugaenge", "/postleitzahlen"):
        assert client.post(BASE + path, data={"csrf_token": token, "name": "x"}).status_code == 403, path
    assert account(app, offices.email["caseworker_a"]).active


@pytest.mark.parametrize("key, allowed", [("teamlead_a", True), ("admin_a", True), ("caseworker_a", False),
                                          ("author_a", False)])
def test_audit_log_for_team_leads_and_admins(app, offices, key, allowed):
    client = signed_in(app, offices, key)
    for page in ("/protokoll", "/protokoll.csv", "/protokoll.json"):
        assert client.get(BASE + page).status_code == (200 if allowed else 403), page


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for page in GET_PAGES + ["/protokoll.csv"]:
        response = client.get(BASE + page)
        assert response.status_code == 302 and "/amt/anmelden" in response.headers["Location"], page
    response = client.post(BASE + "/api-zugaenge", data={"name": "x"})
    assert response.status_code in (302, 400)  # no CSRF token: refused either way
    with pytest.raises(AssertionError):
        assert response.status_code == 200


def test_admin_of_sued_sees_nothing_of_nord(app, offices, rows_b):
    admin_a = signed_in(app, offices, "admin_a")  # nord's admin, looking at sued's rows
    token = csrf_token(admin_a, BASE + "/mitarbeitende")
    for method, path in [
        ("get", f"/mitarbeitende/{rows_b['staff']}"),
        ("post", f"/mitarbeitende/{rows_b['staff']}"),
        ("post", f"/mitarbeitende/{rows_b['staff']}/sperren"),
        ("post", f"/mitarbeitende/{rows_b['staff']}/entsperren"),
        ("post", f"/mitarbeitende/{rows_b['staff']}/zweiter-faktor"),
        ("post", f"/mitarbeitende/{rows_b['staff']}/sitzungen"),
        ("post", f"/mitarbeitende/{rows_b['staff']}/passwort"),
        ("get", f"/teams/{rows_b['team']}"),
        ("post", f"/teams/{rows_b['team']}/loeschen"),
        ("post", f"/postleitzahlen/{rows_b['area']}/loeschen"),
        ("get", f"/begruendungen/{rows_b['template']}"),
        ("post", f"/begruendungen/{rows_b['template']}/loeschen"),
        ("post", f"/api-zugaenge/{rows_b['token']}/widerrufen"),
    ]:
        response = getattr(admin_a, method)(BASE + path, data={"csrf_token": token, "name": "x", "role": "admin"})
        assert response.status_code == 404, (method, path)
    # and the lists show only nord's rows
    staff_page = admin_a.get(BASE + "/mitarbeitende").get_data(as_text=True)
    assert offices.email["caseworker_a"] in staff_page and offices.email["caseworker_b"] not in staff_page
    assert "Fachverfahren B" not in admin_a.get(BASE + "/api-zugaenge").get_data(as_text=True)
    assert "Einkommen B" not in admin_a.get(BASE + "/begruendungen").get_data(as_text=True)
    assert "50000" not in admin_a.get(BASE + "/postleitzahlen").get_data(as_text=True)
    # nothing changed in sued
    with storage(app).reader() as db:
        assert db.get(StaffUser, rows_b["staff"]).active and db.get(StaffUser, rows_b["staff"]).session_version == 0
        assert db.get(ApiToken, rows_b["token"]).revoked_at is None
        assert db.get(Team, rows_b["team"]) is not None


# -- staff accounts ---------------------------------------------------------------------------------------------

def test_create_an_account_with_a_generated_password_shown_once(app, admin, offices):
    response = post(admin, BASE + "/mitarbeitende/neu", {"name": "Neue Kollegin", "email": "Neu@Nord.example",
                                                         "role": "caseworker", "team": str(offices.team[("nord", "L-Z")]),
                                                         "password": ""})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    password = re.search(r'<code class="secret">([^<]+)</code>', page).group(1)
    assert "nur jetzt angezeigt" in page
    created = account(app, "neu@nord.example")
    assert created.office_id == offices.office["nord"] and created.team_id == offices.team[("nord", "L-Z")]
    assert verify_password(created.password_hash, password) and password not in created.password_hash
    assert login(app.test_client(), "neu@nord.example", password).status_code == 302
    assert "staff.created" in audit_actions(app)


def test_create_an_account_with_a_password_set_by_the_admin(app, admin):
    response = post(admin, BASE + "/mitarbeitende/neu", {"name": "Autor", "email": "autor2@nord.example",
                                                         "role": "author", "team": "", "password": "ein langes passwort"})
    assert response.status_code == 200 and 'class="secret"' not in response.get_data(as_text=True)
    assert verify_password(account(app, "autor2@nord.example").password_hash, "ein langes passwort")


@pytest.mark.parametrize("data, field, message", [
    ({"name": "", "email": "x@nord.example", "role": "caseworker"}, "name", "Füllen Sie dieses Feld aus"),
    ({"name": "X", "email": "kein-at", "role": "caseworker"}, "email", "E-Mail-Adresse im Format"),
    ({"name": "X", "email": "caseworker.b@sued.example", "role": "caseworker"}, "email", "bereits vergeben"),
    ({"name": "X", "email": "x@nord.example", "role": "superuser"}, "role", "Wählen Sie einen Eintrag"),
    ({"name": "X", "email": "x@nord.example", "role": "caseworker", "password": "kurz"}, "password", "mindestens 12"),
])
def test_create_refuses_bad_input_with_an_error_summary(app, admin, offices, data, field, message):
    response = post(admin, BASE + "/mitarbeitende/neu", {"team": "", **data}, form_path=BASE + "/mitarbeitende/neu")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'class="error-summary"' in page and f'href="#{field}"' in page and message in page
    assert account(app, "x@nord.example") is None


def test_a_team_of_another_office_cannot_be_assigned(app, admin, offices):
    response = post(admin, BASE + "/mitarbeitende/neu", {"name": "X", "email": "x@nord.example", "role": "caseworker",
                                                         "team": str(offices.team[("sued", "A-Z")])})
    assert response.status_code == 400 and account(app, "x@nord.example") is None


def test_changing_role_or_team_ends_sessions_but_a_name_does_not(app, admin, offices):
    caseworker = signed_in(app, offices, "caseworker_a")
    path = f"{BASE}/mitarbeitende/{offices.staff['caseworker_a']}"
    team = str(offices.team[("nord", "A-K")])
    assert post(admin, path, {"name": "Umbenannt", "role": "caseworker", "team": team}).status_code == 302
    assert caseworker.get("/amt/").status_code == 200  # a new name ends nothing
    assert post(admin, path, {"name": "Umbenannt", "role": "teamlead", "team": team}).status_code == 302
    assert account(app, offices.email["caseworker_a"]).role == "teamlead"
    assert caseworker.get("/amt/").status_code == 302  # signed out
    assert "staff.updated" in audit_actions(app)


def test_account_actions(app, admin, offices):
    email = offices.email["caseworker_a"]
    staff_id = offices.staff["caseworker_a"]
    path = f"{BASE}/mitarbeitende/{staff_id}"
    with storage(app).session() as db:
        db.get(StaffUser, staff_id).totp_secret = "JBSWY3DPEHPK3PXP"
    caseworker = signed_in(app, offices, "caseworker_a")
    # end sessions
    assert post(admin, path + "/sitzungen", form_path=path).status_code == 302
    assert caseworker.get("/amt/").status_code == 302
    # reset the second factor
    version = account(app, email).session_version
    assert post(admin, path + "/zweiter-faktor", form_path=path).status_code == 302
    assert account(app, email).totp_secret is None and account(app, email).session_version == version + 1
    # disable: sign-in refused; enable again
    assert post(admin, path + "/sperren", form_path=path).status_code == 302
    assert not account(app, email).active
    assert login(app.test_client(), email).status_code == 401
    assert post(admin, path + "/entsperren", form_path=path).status_code == 302
    assert account(app, email).active and login(app.test_client(), email).status_code == 302
    # a new password, shown once
    response = post(admin, path + "/passwort", form_path=path)
    new = re.search(r'<code class="secret">([^<]+)</code>', response.get_data(as_text=True)).group(1)
    assert login(app.test_client(), email).status_code == 401
    assert login(app.test_client(), email, new).status_code == 302
    actions = audit_actions(app)
    for action in ("staff.sessions_ended", "staff.totp_reset", "staff.disabled", "staff.enabled", "staff.password_reset"):
        assert action in actions
    # without a CSRF token nothing happens
    assert admin.post(path + "/sperren").status_code == 400
    assert account(app, email).active


def test_an_admin_cannot_disable_or_demote_themself(app, admin, offices):
    path = f"{BASE}/mitarbeitende/{offices.staff['admin_a']}"
    post(admin, path + "/sperren", form_path=path)
    assert account(app, offices.email["admin_a"]).active
    response = post(admin, path, {"name": "Admin A", "role": "caseworker", "team": ""})
    assert response.status_code == 400 and "eigenes Konto" in response.get_data(as_text=True)
    assert account(app, offices.email["admin_a"]).role == "admin"


# -- teams and postcode areas -----------------------------------------------------------------------------------

def test_teams_with_letter_ranges(app, admin, offices):
    # nord's teams cover A-Z: team L-Z first gives up the S
    lz = f"{BASE}/teams/{offices.team[('nord', 'L-Z')]}"
    assert post(admin, lz, {"name": "L-Z", "letters": "L-R, T-Z"}).status_code == 302
    assert post(admin, BASE + "/teams", {"name": "Team Sch", "letters": "Sch-Sz, Sä-Sb"}).status_code == 302
    with storage(app).reader() as db:
        team = db.scalar(select(Team).where(Team.name == "Team Sch"))
        ranges = [(r.first, r.last) for r in db.scalars(select(TeamRange).where(TeamRange.team_id == team.id))]
    assert team.office_id == offices.office["nord"] and ranges == [("SCH", "SZ"), ("SA", "SB")]
    response = post(admin, BASE + "/teams", {"name": "Team Sch", "letters": "Sc-Sc"})
    assert response.status_code == 400 and "gibt es schon" in response.get_data(as_text=True)
    response = post(admin, BASE + "/teams", {"name": "Team X", "letters": "K-A"})
    assert response.status_code == 400 and "Buchstabenbereiche" in response.get_data(as_text=True)
    # edit, then delete: its members lose the team and their sessions
    path = f"{BASE}/teams/{team.id}"
    assert post(admin, path, {"name": "Team S", "letters": "S-Sz"}).status_code == 302
    with storage(app).session() as db:
        db.get(StaffUser, offices.staff["caseworker_a2"]).team_id = team.id
    assert post(admin, path + "/loeschen", form_path=path).status_code == 302
    with storage(app).reader() as db:
        assert db.get(Team, team.id) is None
        member = db.get(StaffUser, offices.staff["caseworker_a2"])
        assert member.team_id is None and member.session_version == 1


@pytest.mark.parametrize("letters, clash", [
    ("B-C", "A-K"),  # inside A-K
    ("K-L", "A-K"),  # shares the K with A-K (and the L with L-Z)
    ("Ka-Kz", "A-K"),  # "Kaiser" belongs to A-K, which covers every name starting with K
    ("Müller-Müller", "L-Z"),  # a single name, umlauts folded
    ("0-9, Schu-Schu", "L-Z"),
])
def test_overlapping_surname_ranges_in_one_office_are_refused(app, admin, offices, letters, clash):
    response = post(admin, BASE + "/teams", {"name": "Team Neu", "letters": letters})
    page = response.get_data(as_text=True)
    assert response.status_code in (400,) and 'class="error-summary"' in page
    if letters.startswith("0"):  # no letters at all: the format message, not an overlap
        assert "Buchstabenbereiche" in page
    else:
        assert "überschneidet sich" in page and f"Teams „{clash}“" in page and 'href="#letters"' in page
    with storage(app).reader() as db:
        assert db.scalar(select(Team).where(Team.name == "Team Neu")) is None


def test_editing_a_team_checks_the_other_teams_only(app, admin, offices):
    path = f"{BASE}/teams/{offices.team[('nord', 'A-K')]}"
    assert post(admin, path, {"name": "A-K", "letters": "A-Kz"}).status_code == 302  # its own range: no clash
    response = post(admin, path, {"name": "A-K", "letters": "A-La"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "überschneidet sich mit dem Bereich L-Z des Teams „L-Z“" in page
    with storage(app).reader() as db:
        ranges = [(r.first, r.last) for r in db.scalars(select(TeamRange).where(
            TeamRange.team_id == offices.team[("nord", "A-K")]))]
    assert ranges == [("A", "KZ")]
    # another office's teams do not count
    sued = signed_in(app, offices, "admin_b")
    sued_team = f"{BASE}/teams/{offices.team[('sued', 'A-Z')]}"
    assert post(sued, sued_team, {"name": "A-Z", "letters": "A-M"}).status_code == 302
    assert post(sued, BASE + "/teams", {"name": "Team N", "letters": "N-Z"}).status_code == 302  # nord's L-Z is not sued's


@pytest.mark.parametrize("path, data, field", [
    ("/mitarbeitende/neu", {"name": "x" * 5000, "email": "lang@nord.example", "role": "caseworker", "team": ""}, "name"),
    ("/teams", {"name": "x" * 300, "letters": "A-B"}, "name"),
    ("/begruendungen", {"title": "x" * 500, "text": "Text"}, "title"),
    ("/einstellungen", {"name": "x" * 201, "letterhead": "Kopf", "legal_remedy": "Widerspruch", "target_days": "10"},
     "name"),
    ("/api-zugaenge", {"name": "x" * 101, "scopes": "read"}, "name"),
])
def test_over_long_fields_get_a_message_not_a_500(app, admin, path, data, field):
    response = post(admin, BASE + path, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400, page[:500]
    assert 'class="error-summary"' in page and f'href="#{field}"' in page
    assert re.search(r"Der Text ist zu lang \(höchstens [0-9]+ Zeichen\)", page)
    admin.get(BASE + "/?lang=en")
    english = post(admin, BASE + path, data)
    assert english.status_code == 400 and "The text is too long" in english.get_data(as_text=True)


@pytest.mark.parametrize("first, last, message", [
    ("40000", "45000", "Bereich 00000–49999 dieses Jobcenters"),  # inside nord's own area
    ("49000", "51000", "00000–49999"),  # still hits nord's own area first
    ("60000", "60100", "eines anderen Jobcenters"),  # sued's area
    ("1234", "", "fünfstellige Postleitzahl"),
    ("abcde", "", "fünfstellige Postleitzahl"),
    ("20000", "10000", "nicht größer"),
])
def test_overlapping_or_bad_postcode_areas_are_refused(app, admin, first, last, message):
    response = post(admin, BASE + "/postleitzahlen", {"first": first, "last": last})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page and 'class="error-summary"' in page
    with storage(app).reader() as db:
        assert db.scalar(select(PostcodeArea).where(PostcodeArea.first == first)) is None


def test_postcode_areas_added_and_deleted(app, admin, offices):
    with storage(app).session() as db:  # make room: nord's area shrinks to 00000-09999
        area = db.scalar(select(PostcodeArea).where(PostcodeArea.office_id == offices.office["nord"]))
        area.last = "09999"
    assert post(admin, BASE + "/postleitzahlen", {"first": "10115", "last": ""}).status_code == 302
    assert post(admin, BASE + "/postleitzahlen", {"first": "10000", "last": "10200"}).status_code == 400
    with storage(app).reader() as db:
        added = db.scalar(select(PostcodeArea).where(PostcodeArea.first == "10115"))
    assert added.last == "10115" and added.office_id == offices.office["nord"]
    assert post(admin, f"{BASE}/postleitzahlen/{added.id}/loeschen", form_path=BASE + "/postleitzahlen").status_code == 302
    with storage(app).reader() as db:
        assert db.get(PostcodeArea, added.id) is None
    assert {"postcode_area.created", "postcode_area.deleted"} <= set(audit_actions(app))


# -- settings, reason templates, tokens -------------------------------------------------------------------------

def test_office_settings(app, admin, offices):
    caseworker = signed_in(app, offices, "caseworker_a")
    data = {"name": "Jobcenter Nord-Ost", "letterhead": "Jobcenter Nord-Ost\nWeg 2", "legal_remedy": "Widerspruch …",
            "target_days": "14", "mfa_required": "y"}
    assert post(admin, BASE + "/einstellungen", data).status_code == 302
    with storage(app).reader() as db:
        office = db.get(Office, offices.office["nord"])
    assert (office.name, office.target_days, office.mfa_required) == ("Jobcenter Nord-Ost", 14, True)
    assert office.letterhead == "Jobcenter Nord-Ost\nWeg 2"
    # staff without a second factor, the admin too, are sent to set it up at their next request
    for client in (caseworker, admin):
        response = client.get("/amt/")
        assert response.status_code == 303 and response.headers["Location"].endswith("/amt/zweiter-faktor/einrichten")
    with storage(app).session() as db:
        db.get(Office, offices.office["nord"]).mfa_required = False
    for bad in ("0", "366", "zehn"):
        response = post(admin, BASE + "/einstellungen", {**data, "target_days": bad})
        assert response.status_code == 400 and "ganze Zahl von 1 bis 365" in response.get_data(as_text=True)
    response = post(admin, BASE + "/einstellungen", {**data, "name": ""})
    assert response.status_code == 400 and 'href="#name"' in response.get_data(as_text=True)


def test_reason_templates(app, admin, offices):
    assert post(admin, BASE + "/begruendungen", {"title": "Einkommen", "text": "Ihr Einkommen deckt den Bedarf."}).status_code == 302
    with storage(app).reader() as db:
        row = db.scalar(select(ReasonTemplate).where(ReasonTemplate.title == "Einkommen"))
    assert row.office_id == offices.office["nord"]
    path = f"{BASE}/begruendungen/{row.id}"
    assert post(admin, path, {"title": "Einkommen zu hoch", "text": "Neu"}).status_code == 302
    assert post(admin, path, {"title": "", "text": "Neu"}).status_code == 400
    with storage(app).reader() as db:
        assert db.get(ReasonTemplate, row.id).title == "Einkommen zu hoch"
    assert post(admin, path + "/loeschen", form_path=path).status_code == 302
    with storage(app).reader() as db:
        assert db.get(ReasonTemplate, row.id) is None


def test_api_tokens_created_shown_once_and_revoked(app, admin, offices):
    response = post(admin, BASE + "/api-zugaenge", {"name": "Fachverfahren", "scopes": "read write"})
    assert response.status_code == 200
    token = re.search(r'<code class="secret">([^<]+)</code>', response.get_data(as_text=True)).group(1)
    assert token not in admin.get(BASE + "/api-zugaenge").get_data(as_text=True)
    api = app.test_client()
    assert api.get("/api/v1/applications", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    with storage(app).reader() as db:
        row = db.scalar(select(ApiToken).where(ApiToken.name == "Fachverfahren"))
    assert row.office_id == offices.office["nord"] and row.scopes == "read write" and token not in row.token_hash
    assert post(admin, f"{BASE}/api-zugaenge/{row.id}/widerrufen", form_path=BASE + "/api-zugaenge").status_code == 302
    assert api.get("/api/v1/applications", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert post(admin, BASE + "/api-zugaenge", {"name": "", "scopes": "admin"}).status_code == 400
    assert {"api_token.created", "api_token.revoked"} <= set(audit_actions(app))


# -- audit log --------------------------------------------------------------------------------------------------

def _seed_audit(app, offices):
    from webapp.accounts import audit

    with app.test_request_context("/"):
        with storage(app).session() as db:
            audit.record(db, "case.view", reference="FW-NORD-1", office_id=offices.office["nord"])
            audit.record(db, "case.view", reference="FW-SUED-1", office_id=offices.office["sued"])
            audit.record(db, "document.download", reference="FW-NORD-2", office_id=offices.office["nord"],
                         detail={"filename": "=cmd|' /C calc'!A0"})


def test_audit_log_filters_and_pages(app, offices):
    _seed_audit(app, offices)
    teamlead = signed_in(app, offices, "teamlead_a")
    page = teamlead.get(BASE + "/protokoll").get_data(as_text=True)
    assert "FW-NORD-1" in page and "FW-NORD-2" in page and "FW-SUED-1" not in page
    page = teamlead.get(BASE + "/protokoll?aktion=document").get_data(as_text=True)
    assert "FW-NORD-2" in page and "FW-NORD-1" not in page
    page = teamlead.get(BASE + "/protokoll?aktenzeichen=fw-nord-1").get_data(as_text=True)
    assert "FW-NORD-1" in page and "FW-NORD-2" not in page
    assert "FW-NORD-1" not in teamlead.get(BASE + "/protokoll?von=2999-01-01").get_data(as_text=True)
    assert "FW-NORD-1" in teamlead.get(BASE + "/protokoll?bis=2999-01-01&wer=applicant").get_data(as_text=True)
    response = teamlead.get(BASE + "/protokoll?von=gestern")
    assert response.status_code == 400 and "Datum" in response.get_data(as_text=True)
    response = teamlead.get(BASE + "/protokoll?von=2026-02-02&bis=2026-01-01")
    assert response.status_code == 400 and "nicht vor" in response.get_data(as_text=True)
    assert teamlead.get(BASE + "/protokoll?vor=abc").status_code == 400


def test_audit_log_keyset_pagination(app, offices):
    from webapp.accounts import audit

    with app.test_request_context("/"):
        with storage(app).session() as db:
            for n in range(60):
                audit.record(db, "case.view", reference=f"FW-P-{n:03d}", office_id=offices.office["nord"])
    admin = signed_in(app, offices, "admin_a")
    first = admin.get(BASE + "/protokoll?aktion=case.view").get_data(as_text=True)
    assert "FW-P-059" in first and "FW-P-009" not in first
    older = re.search(r'href="([^"]*vor=\d+[^"]*)" rel="next"', first).group(1).replace("&amp;", "&")
    second = admin.get(older).get_data(as_text=True)
    assert "FW-P-009" in second and "FW-P-059" not in second and 'rel="next"' not in second


def test_audit_exports_contain_only_the_own_office(app, offices):
    _seed_audit(app, offices)
    admin = signed_in(app, offices, "admin_a")
    response = admin.get(BASE + "/protokoll.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    references = {row["reference"] for row in rows}
    assert {"FW-NORD-1", "FW-NORD-2"} <= references and "FW-SUED-1" not in references
    assert all(row["detail"][:1] != "=" for row in rows)
    with storage(app).reader() as db:
        nord = db.scalars(select(AuditEvent).where(AuditEvent.office_id == offices.office["nord"])).all()
    assert len(rows) == len(nord) and rows[-1]["action"] == "audit.export"  # the export records itself first
    data = json.loads(admin.get(BASE + "/protokoll.json?aktion=case").get_data(as_text=True))
    assert [e["reference"] for e in data] == ["FW-NORD-1"]
    assert isinstance(data[0]["detail"], dict)
    assert "audit.export" in audit_actions(app)
    # sued's admin gets only sued's
    admin_b = signed_in(app, offices, "admin_b")
    rows_b = list(csv.DictReader(io.StringIO(admin_b.get(BASE + "/protokoll.csv").get_data(as_text=True))))
    assert "FW-SUED-1" in {row["reference"] for row in rows_b}
    assert not {"FW-NORD-1", "FW-NORD-2"} & {row["reference"] for row in rows_b}


def test_admin_sign_in_lands_on_the_administration(app, offices):
    client = app.test_client()
    response = login(client, offices.email["admin_a"], PASSWORD)
    assert response.headers["Location"].endswith(BASE + "/")
