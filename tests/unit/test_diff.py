"""engine.diff: two versions compared in words, and the migration report."""

import copy
import json
from pathlib import Path

import pytest

from engine import compile_form, load_form, load_form_source
from engine.cli import main
from engine.diff import diff, migrate_answers, migration_report, template

FORMS = Path(__file__).resolve().parents[2] / "forms"
BUNDLED = sorted(p.name for p in FORMS.iterdir() if (p / "form.json").is_file())

BASE = {
    "type": "object", "x-languages": ["de", "en"],
    "properties": {"haushalt": {"type": "object", "title": "Haushalt", "properties": {
        "kinder": {"type": "boolean", "title": "Kinder?", "x-i18n": {"en": {"title": "Children?"}}},
        "partner": {"type": "boolean", "title": "Partner?"}},
        "if": {"properties": {"kinder": {"const": True}}, "required": ["kinder"]},
        "then": {"properties": {"anzahl": {"type": "integer", "title": "Anzahl"}}},
        "x-rules": [{"id": "anzahl-positiv", "rule": "self.anzahl > 0.0", "severity": "error",
                     "message": {"de": "mindestens 1", "en": "at least 1"}}],
        "x-documents": [{"id": "geburtsurkunde", "when": "self.kinder", "title": {"de": "Geburtsurkunde"}}]}},
}


def changed(mutate) -> tuple:
    new = copy.deepcopy(BASE)
    mutate(new)
    return compile_form(BASE), compile_form(new)


def test_identical_versions_have_no_changes():
    old, new = changed(lambda s: None)
    result = diff(old, new)
    assert result.changes == [] and result.text() == "Keine Unterschiede.\n"


def test_added_and_removed_questions_and_sections():
    def mutate(s):
        s["properties"]["haushalt"]["then"]["properties"]["alter"] = {"type": "integer", "title": "Alter"}
        del s["properties"]["haushalt"]["properties"]["partner"]
        s["properties"]["wohnung"] = {"type": "object", "title": "Wohnung", "properties": {"miete": {"type": "number"}}}

    result = diff(*changed(mutate))
    texts = [c.text for c in result.changes]
    assert "Neue Frage „Alter“ (/haushalt/alter): wird gefragt, wenn „Kinder?“ = Ja" in texts
    assert "Frage „Partner?“ (/haushalt/partner) entfernt" in texts
    assert "Neuer Abschnitt „Wohnung“ (/wohnung)" in texts
    assert {c.what for c in result.changes} >= {"question", "section"}


def test_changed_condition_is_said_in_words():
    def mutate(s):
        s["properties"]["haushalt"]["if"]["properties"]["kinder"] = {"const": False}

    result = diff(*changed(mutate), lang="en")
    [condition] = result.of("condition")
    assert condition.where == "/haushalt/anzahl"
    assert "before asked when “Children?” = Yes; now asked when “Children?” = No" in condition.text


def test_rules_documents_and_computed_values():
    def mutate(s):
        h = s["properties"]["haushalt"]
        h["x-rules"][0]["severity"] = "warning"
        h["x-rules"].append({"id": "neu", "rule": "self.anzahl < 20.0", "severity": "info", "message": {"de": "viel"}})
        h["x-documents"] = []
        h["properties"]["summe"] = {"type": "number", "readOnly": True, "x-compute": "1.0"}

    result = diff(*changed(mutate))
    by = {(c.what, c.how, c.where) for c in result.changes}
    assert ("rule", "changed", "anzahl-positiv") in by
    assert ("rule", "added", "neu") in by
    assert ("document", "removed", "geburtsurkunde") in by
    assert ("computed", "added", "/properties/haushalt/properties/summe") in by
    [rule] = [c for c in result.changes if c.where == "anzahl-positiv"]
    assert "severity" in rule.text


def test_texts_in_every_language():
    def mutate(s):
        s["properties"]["haushalt"]["properties"]["kinder"]["x-i18n"]["en"]["title"] = "Do you have children?"
        s["properties"]["haushalt"]["properties"]["partner"]["description"] = "Ehe oder Lebensgemeinschaft"

    result = diff(*changed(mutate))
    texts = [c.text for c in result.of("text")]
    assert "Text von „Kinder?“ (/haushalt/kinder, title, en) geändert: „Children?“ → „Do you have children?“" in texts
    assert any("(/haushalt/partner, description, de) ergänzt" in t for t in texts)


