"""Issue 15, the page an applicant is on: revealed questions in place (with and
without JavaScript), people named in error messages, each error once, German
number formats in rule messages, one wording for optional fields, plausible
ages and the pension age limit."""

from __future__ import annotations

import html as htmllib
import json
import re
from datetime import date
from pathlib import Path

import pytest

from engine import load_form
from tests.conftest import FORMS

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
SLUG = "buergergeld"


@pytest.fixture
def bg(client):
    token = CSRF.search(client.get(f"/formulare/{SLUG}").get_data(as_text=True)).group(1)
    assert client.post(f"/antrag/{SLUG}/neu", data={"csrf_token": token}).status_code == 302
    return client, token


def post(client, token, section, action="weiter", htmx=False, **answers):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(f"/antrag/{SLUG}/seite/{section}", data={"csrf_token": token, "action": action, **answers},
                       headers=headers)


def text(response) -> str:
    return htmllib.unescape(response.get_data(as_text=True))


def names_in_order(page: str) -> list[str]:
    """The answer names of the page's inputs, in document order, each once."""
    seen: list[str] = []
    for name in re.findall(r'<(?:input|select|textarea)[^>]* name="(/[^"]+)"', page):
        name = re.sub(r"-(tag|monat|jahr)$", "", name)
        if name not in seen:
            seen.append(name)
    return seen


def summary(page: str) -> list[str]:
    block = page[page.index('class="error-summary__list"'):]
    block = block[:block.index("</ul>")]
    return [re.sub(r"<[^>]+>", "", m).strip() for m in re.findall(r"<li>(.*?)</li>", block, re.S)]


HOUSEHOLD = {"/haushalt/partner_im_haushalt": "false", "/haushalt/kinder_im_haushalt": "true",
             "/haushalt/weitere_personen": "false"}


def test_a_revealed_question_follows_its_question_without_and_with_javascript(bg):
    client, token = bg
    answers = {"/zahlung/art": "konto"}
    page = text(post(client, token, "zahlung", **answers))  # without JavaScript: "weiter"
    order = names_in_order(page)
    assert order.index("/zahlung/kontoinhaber") == order.index("/zahlung/art") + 1
    live = text(post(client, token, "zahlung", action="refresh", htmx=True, **answers))
    assert names_in_order(live) == order
    person = text(post(client, token, "person", **{"/person/staatsangehoerigkeit": "andere",
                                                   "/person/familienstand": "geschieden"}))
    order = names_in_order(person)
    assert order.index("/person/einreisedatum") == order.index("/person/staatsangehoerigkeit") + 1
    assert order[-1] == "/person/familienstand_seit" and "Seit wann sind Sie geschieden?" in person


def test_errors_in_a_list_name_the_person_by_their_answers(bg):
    client, token = bg
    post(client, token, "haushalt", **HOUSEHOLD)
    post(client, token, "haushalt", action="add:/haushalt/kinder", **HOUSEHOLD)
    post(client, token, "haushalt", action="add:/haushalt/kinder", **HOUSEHOLD)
    answers = {**HOUSEHOLD, "/haushalt/alleinerziehend": "true",
               "/haushalt/kinder/0/vorname": "Elif", "/haushalt/kinder/0/nachname": "Yilmaz",
               "/haushalt/kinder/0/verwandtschaft": "eigenes"}
    page = text(post(client, token, "haushalt", **answers))
    items = summary(page)
    assert "Elif Yilmaz: Füllen Sie das Feld „Geburtsdatum“ aus." in items
    assert any(i.startswith("Kind 2: Füllen Sie das Feld „Vorname“") for i in items), items
    # the inline message says the same as the summary
    assert "Fehler:</span> Elif Yilmaz: Füllen Sie" in page
    # check your answers names her too
    review = text(client.get(f"/antrag/{SLUG}/pruefen"))
    assert "Elif Yilmaz: Füllen Sie das Feld „Geburtsdatum“ aus." in review


