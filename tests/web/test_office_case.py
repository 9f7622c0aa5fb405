"""The case file (eAkte): what it shows (answers with the labels of the
form version the applicant used, the estimate, confirmed warnings,
documents), status changes with optimistic locking, notes, documents'
preview and download, scoping between offices and teams, and the audit
entry of every view and download."""

import copy
import hashlib
import json
import re

import pytest
from sqlalchemy import select

from engine import FormSource, load_form_source
from tests.staff import csrf_token, first_valid_case, login, submit
from webapp.accounts.models import AuditEvent
from webapp.office.models import CaseEvent, CaseNote
from webapp.storage import Application, Document

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def storage(app):
    return app.extensions["formwerk.storage"]


def actions(app, reference):
    with storage(app).reader() as db:
        return [e.action for e in db.scalars(select(AuditEvent).where(AuditEvent.reference == reference)
                                             .order_by(AuditEvent.id))]


def reload(app, reference) -> Application:
    with storage(app).reader() as db:
        return db.scalar(select(Application).where(Application.reference == reference))


@pytest.fixture
def case(app, client, offices):
    """A Bürgergeld application in office nord, team L-Z (surname Schmidt),
    with a confirmed warning (a very high rent) and two uploaded documents."""
    answers, as_of = first_valid_case()
    app.config["FORMWERK_TODAY"] = as_of
    answers["kontakt"]["plz"] = "10115"
    answers["wohnen"]["kaltmiete"] = 2500
    application = submit(app, client, answers, as_of=as_of)
    with storage(app).session() as db:
        for requirement, name, kind, content in (("ausweis@/ausweis", "ausweis.pdf", "application/pdf", PDF),
                                                 ("mietvertrag@/wohnen", "miete.png", "image/png", PNG)):
            db.add(Document(application_id=application.id, requirement=requirement, filename=name,
                            content_type=kind, size=len(content), sha256=hashlib.sha256(content).hexdigest(),
                            content=content))
    return application


@pytest.fixture
def signed_in(app, offices):
    def make(key):
        c = app.test_client()
        assert login(c, offices.email[key]).status_code == 302
        return c
    return make


def document_ids(app, application):
    with storage(app).reader() as db:
        return {d.filename: d.id for d in db.scalars(select(Document).where(Document.application_id == application.id))}


def test_the_case_page_shows_the_whole_application(app, case, signed_in):
    response = signed_in("caseworker_a2").get(f"/amt/faelle/{case.reference}")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    # overview
    assert case.reference in text and "Schmidt, Anna" in text and "Antrag auf Bürgergeld" in text
    assert "Eingegangen" in text and "L-Z" in text and "Niemandem zugewiesen" in text
    # answers grouped by section with the form's labels, values as read
    assert "Angaben zu Ihrer Person" in text and "Vorname" in text and "12.04.1988" in text
    assert "Kaltmiete (Euro im Monat)" in text and "2.500,00 €" in text
    assert "Konten › Eintrag 1" in text and "Sparkasse Leipzig" in text
    # the confirmed warning, highlighted, with the answer that was confirmed
    warning = text.split('class="warning-box case-warning"', 1)[1].split("</li>", 1)[0]
    assert "ungewöhnlich hoch" in warning and "2.500,00 €" in warning
    assert "hat bestätigt" in warning
    # the estimate with its lines and the other computed values
    assert "Regelbedarf Sie: Stufe 1" in text and "563,00 €" in text and "Geschätzter Anspruch im Monat" in text
    assert "Vermögen insgesamt" in text and "312,45" in text
    # required documents: what arrived, what is missing
    docs = text.split('id="nachweise"', 1)[1]
    assert "ausweis.pdf" in docs and "miete.png" in docs and "Fehlt" in docs and "Eingegangen" in docs
    # history with the first event, notes, the status form with the lock
    assert "Eingang: Eingegangen" in text and "Antragsteller/in" in text
    assert 'name="lock_version" value="0"' in text and '<option value="in_bearbeitung">' in text
    assert "Noch keine Notizen." in text
    assert "Protokoll der Zugriffe" not in text  # team leads only
    assert actions(app, case.reference).count("case.view") == 1


