"""Plausibility in the engine: rules, computed values and required documents."""

import copy
import json
from datetime import date
from decimal import Decimal

import pytest

from engine import FormError, compile_form
from engine._loading import FormSource
from engine.form import INLINE_BASE_URI
from engine.lint import lint_source

S = "https://json-schema.org/draft/2020-12/schema"
AS_OF = date(2026, 11, 24)

MEMBER = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "title": "Name"},
        "birth_date": {"type": "string", "format": "date", "title": "Geburtsdatum"},
        "age": {"type": "integer", "readOnly": True, "x-compute": "age(self.birth_date)", "title": "Alter"},
        "employed": {"type": "boolean", "title": "Erwerbstätig?"},
    },
    "required": ["name", "birth_date"],
    "if": {"properties": {"age": {"maximum": 14}}, "required": ["age"]},
    "then": {"properties": {"school": {"type": "string", "title": "Schule"}}},
    "else": {"properties": {"income": {"type": "number", "title": "Einkommen"}}},
    "x-rules": [{
        "id": "child-younger-than-applicant", "severity": "error",
        "rule": "self.birth_date > root.applicant.birth_date",
        "message": {"de": "Ein Kind kann nicht vor Ihnen geboren sein.", "en": "A child cannot be born before you."},
        "fields": ["/birth_date"],
    }],
    "x-documents": [{
        "id": "pay-slips", "when": "self.employed",
        "title": {"de": "Lohnabrechnungen der letzten drei Monate", "en": "Pay slips of the last three months"},
    }],
}

FORM = {
    "$schema": S, "type": "object", "x-languages": ["de", "en"],
    "properties": {
        "applicant": {
            "type": "object",
            "properties": {
                "birth_date": {"type": "string", "format": "date", "title": "Geburtsdatum"},
                "rent": {"type": "number", "title": "Miete"},
                "iban": {"type": "string", "title": "IBAN"},
                "renting": {"type": "boolean", "title": "Wohnen Sie zur Miete?"},
            },
            "x-rules": [
                {"id": "iban", "severity": "error", "rule": "valid_iban(self.iban)",
                 "message": {"de": "Prüfen Sie die IBAN.", "en": "Check the IBAN."}, "fields": ["/iban"]},
                {"id": "rent-high", "severity": "warning", "rule": "self.rent <= 2000.0",
                 "message": {"de": "Eine Miete von {self.rent} Euro ist ungewöhnlich hoch.",
                             "en": "A rent of {self.rent} euros is unusually high."}, "fields": ["/rent"]},
                {"id": "rent-note", "severity": "info", "rule": "self.rent < 1000.0",
                 "message": {"de": "Wir prüfen die Angemessenheit der Miete.", "en": "We will check whether the rent is reasonable."}},
            ],
            "x-documents": [
                {"id": "rental-contract", "when": "self.renting", "title": {"de": "Mietvertrag", "en": "Rental contract"}},
            ],
        },
        "members": {"type": "array", "items": MEMBER, "title": "Haushalt"},
    },
    "x-documents": [{"id": "id-card", "title": {"de": "Personalausweis", "en": "Identity card"}}],
}


@pytest.fixture(scope="module")
def form():
    return compile_form(FORM)


def base(**applicant):
    return {"applicant": {"birth_date": "1990-05-01", **applicant}}


def test_error_rules_make_the_outcome_invalid(form):
    outcome = form.check(base(iban="DE89370400440532013001"), as_of=AS_OF)
    assert [(e.path, e.code, e.rule) for e in outcome.errors] == [("/applicant/iban", "rule", "iban")]
    assert outcome.errors[0].message == "Prüfen Sie die IBAN."
    assert not outcome.valid


def test_warnings_keep_valid_but_need_confirmation(form):
    outcome = form.check(base(rent=2500), as_of=AS_OF, lang="en")
    assert outcome.valid and not outcome.can_submit
    warning, info = outcome.warnings
    assert (warning.rule, warning.severity, warning.path) == ("rent-high", "warning", "/applicant/rent")
    assert warning.message == "A rent of 2,500 euros is unusually high."
    assert outcome.unconfirmed == (warning,)
    assert (info.rule, info.severity, info.confirmation) == ("rent-note", "info", None)


def test_placeholders_use_the_language_number_format(form):
    outcome = form.check(base(rent=Decimal("2500.5")), as_of=AS_OF, lang="de")
    assert outcome.warnings[0].message == "Eine Miete von 2.500,50 Euro ist ungewöhnlich hoch."


