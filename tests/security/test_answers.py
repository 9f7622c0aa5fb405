"""Hostile answers: to questions that do not apply, to fields that do not
exist, tampered actions, oversize values, bodies and drafts, nested pointers."""

import json
import re

import pytest
from sqlalchemy import select

from tests.security.conftest import SLUG, fill, post, send, start
from webapp.storage import Application, Draft


def stored(app):
    with app.extensions["formwerk.storage"].reader() as db:
        return json.loads(db.scalars(select(Draft.answers).order_by(Draft.id)).all()[-1])


@pytest.mark.parametrize("smuggled", [
    {"/anliegen/beschreibung": "versteckt"},                       # a question that does not apply (grund != sonstiges)
    {"/termin/standort": "nord"},                                  # another page's question
    {"/anliegen/grund/0": "x"},                                    # a pointer below a leaf
    {"/anliegen": "x"},                                            # the section itself
    {"/": "x", "": "x", "/~1etc~1passwd": "x"},                    # the root, escaped tokens
    {"/anliegen/__proto__": "x", "/anliegen/constructor": "x"},    # prototype names
    {"answers": json.dumps({"anliegen": {"grund": "sonstiges", "beschreibung": "x"}})},  # a JSON body in a field
])
def test_answers_to_questions_not_on_the_page_are_never_stored(applicant, app, smuggled):
    client, token = applicant
    page = post(client, token, "anliegen", **{"/anliegen/grund": "erstantrag"}, **smuggled)
    assert page.status_code == 302
    assert stored(app) == {"anliegen": {"grund": "erstantrag"}}


def test_submission_never_contains_answers_that_stopped_applying(applicant, app):
    client, token = applicant
    fill(client, token, text="Hilfe")
    post(client, token, "anliegen", **{"/anliegen/grund": "erstantrag"})  # beschreibung no longer applies
    send(client, token)
    with app.extensions["formwerk.storage"].reader() as db:
        answers = json.loads(db.scalars(select(Application.answers)).one())
    assert "beschreibung" not in answers["anliegen"]


@pytest.mark.parametrize("action", [
    "add:/anliegen/grund", "add:/haushalt/kinder", "remove:/anliegen", "remove:/anliegen/grund", "delete:1",
    "add:", "remove:", "weiter ", "WEITER", "x" * 5000, "add:/termin/zeitfenster",
])
def test_actions_the_page_does_not_offer_are_refused(applicant, app, action):
    client, token = applicant
    page = post(client, token, "anliegen", action=action, **{"/anliegen/grund": "beratung"})
    assert page.status_code == 400 and "Die Anfrage konnte nicht verarbeitet werden" in page.get_data(as_text=True)
    assert stored(app) == {}


def rechner_with_children(client):
    token = start(client, "buergergeld-rechner")
    base = {"/haushalt/alter": "30", "/haushalt/partner": "false", "/haushalt/kinder_vorhanden": "true",
            "/haushalt/schwanger": "false", "/haushalt/weitere_personen": "false"}
    post(client, token, "haushalt", slug="buergergeld-rechner", **base)
    return token, base


def test_lists_stop_at_the_server_cap_and_the_button_disappears(app):
    app.config["MAX_LIST_ITEMS"] = 3
    client = app.test_client()
    token, base = rechner_with_children(client)
    for _ in range(3):
        assert post(client, token, "haushalt", action="add:/haushalt/kinder", slug="buergergeld-rechner", **base).status_code == 302
    refused = post(client, token, "haushalt", action="add:/haushalt/kinder", slug="buergergeld-rechner", **base)
    assert refused.status_code == 400
    assert len(stored(app)["haushalt"]["kinder"]) == 3
    html = client.get("/antrag/buergergeld-rechner/seite/haushalt").get_data(as_text=True)
    assert 'value="add:/haushalt/kinder"' not in html and 'value="remove:/haushalt/kinder/2"' in html