def test_english_labels_come_from_the_same_version(app, case, signed_in):
    text = signed_in("caseworker_a2").get(f"/amt/faelle/{case.reference}?lang=en").get_data(as_text=True)
    assert "First name" in text and "Application FW-" in text and "Confirmed warnings" in text


def test_labels_are_those_of_the_version_the_applicant_used(app, case, signed_in):
    from tests.conftest import FORMS

    source = load_form_source(FORMS / "buergergeld")
    schema = copy.deepcopy(source.schema)
    schema["properties"]["person"]["properties"]["vorname"]["title"] = "Rufname (neu)"
    schema["version"] = "2099-01-01"
    app.extensions["formwerk.catalog"].publish("buergergeld", FormSource(schema=schema, base_uri=source.base_uri,
                                                                         files=source.files))
    assert app.extensions["formwerk.catalog"].get("buergergeld").id != case.form_version_id
    text = signed_in("caseworker_a2").get(f"/amt/faelle/{case.reference}").get_data(as_text=True)
    assert "Rufname (neu)" not in text and ">Vorname<" in text


def test_team_leads_see_the_access_log(app, case, signed_in):
    lead = signed_in("teamlead_a")
    lead.get(f"/amt/faelle/{case.reference}")
    text = lead.get(f"/amt/faelle/{case.reference}").get_data(as_text=True)
    log = text.split("Protokoll der Zugriffe", 1)[1]
    assert log.count("case.view") == 2 and "application.received" in log and "teamlead.a@nord.example" in log


@pytest.mark.parametrize("key, expected", [
    ("caseworker_a2", 200), ("teamlead_a", 200),
    ("caseworker_a", 404),  # other team of the same office
    ("caseworker_b", 404), ("teamlead_b", 404),  # another office
    ("author_a", 403), ("admin_a", 403), ("author_b", 403), ("admin_b", 403),  # no cases at all
])
def test_scope_of_every_case_route(app, case, signed_in, key, expected):
    c = signed_in(key)
    ids = document_ids(app, case)
    base = f"/amt/faelle/{case.reference}"
    for path in (base, f"{base}/dokumente/{ids['ausweis.pdf']}", f"{base}/dokumente/{ids['ausweis.pdf']}/vorschau"):
        assert c.get(path).status_code == expected, path
    token = csrf_token(c, "/amt/")
    for path, data in ((f"{base}/status", {"to": "in_bearbeitung", "lock_version": "0"}),
                       (f"{base}/notizen", {"text": "Notiz"})):
        assert c.post(path, data={"csrf_token": token, **data}).status_code == (303 if expected == 200 else expected)
    if expected != 200:
        assert reload(app, case.reference).status == "eingegangen"
        assert "case.view" not in actions(app, case.reference)


def test_an_assigned_case_is_visible_to_its_assignee_outside_the_team(app, case, signed_in, offices):
    with storage(app).session() as db:
        db.get(Application, case.id).assignee_id = offices.staff["caseworker_a"]
    assert signed_in("caseworker_a").get(f"/amt/faelle/{case.reference}").status_code == 200


def test_anonymous_and_unknown(app, case, client, signed_in):
    response = client.get(f"/amt/faelle/{case.reference}")
    assert response.status_code == 302 and "/amt/anmelden" in response.headers["Location"]
    c = signed_in("teamlead_a")
    for path in ("/amt/faelle/FW-NOPE", "/amt/faelle/" + "X" * 40, f"/amt/faelle/{case.reference}/dokumente/999999",
                 f"/amt/faelle/{case.reference}/dokumente/999999/vorschau"):
        assert c.get(path).status_code == 404


