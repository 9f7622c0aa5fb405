"""The CLI's result writer (``engine/_output.py``, no copy of the answers) writes exactly the
text of the general path, ``dump_json(outcome.to_json(exact=True))``: same
keys and order, same separators, Decimals exactly, odd numbers as before."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from engine import compile_form, load_form_source
from engine._loading import dump_json
from engine._output import outcome_json

FORMS = Path(__file__).resolve().parents[2] / "forms"


def general(outcome, extra=None):
    data = outcome.to_json(exact=True)
    data.update(extra or {})
    return dump_json(data)


@pytest.mark.parametrize("folder", sorted(p for p in FORMS.iterdir() if (p / "form.json").exists()), ids=lambda p: p.name)
def test_every_example_case_is_written_byte_for_byte_as_before(folder):
    form = compile_form(load_form_source(folder))
    for path in sorted((folder / "cases").glob("*.json")):
        answers = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)["answers"]
        for lang in ("de", "en"):
            outcome = form.check(answers, lang=lang)
            assert outcome_json(outcome, {"line": 7}) == general(outcome, {"line": 7})
            assert outcome_json(outcome) == general(outcome)


def test_odd_values_take_the_general_path_with_the_same_text():
    form = compile_form({"type": "object", "additionalProperties": True, "properties": {"a": {"type": "string"}}})
    answers = {"a": "ä\"\\\n\u2028", "x": [Decimal("1E+400"), Decimal("-0.10"), 2.5, None, True, {"n": Decimal("7")}],
               "y": {"deep": [[Decimal("1.5")]]}, "z": 10 ** 30}
    outcome = form.check(answers)
    assert outcome_json(outcome, {"line": 1}) == general(outcome, {"line": 1})
    assert json.loads(outcome_json(outcome))["answers"]["x"][1] == -0.1
