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
from engine.cli import main

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
