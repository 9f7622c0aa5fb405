"""Issue 15, what a first-time applicant tripped over: forms that are not
applications, the estimate's lines, the receipt, documents after sending,
documents of removed people, people named by their answers, the legal pages."""

from __future__ import annotations

import io
import json
import re
from datetime import timezone
from zoneinfo import ZoneInfo

import pytest
from flask import render_template_string
from pypdf import PdfReader
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage, MultiDict

from engine import load_form
from tests.conftest import FORMS
from tests.security.samples import PNG
from tests.web.test_admin import post as admin_post
from tests.web.test_admin import signed_in
from tests.web.test_wizard import fill_all
from webapp.accounts.models import Office
from webapp.storage import Application, Document

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
S = "https://json-schema.org/draft/2020-12/schema"


def start(client, slug):
    token = CSRF.search(client.get(f"/formulare/{slug}").get_data(as_text=True)).group(1)
    assert client.post(f"/antrag/{slug}/neu", data={"csrf_token": token}).status_code == 302
    return token


def publish(app, tmp_path, name, schema):
    folder = tmp_path / name
    folder.mkdir()
    (folder / "form.json").write_text(json.dumps({"$schema": S, **schema}), encoding="utf-8")
    app.extensions["formwerk.catalog"].publish_folder(folder)
    return name


def upload(client, url, token, fields, content=PNG, name="nachweis.png"):
    data = MultiDict({"csrf_token": token, **fields})
    data.add("file", FileStorage(io.BytesIO(content), filename=name, content_type="application/octet-stream"))
    return client.post(url, data=data, content_type="multipart/form-data")


# -- data that must not be sent -----------------------------------------------------------------------


def test_income_of_a_removed_partner_is_pruned_with_the_partner():
    """Income is per person (as the Anlage EK): no partner, no partner's income."""
    form = load_form(FORMS / "buergergeld")
    case = json.loads((FORMS / "buergergeld" / "cases" / "02_paar_mit_kindern_10_und_17.json").read_text(encoding="utf-8"))
    answers = case["answers"]
    assert answers["einkommen"]["partner"]["einkuenfte"]
    answers["haushalt"]["partner_im_haushalt"] = False
    from datetime import date

    outcome = form.check(answers, as_of=date.fromisoformat(case["as_of"]))
    assert "/einkommen/partner" in outcome.pruned
    assert "partner" not in outcome.answers.get("einkommen", {})


KIDS = {
    "title": "Kinderantrag", "type": "object", "x-kind": "application", "x-languages": ["de"],
    "properties": {"kinder": {
        "type": "object", "title": "Kinder",
        "properties": {"liste": {
            "type": "array", "title": "Kinder", "maxItems": 5,
            "items": {"type": "object", "title": "Kind", "required": ["vorname", "nachname"],
                      "properties": {"vorname": {"type": "string", "title": "Vorname"},
                                     "nachname": {"type": "string", "title": "Nachname"}},
                      "x-documents": [{"id": "geburtsurkunde", "title": {"de": "Geburtsurkunde"}}]}}}}},
}