def test_status_change_and_conflict(app, case, signed_in):
    first, second = signed_in("caseworker_a2"), signed_in("teamlead_a")
    base = f"/amt/faelle/{case.reference}"
    token1, token2 = csrf_token(first, base), csrf_token(second, base)  # both pages show lock_version 0
    response = first.post(f"{base}/status", data={"csrf_token": token1, "to": "in_bearbeitung", "lock_version": "0",
                                                  "comment": "Ich übernehme."})
    assert response.status_code == 303 and response.headers["Location"] == base
    assert "Der Status ist geändert." in first.get(base).get_data(as_text=True)
    # the second caseworker, with the old page, gets the conflict; nothing is overwritten
    response = second.post(f"{base}/status", data={"csrf_token": token2, "to": "in_bearbeitung", "lock_version": "0"})
    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert "Jemand anderes hat diesen Antrag geändert" in text and "nicht gespeichert" in text
    assert 'name="lock_version" value="1"' in text  # the page now shows the current state
    stored = reload(app, case.reference)
    assert stored.status == "in_bearbeitung" and stored.lock_version == 1
    with storage(app).reader() as db:
        events = db.scalars(select(CaseEvent).where(CaseEvent.application_id == case.id).order_by(CaseEvent.id)).all()
    assert [(e.from_status, e.to_status) for e in events] == [(None, "eingegangen"), ("eingegangen", "in_bearbeitung")]
    assert events[1].comment == "Ich übernehme." and "caseworker.a2@nord.example" in events[1].actor
    assert actions(app, case.reference).count("status.change") == 1
    # with the current version the second one can go on
    response = second.post(f"{base}/status", data={"csrf_token": token2, "to": "entscheidungsreif", "lock_version": "1"})
    assert response.status_code == 303 and reload(app, case.reference).status == "entscheidungsreif"


@pytest.mark.parametrize("data, message", [
    ({"to": "entschieden", "lock_version": "0"}, "Dieser Statuswechsel ist aus dem aktuellen Status nicht möglich"),
    ({"to": "abgeschlossen", "lock_version": "0"}, "Dieser Statuswechsel ist aus dem aktuellen Status nicht möglich"),
    ({"to": "fertig", "lock_version": "0"}, "Wählen Sie einen der angebotenen Status aus"),
    ({"to": "in_bearbeitung"}, "Das Formular war unvollständig"),
    ({"to": "in_bearbeitung", "lock_version": "-1"}, "Das Formular war unvollständig"),
    ({"to": "in_bearbeitung", "lock_version": "9" * 30}, "Das Formular war unvollständig"),
])
def test_refused_status_changes_say_why(app, case, signed_in, data, message):
    c = signed_in("caseworker_a2")
    response = c.post(f"/amt/faelle/{case.reference}/status", data={"csrf_token": csrf_token(c, "/amt/"), **data})
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert reload(app, case.reference).status == "eingegangen"


def test_notes(app, case, signed_in):
    c = signed_in("caseworker_a2")
    base = f"/amt/faelle/{case.reference}"
    response = c.post(f"{base}/notizen", data={"csrf_token": csrf_token(c, base), "text": "  Mietvertrag <b>prüfen</b>  "})
    assert response.status_code == 303 and response.headers["Location"].endswith("#notizen")
    text = c.get(base).get_data(as_text=True)
    assert "Die Notiz ist gespeichert." in text and "Mietvertrag &lt;b&gt;prüfen&lt;/b&gt;" in text
    assert "Caseworker A2" in text
    with storage(app).reader() as db:
        note = db.scalar(select(CaseNote).where(CaseNote.application_id == case.id))
    assert note.text == "Mietvertrag <b>prüfen</b>"
    assert "case.note" in actions(app, case.reference)
    assert reload(app, case.reference).lock_version == 0  # a note overwrites nothing: no lock taken
    for text_value, message, status in (("   ", "Geben Sie einen Text für die Notiz ein.", 400),
                                        ("x" * 4001, "Kürzen Sie sie auf höchstens 4000 Zeichen", 400)):
        response = c.post(f"{base}/notizen", data={"csrf_token": csrf_token(c, base), "text": text_value})
        assert response.status_code == status and message in response.get_data(as_text=True)


