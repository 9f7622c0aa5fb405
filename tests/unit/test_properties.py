"""Property-based tests of relevance, pruning and validation (hypothesis).

Forms: the bundled appointment request and a household form with every
conditional construct (if/else-if, allOf, dependentSchemas, discriminated
oneOf, arrays whose items carry their own conditions)."""

import copy
import json
import os
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from engine import FormSource, compile_form, load_form_source
from engine._graph import escape_token
from engine.form import INLINE_BASE_URI, split_pointer
from engine.reference import reference_validator

ROOT = Path(__file__).resolve().parents[2]
S = "https://json-schema.org/draft/2020-12/schema"

HOUSEHOLD = {
    "$schema": S, "type": "object",
    "$defs": {"name": {"type": "string", "minLength": 1, "maxLength": 20}},
    "properties": {
        "person": {
            "type": "object",
            "properties": {"name": {"$ref": "#/$defs/name"}, "kids": {"type": "boolean"}},
            "required": ["name", "kids"],
            "if": {"properties": {"kids": {"const": True}}, "required": ["kids"]},
            "then": {"properties": {"children": {"type": "array", "maxItems": 3, "items": {
                "type": "object",
                "properties": {"name": {"$ref": "#/$defs/name"}, "school": {"type": "boolean"}},
                "required": ["name"],
                "if": {"properties": {"school": {"const": True}}, "required": ["school"]},
                "then": {"properties": {"school_name": {"type": "string", "maxLength": 10}}, "required": ["school_name"]},
            }}}, "required": ["children"]},
        },
        "work": {
            "type": "object",
            "properties": {"status": {"enum": ["employed", "self", "none"]}, "employer": {"type": "string", "maxLength": 10}},
            "required": ["status"],
            "allOf": [{
                "if": {"properties": {"status": {"const": "employed"}}, "required": ["status"]},
                "then": {"properties": {"salary": {"type": "number", "minimum": 0, "multipleOf": 0.01}}, "required": ["salary"]},
                "else": {
                    "if": {"properties": {"status": {"const": "self"}}, "required": ["status"]},
                    "then": {"properties": {"profit": {"type": "integer"}}},
                    "else": {"properties": {"reason": {"type": "string", "maxLength": 10}}},
                },
            }],
            "dependentSchemas": {"employer": {"properties": {"city": {"type": "string", "maxLength": 10}}}},
        },
        "contact": {
            "type": "object",
            "properties": {"channel": {"enum": ["post", "phone"]}},
            "required": ["channel"],
            "oneOf": [
                {"properties": {"channel": {"const": "post"}, "street": {"type": "string", "maxLength": 10}}, "required": ["street"]},
                {"properties": {"channel": {"const": "phone"}, "phone": {"type": "string", "pattern": "^[0-9]{3,8}$"}}, "required": ["phone"]},
            ],
        },
    },
    "required": ["person", "work", "contact"],
}

HOUSEHOLD_FORM = compile_form(HOUSEHOLD)
TERMIN = load_form_source(ROOT / "forms" / "terminanfrage")
TERMIN_FORM = compile_form(TERMIN)

json_scalars = st.none() | st.booleans() | st.integers(min_value=-10**20, max_value=10**20) \
    | st.decimals(allow_nan=False, allow_infinity=False, places=2) | st.text(max_size=12)
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)


def _keys(schema, found=None):
    """Property names used anywhere in a schema (to build plausible answers)."""
    found = set() if found is None else found
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "properties" and isinstance(value, dict):
                found |= set(value)
            _keys(value, found)
    elif isinstance(schema, list):
        for value in schema:
            _keys(value, found)
    return sorted(found)


def plausible_answers(schema):
    """Objects whose keys are names the form uses, nested, with any JSON values."""
    keys = st.sampled_from(_keys(schema))
    values = st.recursive(json_scalars | st.sampled_from(["employed", "self", "none", "post", "phone", "123", "video", "telefon", "vor_ort"]),
                          lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=5), max_leaves=15)
    return st.dictionaries(keys, values, max_size=5)


FORMS = [(HOUSEHOLD_FORM, HOUSEHOLD), (TERMIN_FORM, TERMIN.schema)]
# Building a hypothesis-jsonschema strategy is the expensive part: once per form.
VALID = {id(HOUSEHOLD): from_schema(HOUSEHOLD), id(TERMIN.schema): from_schema(TERMIN.schema)}
REFERENCE = {id(HOUSEHOLD): reference_validator(FormSource(schema=HOUSEHOLD, base_uri=INLINE_BASE_URI)),
             id(TERMIN.schema): reference_validator(TERMIN)}
