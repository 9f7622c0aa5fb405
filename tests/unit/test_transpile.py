"""CEL expressions as Python closures (``plausibility.transpile``) against the
CEL library itself: wherever the closure gives a value it is CEL's value, of
CEL's type; wherever CEL fails the closure steps aside (``Fallback``), so the
library decides and words the error. Checked on fixed cases, on every
expression of the bundled forms with random answers, and on random
expressions with random answers (hypothesis)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import cel
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from plausibility import FUNCTION_NAMES, Evaluator, compile_expression
from plausibility.expressions import to_cel
from plausibility.functions import functions
from plausibility.transpile import Answer, Fallback, Unsupported, result, transpile

ROOT = Path(__file__).resolve().parents[2]
DAY = date(2026, 11, 24)
TABLE = functions(DAY)
FALLBACK, ERROR = object(), object()  # the closure stepped aside; CEL failed


def by_cel(source: str, self_value, root=None):
    context = cel.Context()
    for name, function in TABLE.items():
        context.add_function(name, function)
    context.add_variable("self", to_cel(self_value))
    context.add_variable("root", to_cel(root if root is not None else {}))
    try:
        return cel.compile(source).execute(context)
    except Exception:
        return ERROR


def by_closure(source: str, self_value, root=None):
    fast = transpile(source, FUNCTION_NAMES)
    try:
        return result(fast({"self": Answer(self_value), "root": Answer(root if root is not None else {}), "$f": TABLE}))
    except Fallback:
        return FALLBACK


def same(a, b) -> bool:
    """Equal values of the same types all the way down (1 and 1.0 differ, as do True and 1)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and a != a:
        return b != b
    return a == b


def agrees(source: str, self_value, root=None) -> str:
    """'value' when both give the same value, 'fallback' when the closure steps aside."""
    expected = by_cel(source, self_value, root)
    got = by_closure(source, self_value, root)
    if got is FALLBACK:
        return "fallback"
    assert expected is not ERROR, f"{source!r} on {self_value!r}, {root!r}: CEL fails, the closure says {got!r}"
    assert same(got, expected), f"{source!r} on {self_value!r}, {root!r}: CEL {expected!r}, closure {got!r}"
    return "value"


FIXED = [
    ("15.0 >= 15", {}), ("15 >= 15.0", {}), ("15.0 == 15", {}), ("1.0 + 1", {}), ("'a' == 1", {}),
    ("null == 'a'", {}), ("true == 1", {}), ("self.x != 'a'", {"x": None}), ("self.x == null", {"x": None}),
    ("false && 5", {}), ("5 && false", {}), ("true && 5", {}), ("5 || true", {}), ("!5", {}),
    ("self.a", {}), ("has(self.a)", {}), ("has(self.a.b)", {}), ("has(self.a)", {"a": None}),
    ("size('äöü')", {}), ("size(self.x)", {"x": "äb"}), ("'ä' < 'b'", {}), ("int(2.7)", {}), ("int(-2.7)", {}),
    ("int(1e30)", {}), ("double(3)", {}), ("double('3.5')", {}), ("double(true)", {}),
    ("self.x[1]", {"x": [1, 2]}), ("self.x[1.0]", {"x": [1, 2]}), ("self.x[5]", {"x": [1, 2]}),
    ("self.x[-1]", {"x": [1, 2]}), ("7 / 2", {}), ("-7 / 2", {}), ("-7 % 2", {}), ("7 % -2", {}),
    ("7.0 / 0.0", {}), ("7 / 0", {}), ("7.0 % 2.0", {}), ("9223372036854775807 + 1", {}),
    ("-9223372036854775807 - 1", {}), ("self.x.exists(e, e > 1.0)", {"x": [1, 2]}),
    ("self.x.exists(e, e.a == 1.0)", {"x": [{"a": 1}, {"b": 2}]}),
    ("self.x.exists(e, e.a == 1.0)", {"x": [{"b": 1}, {"a": 1}]}),
    ("self.x.all(e, e.a == 1.0)", {"x": [{"a": 2}, {"b": 1}]}), ("self.x.map(e, e.a)", {"x": [{"a": 1.5}, {"a": 2}]}),
    ("self.x.filter(e, e > 1.0)", {"x": [1, 2, 3]}), ("'a' in ['a', 'b']", {}), ("self.x in ['a', 'b']", {"x": None}),
    ("1.0 in [1, 2]", {}), ("self.x ? 1 : 2", {"x": 1}), ("true ? 1 : 1 / 0", {}), ("self.x + 1.0", {"x": True}),
    ("'a' + 'b'", {}), ("self.x.matches('^a$')", {"x": "a\n"}), ("self.x.matches('b')", {"x": "abc"}),
    ("self.x", {"x": {"a": [1, Decimal("2.5"), None, True]}}), ("-self.x", {"x": 2}), ("1 < 'a'", {}),
    ("self.x == self.y", {"x": [1.0], "y": [1.0]}), ("{}", {}), ("size([self.x])", {"x": 1}), ("2.0 * 3", {}),
    ("self.x * 2.0", {"x": 3}), ("'abc'.size()", {}), ("self.x.size()", {"x": [1]}), ("!(self.x < 'b')", {"x": "a"}),
    ("self.x < self.y", {"x": "a", "y": 1}), ("1.5 < 2", {}), ("self.x.a", {"x": None}), ("self.x == 1.0", {"x": True}),
    ("1 + 2 * 3 == 7", {}), ("true || false && false", {}), ("!true == false", {}), ("-2 * 3", {}),
    ("1 - 2 - 3", {}), ("8 / 2 / 2", {}), ("self.x.contains('b')", {"x": "abc"}), ("self.x.startsWith(1)", {"x": "abc"}),
    ("is_future(self.d)", {"d": "2999-01-01"}), ("is_future(self.d)", {"d": "kein Datum"}),
    ("age_on(self.a, self.b) <= 50", {"a": "1980-02-29", "b": "2026-02-28"}), ("months_between(today(), self.d) < 10", {"d": "2027-01-01"}),
    ("sum(self.k.map(k, k.v))", {"k": [{"v": 1}, {"v": Decimal("2.25")}]}), ("sum(self.k.map(k, k.v))", {"k": [{"v": "x"}]}),
    ("valid_iban(self.i)", {"i": "DE89370400440532013000"}), ("self.x > 2 ? 'a' : 'b'", {"x": 3}),
    ("self.n <= double(size(self.k))", {"n": 2, "k": [1, 2]}), ("self.k[int(self.n) - 1].v >= 12.0", {"n": 2, "k": [{"v": 1}, {"v": 14}]}),
]


