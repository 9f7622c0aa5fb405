"""Tester 3 (issue 15): the choices a question offers and the names a page
uses depend on who is in the household and on the answers given so far."""

from __future__ import annotations

import re

from engine import load_form
from tests.conftest import FORMS
from tests.web.test_wizard_pages import CSRF, SLUG, post, text  # noqa: F401  (shared helpers)

SINGLE = {"/haushalt/partner_im_haushalt": "false", "/haushalt/kinder_im_haushalt": "false",
          "/haushalt/weitere_personen": "false"}
OWNER_TEXTS = ("meiner Partnerin oder meinem Partner", "einem Kind", "uns gemeinsam")


def _start(client):
    token = CSRF.search(client.get(f"/formulare/{SLUG}").get_data(as_text=True)).group(1)
    assert client.post(f"/antrag/{SLUG}/neu", data={"csrf_token": token}).status_code == 302
    return token


def _owner_options(page: str, name: str) -> list[str]:
    return re.findall(rf'name="{re.escape(name)}"[^>]*value="([^"]+)"', page) + \
        re.findall(rf'value="([^"]+)"[^>]*name="{re.escape(name)}"', page)


def test_a_single_person_household_is_offered_only_themselves_as_owner(client):
    token = _start(client)
    post(client, token, "haushalt", **SINGLE)
    post(client, token, "vermoegen", action="add:/vermoegen/konten")
    page = text(client.get(f"/antrag/{SLUG}/seite/vermoegen"))
    assert "Wem gehört es?" in page
    assert _owner_options(page, "/vermoegen/konten/0/inhaber") == ["antragsteller"]
    for option in OWNER_TEXTS:
        assert option not in page


def test_owners_follow_the_household_and_a_removed_partner_cannot_stay_owner():
    form = load_form(FORMS / SLUG)

    def offered(household, pointer, section, answers):
        outcome, walk = form.check_walk({"haushalt": household, **answers}, lang="de", section=section,
                                        channel="web")
        return form.field_at(walk, pointer, "de").values, [e for e in outcome.errors if e.path == pointer]

    account = {"vermoegen": {"konten": [{"bank": "B", "kontoart": "giro", "kontostand": 5, "inhaber": "partner"}],
                             "fahrzeug": True, "fahrzeuge": [{"inhaber": "gemeinsam"}]}}
    single = {"partner_im_haushalt": False, "kinder_im_haushalt": False, "weitere_personen": False}
    values, errors = offered(single, "/vermoegen/konten/0/inhaber", "vermoegen", account)
    assert values == ("antragsteller",) and errors  # the partner is gone: the old answer is an error
    values, errors = offered(single, "/vermoegen/fahrzeuge/0/inhaber", "vermoegen", account)
    assert values == ("antragsteller",) and errors
    couple = {**single, "partner_im_haushalt": True}
    values, errors = offered(couple, "/vermoegen/konten/0/inhaber", "vermoegen", account)
    assert values == ("antragsteller", "partner", "gemeinsam") and not errors
    family = {**couple, "kinder_im_haushalt": True, "kinder": [{"vorname": "Elif", "verwandtschaft": "gemeinsam"}]}
    values, _ = offered(family, "/vermoegen/konten/0/inhaber", "vermoegen", account)
    assert values == ("antragsteller", "partner", "kind", "gemeinsam")
    # whose child: without a partner only "my child"
    lone_parent = {**single, "kinder_im_haushalt": True, "kinder": [{"vorname": "Elif", "verwandtschaft": "partner"}]}
    values, errors = offered(lone_parent, "/haushalt/kinder/0/verwandtschaft", "haushalt", {})
    assert values == ("eigenes",) and errors
    # for whom (additional needs): only people who live here
    needs = {"mehrbedarf": {"behinderung": True, "behinderung_person": "kind"}}
    values, errors = offered(couple, "/mehrbedarf/behinderung_person", "mehrbedarf", needs)
    assert values == ("antragsteller", "partner") and errors
    pregnant = {"mehrbedarf": {"schwanger": True, "schwangere_person": "partnerin"}}
    values, errors = offered(single, "/mehrbedarf/schwangere_person", "mehrbedarf", pregnant)
    assert values == ("antragstellerin",) and errors
    values, errors = offered(family, "/mehrbedarf/schwangere_person", "mehrbedarf", pregnant)
    assert values == ("antragstellerin", "partnerin", "tochter") and not errors