# Deterministic by default so that CI is reproducible; HYPOTHESIS_PROFILE=explore
# draws new examples each run (and more of them).
_HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
settings.register_profile("formwerk", deadline=None, max_examples=150, derandomize=True, suppress_health_check=_HEALTH)
settings.register_profile("explore", deadline=None, max_examples=1000, suppress_health_check=_HEALTH)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "formwerk"))


@pytest.mark.parametrize("form, schema", FORMS, ids=["household", "terminanfrage"])
@given(data=st.data())
def test_check_never_raises_on_arbitrary_json_answers(form, schema, data):
    answers = data.draw(st.one_of(st.dictionaries(st.text(max_size=8), json_values, max_size=5), plausible_answers(schema)))
    outcome = form.check(answers)
    assert outcome.valid == (not outcome.errors)
    json.dumps(outcome.to_json())


@pytest.mark.parametrize("form, schema", FORMS, ids=["household", "terminanfrage"])
@given(data=st.data())
def test_pruning_is_idempotent(form, schema, data):
    first = form.check(data.draw(plausible_answers(schema)))
    second = form.check(first.answers)
    assert second.pruned == ()
    assert second.answers == first.answers
    assert second.relevant == first.relevant
    assert second.errors == first.errors


def _declared_statically(form, pointer):
    """Walk the form's schema along a pointer, through properties and items of
    every node that can apply there in any branch."""
    from engine.form import reachable

    start = (form.graph.root,)
    for token in split_pointer(pointer):
        nodes = reachable(start)
        if token.isdigit() and any(n.items is not None for n in nodes):
            start = tuple(n.items for n in nodes if n.items is not None)
            continue
        children = tuple(n.properties[token] for n in nodes if token in n.properties)
        if not children:
            return False
        start = children
    return True


@pytest.mark.parametrize("form, schema", FORMS, ids=["household", "terminanfrage"])
@given(data=st.data())
def test_relevant_pointers_are_always_declared_by_the_form(form, schema, data):
    outcome = form.check(data.draw(plausible_answers(schema)))
    for pointer in outcome.relevant:
        assert _declared_statically(form, pointer), pointer


def _object_pointers(value, pointer=""):
    if isinstance(value, dict):
        yield pointer, value
        for key, child in value.items():
            yield from _object_pointers(child, f"{pointer}/{escape_token(key)}")
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from _object_pointers(child, f"{pointer}/{i}")


def _stale_slots(form, answers):
    """(object pointer, key) pairs declared somewhere at an object location but
    not under the current answers: the inactive branches."""
    work, walk = form.walk(answers)
    slots = []
    for pointer, value in _object_pointers(work):
        plan = walk.plan_at(pointer)
        if plan is None:
            continue
        declared = {p for n in form.relevance.applicable(plan.start, value) for p in n.properties}
        slots += [(pointer, key) for key in sorted(plan.anywhere - declared)]
    return work, slots


@pytest.mark.parametrize("form, schema", FORMS, ids=["household", "terminanfrage"])
@settings(max_examples=40)  # hypothesis-jsonschema generation is slow; 40 valid applications each
@given(data=st.data())
def test_stale_answers_in_inactive_branches_are_pruned_back_to_the_same_outcome(form, schema, data):
    valid = data.draw(VALID[id(schema)])
    answers = json.loads(json.dumps(valid, default=str), parse_float=Decimal)
    original = form.check(answers)
    _, slots = _stale_slots(form, original.answers)
    if not slots:
        return
    chosen = data.draw(st.lists(st.sampled_from(slots), min_size=1, max_size=4, unique=True))
    polluted = copy.deepcopy(original.answers)
    for pointer, key in chosen:
        target = polluted
        for token in split_pointer(pointer):
            target = target[int(token)] if isinstance(target, list) else target[token]
        target[key] = data.draw(json_values)
    again = form.check(polluted)
    assert again.answers == original.answers
    assert again.relevant == original.relevant
    assert again.errors == original.errors
    assert {f"{p}/{escape_token(k)}" for p, k in chosen} <= set(again.pruned)


def _raw_locations(errors):
    return sorted({"".join(f"/{escape_token(str(t))}" for t in e) for e in errors})


