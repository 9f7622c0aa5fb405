"""Validation on pruned answers: attribution, formats, decimal numbers, messages."""

from decimal import Decimal

import pytest

from engine import compile_form, parse_answers

S = "https://json-schema.org/draft/2020-12/schema"


def form(properties, **extra):
    return compile_form({"$schema": S, "type": "object", "properties": properties, **extra})


def errors(f, answers, lang="de"):
    return [(e.path, e.code) for e in f.check(answers, lang=lang).errors]


def test_missing_required_property_is_reported_at_its_own_pointer():
    f = form({"name": {"type": "string", "title": "Name"}}, required=["name"])
    assert errors(f, {}) == [("/name", "required")]


def test_missing_required_group_is_reported_at_its_required_questions():
    f = form({"person": {"type": "object", "title": "Person",
                         "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
                         "required": ["name"]}}, required=["person"])
    assert errors(f, {}) == [("/person/name", "required")]


def test_missing_required_group_without_required_questions_stays_at_the_group():
    f = form({"person": {"type": "object", "properties": {"name": {"type": "string"}}}}, required=["person"])
    assert errors(f, {}) == [("/person", "required")]


CHOICE = {
    "properties": {"channel": {"enum": ["post", "phone"], "title": "Kontaktweg"}},
    "anyOf": [
        {"properties": {"channel": {"const": "post"}, "street": {"type": "string", "title": "Straße"}}, "required": ["street"]},
        {"properties": {"channel": {"const": "phone"}, "phone": {"type": "string", "minLength": 6, "title": "Telefon"}}, "required": ["phone"]},
    ],
}


def test_failing_any_of_is_attributed_to_the_selected_member():
    f = compile_form({"$schema": S, "type": "object", **CHOICE})
    assert errors(f, {"channel": "phone", "phone": "12"}) == [("/phone", "minLength")]
    assert errors(f, {"channel": "post"}) == [("/street", "required")]


def test_failing_any_of_without_a_selection_points_at_the_discriminator():
    f = compile_form({"$schema": S, "type": "object", **CHOICE})
    assert errors(f, {}) == [("/channel", "required")]


def test_nested_choice_inside_a_missing_group_keeps_its_location():
    f = form({"contact": {"type": "object", **CHOICE}}, required=["contact"])
    assert errors(f, {}) == [("/contact/channel", "required")]


def test_errors_inside_array_items_and_branches():
    item = {"type": "object", "properties": {"school": {"type": "boolean"}}, "required": ["school"],
            "if": {"properties": {"school": {"const": True}}, "required": ["school"]},
            "then": {"properties": {"name": {"type": "string"}}, "required": ["name"]}}
    f = form({"kids": {"type": "array", "items": item, "minItems": 1}})
    assert errors(f, {"kids": [{"school": True}, {}]}) == [("/kids/0/name", "required"), ("/kids/1/school", "required")]


@pytest.mark.parametrize("fmt, bad, good", [
    ("date", "2026-02-30", "2026-02-28"),
    ("date-time", "2026-11-24 10:00", "2026-11-24T10:00:00Z"),
    ("email", "not-an-email", "ana@example.org"),
])
def test_formats_are_asserted(fmt, bad, good):
    f = form({"x": {"type": "string", "format": fmt}})
    assert errors(f, {"x": bad}) == [("/x", "format")]
    assert errors(f, {"x": good}) == []


@pytest.mark.parametrize("amount", ["1820.37", "19.99", "0.07", "100"])
def test_amounts_are_decimal_exact(amount):
    f = form({"rent": {"type": "number", "multipleOf": 0.01}})
    answers = parse_answers('{"rent": %s}' % amount)
    assert errors(f, answers) == []


def test_amount_with_too_many_decimals_fails_with_a_plain_message():
    f = form({"rent": {"type": "number", "multipleOf": 0.01, "title": "Miete"}})
    outcome = f.check(parse_answers('{"rent": 1820.371}'))
    assert [(e.path, e.code) for e in outcome.errors] == [("/rent", "multipleOf")]
    assert outcome.errors[0].message == "Geben Sie bei „Miete“ höchstens 2 Nachkommastellen an."


def test_integers_stay_integers_and_decimals_round_trip():
    f = form({"n": {"type": "integer"}, "x": {"type": "number"}})
    outcome = f.check(parse_answers('{"n": 3, "x": 1820.37}'))
    assert outcome.answers == {"n": 3, "x": Decimal("1820.37")}
    assert outcome.to_json()["answers"] == {"n": 3, "x": 1820.37}


