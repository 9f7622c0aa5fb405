"""Issue 15, hints where the value is entered: a warning or an explanation
(info) about an answer on this page stops "Weiter" once and is shown there,
with its confirmation; live updates never show a hint about an older value;
ages beyond 120 get their own message; an answer that adds a list names it
and focuses it without JavaScript."""

from __future__ import annotations

import html as htmllib
import re

import pytest
from werkzeug.datastructures import MultiDict

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
SLUG = "buergergeld"
SINGLE = {"/haushalt/partner_im_haushalt": "false", "/haushalt/kinder_im_haushalt": "false",
          "/haushalt/weitere_personen": "false"}
RENT = {"/wohnen/wohnsituation": "miete", "/wohnen/kaltmiete": "3800", "/wohnen/nebenkosten": "90",
        "/wohnen/heizkosten": "70", "/wohnen/warmwasser": "zentral", "/wohnen/heizart": "gas",
        "/wohnen/personen_in_wohnung": "1", "/wohnen/wohnflaeche": "48", "/wohnen/zimmer": "2",
        "/wohnen/vermieter": "X", "/wohnen/mietbeginn-tag": "1", "/wohnen/mietbeginn-monat": "4",
        "/wohnen/mietbeginn-jahr": "2019", "/wohnen/untervermietung": "false"}
HIGH_RENT = "Eine Kaltmiete von 3.800,00\u00a0€ im Monat ist ungewöhnlich hoch."


@pytest.fixture
def bg(client):
    token = CSRF.search(client.get(f"/formulare/{SLUG}").get_data(as_text=True)).group(1)
    assert client.post(f"/antrag/{SLUG}/neu", data={"csrf_token": token}).status_code == 302
    assert client.post(f"/antrag/{SLUG}/seite/haushalt", data={"csrf_token": token, "action": "weiter", **SINGLE}).status_code == 302
    assert post(client, token, "wohnen", **{"/wohnen/wohnsituation": "miete"}).status_code == 200
    return client, token


def post(client, token, section, action="weiter", htmx=False, extra=(), **answers):
    headers = {"HX-Request": "true"} if htmx else {}
    data = [("csrf_token", token), ("action", action), *answers.items(), *extra]
    return client.post(f"/antrag/{SLUG}/seite/{section}", data=MultiDict(data), headers=headers)


def text(response) -> str:
    return htmllib.unescape(response.get_data(as_text=True))


def carried(page: str) -> list[tuple[str, str]]:
    """The hidden "already shown" markers a page posts back."""
    return [("checked_hint", value) for value in re.findall(r'name="checked_hint" value="([^"]+)"', page)]


def test_a_warning_on_this_page_stops_weiter_once_and_is_shown_there(bg):
    client, token = bg
    stopped = post(client, token, "wohnen", **RENT)
    assert stopped.status_code == 200  # not on to the next section
    page = text(stopped)
    assert HIGH_RENT in page and "Bitte lesen Sie die Hinweise unten" in page
    confirmation = re.search(r'name="confirm" value="([^"]+)"', page).group(1)
    # ticking the confirmation and "Weiter" goes on
    ticked = post(client, token, "wohnen", extra=[*carried(page), ("confirm", confirmation)], **RENT)
    assert ticked.status_code == 302 and not ticked.headers["Location"].endswith("/wohnen")
    # an unchanged, confirmed value does not stop again
    assert post(client, token, "wohnen", extra=[("confirm", confirmation)], **RENT).status_code == 302


def test_the_hint_stops_once_and_a_changed_value_goes_on(bg):
    client, token = bg
    page = text(post(client, token, "wohnen", **RENT))
    assert carried(page)
    # "Weiter" once more without ticking: the hint was shown, the applicant goes on (review asks again)
    assert post(client, token, "wohnen", extra=carried(page), **RENT).status_code == 302
    # a plausible value instead goes on at once
    assert post(client, token, "wohnen", **{**RENT, "/wohnen/kaltmiete": "480"}).status_code == 302