@pytest.mark.parametrize("form, schema", FORMS, ids=["household", "terminanfrage"])
@settings(max_examples=60)
@given(data=st.data())
def test_jsonschema_rs_and_python_jsonschema_agree(form, schema, data):
    """Differential: same validity and the same error locations on the pruned answers."""
    reference = REFERENCE[id(schema)]
    answers = data.draw(st.one_of(VALID[id(schema)].map(lambda v: json.loads(json.dumps(v), parse_float=Decimal)),
                                  plausible_answers(schema)))
    work, _ = form.walk(answers)
    ours = list(form.validator.iter_errors(work))
    theirs = list(reference.iter_errors(work))
    assert (not ours) == (not theirs)
    assert _raw_locations(e.instance_path for e in ours) == _raw_locations(e.absolute_path for e in theirs)


@pytest.mark.parametrize("form, schema", FORMS, ids=["household", "terminanfrage"])
@given(data=st.data())
def test_compiled_plan_selects_the_same_subschemas_as_rule_2_written_directly(form, schema, data):
    answers = data.draw(plausible_answers(schema))
    work, walk = form.walk(answers)
    for pointer, value in _object_pointers(work):
        start = walk.nodes_at(pointer)
        if start is None:
            continue
        planned = {id(n) for n in form.relevance.applicable(start, value)}
        direct = {id(n) for n in form.relevance._applicable_reference(start, value)}
        assert planned == direct, pointer


# -- random forms with the constructs of issue 9 (DESIGN rules 2-4) -------------------------

_LEAVES = [{"type": "string", "maxLength": 5}, {"type": "integer", "minimum": 0}, {"type": "boolean"},
           {"enum": ["a", "b"]}, {"type": "string", "pattern": "^[\\p{L} ]+$"}, {"type": "number", "multipleOf": 0.01}]
_NAMES = st.sampled_from(["a", "b", "c", "d", "e"])


@st.composite
def random_forms(draw):
    """Forms with non-discriminated oneOf/anyOf members, `false` properties
    behind conditions and a recursive $defs node (a person with a representative)."""

    def leaf():
        return copy.deepcopy(draw(st.sampled_from(_LEAVES)))

    def obj(depth):
        names = draw(st.lists(_NAMES, unique=True, max_size=3))
        props = {n: obj(depth + 1) if depth < 2 and draw(st.booleans()) else leaf() for n in names}
        schema = {"type": "object", "properties": props}
        if draw(st.booleans()):
            members = draw(st.lists(_NAMES, unique=True, min_size=2, max_size=3))
            schema[draw(st.sampled_from(["oneOf", "anyOf"]))] = [
                {"properties": {m: leaf()}, "required": [m]} for m in members]
        if props and draw(st.booleans()):
            hidden, cond = draw(st.sampled_from(sorted(props))), draw(st.sampled_from(sorted(props)))
            schema["if"] = {"properties": {cond: {"const": True}}, "required": [cond]}
            schema["then"] = {"properties": {hidden: False}}
        if draw(st.booleans()):
            schema["properties"]["rep"] = {"$ref": "#/$defs/node"}
        return schema

    node = obj(1)
    node["properties"]["rep"] = {"$ref": "#/$defs/node"}
    root = obj(0)
    root["$defs"] = {"node": node}
    root["$schema"] = S
    return root


@settings(max_examples=120)
@given(data=st.data())
def test_random_forms_prune_idempotently_and_never_raise(data):
    schema = data.draw(random_forms())
    form = compile_form(schema)
    answers = data.draw(st.one_of(plausible_answers(schema), st.dictionaries(st.text(max_size=4), json_values, max_size=4)))
    first = form.check(answers)
    assert first.valid == (not first.errors)
    json.dumps(first.to_json())
    second = form.check(first.answers)
    assert second.pruned == ()
    assert second.answers == first.answers
    assert second.relevant == first.relevant
    assert second.errors == first.errors


@settings(max_examples=120)
@given(data=st.data())
def test_random_forms_validate_like_the_reference(data):
    """Differential: jsonschema-rs (with ECMA patterns) and python-jsonschema agree
    on the pruned answers of random forms with the new constructs."""
    schema = data.draw(random_forms())
    form = compile_form(schema)
    reference = reference_validator(FormSource(schema=schema, base_uri=INLINE_BASE_URI))
    work, walk = form.walk(data.draw(plausible_answers(schema)))
    ours = list(form.validator.iter_errors(work))
    assert (not ours) == reference.is_valid(work)
    for pointer in walk.relevant:  # every relevant question is reachable in the form
        assert _declared_statically(form, pointer) or "/rep" in pointer, pointer