def test_a_post_on_a_long_list_stays_cheap(app):
    """200 entries were 1.5 s a post; the cap keeps every post small."""
    client = app.test_client()
    token, base = rechner_with_children(client)
    for _ in range(60):
        post(client, token, "haushalt", action="add:/haushalt/kinder", slug="buergergeld-rechner", **base)
    assert len(stored(app)["haushalt"]["kinder"]) == 12  # the form's maxItems (below the server's 50)
    # what bounds the work of a post is the list's size (no timing asserts in tests)
    assert post(client, token, "haushalt", slug="buergergeld-rechner", **base).status_code in (200, 302, 303)
    assert len(stored(app)["haushalt"]["kinder"]) == 12


@pytest.mark.parametrize("field,length,kept", [
    ("/kontakt/vorname", 100_000, 300),        # maxLength 100: cut at 2 × 100 + 100, still reported as too long
    ("/anliegen/beschreibung", 200_000, 2100),  # maxLength 1000
])
def test_oversize_answers_are_cut_far_below_the_body_limit(applicant, app, field, length, kept):
    client, token = applicant
    section = field.split("/")[1]
    extra = {"/anliegen/grund": "sonstiges"} if section == "anliegen" else {}
    if extra:
        post(client, token, "anliegen", **extra)
    page = post(client, token, section, **extra, **{field: "x" * length})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Ihre Eingabe ist zu lang" in html
    section_answers = stored(app)[section]
    assert len(section_answers[field.split("/")[2]]) == kept


@pytest.mark.parametrize("body,status", [
    ({"/kontakt/vorname": "x" * (300 * 1024)}, 413),                  # one huge field
    ({f"f{i}": "1" for i in range(1500)}, 413),                        # too many fields
])
def test_oversize_urlencoded_bodies_are_refused_before_parsing(applicant, app, body, status):
    client, token = applicant
    page = client.post(f"/antrag/{SLUG}/seite/kontakt", data={"csrf_token": token, "action": "weiter", **body})
    assert page.status_code == status and "zu groß" in page.get_data(as_text=True)
    assert stored(app) == {}


def test_a_draft_cannot_grow_beyond_its_cap(applicant, app):
    app.config["MAX_DRAFT_BYTES"] = 2000
    app.extensions["formwerk.drafts"].max_bytes = 2000
    client, token = applicant
    post(client, token, "anliegen", **{"/anliegen/grund": "sonstiges"})
    page = post(client, token, "anliegen", **{"/anliegen/grund": "sonstiges", "/anliegen/beschreibung": "x" * 2100})
    assert page.status_code == 413 and "zu umfangreich" in page.get_data(as_text=True)
    assert stored(app) == {"anliegen": {"grund": "sonstiges"}}


@pytest.mark.parametrize("text,clean", [
    ("Ana\x00", None),                     # NUL: the whole post is refused
    ("A\x07n\x1ba\x7f", "Ana"),            # C0 controls and DEL
    ("Ana\u202eanA", "AnaanA"),            # right-to-left override
    ("\u2066Ana\u2069", "Ana"),            # isolates
    ("Ana\u0085", "Ana"),                  # C1 control
])
def test_control_characters_and_bidi_overrides_never_reach_storage(applicant, app, text, clean):
    client, token = applicant
    page = post(client, token, "kontakt", **{"/kontakt/vorname": text})
    if clean is None:
        assert page.status_code == 400
        assert "kontakt" not in stored(app)
    else:
        assert stored(app)["kontakt"]["vorname"] == clean


def test_line_breaks_stay_in_long_texts(applicant, app):
    client, token = applicant
    post(client, token, "anliegen", **{"/anliegen/grund": "sonstiges"})
    post(client, token, "anliegen", **{"/anliegen/grund": "sonstiges", "/anliegen/beschreibung": "Zeile 1\r\nZeile 2\tEnde"})
    assert stored(app)["anliegen"]["beschreibung"] == "Zeile 1\nZeile 2\tEnde"


