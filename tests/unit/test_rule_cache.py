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


# -- keys only where they pay (``Keying``) ----------------------------------------------------

def test_a_cache_that_keeps_missing_stops_keying_until_a_probe_finds_something():
    from plausibility.expressions import MISS_STREAK, PROBE

    expression = compile_("self.rent <= self.limit")
    keying = expression.keying

    def rent(value):
        return Evaluator({}, DAY).evaluate(expression, {"rent": value, "limit": 600})

    for value in range(MISS_STREAK):  # new values only: every look-up misses
        assert rent(value) is True
    assert len(expression.results) == MISS_STREAK and keying.skip == PROBE - 1
    # no keys now, nothing kept: and the same results
    for value in range(1000, 1000 + PROBE - 1):
        assert rent(value) is False
    assert len(expression.results) == MISS_STREAK and keying.skip == 0
    # the probe is keyed; it misses (and is kept), so keying stays off
    assert rent(2000) is False
    assert len(expression.results) == MISS_STREAK + 1 and keying.skip == PROBE - 1
    for value in range(PROBE - 1):
        assert rent(3000 + value) is False
    # the next probe finds a kept value: keying is on again, every value is kept
    assert rent(5) is True
    assert keying.misses == 0 and keying.skip == 0
    assert rent(6000) is False and rent(6000) is False
    assert len(expression.results) == MISS_STREAK + 2 and keying.misses == 0


def test_a_kept_hit_resets_the_streak():
    from plausibility.expressions import MISS_STREAK

    expression = compile_("self.rent * 2.0")
    for value in range(3 * MISS_STREAK):  # every second look-up finds its value
        assert Evaluator({}, DAY).evaluate(expression, {"rent": value}) == Decimal(repr(value * 2.0))
        assert Evaluator({}, DAY).evaluate(expression, {"rent": value}) == Decimal(repr(value * 2.0))
    assert expression.keying.skip == 0 and len(expression.results) == 3 * MISS_STREAK


def test_failures_without_keys_are_the_same_failures():
    from plausibility.expressions import MISS_STREAK

    expression = compile_("self.a / self.b > 1.0")
    reasons = set()
    for value in range(MISS_STREAK + 5):
        with pytest.raises(EvaluationError) as caught:
            Evaluator({}, DAY).evaluate(expression, {"a": f"x{value}", "b": 2})
        reasons.add(str(caught.value))
    assert expression.keying.skip > 0 and len(reasons) == 1


def _keying_form(title="Miete"):
    from engine import compile_form

    return compile_form({  # compiled forms are kept by content: a new title, a new form
        "$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "title": title,
        "properties": {"miete": {"type": "object", "properties": {
            "kalt": {"type": "number"}, "neben": {"type": "number"}, "art": {"type": "string"}},
            "x-rules": [
                {"id": "neben", "severity": "warning", "rule": "self.neben <= self.kalt",
                 "message": {"de": "Nebenkosten {self.neben:money} über der Kaltmiete", "en": "Costs above rent"},
                 "fields": ["/neben"]},
                {"id": "hoch", "severity": "error", "rule": "self.kalt <= 2000.0",
                 "message": {"de": "Miete {self.kalt} zu hoch", "en": "Rent too high"}}],
            "x-documents": [{"id": "vertrag", "when": "self.art == 'miete'", "title": {"de": "Mietvertrag"}}]}}})


def _seen(outcome):
    return ([(i.path, i.rule, i.message, i.severity, i.confirmation) for i in (*outcome.errors, *outcome.warnings)],
            [(d.id, d.path, d.title) for d in outcome.documents])


