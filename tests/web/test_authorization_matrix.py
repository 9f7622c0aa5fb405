"""The authorization matrix: every route of the app (read from
``app.url_map``) × every kind of visitor, with the outcome each must get,
listed once below. A new route without an entry fails this test.

Visitors: an anonymous applicant; an applicant holding another
application's access (their own receipt, not this one's); caseworkers of
office A (the team of the case) and of office B; a team lead, a form author
and an admin of office A; API tokens of office A and office B. Routes about
a case use an application of office A; routes about an object (a team, a
token, a form version) use one of office A.

Outcomes: ``OK`` served (2xx, a redirect that is not the sign-in page, or a
4xx about the request's content: 400, 409, 413, 415, 422, 428); ``LOGIN``
sent to sign in (302 to /amt/anmelden, or 401); ``DENIED`` 403; ``HIDDEN``
404. A 5xx always fails. CSRF is switched off here (it has its own tests in
tests/security), so what is checked is who may, not whether a form was
complete. Every route runs on its own copy of one prepared database, so a
state-changing request of one route cannot change what another sees.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import shutil
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from flask import url_for
from sqlalchemy import select

from tests.conftest import make_app
from tests.staff import create_offices, first_valid_case, login, submit
from webapp.accounts.models import ApiToken, PostcodeArea, Team
from webapp.appointments.models import Slot
from webapp.office.models import Decision, DocumentRequest, MailboxMessage, ReasonTemplate
from webapp.storage import Document, FormVersion

OK, LOGIN, DENIED, HIDDEN = "ok", "login", "denied", "hidden"
PERSONAS = ("anonymous", "applicant_other", "api_b", "api_a", "caseworker_b", "author_a", "admin_a",
            "caseworker_a", "teamlead_a")
STAFF = ("caseworker_b", "author_a", "admin_a", "caseworker_a", "teamlead_a")
METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}


def everyone(outcome: str) -> dict[str, str]:
    return {p: outcome for p in PERSONAS}


def staff_only(**outcomes: str) -> dict[str, str]:
    """Visitors who are not signed-in staff are sent to sign in; staff get
    their listed outcome, else ``default`` (else 403)."""
    base = {p: LOGIN for p in PERSONAS if p not in STAFF}
    base.update({p: outcomes.get(p, outcomes.get("default", DENIED)) for p in STAFF})
    return base


def case_route() -> dict[str, str]:
    """A case of office A in caseworker_a's team: its caseworker and the team
    lead work on it; office B does not know it exists; authors and admins
    have no business with cases."""
    return staff_only(caseworker_a=OK, teamlead_a=OK, caseworker_b=HIDDEN)


def admin_route(**more: str) -> dict[str, str]:
    return staff_only(admin_a=OK, **more)


def studio_route() -> dict[str, str]:
    """Reading the studio: authors, and team leads (who approve versions)."""
    return staff_only(author_a=OK, teamlead_a=OK)


def studio_change() -> dict[str, str]:
    """Changing forms: authors only (a team lead only approves)."""
    return staff_only(author_a=OK)


def api_route(**more: str) -> dict[str, str]:
    return {**{p: LOGIN for p in PERSONAS}, "api_a": OK, "api_b": HIDDEN, **more}


#: endpoint -> {visitor: outcome}, or {method: {visitor: outcome}} where the methods differ
MATRIX: dict[str, dict] = {
    "static": everyone(OK),
    # -- public pages and the applicant's wizard: open to everyone; without a draft a visitor is sent to the form --
    "public.index": everyone(OK),
    "public.form_overview": everyone(OK),
    "public.accessibility": everyone(OK),
    "public.privacy": everyone(OK),
    "public.imprint": everyone(OK),
    "public.end_session": everyone(OK),
    "wizard.start": everyone(OK),
    "wizard.tasklist": everyone(OK),
    "wizard.section": everyone(OK),
    "wizard.saved": everyone(OK),
    "wizard.review": everyone(OK),
    "wizard.submit": everyone(OK),
    "wizard.receipt_for_draft": {**everyone(HIDDEN), "applicant_other": OK},  # their own receipt
    "wizard.resume": everyone(HIDDEN),  # a token nobody holds
    "wizard.status": {"GET": everyone(OK), "POST": everyone(HIDDEN)},  # no such reference and code
    "documents.upload": everyone(OK),
    # another applicant's receipt: hidden from everyone but its holder
    "wizard.receipt": everyone(HIDDEN),
    "wizard.receipt_pdf": everyone(HIDDEN),
    # -- the applicant's case and mailbox: only with this application's access code --
    "mailbox.lookup": {"GET": everyone(OK), "POST": everyone(HIDDEN)},  # no such reference and code
    "mailbox.case": everyone(HIDDEN),
    "mailbox.letter": everyone(HIDDEN),
    "mailbox.upload": everyone(HIDDEN),
    "mailbox.hand_in": everyone(HIDDEN),
    "mailbox.answer": everyone(HIDDEN),
    "mailbox.withdraw": everyone(HIDDEN),
    # -- staff accounts --
    "accounts.login": everyone(OK),
    "accounts.sign_out": everyone(LOGIN),  # signs out (if signed in) and shows the sign-in page
    "accounts.home": staff_only(default=OK),
    "accounts.account": staff_only(default=OK),
    "accounts.sign_out_everywhere": everyone(LOGIN),
    "accounts.second_factor": everyone(LOGIN),  # without a pending sign-in: back to the sign-in page
    "accounts.second_factor_setup": staff_only(default=OK),  # signed in: enrol; else only during sign-in
    # -- the office: inbox and cases --
    "office.inbox": staff_only(caseworker_a=OK, teamlead_a=OK, caseworker_b=OK),  # each sees their own office
    "office.case": case_route(),
    "office.assign": case_route(),
    "office.change_status": case_route(),
    "office.add_note": case_route(),
    "office.document": case_route(),
    "office.document_preview": case_route(),
    "office.request_documents": case_route(),
    "office.decide": case_route(),
    "office.decision_letter": case_route(),
    "office.export_case": case_route(),
    # -- administration of office A (the audit log also for its team lead) --
    "admin.index": admin_route(),
    "admin.staff_list": admin_route(),
    "admin.staff_new": admin_route(),
    "admin.staff_edit": admin_route(),
    "admin.staff_enable": admin_route(),
    "admin.staff_disable": admin_route(),
    "admin.staff_reset_password": admin_route(),
    "admin.staff_end_sessions": admin_route(),
    "admin.staff_reset_totp": admin_route(),
    "admin.teams": admin_route(),
    "admin.team_edit": admin_route(),
    "admin.team_delete": admin_route(),
    "admin.postcodes": admin_route(),
    "admin.postcode_delete": admin_route(),
    "admin.settings": admin_route(),
    "admin.reasons": admin_route(),
    "admin.reason_edit": admin_route(),
    "admin.reason_delete": admin_route(),
    "admin.tokens": admin_route(),
    "admin.token_revoke": admin_route(),
    "admin.audit": admin_route(teamlead_a=OK),
    "admin.audit_csv": admin_route(teamlead_a=OK),
    "admin.audit_json": admin_route(teamlead_a=OK),
    # -- the API for the office's own software: bearer tokens only --
    "api.openapi": everyone(OK),
    "api.applications": {**{p: LOGIN for p in PERSONAS}, "api_a": OK, "api_b": OK},  # each its own office's
    "api.application": api_route(),
    "api.acknowledge": api_route(),
    "api.document": api_route(),
    # the body is judged before the application is looked up: an empty one is 422 for any token (with a
    # valid body, office B gets 404: tests/web/test_api.py)
    "api.events": api_route(api_b=OK),
    # -- the form authors' studio --
    "studio.index": studio_route(),
    "studio.upload": studio_change(),
    "studio.new_draft": studio_change(),
    "studio.version": studio_route(),
    "studio.edit": {"GET": studio_route(), "POST": studio_change()},
    "studio.lint_live": studio_change(),
    "studio.explanation": studio_route(),
    "studio.preview": studio_route(),
    "studio.cases": {"GET": studio_route(), "POST": studio_change()},
    "studio.compare": studio_route(),
    "studio.translate": {"GET": studio_route(), "POST": studio_change()},
    "studio.history": studio_route(),
    "studio.export": studio_route(),
    "studio.propose": studio_change(),
    "studio.approve": studio_route(),
    "studio.migrate_drafts": studio_change(),
    "studio.retire": studio_change(),
    "studio.discard": studio_change(),
    # -- online appointments: booking is open to everyone (a GET/POST without a search in the session goes back to
    # the start); a booking only with its access code (the `reference` here is no booking's: hidden from everyone)
    "appointments.start": everyone(OK),
    "appointments.slots": everyone(OK),
    "appointments.details": everyone(OK),
    "appointments.lookup": {"GET": everyone(OK), "POST": everyone(HIDDEN)},  # no such reference and code
    "appointments.confirmation": everyone(HIDDEN),
    "appointments.booking": everyone(HIDDEN),
    "appointments.calendar_file": everyone(HIDDEN),
    "appointments.cancel": everyone(HIDDEN),
    "appointments.move": everyone(HIDDEN),
    # the day's appointments: case workers (of either office: each sees their own) and team leads
    "appointments_staff.day": staff_only(caseworker_a=OK, teamlead_a=OK, caseworker_b=OK),
    # publishing and calling off slots (a slot of office A): team leads and admins
    "appointments_staff.slots": staff_only(teamlead_a=OK, admin_a=OK),
    "appointments_staff.slot_new": staff_only(teamlead_a=OK, admin_a=OK),
    "appointments_staff.slot_cancel": staff_only(teamlead_a=OK, admin_a=OK),
    "appointments_staff.settings": admin_route(),
}


def expected(endpoint: str, method: str, persona: str) -> str:
    row = MATRIX[endpoint]
    return row[method][persona] if method in row else row[persona]


def classify(response) -> str:
    status = response.status_code
    assert status < 500, f"{status}: {response.get_data(as_text=True)[:300]}"
    location = response.headers.get("Location", "")
    if status == 401 or (status in (301, 302, 303, 307) and "/amt/anmelden" in location):
        return LOGIN
    if status == 403:
        return DENIED
    if status == 404:
        return HIDDEN
    return OK


SETTINGS = dict(WTF_CSRF_ENABLED=False, RATE_LIMIT_FACTOR=0)


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    """One database with everything the routes need, and a signed-in session
    cookie per visitor; each test copies it."""
    folder = tmp_path_factory.mktemp("matrix")
    app = make_app(folder, **SETTINGS)
    made = create_offices(app)
    answers, as_of = first_valid_case()
    app.config["FORMWERK_TODAY"] = as_of
    answers["person"]["nachname"] = "Albers"  # office nord (postcode), team A-K (surname)
    answers["kontakt"]["plz"] = "10115"
    application = submit(app, app.test_client(), answers, as_of=as_of)
    other_applicant = app.test_client()
    answers["person"]["nachname"] = "Berger"
    submit(app, other_applicant, answers, as_of=as_of)
    storage = app.extensions["formwerk.storage"]
    values = {"slug": "buergergeld", "key": "person", "reference": application.reference, "token": "not-a-token",
              "filename": "formwerk.css"}
    tokens = {}
    with storage.session() as db:
        for slug in ("nord", "sued"):
            token = secrets.token_urlsafe(32)
            row = ApiToken(office_id=made.office[slug], name=f"test {slug}", scopes="read write",
                           token_hash=hashlib.sha256(token.encode()).hexdigest())
            db.add(row)
            db.flush()
            tokens[slug] = token
            if slug == "nord":
                values["token_id"] = row.id
        document = Document(application_id=application.id, requirement="ausweis@/ausweis", filename="a.pdf",
                            content_type="application/pdf", size=9, sha256="0" * 64, content=b"%PDF-1.4\n%")
        request = DocumentRequest(application_id=application.id, deadline=date.today() + timedelta(days=14),
                                  message="Bitte", items='[{"key": "x", "title": "Kontoauszug"}]', status="offen")
        decision = Decision(application_id=application.id, decided_by="Test", outcome="abgelehnt", reasons="-",
                            letter=b"%PDF-1.4\n%", letter_sha256="0" * 64)
        template = ReasonTemplate(office_id=made.office["nord"], title="Einkommen", text="Ihr Einkommen deckt den Bedarf.")
        db.add_all([document, request, decision, template])
        db.flush()
        slot = Slot(office_id=made.office["nord"], team_id=None, starts_at=datetime.now(timezone.utc) + timedelta(days=7),
                    minutes=30, channel="vor_ort", capacity=2, booked=0)
        db.add(slot)
        db.flush()
        values["slot_id"] = slot.id
        message = MailboxMessage(application_id=application.id, kind="bescheid", subject="Bescheid", body="",
                                 decision_id=decision.id)
        db.add(message)
        db.flush()
        values.update(document_id=document.id, request_id=request.id, decision_id=decision.id,
                      template_id=template.id, message_id=message.id, staff_id=made.staff["caseworker_a2"],
                      team_id=made.team[("nord", "L-Z")],
                      area_id=db.scalar(select(PostcodeArea.id).where(PostcodeArea.office_id == made.office["nord"])),
                      vid=db.scalar(select(FormVersion.id).where(FormVersion.slug == "buergergeld")
                                    .order_by(FormVersion.id.desc())))
        assert db.get(Team, values["team_id"]) is not None
    cookies = {"applicant_other": other_applicant.get_cookie("session").value}
    for persona in STAFF:
        client = app.test_client()
        assert login(client, made.email[persona]).status_code == 302, persona
        cookies[persona] = client.get_cookie("session").value
    with storage.engine.connect() as conn:  # everything into the main database file before copying
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    storage.engine.dispose()
    return {"db": folder / "instance" / "test.db", "values": values, "tokens": tokens, "cookies": cookies,
            "as_of": as_of}


def _rules():
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(Path(tmp))
        found = [(rule.endpoint, rule.rule, tuple(sorted(rule.methods & METHODS)))
                 for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint))]
        app.extensions["formwerk.storage"].engine.dispose()
    return found


RULES = _rules()


def test_every_route_has_an_entry_for_every_visitor():
    endpoints = {endpoint for endpoint, _, _ in RULES}
    missing = sorted(endpoints - MATRIX.keys())
    stale = sorted(MATRIX.keys() - endpoints)
    assert not missing, f"routes without an authorization entry: {missing}"
    assert not stale, f"entries for routes that no longer exist: {stale}"
    for endpoint, row in MATRIX.items():
        for outcomes in (row.values() if set(row) <= METHODS else [row]):
            assert set(outcomes) == set(PERSONAS), f"{endpoint}: an outcome for every visitor, please"


@pytest.mark.parametrize("endpoint, rule, methods", RULES, ids=[f"{e} {'/'.join(m)}" for e, _, m in RULES])
def test_route_answers_each_visitor_as_listed(prepared, tmp_path, endpoint, rule, methods):
    if endpoint not in MATRIX:
        pytest.fail(f"{endpoint} ({rule}) has no entry in MATRIX")
    database = tmp_path / "instance" / "test.db"
    database.parent.mkdir(parents=True)
    shutil.copyfile(prepared["db"], database)
    app = make_app(tmp_path, **SETTINGS)
    app.config["FORMWERK_TODAY"] = prepared["as_of"]
    try:
        values = prepared["values"]
        params = re.findall(r"<(?:[^:<>]+:)?([^<>]+)>", rule)
        unknown = [p for p in params if p not in values]
        assert not unknown, f"add a value for URL parameter(s) {unknown} in the `prepared` fixture"
        with app.test_request_context():
            url = url_for(endpoint, **{p: values[p] for p in params})
        failures = []
        for persona in PERSONAS:
            for method in methods:
                client, headers = app.test_client(), {}
                if persona in prepared["cookies"]:
                    client.set_cookie("session", prepared["cookies"][persona])
                elif persona.startswith("api_"):
                    headers["Authorization"] = f"Bearer {prepared['tokens']['nord' if persona == 'api_a' else 'sued']}"
                kwargs = {"json": {}} if endpoint.startswith("api.") and method == "POST" else {"data": {}}
                response = client.open(url, method=method, headers=headers, **kwargs)
                response.get_data()  # a streamed body runs to its end, as a server would run it
                response.close()
                got, want = classify(response), expected(endpoint, method, persona)
                if got != want:
                    failures.append(f"{method} {url} as {persona}: expected {want}, got {got} "
                                    f"({response.status_code} {response.headers.get('Location', '')})")
        assert not failures, "\n".join(failures)
    finally:
        app.extensions["formwerk.storage"].engine.dispose()