MESSAGE_CASES = [
    ({"type": "string", "minLength": 3}, "ab", "minLength", "Geben Sie bei „Feld“ mindestens 3 Zeichen an.", "Enter at least 3 characters for “Feld”."),
    ({"type": "string", "maxLength": 2}, "abc", "maxLength", "Kürzen Sie „Feld“ auf höchstens 2 Zeichen.", "Shorten “Feld” to 2 characters or fewer."),
    ({"type": "string", "pattern": "^[0-9]{5}$"}, "1", "pattern", "Geben Sie „Feld“ im vorgesehenen Format an.", "Enter “Feld” in the expected format."),
    ({"type": "number", "minimum": 1.5}, 1, "minimum", "Geben Sie bei „Feld“ einen Wert von mindestens 1,5 an.", "Enter a value of 1.5 or more for “Feld”."),
    ({"type": "number", "maximum": 10}, 11, "maximum", "Geben Sie bei „Feld“ einen Wert von höchstens 10 an.", "Enter a value of 10 or less for “Feld”."),
    ({"type": "number", "exclusiveMinimum": 0}, 0, "exclusiveMinimum", "Geben Sie bei „Feld“ einen Wert größer als 0 an.", "Enter a value greater than 0 for “Feld”."),
    ({"type": "number", "exclusiveMaximum": 5}, 5, "exclusiveMaximum", "Geben Sie bei „Feld“ einen Wert kleiner als 5 an.", "Enter a value less than 5 for “Feld”."),
    ({"type": "number", "multipleOf": 5}, 7, "multipleOf", "Geben Sie bei „Feld“ ein Vielfaches von 5 an.", "Enter a multiple of 5 for “Feld”."),
    ({"type": "integer"}, "x", "type", "Geben Sie bei „Feld“ eine ganze Zahl an, zum Beispiel 3.", "Enter a whole number for “Feld”, for example 3."),
    ({"enum": ["a", "b"], "x-options": {"a": "Alpha", "b": "Beta"}, "x-i18n": {"en": {"options": {"a": "Alpha", "b": "Beta"}}}}, "c", "enum",
     "Wählen Sie bei „Feld“ eine der Möglichkeiten: „Alpha“, „Beta“.", "Choose one of the options for “Feld”: “Alpha”, “Beta”."),
    ({"const": True}, False, "const", "Bestätigen Sie: Feld", "Confirm: Feld"),
    ({"const": "ja"}, "nein", "const", "Bei „Feld“ ist nur „ja“ möglich.", "“Feld” can only be “ja”."),
    ({"type": "string", "format": "date"}, "2026-13-01", "format", "Geben Sie bei „Feld“ ein gültiges Datum im Format JJJJ-MM-TT an, zum Beispiel 2026-11-24.", "Enter a real date for “Feld” in the format YYYY-MM-DD, for example 2026-11-24."),
    ({"type": "string", "format": "email"}, "x", "format", "Geben Sie bei „Feld“ eine E-Mail-Adresse im Format name@beispiel.de an.", "Enter an email address for “Feld” in the format name@example.com."),
    ({"type": "array", "minItems": 2}, [1], "minItems", "Fügen Sie bei „Feld“ mindestens 2 Einträge hinzu.", "Add at least 2 entries to “Feld”."),
    ({"type": "array", "maxItems": 1}, [1, 2], "maxItems", "Geben Sie bei „Feld“ höchstens einen Eintrag an.", "Give no more than one entry for “Feld”."),
    ({"type": "array", "uniqueItems": True}, [1, 1], "uniqueItems", "Jeder Eintrag bei „Feld“ darf nur einmal vorkommen. Entfernen Sie doppelte Einträge.", "Each entry in “Feld” may appear only once. Remove the duplicates."),
    ({"type": "object", "minProperties": 1, "additionalProperties": True}, {}, "minProperties", "Machen Sie bei „Feld“ mindestens eine Angabe.", "Give at least one answer under “Feld”."),
]


@pytest.mark.parametrize("schema, value, code, de, en", MESSAGE_CASES, ids=[c[2] + str(i) for i, c in enumerate(MESSAGE_CASES)])
def test_every_keyword_has_a_plain_message_in_both_languages(schema, value, code, de, en):
    f = form({"f": {**schema, "title": "Feld"}})
    for lang, expected in (("de", de), ("en", en)):
        outcome = f.check({"f": value}, lang=lang)
        assert [(e.path, e.code) for e in outcome.errors] == [("/f", code)]
        assert outcome.errors[0].message == expected


def test_dependent_required_is_reported_at_the_missing_property():
    f = form({"a": {"type": "string", "title": "A"}, "b": {"type": "string", "title": "B"}}, dependentRequired={"a": ["b"]})
    outcome = f.check({"a": "x"}, lang="en")
    assert [(e.path, e.code, e.message) for e in outcome.errors] == [("/b", "dependentRequired", "Fill in “B”.")]


