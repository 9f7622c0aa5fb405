"""The applicant's case page and mailbox (/vorgang): access by reference and
access code, answering document requests with uploads, the decision letter
with its delivery receipt, withdrawal."""

import ast
import json
import re
from pathlib import Path


from tests.casework import (PDF, PNG, applicant_token, fresh, move, post_decision, post_request, rows, staff_client,
                            submitted_case, upload)
from tests.security.samples import pdf_with_javascript
from tests.staff import CSRF
from webapp.accounts.models import AuditEvent
from webapp.office.models import DocumentRequest, MailboxMessage
from webapp.storage import Document, utcnow

AUSWEIS = "ausweis@/ausweis"


_rows = rows


def _actions(app, reference):
    return [e.action for e in _rows(app, AuditEvent, reference=reference)]


def _access_code(client, reference):
    with client.session_transaction() as session:
        return session["receipts"][reference]


def _requested(app, client, offices, **fields):
    application = submitted_case(app, client)
    staff = staff_client(app, offices)
    fields = fields or dict(documents=[AUSWEIS], custom="Kontoauszüge der letzten drei Monate")
    assert post_request(app, staff, application.reference, message="Bitte bis zur Frist einreichen.",
                        **fields).status_code == 302
    [request] = _rows(app, DocumentRequest, application_id=application.id)
    return application, staff, request


def test_the_case_page_shows_status_and_history_in_plain_words(app, client, offices):
    application = submitted_case(app, client)
    html = client.get(f"/vorgang/{application.reference}").get_data(as_text=True)
    assert "Ihr Vorgang" in html and application.reference in html
    assert "Ihr Antrag ist beim Jobcenter eingegangen." in html and "Eingegangen" in html
    assert "Ihr Postfach ist leer." in html
    assert f'href="/vorgang/{application.reference}/zuruecknehmen"' in html


def test_access_needs_the_access_code_in_this_session(app, client, offices):
    application = submitted_case(app, client)
    code = _access_code(client, application.reference)
    stranger = app.test_client()
    assert stranger.get(f"/vorgang/{application.reference}").status_code == 404
    # another applicant, with their own case, cannot open this one
    other_client = app.test_client()
    other = submitted_case(app, other_client)
    assert other_client.get(f"/vorgang/{other.reference}").status_code == 200
    assert other_client.get(f"/vorgang/{application.reference}").status_code == 404
    assert client.get(f"/vorgang/{other.reference}").status_code == 404
    assert other_client.get(f"/vorgang/{application.reference}/zuruecknehmen").status_code == 404
    # the look-up: a wrong code is refused, the right one opens the case in this browser
    page = stranger.get("/vorgang")
    token = CSRF.search(page.get_data(as_text=True)).group(1)
    wrong = stranger.post("/vorgang", data={"csrf_token": token, "reference": application.reference, "token": "falsch"})
    assert wrong.status_code == 404 and "keinen Antrag gefunden" in wrong.get_data(as_text=True)
    assert stranger.post("/vorgang", data={"reference": application.reference, "token": code}).status_code == 400  # CSRF
    right = stranger.post("/vorgang", data={"csrf_token": token, "reference": application.reference.lower(),
                                            "token": code})
    assert right.status_code == 302 and right.headers["Location"] == f"/vorgang/{application.reference}"
    assert code not in right.headers["Location"]
    assert stranger.get(f"/vorgang/{application.reference}").status_code == 200


def test_the_status_page_leads_to_the_case_page_in_every_state(app, client, offices):
    application = submitted_case(app, client)
    code = _access_code(client, application.reference)
    move(app, application.reference, "in_bearbeitung")
    visitor = app.test_client()
    token = CSRF.search(visitor.get("/status").get_data(as_text=True)).group(1)
    html = visitor.post("/status", data={"csrf_token": token, "reference": application.reference,
                                         "token": code}).get_data(as_text=True)
    assert "In Bearbeitung" in html and 'action="/vorgang"' in html and "Zu Ihrem Vorgang und Postfach" in html
    token = CSRF.search(html).group(1)
    response = visitor.post("/vorgang", data={"csrf_token": token, "reference": application.reference, "token": code})
    assert response.status_code == 302
    assert "Ihr Antrag wird bearbeitet." in visitor.get(response.headers["Location"]).get_data(as_text=True)