def test_each_error_is_shown_once(bg):
    client, token = bg
    answers = {"/zahlung/art": "konto", "/zahlung/kontoinhaber": "Ana Muster", "/zahlung/iban": "DE12"}
    post(client, token, "zahlung", **answers)  # the account's questions are added (no JavaScript)
    page = text(post(client, token, "zahlung", **answers))
    items = summary(page)
    iban = [i for i in items if "IBAN" in i]
    assert iban == ["Geben Sie bei „IBAN“ mindestens 15 Zeichen an."], items
    assert page.count("Diese IBAN ist nicht gültig") == 0
    person = text(post(client, token, "person", **{"/person/geburtsdatum-tag": "1", "/person/geburtsdatum-monat": "1",
                                                   "/person/geburtsdatum-jahr": str(date.today().year + 1)}))
    birth = [i for i in summary(person) if "Geburtsdatum" in i or "15 Jahren" in i]
    assert birth == ["Das Geburtsdatum liegt in der Zukunft. Prüfen Sie das Datum."], birth


def test_rule_messages_write_numbers_as_the_language_does():
    from engine import compile_form

    form = compile_form({
        "$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
        "properties": {"rent": {"type": "number"}, "rate": {"type": "number"}, "people": {"type": "integer"}},
        "x-rules": [{"id": "r", "severity": "warning", "rule": "self.rent < 900.0",
                     "message": {"de": "{self.rent:money} bei {self.rate:percent} für {self.people} Personen",
                                 "en": "{self.rent:money} at {self.rate:percent} for {self.people} people"}}]})
    answers = {"rent": 3800, "rate": 2.3, "people": 1200}
    assert form.check(answers, lang="de").warnings[0].message == "3.800,00\u00a0€ bei 2,3\u00a0% für 1.200 Personen"
    assert form.check(answers, lang="en").warnings[0].message == "€3,800.00 at 2.3% for 1,200 people"
    buergergeld = load_form(FORMS / "buergergeld")
    outcome = buergergeld.check({"wohnen": {"wohnsituation": "miete", "kaltmiete": 3800}}, lang="de")
    assert "Eine Kaltmiete von 3.800,00\u00a0€ im Monat ist ungewöhnlich hoch. Prüfen Sie den Betrag." in [
        w.message for w in outcome.warnings]


def test_ages_beyond_any_limit_and_the_pension_age_limit():
    form = load_form(FORMS / "buergergeld")
    on = date(2026, 11, 24)
    old = form.check({"person": {"geburtsdatum": "1900-01-01"}}, as_of=on)
    assert [(e.path, e.rule) for e in old.errors if e.rule] == [("/person/geburtsdatum", "alter-unplausibel")]
    assert "regelaltersgrenze" not in [w.rule for w in old.warnings]  # one message: the year is wrong
    partner = form.check({"haushalt": {"partner_im_haushalt": True, "partner": {"geburtsdatum": "1896-09-30"}}}, as_of=on)
    assert "partner-alter-unplausibel" in [e.rule for e in partner.errors]
    retired = form.check({"person": {"geburtsdatum": "1958-04-12"}}, as_of=on, lang="de")
    info = [w for w in retired.warnings if w.rule == "regelaltersgrenze"]
    assert info and info[0].severity == "info" and "Grundsicherung im Alter (SGB XII)" in info[0].message
    assert "Sozialamt" in info[0].message and not [e for e in retired.errors if e.rule]
    young = form.check({"person": {"geburtsdatum": "1990-04-12"}}, as_of=on)
    assert not [w for w in young.warnings if w.rule == "regelaltersgrenze"]


def test_the_pension_age_limit_is_explained_on_the_page(bg):
    client, token = bg
    page = text(post(client, token, "person", **{"/person/geburtsdatum-tag": "12", "/person/geburtsdatum-monat": "4",
                                                 "/person/geburtsdatum-jahr": "1950"}))
    assert "Altersgrenze für Bürgergeld erreicht" in page and "Grundsicherung im Alter" in page