def test_documents_named_by_their_person_and_removed_persons_files_not_sent(app, client, tmp_path):
    slug = publish(app, tmp_path, "kinderantrag", KIDS)
    token = start(client, slug)
    page = f"/antrag/{slug}/seite/kinder"
    client.post(page, data={"csrf_token": token, "action": "add:/kinder/liste"})
    client.post(page, data={"csrf_token": token, "action": "add:/kinder/liste", "/kinder/liste/0/vorname": "Elif",
                            "/kinder/liste/0/nachname": "Yilmaz"})
    client.post(page, data={"csrf_token": token, "action": "weiter", "/kinder/liste/0/vorname": "Elif",
                            "/kinder/liste/0/nachname": "Yilmaz", "/kinder/liste/1/vorname": "Can",
                            "/kinder/liste/1/nachname": "Yilmaz"})
    # the page names each child by their answers, not "Kind 1"
    html = client.get(page).get_data(as_text=True)
    assert "Elif Yilmaz</legend>" in html and "Can Yilmaz</legend>" in html
    documents = client.get(f"/antrag/{slug}/nachweise").get_data(as_text=True)
    assert "Geburtsurkunde von Elif Yilmaz" in documents and "Geburtsurkunde von Can Yilmaz" in documents
    for key in ("geburtsurkunde@/kinder/liste/0", "geburtsurkunde@/kinder/liste/1"):
        assert upload(client, f"/antrag/{slug}/nachweise", token, {"requirement": key}).status_code == 302
    # Can leaves the household: his certificate is listed as not needed and not sent
    client.post(page, data={"csrf_token": token, "action": "remove:/kinder/liste/1", "/kinder/liste/0/vorname": "Elif",
                            "/kinder/liste/0/nachname": "Yilmaz", "/kinder/liste/1/vorname": "Can",
                            "/kinder/liste/1/nachname": "Yilmaz"})
    review = client.get(f"/antrag/{slug}/pruefen").get_data(as_text=True)
    assert "Geburtsurkunde von Elif Yilmaz" in review and "Can Yilmaz" not in review
    sent = client.post(f"/antrag/{slug}/absenden", data={"csrf_token": token})
    assert sent.headers["Location"].startswith("/eingang/")
    with app.extensions["formwerk.storage"].reader() as db:
        application = db.scalars(select(Application)).one()
        kept = db.scalars(select(Document.requirement).where(Document.application_id == application.id)).all()
    assert kept == ["geburtsurkunde@/kinder/liste/0"]
    receipt = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Geburtsurkunde von Elif Yilmaz (nachweis.png)" in receipt and "Can" not in receipt


# -- forms that are not applications ------------------------------------------------------------------

RECHNER_PAGES = {
    "voraussetzungen": {"/voraussetzungen/geburtsdatum-tag": "1", "/voraussetzungen/geburtsdatum-monat": "6",
                        "/voraussetzungen/geburtsdatum-jahr": "1996", "/voraussetzungen/erwerbsfaehig": "true",
                        "/voraussetzungen/altersrente": "false", "/voraussetzungen/staatsangehoerigkeit": "deutsch",
                        "/voraussetzungen/ausbildung_foerderfaehig": "false", "/voraussetzungen/stationaer": "nein"},
    "haushalt": {"/haushalt/partner": "false", "/haushalt/kinder_vorhanden": "false", "/haushalt/schwanger": "false",
                 "/haushalt/weitere_personen": "false"},
    "wohnen": {"/wohnen/kaltmiete": "450", "/wohnen/nebenkosten": "100", "/wohnen/heizkosten": "80",
               "/wohnen/warmwasser": "zentral"},
    "einkommen": {"/einkommen/antragsteller/erwerbstaetig": "false"},
    "mehrbedarf": {"/mehrbedarf/behinderung": "false", "/mehrbedarf/ernaehrung": "false"},
    "vermoegen": {"/vermoegen/vorhanden": "false"},
}


def test_the_estimate_ends_on_a_result_page_and_is_never_sent(app, client):
    token = start(client, "buergergeld-rechner")
    for key, answers in RECHNER_PAGES.items():
        client.post(f"/antrag/buergergeld-rechner/seite/{key}", data={"csrf_token": token, "action": "weiter", **answers})
    assert "Zum Ergebnis" in client.get("/antrag/buergergeld-rechner").get_data(as_text=True)
    result = client.get("/antrag/buergergeld-rechner/pruefen").get_data(as_text=True)
    assert "<h1>Ihr Ergebnis</h1>" in result
    assert "Verbindlich absenden" not in result and "/antrag/buergergeld-rechner/absenden" not in result
    assert "Geschätzter Anspruch im Monat" in result and " €" in result
    assert 'href="/formulare/buergergeld"' in result and "Jetzt Antrag stellen" in result
    refused = client.post("/antrag/buergergeld-rechner/absenden", data={"csrf_token": token})
    assert refused.headers["Location"].endswith("/antrag/buergergeld-rechner/pruefen")
    with app.extensions["formwerk.storage"].reader() as db:
        assert db.scalar(select(func.count(Application.id))) == 0


