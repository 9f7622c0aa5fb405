"""Plausibility results kept by the values an expression reads
(``plausibility.rules``): a kept result is exactly what a fresh evaluation
gives, a changed input, type or reference date is never answered from the
cache, and the expressions of one place share a context without seeing each
other's failures."""

from datetime import date
from decimal import Decimal

import pytest

from plausibility import EvaluationError, Evaluator, FUNCTION_NAMES, compile_expression
from plausibility.rules import ExpressionGroup, cache_key, uncached

DAY = date(2026, 11, 24)


def compile_(source):
    return compile_expression(source, dict.fromkeys(FUNCTION_NAMES))


def test_a_changed_answer_is_evaluated_again():
    expression = compile_("self.rent <= self.limit")
    assert Evaluator({}, DAY).evaluate(expression, {"rent": 500, "limit": 600}) is True
    assert Evaluator({}, DAY).evaluate(expression, {"rent": 700, "limit": 600}) is False
    assert Evaluator({}, DAY).evaluate(expression, {"rent": 500, "limit": 600}) is True
    assert len(expression.results) == 2


def test_true_and_one_are_different_inputs():
    # CEL sees 1 as the double 1.0 and true as a bool, which is not equal to 1.0
    expression = compile_("self.x == 1.0")
    assert Evaluator({}, DAY).evaluate(expression, {"x": 1}) is True
    assert Evaluator({}, DAY).evaluate(expression, {"x": True}) is False
    assert cache_key(True) != cache_key(1) and cache_key(1) == cache_key(Decimal("1.0")) == cache_key(1.0)


def test_failures_are_kept_and_raised_again():
    expression = compile_("self.a / self.b > 1.0")
    for _ in range(2):
        with pytest.raises(EvaluationError):
            Evaluator({}, DAY).evaluate(expression, {"a": "x", "b": 2})


def test_the_reference_date_is_part_of_the_key():
    expression = compile_("age(self.born)")
    assert Evaluator({}, date(2026, 11, 24)).evaluate(expression, {"born": "2016-11-25"}) == 9
    assert Evaluator({}, date(2026, 11, 25)).evaluate(expression, {"born": "2016-11-25"}) == 10


def test_whole_objects_and_root_paths_are_keys_too():
    whole = compile_("size(self) > 1")
    assert Evaluator({}, DAY).evaluate(whole, {"a": 1}) is False
    assert Evaluator({}, DAY).evaluate(whole, {"a": 1, "b": 2}) is True
    by_root = compile_("root.person.age >= 18.0")
    assert Evaluator({"person": {"age": 17}}, DAY).evaluate(by_root, {}) is False
    assert Evaluator({"person": {"age": 18}}, DAY).evaluate(by_root, {}) is True


def test_a_kept_object_result_is_handed_out_as_a_copy():
    expression = compile_("{'total': self.a + self.b, 'parts': [self.a, self.b]}")
    first = Evaluator({}, DAY).evaluate(expression, {"a": 1, "b": 2})
    first["total"] = "changed"
    first["parts"].append(99)
    assert Evaluator({}, DAY).evaluate(expression, {"a": 1, "b": 2}) == {"total": Decimal("3.0"), "parts": [1, 2]}


def test_uncached_evaluates_afresh_and_agrees():
    expression = compile_("self.rent * 1.2")
    kept = Evaluator({}, DAY).evaluate(expression, {"rent": 500})
    with uncached():
        assert Evaluator({}, DAY).evaluate(expression, {"rent": 500}) == kept


def test_expressions_of_one_place_share_a_context_but_not_their_failures():
    sources = ["self.a > 1.0", "self.a / self.missing_b > 1.0", "has(self.c) && self.c == 'x'",
               "self.d.exists(x, x > 2.0)", "valid_plz(self.plz)"]
    group = ExpressionGroup(tuple(compile_(s) for s in sources))
    obj = {"a": 2, "c": "x", "d": [1, 3], "plz": "0410"}
    outcomes = group.outcomes(Evaluator({"a": 1}, DAY), obj)
    assert outcomes[0] == (True, True)
    assert outcomes[1] is None  # an input is unanswered: the rule does not fire
    assert outcomes[2] == (True, True) and outcomes[3] == (True, True)
    assert outcomes[4] == (True, False)
    # each alone, in a context of its own, says the same; so does the kept result
    for source, outcome in zip(sources, outcomes):
        assert ExpressionGroup((compile_(source),)).outcomes(Evaluator({"a": 1}, DAY), obj) == (outcome,)
    assert group.outcomes(Evaluator({"a": 1}, DAY), obj) == outcomes
    with uncached():
        assert group.outcomes(Evaluator({"a": 1}, DAY), obj) == outcomes
    failing = ExpressionGroup((compile_("self.a > 1.0"), compile_("self.a + self.s > 1.0")))
    first, second = failing.outcomes(Evaluator({}, DAY), {"a": 2, "s": "text"})
    assert first == (True, True) and second[0] is False and "unsupported operation" in second[1].lower()