def test_optional_fields_have_one_wording_everywhere():
    """UX rule 6: the few optional fields say "(optional)", in forms and in every text table."""
    root = Path(__file__).resolve().parents[2]
    sources = [*root.glob("forms/*/form.json"), *root.glob("webapp/**/*.py"), *root.glob("webapp/templates/**/*.html"),
               *root.glob("webapp/translations/*/LC_MESSAGES/*.po")]
    offenders = [str(p.relative_to(root)) for p in sources
                 if re.search(r"\((freiwillig|voluntary|falls vorhanden|if any)\)", p.read_text(encoding="utf-8"))]
    assert offenders == []
    # every question a Bürgergeld applicant may leave empty says so
    form = json.loads((FORMS / "buergergeld" / "form.json").read_text(encoding="utf-8"))
    unmarked = []

    def visit(schema, path):
        if isinstance(schema, dict):
            required = set(schema.get("required") or ())
            for name, sub in (schema.get("properties") or {}).items():
                if not isinstance(sub, dict) or sub.get("readOnly") or "properties" in sub or sub.get("type") in ("object", "array"):
                    continue
                if name not in required and "optional" not in sub.get("title", "") and not _required_elsewhere(form, name):
                    unmarked.append(f"{path}/{name}")
            for key, value in schema.items():
                visit(value, f"{path}/{key}")
        elif isinstance(schema, list):
            for i, value in enumerate(schema):
                visit(value, f"{path}/{i}")

    visit(form, "")
    assert unmarked == []


def _required_elsewhere(form, name) -> bool:
    """Required by a conditional branch (``then: {"required": [name]}``)."""
    return any(name in (branch.get("required") or ()) for branch in _branches(form))


