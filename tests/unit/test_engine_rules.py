"""Issue 9: every legal JSON Schema 2020-12 form works (DESIGN rules 2-4,
"Numbers", patterns), with the messages and lint findings that go with it."""

import json
from decimal import Decimal

import pytest

from engine import AnswersError, FormError, FormSource, check, compile_form, load_form_source
from engine._loading import dump_json, parse_answers
from engine.form import INLINE_BASE_URI
from engine.lint import lint_path, lint_source
from engine.reference import reference_validator

S = "https://json-schema.org/draft/2020-12/schema"


def form(**schema):
    return compile_form({"$schema": S, "type": "object", **schema})


def relevant(f, answers):
    return set(f.check(answers).relevant)


# -- rule 2: members without a const/enum discriminator ----------------------------------

LOREM = form(properties={"choice": {"type": "object", "title": "Auswahl", "oneOf": [
    {"title": "Lorem", "properties": {"lorem": {"type": "string", "title": "Lorem"}}, "required": ["lorem"]},
    {"title": "Ipsum", "properties": {"ipsum": {"type": "string", "title": "Ipsum"}}, "required": ["ipsum"]},
]}})


def test_plain_one_of_applies_the_member_the_answer_is_valid_against():
    outcome = LOREM.check({"choice": {"lorem": "a"}})
    assert outcome.valid and outcome.errors == ()
    assert set(outcome.relevant) == {"/choice/lorem"}


def test_plain_one_of_unsettled_asks_every_member():
    assert relevant(LOREM, {}) == {"/choice/lorem", "/choice/ipsum"}
    outcome = LOREM.check({"choice": {"lorem": 5}})  # no member satisfied: nothing is pruned
    assert set(outcome.relevant) == {"/choice/lorem", "/choice/ipsum"} and outcome.pruned == ()
    assert [e.path for e in outcome.errors] == ["/choice/lorem"]  # the closest member's error


def test_one_of_with_several_fitting_members_names_them():
    outcome = LOREM.check({"choice": {"lorem": "a", "ipsum": "b"}}, lang="de")
    assert set(outcome.relevant) == {"/choice/lorem", "/choice/ipsum"} and outcome.pruned == ()
    [error] = outcome.errors
    assert error.path == "/choice" and error.code == "oneOf"
    assert "„Lorem“" in error.message and "„Ipsum“" in error.message and "„Auswahl“" in error.message


def test_any_of_answers_are_not_pruned_as_if_never_asked():
    f = form(properties={"a": {"type": "string"}}, anyOf=[
        {"properties": {"lorem": {"type": "string"}}, "required": ["lorem"]},
        {"properties": {"ipsum": {"type": "string"}}, "required": ["ipsum"]}])
    outcome = f.check({"lorem": "a"})
    assert outcome.valid and outcome.answers == {"lorem": "a"}
    assert set(outcome.relevant) == {"/a", "/lorem"}


def test_json_forms_any_of_of_if_then_works():
    schema = {"$schema": S, "type": "object",
              "properties": {"kind": {"enum": ["x", "y"]}, "x": {"type": "string"}, "y": {"type": "string"}},
              "anyOf": [{"if": {"properties": {"kind": {"const": "x"}}, "required": ["kind"]}, "then": {"required": ["x"]}},
                        {"if": {"properties": {"kind": {"const": "y"}}, "required": ["kind"]}, "then": {"required": ["y"]}}]}
    f = compile_form(schema)
    reference = reference_validator(FormSource(schema=schema, base_uri=INLINE_BASE_URI))
    for answers in ({}, {"kind": "x"}, {"kind": "x", "x": "1"}, {"kind": "y", "x": 1}, {"kind": "z"}):
        outcome = f.check(answers)
        assert outcome.valid == reference.is_valid(answers), answers
        assert set(outcome.relevant) == {"/kind", "/x", "/y"} and outcome.pruned == ()


# -- rule 4: false hides a property -------------------------------------------------

HIDE = form(properties={"sso": {"type": "boolean", "title": "Single sign-on"},
                        "password": {"type": "string", "title": "Passwort"}},
            **{"if": {"properties": {"sso": {"const": True}}, "required": ["sso"]},
               "then": {"properties": {"password": False}}})


def test_false_property_is_not_a_question_and_its_answer_is_pruned():
    assert relevant(HIDE, {"sso": False}) == {"/sso", "/password"}
    outcome = HIDE.check({"sso": True, "password": "geheim"})
    assert outcome.valid and outcome.pruned == ("/password",) and outcome.answers == {"sso": True}
    assert set(outcome.relevant) == {"/sso"}


# -- rule 3: recursive schemas ------------------------------------------------------

