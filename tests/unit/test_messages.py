"""engine._messages: numbers in messages are the decimals the form wrote,
every digit kept, in the applicant's language."""

from decimal import Decimal

import pytest

from engine import compile_form
from engine._messages import format_number


@pytest.mark.parametrize("value, en, de", [
    (10 ** 30, "1e30", "1e30"),
    (123456789012345678901234567890, "1.2345678901234567890123456789e29", "1,2345678901234567890123456789e29"),
    (Decimal("1.00000000000000000000000000000001"), "1.00000000000000000000000000000001",
     "1,00000000000000000000000000000001"),
    (Decimal("0.30000000000000004"), "0.30000000000000004", "0,30000000000000004"),
    (0.1, "0.1", "0,1"),
    (Decimal("1E-7"), "0.0000001", "0,0000001"),
    (Decimal("100.0"), "100", "100"),
    (1250.5, "1250.5", "1250,5"),
])
def test_numbers_keep_every_digit(value, en, de):
    assert format_number(value, "en") == en
    assert format_number(value, "de") == de


def test_a_limit_of_thirty_digits_is_named_exactly():
    form = compile_form({"type": "object", "properties": {
        "n": {"type": "integer", "title": "N", "maximum": 123456789012345678901234567890}}})
    (error,) = form.check({"n": 10 ** 40}, lang="en").errors
    assert "1.2345678901234567890123456789e29" in error.message


@pytest.mark.parametrize("keyword, answers, de, en", [
    ("maxItems", {"l": [1, 2]}, "höchstens einen Eintrag", "no more than one entry"),
    ("minProperties", {"o": {}}, "mindestens eine Angabe", "at least one answer"),
    ("maxProperties", {"o": {"a": 1, "b": 2}}, "höchstens eine Angabe", "no more than one answer"),
])
def test_a_limit_of_one_is_worded_in_the_singular(keyword, answers, de, en):
    kind = "array" if keyword.endswith("Items") else "object"
    name = "l" if kind == "array" else "o"
    form = compile_form({"type": "object", "properties": {name: {"type": kind, "title": "X", keyword: 1}}})
    assert de in form.check(answers, lang="de").errors[0].message
    assert en in form.check(answers, lang="en").errors[0].message
