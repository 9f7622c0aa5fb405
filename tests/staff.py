"""Test helpers for the staff side: two offices with every role, signing in,
and submitting an application through the applicant's real submit route.

Offices: "nord" (postcodes 00000-49999; teams "A-K" and "L-Z") and "sued"
(postcodes 50000-99999, the fallback office; one team "A-Z"). Every account
has the password :data:`PASSWORD`."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyotp
import pytest
from sqlalchemy import select

from webapp.accounts.models import Office, PostcodeArea, StaffUser, Team, TeamRange
from webapp.accounts.passwords import hash_password
from webapp.storage import Application

PASSWORD = "correct horse battery staple"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
FORMS = Path(__file__).resolve().parents[1] / "forms"

#: (key, office, role, team) of every account the ``offices`` fixture creates
ACCOUNTS = (
    ("caseworker_a", "nord", "caseworker", "A-K"),
    ("caseworker_a2", "nord", "caseworker", "L-Z"),
    ("teamlead_a", "nord", "teamlead", None),
    ("author_a", "nord", "author", None),
    ("admin_a", "nord", "admin", None),
    ("caseworker_b", "sued", "caseworker", "A-Z"),
    ("teamlead_b", "sued", "teamlead", None),
    ("author_b", "sued", "author", None),
    ("admin_b", "sued", "admin", None),
)


@dataclass
class Offices:
    """What the ``offices`` fixture created: ids by office slug, e-mail
    addresses and ids by account key."""

    office: dict[str, int] = field(default_factory=dict)
    team: dict[tuple[str, str], int] = field(default_factory=dict)
    email: dict[str, str] = field(default_factory=dict)
    staff: dict[str, int] = field(default_factory=dict)


def create_offices(app) -> Offices:
    made = Offices()
    storage = app.extensions["formwerk.storage"]
    password_hash = hash_password(PASSWORD)  # one hash for all: argon2 is slow on purpose
    with storage.session() as db:
        for slug, name, areas, fallback, teams in (
            ("nord", "Jobcenter Nord", [("00000", "49999")], False, [("A-K", "A", "K"), ("L-Z", "L", "Z")]),
            ("sued", "Jobcenter Süd", [("50000", "99999")], True, [("A-Z", "A", "Z")]),
        ):
            office = Office(slug=slug, name=name, letterhead=f"{name}\nAmtsweg 1\n{areas[0][0]} Stadt",
                            legal_remedy="Gegen diesen Bescheid kann innerhalb eines Monats Widerspruch erhoben werden.",
                            target_days=21, is_fallback=fallback, mfa_required=False)
            db.add(office)
            db.flush()
            made.office[slug] = office.id
            for first, last in areas:
                db.add(PostcodeArea(office_id=office.id, first=first, last=last))
            for team_name, first, last in teams:
                team = Team(office_id=office.id, name=team_name)
                db.add(team)
                db.flush()
                db.add(TeamRange(team_id=team.id, first=first, last=last))
                made.team[(slug, team_name)] = team.id
        for key, slug, role, team_name in ACCOUNTS:
            email = f"{key.replace('_', '.')}@{slug}.example"
            account = StaffUser(office_id=made.office[slug], team_id=made.team.get((slug, team_name)), email=email,
                                name=key.replace("_", " ").title(), role=role, password_hash=password_hash,
                                active=True, failed_logins=0, session_version=0)
            db.add(account)
            db.flush()
            made.email[key] = email
            made.staff[key] = account.id
    return made


@pytest.fixture
def offices(app) -> Offices:
    return create_offices(app)


def csrf_token(client, path: str = "/amt/anmelden") -> str:
    return CSRF.search(client.get(path).get_data(as_text=True)).group(1)


def login(client, email: str, password: str = PASSWORD, totp_secret: str | None = None):
    """Sign in through the real form; returns the final response of the sign-in post(s)."""
    response = client.post("/amt/anmelden", data={"csrf_token": csrf_token(client), "email": email, "password": password})
    if totp_secret and response.status_code == 302 and "zweiter-faktor" in response.headers["Location"]:
        token = csrf_token(client, response.headers["Location"])
        response = client.post(response.headers["Location"],
                               data={"csrf_token": token, "code": pyotp.TOTP(totp_secret).now()})
    return response


@pytest.fixture(scope="module")
def live_offices(live_app) -> Offices:
    """Offices and staff in the browser tests' live app (created once per
    session, whichever module asks first). Import it into a browser test
    module to use it."""
    made = live_app.extensions.get("tests.offices")
    if made is None:
        made = live_app.extensions["tests.offices"] = create_offices(live_app)
    return made


def browser_sign_in(page, live_server: str, email: str, password: str = PASSWORD) -> None:
    """Sign in through the real form in a Playwright page and wait until the
    staff page after it is there."""
    from playwright.sync_api import expect

    page.goto(f"{live_server}/amt/anmelden")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()


def settle(page) -> None:
    """Wait until no htmx request of the page is in flight."""
    if page.evaluate("() => typeof window.htmx !== 'undefined'"):
        page.wait_for_function("() => !document.querySelector('.htmx-request')")


def first_valid_case(slug: str = "buergergeld") -> tuple[dict, date]:
    """The answers and reference date of the form's first example case that is valid."""
    for path in sorted((FORMS / slug / "cases").glob("*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        expect = case.get("expect") or {}
        if expect.get("valid") is True:
            return case["answers"], date.fromisoformat(case.get("as_of", date.today().isoformat()))
    raise LookupError(f"{slug} has no valid example case")


def submit(app, client, answers: dict, slug: str = "buergergeld", as_of: date | None = None) -> Application:
    """Submit ``answers`` as an applicant would (a draft, then the real
    ``/absenden`` route, warnings confirmed); returns the stored application."""
    catalog = app.extensions["formwerk.catalog"]
    drafts = app.extensions["formwerk.drafts"]
    published = catalog.get(slug)
    draft = drafts.create(published)
    draft.answers = answers
    outcome = published.form.check(answers, as_of=as_of)
    draft.confirmations = sorted(w.confirmation for w in outcome.warnings if w.confirmation)
    drafts.save(draft)
    with client.session_transaction() as session:
        session.setdefault("drafts", {})[slug] = draft.token
    token = CSRF.search(client.get(f"/antrag/{slug}/pruefen").get_data(as_text=True)).group(1)
    response = client.post(f"/antrag/{slug}/absenden", data={"csrf_token": token})
    assert response.status_code == 302 and "/eingang/" in response.headers["Location"], response.get_data(as_text=True)[:500]
    reference = response.headers["Location"].rsplit("/", 1)[-1]
    with app.extensions["formwerk.storage"].reader() as db:
        return db.scalar(select(Application).where(Application.reference == reference))