PERSON = form(**{"$defs": {"person": {"type": "object", "properties": {
    "name": {"type": "string", "title": "Name"},
    "representative": {"title": "Vertreten durch", "$ref": "#/$defs/person"}}, "required": ["name"]}},
    "properties": {"person": {"$ref": "#/$defs/person", "title": "Person"}}})


def test_recursive_schema_is_not_expanded_where_it_is_absent():
    outcome = PERSON.check({})
    assert set(outcome.relevant) == {"/person/name", "/person/representative"}
    chain = {"person": {"name": "A", "representative": {"name": "B", "representative": {"name": "C"}}}}
    outcome = PERSON.check(chain)
    assert outcome.valid
    assert set(outcome.relevant) == {"/person/name", "/person/representative/name",
                                     "/person/representative/representative/name",
                                     "/person/representative/representative/representative"}


def test_recursive_schema_reports_errors_deep_down():
    outcome = PERSON.check({"person": {"name": "A", "representative": {"representative": {"name": 1}}}})
    assert {e.path for e in outcome.errors} == {"/person/representative/name",
                                                 "/person/representative/representative/name"}


def test_dynamic_ref_is_followed():
    f = form(**{"$dynamicAnchor": "node", "properties": {
        "label": {"type": "string"},
        "child": {"$dynamicRef": "#node"}}})
    assert relevant(f, {"child": {"label": "x"}}) == {"/label", "/child/label", "/child/child"}
    assert [e.path for e in f.check({"child": {"label": 3}}).errors] == ["/child/label"]


# -- rule 4: keys admitted by patternProperties / additionalProperties / unevaluatedProperties ----

@pytest.mark.parametrize("keyword", [
    {"patternProperties": {"^x-": {"type": "integer"}}},
    {"additionalProperties": {"type": "integer"}},
    {"unevaluatedProperties": {"type": "integer"}},
])
def test_admitted_keys_are_not_unknown(keyword):
    f = form(properties={"a": {"type": "string"}}, **keyword)
    outcome = f.check({"a": "s", "x-extra": 3})
    assert outcome.valid, outcome.errors
    assert "/x-extra" in outcome.relevant
    bad = f.check({"a": "s", "x-extra": "drei"})
    assert [(e.path, e.code) for e in bad.errors] == [("/x-extra", "type")]


def test_additional_properties_false_still_reports_unknown_keys():
    f = form(properties={"a": {"type": "string"}}, additionalProperties=False)
    assert [(e.path, e.code) for e in f.check({"z": 1}).errors] == [("/z", "unknown")]


def test_unevaluated_properties_false_reports_unknown_keys():
    f = form(properties={"a": {"type": "string"}}, unevaluatedProperties=False)
    assert [(e.path, e.code) for e in f.check({"z": 1}).errors] == [("/z", "unknown")]


def test_pattern_properties_use_ecma_patterns():
    f = form(patternProperties={r"^\p{Lu}": {"type": "string"}}, additionalProperties=False)
    assert f.check({"Ärger": "x"}).valid
    assert not f.check({"ärger": "x"}).valid


# -- schemas the engine must accept ---------------------------------------------------------

def test_ecma_patterns_with_unicode_classes_and_named_groups():
    f = form(properties={"name": {"type": "string", "pattern": r"^[\p{L} .'-]+$"},
                         "plz": {"type": "string", "pattern": r"^(?<plz>[0-9]{5})$"}})
    assert f.check({"name": "Jörg Müller-Lüdenscheidt", "plz": "24103"}).valid
    outcome = f.check({"name": "R2D2", "plz": "2410"})
    assert {(e.path, e.code) for e in outcome.errors} == {("/name", "pattern"), ("/plz", "pattern")}


def test_a_pattern_that_is_not_ecma_is_a_form_error():
    with pytest.raises(FormError, match="not a valid JSON Schema"):
        form(properties={"a": {"type": "string", "pattern": "(unclosed"}})


def test_relative_id_on_a_ref_target_is_resolved_once():
    f = form(**{"$id": "https://example.org/forms/f/form.json",
                "$defs": {"address": {"$id": "parts/address.json", "type": "object",
                                      "properties": {"street": {"$ref": "#/$defs/street"}},
                                      "$defs": {"street": {"type": "string", "minLength": 2}}}},
                "properties": {"home": {"$ref": "parts/address.json"}}})
    assert f.check({"home": {"street": "Hauptstr."}}).valid
    assert [e.path for e in f.check({"home": {"street": "H"}}).errors] == ["/home/street"]


