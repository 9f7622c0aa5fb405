"""The conditionally revealed pattern (GOV.UK, KERN): a question that depends
on an answer comes directly after the question it depends on, on section
pages and on check-your-answers alike (``engine.page``)."""

from __future__ import annotations

from datetime import date

from engine import compile_form, load_form
from engine.page import build_page, build_pages
from tests.conftest import FORMS

S = "https://json-schema.org/draft/2020-12/schema"

FORM = {
    "$schema": S,
    "type": "object",
    "properties": {
        "sec": {
            "type": "object",
            "properties": {
                "a": {"type": "boolean", "title": "A?"},
                "b": {"type": "string", "title": "B"},
                "c": {"type": "string", "enum": ["x", "y"], "title": "C"},
                "d": {"type": "string", "title": "D"},
                "born": {"type": "string", "format": "date", "title": "Born"},
                "age": {"type": "integer", "readOnly": True, "x-compute": "age(self.born)"},
                "e": {"type": "string", "title": "E"},
            },
            "allOf": [
                {"if": {"properties": {"a": {"const": True}}, "required": ["a"]},
                 "then": {"properties": {"a1": {"type": "string"}, "a2": {"type": "string"}},
                          "if": {"properties": {"a1": {"const": "more"}}, "required": ["a1"]},
                          "then": {"properties": {"a1x": {"type": "string"}}}}},
                {"if": {"properties": {"a": {"const": True}, "c": {"const": "x"}}, "required": ["a", "c"]},
                 "then": {"properties": {"ac": {"type": "string"}}}},
                {"if": {"properties": {"age": {"maximum": 14}}, "required": ["age"]},
                 "then": {"properties": {"young": {"type": "string"}}}},
                {"dependentSchemas": {"b": {"properties": {"b1": {"type": "string"}}}}},
                {"if": {"properties": {"elsewhere": {"const": True}}, "required": ["elsewhere"]},
                 "then": {"properties": {"z": {"type": "string"}}}},
            ],
        },
    },
}


def names(page):
    return [q.pointer.rsplit("/", 1)[1] for q in page.questions()]


def test_revealed_questions_follow_the_question_they_depend_on():
    form = compile_form(FORM)
    answers = {"sec": {"a": True, "a1": "more", "b": "t", "c": "x", "born": "2020-01-01", "elsewhere": True}}
    page = build_page(form, answers, "sec", "de", as_of=date(2026, 6, 1))
    # a1, a1x (nested: after a1), a2 after a; ac after c (the last it reads); b1 after b;
    # young after born (the age it reads is computed from born); z reads nothing on the page: stays last
    assert names(page) == ["a", "a1", "a1x", "a2", "b", "b1", "c", "ac", "d", "born", "young", "e", "z"]


def test_without_answers_the_declared_order_is_kept():
    form = compile_form(FORM)
    assert names(build_page(form, {}, "sec", "de")) == ["a", "b", "c", "d", "born", "e"]


def test_buergergeld_reveals_in_place_on_the_page_and_in_the_review():
    form = load_form(FORMS / "buergergeld")
    answers = {"person": {"staatsangehoerigkeit": "andere", "aufenthaltsstatus": "duldung", "familienstand": "geschieden"},
               "wohnen": {"wohnsituation": "miete", "untervermietung": True},
               "zahlung": {"art": "konto"}}
    person = names(build_page(form, answers, "person", "de"))
    at = person.index("staatsangehoerigkeit")
    assert person[at:at + 5] == ["staatsangehoerigkeit", "einreisedatum", "aufenthaltsstatus",
                                 "aufenthalt_gueltig_bis", "aufenthaltszweck"]
    assert person.index("rv_status") > person.index("aufenthaltszweck")
    assert person[-2:] == ["familienstand", "familienstand_seit"]
    wohnen, zahlung = build_pages(form, answers, ["wohnen", "zahlung"], "de")
    order = names(wohnen)
    assert order[0] == "wohnsituation" and order[1] == "kaltmiete"
    assert order[-3:] == ["untervermietung", "untermiete_einnahmen", "untermieter_anzahl"]
    assert names(zahlung)[:2] == ["art", "kontoinhaber"]


def test_a_childs_annex_follows_the_birth_date_that_decides_it():
    form = load_form(FORMS / "buergergeld")
    answers = {"haushalt": {"partner_im_haushalt": True, "kinder_im_haushalt": True,
                            "kinder": [{"vorname": "Elif", "geburtsdatum": "2016-03-01"},
                                       {"vorname": "Can", "geburtsdatum": "2009-03-01"}]}}
    page = build_page(form, answers, "haushalt", "de", as_of=date(2026, 11, 24))
    pointers = [q.pointer for q in page.questions()]
    # the partner's questions follow "partner im Haushalt?", before the children's question
    assert pointers.index("/haushalt/partner/vorname") == pointers.index("/haushalt/partner_im_haushalt") + 1
    assert pointers.index("/haushalt/kinder_im_haushalt") > pointers.index("/haushalt/partner/vorname")
    first = pointers.index("/haushalt/kinder/0/geburtsdatum")
    assert pointers[first + 1].startswith("/haushalt/kinder/0/ki/")
    second = pointers.index("/haushalt/kinder/1/geburtsdatum")
    assert pointers[second + 1].startswith("/haushalt/kinder/1/wep/")


def test_the_marital_status_date_says_whose_and_which():
    form = load_form(FORMS / "buergergeld")
    labels = {}
    for status in ("verheiratet", "geschieden", "verwitwet"):
        page = build_page(form, {"person": {"familienstand": status}}, "person", "de")
        labels[status] = next(q.field.label for q in page.questions() if q.pointer == "/person/familienstand_seit")
    assert labels == {"verheiratet": "Seit wann sind Sie verheiratet?", "geschieden": "Seit wann sind Sie geschieden?",
                      "verwitwet": "Seit wann sind Sie verwitwet?"}
    page = build_page(form, {"person": {"familienstand": "geschieden"}}, "person", "en")
    assert "Since when have you been divorced?" in [q.field.label for q in page.questions()]