def test_the_appointment_request_is_worded_as_a_request(client):
    token = start(client, "terminanfrage")
    fill_all(client, token)
    review = client.get("/antrag/terminanfrage/pruefen").get_data(as_text=True)
    assert "Anfrage senden" in review and "Verbindlich absenden" not in review
    sent = client.post("/antrag/terminanfrage/absenden", data={"csrf_token": token})
    receipt = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Ihre Anfrage ist eingegangen" in receipt and "Ihr Antrag ist eingegangen" not in receipt


ESTIMATE = {"zeilen": [
    {"key": "regelbedarf", "label_de": "Regelbedarf", "label_en": "Standard rate", "amount": 563.0, "art": "bedarf"},
    {"key": "mehrbedarf.hinweis", "label_de": "Mehrbedarf prüft das Jobcenter", "label_en": "The Jobcenter checks it",
     "amount": 0.0, "art": "hinweis"}], "anspruch": 1193.0, "voraussetzungen_erfuellt": True}
NONE = {"zeilen": [{"key": "voraussetzung.alter", "label_de": "Keine Schätzung: Altersgrenze erreicht",
                    "label_en": "No estimate: pension age reached", "amount": 0.0, "art": "voraussetzung"}],
        "anspruch": 0.0, "voraussetzungen_erfuellt": False}


def _estimate(app, estimate):
    with app.test_request_context("/"):
        return render_template_string('{% from "wizard/_estimate.html" import estimate_table with context %}'
                                      '{{ estimate_table(estimate, "de") }}', estimate=estimate)


def test_estimate_hint_lines_have_no_amount(app):
    html = _estimate(app, ESTIMATE)
    assert "563,00 €" in html and "1.193,00 €" in html
    assert "0,00 €" not in html and "<li>Mehrbedarf prüft das Jobcenter</li>" in html


def test_no_total_when_the_estimate_says_there_is_none(app):
    html = _estimate(app, NONE)
    assert "0,00 €" not in html and "Geschätzter Anspruch" not in html
    assert "Keine Schätzung: Altersgrenze erreicht" in html and "Nach Ihren Angaben gibt es keine Schätzung." in html


# -- after sending ------------------------------------------------------------------------------------

MIETE = {
    "title": "Mietantrag", "type": "object", "x-kind": "application", "x-languages": ["de"],
    "properties": {"wohnen": {
        "type": "object", "title": "Wohnen", "required": ["kaltmiete"],
        "properties": {"kaltmiete": {"type": "number", "title": "Kaltmiete", "x-widget": "money", "minimum": 0}},
        "x-documents": [{"id": "mietvertrag", "title": {"de": "Mietvertrag"}},
                        {"id": "nebenkosten", "title": {"de": "Nebenkostenabrechnung"}}]}},
}


@pytest.fixture
def sent_miete(app, client, tmp_path):
    """A sent application that handed in the lease but not the service-charge statement."""
    slug = publish(app, tmp_path, "mietantrag", MIETE)
    token = start(client, slug)
    client.post(f"/antrag/{slug}/seite/wohnen", data={"csrf_token": token, "action": "weiter", "/wohnen/kaltmiete": "450"})
    assert upload(client, f"/antrag/{slug}/nachweise", token, {"requirement": "mietvertrag@/wohnen"}).status_code == 302
    sent = client.post(f"/antrag/{slug}/absenden", data={"csrf_token": token})
    return sent.headers["Location"].rsplit("/", 1)[1], token


