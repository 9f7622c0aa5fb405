"""The applicant's wizard through the Flask test client: every route and
state, and hostile posts (missing CSRF, unknown fields, answers to hidden
questions, oversize bodies, wrong types)."""

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from webapp.storage import Application, Draft

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def wizard(client):
    """A client with a fresh Terminanfrage draft; returns (client, csrf token)."""
    token = CSRF.search(client.get("/formulare/terminanfrage").get_data(as_text=True)).group(1)
    started = client.post("/antrag/terminanfrage/neu", data={"csrf_token": token})
    assert started.status_code == 302 and started.headers["Location"].endswith("/antrag/terminanfrage/seite/anliegen")
    return client, token


def post(client, token, section, action="weiter", **answers):
    data = {"csrf_token": token, "action": action}
    for key, value in answers.items():
        data[key] = value
    return client.post(f"/antrag/terminanfrage/seite/{section}", data=data)


def stored_answers(app):
    with app.extensions["formwerk.storage"].reader() as db:
        return json.loads(db.scalars(select(Draft.answers)).all()[-1])


def fill_all(client, token):
    post(client, token, "anliegen", **{"/anliegen/grund": "erstantrag"})
    post(client, token, "termin", **{"/termin/kanal": "vor_ort"})
    assert post(client, token, "termin", **{"/termin/kanal": "vor_ort", "/termin/standort": "nord", "/termin/zeitfenster": "vormittag",
                                            "present": "/termin/zeitfenster"}).status_code == 302
    post(client, token, "unterstuetzung", **{"/unterstuetzung/bedarf": "false"})
    return post(client, token, "kontakt", **{"/kontakt/vorname": "Ana", "/kontakt/nachname": "Muster",
                                             "/kontakt/einwilligung": "true", "present": "/kontakt/einwilligung"})


def test_first_page_shows_only_relevant_questions_with_progress(wizard):
    client, _ = wizard
    html = client.get("/antrag/terminanfrage/seite/anliegen").get_data(as_text=True)
    assert "Schritt 1 von 4" in html
    assert 'name="/anliegen/grund"' in html and "/anliegen/beschreibung" not in html
    assert '<legend class="fieldset__legend">Worum geht es?</legend>' in html


def test_next_validates_the_page_and_links_errors_to_fields(wizard):
    client, token = wizard
    page = post(client, token, "anliegen")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<a href="#f-anliegen-grund-0">Beantworten Sie die Frage „Worum geht es?“.</a>' in html
    assert "<span class=\"visually-hidden\">Fehler:</span> Beantworten Sie die Frage" in html
    assert "<title>Fehler: Ihr Anliegen" in html


