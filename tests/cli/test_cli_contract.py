"""Issue 9: no input crashes the CLI (DESIGN, "The CLI contract").

Every case runs ``python -m engine`` in a subprocess: exit 2 with exactly one
line on stderr naming the form or the answers, never a traceback; stdout is
always valid JSON (RFC 8259: no NaN, no Infinity) when there is any.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
S = "https://json-schema.org/draft/2020-12/schema"

FORM = {
    "$schema": S, "type": "object", "title": "Test",
    "properties": {
        "name": {"type": "string", "title": "Name", "pattern": r"^[\p{L} .'-]+$"},
        "free": {"type": "object", "title": "Frei", "additionalProperties": True},
        "n": {"type": "number", "title": "Zahl"},
    },
    "required": ["name"],
}


def run(*args, stdin: bytes | str | None = None):
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    return subprocess.run([sys.executable, "-m", "engine", *map(str, args)], input=data,
                          capture_output=True, cwd=ROOT, timeout=60)


def strict_json(text: bytes):
    return json.loads(text.decode("utf-8"), parse_constant=lambda c: pytest.fail(f"not JSON: {c}"))


def assert_unreadable(proc, names: str):
    stderr = proc.stderr.decode("utf-8")
    assert proc.returncode == 2, (proc.returncode, stderr)
    assert "Traceback" not in stderr and stderr.count("\n") == 1 and stderr.startswith("formwerk: "), stderr
    assert names in stderr, stderr
    # stdout is valid JSON even then (DESIGN): the same reason, in a batch line's shape
    assert strict_json(proc.stdout) == {"valid": False, "error": stderr.strip().removeprefix("formwerk: ")}


@pytest.fixture(scope="module")
def form_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("form") / "form.json"
    path.write_text(json.dumps(FORM))
    return path


def nested(depth: int) -> str:
    return '{"name": "A", "free": ' + '{"x": ' * depth + "1" + "}" * depth + "}"


@pytest.mark.parametrize("stdin", [
    '{"name": "A", "n": ' + "1" * 4301 + "}",
    '{"name": "\\ud800"}',
    '{"\\ud800": 1, "name": "A"}',
    nested(500), nested(950), nested(5000),
    '{"name": "A", "n": NaN}', '{"name": "A", "n": Infinity}', '{"name": "A", "n": -Infinity}',
    '{"name": "A", "n": 1e400}', '{"name": "A", "n": -1e400}',
    b'{"name": "\xff"}', b'\xef\xbb\xbf{"name": "A"}', "", "null", "[]", '"x"',
], ids=lambda s: repr(s)[:30])
def test_unreadable_answers_exit_2_with_one_line(form_file, stdin):
    assert_unreadable(run("check", form_file, "-", stdin=stdin), "answers")


@pytest.mark.parametrize("number", ["1e999999999", "-1e999999999", "1e99999999999999999999", "1e-999999999"])
def test_numbers_with_extreme_exponents_are_named_plainly(form_file, number):
    """Decimal's traps (Overflow, InvalidOperation) and its rounding of tiny
    magnitudes to 0 must not reach the reason, nor let a number through."""
    proc = run("check", form_file, "-", stdin='{"name": "A", "n": ' + number + "}")
    assert_unreadable(proc, "answers")
    assert "<class" not in proc.stderr.decode() and "outside the range" in proc.stderr.decode()


def test_huge_but_exact_numbers_are_echoed_exactly(form_file):
    proc = run("check", form_file, "-", stdin='{"name": "A", "n": 2.5e22, "free": {"m": 0.10000000000000001}}')
    assert proc.returncode == 0
    assert b'"n":2.5E+22' in proc.stdout and b"0.10000000000000001" in proc.stdout
    strict_json(proc.stdout)


def test_answers_file_with_invalid_utf8(form_file, tmp_path):
    answers = tmp_path / "a.json"
    answers.write_bytes(b'{"name": "\xc3\x28"}')
    assert_unreadable(run("check", form_file, answers), "answers")


def test_confirmations_file_with_invalid_utf8(form_file, tmp_path):
    confirmations = tmp_path / "c.json"
    confirmations.write_bytes(b'["\xff"]')
    assert_unreadable(run("check", form_file, "-", "--confirmations", confirmations, stdin='{"name": "A"}'),
                      "confirmations")


def test_batch_reports_each_bad_line_and_goes_on(form_file):
    lines = [b'{"name": "Ana"}', nested(700).encode(), b'{"name": "\xff"}', b'{"name": NaN}',
             b'{"name": "\\ud800"}', b'{"name": "A", "n": ' + b"9" * 5000 + b"}", b'{"name": 1}', b'{"name": "Bo"}']
    proc = run("check", form_file, "--batch", "-", stdin=b"\n".join(lines) + b"\n")
    assert proc.returncode == 2 and b"Traceback" not in proc.stderr
    results = [strict_json(line) for line in proc.stdout.splitlines()]
    assert [r["line"] for r in results] == list(range(1, 9))
    assert [r["valid"] for r in results] == [True, False, False, False, False, False, False, True]
    assert all("error" in r for r in results[1:6]) and all("errors" in r for r in (results[0], results[6], results[7]))


def test_batch_of_only_readable_lines_exits_with_the_worst_verdict(form_file, tmp_path):
    batch = tmp_path / "b.jsonl"
    batch.write_text('{"name": "Ana"}\n{"name": 1}\n')
    proc = run("check", form_file, "--batch", batch)
    assert proc.returncode == 1 and len(proc.stdout.splitlines()) == 2


def deep_form(depth: int) -> dict:
    schema = {"type": "object", "properties": {}}
    cursor = schema
    for _ in range(depth):
        cursor["properties"]["a"] = {"type": "object", "properties": {}}
        cursor = cursor["properties"]["a"]
    return schema


@pytest.mark.parametrize("content", [
    json.dumps(deep_form(100)), json.dumps(deep_form(400)), "true", "[1]", '{"type": "string"}',
    '{"type": "object", "properties": {"a": {"minimum": NaN}}}', '{"properties": {"\\ud800": {}}}',
    '{"properties": {"a": {"pattern": "(unclosed"}}}', '{"properties": {"a": {"$ref": "#/nowhere"}}}',
    '{"$id": 5}', b'{"title": "\xff"}', "",
], ids=lambda s: repr(s)[:30])
def test_unusable_forms_exit_2_naming_the_form(tmp_path, content):
    path = tmp_path / "form.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    proc = run("check", path, "-", stdin="{}")
    if proc.returncode == 2:
        assert_unreadable(proc, path.name)
    else:  # a legal form: one JSON result
        assert proc.returncode in (0, 1) and b"Traceback" not in proc.stderr
        strict_json(proc.stdout)


def test_usage_errors_are_one_line(form_file):
    proc = run("check", form_file, "-", "--lang", "fr", stdin="{}")
    assert proc.returncode == 2 and proc.stderr.decode().count("\n") == 1


def test_lint_reports_a_root_that_is_not_an_object(tmp_path):
    path = tmp_path / "form.json"
    path.write_text('{"type": "array"}')
    proc = run("lint", path)
    assert proc.returncode == 1 and b"root-not-object" in proc.stdout


def test_recursive_form_checks_in_the_cli(tmp_path):
    path = tmp_path / "form.json"
    path.write_text(json.dumps({"$schema": S, "type": "object", "$defs": {"p": {
        "type": "object", "properties": {"name": {"type": "string"}, "rep": {"$ref": "#/$defs/p"}}}},
        "properties": {"person": {"$ref": "#/$defs/p"}}}))
    proc = run("check", path, "-", stdin="{}")
    assert proc.returncode == 0
    assert strict_json(proc.stdout)["relevant"] == ["/person/name", "/person/rep"]


# -- fuzzing: hypothesis-generated bytes as answers, one subprocess per example is too slow,
# so the examples go through --batch (one line each) and through the in-process entry point.

_FUZZ = settings(max_examples=25, deadline=None, derandomize=True,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["name", "free", "n", "x"]) | st.text(max_size=4),
                                                                inner, max_size=3),
    max_leaves=10)
fuzz_bytes = st.one_of(
    st.binary(max_size=200),
    json_like.map(lambda v: json.dumps(v).encode("utf-8")),
    json_like.map(lambda v: json.dumps(v, ensure_ascii=False).encode("utf-8", "surrogatepass")),
    st.lists(st.sampled_from([b"{", b"}", b"[", b"]", b'"name"', b":", b",", b'"\\ud800"', b"1e999", b"NaN",
                              b"\xff", b"-0", b"0.1", b'"a"', b"null"]), max_size=40).map(b"".join),
)


@_FUZZ
@given(st.lists(fuzz_bytes, min_size=1, max_size=25))
def test_fuzz_batch_never_prints_a_traceback(form_file, lines):
    lines = [line.replace(b"\n", b" ").replace(b"\r", b" ") for line in lines]
    proc = run("check", form_file, "--batch", "-", stdin=b"\n".join(lines) + b"\n")
    assert b"Traceback" not in proc.stderr and proc.returncode in (0, 1, 2), proc.stderr
    for line in proc.stdout.splitlines():
        result = strict_json(line)
        assert isinstance(result, dict) and "line" in result


@_FUZZ
@given(fuzz_bytes)
def test_fuzz_single_answers_never_print_a_traceback(form_file, data):
    import io

    from engine.cli import main

    class Stdin(io.TextIOWrapper):
        pass

    stdin = Stdin(io.BytesIO(data), encoding="utf-8")
    stdout = io.StringIO()
    status = main(["check", str(form_file), "-"], stdin=stdin, stdout=stdout)
    assert status in (0, 1, 2)
    result = strict_json(stdout.getvalue().encode("utf-8"))
    if status == 2:
        assert result["valid"] is False and result["error"]


def test_fuzz_single_answers_through_a_real_subprocess(form_file):
    """A sample of the fuzz corpus through the installed command itself."""
    samples = [b"\xff\xfe", b'{"name": "\\ud800"}', b"{" * 3000, b'{"n": 1e999}', b'{"name": "A", "free": [NaN]}',
               b'{"name": "A"}\x00', b'\x00', b'{"name": "A", "n": -0}']
    for data in samples:
        proc = run("check", form_file, "-", stdin=data)
        assert b"Traceback" not in proc.stderr and proc.returncode in (0, 1, 2)
        if proc.returncode == 2:
            assert_unreadable(proc, "answers")
        else:
            strict_json(proc.stdout)
