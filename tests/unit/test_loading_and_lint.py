"""Loading form folders, compiling (cache, $ref across files) and lint."""

import json
import re

import pytest

from engine import FormError, compile_form, load_form
from engine._loading import load_form_source
from engine.lint import lint_source

S = "https://json-schema.org/draft/2020-12/schema"


def write_form(tmp_path, schema, **files):
    folder = tmp_path / "form"
    folder.mkdir()
    (folder / "form.json").write_text(json.dumps({"$schema": S, **schema}))
    for name, content in files.items():
        (folder / name).write_text(json.dumps(content))
    return folder


def codes(folder):
    return {(f.code, f.severity) for f in lint_source(load_form_source(folder))}


def test_relative_refs_into_other_files_of_the_form_folder(tmp_path):
    folder = write_form(tmp_path, {
        "type": "object",
        "properties": {"address": {"$ref": "common.json#/$defs/address", "title": "Anschrift"}},
    }, **{"common.json": {"$defs": {"address": {"type": "object", "properties": {
        "plz": {"$ref": "#/$defs/plz", "title": "PLZ"}}, "required": ["plz"]},
        "plz": {"type": "string", "pattern": "^[0-9]{5}$"}}}})
    f = load_form(folder)
    outcome = f.check({"address": {"plz": "123"}})
    assert outcome.relevant == ("/address/plz",)
    assert [(e.path, e.code) for e in outcome.errors] == [("/address/plz", "pattern")]


def test_compiled_forms_are_cached_by_content(tmp_path):
    schema = {"$schema": S, "type": "object", "properties": {"a": {"type": "string"}}}
    assert compile_form(dict(schema)) is compile_form(json.loads(json.dumps(schema)))
    assert compile_form({**schema, "title": "other"}) is not compile_form(schema)


@pytest.mark.parametrize("schema, fragment", [
    ({"type": "object", "properties": {"a": {"$ref": "#/$defs/missing"}}}, "unresolvable $ref"),
    ({"type": "object", "properties": {"a": {"type": 5}}}, "not a valid JSON Schema"),
    ({"type": "object", "properties": {"a": {"$ref": "nowhere.json"}}}, "unresolvable $ref"),
    ({"type": "object", "properties": {"a": {"type": "string", "x-widget": "slider"}}}, "malformed extension at /properties/a/x-widget"),
])
def test_broken_forms_raise_a_form_error(schema, fragment):
    with pytest.raises(FormError, match=re.escape(fragment)):
        compile_form({"$schema": S, **schema})


def test_lint_a_clean_form_has_no_findings(tmp_path):
    folder = write_form(tmp_path, {
        "type": "object", "title": "T", "x-languages": ["de", "en"], "x-i18n": {"en": {"title": "T"}},
        "properties": {"a": {"type": "string", "title": "A", "x-i18n": {"en": {"title": "A"}}}},
    })
    assert lint_source(load_form_source(folder)) == []


def test_lint_reports_a_form_that_does_not_compile(tmp_path):
    folder = write_form(tmp_path, {"type": "object", "properties": {"a": {"$ref": "#/$defs/nope"}}})
    assert codes(folder) == {("does-not-compile", "error")}


def test_lint_unknown_and_malformed_extensions(tmp_path):
    folder = write_form(tmp_path, {"type": "object", "properties": {
        "a": {"type": "string", "title": "A", "x-colour": "red", "x-widget": "slider"}}})
    assert codes(folder) == {("unknown-extension", "warning"), ("invalid-extension", "error")}


def test_lint_if_without_required(tmp_path):
    folder = write_form(tmp_path, {"type": "object", "properties": {"k": {"type": "boolean", "title": "K"}},
                                   "if": {"properties": {"k": {"const": True}}},
                                   "then": {"properties": {"x": {"type": "string", "title": "X"}}}})
    assert ("if-without-required", "warning") in codes(folder)