@pytest.mark.parametrize("source,value", FIXED)
def test_fixed_cases_agree_with_cel(source, value):
    agrees(source, value)


def _form_expressions() -> list[str]:
    found = []

    def walk(x):
        if isinstance(x, dict):
            found.extend(r["rule"] for r in x.get("x-rules") or ())
            found.extend(d["when"] for d in x.get("x-documents") or () if d.get("when"))
            if "x-compute" in x:
                found.append(x["x-compute"])
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    for path in sorted((ROOT / "forms").glob("*/form.json")):
        walk(json.loads(path.read_text(encoding="utf-8")))
    return list(dict.fromkeys(found))


FORM_EXPRESSIONS = _form_expressions()


def test_every_expression_of_the_bundled_forms_is_transpiled():
    assert len(FORM_EXPRESSIONS) > 50
    for source in FORM_EXPRESSIONS:
        transpile(source, FUNCTION_NAMES)
        assert compile_expression(source, dict.fromkeys(FUNCTION_NAMES)).fast is not None


def test_what_is_not_covered_is_left_to_cel():
    for source in ("self.a.getFullYear()", "timestamp(self.a)", "self.l.exists_one(x, x)", "1u + 2u", "b'ab'",
                   "r'a' == 'a'", "{'a': 1}", "self.a.matches(self.b)", "self.a.matches('\\\\d+')", "0x10 == 16"):
        with pytest.raises(Unsupported):
            transpile(source, FUNCTION_NAMES)
        assert compile_expression(source, dict.fromkeys(FUNCTION_NAMES)).fast is None


# -- random answers for the forms' expressions -------------------------------------------

_DATES = st.sampled_from(["1980-02-29", "2026-11-24", "2026-11-25", "2030-01-01", "1900-01-01", "2026-13-01", ""])
_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 70), st.integers(-2 ** 70, 2 ** 70),
    st.decimals(min_value=-5000, max_value=5000, places=2, allow_nan=False),
    st.floats(allow_nan=False, allow_infinity=False, width=32), _DATES,
    st.sampled_from(["ledig", "verheiratet", "miete", "eigentum", "kein", "schule", "erwerbstaetigkeit",
                     "andere", "altersrente", "antragstellerin", "partnerin", "tochter", "maennlich", "ä",
                     "12 123456 A 123", "DE89370400440532013000", "86095742719", "10115", "a\n"]),
)
_VALUES = st.recursive(_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(["a", "alter", "art", "wert", "kontostand"]), inner,
                                                   max_size=3)), max_leaves=8)


