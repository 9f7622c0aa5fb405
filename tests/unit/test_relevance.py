"""Relevance and pruning, one table row per rule of DESIGN.md ("Relevance")."""

import pytest

from engine import compile_form

S = "https://json-schema.org/draft/2020-12/schema"


def form(properties, **extra):
    return compile_form({"$schema": S, "type": "object", "properties": properties, **extra})


def relevant(f, answers):
    return set(f.check(answers).relevant)


# Rule 1 and 4: the root applies; declared properties are walked; answered or not.
def test_root_properties_are_relevant_answered_or_not():
    f = form({"a": {"type": "string"}, "b": {"type": "integer"}})
    assert relevant(f, {}) == {"/a", "/b"}
    assert relevant(f, {"a": "x"}) == {"/a", "/b"}


# Rule 2: $ref with sibling keywords — both the target and the siblings apply.
def test_ref_target_and_siblings_both_apply():
    f = compile_form({
        "$schema": S, "type": "object",
        "$defs": {"person": {"type": "object", "properties": {"name": {"type": "string"}}}},
        "properties": {"p": {"$ref": "#/$defs/person", "properties": {"age": {"type": "integer"}}}},
    })
    assert relevant(f, {}) == {"/p/name", "/p/age"}


def test_all_of_members_apply():
    f = form({}, allOf=[{"properties": {"a": {"type": "string"}}}, {"properties": {"b": {"type": "string"}}}])
    assert relevant(f, {}) == {"/a", "/b"}


IF_FORM = {
    "kind": {"enum": ["x", "y", "z"]},
}
IF_RULE = {
    "if": {"properties": {"kind": {"const": "x"}}, "required": ["kind"]},
    "then": {"properties": {"for_x": {"type": "string"}}},
    "else": {
        "if": {"properties": {"kind": {"const": "y"}}, "required": ["kind"]},
        "then": {"properties": {"for_y": {"type": "string"}}},
        "else": {"properties": {"for_other": {"type": "string"}}},
    },
}


@pytest.mark.parametrize("answers, expected", [
    ({"kind": "x"}, {"/kind", "/for_x"}),
    ({"kind": "y"}, {"/kind", "/for_y"}),
    ({"kind": "z"}, {"/kind", "/for_other"}),
    ({}, {"/kind", "/for_other"}),
])
def test_if_then_else_and_else_if_chains(answers, expected):
    assert relevant(form(IF_FORM, **IF_RULE), answers) == expected


def test_dependent_schemas_apply_when_the_key_is_present():
    f = form({"employer": {"type": "string"}},
             dependentSchemas={"employer": {"properties": {"city": {"type": "string"}}}})
    assert relevant(f, {}) == {"/employer"}
    assert relevant(f, {"employer": "ACME"}) == {"/employer", "/city"}


DISCRIMINATED = {
    "properties": {"channel": {"enum": ["post", "phone"]}},
    "oneOf": [
        {"properties": {"channel": {"const": "post"}, "street": {"type": "string"}}, "required": ["street"]},
        {"properties": {"channel": {"const": "phone"}, "phone": {"type": "string"}}, "required": ["phone"]},
        {"properties": {"note": {"type": "string"}}},  # no const/enum property: applies when the answer fits it
    ],
}


@pytest.mark.parametrize("answers, expected", [
    ({}, {"/channel", "/note"}),
    ({"channel": "post"}, {"/channel", "/street", "/note"}),
    ({"channel": "phone"}, {"/channel", "/phone", "/note"}),
    ({"channel": "fax"}, {"/channel", "/note"}),
])
def test_discriminated_one_of(answers, expected):
    f = compile_form({"$schema": S, "type": "object", **DISCRIMINATED})
    assert relevant(f, answers) == expected


def test_discriminated_any_of_can_select_several_members():
    f = compile_form({"$schema": S, "type": "object", "properties": {"a": {"type": "boolean"}, "b": {"type": "boolean"}},
                      "anyOf": [{"properties": {"a": {"const": True}, "x": {"type": "string"}}},
                                {"properties": {"b": {"const": True}, "y": {"type": "string"}}}]})
    assert relevant(f, {"a": True, "b": True}) == {"/a", "/b", "/x", "/y"}


def test_not_never_applies():
    f = form({"a": {"type": "string"}}, **{"not": {"properties": {"hidden": {"type": "string"}}}})
    assert relevant(f, {}) == {"/a"}


# Rule 3: an absent object is treated as {} for conditions.
def test_absent_object_is_treated_as_empty_for_conditions():
    f = form({"work": {"type": "object", "properties": {"status": {"enum": ["a", "b"]}},
                       "if": {"properties": {"status": {"const": "a"}}, "required": ["status"]},
                       "then": {"properties": {"salary": {"type": "number"}}},
                       "else": {"properties": {"reason": {"type": "string"}}}}})
    assert relevant(f, {}) == {"/work/status", "/work/reason"}