def test_lint_branches_that_can_never_apply(tmp_path):
    folder = write_form(tmp_path, {"type": "object", "properties": {"k": {"enum": ["a", "b"], "title": "K"}},
                                   "allOf": [
                                       {"if": {"properties": {"k": {"const": "c"}}, "required": ["k"]},
                                        "then": {"properties": {"x": {"type": "string", "title": "X"}}}},
                                       {"oneOf": [{"properties": {"k": {"const": "zzz"}, "y": {"type": "string", "title": "Y"}}}]},
                                   ]})
    findings = [f for f in lint_source(load_form_source(folder)) if f.code == "branch-never-applies"]
    assert {f.path for f in findings} == {"/allOf/0/then", "/allOf/1/oneOf/0"}


def test_lint_conditions_that_never_settle(tmp_path):
    # answering "k" with true selects `then`, which does not declare "k": the answer is pruned, and asked again
    folder = write_form(tmp_path, {"type": "object",
                                   "if": {"properties": {"k": {"const": True}}, "required": ["k"]},
                                   "then": {"properties": {"x": {"type": "string", "title": "X"}}},
                                   "else": {"properties": {"k": {"type": "boolean", "title": "K"}}}})
    assert ("does-not-settle", "error") in codes(folder)


def test_lint_question_that_is_never_asked(tmp_path):
    folder = write_form(tmp_path, {"type": "object",
                                   "if": {"properties": {"k": {"const": True}}, "required": ["k"]},
                                   "then": {"properties": {"k": {"type": "boolean", "title": "K"}}}})
    assert ("never-asked", "warning") in codes(folder)


def test_lint_missing_labels_and_translations(tmp_path):
    folder = write_form(tmp_path, {"type": "object", "title": "T", "x-languages": ["de", "en"],
                                   "properties": {"a": {"type": "string"},
                                                  "b": {"enum": ["x"], "title": "B", "x-options": {"x": "Iks"},
                                                        "x-i18n": {"en": {"title": "B"}}}}})
    findings = lint_source(load_form_source(folder))
    assert {(f.path, f.code) for f in findings} == {
        ("/properties/a", "missing-label"), ("/", "missing-translation"), ("/properties/b", "missing-translation")}


def test_lint_pattern_without_its_own_message(tmp_path):
    folder = write_form(tmp_path, {"type": "object", "properties": {"p": {"type": "string", "title": "P", "pattern": "^x$"}}})
    assert codes(folder) == {("pattern-without-message", "warning")}


def test_lint_discriminator_declared_only_inside_its_member_is_never_asked(tmp_path):
    folder = write_form(tmp_path, {"type": "object", "properties": {"kanal": {"enum": ["ort", "tel"], "title": "Kanal"}},
                                   "oneOf": [{"properties": {"kanal": {"const": "ort"},
                                                             "standort": {"enum": ["a", "b"], "title": "Standort"}}},
                                             {"properties": {"kanal": {"const": "tel"}, "nummer": {"type": "string", "title": "Nr"}}}]})
    findings = [(f.code, f.path) for f in lint_source(load_form_source(folder)) if f.code == "never-asked"]
    assert findings == [("never-asked", "/oneOf/0")]


def test_x_order_sets_the_order_of_sections_and_lint_checks_its_names(tmp_path):
    schema = {"type": "object", "x-order": ["b", "annex", "a"],
              "properties": {"a": {"type": "object", "title": "A", "properties": {"x": {"type": "string", "title": "X"}}},
                             "b": {"type": "object", "title": "B", "properties": {"y": {"type": "boolean", "title": "Y"}}}},
              "if": {"properties": {"b": {"properties": {"y": {"const": True}}, "required": ["y"]}}, "required": ["b"]},
              "then": {"properties": {"annex": {"type": "object", "title": "Annex", "properties": {"z": {"type": "string", "title": "Z"}}}}}}
    assert [s.name for s in compile_form({"$schema": S, **schema}).sections] == ["b", "annex", "a"]
    folder = write_form(tmp_path, {**schema, "x-order": ["b", "nope"]})
    assert ("unknown-section", "error") in codes(folder)
