"""Document requests (Nachforderung) from the case: the form, what a request
does to the case and the mailbox, validation, locking, scoping, e-mail."""

import json
import re

from sqlalchemy import select

from tests.casework import (deadline, fresh, post_request, smtp_server, staff_client,  # noqa: F401
                            submitted_case)
from tests.staff import csrf_token
from webapp.accounts.models import AuditEvent
from webapp.office.models import CaseEvent, DocumentRequest, MailboxMessage

AUSWEIS = "ausweis@/ausweis"


def _rows(app, model, application_id):
    with app.extensions["formwerk.storage"].reader() as db:
        return db.scalars(select(model).where(model.application_id == application_id).order_by(model.id)).all()


def _audit(app, reference):
    with app.extensions["formwerk.storage"].reader() as db:
        return [e.action for e in db.scalars(select(AuditEvent).where(AuditEvent.reference == reference)
                                             .order_by(AuditEvent.id))]


def test_the_form_offers_the_documents_the_answers_call_for(app, client, offices):
    application = submitted_case(app, client)
    staff = staff_client(app, offices)
    html = staff.get(f"/amt/faelle/{application.reference}/nachforderung").get_data(as_text=True)
    assert 'value="ausweis@/ausweis"' in html and "Ausweis" in html
    assert f'name="lock_version" value="{application.lock_version}"' in html
    assert 'type="date"' in html and 'id="request-deadline"' in html


def test_the_case_page_includes_the_actions_panel(app, client, offices):
    application = submitted_case(app, client)
    staff = staff_client(app, offices)
    html = staff.get(f"/amt/faelle/{application.reference}").get_data(as_text=True)
    assert 'id="case-actions"' in html
    assert f'action="/amt/faelle/{application.reference}/nachforderung"' in html
    assert f'href="/amt/faelle/{application.reference}/export.zip"' in html


def test_a_request_moves_the_case_and_lands_in_the_mailbox(app, client, offices):
    application = submitted_case(app, client)
    staff = staff_client(app, offices)
    response = post_request(app, staff, application.reference, documents=[AUSWEIS],
                            custom="Kontoauszüge der letzten drei Monate\n\n  Mietbescheinigung  ", days=10,
                            message="Wir brauchen noch diese Nachweise.")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/amt/faelle/{application.reference}#case-actions")
    case = fresh(app, application.reference)
    assert case.status == "unterlagen_nachgefordert"
    assert case.request_deadline.isoformat() == deadline(10)
    assert case.lock_version == application.lock_version + 1
    [request] = _rows(app, DocumentRequest, application.id)
    items = json.loads(request.items)
    assert [i["key"] for i in items] == [AUSWEIS, "frei-1", "frei-2"]
    assert [i["title"] for i in items][1:] == ["Kontoauszüge der letzten drei Monate", "Mietbescheinigung"]
    assert request.status == "offen" and request.message == "Wir brauchen noch diese Nachweise."
    [message] = _rows(app, MailboxMessage, application.id)
    assert message.kind == "nachforderung" and message.request_id == request.id
    assert "Mietbescheinigung" in message.body and "Wir brauchen noch diese Nachweise." in message.body
    events = _rows(app, CaseEvent, application.id)
    assert (events[-1].from_status, events[-1].to_status) == ("eingegangen", "unterlagen_nachgefordert")
    assert events[-1].actor.startswith("staff:")
    assert {"status.change", "request.create"} <= set(_audit(app, application.reference))
    page = staff.get(f"/amt/faelle/{application.reference}").get_data(as_text=True)
    assert "Mietbescheinigung" in page and "noch nicht eingegangen" in page


