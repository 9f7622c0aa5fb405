"""Lint on random forms (non-discriminated choices, `false` properties behind
conditions, recursive $defs): it never raises, and a question whose answer
switches itself off in a real check is one lint reports as not settling."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import compile_form
from engine._loading import FormSource
from engine.lint import lint_source
from tests.unit.test_properties import plausible_answers, random_forms

TRIES = (True, False, "a", "b", 1, 0.5)


def _lint(schema):
    return lint_source(FormSource(schema=json.loads(json.dumps(schema)), base_uri="file:///random/form.json"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_lint_never_raises_and_finds_every_question_that_deletes_its_own_answer(data):
    schema = data.draw(random_forms())
    findings = _lint(schema)
    assert all(f.severity in ("error", "warning") and f.message for f in findings)
    assert len(findings) == len(set(findings))  # each finding once
    reported = any(f.code == "does-not-settle" for f in findings)
    form = compile_form(schema)
    settled = form.check(data.draw(plausible_answers(schema))).answers
    for pointer in form.check(settled).relevant:
        name = pointer[1:]
        if "/" in name or name in settled:
            continue
        for value in TRIES:
            outcome = form.check({**settled, name: value})
            if pointer in outcome.pruned:
                assert reported, (pointer, value, schema)