def test_answering_a_request_with_uploads(app, client, offices):
    application, staff, request = _requested(app, client, offices)
    reference = application.reference
    html = client.get(f"/vorgang/{reference}").get_data(as_text=True)
    assert "Das Jobcenter braucht noch Unterlagen" in html and "Bitte bis zur Frist einreichen." in html
    assert "Kontoauszüge der letzten drei Monate" in html and "Bitte reichen Sie Unterlagen nach" in html
    assert "Laden Sie zu jedem Punkt mindestens eine Datei hoch" in html
    assert upload(client, reference, request.id, AUSWEIS, PDF, "ausweis.pdf").status_code == 302
    early = client.post(f"/vorgang/{reference}/unterlagen/{request.id}/senden",
                        data={"csrf_token": applicant_token(client, reference)})
    assert early.status_code == 400 and "Es fehlt noch mindestens eine Datei" in early.get_data(as_text=True)
    assert upload(client, reference, request.id, "frei-1", PNG, "konto.png").status_code == 302
    [first, second] = _rows(app, Document, request_id=request.id)
    assert (first.application_id, first.requirement, first.content_type) == (application.id, AUSWEIS, "application/pdf")
    assert (second.requirement, second.content_type, second.draft_id) == ("frei-1", "image/png", None)
    html = client.get(f"/vorgang/{reference}").get_data(as_text=True)
    assert "ausweis.pdf" in html and "konto.png" in html and "Unterlagen absenden" in html
    # staff see what arrived, and when, before the answer is sent
    case_page = staff.get(f"/amt/faelle/{reference}").get_data(as_text=True)
    assert "ausweis.pdf" in case_page and "konto.png" in case_page
    sent = client.post(f"/vorgang/{reference}/unterlagen/{request.id}/senden",
                       data={"csrf_token": applicant_token(client, reference)})
    assert sent.status_code == 302
    [request] = _rows(app, DocumentRequest, id=request.id)
    assert request.status == "beantwortet" and request.answered_at is not None
    case = fresh(app, reference)
    assert case.status == "in_bearbeitung" and case.request_deadline is None
    assert {"request.upload", "request.answer", "status.change"} <= set(_actions(app, reference))
    html = client.get(f"/vorgang/{reference}").get_data(as_text=True)
    assert "Ihre Unterlagen sind beim Jobcenter eingegangen." in html
    assert "Eingereichte Unterlagen" in html and "Das Jobcenter braucht noch Unterlagen" not in html
    # answered: nothing more can be uploaded or sent for it
    assert upload(client, reference, request.id, AUSWEIS, PDF).status_code == 302
    assert len(_rows(app, Document, request_id=request.id)) == 2
    assert "beantwortet am" in staff.get(f"/amt/faelle/{reference}").get_data(as_text=True)


def test_the_case_stays_requested_while_another_request_is_open(app, client, offices):
    application, staff, first = _requested(app, client, offices, custom="Lohnabrechnung")
    assert post_request(app, staff, application.reference, custom="Mietvertrag", days=30).status_code == 302
    upload(client, application.reference, first.id, "frei-1", PDF)
    client.post(f"/vorgang/{application.reference}/unterlagen/{first.id}/senden",
                data={"csrf_token": applicant_token(client, application.reference)})
    case = fresh(app, application.reference)
    assert case.status == "unterlagen_nachgefordert"
    assert case.request_deadline.isoformat() == _rows(app, DocumentRequest, status="offen")[0].deadline.isoformat()


