"""The CLI on forms that are unusable or odd: every command names the form
file in its one-line reason (exit 2), ``test`` reports an unreadable case and
runs the others, and ``check`` on a form whose conditions do not settle
follows DESIGN rule 7 (the answer is pruned, the question stays relevant)
while ``lint`` reports the form. Each runs ``python -m engine`` as a subprocess."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.test_cli_contract import deep_form

ROOT = Path(__file__).resolve().parents[2]
S = "https://json-schema.org/draft/2020-12/schema"


def run(*args, stdin: str | None = None):
    return subprocess.run([sys.executable, "-m", "engine", *map(str, args)],
                          input=stdin.encode("utf-8") if stdin is not None else None,
                          capture_output=True, cwd=ROOT, timeout=120)


def strict_json(text: bytes):
    return json.loads(text.decode("utf-8"), parse_constant=lambda c: pytest.fail(f"not JSON: {c}"))


def assert_names(proc, name: str, *words: str):
    stderr = proc.stderr.decode("utf-8")
    assert proc.returncode == 2, (proc.returncode, stderr, proc.stdout)
    assert "Traceback" not in stderr and stderr.count("\n") == 1 and stderr.startswith("formwerk: "), stderr
    assert name in stderr, stderr
    for word in words:
        assert word in stderr, stderr


def deep_text(depth: int) -> str:
    """A form nested ``depth`` objects deep, written directly (json.dumps stops at about 1,000)."""
    return '{"type": "object", "properties": ' + '{"a": {"type": "object", "properties": ' * depth + "{}" + "}}" * depth + "}"


OK = {"$schema": S, "type": "object", "properties": {"a": {"type": "string", "title": "A"}}}


@pytest.mark.parametrize("content, words", [
    (json.dumps(deep_form(120)).encode(), ("nested too deeply",)),  # parses, too deep to compile
    (deep_text(1200).encode(), ("nested too deeply",)),  # too deep to parse
    (b'{"type": "object", "title": "\xff"}', ("not valid UTF-8",)),
    (b'{"type": "object", "properties": {"a": {"$ref": "#/$defs/nope"}}}', ("does not exist",)),
], ids=["deep-compile", "deep-parse", "bad-utf8", "bad-ref"])
@pytest.mark.parametrize("command", ["check", "explain", "test", "diff"])
def test_every_command_names_the_unusable_form(tmp_path, content, words, command):
    path = tmp_path / "broken-form.json"
    path.write_bytes(content)
    ok = tmp_path / "ok.json"
    ok.write_text(json.dumps(OK))
    args = {"check": ("check", path, "-"), "explain": ("explain", path), "test": ("test", path),
            "diff": ("diff", ok, path)}[command]
    proc = run(*args, stdin="{}")
    assert_names(proc, "broken-form.json", *words)
    if command == "check":  # stdout stays valid JSON (DESIGN, "The CLI contract")
        assert json.loads(proc.stdout) == {"valid": False, "error": proc.stderr.decode().strip().removeprefix("formwerk: ")}
    else:
        assert proc.stdout == b""
    if command == "check":
        assert "{'" not in proc.stderr.decode()  # no Python repr of the form


def test_lint_of_a_form_that_cannot_be_read_names_it(tmp_path):
    path = tmp_path / "broken-form.json"
    path.write_bytes(b'{"title": "\xff"}')
    assert_names(run("lint", path), "broken-form.json", "not valid UTF-8")
    path.write_text(deep_text(1200))
    assert_names(run("lint", path), "broken-form.json", "nested too deeply")
    path.write_text(json.dumps(deep_form(120)))
    proc = run("lint", path, "--json")
    assert proc.returncode == 1 and b"Traceback" not in proc.stderr
    assert [f["code"] for f in strict_json(proc.stdout)] == ["does-not-compile"]


def test_test_reports_an_unreadable_case_and_runs_the_others(tmp_path):
    folder = tmp_path / "f"
    (folder / "cases").mkdir(parents=True)
    (folder / "form.json").write_text(json.dumps(OK))
    (folder / "cases" / "a_bad_utf8.json").write_bytes(b'{"answers": {"a": "\xff"}}')
    (folder / "cases" / "b_not_json.json").write_text('{"answers": ')
    (folder / "cases" / "c_no_answers.json").write_text("[1]")
    (folder / "cases" / "d_ok.json").write_text(json.dumps({"answers": {"a": "x"}, "expect": {"valid": True}}))
    (folder / "cases" / "e_fails.json").write_text(json.dumps({"answers": {"a": 1}, "expect": {"valid": True}}))
    proc = run("test", folder)
    out = proc.stdout.decode()
    assert proc.returncode == 1 and proc.stderr == b"", proc.stderr
    assert "FAIL a_bad_utf8" in out and "a_bad_utf8.json is not valid UTF-8" in out
    assert "FAIL b_not_json" in out and "b_not_json.json is not valid JSON" in out
    assert "FAIL c_no_answers" in out and "PASS d_ok" in out and "FAIL e_fails" in out
    assert "1 of 5 cases pass" in out


NOT_SETTLING = {"$schema": S, "type": "object", "properties": {"a": {"type": "boolean", "title": "A"}},
                "if": {"required": ["b"]}, "then": {},
                "else": {"properties": {"b": {"type": "string", "title": "B"}}}}


def test_a_form_that_does_not_settle_lint_error_and_check_follows_rule_7(tmp_path):
    path = tmp_path / "form.json"
    path.write_text(json.dumps(NOT_SETTLING))
    proc = run("lint", path, "--json")
    assert proc.returncode == 1
    assert ("/if", "does-not-settle", "error") in {(f["path"], f["code"], f["severity"]) for f in strict_json(proc.stdout)}
    # rule 7: the answer to b switches b off, so it is pruned; pruning repeats until nothing more is
    # removed, and under the settled answers ({}) b is declared again: a relevant, unanswered question
    proc = run("check", path, "-", stdin='{"a": true, "b": "x"}')
    assert proc.returncode == 0, proc.stderr
    result = strict_json(proc.stdout)
    assert result["answers"] == {"a": True} and result["pruned"] == ["/b"]
    assert result["relevant"] == ["/a", "/b"] and result["valid"] is True


def test_explain_hidden_and_untitled_variants_in_both_languages(tmp_path):
    path = tmp_path / "form.json"
    path.write_text(json.dumps({"$schema": S, "type": "object",
                                "properties": {"login": {"type": "boolean", "title": "Login"},
                                               "password": {"type": "string", "title": "Passwort"}},
                                "if": {"properties": {"login": {"const": False}}, "required": ["login"]},
                                "then": {"properties": {"password": False}},
                                "anyOf": [{"properties": {"x": {"type": "string", "title": "X"}}, "required": ["x"]},
                                          {"properties": {"y": {"type": "string", "title": "Y"}}, "required": ["y"]}]}))
    de = run("explain", path, "--lang", "de").stdout.decode()
    en = run("explain", path, "--lang", "en").stdout.decode()
    assert "„Passwort“ (/password): wird gefragt, außer wenn „Login“ = Nein\n" in de
    assert "“Passwort” (/password): asked unless “Login” = No\n" in en
    assert "(/x): wird gefragt, wenn die Angaben zur Variante 1 passen oder noch zu keiner Variante passen" in de
    assert "(/y): asked when the answers fit variant 2 or do not fit any variant yet" in en
    assert not de.startswith("\n") and "wird immer gefragt\n      wird nicht" not in de
    proc = run("explain", path, "--json")
    assert proc.returncode == 0
    password = next(q for s in strict_json(proc.stdout)["sections"] for q in s["questions"] if q["pointer"] == "/password")
    assert password["conditional"] is True and password["hidden_when"] == "„Login“ = Nein"


def test_a_failing_expression_function_is_a_finding_and_nothing_on_stderr(tmp_path):
    """The CEL library logs a failing Python function; the CLI prints no such
    chatter, and the failure is the engine's own finding (rule-error)."""
    path = tmp_path / "form.json"
    path.write_text(json.dumps({"$schema": S, "type": "object", "x-languages": ["de", "en"],
                                "properties": {"geboren": {"type": "string", "title": "Geboren"}},
                                "x-rules": [{"id": "zukunft", "severity": "error", "rule": "!is_future(self.geboren)",
                                             "message": {"de": "Zukunft", "en": "Future"}, "fields": ["/geboren"]}]}))
    proc = run("check", path, "-", "--lang", "en", stdin='{"geboren": "2000-02-30"}')
    assert proc.returncode == 1 and proc.stderr == b"", proc.stderr
    (error,) = strict_json(proc.stdout)["errors"]
    assert (error["path"], error["code"]) == ("/geboren", "rule-error")
    assert "could not be fully checked" in error["message"]
    for birth in ("0001-01-01", "0000-01-01", "2000-02-30"):
        proc = run("check", ROOT / "forms" / "buergergeld", "-", stdin=json.dumps({"person": {"geburtsdatum": birth}}))
        assert proc.returncode == 1 and proc.stderr == b"", (birth, proc.stderr)
        strict_json(proc.stdout)