def _branches(schema):
    if isinstance(schema, dict):
        for key in ("then", "else"):
            if isinstance(schema.get(key), dict):
                yield schema[key]
        for value in schema.values():
            yield from _branches(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from _branches(value)


def test_the_marital_status_is_asked_once():
    """The applicant's marital status (first page) decides whether a partner in
    the household is a spouse or needs Anlage VE: no second "how do you live together"."""
    form = load_form(FORMS / "buergergeld")
    labels = [form.label_for(p) for p in form.check({"haushalt": {"partner_im_haushalt": True}}).relevant
              if p.startswith("/haushalt/partner/")]
    assert labels and not [label for label in labels if "zusammen" in label or "Familienstand" in label], labels
    couple = {"haushalt": {"partner_im_haushalt": True}}
    married = form.check({**couple, "person": {"familienstand": "verheiratet"}}).relevant
    assert not [p for p in married if p.startswith("/ve/")]
    unmarried = form.check({**couple, "person": {"familienstand": "ledig"}}).relevant
    assert "/ve/zusammen_seit" in unmarried
    single = form.check({"haushalt": {"partner_im_haushalt": False}, "person": {"familienstand": "ledig"}}).relevant
    assert not [p for p in single if p.startswith("/ve/")]
    # Kindergeld is asked once, with each child, never again as income
    text = (FORMS / "buergergeld" / "form.json").read_text(encoding="utf-8")
    assert '"kindergeld"' not in text.replace("'kindergeld'", "")


def test_check_your_answers_heads_the_partners_answers(bg):
    client, token = bg
    post(client, token, "haushalt", **{"/haushalt/partner_im_haushalt": "true", "/haushalt/kinder_im_haushalt": "false",
                                       "/haushalt/weitere_personen": "false"})
    post(client, token, "haushalt", **{"/haushalt/partner_im_haushalt": "true", "/haushalt/kinder_im_haushalt": "false",
                                       "/haushalt/weitere_personen": "false", "/haushalt/partner/vorname": "Jonas"})
    review = text(client.get(f"/antrag/{SLUG}/pruefen"))
    heading = review.index('<dt class="summary-list__key">Ihre Partnerin oder Ihr Partner (Anlage WEP)</dt>')
    first_name = review.index('<dd class="summary-list__value">Jonas</dd>')
    assert heading < first_name


def test_errors_of_a_partner_not_named_yet_say_it_is_the_partner(bg):
    client, token = bg
    answers = {"/haushalt/partner_im_haushalt": "true", "/haushalt/kinder_im_haushalt": "false",
               "/haushalt/weitere_personen": "false"}
    post(client, token, "haushalt", **answers)
    items = summary(text(post(client, token, "haushalt", **answers)))
    assert "Ihre Partnerin oder Ihr Partner (Anlage WEP): Füllen Sie das Feld „Vorname“ aus." in items, items


def _race_once(app, monkeypatch, editor_of_other_save):
    """The next save loses the race to a save that lands just before it (by
    ``editor_of_other_save(posted editor)``), as when a live update and "Weiter" cross."""
    import copy

    from flask import request

    drafts = app.extensions["formwerk.drafts"]
    original = drafts.save
    state = {"raced": False}

    def save(draft, editor=None, also=None):
        if not state["raced"]:
            state["raced"] = True
            other = copy.copy(draft)
            other.answers = copy.deepcopy(draft.answers)
            original(other, editor=editor_of_other_save(request.form.get("editor")))
        return original(draft, editor=editor, also=also)

    monkeypatch.setattr(drafts, "save", save)


def test_weiter_crossing_its_own_live_update_is_not_a_conflict(app, client, monkeypatch):
    token = CSRF.search(client.get("/formulare/terminanfrage").get_data(as_text=True)).group(1)
    client.post("/antrag/terminanfrage/neu", data={"csrf_token": token})
    editor = re.search(r'name="editor" value="([^"]+)"', client.get("/antrag/terminanfrage/seite/anliegen")
                       .get_data(as_text=True)).group(1)
    _race_once(app, monkeypatch, lambda posted: posted)  # the same tab's live update
    moved = client.post("/antrag/terminanfrage/seite/anliegen", data={
        "csrf_token": token, "action": "weiter", "editor": editor, "/anliegen/grund": "erstantrag"})
    assert moved.status_code == 302 and moved.headers["Location"].endswith("/seite/termin")


def test_a_save_racing_another_tab_is_still_a_conflict(app, client, monkeypatch):
    token = CSRF.search(client.get("/formulare/terminanfrage").get_data(as_text=True)).group(1)
    client.post("/antrag/terminanfrage/neu", data={"csrf_token": token})
    editor = re.search(r'name="editor" value="([^"]+)"', client.get("/antrag/terminanfrage/seite/anliegen")
                       .get_data(as_text=True)).group(1)
    _race_once(app, monkeypatch, lambda posted: "another-tab-0000")
    clash = client.post("/antrag/terminanfrage/seite/anliegen", data={
        "csrf_token": token, "action": "weiter", "editor": editor, "/anliegen/grund": "erstantrag"})
    assert clash.status_code == 409


# -- pages kept between requests (webapp.wizard.PageCache) ----------------------------------------


def test_a_kept_page_is_the_page_of_the_same_answers_and_never_shares_the_drafts_answers(app):
    """The page a post starts from is the page the previous request built: kept
    by what it is built from (key order aside), rebuilt when anything differs,
    and holding its own copy of the answers, so reading a post into the draft
    never changes a page already shown."""
    from webapp import wizard

    published = app.extensions["formwerk.catalog"].get(SLUG)
    draft = app.extensions["formwerk.drafts"].create(published)
    draft.answers = {"person": {"vorname": "Ana", "nachname": "Muster"}}
    with app.test_request_context():
        shown = wizard._build(draft, "person", "de")
        assert shown.outcome.answers is not draft.answers
        draft.answers = {"person": {"nachname": "Muster", "vorname": "Ana"}}  # read back in another key order
        assert wizard._build(draft, "person", "de") is shown
        assert wizard._build(draft, "person", "en") is not shown and wizard._build(draft, "haushalt", "de") is not shown
        draft.answers["person"]["vorname"] = "Anna"
        changed = wizard._build(draft, "person", "de")
        values = {q.pointer: q.value for q in shown.questions()}
        assert changed is not shown and values["/person/vorname"] == "Ana"  # the page shown is as it was
        assert {q.pointer: q.value for q in changed.questions()}["/person/vorname"] == "Anna"
        draft.confirmations = ["some-token"]
        assert wizard._build(draft, "person", "de") is not changed
        draft.answers["person"]["vorname"] = "A" * (wizard.MAX_CACHED_ANSWERS + 1)  # too large to keep
        assert wizard._build(draft, "person", "de") is not wizard._build(draft, "person", "de")