def test_relative_id_in_a_file_beside_the_form(tmp_path):
    (tmp_path / "form.json").write_text(json.dumps(
        {"$schema": S, "type": "object", "properties": {"home": {"$ref": "address.json"}}}))
    (tmp_path / "address.json").write_text(json.dumps(
        {"$id": "address.json", "type": "object", "properties": {"street": {"type": "string"}}}))
    (tmp_path / "package.json").write_text(json.dumps({"$schema": "https://example.com/unknown", "name": "x"}))
    (tmp_path / "broken.json").write_text("{not json")
    f = compile_form(load_form_source(tmp_path))
    assert f.check({"home": {"street": "a"}}).valid
    assert not f.check({"home": {"street": 1}}).valid


def test_ref_to_the_meta_schema_itself():
    f = form(properties={"schema": {"$ref": "https://json-schema.org/draft/2020-12/schema"}})
    assert f.check({"schema": {"type": "string"}}).valid
    assert not f.check({"schema": {"type": "no-such-type"}}).valid


def test_form_numbers_are_exact_decimals(tmp_path):
    path = tmp_path / "form.json"
    path.write_text('{"type": "object", "properties": {"c": {"const": 2.5e22}, '
                    '"m": {"type": "number", "minimum": 0.10000000000000001}}}')
    f = compile_form(load_form_source(path))
    assert f.check(parse_answers('{"c": 2.5e22, "m": 0.10000000000000001}')).valid
    outcome = f.check(parse_answers('{"c": 25000000000000000000001, "m": 0.1}'))
    assert {e.path for e in outcome.errors} == {"/c", "/m"}
    assert "0,10000000000000001" in outcome.errors_at("/m")[0].message
    # the reference validator agrees
    reference = reference_validator(load_form_source(path))
    assert reference.is_valid(parse_answers('{"c": 2.5e22, "m": 0.10000000000000001}'))
    assert not reference.is_valid(parse_answers('{"m": 0.1}'))


def test_a_form_source_stays_plain_json(tmp_path):
    path = tmp_path / "form.json"
    path.write_text('{"type": "object", "properties": {"m": {"type": "number", "multipleOf": 0.01}}}')
    source = load_form_source(path)
    assert json.loads(json.dumps(source.schema)) == {"type": "object", "properties": {"m": {"type": "number", "multipleOf": 0.01}}}
    assert compile_form(source).check({"m": Decimal("1820.37")}).valid


