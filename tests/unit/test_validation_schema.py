"""The schema jsonschema-rs validates against (engine/_validation_schema.py):
annotations left out, repeated subschemas compiled once, and errors that
carry the schema path of the original document, exactly as before."""

import copy
import json
from decimal import Decimal
from pathlib import Path

import jsonschema_rs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.generated import generated_form
from engine import FormSource, compile_form, load_form_source
from engine import _graph, _regex
from engine._validation_schema import SHARED_PREFIX, MappedError, may_share, ref_targets, rewrite, strip
from engine.form import INLINE_BASE_URI, CompiledForm, content_hash
from tests.unit.test_properties import plausible_answers, random_forms

ROOT = Path(__file__).resolve().parents[2]
S = "https://json-schema.org/draft/2020-12/schema"


def original_validator(form):
    """jsonschema-rs on the form's root document as written (the validator before this module)."""
    g = form.graph
    return jsonschema_rs.Draft202012Validator(
        g.root.raw, validate_formats=True, registry=g._rs_registry, base_uri=g.root_uri,
        keywords=_regex.RS_KEYWORDS, formats=_regex.RS_FORMATS)


def signature(error):
    """What error attribution reads from an error, member errors included."""
    params = error.kind.as_dict()
    members = ()
    if error.kind.name in ("oneOf", "anyOf"):
        members = tuple(tuple(signature(sub) for sub in ctx) for ctx in params.get("context") or ())
    return (tuple(error.instance_path), error.kind.name, tuple(error.schema_path), error.message, members)


def same_errors(form, answers):
    work, _ = form.walk(answers)
    ours = [signature(e) for e in form.validator.iter_errors(work)]
    before = [signature(e) for e in original_validator(form).iter_errors(work)]
    assert ours == before
    assert form.validator.is_valid(work) == (not before)
    return ours


def unshared(source, monkeypatch):
    """The same form compiled with nothing moved (annotations still left out)."""
    with monkeypatch.context() as m:
        m.setattr(_graph, "may_share", lambda documents: False)
        return CompiledForm(source, content_hash(source))


# -- the rewrite ----------------------------------------------------------------------------

def test_annotations_are_left_out_at_schema_positions_only():
    schema = {"title": "T", "description": "D", "x-order": ["title"], "$comment": "c", "type": "object",
              "properties": {"title": {"type": "string", "title": "Titel", "default": "x", "examples": ["a"]},
                             "description": {"deprecated": True, "readOnly": True, "writeOnly": False}},
              "required": ["title"], "enum": [{"title": "kept: a value, not a schema"}]}
    assert strip(schema, set()) == {
        "type": "object", "properties": {"title": {"type": "string"}, "description": {}},
        "required": ["title"], "enum": [{"title": "kept: a value, not a schema"}]}


def test_a_key_on_the_way_to_a_ref_target_is_kept():
    schema = {"properties": {"a": {"$ref": "#/x-defs/name"}}, "x-defs": {"name": {"type": "string", "title": "N"}}}
    protected = ref_targets({"u": schema})
    assert ("x-defs", "name") in protected
    assert strip(schema, protected) == {"properties": {"a": {"$ref": "#/x-defs/name"}}, "x-defs": {"name": {
        "type": "string", "title": "N"}}}


def _section(title):
    return {"type": "object", "title": title, "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 40, "title": f"Name {title}"},
        "amount": {"type": "number", "minimum": 0, "multipleOf": Decimal("0.01"), "title": f"Betrag {title}"}},
        "required": ["name", "amount"]}


def test_identical_sections_are_compiled_once():
    schema = {"$schema": S, "type": "object", "properties": {f"s{i}": _section(f"Abschnitt {i}") for i in range(3)}}
    rewritten, shared = rewrite(schema, set())
    assert shared == {f"{SHARED_PREFIX}0"}
    assert [rewritten["properties"][f"s{i}"] for i in range(3)] == [{"$ref": f"#/$defs/{SHARED_PREFIX}0"}] * 3
    assert rewritten["$defs"][f"{SHARED_PREFIX}0"] == strip(_section("x"), set())
    assert "title" in schema["properties"]["s0"]  # the form itself is not changed


def test_numbers_of_different_types_and_key_order_are_not_merged():
    a = _section("a")
    b = _section("b")
    b["properties"]["amount"]["minimum"] = Decimal("0.0")
    c = dict(reversed(list(_section("c").items())))
    _, shared = rewrite({"properties": {"a": a, "b": b, "c": c}}, set())
    assert shared == set()