def test_an_answer_that_opens_questions_shows_them_before_checking(wizard, app):
    client, token = wizard
    page = post(client, token, "anliegen", **{"/anliegen/grund": "sonstiges"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "weitere Fragen hinzu" in html and "Es gibt ein Problem" not in html
    assert 'name="/anliegen/beschreibung"' in html
    assert stored_answers(app) == {"anliegen": {"grund": "sonstiges"}}  # saved on every post


def test_valid_page_moves_to_the_next_relevant_section(wizard):
    client, token = wizard
    moved = post(client, token, "anliegen", **{"/anliegen/grund": "erstantrag"})
    assert moved.status_code == 302 and moved.headers["Location"].endswith("/seite/termin")


def test_german_numbers_and_dates_are_coerced(client):
    token = CSRF.search(client.get("/formulare/buergergeld-rechner").get_data(as_text=True)).group(1)
    client.post("/antrag/buergergeld-rechner/neu", data={"csrf_token": token})
    data = {"csrf_token": token, "action": "weiter", "/wohnen/kaltmiete": "1.250,50", "/wohnen/nebenkosten": "90",
            "/wohnen/heizkosten": "abc", "/wohnen/warmwasser": "zentral"}
    html = client.post("/antrag/buergergeld-rechner/seite/wohnen", data=data).get_data(as_text=True)
    assert 'value="1250,50"' in html
    assert "Geben Sie bei „Heizkosten (Euro im Monat)“ eine Zahl an, zum Beispiel 1250,50." in html


def test_impossible_dates_get_a_plain_message(wizard):
    client, token = wizard
    post(client, token, "termin", **{"/termin/kanal": "vor_ort"})
    html = post(client, token, "termin", **{"/termin/kanal": "vor_ort", "/termin/standort": "nord", "/termin/zeitfenster": "mittag",
                                            "present": "/termin/zeitfenster", "/termin/ab_datum-tag": "30",
                                            "/termin/ab_datum-monat": "2", "/termin/ab_datum-jahr": "2027"}).get_data(as_text=True)
    assert "ein gültiges Datum im Format TT.MM.JJJJ an" in html
    assert 'id="f-termin-ab_datum-tag"' in html and 'href="#f-termin-ab_datum-tag"' in html


def test_unknown_fields_and_answers_to_hidden_questions_are_not_stored(wizard, app):
    client, token = wizard
    post(client, token, "anliegen", **{"/anliegen/grund": "erstantrag", "/anliegen/beschreibung": "versteckt eingeschleust",
                                        "/anliegen/hacker": "x", "/kontakt/vorname": "fremd", "answers": '{"x": 1}'})
    assert stored_answers(app) == {"anliegen": {"grund": "erstantrag"}}


def test_wrong_types_never_cause_a_500(wizard):
    client, token = wizard
    for value in ("", "\x00", "true", "1" * 5000, "<script>alert(1)</script>"):
        page = post(client, token, "anliegen", **{"/anliegen/grund": value})
        assert page.status_code in ((400,) if "\x00" in value else (200, 302))  # NUL bytes are refused outright
        assert "<script>alert(1)</script>" not in page.get_data(as_text=True)


def test_posts_without_csrf_token_are_refused(wizard, app):
    client, _ = wizard
    page = client.post("/antrag/terminanfrage/seite/anliegen", data={"/anliegen/grund": "erstantrag", "action": "weiter"})
    assert page.status_code == 400 and "Die Anfrage konnte nicht verarbeitet werden" in page.get_data(as_text=True)
    assert stored_answers(app) == {}


def test_oversize_bodies_are_refused_clearly(wizard):
    client, token = wizard
    page = client.post("/antrag/terminanfrage/seite/anliegen",
                       data={"csrf_token": token, "/anliegen/grund": "x" * (13 * 1024 * 1024)})
    assert page.status_code == 413 and "zu groß" in page.get_data(as_text=True)


def test_unknown_section_and_form_are_404(wizard):
    client, _ = wizard
    assert client.get("/antrag/terminanfrage/seite/nirgendwo").status_code == 404
    assert client.post("/antrag/nope/neu", data={}).status_code in (400, 404)


def test_pages_without_a_draft_send_the_applicant_to_the_start(client):
    page = client.get("/antrag/terminanfrage/seite/anliegen")
    assert page.status_code == 302 and page.headers["Location"].endswith("/formulare/terminanfrage")


def test_task_list_shows_each_sections_status(wizard):
    client, token = wizard
    post(client, token, "anliegen", **{"/anliegen/grund": "erstantrag"})
    post(client, token, "termin", **{"/termin/kanal": "telefon"})
    post(client, token, "termin", **{"/termin/kanal": "telefon"})
    html = client.get("/antrag/terminanfrage").get_data(as_text=True)
    statuses = re.findall(r'class="tag tag--(\w+)"', html)
    assert statuses == ["done", "has_errors", "not_started", "not_started"]
    assert "Sie haben 1 von 4 Abschnitten abgeschlossen." in html


def test_add_and_remove_entries_of_a_list(client, app):
    token = CSRF.search(client.get("/formulare/buergergeld-rechner").get_data(as_text=True)).group(1)
    client.post("/antrag/buergergeld-rechner/neu", data={"csrf_token": token})
    base = {"csrf_token": token, "/haushalt/partner": "false", "/haushalt/kinder_vorhanden": "true",
            "/haushalt/schwanger": "false"}
    client.post("/antrag/buergergeld-rechner/seite/haushalt", data={**base, "action": "weiter"})
    added = client.post("/antrag/buergergeld-rechner/seite/haushalt", data={**base, "action": "add:/haushalt/kinder"})
    assert added.status_code == 302 and added.headers["Location"].endswith("#f-haushalt-kinder-0")
    html = client.get("/antrag/buergergeld-rechner/seite/haushalt").get_data(as_text=True)
    assert 'name="/haushalt/kinder/0/alter"' in html and 'value="remove:/haushalt/kinder/0"' in html
    client.post("/antrag/buergergeld-rechner/seite/haushalt", data={**base, "/haushalt/kinder/0/alter": "4", "action": "add:/haushalt/kinder"})
    assert len(stored_answers(app)["haushalt"]["kinder"]) == 2
    client.post("/antrag/buergergeld-rechner/seite/haushalt", data={**base, "/haushalt/kinder/0/alter": "4", "action": "remove:/haushalt/kinder/1"})
    assert stored_answers(app)["haushalt"]["kinder"] == [{"alter": 4}]


def test_htmx_change_returns_only_the_fields_fragment(wizard):
    client, token = wizard
    fragment = client.post("/antrag/terminanfrage/seite/anliegen", headers={"HX-Request": "true"},
                           data={"csrf_token": token, "action": "refresh", "/anliegen/grund": "sonstiges"})
    html = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and html.lstrip().startswith('<div id="fields">')
    assert "<html" not in html and 'name="/anliegen/beschreibung"' in html
    assert 'hx-swap-oob="true"' in html and "an Ihre Antwort angepasst" in html
    # the inputs that conditions read carry the live update
    page = client.get("/antrag/terminanfrage/seite/anliegen").get_data(as_text=True)
    assert 'hx-post="/antrag/terminanfrage/seite/anliegen"' in page


def test_review_lists_answers_change_links_and_discarded_answers(wizard):
    client, token = wizard
    post(client, token, "anliegen", **{"/anliegen/grund": "sonstiges"})
    post(client, token, "anliegen", **{"/anliegen/grund": "sonstiges", "/anliegen/beschreibung": "Ich brauche Hilfe beim Antrag."})
    post(client, token, "anliegen", **{"/anliegen/grund": "erstantrag"})
    html = client.get("/antrag/terminanfrage/pruefen").get_data(as_text=True)
    assert "Ich möchte Bürgergeld zum ersten Mal beantragen" in html
    assert 'href="/antrag/terminanfrage/seite/anliegen#f-anliegen-grund-0">Ändern' in html
    assert "Diese Angaben werden nicht übermittelt" in html
    assert "<li>Ihr Anliegen › Beschreiben Sie Ihr Anliegen</li>" in html


def test_submission_stores_pruned_answers_once_and_shows_a_receipt(wizard, app):
    client, token = wizard
    assert fill_all(client, token).headers["Location"].endswith("/pruefen")
    sent = client.post("/antrag/terminanfrage/absenden", data={"csrf_token": token})
    assert sent.status_code == 302
    receipt = client.get(sent.headers["Location"]).get_data(as_text=True)
    reference = re.search(r'class="reference">([^<]+)<', receipt).group(1)
    assert re.fullmatch(r"FW-\d{8}-[0-9A-F]{8}", reference)
    assert "Prüfsumme Ihrer Angaben" in receipt and "Nord, Am Markt 5" in receipt
    again = client.post("/antrag/terminanfrage/absenden", data={"csrf_token": token})
    assert again.status_code == 302
    with app.extensions["formwerk.storage"].reader() as db:
        assert db.scalar(select(func.count()).select_from(Application)) == 1
        stored = db.scalars(select(Application)).one()
    assert json.loads(stored.answers)["termin"] == {"kanal": "vor_ort", "standort": "nord", "zeitfenster": ["vormittag"]}
    # the draft is closed: its pages lead to the receipt
    assert client.get("/antrag/terminanfrage/seite/anliegen").headers["Location"].endswith("/antrag/terminanfrage/eingang")


def test_invalid_applications_cannot_be_sent(wizard, app):
    client, token = wizard
    post(client, token, "anliegen", **{"/anliegen/grund": "erstantrag"})
    refused = client.post("/antrag/terminanfrage/absenden", data={"csrf_token": token})
    assert refused.headers["Location"].endswith("/pruefen")
    assert "kann noch nicht abgesendet werden" in client.get("/antrag/terminanfrage/pruefen").get_data(as_text=True)
    with app.extensions["formwerk.storage"].reader() as db:
        assert db.scalar(select(func.count()).select_from(Application)) == 0


def test_status_page_needs_reference_and_access_code(wizard):
    client, token = wizard
    fill_all(client, token)
    receipt = client.get(client.post("/antrag/terminanfrage/absenden", data={"csrf_token": token}).headers["Location"])
    html = receipt.get_data(as_text=True)
    reference = re.search(r'class="reference">([^<]+)<', html).group(1)
    code = re.findall(r'<code class="hash">([^<]+)</code>', html)[1]
    found = client.post("/status", data={"csrf_token": token, "reference": reference.lower(), "token": code})
    assert found.status_code == 200 and "Eingegangen – wird bearbeitet" in found.get_data(as_text=True)
    wrong = client.post("/status", data={"csrf_token": token, "reference": reference, "token": "guess"})
    assert wrong.status_code == 404 and "keinen Antrag gefunden" in wrong.get_data(as_text=True)


def test_save_and_resume_by_link_in_another_browser(wizard, app):
    client, token = wizard
    post(client, token, "anliegen", action="speichern", **{"/anliegen/grund": "beratung"})
    saved = client.get("/antrag/terminanfrage/speichern").get_data(as_text=True)
    link = re.search(r'href="(http://localhost/fortsetzen/[^"]+)"', saved).group(1)
    resume_token = link.rsplit("/", 1)[1]
    assert len(resume_token) >= 32  # at least 128 bits
    with app.extensions["formwerk.storage"].reader() as db:
        assert resume_token not in db.scalar(select(Draft.token_hash))  # only a hash is stored
    other = app.test_client()
    assert other.get("/antrag/terminanfrage").status_code == 302
    path = link.replace("http://localhost", "")
    shown = other.get(path)  # a deliberate step: whose draft is it?
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200 and "Gespeicherten Antrag fortsetzen?" in html and "Begonnen am" in html
    assert "Zuletzt gespeichert am" in html and "Terminanfrage" in html
    assert other.get("/antrag/terminanfrage").status_code == 302  # looking binds nothing
    other_csrf = CSRF.search(html).group(1)
    resumed = other.post(path, data={"csrf_token": other_csrf})
    assert resumed.headers["Location"].endswith("/antrag/terminanfrage")
    assert 'value="beratung" checked' in other.get("/antrag/terminanfrage/seite/anliegen").get_data(as_text=True)
    # the token was rotated: the old link and the first browser's copy of it no longer work
    assert app.test_client().get(path).status_code == 404
    assert client.get("/antrag/terminanfrage").status_code == 302
    new_link = re.search(r'/fortsetzen/[^"]+', other.get("/antrag/terminanfrage/speichern").get_data(as_text=True)).group(0)
    assert new_link != path and app.test_client().get(new_link).status_code == 200


def test_resume_link_fixation_is_visible_and_shuts_out_the_sender(wizard, app):
    """An attacker sends their own resume link; the victim, who has a draft of
    their own, is told so, and confirming locks the attacker out."""
    attacker, token = wizard
    post(attacker, token, "anliegen", action="speichern", **{"/anliegen/grund": "beratung"})
    link = re.search(r'/fortsetzen/[^"]+', attacker.get("/antrag/terminanfrage/speichern").get_data(as_text=True)).group(0)
    victim = app.test_client()
    victim_csrf = CSRF.search(victim.get("/formulare/terminanfrage").get_data(as_text=True)).group(1)
    victim.post("/antrag/terminanfrage/neu", data={"csrf_token": victim_csrf})
    post(victim, victim_csrf, "anliegen", **{"/anliegen/grund": "erstantrag"})
    html = victim.get(link).get_data(as_text=True)
    assert "bereits ein anderer Antrag für dieses Formular geöffnet" in html
    assert 'value="erstantrag" checked' in victim.get("/antrag/terminanfrage/seite/anliegen").get_data(as_text=True)
    victim.post(link, data={"csrf_token": victim_csrf})
    post(victim, victim_csrf, "kontakt", **{"/kontakt/vorname": "Opfer"})
    assert attacker.get("/antrag/terminanfrage").status_code == 302  # the attacker's session lost the draft
    assert attacker.get(link).status_code == 404


def test_expired_and_unknown_resume_links(wizard, app):
    client, token = wizard
    post(client, token, "anliegen", **{"/anliegen/grund": "beratung"})
    link = re.search(r'/fortsetzen/[^"]+', client.get("/antrag/terminanfrage/speichern").get_data(as_text=True)).group(0)
    assert app.test_client().get("/fortsetzen/unknown-token").status_code == 404
    with app.extensions["formwerk.storage"].session() as db:
        for draft in db.scalars(select(Draft)):
            draft.expires_at = draft.expires_at - timedelta(days=365)
    expired = app.test_client().get(link)
    assert expired.status_code == 404 and "nicht mehr gültig" in expired.get_data(as_text=True)


def test_draft_stays_on_the_form_version_it_started_with(wizard, app):
    client, token = wizard
    post(client, token, "anliegen", **{"/anliegen/grund": "erstantrag"})
    catalog = app.extensions["formwerk.catalog"]
    current = catalog.get("terminanfrage")
    changed = dict(current.form.schema, title="Terminanfrage (neue Fassung)", **{"x-version": "2027-01-1"})
    from engine import FormSource
    catalog.publish("terminanfrage", FormSource(schema=changed, base_uri="https://formwerk.invalid/x.json"))
    assert catalog.get("terminanfrage").version == "2027-01-1"
    html = client.get("/antrag/terminanfrage/seite/anliegen").get_data(as_text=True)
    assert "(neue Fassung)" not in html


def test_pdf_receipt_carries_reference_version_answers_and_hash(wizard, app):
    import io

    from pypdf import PdfReader

    client, token = wizard
    fill_all(client, token)
    receipt = client.get(client.post("/antrag/terminanfrage/absenden", data={"csrf_token": token}).headers["Location"])
    html = receipt.get_data(as_text=True)
    reference = re.search(r'class="reference">([^<]+)<', html).group(1)
    pdf = client.get(f"/eingang/{reference}/bestaetigung.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    with app.extensions["formwerk.storage"].reader() as db:
        stored = db.scalars(select(Application)).one()
    for expected in (reference, stored.data_hash, "Terminanfrage, 2026-11-1", "Nord, Am Markt 5", "Vorname: Ana"):
        assert expected in text
    assert app.test_client().get(f"/eingang/{reference}/bestaetigung.pdf").status_code == 404  # not without the session


MIETE = {
    "$schema": "https://json-schema.org/draft/2020-12/schema", "title": "Mietantrag", "type": "object",
    "x-kind": "application", "x-languages": ["de"],
    "properties": {"wohnen": {
        "type": "object", "title": "Wohnen", "required": ["kaltmiete"],
        "properties": {"kaltmiete": {"type": "number", "title": "Kaltmiete", "x-widget": "money", "minimum": 0}},
        "x-rules": [{"id": "miete-sehr-hoch", "severity": "warning", "rule": "self.kaltmiete <= 2500.0",
                     "message": {"de": "Die Kaltmiete ist sehr hoch."}, "fields": ["/kaltmiete"]}]}},
}


@pytest.fixture
def miete(app, tmp_path):
    """A tiny application form with one warning, published beside the bundled ones."""
    folder = tmp_path / "mietantrag"
    folder.mkdir()
    (folder / "form.json").write_text(json.dumps(MIETE), encoding="utf-8")
    app.extensions["formwerk.catalog"].publish_folder(folder)
    return "mietantrag"


def test_warnings_need_confirmation_before_sending(client, app, miete):
    token = CSRF.search(client.get(f"/formulare/{miete}").get_data(as_text=True)).group(1)
    client.post(f"/antrag/{miete}/neu", data={"csrf_token": token})
    client.post(f"/antrag/{miete}/seite/wohnen", data={"csrf_token": token, "action": "weiter", "/wohnen/kaltmiete": "3.000"})
    page = client.get(f"/antrag/{miete}/seite/wohnen").get_data(as_text=True)
    assert "Die Kaltmiete ist sehr hoch." in page
    confirmation = re.search(r'name="confirm" value="([^"]+)"', page).group(1)
    refused = client.post(f"/antrag/{miete}/absenden", data={"csrf_token": token})
    assert refused.headers["Location"].endswith("/pruefen")
    review = client.get(f"/antrag/{miete}/pruefen").get_data(as_text=True)
    assert "Bitte bestätigen Sie jeden Hinweis" in review and "korrigieren Sie" not in review
    # confirmed on the page itself
    client.post(f"/antrag/{miete}/seite/wohnen", data={"csrf_token": token, "action": "weiter", "/wohnen/kaltmiete": "3.000",
                                                     "confirm": confirmation})
    assert re.search(r'value="[^"]+" checked><label for="confirm-1"', client.get(f"/antrag/{miete}/pruefen").get_data(as_text=True))
    # unticked on the review page with "Absenden": not sent, and no longer confirmed
    unticked = client.post(f"/antrag/{miete}/absenden", data={"csrf_token": token, "confirmations_shown": "1"})
    assert unticked.headers["Location"].endswith("/pruefen")
    assert not re.search(r'checked><label for="confirm-1"', client.get(f"/antrag/{miete}/pruefen").get_data(as_text=True))
    with app.extensions["formwerk.storage"].reader() as db:
        assert db.scalar(select(func.count(Application.id))) == 0


def test_ticking_a_confirmation_and_sending_is_one_step(client, app, miete):
    """Issue 15: the review page's tick and "Absenden" are one post (no
    separate "Bestätigungen speichern")."""
    token = CSRF.search(client.get(f"/formulare/{miete}").get_data(as_text=True)).group(1)
    client.post(f"/antrag/{miete}/neu", data={"csrf_token": token})
    client.post(f"/antrag/{miete}/seite/wohnen", data={"csrf_token": token, "action": "weiter", "/wohnen/kaltmiete": "3000"})
    review = client.get(f"/antrag/{miete}/pruefen").get_data(as_text=True)
    assert "Bestätigungen speichern" not in review
    send_form = review[review.index('action="/antrag/mietantrag/absenden"'):]
    confirmation = re.search(r'name="confirm" value="([^"]+)"', send_form).group(1)
    revision = re.search(r'name="revision" value="(\d+)"', send_form).group(1)
    sent = client.post(f"/antrag/{miete}/absenden", data={"csrf_token": token, "confirmations_shown": "1",
                                                         "revision": revision, "confirm": confirmation})
    assert sent.headers["Location"].startswith("/eingang/FW-")
    with app.extensions["formwerk.storage"].reader() as db:
        stored = db.scalars(select(Application)).one()
    assert json.loads(stored.confirmations) == [confirmation]
    assert any(f["rule"] == "miete-sehr-hoch" for f in json.loads(stored.findings))


def test_changing_a_confirmed_answer_revives_the_warning(client):
    token = CSRF.search(client.get("/formulare/buergergeld-rechner").get_data(as_text=True)).group(1)
    client.post("/antrag/buergergeld-rechner/neu", data={"csrf_token": token})
    wohnen = {"/wohnen/kaltmiete": "3000", "/wohnen/nebenkosten": "100", "/wohnen/heizkosten": "80", "/wohnen/warmwasser": "zentral"}
    page = client.post("/antrag/buergergeld-rechner/seite/wohnen", data={"csrf_token": token, "action": "weiter", **wohnen})
    page = client.get("/antrag/buergergeld-rechner/seite/wohnen").get_data(as_text=True)
    confirmation = re.search(r'name="confirm" value="([^"]+)"', page).group(1)
    client.post("/antrag/buergergeld-rechner/seite/wohnen", data={"csrf_token": token, "action": "weiter", **wohnen, "confirm": confirmation})
    assert f'value="{confirmation}" checked' in client.get("/antrag/buergergeld-rechner/seite/wohnen").get_data(as_text=True)
    client.post("/antrag/buergergeld-rechner/seite/wohnen", data={"csrf_token": token, "action": "weiter", **wohnen,
                                                               "/wohnen/kaltmiete": "3100", "confirm": confirmation})
    page = client.get("/antrag/buergergeld-rechner/seite/wohnen").get_data(as_text=True)
    assert "3.100,00\u00a0€ ist sehr hoch" in page and " checked><label for=\"f-wohnen-kaltmiete-confirm-1\"" not in page


def test_ending_the_session_forgets_the_draft_on_this_browser(wizard):
    client, token = wizard
    post(client, token, "anliegen", **{"/anliegen/grund": "beratung"})
    assert "Sitzung beenden" in client.get("/antrag/terminanfrage").get_data(as_text=True)
    ended = client.post("/sitzung-beenden", data={"csrf_token": token})
    assert ended.status_code == 302
    start = client.get("/").get_data(as_text=True)
    assert "Ihre Sitzung ist beendet" in start and "Sitzung beenden" not in start
    assert client.get("/antrag/terminanfrage").status_code == 302  # back to the start, not the draft
