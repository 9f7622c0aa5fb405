"""``check(section=…)`` words only the section's errors (performance), and
says exactly what the full check says about that section: the same errors,
warnings and validity, on every example case and on unfinished applications
(each case cut after one, two, … sections, as in the wizard)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from engine import compile_form

ROOT = Path(__file__).resolve().parents[2]
DAY = date(2026, 11, 24)
FORMS = sorted(p.name for p in (ROOT / "forms").iterdir() if (p / "form.json").exists())


def _answer_sets(folder: Path) -> list[dict]:
    found = []
    for case in sorted((folder / "cases").glob("*.json")):
        answers = json.loads(case.read_text(encoding="utf-8"), parse_float=Decimal)["answers"]
        found.append(answers)
        keys = list(answers)
        found.extend({k: answers[k] for k in keys[:n]} for n in range(len(keys)))
    return found


@pytest.mark.parametrize("name", FORMS)
def test_a_sections_check_says_what_the_full_check_says_about_it(name):
    form = compile_form(ROOT / "forms" / name)
    for answers in _answer_sets(ROOT / "forms" / name):
        for lang in ("de", "en"):
            full = form.check(answers, lang=lang, as_of=DAY, channel="web")
            for part in form.sections:
                own = form.check(answers, lang=lang, section=part.name, as_of=DAY, channel="web")
                errors = tuple(e for e in full.errors if part.contains(e.path))
                # a cross-field warning is about every section one of its fields is on
                warnings = tuple(w for w in full.warnings if any(part.contains(f) for f in (w.fields or (w.path,))))
                assert own.errors == errors, (part.name, answers)
                assert own.warnings == warnings
                assert own.valid == (not errors)
                assert own.relevant == full.relevant and own.pruned == full.pruned