def test_subschemas_that_references_can_see_stay_where_they_are():
    pinned = [
        {**_section("a"), "$anchor": "here"},
        {**_section("a"), "properties": {**_section("a")["properties"], "r": {"$ref": "#/$defs/x"}}},
        {**_section("a"), "$id": "https://formwerk.invalid/other.json"},
    ]
    for sub in pinned:
        _, shared = rewrite({"properties": {"a": sub, "b": copy.deepcopy(sub)}, "$defs": {"x": {}}}, set())
        assert shared == set(), sub
    # a ref target and everything on the way to it
    schema = {"properties": {"a": _section("a"), "b": _section("b"), "c": {"$ref": "#/properties/a/properties/name"}}}
    rewritten, shared = rewrite(schema, ref_targets({"u": schema}))
    assert shared == set()
    # inside a nested $id resource nothing moves (a relative $ref there would resolve elsewhere)
    nested = {"$id": "https://formwerk.invalid/n.json", "properties": {"a": _section("a"), "b": _section("b")}}
    _, shared = rewrite({"properties": {"n": nested}}, set())
    assert shared == set()


def test_a_dynamic_reference_anywhere_moves_nothing():
    assert may_share({"a": {"properties": {"x": {}}}})
    assert not may_share({"a": {"properties": {"x": {}}}, "b": {"items": {"$dynamicRef": "#node"}}})


def test_existing_defs_names_are_not_overwritten():
    schema = {"$defs": {f"{SHARED_PREFIX}0": {"type": "integer"}},
              "properties": {"a": _section("a"), "b": _section("b"), "c": {"$ref": f"#/$defs/{SHARED_PREFIX}0"}}}
    rewritten, shared = rewrite(schema, ref_targets({"u": schema}))
    assert shared == {f"{SHARED_PREFIX}1"}
    assert rewritten["$defs"][f"{SHARED_PREFIX}0"] == {"type": "integer"}


# -- the same errors as before -----------------------------------------------------------------

def _bundled():
    for folder in sorted((ROOT / "forms").iterdir()):
        if (folder / "form.json").exists():
            cases = [json.loads(p.read_text(), parse_float=Decimal)["answers"]
                     for p in sorted((folder / "cases").glob("*.json"))]
            yield pytest.param(folder, cases, id=folder.name)


@pytest.mark.parametrize("folder, cases", list(_bundled()))
def test_bundled_forms_give_the_same_errors_on_every_case(folder, cases):
    form = compile_form(load_form_source(folder))
    assert cases
    for answers in cases:
        same_errors(form, answers)


def _spoil(answers, every):
    """Wrong answers in every ``every``-th question: types, ranges, formats, enums, missing."""
    spoiled = copy.deepcopy(answers)
    wrong = ["", -1, Decimal("0.001"), "d", "2024-02-30", None]
    n = 0
    for section in spoiled.values():
        for key in list(section):
            n += 1
            if n % every == 0:
                section[key] = wrong[n % len(wrong)]
            elif n % (every + 1) == 0:
                del section[key]
    return spoiled


def test_generated_forms_share_their_sections_and_report_errors_at_the_original_places():
    schema, answers = generated_form(300)
    form = compile_form(FormSource(schema=schema, base_uri=INLINE_BASE_URI))
    assert form.validator._shared  # the 15 sections are one compiled schema
    assert same_errors(form, answers) == []
    errors = same_errors(form, _spoil(answers, 7))
    assert len(errors) > 20
    assert {e[2][:2] for e in errors} >= {("properties", "s0"), ("properties", "s14")}


def test_errors_inside_moved_sections_are_mapped():
    schema, answers = generated_form(60)
    form = compile_form(FormSource(schema=schema, base_uri=INLINE_BASE_URI))
    work, _ = form.walk(_spoil(answers, 3))
    errors = list(form.validator.iter_errors(work))
    assert errors and all(isinstance(e, MappedError) for e in errors)
    for error in errors:
        assert error.schema_path[:2] == ["properties", error.instance_path[0]]
        assert list(error._error.schema_path)[0] == "$defs"  # where jsonschema-rs found it


CHOICES = {
    "type": "object", "title": "Kontakt",
    "properties": {"channel": {"enum": ["post", "phone"]}, "kind": {"enum": ["a", "b"]},
                   "street": {"type": "string", "maxLength": 5}, "phone": {"type": "string", "pattern": "^[0-9]+$"}},
    "required": ["channel"],
    "oneOf": [{"properties": {"channel": {"const": "post"}}, "required": ["street"], "title": "Post"},
              {"properties": {"channel": {"const": "phone"}}, "required": ["phone"], "title": "Telefon"}],
    "allOf": [{"anyOf": [{"properties": {"kind": {"const": "a"}, "street": {"minLength": 2}}},
                         {"properties": {"kind": {"const": "b"}, "phone": {"minLength": 4}}}]}],
}


def choices_form():
    return {"$schema": S, "type": "object",
            "$defs": {"person": {"type": "object", "properties": {"name": {"type": "string", "maxLength": 3},
                                                                   "rep": {"$ref": "#/$defs/person"}}}},
            "properties": {"home": {**copy.deepcopy(CHOICES), "title": "Zuhause"},
                           "work": {**copy.deepcopy(CHOICES), "title": "Arbeit"},
                           "person": {"$ref": "#/$defs/person"}},
            "required": ["home", "work"]}