def test_hostile_uploads_are_refused_with_a_message(app, client, offices):
    application, _, request = _requested(app, client, offices)
    reference = application.reference
    wrong = upload(client, reference, request.id, AUSWEIS, b"MZ\x90\x00 not a pdf", "ausweis.pdf")
    assert wrong.status_code == 400 and "Laden Sie eine PDF-, JPEG- oder PNG-Datei hoch." in wrong.get_data(as_text=True)
    active = upload(client, reference, request.id, AUSWEIS, pdf_with_javascript(), "ausweis.pdf")
    assert active.status_code == 400 and "aktive Inhalte" in active.get_data(as_text=True)
    empty = upload(client, reference, request.id, AUSWEIS, b"", "leer.pdf")
    assert empty.status_code == 400 and "Die Datei ist leer." in empty.get_data(as_text=True)
    with app.extensions["formwerk.storage"].session() as db:  # a small limit for this item
        row = db.get(DocumentRequest, request.id)
        items = json.loads(row.items)
        items[0]["max_size"] = 1000
        row.items = json.dumps(items)
    big = upload(client, reference, request.id, AUSWEIS, PDF + b"0" * 2000)
    assert big.status_code == 400 and "Die Datei ist zu groß." in big.get_data(as_text=True)
    assert upload(client, reference, request.id, "nicht-angefordert", PDF).status_code == 400
    assert upload(client, reference, request.id + 99, AUSWEIS, PDF).status_code == 404
    app.config["MAX_CONTENT_LENGTH"] = 4096
    assert upload(client, reference, request.id, "frei-1", PDF + b"0" * 8000).status_code == 413
    app.config["MAX_CONTENT_LENGTH"] = 12 * 1024 * 1024
    app.config["MAX_FILES_PER_REQUIREMENT"] = 1
    assert upload(client, reference, request.id, "frei-1", PDF).status_code == 302
    quota = upload(client, reference, request.id, "frei-1", PDF)
    assert quota.status_code == 400 and "höchste Zahl von Dateien" in quota.get_data(as_text=True)
    app.config["MAX_UPLOAD_BYTES_PER_DRAFT"] = 10
    total = upload(client, reference, request.id, AUSWEIS, PDF)
    assert total.status_code == 400 and "zusammen zu groß" in total.get_data(as_text=True)
    assert len(_rows(app, Document, request_id=request.id)) == 1
    # no CSRF token, no upload; another applicant, no upload
    from werkzeug.datastructures import FileStorage, MultiDict
    from werkzeug.test import encode_multipart
    import io

    fields = MultiDict({"item": AUSWEIS})
    fields.add("file", FileStorage(io.BytesIO(PDF), filename="a.pdf"))
    boundary, body = encode_multipart(fields)
    response = client.post(f"/vorgang/{reference}/unterlagen/{request.id}", data=body,
                           content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 400
    other_client = app.test_client()
    submitted_case(app, other_client)
    token = CSRF.search(other_client.get("/vorgang").get_data(as_text=True)).group(1)
    assert upload(other_client, reference, request.id, AUSWEIS, PDF, token=token).status_code == 404
    assert len(_rows(app, Document, request_id=request.id)) == 1


def test_a_file_can_be_deleted_before_the_answer_is_sent(app, client, offices):
    application, _, request = _requested(app, client, offices)
    reference = application.reference
    upload(client, reference, request.id, AUSWEIS, PDF, "falsch.pdf")
    [document] = _rows(app, Document, request_id=request.id)
    token = applicant_token(client, reference)
    assert client.post(f"/vorgang/{reference}/unterlagen/{request.id}",
                       data={"csrf_token": token, "action": f"delete:{document.id + 50}"}).status_code == 404
    response = client.post(f"/vorgang/{reference}/unterlagen/{request.id}",
                           data={"csrf_token": token, "action": f"delete:{document.id}"})
    assert response.status_code == 302 and _rows(app, Document, request_id=request.id) == []
    assert "request.file_delete" in _actions(app, reference)


def test_the_decision_letter_and_its_delivery_receipt(app, client, offices):
    application = submitted_case(app, client)
    reference = application.reference
    move(app, reference, "in_bearbeitung")
    staff = staff_client(app, offices)
    assert post_decision(app, staff, reference, outcome="bewilligt", amount="563,00", period_from="2026-12-01",
                         period_to="2027-11-30").status_code == 302
    html = client.get(f"/vorgang/{reference}").get_data(as_text=True)
    assert "Bescheid zu Ihrem Antrag (Bewilligt)" in html and "Neu" in html
    assert "Über Ihren Antrag ist entschieden." in html
    assert f'href="/vorgang/{reference}/zuruecknehmen"' not in html  # decided: no withdrawal any more
    [message] = _rows(app, MailboxMessage, application_id=application.id, kind="bescheid")
    path = f"/vorgang/{reference}/post/{message.id}/bescheid.pdf"
    assert path in html
    assert "noch nicht geöffnet" in staff.get(f"/amt/faelle/{reference}").get_data(as_text=True)
    assert app.test_client().get(path).status_code == 404
    first = client.get(path)
    assert first.status_code == 200 and first.data.startswith(b"%PDF-")
    assert first.headers["Content-Disposition"].startswith("attachment")
    [message] = _rows(app, MailboxMessage, id=message.id)
    opened = message.first_opened_at
    assert opened is not None
    client.get(path)
    assert _rows(app, MailboxMessage, id=message.id)[0].first_opened_at == opened
    assert _actions(app, reference).count("mailbox.letter_open") == 2
    assert re.search(r"zuerst geöffnet am \d\d\.\d\d\.\d{4}", staff.get(f"/amt/faelle/{reference}").get_data(as_text=True))
    assert "Neu</strong>" not in client.get(f"/vorgang/{reference}").get_data(as_text=True)
    other_client = app.test_client()
    submitted_case(app, other_client)
    assert other_client.get(path).status_code == 404


def test_a_request_message_has_no_letter(app, client, offices):
    application, _, _ = _requested(app, client, offices)
    [message] = _rows(app, MailboxMessage, application_id=application.id)
    assert client.get(f"/vorgang/{application.reference}/post/{message.id}/bescheid.pdf").status_code == 404


def test_withdrawal_takes_a_confirmation(app, client, offices):
    application, _, request = _requested(app, client, offices)
    reference = application.reference
    path = f"/vorgang/{reference}/zuruecknehmen"
    page = client.get(path).get_data(as_text=True)
    assert "Das können Sie nicht rückgängig machen." in page and 'name="confirm"' in page
    token = CSRF.search(page).group(1)
    refused = client.post(path, data={"csrf_token": token})
    assert refused.status_code == 400 and "Bestätigen Sie" in refused.get_data(as_text=True)
    assert fresh(app, reference).status == "unterlagen_nachgefordert"
    assert client.post(path, data={"confirm": "ja"}).status_code == 400  # CSRF
    assert app.test_client().post(path, data={"csrf_token": token, "confirm": "ja"}).status_code in (400, 404)
    done = client.post(path, data={"csrf_token": token, "confirm": "ja"})
    assert done.status_code == 302
    case = fresh(app, reference)
    assert case.status == "zurueckgenommen" and case.request_deadline is None
    assert _rows(app, DocumentRequest, id=request.id)[0].status == "zurueckgezogen"
    assert "application.withdraw" in _actions(app, reference)
    html = client.get(f"/vorgang/{reference}").get_data(as_text=True)
    assert "Sie haben Ihren Antrag zurückgenommen." in html and "Das Jobcenter braucht noch Unterlagen" not in html
    again = client.get(path)
    assert again.status_code == 302
    assert "nicht mehr zurückgenommen" in client.get(again.headers["Location"]).get_data(as_text=True)


def test_the_mailbox_never_imports_the_office_views():
    source = Path(__file__).resolve().parents[2] / "webapp" / "mailbox.py"
    imported = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
            imported.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
    views = {"office.requests", "office.decisions", "office.export", "office.case", "office.inbox", "office.api",
             "office.case_actions", "wizard"}
    assert not {name for name in imported if any(name.endswith(view) for view in views)}, imported


def test_the_offices_messages_are_shown_in_the_visitors_language(app, client, offices):
    """The office's own wording (a request's and a decision's subject and
    text) is stored as a key with values and read in the visitor's language;
    what the caseworker typed stays as typed; the German wording delivered is
    kept in subject and body (the export and older messages use it)."""
    application, staff, request = _requested(app, client, offices)
    reference = application.reference
    assert post_decision(app, staff, reference, outcome="abgelehnt", reasons_text="Das Einkommen reicht aus.") \
        .status_code == 409  # documents still outstanding: the decision waits
    [asked] = _rows(app, MailboxMessage, application_id=application.id)
    assert asked.text_key == "act_msg_request"
    assert asked.subject == "Bitte reichen Sie Unterlagen nach"
    deadline = request.deadline
    german = client.get(f"/vorgang/{reference}").get_data(as_text=True)
    assert f"Bitte reichen Sie bis zum {deadline:%d.%m.%Y} diese Unterlagen ein:" in german
    english = client.get(f"/vorgang/{reference}?lang=en").get_data(as_text=True)
    assert "Please send us further documents" in english and "Bitte reichen Sie Unterlagen nach" not in english
    assert f"Please send us these documents by {deadline.day} {deadline:%B %Y}:" in english
    assert "Bitte bis zur Frist einreichen." in english  # the caseworker's note, as typed
    assert "– Kontoauszüge der letzten drei Monate" in english  # a document named in free text, as typed
    # a document of the form is named as the form names it in English, in the message and the request
    assert "– Identity document of the applicant" in english and "– Ausweis der antragstellenden" not in english
    assert '-title">Identity document of the applicant' in english
    assert f"please send by {deadline.day} {deadline:%B %Y}</h3>" in english  # the request's deadline too

    with app.extensions["formwerk.storage"].session() as db:  # the request answered elsewhere, then decided
        answered = db.get(DocumentRequest, request.id)
        answered.status, answered.answered_at = "beantwortet", utcnow()
    move(app, reference, "in_bearbeitung", by="applicant")
    assert post_decision(app, staff, reference, outcome="teilweise_bewilligt", amount="120,00",
                         period_from=f"{deadline:%Y-%m-01}", period_to=f"{deadline:%Y-%m-28}",
                         reasons_text="Ein Teil des Einkommens wird angerechnet.").status_code == 302
    [decided] = _rows(app, MailboxMessage, application_id=application.id, kind="bescheid")
    assert decided.subject == "Bescheid zu Ihrem Antrag (Teilweise bewilligt)"
    english = client.get(f"/vorgang/{reference}").get_data(as_text=True)  # the language stays chosen
    assert "Identity document of the applicant" in english  # among the documents handed in
    assert "Decision on your application (Partly granted)" in english
    assert "Your decision letter is attached as a PDF (in German)." in english
    assert "Bescheid zu Ihrem Antrag" not in english and "Rechtsbehelfsbelehrung.</p>" not in english
    german = client.get(f"/vorgang/{reference}?lang=de").get_data(as_text=True)
    assert "Bescheid zu Ihrem Antrag (Teilweise bewilligt)" in german
    assert "Ihr Bescheid liegt als PDF bei. Bitte lesen Sie ihn vollständig, auch die Rechtsbehelfsbelehrung." in german

    # a message from before keys were stored (or with unreadable values) shows its stored wording
    with app.extensions["formwerk.storage"].session() as db:
        old = db.get(MailboxMessage, asked.id)
        old.text_key, old.text_values = None, None
        db.get(MailboxMessage, decided.id).text_values = "{kaputt"
    english = client.get(f"/vorgang/{reference}?lang=en").get_data(as_text=True)
    assert "Bitte reichen Sie Unterlagen nach" in english
    assert "Bescheid zu Ihrem Antrag (Teilweise bewilligt)" in english