def test_batch_results_stay_one_line_whatever_the_answers_contain(tmp_path):
    """U+2028, U+2029 and U+0085 are legal raw in JSON strings but end a line for
    many readers (Python's splitlines): the output escapes them."""
    path = tmp_path / "form.json"
    path.write_text(json.dumps(OK))
    batch = tmp_path / "a.jsonl"
    batch.write_bytes('{"a": "x\u2028y"}\n{"a": "x\u0085y\u2029"}\n{"a": "ok"}\n'.encode("utf-8"))
    proc = run("check", path, "--batch", batch)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.decode("utf-8").splitlines()
    assert len(lines) == 3
    assert [strict_json(line.encode())["answers"]["a"] for line in lines] == ["x\u2028y", "x\u0085y\u2029", "ok"]


@pytest.mark.parametrize("ref, words", [
    ("#/$defs/nope", "'/$defs/nope' does not exist in that document"),
    ("other.json", "no such document in the form"),
    ("https://example.invalid/x.json", "no such document in the form"),
])
def test_unresolvable_refs_are_named_plainly(tmp_path, ref, words):
    path = tmp_path / "form.json"
    path.write_text(json.dumps({"type": "object", "properties": {"a": {"$ref": ref}}}))
    proc = run("check", path, "-", stdin="{}")
    assert_names(proc, "form.json", words, repr(ref))
    assert "{'" not in proc.stderr.decode()


