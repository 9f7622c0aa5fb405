"""Conditions answered in Python (``engine._graph._fast_predicate`` with a
fallback): number bounds and nested object conditions give exactly what the
jsonschema-rs validator gives, which is what the walk used before for them."""

from decimal import Decimal

import jsonschema_rs
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import _regex
from engine._graph import MISSING, _bound_test, _fast_predicate


def _double_exact_number(value) -> bool:
    """An int or finite Decimal that a double holds exactly, within ±2**53."""
    if type(value) is int:
        return -(2 ** 53) <= value <= 2 ** 53
    return (type(value) is Decimal and value.is_finite() and abs(value) <= 2 ** 53
            and Decimal(float(value)) == value)


def test_a_bound_where_a_double_rounds_is_left_to_the_validator():
    """9007199254740993.0 read as a double is 2**53: answered in Python exactly it
    would take the other branch than jsonschema-rs, which validates the answers
    (relevance and validation would disagree)."""
    schema = {"properties": {"n": {"minimum": 2 ** 53 + 1}}, "required": ["n"]}
    assert _fast_predicate(schema, _validator_test(schema)) is None
    schema = {"properties": {"n": {"minimum": 2 ** 53}}, "required": ["n"]}
    slow = _validator_test(schema)
    fast = _fast_predicate(schema, slow)
    for value in (Decimal("9007199254740993.0"), 2 ** 53 + 1, Decimal("9007199254740991.5"), 2 ** 53 - 1):
        assert fast({"n": value}) == slow({"n": value}), value


def _validator_test(schema):
    validator = jsonschema_rs.Draft202012Validator(schema, validate_formats=True, keywords=_regex.RS_KEYWORDS,
                                                   formats=_regex.RS_FORMATS)
    return lambda value: value is not MISSING and validator.is_valid(value)


def _counting(test):
    calls = []

    def counted(value):
        calls.append(value)
        return test(value)
    return counted, calls


_BOUND_VALUES = st.one_of(
    st.integers(-20, 40), st.integers(), st.sampled_from([0, 14, 15, 24, 25, -1]),
    st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-100, max_value=100),
    st.sampled_from([Decimal("14"), Decimal("14.0"), Decimal("14.000000000000000000001"), Decimal("1E+1"),
                     Decimal("-0"), Decimal("15E-1"), Decimal("1E+400"), Decimal("-1E+400")]),
    # where a double rounds: ints and Decimals just beyond 2**53
    st.sampled_from([2 ** 53, 2 ** 53 + 1, -(2 ** 53) - 1, 2 ** 64 + 1, Decimal(2 ** 53 + 1), Decimal("9007199254740993.0"),
                     Decimal("9007199254740992.0"), Decimal("0.1")]),
)
_PROBES = st.one_of(
    _BOUND_VALUES, st.floats(allow_nan=False, allow_infinity=False), st.sampled_from([14.0, 14.5, 15.0, -0.0]),
    st.booleans(), st.none(), st.text(max_size=3), st.just([]), st.just({}), st.just([1, 2]), st.just({"a": 1}),
    st.sampled_from([Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity")]),
)
_KEYWORDS = st.sampled_from(["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"])


@settings(max_examples=300, deadline=None)
@given(bounds=st.dictionaries(_KEYWORDS, _BOUND_VALUES, min_size=1, max_size=3), value=_PROBES)
def test_number_bounds_agree_with_the_validator(bounds, value):
    schema = {"properties": {"alter": bounds}, "required": ["alter"]}
    slow = _validator_test(schema)
    fallback, calls = _counting(slow)
    fast = _fast_predicate(schema, fallback)
    if fast is None:  # a bound no double holds exactly: the validator decides, as before
        assert any(not _double_exact_number(b) for b in bounds.values())
        return
    for probe in (value, {"alter": value}, {"alter": value, "other": 1}, {"other": value}, MISSING, [value]):
        if probe is not MISSING and type(probe) is Decimal and not probe.is_finite():
            continue  # (not JSON: a validator cannot take it at the top)
        assert fast(probe) == slow(probe), (schema, probe)
    # numbers every reading agrees on never reach the validator
    if _double_exact_number(value):
        assert not any(isinstance(c, dict) and c.get("alter") is value for c in calls)


def test_floats_and_non_finite_numbers_go_to_the_validator():
    schema = {"properties": {"alter": {"maximum": 14}}, "required": ["alter"]}
    fallback, calls = _counting(_validator_test(schema))
    fast = _fast_predicate(schema, fallback)
    assert fast({"alter": 14}) is True and fast({"alter": 15}) is False and fast({"alter": Decimal("14.5")}) is False
    assert calls == []
    # a Decimal no double holds, and floats: the validator's reading decides
    assert fast({"alter": Decimal("14.000000000000000000001")}) is False and len(calls) == 1
    assert fast({"alter": 14.0}) is True and fast({"alter": 14.5}) is False
    assert len(calls) == 3
    assert fast({"alter": Decimal("NaN")}) == fallback({"alter": Decimal("NaN")})


def test_bounds_of_other_kinds_are_left_to_the_validator():
    assert _bound_test({"maximum": 1.5}) is None
    assert _bound_test({"maximum": True}) is None
    assert _bound_test({"maximum": Decimal("NaN")}) is None
    assert _bound_test({"maximum": 1, "type": "integer"}) is None
    assert _bound_test({}) is None
    # without a fallback (the graph always gives one) bounds are not answered in Python
    assert _fast_predicate({"properties": {"alter": {"maximum": 14}}, "required": ["alter"]}) is None


_NESTED = st.fixed_dictionaries({
    "const": st.sampled_from([True, False, "ja", None, 1]),
    "typed": st.booleans(), "inner_typed": st.booleans(), "required": st.booleans(),
    "bound": st.one_of(st.none(), st.dictionaries(_KEYWORDS, st.integers(-2, 30), min_size=1, max_size=2)),
})
_INNER = st.one_of(_PROBES, st.dictionaries(st.sampled_from(["p", "q", "alter"]), _PROBES, max_size=3))


@settings(max_examples=300, deadline=None)
@given(shape=_NESTED, value=st.one_of(_INNER, st.dictionaries(st.sampled_from(["haushalt", "x"]), _INNER, max_size=2)))
def test_nested_object_conditions_agree_with_the_validator(shape, value):
    inner = {"properties": {"p": {"const": shape["const"]}}, "required": ["p"] if shape["required"] else []}
    if shape["bound"] is not None:
        inner["properties"]["alter"] = shape["bound"]
    if shape["inner_typed"]:
        inner["type"] = "object"
    schema = {"properties": {"haushalt": inner}, "required": ["haushalt"]}
    if shape["typed"]:
        schema["type"] = "object"
    slow = _validator_test(schema)
    fast = _fast_predicate(schema, slow)
    assert fast is not None
    for probe in (value, {"haushalt": value}, MISSING):
        if _has_non_finite(probe):
            continue
        assert fast(probe) == slow(probe), (schema, probe)


def _has_non_finite(value):
    if type(value) is Decimal:
        return not value.is_finite()
    if isinstance(value, dict):
        return any(_has_non_finite(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_non_finite(v) for v in value)
    return False