# Rule 5 and 6: arrays are relevant themselves; object items are walked per element.
def test_arrays_and_items_with_their_own_conditions():
    item = {"type": "object", "properties": {"school": {"type": "boolean"}},
            "if": {"properties": {"school": {"const": True}}, "required": ["school"]},
            "then": {"properties": {"school_name": {"type": "string"}}}}
    f = form({"kids": {"type": "array", "items": item}, "tags": {"type": "array", "items": {"type": "string"}}})
    assert relevant(f, {}) == {"/kids", "/tags"}
    got = relevant(f, {"kids": [{"school": True}, {"school": False}], "tags": ["a", "b"]})
    assert got == {"/kids", "/tags", "/kids/0/school", "/kids/0/school_name", "/kids/1/school"}


def test_pointer_tokens_are_escaped():
    f = form({"a/b": {"type": "string"}, "c~d": {"type": "string"}})
    assert relevant(f, {}) == {"/a~1b", "/c~0d"}


# Rule 7: pruning.
def test_pruning_removes_answers_of_switched_off_branches_with_their_subtree():
    f = form(IF_FORM, **IF_RULE)
    outcome = f.check({"kind": "y", "for_x": "stale", "for_y": "kept"})
    assert outcome.pruned == ("/for_x",)
    assert outcome.answers == {"kind": "y", "for_y": "kept"}


def test_pruning_repeats_until_nothing_more_is_removed():
    # removing /b (because a != yes) switches off the branch that declared /c
    f = form({"a": {"enum": ["yes", "no"]}}, allOf=[
        {"if": {"properties": {"a": {"const": "yes"}}, "required": ["a"]},
         "then": {"properties": {"b": {"enum": ["on", "off"]}}}},
        {"if": {"properties": {"b": {"const": "on"}}, "required": ["b"]},
         "then": {"properties": {"c": {"type": "string"}}}},
    ])
    outcome = f.check({"a": "no", "b": "on", "c": "stale"})
    assert set(outcome.pruned) == {"/b", "/c"}
    assert outcome.answers == {"a": "no"}
    assert set(outcome.relevant) == {"/a"}


def test_unknown_keys_are_errors_not_silently_dropped():
    f = form({"a": {"type": "string"}})
    outcome = f.check({"a": "x", "zz": 1})
    assert outcome.answers == {"a": "x", "zz": 1}
    assert [(e.path, e.code) for e in outcome.errors] == [("/zz", "unknown")]
    assert not outcome.valid


def test_additional_properties_schema_allows_extra_keys():
    f = form({"a": {"type": "string"}}, additionalProperties={"type": "integer"})
    assert f.check({"a": "x", "zz": 1}).valid


def test_input_answers_are_not_modified():
    f = form(IF_FORM, **IF_RULE)
    answers = {"kind": "y", "for_x": "stale"}
    f.check(answers)
    assert answers == {"kind": "y", "for_x": "stale"}


def test_keys_declared_by_an_ancestors_branch_are_pruned_not_unknown():
    # /income/partner is declared only when the root's condition holds
    f = compile_form({"$schema": S, "type": "object", "properties": {
        "partner": {"type": "boolean"},
        "income": {"type": "object", "properties": {"own": {"type": "number"}}}},
        "if": {"properties": {"partner": {"const": True}}, "required": ["partner"]},
        "then": {"properties": {"income": {"properties": {"partner": {"type": "number"}}}}}})
    assert set(f.check({"partner": True, "income": {"partner": 5}}).relevant) == {"/partner", "/income/own", "/income/partner"}
    outcome = f.check({"partner": False, "income": {"own": 1, "partner": 5}})
    assert outcome.pruned == ("/income/partner",) and outcome.valid


def test_items_apply_only_after_the_prefix_items():
    """2020-12: ``items`` covers the elements after ``prefixItems``; at a
    prefix position only the prefix schema declares properties."""
    from engine import compile_form

    form = compile_form({"type": "object", "properties": {"kids": {
        "type": "array",
        "prefixItems": [{"title": "Eldest", "type": "object", "properties": {"n": {"type": "string"}}}],
        "items": {"title": "Other", "type": "object", "properties": {"m": {"type": "string"}}}}}})
    wrong = form.check({"kids": [{"m": "a"}]})
    assert not wrong.valid and [e.path for e in wrong.errors] == ["/kids/0/m"]
    right = form.check({"kids": [{"n": "a"}, {"m": "b"}]})
    assert right.valid and {"/kids/0/n", "/kids/1/m"} <= set(right.relevant)
    assert "/kids/0/m" not in right.relevant and "/kids/1/n" not in right.relevant