def _paths_value(paths, draw):
    """An object holding a random value (or nothing) at each path an expression mentions."""
    obj: dict = {}
    for path in paths:
        target = obj
        for name in path[1:-1]:
            nxt = target.setdefault(name, {})
            if not isinstance(nxt, dict):
                break
            target = nxt
        else:
            if draw(st.integers(0, 9)):  # mostly answered
                target[path[-1]] = draw(_VALUES)
    return obj


def _case_sites():
    """(case name, pointer, object, settled answers, extras) of every place with
    rules or documents that the bundled forms' example cases reach."""
    from engine import compile_form

    for folder in sorted((ROOT / "forms").iterdir()):
        if not (folder / "form.json").exists():
            continue
        form = compile_form(folder)
        for case in sorted((folder / "cases").glob("*.json")):
            answers = json.loads(case.read_text(encoding="utf-8"), parse_float=Decimal)["answers"]
            work, walk = form.walk(answers, DAY)
            for pointer, obj, extras in walk.sites:
                yield case.name, pointer, obj, work, extras


def _case_inputs() -> list[tuple[str, dict, dict]]:
    """(expression, self, root) of every expression at every place the example cases reach."""
    return [(e.source, obj, work) for _, _, obj, work, extras in _case_sites()
            for x in extras for e in x.group.expressions]


CASE_INPUTS = _case_inputs()


def _like(value):
    """A random value of the same kind as ``value`` (mostly), or of any kind."""
    if isinstance(value, bool):
        return st.booleans()
    if isinstance(value, (int, float, Decimal)):
        return st.one_of(st.integers(-5, 100), st.decimals(min_value=-3000, max_value=3000, places=2),
                         st.sampled_from([0, 12, 15, 25, 2000, Decimal("2000.00"), Decimal("2000.01")]))
    if isinstance(value, str):
        return st.one_of(_DATES, st.sampled_from(["ledig", "miete", "kein", "schule", "erwerbstaetigkeit", "partnerin",
                                                  "tochter", "antragstellerin", "maennlich", "12 123456 A 123",
                                                  "65 170839 J 002", "DE89370400440532013000", "86095742719", "10115"]))
    return _VALUES


def _mutated(value, paths, draw, variable):
    value = _deep(value)
    for path in paths:
        if path[0] != variable:
            continue
        target = value
        for name in path[1:-1]:
            target = target.get(name) if isinstance(target, dict) else None
        if not isinstance(target, dict):
            continue
        how = draw(st.integers(0, 9))
        if how < 4:
            continue
        if how < 8:
            target[path[-1]] = draw(_like(target.get(path[-1])))
        elif how < 9:
            target[path[-1]] = draw(_VALUES)
        else:
            target.pop(path[-1], None)
    return value


