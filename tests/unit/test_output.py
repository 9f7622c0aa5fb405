"""The CLI's result writer (``engine/_output.py``, no copy of the answers) writes exactly the
text of the general path, ``dumps(outcome.to_json(exact=True))``: same keys and
order, compact separators, Decimals exactly, odd numbers as before; orjson's
writer and the standard library's fallback write the same bytes; ``dump_json``
(messages, lint) still writes what the standard library writes."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from engine import compile_form, load_form_source
from engine._loading import dump_json
from engine._output import _stdlib_dumps, dumps, outcome_json

FORMS = Path(__file__).resolve().parents[2] / "forms"


def general(outcome, extra=None):
    data = outcome.to_json(exact=True)
    data.update(extra or {})
    return dumps(data)


@pytest.mark.parametrize("folder", sorted(p for p in FORMS.iterdir() if (p / "form.json").exists()), ids=lambda p: p.name)
def test_every_example_case_is_written_byte_for_byte_as_before(folder):
    form = compile_form(load_form_source(folder))
    for path in sorted((folder / "cases").glob("*.json")):
        answers = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)["answers"]
        for lang in ("de", "en"):
            outcome = form.check(answers, lang=lang)
            assert outcome_json(outcome, {"line": 7}) == general(outcome, {"line": 7})
            assert outcome_json(outcome) == general(outcome)
            data = outcome.to_json(exact=True)
            assert dumps(data) == _stdlib_dumps(data)  # orjson and the fallback: the same bytes
            assert json.loads(dumps(data), parse_float=Decimal) == json.loads(dump_json(data), parse_float=Decimal)
            assert ", " not in dumps({"a": [1, 2]}) and dumps(data).count("\n") == 0


def test_odd_values_take_the_general_path_with_the_same_text():
    form = compile_form({"type": "object", "additionalProperties": True, "properties": {"a": {"type": "string"}}})
    answers = {"a": "ä\"\\\n\u2028", "x": [Decimal("1E+400"), Decimal("-0.10"), 2.5, None, True, {"n": Decimal("7")}],
               "y": {"deep": [[Decimal("1.5")]]}, "z": 10 ** 30}
    outcome = form.check(answers)
    assert outcome_json(outcome, {"line": 1}) == general(outcome, {"line": 1})
    assert json.loads(outcome_json(outcome))["answers"]["x"][1] == -0.1


# --- dump_json (messages, lint) against the standard library's json ---------------------------------

import collections  # noqa: E402
import enum  # noqa: E402
import re  # noqa: E402

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from engine._loading import JsonFloat  # noqa: E402
from engine._output import _written_once  # noqa: E402


def stdlib_json(value):
    """What dump_json writes: json.dumps(ensure_ascii=False),
    each finite Decimal as its str (marked, then unquoted), line breaks escaped."""
    numbers = []

    def default(o):
        if isinstance(o, Decimal) and o.is_finite():
            numbers.append(str(o))
            return f"\x00mark-{len(numbers) - 1}"
        raise TypeError(f"{type(o).__name__} is not JSON")

    text = json.dumps(value, ensure_ascii=False, allow_nan=False, default=default)
    text = re.sub(r'"\\u0000mark-(\d+)"', lambda m: numbers[int(m.group(1))], text)
    for char, escape in {"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"}.items():
        text = text.replace(char, escape)
    return text


def written(write, value):
    try:
        return write(value)
    except (TypeError, ValueError):  # both refuse (a non-finite Decimal, bytes, a set, ...)
        return "refused"


class Level(enum.IntEnum):
    HIGH = 3


class Pair(collections.namedtuple("Pair", "a b")):
    pass


class Name(str):
    pass


ODD_VALUES = [
    None, True, False, 0, -1, 10 ** 30, -10 ** 40, Level.HIGH, 0.0, -0.0, 1e16, 1e-7, 5e-324,
    1.7976931348623157e308, JsonFloat("2.50"), JsonFloat("1e22"),
    Decimal("-0"), Decimal("1E+3"), Decimal("0E-7"), Decimal("1.0"), Decimal("-0.00"), Decimal("1E+999999"),
    Decimal("2.5e22"), Decimal("0.10000000000000001"), Decimal("-1.5E-400"),
    (1, Decimal("2.0")), Pair(1, 2), Name("name\n"), {1: 2}, {1.5: 2}, {True: 1}, {None: 1}, {Level.HIGH: 1},
    {Name("k"): Decimal("7.70")}, [], {}, "", "\u2028 \u2029 \x85", "\x7f\x00\x1f\"\\/", "ä€😀",
    b"bytes", {1, 2}, object(), {(1,): 2}, float("nan"), float("-inf"), Decimal("NaN"), Decimal("-Infinity"),
]


@pytest.mark.parametrize("value", ODD_VALUES, ids=lambda v: repr(v)[:30])
def test_dump_json_writes_what_the_standard_library_wrote(value):
    assert written(dump_json, value) == written(stdlib_json, value)


def test_dump_json_escapes_every_character_as_the_standard_library():
    # every code point, in a value and in a key, beside Latin-1 and BMP characters
    text = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    for start in range(0, len(text), 4096):
        chunk = {"ä" + text[start:start + 4096]: [text[start:start + 4096], "€"]}
        assert dump_json(chunk) == stdlib_json(chunk)


_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(),
    st.decimals(allow_nan=False, allow_infinity=False), st.decimals(places=2, allow_nan=False),
    st.builds(lambda m, e: Decimal(f"{m}E{e}"), st.integers(-10 ** 20, 10 ** 20), st.integers(-400, 400)))
_values = st.recursive(_scalars, lambda inner: st.one_of(
    st.lists(inner), st.dictionaries(st.text(), inner), st.tuples(inner, inner),
    st.dictionaries(st.one_of(st.integers(), st.floats(), st.booleans(), st.none()), inner)), max_leaves=25)


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(_values)
def test_dump_json_matches_the_standard_library_on_random_values(value):
    assert written(dump_json, value) == written(stdlib_json, value)


# --- a computed object written once, in the answers and among the computed values -------------------

def test_a_computed_object_in_the_answers_is_written_once_and_the_answers_stay_untouched():
    estimate = {"zeilen": [{"amount": Decimal("563.0"), "label": "Regelbedarf € ä\u2028"}], "summe": Decimal("-0.00")}
    nested = [Decimal("1.10"), {"x": 1}]
    answers = {"a": {"b~/c": [{"d": nested}]}, "schaetzung": estimate, "n": 2}
    computed = {"/schaetzung": estimate, "/a/b~0~1c/0/d": nested, "/n": 2, "/elsewhere": {"k": 1},
                "/a/missing": [1], "/n/x": [2], "/a/b~0~1c/01/d": [3], "": {"root": 1}}
    before = json.dumps(answers, default=str)
    shared_answers, shared_computed = _written_once(answers, computed)
    assert json.dumps(answers, default=str) == before and answers["schaetzung"] is estimate
    assert shared_answers is not answers and shared_answers["n"] == 2
    assert dumps(shared_answers) == dumps(answers) == _stdlib_dumps(answers)
    assert dumps(shared_computed) == dumps(computed) == _stdlib_dumps(computed)
    assert shared_computed["/elsewhere"] is computed["/elsewhere"]  # not in the answers: written as it is
    assert list(shared_computed) == list(computed)


def test_nothing_shared_nothing_copied():
    answers, computed = {"a": {"x": 1}}, {"/a/x": 1, "/b": {"y": 2}}
    assert _written_once(answers, computed) == (answers, computed)
    assert _written_once(answers, computed)[0] is answers


def test_kept_texts_of_documents_and_relevant_questions_are_the_ones_written_fresh():
    form = compile_form(load_form_source(FORMS / "buergergeld"))
    cases = sorted((FORMS / "buergergeld" / "cases").glob("*.json"))
    outcomes = [form.check(json.loads(p.read_text(encoding="utf-8"), parse_float=Decimal)["answers"], lang=lang)
                for p in cases for lang in ("de", "en")]
    assert any(o.documents for o in outcomes)
    for outcome in outcomes + outcomes:  # the second time from the kept texts
        assert outcome_json(outcome) == general(outcome)


def test_kept_lists_of_relevant_questions_are_bounded_by_their_pointers(monkeypatch):
    import orjson

    from engine import _output

    monkeypatch.setattr(_output, "_RELEVANT", {})
    monkeypatch.setattr(_output, "_kept_pointers", 0)
    monkeypatch.setattr(_output, "_KEPT_POINTERS", 10)
    shapes = [tuple(f"/s{n}/q{i}" for i in range(4)) for n in range(5)]
    for shape in shapes + shapes:
        assert orjson.dumps(_output._relevant(shape)) == json.dumps(list(shape), separators=(",", ":")).encode()
        assert _output._kept_pointers <= 10 and sum(map(len, _output._RELEVANT)) == _output._kept_pointers
    huge = tuple(f"/q{i}" for i in range(11))
    assert orjson.dumps(_output._relevant(huge)) == json.dumps(list(huge), separators=(",", ":")).encode()
    assert huge not in _output._RELEVANT


# --- the compact writer: orjson and the standard library's fallback, byte for byte -----------------

def compact_values(value):
    """A value as the compact writer writes it, read back (Decimals for numbers with a fraction)."""
    return json.loads(dumps(value), parse_float=Decimal)


@pytest.mark.parametrize("value", ODD_VALUES, ids=lambda v: repr(v)[:30])
def test_orjson_and_the_fallback_write_the_same_bytes(value):
    assert written(dumps, value) == written(_stdlib_dumps, value)
    if written(dump_json, value) != "refused":  # the same values as the spaced text, in the same order
        assert compact_values(value) == json.loads(dump_json(value), parse_float=Decimal)
        assert ", " not in dumps(value).replace('"name\\n"', "")


def test_odd_values_are_written_compactly_and_exactly():
    assert dumps({"a": [Decimal("1E+3"), Decimal("-0"), Decimal("1e-400"), Decimal("0.10")], "b": {"c": None}}) \
        == '{"a":[1E+3,-0,1E-400,0.10],"b":{"c":null}}'
    assert dumps([10 ** 30, -2 ** 63, 2 ** 64 - 1, 2 ** 64]) == f"[{10 ** 30},{-2 ** 63},{2 ** 64 - 1},{2 ** 64}]"
    assert dumps({1: "x", "s": "ä€😀\u2028\u2029\x85\x00\x1f\x7f"}) == '{"1":"x","s":"ä€😀\\u2028\\u2029\\u0085\\u0000\\u001f\x7f"}'
    assert dumps([float("nan"), float("inf"), JsonFloat("2.50"), Pair(1, Decimal("2.0"))]) == "[null,null,2.5,[1,2.0]]"
    for bad in (b"bytes", {1, 2}, object(), Decimal("NaN"), [Decimal("-Infinity")], Decimal("NaN123")):
        assert written(dumps, bad) == written(_stdlib_dumps, bad) == "refused"
    loop: list = []
    loop.append(loop)
    with pytest.raises(ValueError, match="Circular"):
        dumps(loop)


@pytest.mark.parametrize("number", [1e16, 1e15, 1e-7, 1.5e-5, 1e-4, 5e-324, 1.7976931348623157e308, -0.0, 0.1 + 0.2 - 0.3,
                                    123456789012345678.0, 2.5e-4])
def test_floats_are_written_alike_by_both_and_read_back_as_the_same_double(number):
    for value in (number, [number], {"k": number}, [number, 10 ** 30]):  # the last one: the fallback
        assert dumps(value) == _stdlib_dumps(value)
    assert float(dumps(number)) == number and str(float(dumps(number))) == repr(number)


def test_every_character_is_written_alike_by_both():
    text = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    for start in range(0, len(text), 4096):
        chunk = {"ä" + text[start:start + 4096]: [text[start:start + 4096], "€"]}
        assert dumps(chunk) == _stdlib_dumps(chunk)
        assert json.loads(dumps(chunk)) == chunk
    assert dumps(["\ud800"]) == _stdlib_dumps(["\ud800"])  # a lone surrogate: orjson refuses, json writes it


_compact_scalars = st.one_of(
    _scalars, st.floats(allow_nan=False), st.floats(min_value=-1e-3, max_value=1e-3),
    st.integers(min_value=-2 ** 70, max_value=2 ** 70), st.text(alphabet=st.characters(codec="utf-8")),
    st.sampled_from(["\u2028", "\u2029", "\x85", "\x00", "\x1f", "\x7f", "ä€", "😀"]),
    st.sampled_from([Decimal("-0"), Decimal("1E+3"), Decimal("1e-400"), Decimal("0E-7"), 1e16, 5e-324, -0.0]))
_compact_values = st.recursive(_compact_scalars, lambda inner: st.one_of(
    st.lists(inner), st.dictionaries(st.text(), inner), st.tuples(inner, inner),
    st.dictionaries(st.one_of(st.integers(), st.booleans()), inner)), max_leaves=25)


@settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
@given(_compact_values)
def test_orjson_and_the_fallback_write_the_same_bytes_on_random_values(value):
    assert written(dumps, value) == written(_stdlib_dumps, value)
    if written(dump_json, value) != "refused":
        assert compact_values(value) == json.loads(dump_json(value), parse_float=Decimal)


def test_documents_are_kept_by_value_and_written_as_fresh():
    import orjson

    from engine import _output
    from engine.outcome import RequiredDocument

    first = RequiredDocument("id-card", "", "Ausweis ä\u2028", None, ("application/pdf",), 10)
    same = RequiredDocument("id-card", "", "Ausweis ä\u2028", None, ("application/pdf",), 10)
    other = RequiredDocument("id-card", "/members/0", "Ausweis ä\u2028", None, ("application/pdf",), 10)
    assert _output._document(first) is _output._document(same)
    assert orjson.dumps(_output._document(other)) == orjson.dumps(other.to_json()) != orjson.dumps(first.to_json())
    assert dumps([_output._document(first)]) == dumps([first.to_json()]) == '[{"id":"id-card","path":"",' \
        '"title":"Ausweis ä\\u2028","description":null,"accept":["application/pdf"],"maxSize":10}]'
