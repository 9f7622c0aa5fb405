"""Decisions (Bescheid): validation on the server, the PDF letter, the move
to "entschieden", delivery to the mailbox, locking, scoping, e-mail."""

import hashlib
import io
from datetime import date

import pytest
from pypdf import PdfReader

from tests.casework import (fresh, move, post_decision, rows, smtp_server, staff_client,  # noqa: F401
                            submitted_case)
from tests.staff import csrf_token
from webapp.accounts.models import AuditEvent
from webapp.office.decisions import parse_amount
from webapp.office.models import CaseEvent, Decision, MailboxMessage, ReasonTemplate

GRANT = dict(outcome="bewilligt", amount="563,00", period_from="2026-12-01", period_to="2027-11-30")


_rows = rows


@pytest.fixture(autouse=True)
def _today(app):
    """The periods below are judged against a fixed "today" (a period must not end in the past)."""
    app.config["FORMWERK_TODAY"] = date(2026, 11, 25)


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def _ready_case(app, client):
    application = submitted_case(app, client)
    move(app, application.reference, "in_bearbeitung")
    return application


def test_the_form_seeds_reason_templates_and_explains_when_it_cannot_be_used(app, client, offices):
    application = submitted_case(app, client)
    staff = staff_client(app, offices)
    html = staff.get(f"/amt/faelle/{application.reference}/bescheid").get_data(as_text=True)
    assert "Entscheiden können Sie, wenn der Fall in Bearbeitung" in html  # still "eingegangen"
    templates = _rows(app, ReasonTemplate, office_id=offices.office["nord"])
    assert len(templates) >= 3 and any("Einkommen" in t.title for t in templates)
    assert _rows(app, ReasonTemplate, office_id=offices.office["sued"]) == []
    move(app, application.reference, "in_bearbeitung")
    html = staff.get(f"/amt/faelle/{application.reference}/bescheid").get_data(as_text=True)
    assert 'value="teilweise_bewilligt"' in html and f'value="{templates[0].id}"' in html
    assert len(_rows(app, ReasonTemplate, office_id=offices.office["nord"])) == len(templates)  # seeded once


def test_a_grant_makes_a_letter_moves_the_case_and_delivers_it(app, client, offices):
    application = _ready_case(app, client)
    staff = staff_client(app, offices)
    response = post_decision(app, staff, application.reference, **GRANT)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    case = fresh(app, application.reference)
    assert case.status == "entschieden"
    [decision] = _rows(app, Decision, application_id=application.id)
    assert decision.outcome == "bewilligt" and str(decision.monthly_amount) == "563.00"
    assert decision.period_from.isoformat() == "2026-12-01" and decision.period_to.isoformat() == "2027-11-30"
    assert decision.letter.startswith(b"%PDF-")
    assert decision.letter_sha256 == hashlib.sha256(decision.letter).hexdigest()
    text = _text(decision.letter)
    for expected in ("Jobcenter Nord", "Amtsweg 1", application.reference, "563,00 €", "01.12.2026", "30.11.2027",
                     "Rechtsbehelfsbelehrung", "Widerspruch erhoben werden", "Caseworker A2", "Schmidt"):
        assert expected in text, expected
    [message] = _rows(app, MailboxMessage, application_id=application.id, kind="bescheid")
    assert message.decision_id == decision.id and message.first_opened_at is None
    event = _rows(app, CaseEvent, application_id=application.id)[-1]
    assert (event.from_status, event.to_status) == ("in_bearbeitung", "entschieden")
    actions = [e.action for e in _rows(app, AuditEvent, reference=application.reference)]
    assert "decision.create" in actions
    page = staff.get(f"/amt/faelle/{application.reference}").get_data(as_text=True)
    assert "Bewilligt" in page and "noch nicht geöffnet" in page and "563,00 €" in page
    letter = staff.get(f"/amt/faelle/{application.reference}/bescheide/{decision.id}/bescheid.pdf")
    assert letter.status_code == 200 and letter.data == decision.letter
    assert letter.headers["Content-Disposition"].startswith("attachment")
    assert "decision.download" in [e.action for e in _rows(app, AuditEvent, reference=application.reference)]
    # decided: no second decision
    again = post_decision(app, staff, application.reference, **GRANT)
    assert again.status_code == 409 and len(_rows(app, Decision, application_id=application.id)) == 1