def test_the_same_document_is_asked_for_once(app, client, offices):
    application = submitted_case(app, client)
    staff = staff_client(app, offices)
    form = staff.get(f"/amt/faelle/{application.reference}/nachforderung").get_data(as_text=True)
    ausweis = re.search(r'value="ausweis@/ausweis"[^>]*>\s*<label[^>]*>([^<]+)</label>', form).group(1)
    custom = f"Mietbescheinigung\nMietbescheinigung\n  mietbescheinigung \nKontoauszug\n{ausweis.upper()}\nKontoauszug"
    response = post_request(app, staff, application.reference, documents=[AUSWEIS, AUSWEIS], custom=custom)
    assert response.status_code == 302
    [request] = _rows(app, DocumentRequest, application.id)
    items = json.loads(request.items)
    assert [(i["key"], i["title"]) for i in items] == [
        (AUSWEIS, ausweis), ("frei-1", "Mietbescheinigung"), ("frei-2", "Kontoauszug")]


def test_a_second_request_keeps_the_status_and_the_earliest_deadline(app, client, offices):
    application = submitted_case(app, client)
    staff = staff_client(app, offices)
    assert post_request(app, staff, application.reference, custom="Lohnabrechnung", days=20).status_code == 302
    assert post_request(app, staff, application.reference, custom="Kontoauszug", days=7).status_code == 302
    case = fresh(app, application.reference)
    assert case.status == "unterlagen_nachgefordert"
    assert case.request_deadline.isoformat() == deadline(7)
    assert len(_rows(app, DocumentRequest, application.id)) == 2


def test_bad_input_is_refused_with_a_message(app, client, offices):
    application = submitted_case(app, client)
    staff = staff_client(app, offices)
    cases = [
        (dict(), "Wählen Sie mindestens eine Unterlage aus oder nennen Sie eine."),
        (dict(documents=["nicht-im-antrag@/x"]), "Wählen Sie nur Unterlagen aus der Liste."),
        (dict(custom="x" * 201), "Jede Zeile darf höchstens 200 Zeichen lang sein."),
        (dict(custom="\n".join(f"Unterlage {n}" for n in range(21))), "höchstens 20 Unterlagen"),
        (dict(custom="Lohnabrechnung", days=0), "Die Frist muss in der Zukunft liegen."),
        (dict(custom="Lohnabrechnung", days=400), "höchstens ein Jahr"),
        (dict(custom="Lohnabrechnung", message="x" * 4001), "höchstens 4000 Zeichen"),
    ]
    for fields, text in cases:
        response = post_request(app, staff, application.reference, **fields)
        assert response.status_code == 400, fields
        html = response.get_data(as_text=True)
        assert text in html and 'class="error-summary"' in html, fields
    token = csrf_token(staff, f"/amt/faelle/{application.reference}/nachforderung")
    response = staff.post(f"/amt/faelle/{application.reference}/nachforderung",
                          data={"csrf_token": token, "lock_version": "0", "custom": "Lohnabrechnung",
                                "deadline": "31.12.2099"})
    assert response.status_code == 400 and "Geben Sie die Frist als Datum an." in response.get_data(as_text=True)
    assert _rows(app, DocumentRequest, application.id) == []
    assert fresh(app, application.reference).status == "eingegangen"


def test_a_stale_form_gets_a_conflict_and_changes_nothing(app, client, offices):
    application = submitted_case(app, client)
    staff = staff_client(app, offices)
    assert post_request(app, staff, application.reference, custom="Lohnabrechnung").status_code == 302
    response = post_request(app, staff, application.reference, custom="Kontoauszug", lock_version=0)
    assert response.status_code == 409
    assert "Jemand anderes hat diesen Fall inzwischen geändert" in response.get_data(as_text=True)
    assert len(_rows(app, DocumentRequest, application.id)) == 1
    token = csrf_token(staff, f"/amt/faelle/{application.reference}/nachforderung")
    response = staff.post(f"/amt/faelle/{application.reference}/nachforderung",
                          data={"csrf_token": token, "custom": "Kontoauszug", "deadline": deadline()})
    assert response.status_code == 400 and "Laden Sie den Fall neu" in response.get_data(as_text=True)


def test_no_request_on_a_decided_case(app, client, offices):
    from tests.casework import move, post_decision

    application = submitted_case(app, client)
    staff = staff_client(app, offices)
    move(app, application.reference, "in_bearbeitung")
    assert post_decision(app, staff, application.reference, outcome="abgelehnt",
                         reasons_text="Einkommen deckt den Bedarf.").status_code == 302
    response = post_request(app, staff, application.reference, custom="Lohnabrechnung")
    assert response.status_code == 409
    assert "Das ist im aktuellen Status des Falls nicht möglich." in response.get_data(as_text=True)