def test_test_reports_malformed_expectations_per_case(tmp_path):
    folder = tmp_path / "f"
    (folder / "cases").mkdir(parents=True)
    (folder / "form.json").write_text(json.dumps(OK))
    cases = {"a": {"answers": {}, "expect": {"relevant": 5}}, "b": {"answers": {}, "as_of": "nope"},
             "c": {"answers": {}, "expect": "x"}, "d": {"answers": {}, "expect": {"valid": True}}}
    for name, case in cases.items():
        (folder / "cases" / f"{name}.json").write_text(json.dumps(case))
    proc = run("test", folder)
    out = proc.stdout.decode()
    assert proc.returncode == 1 and proc.stderr == b"", proc.stderr
    assert "FAIL a\n     'expect' is malformed" in out
    assert "FAIL b\n     'as_of' must be a date YYYY-MM-DD, got 'nope'" in out
    assert "FAIL c\n     'expect' must be an object" in out
    assert "PASS d" in out and "1 of 4 cases pass" in out


def test_a_form_folder_refers_to_files_in_its_subfolders(tmp_path):
    """``$ref: "parts/adresse.json"`` resolves against the form folder's own
    subfolders; the example cases are not read as resources."""
    folder = tmp_path / "form"
    (folder / "parts").mkdir(parents=True)
    (folder / "cases").mkdir()
    (folder / "cases" / "broken.json").write_text("{not json")
    (folder / "parts" / "adresse.json").write_text(json.dumps(
        {"type": "object", "properties": {"plz": {"type": "string", "pattern": "^[0-9]{5}$"}}, "required": ["plz"]}))
    (folder / "form.json").write_text(json.dumps(
        {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
         "properties": {"adresse": {"$ref": "parts/adresse.json"}}, "required": ["adresse"]}))
    good = run("check", folder, "-", stdin='{"adresse": {"plz": "12345"}}')
    assert good.returncode == 0, good.stderr
    bad = run("check", folder, "-", stdin='{"adresse": {"plz": "1"}}')
    assert bad.returncode == 1 and json.loads(bad.stdout)["errors"][0]["path"] == "/adresse/plz"


def test_a_form_with_numbers_below_a_double_is_a_valid_schema(tmp_path):
    """The meta-schema check reads the form's numbers as decimals, as the engine
    does: ``multipleOf: 1e-400`` is positive, not 0.0."""
    form = tmp_path / "tiny.json"
    form.write_text('{"$schema": "%s", "type": "object", "properties": {'
                    '"w": {"type": "number", "multipleOf": 1e-400}, '
                    '"x": {"type": "number", "exclusiveMinimum": 1e-400}}}' % S)
    ok = run("check", form, "-", stdin='{"w": 0.5, "x": 1}')
    assert ok.returncode == 0, ok.stderr
    low = run("check", form, "-", stdin='{"x": 0}')
    assert low.returncode == 1 and json.loads(low.stdout)["errors"][0]["code"] == "exclusiveMinimum"