def test_a_hint_ticked_from_its_live_update_does_not_stop_weiter(bg):
    client, token = bg
    live = text(post(client, token, "wohnen", action="refresh", htmx=True, **RENT))
    assert HIGH_RENT in live
    confirmation = re.search(r'name="confirm" value="([^"]+)"', live).group(1)
    assert post(client, token, "wohnen", extra=[("confirm", confirmation)], **RENT).status_code == 302


def test_a_live_update_never_shows_a_hint_about_an_earlier_value(bg):
    client, token = bg
    # the rent field refreshes on change from the start: htmx keeps an input as it was (hx-preserve),
    # so one rendered without it before a hint appeared would never refresh the hint
    fresh = text(client.get(f"/antrag/{SLUG}/seite/wohnen"))
    assert "hx-post" in re.search(r'<input[^>]*name="/wohnen/kaltmiete"[^>]*>', fresh, re.S).group(0)
    page = text(post(client, token, "wohnen", **RENT))
    live = text(post(client, token, "wohnen", action="refresh", htmx=True, extra=carried(page),
                     **{**RENT, "/wohnen/kaltmiete": "3900"}))
    assert "3.900,00\u00a0€" in live and "3.800,00" not in live
    checkbox = re.search(r'<input[^>]*name="confirm"[^>]*>', live).group(0)
    assert "hx-preserve" not in checkbox  # a kept checkbox would carry the old value's token
    # the new value's warning was not shown when "Weiter" stopped: it stops again
    assert post(client, token, "wohnen", extra=carried(page), **{**RENT, "/wohnen/kaltmiete": "3900"}).status_code == 200


def test_an_expired_id_is_pointed_out_on_its_page(bg):
    client, token = bg
    answers = {"/ausweis/art": "personalausweis", "/ausweis/nummer": "L01X00T47",
               "/ausweis/gueltig_bis-tag": "31", "/ausweis/gueltig_bis-monat": "1", "/ausweis/gueltig_bis-jahr": "2025"}
    stopped = post(client, token, "ausweis", **answers)
    assert stopped.status_code == 200 and "abgelaufen" in text(stopped)
    assert post(client, token, "ausweis", extra=carried(text(stopped)), **answers).status_code == 302


PARTNER = {"/haushalt/partner_im_haushalt": "true", "/haushalt/kinder_im_haushalt": "false",
           "/haushalt/weitere_personen": "false", "/haushalt/partner/vorname": "Eva", "/haushalt/partner/nachname": "Muster",
           "/haushalt/partner/geburtsdatum-tag": "1", "/haushalt/partner/geburtsdatum-monat": "2",
           "/haushalt/partner/geburtsdatum-jahr": "1985", "/haushalt/partner/erwerbstaetig": "false"}


def test_a_cross_field_warning_stops_weiter_on_the_page_of_its_other_field(bg):
    client, token = bg
    post(client, token, "haushalt", **PARTNER)  # "arbeitet nicht" (other answers may be missing)
    income = {"/einkommen/antragsteller/hat_einkommen": "false", "/einkommen/partner/hat_einkommen": "true"}
    post(client, token, "einkommen", **income)
    post(client, token, "einkommen", action="add:/einkommen/partner/einkuenfte", **income)
    wages = {**income, "/einkommen/partner/einkuenfte/0/art": "erwerbstaetigkeit"}
    post(client, token, "einkommen", **wages)
    wages.update({"/einkommen/partner/einkuenfte/0/arbeitgeber": "Bäckerei", "/einkommen/partner/einkuenfte/0/brutto": "1000",
                  "/einkommen/partner/einkuenfte/0/netto": "800"})
    stopped = post(client, token, "einkommen", **wages)
    assert stopped.status_code == 200
    page = text(stopped)
    hint = "Sie haben angegeben, dass Ihre Partnerin oder Ihr Partner nicht arbeitet, aber Lohn aus einer Arbeit eingetragen."
    assert hint in page
    confirmation = re.search(r'name="confirm" value="([^"]+)"', page).group(1)
    again = post(client, token, "einkommen", extra=[*carried(page), ("confirm", confirmation)], **wages)
    assert again.status_code == 302, [l for l in text(again).split("\n") if "checked_hint" in l or "Hinweis:" in l]
    review = text(client.get(f"/antrag/{SLUG}/pruefen"))
    assert re.search(rf'value="{re.escape(confirmation)}" checked', review)  # confirmed on the page it was shown on


