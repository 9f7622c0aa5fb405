"""The formwerk CLI through a real subprocess: output contract and exit codes."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
S = "https://json-schema.org/draft/2020-12/schema"

FORM = {
    "$schema": S, "type": "object", "title": "Test",
    "properties": {
        "name": {"type": "string", "minLength": 1, "title": "Name"},
        "kids": {"type": "boolean", "title": "Haben Sie Kinder?"},
    },
    "required": ["name", "kids"],
    "if": {"properties": {"kids": {"const": True}}, "required": ["kids"]},
    "then": {"properties": {"count": {"type": "integer", "minimum": 1, "title": "Anzahl"}}, "required": ["count"]},
}


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "engine", *map(str, args)], input=stdin,
                          capture_output=True, text=True, cwd=ROOT, timeout=60)


@pytest.fixture
def form_file(tmp_path):
    path = tmp_path / "form.json"
    path.write_text(json.dumps(FORM))
    return path


def test_check_valid_answers_exit_0_with_the_contract_keys(form_file, tmp_path):
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps({"name": "Ana", "kids": True, "count": 2}))
    proc = run("check", form_file, answers)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert {"valid", "relevant", "pruned", "answers", "errors", "warnings"} <= set(result)
    assert result["valid"] is True
    assert result["relevant"] == ["/name", "/kids", "/count"]


def test_check_errors_exit_1_and_prune_from_stdin(form_file):
    proc = run("check", form_file, "-", "--lang", "en", stdin=json.dumps({"kids": False, "count": 3}))
    assert proc.returncode == 1
    result = json.loads(proc.stdout)
    assert result["pruned"] == ["/count"] and result["answers"] == {"kids": False}
    assert result["errors"] == [{"path": "/name", "code": "required", "message": "Fill in “Name”.",
                                 "severity": "error", "rule": None}]


def test_numbers_keep_their_decimal_value_in_the_output(tmp_path):
    form = tmp_path / "f.json"
    form.write_text(json.dumps({"$schema": S, "type": "object", "properties": {"rent": {"type": "number", "multipleOf": 0.01}}}))
    proc = run("check", form, "-", stdin='{"rent": 1820.37}')
    assert proc.returncode == 0
    assert '"rent":1820.37' in proc.stdout


@pytest.mark.parametrize("make_args, stdin, fragment", [
    (lambda d, f: ["check", d / "missing.json", "-"], "{}", "not found"),
    (lambda d, f: ["check", f, "-"], "{not json", "not valid JSON"),
    (lambda d, f: ["check", f, "-"], "[1, 2]", "must be a JSON object"),
    (lambda d, f: ["check", f, d / "nope.json"], None, "answers file not found"),
    (lambda d, f: ["check", d / "notaschema.json", "-"], "{}", "root must be a JSON object"),
    (lambda d, f: ["check", d / "badschema.json", "-"], "{}", "not a valid JSON Schema"),
    (lambda d, f: ["check", f, "-", "--as-of", "24.11.2026"], "{}", "--as-of"),
    (lambda d, f: ["check", f], None, "give either ANSWERS"),
    (lambda d, f: ["lint", d / "missing"], None, "not found"),
])
def test_unreadable_input_exits_2_with_one_line_and_no_traceback(tmp_path, form_file, make_args, stdin, fragment):
    (tmp_path / "notaschema.json").write_text("[1]")
    (tmp_path / "badschema.json").write_text(json.dumps({"type": "object", "properties": {"a": {"type": 7}}}))
    args = make_args(tmp_path, form_file)
    proc = run(*args, stdin=stdin)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert fragment in proc.stderr
    if args[0] == "check":  # stdout stays JSON: the reason, as a batch reports an unreadable line
        assert json.loads(proc.stdout) == {"valid": False, "error": proc.stderr.strip().removeprefix("formwerk: ")}
    else:
        assert proc.stdout == ""


def test_batch_checks_one_application_per_line(form_file, tmp_path):
    batch = tmp_path / "apps.jsonl"
    batch.write_text("\n".join([
        json.dumps({"name": "Ana", "kids": False}),
        json.dumps({"name": "Ben", "kids": True}),
        "",
        json.dumps({"name": "Cleo", "kids": True, "count": 1}),
    ]) + "\n")
    proc = run("check", form_file, "--batch", batch)
    assert proc.returncode == 1
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [(r["line"], r["valid"]) for r in lines] == [(1, True), (2, False), (4, True)]
    assert lines[1]["errors"][0]["path"] == "/count"


def test_batch_reports_unreadable_lines_and_goes_on(form_file):
    proc = run("check", form_file, "--batch", "-", stdin='{"name": "Ana", "kids": false}\n{broken\n')
    assert proc.returncode == 2
    first, second = (json.loads(line) for line in proc.stdout.splitlines())
    assert first["valid"] is True
    assert second["line"] == 2 and second["valid"] is False and "not valid JSON" in second["error"]


def test_lint_exit_status_follows_errors(tmp_path):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(FORM))
    assert run("lint", good).returncode == 0
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**FORM, "properties": {**FORM["properties"], "x": {"x-widget": "slider", "title": "X"}}}))
    proc = run("lint", bad, "--json")
    assert proc.returncode == 1
    assert [f["code"] for f in json.loads(proc.stdout)] == ["invalid-extension"]


def test_test_command_runs_the_example_cases(tmp_path):
    folder = tmp_path / "f"
    (folder / "cases").mkdir(parents=True)
    (folder / "form.json").write_text(json.dumps(FORM))
    (folder / "cases" / "ok.json").write_text(json.dumps({
        "answers": {"name": "A", "kids": False, "count": 1},
        "expect": {"valid": True, "relevant": ["/name", "/kids"], "pruned": ["/count"]}}))
    first = run("test", folder)
    assert first.returncode == 0
    assert "branches exercised: 0 of 1" in first.stdout and "never taken: /then" in first.stdout
    (folder / "cases" / "kids.json").write_text(json.dumps({"answers": {"name": "A", "kids": True, "count": 2},
                                                            "expect": {"valid": True}}))
    assert "branches exercised: 1 of 1" in run("test", folder).stdout
    (folder / "cases" / "wrong.json").write_text(json.dumps({
        "answers": {}, "expect": {"valid": True, "errors": [{"path": "/x", "code": "required"}]}}))
    proc = run("test", folder)
    assert proc.returncode == 1
    assert "FAIL wrong" in proc.stdout and "2 of 3 cases pass" in proc.stdout


def test_formwerk_console_script_is_installed():
    exe = Path(sys.executable).with_name("formwerk")
    proc = subprocess.run([str(exe), "--help"], capture_output=True, text=True)
    assert proc.returncode == 0 and "check" in proc.stdout


RULES_FORM = {
    "$schema": S, "type": "object",
    "properties": {
        "born": {"type": "string", "format": "date", "title": "Geburtsdatum"},
        "age": {"type": "integer", "readOnly": True, "x-compute": "age(self.born)"},
        "rent": {"type": "number", "title": "Miete"},
    },
    "x-rules": [{"id": "rent-high", "severity": "warning", "rule": "self.rent <= 2000.0",
                 "message": {"de": "Miete {self.rent} ist hoch."}, "fields": ["/rent"]}],
}


def test_as_of_and_confirmations_reproduce_a_check(tmp_path):
    form = tmp_path / "rules.json"
    form.write_text(json.dumps(RULES_FORM))
    answers = json.dumps({"born": "2010-06-01", "rent": 2500})
    first = json.loads(run("check", form, "-", "--as-of", "2026-05-31", stdin=answers).stdout)
    assert first["computed"] == {"/age": 15}
    assert first["valid"] is True and first["unconfirmed"] == [first["warnings"][0]["confirmation"]]
    confirmations = tmp_path / "confirmed.json"
    confirmations.write_text(json.dumps(first["unconfirmed"]))
    proc = run("check", form, "-", "--as-of", "2026-06-01", "--confirmations", confirmations, stdin=answers)
    second = json.loads(proc.stdout)
    assert proc.returncode == 0
    assert second["computed"] == {"/age": 16}
    assert second["warnings"][0]["confirmed"] is True and second["unconfirmed"] == []


def test_malformed_confirmations_file_exits_2(tmp_path, form_file):
    bad = tmp_path / "c.json"
    bad.write_text('{"not": "a list"}')
    proc = run("check", form_file, "-", "--confirmations", bad, stdin="{}")
    assert proc.returncode == 2 and "JSON array of strings" in proc.stderr


def test_numbers_beyond_what_the_output_can_write_are_unreadable(form_file):
    proc = run("check", form_file, "-", stdin='{"name": "A", "kids": true, "count": 1e999999}')
    assert proc.returncode == 2 and json.loads(proc.stdout)["valid"] is False
    assert proc.stderr.count("\n") == 1 and "answers on standard input" in proc.stderr and "1e999999" in proc.stderr