CHOICE_ANSWERS = [
    {"home": {"channel": "post", "street": "Lange Straße", "kind": "a"}, "work": {"channel": "phone", "kind": "b"}},
    {"home": {"channel": "phone", "phone": "12x", "kind": "b"}, "work": {"channel": "post", "street": "x", "kind": "a"},
     "person": {"name": "Anna", "rep": {"name": "Bernd", "rep": {"name": 3}}}},
    {"home": {"kind": "c"}, "work": {}},
    {"home": {"channel": "post", "street": "Weg", "kind": "a"}, "work": {"channel": "post", "street": "Weg"}},
]


@pytest.mark.parametrize("answers", CHOICE_ANSWERS)
def test_choices_in_moved_sections_are_attributed_as_before(answers, monkeypatch):
    source = FormSource(schema=choices_form(), base_uri=INLINE_BASE_URI)
    form = compile_form(source)
    assert form.validator._shared
    same_errors(form, answers)
    before = unshared(source, monkeypatch)
    assert not before.validator._shared
    for lang in ("de", "en"):
        assert form.check(answers, lang=lang).errors == before.check(answers, lang=lang).errors
    for section in ("home", "work"):
        assert form.check(answers, section=section).errors == before.check(answers, section=section).errors


PART = {"type": "object", "properties": {"amount": {"type": "number", "maximum": 10},
                                          "name": {"type": "string", "maxLength": 2}}}


def referencing_form():
    """Moved subschemas reached through the form's own $ref, beside a $ref into another document."""
    schema = {"$schema": S, "type": "object",
              "$defs": {"pair": {"type": "object", "properties": {"first": copy.deepcopy(PART),
                                                                  "second": copy.deepcopy(PART)}}},
              "properties": {"p": {"$ref": "#/$defs/pair"}, "q": {"$ref": "#/$defs/pair"},
                             "r": {"$ref": "common.json#/$defs/amount"}}}
    common = {"$schema": S, "$defs": {"amount": {"type": "number", "minimum": 0, "maximum": 10}}}
    return FormSource(schema=schema, base_uri=INLINE_BASE_URI, files={"common.json": common})


REFERENCING_ANSWERS = {"p": {"first": {"amount": 11, "name": "abc"}, "second": {"amount": 1}},
                       "q": {"second": {"name": "xyz"}}, "r": -1}


def test_errors_behind_the_forms_own_references_map_back():
    form = compile_form(referencing_form())
    assert form.validator._shared
    errors = {e[:3] for e in same_errors(form, REFERENCING_ANSWERS)}
    pair = ("$defs", "pair", "properties")
    assert errors == {
        (("p", "first", "amount"), "maximum", (*pair, "first", "properties", "amount", "maximum")),
        (("p", "first", "name"), "maxLength", (*pair, "first", "properties", "name", "maxLength")),
        (("q", "second", "name"), "maxLength", (*pair, "second", "properties", "name", "maxLength")),
        (("r",), "minimum", ("$defs", "amount", "minimum")),
    }


def test_the_walk_back_finds_every_schema_path_of_the_original_validator():
    """``_locate`` applied to the original validator's errors gives their own schema paths."""
    sources = ((FormSource(schema=choices_form(), base_uri=INLINE_BASE_URI), CHOICE_ANSWERS),
               (referencing_form(), [REFERENCING_ANSWERS]))
    checked = 0
    for source, cases in sources:
        form = compile_form(source)
        for answers in cases:
            work, _ = form.walk(answers)
            stack = list(original_validator(form).iter_errors(work))
            while stack:
                error = stack.pop()
                assert form.graph._locate(list(error.evaluation_path)) == list(error.schema_path)
                checked += 1
                if error.kind.name in ("oneOf", "anyOf"):
                    stack.extend(sub for ctx in error.kind.as_dict()["context"] for sub in ctx)
    assert checked > 10


def _without_refs(schema):
    if isinstance(schema, dict):
        return {k: _without_refs(v) for k, v in schema.items()
                if k != "$defs" and not (isinstance(v, dict) and "$ref" in v)}
    if isinstance(schema, list):
        return [_without_refs(v) for v in schema]
    return schema


@settings(max_examples=80)
@given(data=st.data())
def test_random_forms_with_repeated_sections_give_the_same_errors(data):
    """Hypothesis: random sections (choices, hidden properties, conditions), each
    written twice with other titles, beside a recursive $ref; every error as before."""
    base = data.draw(random_forms())
    section = _without_refs({k: v for k, v in base.items() if k != "$schema"})
    schema = {"$schema": S, "$defs": base["$defs"], "type": "object", "properties": {
        "a": {**section, "title": "A"}, "b": {**copy.deepcopy(section), "title": "B"},
        "c": {"$ref": "#/$defs/node"}, "d": copy.deepcopy(base["$defs"]["node"])}}
    form = compile_form(schema)
    inner = data.draw(plausible_answers(schema))
    answers = {"a": inner, "b": data.draw(plausible_answers(schema)), "c": inner, "d": inner}
    same_errors(form, answers)