def test_migration_report_counts_lost_answers_per_question():
    def mutate(s):
        del s["properties"]["haushalt"]["then"]  # the number of children is no longer asked

    old, new = changed(mutate)
    drafts = [(1, {"haushalt": {"kinder": True, "anzahl": 2}}), (2, {"haushalt": {"kinder": False}}),
              (3, {"haushalt": {"kinder": True, "anzahl": 1, "partner": True}})]
    report = migration_report(old, new, drafts)
    assert report.total == 3 and report.affected == 2
    assert [(l.pointer, l.label, l.drafts) for l in report.losses] == [("/haushalt/anzahl", "Haushalt › Anzahl", 2)]
    assert report.per_draft == {1: ["/haushalt/anzahl"], 2: [], 3: ["/haushalt/anzahl"]}
    moved, lost = migrate_answers(old, new, drafts[0][1])
    assert moved == {"haushalt": {"kinder": True}} and lost == ["/haushalt/anzahl"]


def test_migration_keeps_answers_the_new_version_still_asks():
    old, new = changed(lambda s: s["properties"]["haushalt"]["properties"].update(
        {"neu": {"type": "string", "title": "Neu"}}))
    moved, lost = migrate_answers(old, new, {"haushalt": {"kinder": True, "anzahl": 2}})
    assert moved == {"haushalt": {"kinder": True, "anzahl": 2}} and lost == []


def test_template_replaces_list_indexes():
    assert template("/kinder/12/name") == "/kinder/*/name"
    assert template("/a/b") == "/a/b"


@pytest.mark.parametrize("slug", BUNDLED)
def test_bundled_form_against_itself_and_without_a_section(slug):
    source = load_form_source(FORMS / slug)
    form = load_form(FORMS / slug)
    assert diff(form, form).changes == []
    schema = json.loads(json.dumps(source.schema))
    last = form.sections[-1].name
    if not last:
        pytest.skip("no object section")
    del schema["properties"][last]
    if isinstance(schema.get("x-order"), list):
        schema["x-order"] = [n for n in schema["x-order"] if n != last]
    smaller = compile_form(type(source)(schema=schema, base_uri=source.base_uri, files=source.files))
    result = diff(form, smaller)
    assert any(c.what == "section" and c.how == "removed" and c.where == f"/{last}" for c in result.changes)


def test_cli_diff_exit_status_and_json(tmp_path, capsys):
    folder = FORMS / "terminanfrage"
    assert main(["diff", str(folder), str(folder)]) == 0
    assert capsys.readouterr().out == "Keine Unterschiede.\n"
    schema = json.loads((folder / "form.json").read_text(encoding="utf-8"))
    schema["properties"]["anliegen"]["properties"]["dringend"] = {"type": "boolean", "title": "Ist es dringend?"}
    (tmp_path / "form.json").write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    assert main(["diff", str(folder), str(tmp_path), "--json", "--lang", "en"]) == 1
    changes = json.loads(capsys.readouterr().out)["changes"]
    assert {"what": "question", "how": "added", "where": "/anliegen/dringend",
            "text": "New question “Ist es dringend?” (/anliegen/dringend): always asked"} in changes


def test_a_changed_answer_type_options_or_constraint_is_reported():
    from engine import compile_form
    from engine.diff import diff

    old = compile_form({"type": "object", "properties": {
        "a": {"title": "A", "enum": ["x", "y"]}, "b": {"title": "B", "type": "integer", "maximum": 10},
        "c": {"title": "C", "type": "string", "minLength": 3}}})
    new = compile_form({"type": "object", "properties": {
        "a": {"title": "A", "enum": ["x"]}, "b": {"title": "B", "type": "string"},
        "c": {"title": "C", "type": "string", "minLength": 5}}})
    changes = {c.where: c.text for c in diff(old, new).changes if c.what == "answer"}
    assert set(changes) == {"/a", "/b", "/c"}
    assert "minLength 3" in changes["/c"] and "minLength 5" in changes["/c"]
    assert not [c for c in diff(old, old).changes]
