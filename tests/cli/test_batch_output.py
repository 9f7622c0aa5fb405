"""``formwerk check --batch`` writes each line's result exactly as the
general path writes it (``dumps(outcome.to_json(exact=True) | {"line": n})``, compact JSON),
whether a line is new or repeats an earlier one (kept texts), and skips blank
lines while counting them."""

import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from engine import compile_form, load_form_source
from engine._output import dumps
from engine.cli import _lines, main

FORMS = Path(__file__).resolve().parents[2] / "forms"
FOLDERS = sorted(p for p in FORMS.iterdir() if (p / "form.json").exists())


def general(outcome, line: int) -> str:
    data = outcome.to_json(exact=True)
    data["line"] = line
    return dumps(data)


def run_batch(folder: Path, text: str, binary: bool) -> tuple[int, list[str]]:
    stdin = io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8") if binary else io.StringIO(text)
    out = io.StringIO()
    status = main(["check", str(folder), "--batch", "-", "--as-of", "2026-11-25"], stdin=stdin, stdout=out)
    return status, out.getvalue().split("\n")


@pytest.mark.parametrize("binary", [True, False], ids=["bytes", "text"])
@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_every_case_twice_among_blank_lines_is_written_as_the_general_path_writes_it(folder, binary):
    form = compile_form(load_form_source(folder))
    texts = [json.dumps(json.loads(p.read_text(encoding="utf-8"))["answers"], ensure_ascii=binary)
             for p in sorted((folder / "cases").glob("*.json"))]
    lines = []
    for text in texts + texts:  # the second time from kept texts and cached results
        lines += [text, "", " \t\x0b\x0c"]
    status, written = run_batch(folder, "\n".join(lines) + "\n", binary)
    assert written[-1] == "" and len(written) - 1 == 2 * len(texts)
    verdicts = []
    for index, (text, result) in enumerate(zip([t for t in lines if t.strip()], written)):
        line = 3 * index + 1  # blank lines count
        outcome = form.check(json.loads(text, parse_float=Decimal), as_of=date(2026, 11, 25))
        assert result == general(outcome, line)
        verdicts.append(outcome.valid)
    assert status == (0 if all(verdicts) else 1)


@pytest.mark.parametrize("encoding, direct", [("utf-8", True), ("UTF8", True), ("latin-1", False)])
def test_a_binary_stdout_gets_the_same_bytes_in_the_same_order(encoding, direct):
    folder = FORMS / "buergergeld"
    cases = [json.dumps(json.loads(p.read_text(encoding="utf-8"))["answers"], ensure_ascii=False)
             for p in sorted((folder / "cases").glob("*.json"))[:3]]
    text = "\n".join([cases[0], "{bad", cases[1], "", "[1]", cases[2], cases[0]]) + "\n"
    status, as_text = run_batch(folder, text, True)
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding=encoding, errors="strict" if direct else "replace")
    out.write("")  # nothing pending in the text layer is lost or reordered
    assert (_lines(out).__name__ == "line") == direct  # straight to the buffer, or as text
    stdin = io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8")
    assert main(["check", str(folder), "--batch", "-", "--as-of", "2026-11-25"], stdin=stdin, stdout=out) == status == 2
    out.flush()
    expected = "\n".join(as_text).encode(encoding, "replace")
    assert raw.getvalue() == expected
    results = [json.loads(line) for line in as_text[:-1]]
    assert [r["line"] for r in results] == [1, 2, 3, 5, 6, 7] and "error" in results[1] and "error" in results[3]


def test_a_single_check_writes_the_same_bytes_to_a_binary_stdout(tmp_path):
    folder = FORMS / "buergergeld"
    answers = json.loads(sorted((folder / "cases").glob("*.json"))[0].read_text(encoding="utf-8"))["answers"]
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers, ensure_ascii=False), encoding="utf-8")
    as_text = io.StringIO()
    status = main(["check", str(folder), str(path), "--as-of", "2026-11-25"], stdout=as_text)
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8")
    assert main(["check", str(folder), str(path), "--as-of", "2026-11-25"], stdout=out) == status
    out.flush()
    assert raw.getvalue() == as_text.getvalue().encode("utf-8") and raw.getvalue().count(b"\n") == 1