# (a real date long ago, 1.1.1899, is a date: the form's rules judge it, tests/web/test_wizard_hints.py)
@pytest.mark.parametrize("day,month,year", [("1", "1", "0001"), ("31", "12", "9999"), ("1", "1", "0999"), ("99999999999", "1", "2000")])
def test_absurd_dates_are_not_accepted(applicant, app, day, month, year):
    client, token = applicant
    post(client, token, "termin", **{"/termin/kanal": "vor_ort"})
    page = post(client, token, "termin", **{"/termin/kanal": "vor_ort", "/termin/standort": "nord", "/termin/zeitfenster": "vormittag",
                                            "present": "/termin/zeitfenster", "/termin/ab_datum-tag": day,
                                            "/termin/ab_datum-monat": month, "/termin/ab_datum-jahr": year})
    assert page.status_code == 200 and "gültiges Datum" in page.get_data(as_text=True)
    assert not re.match(r"^\d{4}-\d\d-\d\d$", str(stored(app)["termin"].get("ab_datum", "")))  # kept as typed, never a date


@pytest.mark.parametrize("number", ["9" * 40, "-" + "9" * 25, "1e308", "NaN", "Infinity", "0x10", "9" * 29])
def test_absurd_numbers_are_reported_not_crashed(app, number):
    client = app.test_client()
    token = start(client, "buergergeld-rechner")
    page = client.post("/antrag/buergergeld-rechner/seite/wohnen", data={
        "csrf_token": token, "action": "weiter", "/wohnen/kaltmiete": number, "/wohnen/nebenkosten": "1",
        "/wohnen/heizkosten": "1", "/wohnen/warmwasser": "zentral"})
    assert page.status_code == 200 and "Traceback" not in page.get_data(as_text=True)


CASES = __import__("pathlib").Path(__file__).resolve().parents[2] / "forms" / "buergergeld" / "cases"


@pytest.mark.parametrize("case,pointer", [
    ("01_alleinstehend_ohne_kinder.json", "/person/geburtsdatum"),
    ("02_paar_mit_kindern_10_und_17.json", "/haushalt/kinder/0/geburtsdatum"),
    ("02_paar_mit_kindern_10_und_17.json", "/haushalt/partner/geburtsdatum"),
])
@pytest.mark.parametrize("year", ["0001", "1", "0999"])
def test_a_birth_date_in_year_one_is_an_error_on_the_page_and_review_and_cannot_be_sent(app, client, case, pointer, year):
    """1.1.0001 typed into the day/month/year fields of a complete application:
    the page and check-your-answers name the error (in the format the fields
    ask for), and sending is refused."""
    from webapp.drafts import dumps

    token = start(client, "buergergeld")
    answers = json.loads((CASES / case).read_text(encoding="utf-8"))["answers"]
    with app.extensions["formwerk.storage"].session() as db:
        db.scalars(select(Draft)).one().answers = dumps(answers)
    section = pointer.split("/")[1]
    fields = {f"{pointer}-tag": "1", f"{pointer}-monat": "1", f"{pointer}-jahr": year}
    page = client.post(f"/antrag/buergergeld/seite/{section}", data={"csrf_token": token, "action": "weiter", **fields})
    message = "ein gültiges Datum im Format TT.MM.JJJJ an"
    assert page.status_code == 200 and message in page.get_data(as_text=True)
    review = client.get("/antrag/buergergeld/pruefen").get_data(as_text=True)
    summary = re.search(r'id="review-errors".*?</ul>', review, re.S)
    assert summary and message in summary.group(0), "check-your-answers shows no error"
    assert f'#f-{pointer[1:].replace("/", "-")}' in summary.group(0)  # the link leads to the field
    sent = client.post("/antrag/buergergeld/absenden", data={"csrf_token": token}, follow_redirects=True)
    assert "kann noch nicht abgesendet werden" in sent.get_data(as_text=True)
    with app.extensions["formwerk.storage"].reader() as db:
        assert db.scalars(select(Application)).all() == []