COUPLE = {"/haushalt/partner_im_haushalt": "true", "/haushalt/kinder_im_haushalt": "false",
          "/haushalt/weitere_personen": "false"}
INCOME = {"/einkommen/antragsteller/hat_einkommen": "true", "/einkommen/partner/hat_einkommen": "true"}


def _couple_with_income(client):
    token = _start(client)
    post(client, token, "person", **{"/person/vorname": "Murat", "/person/nachname": "Yilmaz"})
    post(client, token, "haushalt", **COUPLE)
    post(client, token, "haushalt", **COUPLE, **{"/haushalt/partner/vorname": "Ayşe", "/haushalt/partner/nachname": "Kaya"})
    post(client, token, "einkommen", **INCOME)
    post(client, token, "einkommen", **INCOME)
    for owner in ("antragsteller", "partner"):
        if f"/einkommen/{owner}/einkuenfte/0/art" not in text(client.get(f"/antrag/{SLUG}/seite/einkommen")):
            post(client, token, "einkommen", action=f"add:/einkommen/{owner}/einkuenfte", **INCOME)
    answers = {**INCOME, "/einkommen/antragsteller/einkuenfte/0/art": "erwerbstaetigkeit",
               "/einkommen/partner/einkuenfte/0/art": "rente"}
    return token, text(post(client, token, "einkommen", **answers))


def test_the_two_income_lists_say_whose_they_are(client):
    _, page = _couple_with_income(client)
    # entries, their remove buttons and their errors name the person
    assert "Einkommen 1 von Murat Yilmaz" in page and "Einkommen 1 von Ayşe Kaya" in page
    assert re.search(r"Diesen Eintrag entfernen<span class=\"visually-hidden\">: Einkommen 1 von Murat Yilmaz</span>", page)
    assert re.search(r"Diesen Eintrag entfernen<span class=\"visually-hidden\">: Einkommen 1 von Ayşe Kaya</span>", page)
    review = text(client.get(f"/antrag/{SLUG}/pruefen"))
    assert "Einkommen 1 von Ayşe Kaya: Beantworten Sie die Frage „Welche Rente?“." in review
    assert "Einkommen 1 von Murat Yilmaz: Füllen Sie das Feld „Arbeitgeber“ aus." in review
    assert "Arbeitgeber von Einkommen 1" not in review  # the message names the field: once (tester 3)
    # the two add buttons have different accessible names
    adds = re.findall(r'value="add:[^"]+">[^<]*<span class="visually-hidden">: ([^<]+)</span>', page)
    assert len(adds) == 2 and len(set(adds)) == 2, adds


def test_documents_name_their_owner(client):
    _couple_with_income(client)
    page = text(client.get(f"/antrag/{SLUG}/nachweise"))
    assert "Ausweis von Ayşe Kaya" in page
    assert "Gehaltsabrechnungen der letzten 3 Monate von Murat Yilmaz" in page
    assert "Bescheid oder Nachweis über das Einkommen von Ayşe Kaya" in page
    assert "der Partnerin oder des Partners" not in page and "dieser Person" not in page


def test_a_document_of_a_childs_annex_names_the_child(app):
    from types import SimpleNamespace

    from webapp.presentation import document_title

    answers = {"haushalt": {"kinder": [{"vorname": "Elif", "nachname": "Yilmaz", "wep": {"ausbildung": "schule"}}],
                            "partner": {"vorname": ""}}}
    school = SimpleNamespace(path="/haushalt/kinder/0/wep", title="Schulbescheinigung")
    with app.app_context():
        assert document_title(school, answers, "de") == "Schulbescheinigung von Elif Yilmaz"
        assert document_title(school, answers, "en") == "Schulbescheinigung for Elif Yilmaz"
        partner = SimpleNamespace(path="/haushalt/partner", title="Ausweis")
        assert document_title(partner, answers, "de") == "Ausweis Ihrer Partnerin oder Ihres Partners"  # not named yet
        assert document_title(SimpleNamespace(path="/wohnen", title="Mietvertrag"), answers, "de") == "Mietvertrag"


