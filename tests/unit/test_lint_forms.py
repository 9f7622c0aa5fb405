"""engine.lint: conditions that do not settle (DESIGN rule 7), the schema
dialect, $ref cycles, and each finding once."""

import json
from collections import Counter
from pathlib import Path

import pytest

from engine.lint import lint_path

FORMS = Path(__file__).resolve().parents[2] / "forms"
S = "https://json-schema.org/draft/2020-12/schema"


def lint(tmp_path, schema) -> list:
    path = tmp_path / "form.json"
    path.write_text(json.dumps(schema), encoding="utf-8")
    return lint_path(path)


def found(findings, code) -> set:
    return {(f.path, f.severity) for f in findings if f.code == code}


def test_answer_that_selects_the_branch_without_its_own_question_does_not_settle(tmp_path):
    # answering b makes `if` hold; only `else` declares b: pruned, asked again
    findings = lint(tmp_path, {"$schema": S, "type": "object", "properties": {"a": {"type": "boolean", "title": "A"}},
                               "if": {"required": ["b"]}, "then": {},
                               "else": {"properties": {"b": {"type": "string", "title": "B"}}}})
    assert found(findings, "does-not-settle") == {("/if", "error")}
    assert "'b'" in next(f.message for f in findings if f.code == "does-not-settle")


def test_false_in_the_condition_of_the_question_it_declares_does_not_settle(tmp_path):
    findings = lint(tmp_path, {"type": "object", "properties": {"a": {"type": "boolean", "title": "A"}},
                               "if": {"properties": {"b": False}},
                               "then": {"properties": {"b": {"type": "string", "title": "B"}}}})
    assert found(findings, "does-not-settle") == {("/if", "error")}


def test_dependent_schema_that_hides_its_own_key_does_not_settle(tmp_path):
    findings = lint(tmp_path, {"type": "object", "properties": {"b": {"type": "string", "title": "B"}},
                               "dependentSchemas": {"b": {"properties": {"b": False}}}})
    assert ("/dependentSchemas/b", "error") in found(findings, "does-not-settle")


def test_nested_location_and_a_const_test(tmp_path):
    findings = lint(tmp_path, {"type": "object", "properties": {"p": {
        "type": "object", "title": "P",
        "allOf": [{"if": {"properties": {"k": {"const": "x"}}, "required": ["k"]},
                   "else": {"properties": {"k": {"enum": ["x", "y"], "title": "K"}}}}]}}})
    assert found(findings, "does-not-settle") == {("/properties/p/allOf/0/if", "error")}


def test_a_condition_on_a_question_declared_elsewhere_settles(tmp_path):
    # b is declared unconditionally; `else` only adds a constraint: nothing is pruned
    findings = lint(tmp_path, {"type": "object", "properties": {"b": {"type": "string", "title": "B"},
                                                                "c": {"type": "string", "title": "C"}},
                               "if": {"required": ["b"]}, "then": {"required": ["c"]},
                               "else": {"properties": {"b": {"maxLength": 3}}}})
    assert not found(findings, "does-not-settle")


@pytest.mark.parametrize("slug", sorted(p.name for p in FORMS.iterdir() if (p / "form.json").is_file()))
def test_bundled_forms_settle(slug):
    assert not [f for f in lint_path(FORMS / slug) if f.code in ("does-not-settle", "reference-cycle")]


def test_a_dialect_other_than_2020_12_is_a_warning(tmp_path):
    findings = lint(tmp_path, {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
                               "definitions": {"x": {"type": "string"}},
                               "properties": {"a": {"title": "A", "$ref": "#/definitions/x"}}})
    (warning,) = [f for f in findings if f.code == "not-2020-12"]
    assert (warning.path, warning.severity) == ("/$schema", "warning")
    assert "draft-07" in warning.message and "definitions" in warning.message
    for dialect in (S, S + "#"):
        assert not found(lint(tmp_path, {"$schema": dialect, "type": "object"}), "not-2020-12")
    assert not found(lint(tmp_path, {"type": "object"}), "not-2020-12")


def test_a_reference_cycle_that_never_descends_is_reported_once(tmp_path):
    findings = lint(tmp_path, {"type": "object", "$defs": {"x": {"$ref": "#/$defs/y"}, "y": {"$ref": "#/$defs/x"}},
                               "properties": {"a": {"title": "A", "$ref": "#/$defs/x"},
                                              "b": {"title": "B", "$ref": "#/$defs/y"}}})
    assert found(findings, "reference-cycle") == {("/$defs/x/$ref", "error")}
    message = next(f.message for f in findings if f.code == "reference-cycle")
    assert "/$defs/x → /$defs/y → /$defs/x" in message
    self_cycle = lint(tmp_path, {"type": "object", "$defs": {"s": {"allOf": [{"$ref": "#/$defs/s"}]}},
                                 "properties": {"a": {"title": "A", "$ref": "#/$defs/s"}}})
    assert found(self_cycle, "reference-cycle")


def test_recursion_through_a_property_is_no_cycle(tmp_path):
    findings = lint(tmp_path, {"type": "object", "$defs": {"person": {"type": "object", "properties": {
        "name": {"type": "string", "title": "Name"}, "vertreter": {"title": "Vertreter", "$ref": "#/$defs/person"}}}},
        "properties": {"antragsteller": {"title": "Antragsteller", "$ref": "#/$defs/person"}}})
    assert not found(findings, "reference-cycle")
    assert not [f for f in findings if f.severity == "error"]


def test_a_definition_referenced_from_several_places_is_reported_once(tmp_path):
    findings = lint(tmp_path, {"type": "object", "$defs": {"tree": {"type": "object", "properties": {
        "label": {"type": "string"}, "child": {"$ref": "#/$defs/tree"}}}},
        "properties": {"a": {"title": "A", "$ref": "#/$defs/tree"}, "b": {"title": "B", "$ref": "#/$defs/tree"}}})
    counts = Counter((f.path, f.code) for f in findings)
    assert counts[("/$defs/tree/properties/label", "missing-label")] == 1
    assert all(n == 1 for n in counts.values()), counts


def test_the_same_anchor_twice_in_one_resource_is_an_error(tmp_path):
    findings = lint(tmp_path, {"$schema": S, "$id": "https://example.com/form", "$dynamicAnchor": "node",
                               "type": "object",
                               "$defs": {"tree": {"$dynamicAnchor": "node", "type": "object",
                                                  "properties": {"label": {"type": "string", "title": "L"}}}},
                               "properties": {"child": {"title": "C", "$dynamicRef": "#node"}}})
    assert found(findings, "duplicate-anchor") == {("/$defs/tree/$dynamicAnchor", "error")}
    # with its own $id the tree is another resource: the usual $dynamicRef pattern
    findings = lint(tmp_path, {"$schema": S, "$id": "https://example.com/form", "$dynamicAnchor": "node",
                               "type": "object",
                               "$defs": {"tree": {"$id": "tree", "$dynamicAnchor": "node", "type": "object",
                                                  "properties": {"label": {"type": "string", "title": "L"}}}},
                               "properties": {"child": {"title": "C", "$dynamicRef": "#node"}}})
    assert not found(findings, "duplicate-anchor")