def test_confirmed_warning_stays_confirmed_until_its_inputs_change(form):
    first = form.check(base(rent=2500), as_of=AS_OF)
    token = first.warnings[0].confirmation
    again = form.check(base(rent=2500, iban="DE89370400440532013000"), as_of=AS_OF, confirmations=[token])
    assert again.warnings[0].confirmed and again.can_submit
    changed = form.check(base(rent=2600), as_of=AS_OF, confirmations=[token])
    assert not changed.warnings[0].confirmed and changed.unconfirmed  # revived


def test_rules_with_unanswered_inputs_do_not_fire(form):
    outcome = form.check(base(), as_of=AS_OF)
    assert outcome.errors == () and [w.rule for w in outcome.warnings] == []


def test_computed_age_chooses_the_branch_and_is_not_a_question(form):
    answers = base()
    answers["members"] = [{"name": "Kind", "birth_date": "2016-11-25", "school": "Grundschule"},
                          {"name": "Jugendlicher", "birth_date": "2009-01-01", "income": 450}]
    outcome = form.check(answers, as_of=AS_OF)
    assert outcome.computed == {"/members/0/age": 9, "/members/1/age": 17}
    assert "/members/0/school" in outcome.relevant and "/members/0/income" not in outcome.relevant
    assert "/members/1/income" in outcome.relevant and "/members/1/school" not in outcome.relevant
    assert not any(p.endswith("/age") for p in outcome.relevant)
    assert outcome.answers["members"][0]["age"] == 9


def test_the_reference_date_makes_checks_reproducible(form):
    answers = base()
    answers["members"] = [{"name": "Kind", "birth_date": "2011-11-25", "school": "Gesamtschule"}]
    before_birthday = form.check(answers, as_of=date(2026, 11, 24))
    on_birthday = form.check(answers, as_of=date(2026, 11, 25))
    assert before_birthday.computed["/members/0/age"] == 14 and before_birthday.pruned == ()
    assert on_birthday.computed["/members/0/age"] == 15 and on_birthday.pruned == ("/members/0/school",)


def test_computed_values_are_never_taken_from_the_client(form):
    answers = base()
    answers["members"] = [{"name": "Kind", "birth_date": "2016-11-25", "age": 40},
                          {"name": "Ohne Datum", "birth_date": "", "age": 3}]
    outcome = form.check(answers, as_of=AS_OF)
    assert outcome.answers["members"][0]["age"] == 9
    assert "age" not in outcome.answers["members"][1]  # not computable: the client's value is dropped


def test_rules_inside_array_items_report_the_items_pointer(form):
    answers = base()
    answers["members"] = [{"name": "A", "birth_date": "2010-01-01"}, {"name": "B", "birth_date": "1980-01-01"}]
    outcome = form.check(answers, as_of=AS_OF, lang="en")
    assert [(e.path, e.rule, e.message) for e in outcome.errors] == [
        ("/members/1/birth_date", "child-younger-than-applicant", "A child cannot be born before you.")]


def test_rules_of_pruned_parts_do_not_run():
    form = compile_form({"$schema": S, "type": "object", "properties": {"has_car": {"type": "boolean"}},
                         "if": {"properties": {"has_car": {"const": True}}, "required": ["has_car"]},
                         "then": {"properties": {"car": {"type": "object", "properties": {"value": {"type": "number"}},
                                                         "x-rules": [{"id": "car-value", "severity": "error", "rule": "self.value < 7500.0",
                                                                      "message": {"de": "Zu teuer"}}]}}}})
    assert form.check({"has_car": True, "car": {"value": 9000}}).errors[0].rule == "car-value"
    outcome = form.check({"has_car": False, "car": {"value": 9000}})
    assert outcome.valid and outcome.pruned == ("/car",)


def test_required_documents_follow_the_answers(form):
    answers = base(renting=True)
    answers["members"] = [{"name": "A", "birth_date": "2000-01-01", "employed": True},
                          {"name": "B", "birth_date": "2001-01-01", "employed": False}]
    docs = form.check(answers, as_of=AS_OF, lang="en").documents
    assert [(d.id, d.path, d.title) for d in docs] == [
        ("id-card", "", "Identity card"), ("rental-contract", "/applicant", "Rental contract"),
        ("pay-slips", "/members/0", "Pay slips of the last three months")]
    assert docs[0].accept == ("application/pdf", "image/jpeg", "image/png")
    assert [d.id for d in form.check(base(renting=False), as_of=AS_OF).documents] == ["id-card"]