def test_unknown_field_message_names_the_key():
    outcome = form({}).check({"shoe_size": 38}, lang="de")
    assert outcome.errors[0].message == "Die Angabe „shoe_size“ gehört nicht zu diesem Formular. Entfernen Sie sie."


def test_required_messages_follow_the_question():
    f = form({"kids": {"type": "boolean", "title": "Haben Sie Kinder?"}, "status": {"enum": ["a"], "title": "Status"},
              "name": {"type": "string", "title": "Name"}}, required=["kids", "status", "name"])
    messages = {e.path: e.message for e in f.check({}, lang="de").errors}
    assert messages == {"/kids": "Beantworten Sie die Frage „Haben Sie Kinder?“.",
                        "/status": "Wählen Sie bei „Status“ eine Antwort aus.",
                        "/name": "Füllen Sie das Feld „Name“ aus."}


def test_form_overrides_messages_per_field_and_language():
    f = form({"plz": {"type": "string", "pattern": "^[0-9]{5}$", "title": "Postleitzahl",
                      "x-messages": {"pattern": "Geben Sie die {label} mit 5 Ziffern an."},
                      "x-i18n": {"en": {"title": "Postcode", "messages": {"pattern": "Enter the {label} with 5 digits."}}}}})
    assert f.check({"plz": "1"}, lang="de").errors[0].message == "Geben Sie die Postleitzahl mit 5 Ziffern an."
    assert f.check({"plz": "1"}, lang="en").errors[0].message == "Enter the Postcode with 5 digits."


def test_array_elements_are_labelled_after_their_list():
    f = form({"kids": {"type": "array", "title": "Kinder", "items": {"type": "string", "minLength": 2}}})
    assert f.check({"kids": ["ok", "x"]}).errors[0].message == "Geben Sie bei „Kinder, Eintrag 2“ mindestens 2 Zeichen an."


def test_section_check_reports_only_that_page():
    f = form({"a": {"type": "object", "properties": {"x": {"type": "string"}}, "required": ["x"]},
              "b": {"type": "object", "properties": {"y": {"type": "string"}}, "required": ["y"]},
              "top": {"type": "string"}}, required=["a", "b", "top"])
    assert [s.name for s in f.sections] == ["", "a", "b"]
    assert errors(f, {}) == [("/a/x", "required"), ("/b/y", "required"), ("/top", "required")]
    assert [(e.path) for e in f.check({}, section="b").errors] == ["/b/y"]
    assert [(e.path) for e in f.check({}, section="").errors] == ["/top"]
    assert not f.check({}, section="b").valid and f.check({"b": {"y": "1"}}, section="b").valid


def test_errors_follow_the_order_of_the_questions():
    f = form({"z": {"type": "string"}, "a": {"type": "string"}}, required=["z", "a"])
    assert [e.path for e in f.check({}).errors] == ["/z", "/a"]


def test_labels_for_pruned_and_nested_locations():
    f = form({"kids": {"type": "boolean", "title": "Kinder?"}},
             **{"if": {"properties": {"kids": {"const": True}}, "required": ["kids"]},
                "then": {"properties": {"list": {"type": "array", "title": "Kinder", "items": {
                    "type": "object", "properties": {"name": {"type": "string", "title": "Vorname"}}}}}}})
    assert f.label_for("/list/1/name") == "Kinder › Eintrag 2 › Vorname"
    assert f.label_for("/list/0/name", "en") == "Kinder › entry 1 › Vorname"
    assert f.label_for("/nowhere") == "nowhere"


def test_pages_of_several_sections_from_one_check_equal_the_pages_one_by_one():
    """build_pages (one check for check-your-answers, receipt and case file)
    shows exactly what build_page shows section by section."""
    import json
    from pathlib import Path

    from engine import load_form
    from engine.page import build_page, build_pages

    root = Path(__file__).resolve().parents[2] / "forms" / "buergergeld"
    form = load_form(root)
    for path in sorted((root / "cases").glob("*.json"))[:4]:
        case = json.loads(path.read_text(encoding="utf-8"))
        from datetime import date

        as_of = date.fromisoformat(case["as_of"]) if "as_of" in case else None
        names = [s.name for s in form.sections]
        together = build_pages(form, case["answers"], names, "de", as_of=as_of)
        for name, page in zip(names, together):
            alone = build_page(form, case["answers"], name, "de", as_of=as_of)
            assert [(q.pointer, q.value, [e.message for e in q.errors]) for q in page.questions()] == \
                   [(q.pointer, q.value, [e.message for e in q.errors]) for q in alone.questions()]
            assert page.outcome.errors == alone.outcome.errors and page.outcome.warnings == alone.outcome.warnings
