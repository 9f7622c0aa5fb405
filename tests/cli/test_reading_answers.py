"""Reading an answers line (``parse_answers``), as the CLI and ``--batch`` do:
the quick paths for ordinary numbers and shallow answers refuse and accept
exactly what the general checks do."""

import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine._loading import (_ANSWERS_DECODER, MAX_DEPTH, _NUMBER_LIMIT, _SMALLEST, _answer_number, depth_exceeds,
                             parse_answers, parse_json)
from engine.errors import AnswersError


def nested_depth(value) -> int:
    """Levels of objects and arrays (a scalar: 0), written plainly."""
    if type(value) is dict:
        return 1 + max((nested_depth(v) for v in value.values()), default=0)
    if type(value) is list:
        return 1 + max((nested_depth(v) for v in value), default=0)
    return 0


_json = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=3),
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=2), inner, max_size=3),
                     max_leaves=40)


@settings(max_examples=300, deadline=None)
@given(_json, st.integers(0, 12))
def test_depth_exceeds_counts_levels_of_objects_and_arrays(value, limit):
    assert depth_exceeds(value, limit) == (nested_depth(value) > limit or limit < 1)


def chain(depth: int, width: int = 0) -> dict:
    """``depth`` levels of objects, with ``width`` siblings at each level."""
    value: dict = {}
    for _ in range(depth - 1):
        value = {"x": value, **{f"s{i}": [i, "v"] for i in range(width)}}
    return value


@pytest.mark.parametrize("depth", [MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1])
def test_answers_deeper_than_the_limit_are_refused_even_among_many_brackets(depth):
    text = json.dumps({"many": [{} for _ in range(3 * MAX_DEPTH)], "deep": chain(depth - 1, 1)})
    if depth > MAX_DEPTH:
        with pytest.raises(AnswersError, match="nested too deeply"):
            parse_answers(text, "line 3")
    else:
        assert parse_answers(text, "line 3")["many"] == [{}] * (3 * MAX_DEPTH)


def number_is_readable(text: str) -> bool:
    magnitude = abs(Decimal(text))  # Decimal reads these exactly (no context rounding)
    return not (magnitude > _NUMBER_LIMIT or (magnitude and magnitude < _SMALLEST))


@pytest.mark.parametrize("text", [
    "0.5", "-0.0", "1820.37", "0." + "0" * 296 + "1", "9" * 296 + ".5", "-" + "9" * 298 + ".5",
    "1" * 299 + ".0", "1" * 320 + ".0", "0." + "0" * 320 + "1", "1.5e308", "1.8e308", "-1.8E+308", "2e-308",
    "2.2250738585072014e-308", "1.7976931348623157e308", "1.7976931348623158e308", "0e-999999", "1e-7", "4.9E-324",
])
def test_numbers_with_a_fraction_or_an_exponent_are_read_exactly_or_refused_plainly(text):
    answers_text = '{"n": ' + text + "}"
    if number_is_readable(text):
        number = parse_answers(answers_text)["n"]
        assert isinstance(number, Decimal) and str(number) == str(Decimal(text))
    else:
        with pytest.raises(AnswersError, match="outside the range of numbers formwerk can write back"):
            parse_answers(answers_text)


@settings(max_examples=300, deadline=None)
@given(st.integers(-10 ** 330, 10 ** 330), st.integers(0, 340), st.sampled_from(["", "e", "E+", "e-"]), st.integers(0, 400))
def test_random_numbers_are_read_as_their_exact_decimal_or_refused(mantissa, places, marker, exponent):
    digits = str(abs(mantissa)).rjust(places + 1, "0")
    text = ("-" if mantissa < 0 else "") + (digits[:-places] + "." + digits[-places:] if places else digits)
    if marker:
        text += marker + str(exponent)
    if "." not in text and not marker:
        return  # an integer: read as int
    answers_text = '{"n": ' + text + "}"
    if number_is_readable(text):
        assert parse_answers(answers_text)["n"] == Decimal(text)
    else:
        with pytest.raises(AnswersError, match="outside the range"):
            parse_answers(answers_text)


@pytest.mark.parametrize("text", [
    '{"a": 1.5, "b": [true, null, "ä\\u00e4"]}', '\ufeff{"a": 1}', '{"a": NaN}', '{"a": -Infinity}', '{"a": 1e400}',
    '{"a": 1', '{"a": 1} x', '  {"a": 1}  ', "", "[]", '{"a": "\\ud800"}', '{"a": ' + "1" * 4301 + "}",
    '{"a": 0.' + "0" * 400 + '1}', '{"a": "\x01"}',
])
def test_the_prebuilt_decoder_reads_and_refuses_as_json_loads_does(text):
    def read(**kwargs):
        try:
            return parse_json(text, AnswersError, "answers", parse_float=_answer_number, **kwargs)
        except AnswersError as exc:
            return str(exc)

    assert read(decoder=_ANSWERS_DECODER) == read()