def test_scoping_roles_and_csrf(app, client, offices):
    application = submitted_case(app, client)
    path = f"/amt/faelle/{application.reference}/nachforderung"
    for key in ("caseworker_a", "caseworker_b", "teamlead_b"):  # other team, other office
        other = staff_client(app, offices, key)
        assert other.get(path).status_code == 404, key
        token = csrf_token(other, "/amt/konto")
        assert other.post(path, data={"csrf_token": token, "lock_version": "0", "custom": "x",
                                      "deadline": deadline()}).status_code == 404, key
    for key in ("author_a", "admin_a"):
        assert staff_client(app, offices, key).get(path).status_code == 403, key
    assert staff_client(app, offices, "teamlead_a").get(path).status_code == 200
    anonymous = app.test_client()
    assert anonymous.get(path).status_code == 302
    assert client.get(path).status_code == 302  # the applicant is not staff
    staff = staff_client(app, offices)
    response = staff.post(path, data={"lock_version": "0", "custom": "Lohnabrechnung", "deadline": deadline()})
    assert response.status_code == 400
    assert _rows(app, DocumentRequest, application.id) == []
    assert staff.get("/amt/faelle/FW-00000000-NOPE/nachforderung").status_code == 404


def test_the_applicant_gets_an_e_mail_without_the_content(app, client, offices, smtp_server):
    url, mailbox = smtp_server
    app.config["FORMWERK_SMTP_URL"] = url
    app.config["PUBLIC_URL"] = "https://antrag.example.de"
    application = submitted_case(app, client)
    with app.extensions["formwerk.storage"].session() as db:
        row = db.get(type(application), application.id)
        row.notify_email = "anna.schmidt@example.org"
    staff = staff_client(app, offices)
    assert post_request(app, staff, application.reference, custom="Geheime Lohnabrechnung",
                        message="Vertraulicher Text").status_code == 302
    [envelope] = mailbox.messages
    assert envelope.rcpt_tos == ["anna.schmidt@example.org"]
    assert envelope.mail_from == "jobcenter@nord.example"
    [message] = mailbox.parsed()
    assert message["Subject"] == "Sie haben neue Post / You have new mail"
    body = message.get_content()
    assert "https://antrag.example.de/vorgang" in body
    assert "Geheime" not in body and "Vertraulich" not in body and application.reference not in body


def test_a_failing_mail_server_does_not_fail_the_request(app, client, offices, caplog):
    from tests.casework import free_port

    app.config["FORMWERK_SMTP_URL"] = f"smtp://127.0.0.1:{free_port()}"  # nothing listens there
    application = submitted_case(app, client)
    with app.extensions["formwerk.storage"].session() as db:
        row = db.get(type(application), application.id)
        row.notify_email = "anna.schmidt@example.org"
    staff = staff_client(app, offices)
    assert post_request(app, staff, application.reference, custom="Lohnabrechnung").status_code == 302
    assert fresh(app, application.reference).status == "unterlagen_nachgefordert"
    assert "new-post notification not sent" in caplog.text


def test_smtp_urls():
    import pytest

    from webapp.office.notify import parse_url

    plain = parse_url("smtp://mail.example:2525")
    assert (plain.host, plain.port, plain.tls, plain.username) == ("mail.example", 2525, "none", None)
    secure = parse_url("smtps://amt%40example.org:p%40ss@mail.example?from=post@example.org")
    assert (secure.port, secure.tls, secure.username, secure.password, secure.sender) == (
        465, "implicit", "amt@example.org", "p@ss", "post@example.org")
    assert parse_url("smtp://u:p@mail.example?starttls=1").tls == "starttls"
    for bad in ("http://mail.example", "smtp://", "mail.example:25"):
        with pytest.raises(ValueError):
            parse_url(bad)