def test_an_upload_of_a_person_removed_later_is_listed_as_not_sent(client):
    from tests.security.samples import PDF
    from tests.web.test_documents import upload

    token = _start(client)
    post(client, token, "haushalt", **COUPLE)
    post(client, token, "haushalt", **COUPLE, **{"/haushalt/partner/vorname": "Ayşe", "/haushalt/partner/nachname": "Kaya"})
    assert upload(client, token, PDF, name="ausweis-ayse.pdf",
                  requirement="ausweis-partner@/haushalt/partner").status_code == 302
    assert "ausweis-ayse.pdf" in text(client.get(f"/antrag/{SLUG}/pruefen"))  # listed with the documents
    post(client, token, "haushalt", **{**COUPLE, "/haushalt/partner_im_haushalt": "false"})
    review = text(client.get(f"/antrag/{SLUG}/pruefen"))
    discarded = review[review.index('id="discarded-title"'):]
    discarded = discarded[:discarded.index("</section>")]
    assert "Hochgeladene Datei „ausweis-ayse.pdf“ (Ausweis von Ayşe Kaya)" in discarded  # named, although removed


def test_the_elterngeld_question_speaks_to_the_applicant_and_of_the_partner():
    form = load_form(FORMS / SLUG)
    income = {"hat_einkommen": True, "einkuenfte": [{"art": "elterngeld"}]}
    answers = {"haushalt": {"partner_im_haushalt": True, "kinder_im_haushalt": False, "weitere_personen": False},
               "einkommen": {"antragsteller": income, "partner": income}}
    _, walk = form.check_walk(answers, lang="de", section="einkommen", channel="web")
    for lang, yours, partners in (("de", "Hatten Sie vor der Geburt", "Hatte Ihre Partnerin oder Ihr Partner vor der Geburt"),
                                  ("en", "Did you have earnings", "Did your partner have earnings")):
        own = form.field_at(walk, "/einkommen/antragsteller/einkuenfte/0/erwerbstaetig_vor_geburt", lang).label
        partner = form.field_at(walk, "/einkommen/partner/einkuenfte/0/erwerbstaetig_vor_geburt", lang).label
        assert own.startswith(yours) and partner.startswith(partners), (own, partner)


def test_english_amounts_put_the_euro_sign_first_everywhere():
    from datetime import date
    from decimal import Decimal

    from domains.sgb2.estimate import eur
    from webapp.presentation import money

    assert money(3800, "en") == "€3,800.00" and money(Decimal("-3.5"), "en") == "-€3.50"
    assert money(3800, "de") == "3.800,00 €"
    assert eur(Decimal("3800"), "en") == "€3,800.00" and eur(Decimal("3800"), "de") == "3.800,00 €"
    day = date(2026, 11, 25)
    from domains.sgb2 import estimate

    result = estimate({"haushalt": {}, "wohnen": {"kaltmiete": 400}, "vermoegen": {"gesamtwert": 90000}}, day).to_json()
    english = " ".join(line["label_en"] for line in result["zeilen"])
    assert "€" in english and not re.search(r"\d €", english), english


def test_the_receipt_without_dejavu_writes_english_amounts_eur_first(monkeypatch, tmp_path):
    from fpdf import FPDF

    from webapp import receipt_pdf

    monkeypatch.setattr(receipt_pdf, "DEJAVU", tmp_path / "missing.ttf")
    family, write = receipt_pdf.fonts(FPDF())
    assert family == "Helvetica"
    assert write("Total: €3,800.00") == "Total: EUR 3,800.00" and write("3.800,00 €") == "3.800,00 EUR"