def test_receipt_shows_berlin_time_documents_estimate_and_contact(app, client, sent_miete):
    reference, _ = sent_miete
    with app.extensions["formwerk.storage"].reader() as db:
        at = db.scalar(select(Application.submitted_at))
    local = at.replace(tzinfo=timezone.utc).astimezone(ZoneInfo("Europe/Berlin")).strftime("%d.%m.%Y, %H:%M Uhr")
    html = client.get(f"/eingang/{reference}").get_data(as_text=True)
    assert local in html and "UTC" not in html
    assert "Eingereichte Nachweise" in html and "Mietvertrag (nachweis.png)" in html
    missing = html[html.index("Noch fehlende Nachweise"):]
    assert "Nebenkostenabrechnung" in missing and f'href="/vorgang/{reference}#documents-title"' in missing
    assert "So erreichen Sie das Jobcenter" in html and "Aktenzeichen" in html
    pdf = client.get(f"/eingang/{reference}/bestaetigung.pdf")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    for expected in (local, "Noch fehlende Nachweise", "Nebenkostenabrechnung", "Mietvertrag (nachweis.png)",
                     "So erreichen Sie das Jobcenter"):
        assert expected in text, expected
    assert "UTC" not in text


def test_missing_documents_are_handed_in_from_the_case_page(app, client, sent_miete):
    reference, _ = sent_miete
    case = client.get(f"/vorgang/{reference}").get_data(as_text=True)
    section = case[case.index('id="documents-title"'):]
    assert "Nebenkostenabrechnung" in section and "Mietvertrag" in section
    assert section.count("Fehlt") + section.count("fehlt") >= 1
    token = CSRF.search(case).group(1)
    refused = upload(client, f"/vorgang/{reference}/nachweise", token, {"requirement": "nebenkosten@/wohnen"},
                     content=b"not a document", name="x.png")
    assert refused.status_code == 400 and "Laden Sie eine PDF-, JPEG- oder PNG-Datei hoch." in refused.get_data(as_text=True)
    assert upload(client, f"/vorgang/{reference}/nachweise", token, {"requirement": "unbekannt@/x"}).status_code == 400
    done = upload(client, f"/vorgang/{reference}/nachweise", token, {"requirement": "nebenkosten@/wohnen"},
                  name="abrechnung.png")
    assert done.status_code == 302
    with app.extensions["formwerk.storage"].reader() as db:
        application = db.scalar(select(Application).where(Application.reference == reference))
        files = db.scalars(select(Document.requirement).where(Document.application_id == application.id)
                           .order_by(Document.id)).all()
    assert files == ["mietvertrag@/wohnen", "nebenkosten@/wohnen"]  # where the office's case file looks
    after = client.get(f"/vorgang/{reference}").get_data(as_text=True)
    assert "Alle Nachweise, die Ihre Angaben verlangen, liegen vor." in after and "abrechnung.png" in after
    # nobody else can hand in documents to this case
    stranger = app.test_client()
    assert upload(stranger, f"/vorgang/{reference}/nachweise", token, {"requirement": "nebenkosten@/wohnen"}).status_code in (400, 404)


# -- legal pages ---------------------------------------------------------------------------------------


def test_legal_pages_have_sensible_defaults(client):
    a11y = client.get("/barrierefreiheit").get_data(as_text=True)
    assert "Schlichtungsstelle" in a11y and "BGG" in a11y and "25.11.2026" in a11y and "barrierefreiheit@" in a11y
    privacy = client.get("/datenschutz").get_data(as_text=True)
    assert "<h1>Datenschutzhinweise</h1>" in privacy and "DSGVO" in privacy
    assert "<h1>Impressum</h1>" in client.get("/impressum").get_data(as_text=True)
    home = client.get("/").get_data(as_text=True)
    assert 'href="/datenschutz"' in home and 'href="/impressum"' in home
    english = client.get("/datenschutz?lang=en").get_data(as_text=True)
    assert "Privacy notice" in english and "GDPR" in english


def test_the_consent_checkbox_links_the_privacy_notice(client):
    token = start(client, "terminanfrage")
    fill_all(client, token)
    html = client.get("/antrag/terminanfrage/seite/kontakt").get_data(as_text=True)
    consent = html[html.index('name="/kontakt/einwilligung"'):]
    assert 'href="/datenschutz"' in consent[:1500]