def _deep(value):
    if isinstance(value, dict):
        return {k: _deep(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_deep(v) for v in value]
    return value


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_the_forms_expressions_agree_with_cel_on_their_cases_changed_at_random(data):
    source, obj, root = data.draw(st.sampled_from(CASE_INPUTS))
    mentions = compile_expression(source, dict.fromkeys(FUNCTION_NAMES)).mentions
    agrees(source, _mutated(obj, mentions, data.draw, "self"), _mutated(root, mentions, data.draw, "root"))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_the_forms_expressions_agree_with_cel_on_random_answers(data):
    source = data.draw(st.sampled_from(FORM_EXPRESSIONS))
    expression = compile_expression(source, dict.fromkeys(FUNCTION_NAMES))
    own = [p for p in expression.mentions if p[0] == "self"]
    root_paths = [p for p in expression.mentions if p[0] == "root"]
    agrees(source, _paths_value(own, data.draw), _paths_value(root_paths, data.draw))


# -- random expressions ----------------------------------------------------------------------

_LITERALS = st.one_of(
    st.sampled_from(["0", "1", "2", "15", "9223372036854775807", "0.0", "1.0", "2.5", "1e3", "-3", "-1.5",
                     "true", "false", "null", "''", "'a'", "'b'", "'ä'", "\"x\"", "'2026-11-24'", "[]", "{}",
                     "[1, 2]", "[1.0, 'a']", "['a', 'b']"]),
)
_LEAVES = st.one_of(_LITERALS, st.sampled_from(["self.a", "self.b", "self.c", "self.l", "self.m", "root.r", "self.m.a"]))


def _expressions(leaves):
    def extend(inner):
        return st.one_of(
            st.tuples(st.sampled_from(["!", "-"]), inner).map(lambda t: f"{t[0]}({t[1]})"),
            st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=", "in", "&&", "||"]),
                      inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
            st.tuples(inner, inner, inner).map(lambda t: f"({t[0]} ? {t[1]} : {t[2]})"),
            st.tuples(st.sampled_from(["size", "double", "int"]), inner).map(lambda t: f"{t[0]}({t[1]})"),
            st.sampled_from(["has(self.a)", "has(self.m.a)", "has(root.r)"]),
            st.tuples(inner, inner).map(lambda t: f"{t[0]}[{t[1]}]"),
            st.tuples(inner, st.sampled_from(["a", "alter"])).map(lambda t: f"({t[0]}).{t[1]}"),
            st.tuples(inner, st.sampled_from(["contains", "startsWith", "endsWith"]), inner).map(
                lambda t: f"({t[0]}).{t[1]}({t[2]})"),
            inner.map(lambda x: f"({x}).matches('^[a-z]+$')"),
            st.tuples(st.sampled_from(["exists", "all", "map", "filter"]), inner).map(
                lambda t: f"self.l.{t[0]}(e, {t[1].replace('self.c', 'e')})"),
            st.tuples(inner, inner).map(lambda t: f"[{t[0]}, {t[1]}]"),
            st.tuples(st.sampled_from(["is_future", "valid_plz", "sum", "age"]), inner).map(lambda t: f"{t[0]}({t[1]})"),
        )
    return st.recursive(leaves, extend, max_leaves=6)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(_expressions(_LEAVES), st.dictionaries(st.sampled_from(["a", "b", "c", "l", "m"]), _VALUES, max_size=5),
       st.dictionaries(st.just("r"), _VALUES, max_size=1))
def test_random_expressions_agree_with_cel(source, self_value, root):
    try:
        cel.compile(source)
        transpile(source, FUNCTION_NAMES)
    except Exception:
        assume(False)
    agrees(source, self_value, root)


def test_the_evaluator_gives_the_same_outcomes_with_and_without_closures():
    """Every expression of the bundled forms on their example cases: the
    check's outcomes are those of the CEL library alone."""
    from plausibility.rules import uncached

    for name, pointer, obj, work, extras in _case_sites():
        evaluator = Evaluator(work, DAY)
        for node_extras in extras:
            group = node_extras.group
            with uncached():
                fast = group.outcomes(evaluator, obj)
            slow = tuple(_without_closure(evaluator, e, obj) for e in group.expressions)
            assert fast == slow, (name, pointer)


def _without_closure(evaluator, expression, obj):
    from dataclasses import replace

    from plausibility.errors import EvaluationError

    plain = replace(expression, fast=None, results={})
    if not evaluator.answered(plain, obj):
        return None
    try:
        return (True, evaluator.evaluate(plain, obj))
    except EvaluationError as exc:
        return (False, str(exc))


def test_anything_unforeseen_in_a_closure_is_left_to_cel():
    """A closure that fails in a way it did not foresee (here: a function
    raising something CEL reports as an error) gives CEL's outcome."""
    from plausibility.rules import ExpressionGroup

    expression = compile_expression("is_future(self.d) || self.d == 'x'", dict.fromkeys(FUNCTION_NAMES))
    assert expression.fast is not None
    group = ExpressionGroup((expression,))
    outcome = group.outcomes(Evaluator({}, DAY), {"d": "kein Datum"})
    slow = _without_closure(Evaluator({}, DAY), expression, {"d": "kein Datum"})
    assert outcome == (slow,) and slow[0] is False


def test_a_function_result_is_checked_not_copied_and_answers_in_a_value_are_converted():
    """A function's result becomes part of the closure's value as it is
    (checked, not copied: ``from_cel`` copies it afterwards); a list that
    holds answers is converted as the library would return it."""
    shared = {"a": [1.0, {"b": "x", "c": None, "d": True}], "n": 3}
    closure = transpile("f(self.x)", frozenset({"f"}))
    env = {"self": Answer({"x": 1}), "root": Answer({}), "$f": {"f": lambda value: shared}}
    assert closure(env) is shared and result(closure(env)) is shared
    listing = transpile("[self.x, self.y, 'z']", frozenset())
    value = result(listing({"self": Answer({"x": 1, "y": {"z": [Decimal("2.5")]}}), "root": Answer({}), "$f": {}}))
    assert value == [1.0, {"z": [2.5]}, "z"] and type(value[0]) is float
    # what the interpreter has no kind for: CEL decides (and words any error)
    for odd in ({1: "x"}, [2 ** 64], {"a": (1,)}, [{"b": Decimal(1)}], {"a": [1.0, date(2026, 1, 1)]}):
        with pytest.raises(Fallback):
            closure({**env, "$f": {"f": lambda value, odd=odd: odd}})