def test_outcome_json_carries_findings_documents_and_confirmations(form):
    result = form.check(base(rent=2500, renting=True), as_of=AS_OF).to_json()
    warning = result["warnings"][0]
    assert warning["rule"] == "rent-high" and warning["confirmed"] is False
    assert result["unconfirmed"] == [warning["confirmation"]]
    assert [d["id"] for d in result["documents"]] == ["id-card", "rental-contract"]
    json.dumps(result)


def test_a_failing_rule_is_a_clear_form_error_not_a_crash():
    form = compile_form({"$schema": S, "type": "object", "properties": {"n": {"type": "integer"}},
                         "x-rules": [{"id": "bad", "severity": "warning", "rule": "self.n + 1 > 2",
                                      "message": {"de": "x"}}]})
    outcome = form.check({"n": 3})
    assert [(e.code, e.severity) for e in outcome.errors] == [("rule-error", "error")]
    assert "Fehler im Formular" in outcome.errors[0].message


@pytest.mark.parametrize("change, fragment", [
    (lambda f: f["properties"]["applicant"]["x-rules"][0].update(rule="valid_iban(self.iban"), "does not compile"),
    (lambda f: f["properties"]["applicant"]["x-rules"][0].update(rule="system(self.iban)"), "unknown function"),
    (lambda f: MEMBER_OF(f)["properties"]["age"].pop("readOnly"), "must be readOnly"),
])
def test_broken_rules_stop_the_form_from_compiling(change, fragment):
    schema = copy.deepcopy(FORM)
    change(schema)
    with pytest.raises(FormError, match=fragment):
        compile_form(schema)


def MEMBER_OF(schema):
    return schema["properties"]["members"]["items"]


def lint_codes(schema):
    """Lint findings about expressions (the test form leaves titles untranslated)."""
    return [(f.code, f.severity) for f in lint_source(FormSource(schema=schema, base_uri=INLINE_BASE_URI))
            if f.code == "does-not-compile" or any(k in f.path for k in ("x-rules", "x-documents", "x-compute"))]


def test_lint_accepts_the_sound_rules():
    assert lint_codes(FORM) == []


@pytest.mark.parametrize("change, expected", [
    (lambda f: f["properties"]["applicant"]["x-rules"][0].update(rule="valid_iban(self.ibna)"), ("unknown-field", "error")),
    (lambda f: f["properties"]["applicant"]["x-rules"][0].update(fields=["/nowhere"]), ("unknown-field", "error")),
    (lambda f: MEMBER_OF(f)["x-rules"][0].update(rule="self.birth_date > root.applicant.born"), ("unknown-field", "error")),
    (lambda f: f["properties"]["applicant"]["x-rules"][1].update(rule="self.rent + 1 < 2000.0"), ("type-error", "error")),
    (lambda f: f["properties"]["applicant"]["x-rules"][1]["message"].pop("en"), ("missing-translation", "warning")),
    (lambda f: f["properties"]["applicant"]["x-rules"][0].update(rule="self.iban.map(a, a.map(b, b.map(c, c)))"), ("does-not-compile", "error")),
])
def test_lint_catches_each_broken_or_unsafe_rule(change, expected):
    schema = copy.deepcopy(FORM)
    change(schema)
    assert lint_codes(schema) == [expected]


def test_hint_inputs_are_what_warnings_and_infos_read_or_are_shown_at():
    """A client refreshes the page when such an input changes (a hint never
    speaks of an earlier value); an error's inputs are not among them."""
    form = compile_form({"type": "object", "properties": {
        "miete": {"type": "number"}, "personen": {"type": "integer"}, "plz": {"type": "string"},
        "iban": {"type": "string"}},
        "x-rules": [
            {"id": "hoch", "severity": "warning", "rule": "!has(self.miete) || self.miete < 1000.0 * double(self.personen)",
             "fields": ["/miete"], "message": {"de": "Hoch", "en": "High"}},
            {"id": "info", "severity": "info", "rule": "!has(self.plz) || self.plz != '00000'",
             "message": {"de": "PLZ", "en": "Postcode"}},
            {"id": "pflicht", "severity": "error", "rule": "has(self.iban)", "message": {"de": "IBAN", "en": "IBAN"}}]})
    assert form.hint_inputs() == {"miete", "personen", "plz"}
