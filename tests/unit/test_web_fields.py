"""Reading answers from a post: German numbers, dates, choices."""

from decimal import Decimal

import pytest
from werkzeug.datastructures import MultiDict

from engine._fields import Field
from webapp.fields import read_answers
from webapp.presentation import input_value


class Q:
    def __init__(self, pointer, field):
        self.pointer, self.field = pointer, field


def number(type_="number", widget=None):
    return Field(name="x", label="X", hint=None, type=type_, kind="leaf", widget=widget)


@pytest.mark.parametrize("typed, read", [
    ("1.250,50", Decimal("1250.50")), ("1250,5", Decimal("1250.5")), ("1250.50", Decimal("1250.50")),
    ("3.000", Decimal("3000")), ("1.250.000", Decimal("1250000")), ("1.5", Decimal("1.5")), (" 450 € ", Decimal("450")),
    ("abc", "abc"), ("", None), ("NaN", "NaN"), ("1e999999", "1e999999"),
])
def test_numbers_as_germans_write_them(typed, read):
    assert read_answers([Q("/x", number())], MultiDict({"/x": typed})) == {"/x": read}


def test_integers_stay_integers():
    assert read_answers([Q("/n", number("integer"))], MultiDict({"/n": "3"})) == {"/n": 3}


@pytest.mark.parametrize("parts, read", [
    (("1", "12", "2026"), "2026-12-01"), (("30", "2", "2027"), "2027-02-30"), (("", "", ""), None), (("x", "1", "2026"), "x.1.2026"),
])
def test_dates_from_three_inputs(parts, read):
    field = Field(name="d", label="D", hint=None, type="string", kind="leaf", constraints={"format": "date"})
    data = MultiDict({"/d-tag": parts[0], "/d-monat": parts[1], "/d-jahr": parts[2]})
    assert read_answers([Q("/d", field)], data) == {"/d": read}


def test_questions_missing_from_the_post_are_left_alone():
    assert read_answers([Q("/x", number())], MultiDict({"/y": "1"})) == {}


@pytest.mark.parametrize("value, widget, shown", [
    (Decimal("3000.0"), "money", "3000,00"), (Decimal("1250.5"), None, "1250,5"), (Decimal("3.0"), None, "3"), (7, None, "7"),
])
def test_numbers_go_back_into_inputs_the_german_way(value, widget, shown):
    assert input_value(number(widget=widget), value) == shown