def test_a_refusal_with_reasons_from_templates_and_own_text(app, client, offices):
    application = _ready_case(app, client)
    staff = staff_client(app, offices)
    staff.get(f"/amt/faelle/{application.reference}/bescheid")  # seeds the templates
    template = _rows(app, ReasonTemplate, office_id=offices.office["nord"])[0]
    response = post_decision(app, staff, application.reference, outcome="abgelehnt", reasons=[template.id],
                             reasons_text="Außerdem fehlt die Mitwirkung.", amount="", period_from="", period_to="")
    assert response.status_code == 302
    [decision] = _rows(app, Decision, application_id=application.id)
    assert decision.monthly_amount is None and decision.period_from is None
    assert decision.reasons.startswith(template.text) and decision.reasons.endswith("Außerdem fehlt die Mitwirkung.")
    text = _text(decision.letter)
    assert "wird abgelehnt" in text and "Begründung" in text and "Mitwirkung" in text


def test_a_partial_grant_needs_amount_period_and_reasons(app, client, offices):
    application = _ready_case(app, client)
    staff = staff_client(app, offices)
    response = post_decision(app, staff, application.reference, outcome="teilweise_bewilligt", amount="100",
                             period_from="2026-12-01", period_to="2027-05-31")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Begründen Sie die teilweise Bewilligung" in html and "Begründen Sie die Ablehnung" not in html
    response = post_decision(app, staff, application.reference, outcome="teilweise_bewilligt", amount="100",
                             period_from="2026-12-01", period_to="2027-05-31",
                             reasons_text="Die Unterkunftskosten sind nur teilweise angemessen.")
    assert response.status_code == 302
    [decision] = _rows(app, Decision, application_id=application.id)
    assert "teilweise entsprochen" in _text(decision.letter)


def test_bad_input_is_refused_with_a_message_and_nothing_changes(app, client, offices):
    application = _ready_case(app, client)
    staff = staff_client(app, offices)
    cases = [
        (dict(GRANT, outcome=""), "Wählen Sie die Entscheidung aus."),
        (dict(GRANT, outcome="vielleicht"), "Wählen Sie die Entscheidung aus."),
        (dict(GRANT, amount=""), "Geben Sie den monatlichen Betrag an."),
        (dict(GRANT, amount="-5,00"), "als Zahl ab 0"),
        (dict(GRANT, amount="12,345"), "als Zahl ab 0"),
        (dict(GRANT, amount="zwölf"), "als Zahl ab 0"),
        (dict(GRANT, amount="1e5"), "als Zahl ab 0"),
        (dict(GRANT, amount="NaN"), "als Zahl ab 0"),
        (dict(GRANT, amount="999999999"), "als Zahl ab 0"),
        (dict(GRANT, period_from="2027-12-01", period_to="2027-01-01"), "nicht vor seinem Beginn"),
        (dict(GRANT, period_from="01.12.2026"), "Beginn des Bewilligungszeitraums als Datum"),
        (dict(GRANT, period_to="2027-02-30"), "Ende des Bewilligungszeitraums als Datum"),
        (dict(GRANT, period_to="9999-12-31"), "Ende des Bewilligungszeitraums liegt außerhalb des zulässigen Bereichs"),
        (dict(GRANT, period_from="1999-12-01"), "Beginn des Bewilligungszeitraums liegt außerhalb des zulässigen"),
        (dict(GRANT, amount="0"), "braucht einen Betrag über 0 €"),
        (dict(GRANT, amount="0,00"), "braucht einen Betrag über 0 €"),
        (dict(GRANT, amount="99999999"), "unplausibel hoch"),
        (dict(GRANT, amount="10.000,01"), "unplausibel hoch"),
        (dict(GRANT, period_from="2020-01-01", period_to="2020-12-31"), "nicht in der Vergangenheit liegen"),
        (dict(GRANT, period_from="2027-03-01", period_to="2027-08-31"), "höchstens 3 Monate in der Zukunft"),
        (dict(GRANT, period_from="2026-12-01", period_to="2027-12-01"), "höchstens 12 Monate dauern"),
        (dict(GRANT, period_from="2026-12-01", period_to="2030-11-30"), "höchstens 12 Monate dauern"),
        (dict(outcome="abgelehnt"), "Begründen Sie die Ablehnung"),
        (dict(outcome="abgelehnt", reasons_text="x" * 20001), "Die Begründung ist zu lang."),
    ]
    for fields, text in cases:
        response = post_decision(app, staff, application.reference, **fields)
        assert response.status_code == 400, fields
        html = response.get_data(as_text=True)
        assert text in html and 'class="error-summary"' in html, fields
    response = post_decision(app, staff, application.reference, outcome="abgelehnt", reasons=["999999"])
    assert response.status_code == 400 and "Wählen Sie nur Textbausteine aus der Liste." in response.get_data(as_text=True)
    assert _rows(app, Decision, application_id=application.id) == []
    assert fresh(app, application.reference).status == "in_bearbeitung"


