"""Staff accounts: sign-in, lockout, second factor, sign-out everywhere,
the staff CLI, and routing by postcode and surname."""

import re
import time
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from tests.staff import PASSWORD, csrf_token, first_valid_case, login, submit
from webapp.accounts import routing
from webapp.accounts.auth import LOCK_AFTER, LOCK_BASE, _aware
from webapp.accounts.models import AuditEvent, Office, StaffUser
from webapp.storage import utcnow


def account(app, email):
    with app.extensions["formwerk.storage"].reader() as db:
        return db.scalar(select(StaffUser).where(StaffUser.email == email))


def audit_actions(app):
    with app.extensions["formwerk.storage"].reader() as db:
        return [e.action for e in db.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_sign_in_with_the_right_password_rotates_the_session(app, client, offices):
    client.get("/amt/anmelden")
    before = client.get_cookie("session").value
    response = login(client, offices.email["caseworker_a"])
    assert response.status_code == 302
    assert client.get_cookie("session").value != before  # no session fixation
    home = client.get("/amt/")
    assert home.status_code == 200 and "Caseworker A" in home.get_data(as_text=True)
    assert "login" in audit_actions(app)


@pytest.mark.parametrize("email, password", [
    ("caseworker.a@nord.example", "wrong password here"),
    ("nobody@nord.example", PASSWORD),
    ("CASEWORKER.A@nord.example", "x" * 5000),
])
def test_wrong_sign_in_is_refused_with_one_message(client, offices, email, password):
    response = login(client, email, password)
    assert response.status_code in (400, 401)
    text = response.get_data(as_text=True)
    assert "E-Mail-Adresse oder Passwort sind falsch" in text or "Es gibt ein Problem" in text
    assert client.get("/amt/").status_code == 302  # still signed out


def _error_text(response):
    return re.search(r'<ul class="error-summary__list">(.*?)</ul>', response.get_data(as_text=True), re.S).group(1)


def test_email_is_case_insensitive(client, offices):
    assert login(client, offices.email["caseworker_a"].upper()).status_code == 302


def test_repeated_failures_lock_the_account_with_growing_delay(app, client, offices):
    email = offices.email["caseworker_a"]
    for _ in range(LOCK_AFTER):
        assert login(client, email, "wrong password here").status_code == 401
    locked = account(app, email)
    first_lock = locked.locked_until
    assert first_lock is not None
    # even the right password is refused while locked
    response = login(client, email)
    assert response.status_code == 401 and "vorübergehend gesperrt" in response.get_data(as_text=True)
    # an address without an account gets the very same answer: the page tells nobody which accounts exist
    unknown = login(client, "ghost@nord.example", "wrong password here")
    assert unknown.status_code == 401 and _error_text(unknown) == _error_text(response)
    # after the lock ends, one more failure locks for longer
    with app.extensions["formwerk.storage"].session() as db:
        row = db.get(StaffUser, locked.id)
        row.locked_until = utcnow() - timedelta(seconds=1)
    login(client, email, "wrong password again")
    second = account(app, email)
    assert second.failed_logins == LOCK_AFTER + 1
    assert _aware(second.locked_until) > utcnow() + LOCK_BASE  # the second lock is twice as long
    # a successful login after the lock resets the counter
    with app.extensions["formwerk.storage"].session() as db:
        db.get(StaffUser, locked.id).locked_until = None
    assert login(client, email).status_code == 302
    assert account(app, email).failed_logins == 0


def test_disabled_account_cannot_sign_in_and_loses_its_session(app, client, offices):
    email = offices.email["caseworker_a"]
    assert login(client, email).status_code == 302
    result = app.test_cli_runner().invoke(args=["staff", "disable", email])
    assert result.exit_code == 0, result.output
    assert client.get("/amt/").status_code == 302  # session ended
    assert login(client, email).status_code == 401


def test_sign_out_everywhere_ends_other_sessions(app, offices):
    email = offices.email["teamlead_a"]
    first, second = app.test_client(), app.test_client()
    login(first, email)
    login(second, email)
    assert second.get("/amt/").status_code == 200
    token = csrf_token(first, "/amt/konto")
    assert first.post("/amt/ueberall-abmelden", data={"csrf_token": token}).status_code == 302
    assert second.get("/amt/").status_code == 302
    assert first.get("/amt/").status_code == 302


def test_sign_out_without_csrf_is_refused(client, offices):
    login(client, offices.email["caseworker_a"])
    assert client.post("/amt/abmelden").status_code == 400
    assert client.get("/amt/").status_code == 200


def test_next_parameter_cannot_leave_the_site(client, offices):
    token = csrf_token(client)
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        response = client.post(f"/amt/anmelden?next={target}",
                               data={"csrf_token": token, "email": offices.email["caseworker_a"], "password": PASSWORD})
        assert response.status_code == 302
        assert "evil" not in response.headers["Location"]
        client.post("/amt/abmelden", data={"csrf_token": csrf_token(client, "/amt/konto")})
        token = csrf_token(client)


def test_totp_enrolment_and_sign_in_with_second_factor(app, client, offices):
    email = offices.email["caseworker_a"]
    login(client, email)
    page = client.get("/amt/zweiter-faktor/einrichten").get_data(as_text=True)
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    assert "<svg" in page
    token = csrf_token(client, "/amt/zweiter-faktor/einrichten")
    wrong = client.post("/amt/zweiter-faktor/einrichten", data={"csrf_token": token, "code": "000000"})
    assert wrong.status_code == 400 and account(app, email).totp_secret is None
    ok = client.post("/amt/zweiter-faktor/einrichten", data={"csrf_token": token, "code": pyotp.TOTP(secret).now()})
    assert ok.status_code == 302 and account(app, email).totp_secret == secret
    # a new sign-in now needs the code
    other = app.test_client()
    response = login(other, email)
    assert response.status_code == 302 and response.headers["Location"].endswith("/amt/zweiter-faktor")
    assert other.get("/amt/").status_code == 302  # password alone is not a session
    token = csrf_token(other, "/amt/zweiter-faktor")
    assert other.post("/amt/zweiter-faktor", data={"csrf_token": token, "code": "123456"}).status_code == 400
    # the enrolment's code is spent; the next one (within the allowed drift) signs in
    next_code = pyotp.TOTP(secret).at(time.time(), counter_offset=1)
    assert other.post("/amt/zweiter-faktor", data={"csrf_token": token, "code": next_code}).status_code == 302
    assert other.get("/amt/").status_code == 200


def test_second_factor_gives_up_after_five_wrong_codes(app, client, offices):
    email = offices.email["caseworker_a"]
    secret = pyotp.random_base32()
    with app.extensions["formwerk.storage"].session() as db:
        db.scalar(select(StaffUser).where(StaffUser.email == email)).totp_secret = secret
    login(client, email)
    token = csrf_token(client, "/amt/zweiter-faktor")
    for _ in range(5):
        client.post("/amt/zweiter-faktor", data={"csrf_token": token, "code": "000000"})
    response = client.post("/amt/zweiter-faktor", data={"csrf_token": token, "code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302 and response.headers["Location"].endswith("/amt/anmelden")
    assert client.get("/amt/").status_code == 302


def test_office_can_make_the_second_factor_mandatory(app, client, offices):
    with app.extensions["formwerk.storage"].session() as db:
        db.get(Office, offices.office["nord"]).mfa_required = True
    response = login(client, offices.email["caseworker_a"])
    assert response.headers["Location"].endswith("/amt/zweiter-faktor/einrichten")
    page = client.get("/amt/zweiter-faktor/einrichten").get_data(as_text=True)
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    token = csrf_token(client, "/amt/zweiter-faktor/einrichten")
    assert client.post("/amt/zweiter-faktor/einrichten", data={"csrf_token": token, "code": pyotp.TOTP(secret).now()}).status_code == 302
    assert client.get("/amt/").status_code == 200


def test_a_mandatory_second_factor_stops_signed_in_staff_until_they_set_it_up(app, offices):
    """An admin makes the second factor mandatory: at their next request the
    admin themself and every signed-in colleague without one are sent to set
    it up, and can do nothing else (pages, posts, htmx) until they have."""
    admin, caseworker, enrolled = app.test_client(), app.test_client(), app.test_client()
    secret = pyotp.random_base32()
    with app.extensions["formwerk.storage"].session() as db:
        db.get(StaffUser, offices.staff["teamlead_a"]).totp_secret = secret
    assert login(admin, offices.email["admin_a"]).status_code == 302
    assert login(caseworker, offices.email["caseworker_a"]).status_code == 302
    assert login(enrolled, offices.email["teamlead_a"], totp_secret=secret).status_code == 302
    token = csrf_token(admin, "/amt/verwaltung/einstellungen")
    page = admin.get("/amt/verwaltung/einstellungen").get_data(as_text=True)
    data = {"csrf_token": token, "mfa_required": "y", "target_days": "21", **{
        name: re.search(rf'name="{name}"[^>]*value="([^"]*)"', page).group(1) for name in ("name",)}}
    data["letterhead"] = "Jobcenter Nord\nAmtsweg 1"
    data["legal_remedy"] = "Widerspruch innerhalb eines Monats."
    assert admin.post("/amt/verwaltung/einstellungen", data=data).status_code == 302
    setup = "/amt/zweiter-faktor/einrichten"
    for client in (admin, caseworker):
        for path in ("/amt/", "/amt/verwaltung/einstellungen", "/amt/faelle", "/amt/konto"):
            response = client.get(path)
            assert response.status_code == 303 and response.headers["Location"].endswith(setup), path
        response = client.post("/amt/ueberall-abmelden", data={"csrf_token": csrf_token(client, setup)})
        assert response.status_code == 303 and response.headers["Location"].endswith(setup)
        fragment = client.get("/amt/faelle", headers={"HX-Request": "true"})
        assert fragment.headers["HX-Redirect"].endswith(setup) and fragment.get_data() == b""
    assert enrolled.get("/amt/faelle").status_code == 200  # who has a second factor works on
    page = admin.get(setup)
    assert page.status_code == 200 and "verlangt einen zweiten Faktor" in page.get_data(as_text=True)
    own = re.search(r'id="totp-secret">([A-Z2-7]+)<', page.get_data(as_text=True)).group(1)
    response = admin.post(setup, data={"csrf_token": csrf_token(admin, setup), "code": pyotp.TOTP(own).now()})
    assert response.status_code == 302 and response.headers["Location"].endswith("/amt/verwaltung/")
    assert admin.get("/amt/verwaltung/einstellungen").status_code == 200
    assert caseworker.get("/amt/").status_code == 303  # still sent until they set it up themselves
    assert caseworker.post("/amt/abmelden", data={"csrf_token": csrf_token(caseworker, setup)}).status_code == 302


def test_password_change_needs_the_current_password_and_ends_other_sessions(app, offices):
    email = offices.email["author_a"]
    me, elsewhere = app.test_client(), app.test_client()
    login(me, email)
    login(elsewhere, email)
    token = csrf_token(me, "/amt/konto")
    assert me.post("/amt/konto", data={"csrf_token": token, "current": "nope nope nope", "new": "a new long passphrase"}).status_code == 400
    assert me.post("/amt/konto", data={"csrf_token": token, "current": PASSWORD, "new": "short"}).status_code == 400
    assert me.post("/amt/konto", data={"csrf_token": token, "current": PASSWORD, "new": "a new long passphrase"}).status_code == 302
    assert me.get("/amt/").status_code == 200
    assert elsewhere.get("/amt/").status_code == 302
    assert login(app.test_client(), email, "a new long passphrase").status_code == 302


def test_staff_cli_adds_lists_changes_role_and_refuses_nonsense(app, offices):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["staff", "add", "--email", "New@Nord.example", "--name", "Neu", "--role", "caseworker",
                                 "--office", "nord", "--team", "A-K", "--password", "long enough password"])
    assert result.exit_code == 0, result.output
    assert account(app, "new@nord.example").role == "caseworker"
    listed = runner.invoke(args=["staff", "list", "--office", "nord"]).output
    assert "new@nord.example" in listed and "sued" not in listed
    assert runner.invoke(args=["staff", "role", "new@nord.example", "teamlead"]).exit_code == 0
    assert account(app, "new@nord.example").role == "teamlead"
    for args in (["staff", "add", "--email", "x@y.z", "--name", "X", "--role", "caseworker", "--office", "nowhere", "--password", "long enough password"],
                 ["staff", "add", "--email", "y@y.z", "--name", "Y", "--role", "caseworker", "--office", "nord", "--password", "short"],
                 ["staff", "add", "--email", "new@nord.example", "--name", "Dup", "--role", "admin", "--office", "nord", "--password", "long enough password"],
                 ["staff", "role", "new@nord.example", "king"],
                 ["staff", "disable", "ghost@nord.example"]):
        result = runner.invoke(args=args)
        assert result.exit_code != 0 and "Traceback" not in result.output
    assert "staff.created" in audit_actions(app) and "staff.role" in audit_actions(app)


def test_office_cli_creates_offices_teams_and_refuses_bad_ranges(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["office", "add", "west", "Jobcenter West", "--postcodes", "40000-41999", "--fallback"]).exit_code == 0
    assert runner.invoke(args=["office", "team", "west", "Team 1", "--letters", "A-M", "--letters", "Sch-Sz"]).exit_code == 0
    assert "west" in runner.invoke(args=["office", "list"]).output
    assert runner.invoke(args=["office", "add", "ost", "Ost", "--postcodes", "9-1"]).exit_code != 0
    assert runner.invoke(args=["office", "team", "west", "Team 2", "--letters", "Z-A"]).exit_code != 0


@pytest.mark.parametrize("surname, first, last, inside", [
    ("Schmidt", "SCH", "SZ", True), ("Szabo", "SCH", "SZ", True), ("Sauer", "SCH", "SZ", False),
    ("Özdemir", "O", "O", True), ("Ärmel", "A", "K", True), ("Kuhn", "A", "K", True), ("Lang", "A", "K", False),
    ("", "A", "Z", False), ("d'Artagnan", "D", "D", True),
])
def test_surname_ranges_fold_umlauts(surname, first, last, inside):
    assert routing.in_range(surname, first, last) is inside


def test_submitted_application_goes_to_the_office_and_team_of_postcode_and_surname(app, client, offices):
    answers, as_of = first_valid_case()
    app.config["FORMWERK_TODAY"] = as_of
    answers["kontakt"]["plz"] = "10115"  # nord
    answers["person"]["nachname"] = "Meyer"  # L-Z
    application = submit(app, client, answers, as_of=as_of)
    assert application.office_id == offices.office["nord"]
    assert application.team_id == offices.team[("nord", "L-Z")]
    assert application.applicant_name.startswith("Meyer")
    assert application.household_size >= 1
    assert "application.received" in audit_actions(app)

    other = app.test_client()
    answers["kontakt"]["plz"] = "80331"  # sued
    answers["person"]["nachname"] = "Albers"
    application = submit(app, other, answers, as_of=as_of)
    assert application.office_id == offices.office["sued"]
    assert application.team_id == offices.team[("sued", "A-Z")]


def test_an_unclaimed_postcode_goes_to_the_fallback_office(app, client, offices):
    with app.extensions["formwerk.storage"].session() as db:
        from webapp.accounts.models import PostcodeArea
        for area in db.scalars(select(PostcodeArea)):
            db.delete(area)
    answers, as_of = first_valid_case()
    app.config["FORMWERK_TODAY"] = as_of
    application = submit(app, client, answers, as_of=as_of)
    assert application.office_id == offices.office["sued"]


def test_audit_log_is_append_only_in_the_database(app, offices):
    from sqlalchemy import text
    from sqlalchemy.exc import DatabaseError

    login(app.test_client(), offices.email["caseworker_a"])
    storage = app.extensions["formwerk.storage"]
    for statement in ("UPDATE audit_events SET action = 'x'", "DELETE FROM audit_events"):
        with pytest.raises(DatabaseError):
            with storage.session() as db:
                db.execute(text(statement))
    assert "login" in audit_actions(app)


@pytest.fixture(scope="module")
def postgres_database():
    from tests.postgres import postgres_url

    with postgres_url() as url:
        yield url


def test_office_tables_and_append_only_audit_on_postgresql(postgres_database, tmp_path):
    """The office's migration on PostgreSQL: routing works and the audit
    log refuses UPDATE and DELETE there too (a trigger, not a convention)."""
    from sqlalchemy import text
    from sqlalchemy.exc import DatabaseError

    from tests.conftest import make_app
    from tests.staff import create_offices

    app = make_app(tmp_path, DATABASE_URL=postgres_database)
    storage = app.extensions["formwerk.storage"]
    try:
        made = create_offices(app)
        client = app.test_client()
        assert login(client, made.email["teamlead_a"]).status_code == 302
        answers, as_of = first_valid_case()
        app.config["FORMWERK_TODAY"] = as_of
        application = submit(app, app.test_client(), answers, as_of=as_of)
        assert application.office_id in made.office.values()
        for statement in ("UPDATE audit_events SET action = 'x'", "DELETE FROM audit_events"):
            with pytest.raises(DatabaseError):
                with storage.session() as db:
                    db.execute(text(statement))
    finally:
        with storage.engine.begin() as conn:  # leave an empty schema for other tests of this module
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        storage.engine.dispose()


def test_sign_in_attempts_are_rate_limited_per_client(app, client, offices):
    app.config["RATE_LIMITS"] = {"staff_login": (3, 900)}
    app.config["RATE_LIMIT_FACTOR"] = 1
    for _ in range(3):
        assert login(client, "nobody@nord.example", "wrong password here").status_code == 401
    blocked = login(client, offices.email["teamlead_a"])
    assert blocked.status_code == 429 and blocked.headers.get("Retry-After")


def test_inbox_facts_come_from_the_forms_x_case(app, client, offices):
    """Household size and the estimate are read where the form's x-case says."""
    answers, as_of = first_valid_case()
    app.config["FORMWERK_TODAY"] = as_of
    application = submit(app, client, answers, as_of=as_of)
    published = app.extensions["formwerk.catalog"].get("buergergeld")
    outcome = published.form.check(answers, as_of=as_of)
    estimate = outcome.computed["/schaetzung"]["anspruch"]
    assert application.estimate == pytest.approx(float(estimate))
    assert application.household_size == outcome.answers["haushalt"]["personen"]
    assert application.notify_email == (answers.get("kontakt", {}).get("email") or None)


def test_a_second_factor_code_signs_in_once(app, offices):
    email = offices.email["caseworker_a"]
    secret = pyotp.random_base32()
    with app.extensions["formwerk.storage"].session() as db:
        db.scalar(select(StaffUser).where(StaffUser.email == email)).totp_secret = secret
    code = pyotp.TOTP(secret).now()
    first, second = app.test_client(), app.test_client()
    for client in (first, second):
        assert login(client, email).headers["Location"].endswith("/amt/zweiter-faktor")
    token = csrf_token(first, "/amt/zweiter-faktor")
    assert first.post("/amt/zweiter-faktor", data={"csrf_token": token, "code": code}).status_code == 302
    token = csrf_token(second, "/amt/zweiter-faktor")
    replay = second.post("/amt/zweiter-faktor", data={"csrf_token": token, "code": code})
    assert replay.status_code == 400 and second.get("/amt/").status_code == 302


def test_failed_sign_in_and_cli_are_named_in_the_audit_log(app, client, offices):
    login(client, offices.email["caseworker_a"], "wrong password here")
    app.test_cli_runner().invoke(args=["staff", "role", offices.email["caseworker_a"], "teamlead"])
    with app.extensions["formwerk.storage"].reader() as db:
        actors = {e.action: e.actor for e in db.scalars(select(AuditEvent))}
    assert actors["login.failed"] == "anonymous" and actors["staff.role"] == "cli"