PERSON = {"/person/vorname": "Ana", "/person/nachname": "Muster", "/person/geburtsort": "Köln",
          "/person/geburtsland": "Deutschland", "/person/geschlecht": "weiblich", "/person/staatsangehoerigkeit": "deutsch",
          "/person/familienstand": "ledig", "/person/rv_status": "nein",
          "/person/geburtsdatum-tag": "12", "/person/geburtsdatum-monat": "4"}


def test_the_pension_age_limit_is_explained_where_the_birth_date_is_entered(bg):
    client, token = bg
    assert post(client, token, "person", **{**PERSON, "/person/geburtsdatum-jahr": "1990"}).status_code == 302
    stopped = post(client, token, "person", **{**PERSON, "/person/geburtsdatum-jahr": "1950"})
    assert stopped.status_code == 200
    page = text(stopped)
    for part in ("Altersgrenze für Bürgergeld erreicht", "Sozialamt", "Grundsicherung im Alter (SGB XII)"):
        assert part in page
    assert 'name="confirm"' not in page  # an explanation, nothing to confirm
    assert post(client, token, "person", extra=carried(page), **{**PERSON, "/person/geburtsdatum-jahr": "1950"}).status_code == 302


@pytest.mark.parametrize("lang, expected", [
    ("de", "Nach diesem Geburtsdatum wären Sie über 120 Jahre alt. Prüfen Sie das Jahr."),
    ("en", "By this date of birth you would be over 120 years old. Check the year.")])
def test_a_birth_date_too_far_back_says_so_not_that_the_format_is_wrong(bg, lang, expected):
    client, token = bg
    client.get(f"/?lang={lang}")  # the language is remembered in the session
    page = text(post(client, token, "person", **{**PERSON, "/person/geburtsdatum-jahr": "1890"}))
    assert expected in page
    assert "TT.MM.JJJJ" not in page and "DD.MM.YYYY" not in page


def test_a_partner_aged_150_gets_the_age_message(bg):
    client, token = bg
    old = {**PARTNER, "/haushalt/partner/geburtsdatum-jahr": "1876"}
    post(client, token, "haushalt", **old)  # the partner's questions appear
    page = text(post(client, token, "haushalt", **old))
    assert "Nach diesem Geburtsdatum wäre Ihre Partnerin oder Ihr Partner über 120 Jahre alt. Prüfen Sie das Jahr." in page
    assert "TT.MM.JJJJ" not in page


def test_an_answer_that_adds_a_list_names_it_and_focuses_it_without_javascript(bg):
    client, token = bg
    page = text(post(client, token, "einkommen", **{"/einkommen/antragsteller/hat_einkommen": "true"}))
    title = re.search(r'<h2 class="heading-m" id="f-einkommen-antragsteller-einkuenfte-title">([^<]+)</h2>', page).group(1)
    notice = re.search(r'<div class="notice" role="status">([^<]+)</div>', page).group(1)
    assert notice == f"Nach Ihrer Antwort kommen weitere Fragen hinzu: {title}. Bitte beantworten Sie auch diese."
    focused = re.findall(r'<(?:input|select|textarea|button)[^>]*\bautofocus\b[^>]*>', page)
    assert len(focused) == 1 and 'value="add:/einkommen/antragsteller/einkuenfte"' in focused[0]
    # in English too
    client.get("/?lang=en")
    post(client, token, "einkommen", **{"/einkommen/antragsteller/hat_einkommen": "false"})
    english = text(post(client, token, "einkommen", **{"/einkommen/antragsteller/hat_einkommen": "true"}))
    assert re.search(r'<div class="notice" role="status">Your answer adds further questions: [^<.]+\. Please answer these too\.</div>',
                     english)