def test_offices_set_their_own_legal_texts(app, offices):
    admin = signed_in(app, offices, "admin_a")
    data = {"name": "Jobcenter Nord", "letterhead": "Jobcenter Nord\nAmtsweg 1", "legal_remedy": "Widerspruch …",
            "target_days": "21", "imprint": "Jobcenter Nord\nGeschäftsführerin: A. Beispiel",
            "privacy_notice": "Unsere eigenen Datenschutzhinweise.", "accessibility_contact": "barrieren@nord.example",
            "accessibility_date": "2026-10-01", "contact": "Telefon 0341 000000"}
    assert admin_post(admin, "/amt/verwaltung/einstellungen", data).status_code == 302
    with app.extensions["formwerk.storage"].reader() as db:
        office = db.get(Office, offices.office["nord"])
    assert office.imprint.startswith("Jobcenter Nord") and str(office.accessibility_date) == "2026-10-01"
    public = app.test_client()
    assert "Geschäftsführerin: A. Beispiel" in public.get("/impressum?amt=nord").get_data(as_text=True)
    assert "Unsere eigenen Datenschutzhinweise." in public.get("/datenschutz?amt=nord").get_data(as_text=True)
    a11y = public.get("/barrierefreiheit?amt=nord").get_data(as_text=True)
    assert "barrieren@nord.example" in a11y and "01.10.2026" in a11y and "Schlichtungsstelle" in a11y
    # an unknown office falls back to the defaults, never an error
    assert "DSGVO" in public.get("/datenschutz?amt=" + "x" * 300).get_data(as_text=True)


# -- the page an applicant is on ----------------------------------------------------------------------


def test_a_birth_date_that_decides_an_age_updates_the_page_live():
    """The child's age (computed) decides KI or WEP: its birth date is a live input."""
    form = load_form(FORMS / "buergergeld")
    assert {"alter", "geburtsdatum"} <= form.condition_inputs()


def test_without_javascript_added_questions_are_named_and_focused(client):
    token = start(client, "terminanfrage")
    page = client.post("/antrag/terminanfrage/seite/termin", data={"csrf_token": token, "action": "weiter",
                                                                    "/termin/kanal": "vor_ort"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    notice = re.search(r'<div class="notice" role="status">([^<]+)</div>', html).group(1)
    assert "weitere Fragen hinzu:" in notice and "Standort" in notice
    assert html.count(" autofocus") == 1
    focused = re.search(r'<input[^>]* autofocus[^>]*>', html).group(0)
    assert 'name="/termin/standort"' in focused


def test_the_start_page_counts_the_steps_the_wizard_counts(client):
    home = client.get("/").get_data(as_text=True)
    card = home[home.index('href="/formulare/terminanfrage"'):]
    start(client, "terminanfrage")
    first = client.get("/antrag/terminanfrage/seite/anliegen").get_data(as_text=True)
    total = re.search(r"Schritt 1 von (\d+)", first).group(1)
    assert f"{total} Schritte" in card[:600]
    card = home[home.index('href="/formulare/buergergeld"'):]
    start(client, "buergergeld")
    first = client.get("/antrag/buergergeld/seite/person").get_data(as_text=True)
    total = re.search(r"Schritt 1 von (\d+)", first).group(1)
    assert re.search(rf"· {total} Schritte \(je nach Ihren Angaben bis zu \d+\)", card[:800])


def test_hint_examples_pass_their_own_check():
    """The RV number example in the hint is a real RV number (check digit)."""
    from plausibility.identifiers import valid_rvnr

    text = (FORMS / "buergergeld" / "form.json").read_text(encoding="utf-8")
    examples = set(re.findall(r"(?:zum Beispiel|for example) (\d{2} \d{6} [A-Z] \d{3})", text))
    assert examples and all(valid_rvnr(e) for e in examples), examples