def test_the_limits_themselves_are_accepted(app, client, offices):
    """The highest amount, a start exactly 3 months ahead and a period of exactly 12 months."""
    application = _ready_case(app, client)
    staff = staff_client(app, offices)
    response = post_decision(app, staff, application.reference, outcome="bewilligt", amount="10.000,00",
                             period_from="2027-02-25", period_to="2028-02-24")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def test_amounts():
    assert str(parse_amount("563")) == "563.00"
    assert str(parse_amount("563,5")) == "563.50"
    assert str(parse_amount("1.234,56")) == "1234.56"
    assert str(parse_amount("1.234")) == "1234.00"
    assert str(parse_amount("1234.56")) == "1234.56"
    assert str(parse_amount(" 0,00 € ")) == "0.00"
    for bad in ("", "-1", "1,234,5", "1.2.3", "12,345", "1e3", "Infinity", "٣", "+5"):
        assert parse_amount(bad) is None, bad


def test_two_caseworkers_at_once_the_second_gets_a_conflict(app, client, offices):
    application = _ready_case(app, client)
    first = staff_client(app, offices)
    second = staff_client(app, offices, "teamlead_a")
    version = fresh(app, application.reference).lock_version
    assert post_decision(app, first, application.reference, lock_version=version, **GRANT).status_code == 302
    response = post_decision(app, second, application.reference, lock_version=version,
                             outcome="abgelehnt", reasons_text="Einkommen deckt den Bedarf.")
    assert response.status_code == 409
    assert "Jemand anderes hat diesen Fall inzwischen geändert" in response.get_data(as_text=True)
    [decision] = _rows(app, Decision, application_id=application.id)
    assert decision.outcome == "bewilligt"


def test_no_decision_while_documents_are_outstanding(app, client, offices):
    from tests.casework import post_request

    application = _ready_case(app, client)
    staff = staff_client(app, offices)
    assert post_request(app, staff, application.reference, custom="Lohnabrechnung").status_code == 302
    response = post_decision(app, staff, application.reference, **GRANT)
    assert response.status_code == 409
    assert "Das ist im aktuellen Status des Falls nicht möglich." in response.get_data(as_text=True)


def test_scoping_roles_and_csrf(app, client, offices):
    application = _ready_case(app, client)
    path = f"/amt/faelle/{application.reference}/bescheid"
    for key in ("caseworker_a", "caseworker_b", "teamlead_b"):
        other = staff_client(app, offices, key)
        assert other.get(path).status_code == 404, key
        token = csrf_token(other, "/amt/konto")
        assert other.post(path, data={"csrf_token": token, "lock_version": "1", **GRANT}).status_code == 404, key
    for key in ("author_a", "admin_a"):
        assert staff_client(app, offices, key).get(path).status_code == 403, key
    assert app.test_client().get(path).status_code == 302
    staff = staff_client(app, offices)
    assert staff.post(path, data={"lock_version": "1", **GRANT}).status_code == 400  # no CSRF token
    assert _rows(app, Decision, application_id=application.id) == []
    assert post_decision(app, staff, application.reference, **GRANT).status_code == 302
    [decision] = _rows(app, Decision, application_id=application.id)
    letter = f"/amt/faelle/{application.reference}/bescheide/{decision.id}/bescheid.pdf"
    assert staff_client(app, offices, "caseworker_b").get(letter).status_code == 404
    assert staff.get(f"/amt/faelle/{application.reference}/bescheide/{decision.id + 1}/bescheid.pdf").status_code == 404


def test_the_decision_is_announced_by_e_mail(app, client, offices, smtp_server):
    url, mailbox = smtp_server
    app.config["FORMWERK_SMTP_URL"] = url
    application = _ready_case(app, client)
    with app.extensions["formwerk.storage"].session() as db:
        db.get(type(application), application.id).notify_email = "anna@example.org"
    staff = staff_client(app, offices)
    assert post_decision(app, staff, application.reference, **GRANT).status_code == 302
    [message] = mailbox.parsed()
    assert message["To"] == "anna@example.org" and "neue Post" in message["Subject"]
    body = message.get_content()
    assert "563" not in body and "bewilligt" not in body.lower()
    assert not any(part.get_content_type() == "application/pdf" for part in message.walk())