def test_a_place_that_keeps_missing_gives_the_same_findings_without_its_key():
    """Many different applications: the place stops keying (and assembles
    its findings by their outcomes), and every check says what a check by a
    freshly compiled form says."""
    from plausibility.expressions import MISS_STREAK

    form = _keying_form("Miete (adaptive)")
    [(_, _, [extras])] = form.walk({"miete": {}}, DAY)[1].sites
    keying = extras.group.keying
    answers = [{"miete": {"kalt": 300 + i * 37, "neben": 50 + (i * 53) % 900, "art": ("miete", "eigentum")[i % 2]}}
               for i in range(120)]
    fresh = []
    for i, data in enumerate(answers):
        assert _seen(form.check(data, as_of=DAY)) == _seen(_keying_form(f"Miete {i}").check(data, as_of=DAY))
        fresh.append(keying.skip > 0)
    assert fresh[MISS_STREAK - 1] and sum(fresh) > 75  # switched off along the way (on for each probe)
    assert len(extras.group.results) == len(extras.kept) == MISS_STREAK + (120 - MISS_STREAK) // 16  # probes only
    # the same answers again and again: kept by one probe, found by the next, keyed again
    expected = _seen(_keying_form("Miete, once more").check(answers[-1], as_of=DAY))
    for _ in range(2 * 16 + 1):
        assert _seen(form.check(answers[-1], as_of=DAY)) == expected
    assert keying.misses == 0 and keying.skip == 0


def test_findings_are_assembled_once_per_kind_of_outcome():
    form = _keying_form()
    with uncached():
        first = form.check({"miete": {"kalt": 500, "neben": 100, "art": "miete"}}, as_of=DAY)
        second = form.check({"miete": {"kalt": 700, "neben": 90, "art": "miete"}}, as_of=DAY)
    # the same outcomes (every rule holds, the contract is needed): the same documents, not built again
    assert first.documents[0] is second.documents[0] and first.documents[0].title == "Mietvertrag"
    with uncached():
        worded = form.check({"miete": {"kalt": 2500, "neben": 2600, "art": "miete"}}, as_of=DAY)
        again = form.check({"miete": {"kalt": 2700, "neben": 2800, "art": "miete"}}, as_of=DAY)
    # messages are worded per check, from the values
    assert [e.message for e in worded.errors] == ["Miete 2.500 zu hoch"]
    assert [e.message for e in again.errors] == ["Miete 2.700 zu hoch"]
    assert worded.warnings[0].confirmation != again.warnings[0].confirmation


def test_only_outcomes_that_mean_the_same_when_equal_are_comparable():
    from plausibility.rules import comparable

    assert comparable((None, (True, True), (True, False), (False, "TypeError: no")))
    assert (True, 1) == (True, True)  # why: Python's equality does not see the kind
    assert not comparable(((True, 1),)) and not comparable(((True, 1.0),)) and not comparable(((True, "x"),))
    assert not comparable(((True, True), (True, Decimal(0))))


def test_a_kept_copy_is_made_in_one_pass_and_only_of_plain_values():
    from plausibility.rules import _COPY, _NotPlain, _plain_copy, _stored

    value = {"a": [1, {"b": Decimal("2.5"), "c": None}], "d": "x", "e": True}
    copy = _plain_copy(value)
    assert copy == value and copy is not value and copy["a"] is not value["a"] and copy["a"][1] is not value["a"][1]
    assert _stored(value)[2] is _COPY
    for odd in ({"a": [1, DAY]}, {1: "x"}, [{"a": {1, 2}}]):
        with pytest.raises(_NotPlain):
            _plain_copy(odd)
        kept = _stored(odd)
        assert kept[2] is not _COPY and kept[2] is not None  # pickled


def test_doubles_seen_before_become_the_same_decimals():
    from plausibility.expressions import from_cel

    assert from_cel([0.1, 0.1, 1e-7]) == [Decimal("0.1"), Decimal("0.1"), Decimal("1e-07")]
    # 0.0 and -0.0 are one key of a dict but two Decimals
    assert str(from_cel(-0.0)) == "-0.0" and str(from_cel(0.0)) == "0.0" and str(from_cel({"x": -0.0})["x"]) == "-0.0"
    for _ in range(2):
        with pytest.raises(EvaluationError):
            from_cel({"x": float("nan")})
        with pytest.raises(EvaluationError):
            from_cel([float("inf")])


def test_a_skip_count_two_threads_took_below_zero_leaves_keying_on():
    expression = compile_("self.rent <= 600.0")
    expression.keying.skip = -1  # a lost update: two threads took the last skip
    assert Evaluator({}, DAY).evaluate(expression, {"rent": 500}) is True
    assert Evaluator({}, DAY).evaluate(expression, {"rent": 500}) is True
    assert len(expression.results) == 1 and expression.keying.misses == 0