def test_forms_differing_in_the_17th_digit_are_different_forms(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text('{"type": "object", "properties": {"m": {"minimum": 0.1}}}')
    b.write_text('{"type": "object", "properties": {"m": {"minimum": 0.10000000000000001}}}')
    answers = {"m": Decimal("0.1")}
    assert compile_form(load_form_source(a)).check(answers).valid
    assert not compile_form(load_form_source(b)).check(answers).valid


# -- the API never raises anything but FormwerkError ---------------------------------------

@pytest.mark.parametrize("bad_form", [True, None, 3, "x", [1]])
def test_check_with_a_form_that_is_not_an_object_is_a_form_error(bad_form):
    with pytest.raises(FormError):
        check(bad_form, {})


def test_check_with_answers_that_are_not_an_object_is_an_answers_error():
    with pytest.raises(AnswersError):
        LOREM.check([1])


@pytest.mark.parametrize("text, fragment", [
    ('{"a": NaN}', "NaN"), ('{"a": Infinity}', "Infinity"), ('{"a": 1e400}', "1e400"),
    ('{"a": "\\ud800"}', "surrogate"), ('{"\\udc00": 1}', "surrogate"),
    ('{"a": ' + "1" * 5000 + "}", "4300"), (b'{"a": "\xff"}', "UTF-8"),
    ('{"a": ' * 300 + "1" + "}" * 300, "nested too deeply"),
])
def test_unreadable_answers(text, fragment):
    with pytest.raises(AnswersError, match=fragment) as caught:
        parse_answers(text)
    assert "\n" not in str(caught.value)


def test_answers_nested_deeply_inside_a_free_object_do_not_crash():
    f = form(properties={"free": {"type": "object", "additionalProperties": True}})
    nested: dict = {}
    cursor = nested
    for _ in range(150):
        cursor["x"] = {}
        cursor = cursor["x"]
    assert f.check({"free": nested}).valid


def test_dump_json_writes_decimals_exactly():
    text = dump_json({"a": Decimal("2.5E+22"), "b": Decimal("0.10000000000000001"), "s": "\x00", "n": [1, 1.5]})
    assert json.loads(text, parse_float=Decimal) == {"a": Decimal("2.5E+22"), "b": Decimal("0.10000000000000001"),
                                                     "s": "\x00", "n": [1, Decimal("1.5")]}


# -- messages ---------------------------------------------------------------------------

def test_titled_const_options_are_listed_like_an_enum():
    f = form(properties={"farbe": {"title": "Farbe", "oneOf": [{"const": "r", "title": "Rot"},
                                                               {"const": "g", "title": "Grün"}]}})
    [error] = f.check({"farbe": "b"}, lang="de").errors
    assert error.path == "/farbe" and error.code == "enum"
    assert error.message == "Wählen Sie bei „Farbe“ eine der Möglichkeiten: „Rot“, „Grün“."
    field = f.field((f.graph.root.properties["farbe"],), "farbe", "de")
    assert field.values == ("r", "g") and field.options == {"r": "Rot", "g": "Grün"}


def test_root_level_error_has_a_label():
    f = compile_form({"type": "object", "minProperties": 2})
    [error] = f.check({}, lang="en").errors
    assert error.path == "" and "“”" not in error.message and "your answers" in error.message
    titled = compile_form({"type": "object", "title": "Antrag", "minProperties": 2})
    assert "„Antrag“" in titled.check({}, lang="de").errors[0].message


def test_untitled_numeric_property_is_not_called_an_entry():
    f = form(properties={"2024": {"type": "integer"}})
    [error] = f.check({"2024": "x"}, lang="en").errors
    assert "entry" not in error.message and "2024" in error.message


def test_object_const_is_written_as_json():
    f = form(properties={"o": {"title": "O", "const": {"a": 1.5, "b": [True, None]}}})
    [error] = f.check({"o": {"a": 2}}, lang="en").errors
    assert '{"a": 1.5, "b": [true, null]}' in error.message


def test_large_and_precise_limits_are_written_as_decimals():
    f = form(properties={"n": {"title": "N", "type": "number", "maximum": 1e30},
                         "m": {"title": "M", "type": "number", "minimum": 0.1}})
    outcome = f.check({"n": Decimal("1e31"), "m": Decimal("0.05")}, lang="en")
    assert "1e30" in outcome.errors_at("/n")[0].message
    assert "0.1 " in outcome.errors_at("/m")[0].message and "0.1000000000000000055" not in outcome.errors_at("/m")[0].message


def test_date_message_asks_for_the_channels_format():
    f = form(properties={"d": {"title": "Datum", "type": "string", "format": "date"}})
    api = f.check({"d": "24.11.2026"}, lang="de").errors[0].message
    web = f.check({"d": "24.11.2026"}, lang="de", channel="web").errors[0].message
    assert "JJJJ-MM-TT" in api and "TT.MM.JJJJ" in web


# -- lint ---------------------------------------------------------------------------------

def findings(schema):
    return {(f.code, f.path) for f in lint_source(FormSource(schema=schema, base_uri=INLINE_BASE_URI))}


def test_lint_reports_a_root_that_is_not_an_object(tmp_path):
    assert findings({"type": "string"}) == {("root-not-object", "")}
    path = tmp_path / "form.json"
    path.write_text("[1, 2]")
    [finding] = lint_path(path)
    assert finding.code == "root-not-object" and finding.severity == "error"


def test_lint_reports_a_question_that_is_never_asked():
    found = findings({"type": "object", "properties": {"a": {"type": "string", "title": "A"}},
                      "allOf": [{"properties": {"a": False}}]})
    assert ("never-asked", "/properties/a") in found


def test_lint_reports_branches_that_are_never_taken():
    found = findings({"type": "object", "properties": {"a": {"type": "string", "title": "A"}},
                      "if": {"properties": {"zz": {"const": 1}}, "required": ["zz"]},
                      "then": {"properties": {"b": {"type": "string", "title": "B"}}},
                      "dependentSchemas": {"qq": {"properties": {"c": {"type": "string", "title": "C"}}}},
                      "anyOf": [False, {"properties": {"a": {"minLength": 1}}}]})
    assert {("branch-never-applies", p) for p in ("/then", "/dependentSchemas/qq", "/anyOf/0")} <= found


def test_lint_accepts_a_branch_on_an_admitted_key():
    found = findings({"type": "object", "properties": {"a": {"type": "string", "title": "A"}},
                      "additionalProperties": {"type": "integer"},
                      "if": {"required": ["extra"]}, "then": {"properties": {"b": {"type": "string", "title": "B"}}}})
    assert not any(code == "branch-never-applies" for code, _ in found)


def test_lint_of_a_form_that_refs_the_meta_schema_finishes_without_errors():
    found = lint_source(FormSource(schema={"type": "object", "properties": {
        "schema": {"title": "Schema", "$ref": "https://json-schema.org/draft/2020-12/schema"}}}, base_uri=INLINE_BASE_URI))
    assert not [f for f in found if f.severity == "error"]


def test_lint_of_a_recursive_form_has_no_errors():
    found = lint_source(FormSource(schema=PERSON.schema, base_uri=INLINE_BASE_URI))
    assert not [f for f in found if f.severity == "error"]
