"""CEL expressions: safety caps before compiling, references, number binding,
functions with an injectable reference date, errors as the package's own."""

from datetime import date
from decimal import Decimal

import pytest

from plausibility import EvaluationError, Evaluator, ExpressionError, FUNCTION_NAMES, compile_expression
from plausibility.expressions import MAX_LENGTH, references


def compile_(source):
    return compile_expression(source, dict.fromkeys(FUNCTION_NAMES))


@pytest.mark.parametrize("source, fragment", [
    ("", "empty"),
    ("self.a > 1.0 || " * 100 + "true", f"at most {MAX_LENGTH}"),
    ("(" * 30 + "1" + ")" * 30, "nests 30 levels"),
    ("self.a.map(x, x.b.map(y, y.c.map(z, z)))", "3 comprehensions"),
    ("self.a +", "does not compile"),
    ("open('/etc/passwd')", "unknown function(s): open"),
    ("__import__('os')", "unknown function"),
    ("secret > 1", "unknown variable(s): secret"),
    ("self.a)", "closes a bracket"),
])
def test_unsafe_or_broken_expressions_are_refused_before_running(source, fragment):
    with pytest.raises(ExpressionError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        compile_(source)


def test_pathological_nesting_never_reaches_the_parser():
    # the CEL parser can panic (BaseException) on very deep input; the cap stops it first
    with pytest.raises(ExpressionError, match="nests"):
        compile_("[" * 450 + "]" * 450)


def test_two_comprehensions_and_strings_with_brackets_are_fine():
    compile_("self.a.all(x, x.b.exists(y, y > 1.0)) && self.s != '((((('")


def test_references_are_the_answer_paths_read():
    assert references("self.kids.all(k, k.age > 1.0) && root.person.birth < self.birth && 'self.x' != ''") == (
        ("self", "kids"), ("root", "person", "birth"), ("self", "birth"))


def test_numbers_are_doubles_so_arithmetic_works_on_integer_answers():
    evaluator = Evaluator({}, date(2026, 11, 24))
    expression = compile_("self.rent * 1.2 + self.extra")
    assert evaluator.evaluate(expression, {"rent": 500, "extra": Decimal("0.5")}) == Decimal("600.5")


def test_dates_and_functions_use_the_injected_reference_date():
    on_day = Evaluator({}, date(2026, 11, 24))
    assert on_day.evaluate(compile_("age(self.born)"), {"born": "2016-11-25"}) == 9
    assert Evaluator({}, date(2026, 11, 25)).evaluate(compile_("age(self.born)"), {"born": "2016-11-25"}) == 10
    assert on_day.evaluate(compile_("today()"), {}) == "2026-11-24"
    assert on_day.evaluate(compile_("is_future(self.d)"), {"d": "2026-11-25"}) is True
    assert on_day.evaluate(compile_("months_between('2026-01-31', '2026-03-01')"), {}) == 1
    assert on_day.evaluate(compile_("sum(self.l)"), {"l": [1, Decimal("2.25")]}) == Decimal("3.25")


def test_leap_day_birthday_is_reached_on_the_first_of_march_in_common_years():
    expression = compile_("age(self.born)")
    assert Evaluator({}, date(2023, 2, 28)).evaluate(expression, {"born": "2004-02-29"}) == 18
    assert Evaluator({}, date(2023, 3, 1)).evaluate(expression, {"born": "2004-02-29"}) == 19


@pytest.mark.parametrize("source, answers", [
    ("self.a + 1", {"a": 1}),            # double + int: no overload
    ("self.missing > 1.0", {}),          # absent field
    ("1 / 0 > 0", {}),
    ("age(self.b) > 1", {"b": "not a date"}),
])
def test_evaluation_errors_are_the_packages_own(source, answers):
    with pytest.raises(EvaluationError):
        Evaluator({}, date(2026, 1, 1)).evaluate(compile_(source), answers)


def test_identifier_functions_are_available():
    evaluator = Evaluator({}, date(2026, 1, 1))
    expression = compile_("valid_iban(self.iban) && valid_rvnr(self.rv) && valid_steuer_id(self.id) && valid_plz(self.plz)")
    assert evaluator.evaluate(expression, {"iban": "DE89370400440532013000", "rv": "10010490A443",
                                           "id": "36574261809", "plz": "10115"}) is True


def test_paths_guarded_by_has_are_optional_inputs():
    expression = compile_("self.a + (has(self.b) ? self.b : 0.0) > 1.0")
    assert expression.mentions == (("self", "a"), ("self", "b"))
    assert expression.reads == (("self", "a"),)
    evaluator = Evaluator({}, date(2026, 1, 1))
    assert evaluator.answered(expression, {"a": 2}) and not evaluator.answered(expression, {"b": 2})
    assert evaluator.evaluate(expression, {"a": 2}) is True


def test_a_single_function_call_gives_the_same_result_with_or_without_the_interpreter():
    direct = compile_("buergergeld_schaetzung(self)")
    assert direct.direct == ("buergergeld_schaetzung", "self", ())
    through_cel = compile_("buergergeld_schaetzung(self) == buergergeld_schaetzung(self) ? buergergeld_schaetzung(self) : {}")
    assert through_cel.direct is None
    answers = {"haushalt": {"alter": 31, "alleinerziehend": True, "kinder": [{"alter": 6, "kindergeld": 255, "unterhalt": 299}]},
               "wohnen": {"kaltmiete": 579}}
    evaluator = Evaluator({}, date(2025, 3, 1))
    assert evaluator.evaluate(direct, answers) == evaluator.evaluate(through_cel, answers)
    assert evaluator.evaluate(direct, answers)["anspruch"] == Decimal("1205.68")
    path = compile_("valid_iban(self.konto.iban)")
    assert evaluator.evaluate(path, {"konto": {"iban": "DE89370400440532013000"}}) is True
    with pytest.raises(EvaluationError):
        evaluator.evaluate(path, {"konto": {}})
    with pytest.raises(EvaluationError):
        evaluator.evaluate(compile_("age(self)"), {"x": 1})
