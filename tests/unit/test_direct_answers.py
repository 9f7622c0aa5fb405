"""Direct calls (``f(self)``, ``age(self.x)``) made without the CEL conversions
where they change nothing: ``Evaluator._call`` gives exactly what
``from_cel(function(to_cel(declared_part(function, value))))`` gives, the
estimate's ``answer`` exactly ``from_cel`` of its JSON (types, Decimal
exponents and key order included), and failures the same words."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plausibility.errors import EvaluationError
from plausibility.expressions import compile_expression, from_cel, to_cel
from plausibility.functions import NAMES, declared_part, functions
from plausibility.rules import Evaluator

FORMS = Path(__file__).resolve().parents[2] / "forms"
DAYS = [date(2026, 11, 25), date(2025, 1, 1), date(2027, 7, 31)]


def _exact(value):
    """The value with every type and Decimal exponent spelled out, keys in order."""
    if isinstance(value, dict):
        return ("dict", [(k, _exact(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [_exact(v) for v in value])
    if isinstance(value, Decimal):
        return ("Decimal", str(value), value.as_tuple())
    return (type(value).__name__, repr(value))


def _reference(evaluator, expression, self_value):
    """``Evaluator._call`` as it was: everything through to_cel and from_cel."""
    name, variable, path = expression.direct
    value = self_value if variable == "self" else evaluator.root
    for key in path:
        value = value[key]
    function = evaluator.functions[name]
    try:
        return _exact(from_cel(function(to_cel(declared_part(function, value)))))
    except (TypeError, ValueError, LookupError, ArithmeticError) as exc:
        return ("error", f"RuntimeError: Function '{name}' error: {type(exc).__name__}: {exc}")


def _direct(evaluator, expression, self_value):
    try:
        return _exact(evaluator._call(expression, self_value))
    except EvaluationError as exc:
        return ("error", str(exc))


def _cases(form):
    for path in sorted((FORMS / form / "cases").glob("*.json")):
        yield path.stem, json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)["answers"]


@pytest.mark.parametrize("day", DAYS)
def test_the_application_estimate_as_a_direct_call(day):
    expression = compile_expression("buergergeld_schaetzung_antrag(self)", NAMES)
    assert expression.direct is not None
    checked = 0
    for name, answers in _cases("buergergeld"):
        evaluator = Evaluator(answers, day)
        assert _direct(evaluator, expression, answers) == _reference(evaluator, expression, answers), name
        checked += 1
    assert checked >= 10


def test_the_answer_is_from_cel_of_the_json_on_every_case():
    function = functions(DAYS[0])["buergergeld_schaetzung_antrag"]
    for name, answers in _cases("buergergeld"):
        argument = to_cel(declared_part(function, answers))
        first = function.answer(argument)
        assert _exact(first) == _exact(from_cel(function(argument))), name
        assert _exact(function.answer(argument)) == _exact(first)  # the second time from the kept amounts


def test_the_answer_fails_as_the_function_does():
    function = functions(DAYS[0])["buergergeld_schaetzung_antrag"]
    with pytest.raises(TypeError) as direct:
        function.answer([1])
    with pytest.raises(TypeError) as general:
        function([1])
    assert str(direct.value) == str(general.value)
    expression = compile_expression("buergergeld_schaetzung_antrag(self.person)", NAMES)
    answers = {"person": "not a map"}
    evaluator = Evaluator(answers, DAYS[0])
    assert _direct(evaluator, expression, answers) == _reference(evaluator, expression, answers)
    assert _direct(evaluator, expression, answers)[0] == "error"


_SCALARS = st.one_of(st.none(), st.booleans(), st.text(max_size=12), st.integers(-10**20, 10**20),
                     st.floats(allow_nan=False), st.decimals(allow_nan=False, allow_infinity=False, places=3),
                     st.sampled_from(["2000-02-29", "1990-13-01", "2024-01-01T10:00:00", "1958-06-30", "x"]))


@settings(max_examples=200, deadline=None)
@given(value=st.one_of(_SCALARS, st.lists(_SCALARS, max_size=3), st.dictionaries(st.text(max_size=3), _SCALARS,
                                                                                   max_size=3)),
       source=st.sampled_from(["age(self.x)", "is_date(self.x)", "valid_iban(self.x)", "valid_plz(self.x)",
                               "is_future(self.x)", "buergergeld_altersgrenze_erreicht(self.x)",
                               "buergergeld_ausgeschlossen(self.x)", "buergergeld_schaetzung_antrag(self.x)",
                               "buergergeld_entbindungsmonat_vorbei(self.x)", "round(self.x)", "sum(self.x)"]))
def test_direct_calls_of_any_value_agree_with_the_conversions(value, source):
    expression = compile_expression(source, NAMES)
    assert expression.direct is not None
    answers = {"x": value}
    evaluator = Evaluator(answers, DAYS[0])
    assert _direct(evaluator, expression, answers) == _reference(evaluator, expression, answers)