def test_download_is_an_inert_attachment_and_audited(app, case, signed_in):
    c = signed_in("caseworker_a2")
    ids = document_ids(app, case)
    response = c.get(f"/amt/faelle/{case.reference}/dokumente/{ids['ausweis.pdf']}")
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="ausweis.pdf"')
    with storage(app).reader() as db:
        entry = db.scalar(select(AuditEvent).where(AuditEvent.action == "document.download"))
    assert entry.reference == case.reference and json.loads(entry.detail)["document"] == ids["ausweis.pdf"]


def test_preview_is_inline_sandboxed_and_framed_only_by_the_site(app, case, signed_in):
    c = signed_in("caseworker_a2")
    ids = document_ids(app, case)
    for name, kind, content in (("ausweis.pdf", "application/pdf", PDF), ("miete.png", "image/png", PNG)):
        response = c.get(f"/amt/faelle/{case.reference}/dokumente/{ids[name]}/vorschau")
        assert response.status_code == 200 and response.data == content
        assert response.headers["Content-Type"] == kind
        assert response.headers["Content-Disposition"].startswith("inline;")
        assert response.headers["Content-Security-Policy"].startswith("sandbox;")
        assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert actions(app, case.reference).count("document.preview") == 2
    # in the page: a frame for the PDF, an image for the PNG
    page = c.get(f"/amt/faelle/{case.reference}?vorschau={ids['ausweis.pdf']}").get_data(as_text=True)
    assert re.search(rf'<iframe class="preview-frame" src="[^"]+/dokumente/{ids["ausweis.pdf"]}/vorschau" title=', page)
    page = c.get(f"/amt/faelle/{case.reference}?vorschau={ids['miete.png']}").get_data(as_text=True)
    assert re.search(rf'<img class="preview-image" src="[^"]+/dokumente/{ids["miete.png"]}/vorschau" alt=', page)
    for odd in ("abc", "999999", "-1"):
        assert "preview-" not in c.get(f"/amt/faelle/{case.reference}?vorschau={odd}").get_data(as_text=True)


def test_a_document_of_another_case_is_not_reachable_through_this_one(app, case, client, signed_in, offices):
    answers, as_of = first_valid_case()
    answers["kontakt"]["plz"] = "10115"
    other = submit(app, app.test_client(), answers, as_of=as_of)
    with storage(app).session() as db:
        db.add(Document(application_id=other.id, requirement="ausweis@/ausweis", filename="fremd.pdf",
                        content_type="application/pdf", size=len(PDF), sha256="0" * 64, content=PDF))
    foreign = document_ids(app, other)["fremd.pdf"]
    c = signed_in("teamlead_a")
    assert c.get(f"/amt/faelle/{case.reference}/dokumente/{foreign}").status_code == 404
    assert c.get(f"/amt/faelle/{case.reference}/dokumente/{foreign}/vorschau").status_code == 404
    assert c.get(f"/amt/faelle/{other.reference}/dokumente/{foreign}").status_code == 200


def test_a_stored_type_that_cannot_be_previewed_is_only_downloaded(app, case, signed_in):
    with storage(app).session() as db:
        db.add(Document(application_id=case.id, requirement="weitere", filename="brief.txt",
                        content_type="text/plain", size=5, sha256="0" * 64, content=b"hallo"))
    ident = document_ids(app, case)["brief.txt"]
    c = signed_in("caseworker_a2")
    assert c.get(f"/amt/faelle/{case.reference}/dokumente/{ident}/vorschau").status_code == 404
    response = c.get(f"/amt/faelle/{case.reference}/dokumente/{ident}")
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/plain")
    assert response.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"
    page = c.get(f"/amt/faelle/{case.reference}").get_data(as_text=True)
    assert "Nachgereicht" in page and "brief.txt" in page
