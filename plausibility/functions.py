"""Functions available to every expression (rules, computed values, document
conditions). Dates are ISO strings; the reference date ("today") is injected
per check, so a check is reproducible (``formwerk check --as-of``)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from importlib.metadata import entry_points
from typing import Any, Callable

from . import identifiers


def _date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10]) if len(value) >= 10 else None
    except ValueError:
        return None


def _need(value: Any, what: str) -> date:
    parsed = _date(value)
    if parsed is None:
        raise ValueError(f"{what} must be a date YYYY-MM-DD, got {value!r}")
    return parsed


def age_on(birth: Any, on: Any) -> int:
    """Completed years of life on a day (German civil law: a birthday on 29.02.
    is reached on 01.03. in common years)."""
    born, day = _need(birth, "birth date"), _need(on, "date")
    years = day.year - born.year
    if (day.month, day.day) < (born.month, born.day):
        years -= 1
    return years


def months_between(start: Any, end: Any) -> int:
    """Whole months from ``start`` to ``end`` (negative when end is earlier)."""
    a, b = _need(start, "start date"), _need(end, "end date")
    months = (b.year - a.year) * 12 + (b.month - a.month)
    if months > 0 and b.day < a.day:
        months -= 1
    elif months < 0 and b.day > a.day:
        months += 1
    return months


def days_between(start: Any, end: Any) -> int:
    return (_need(end, "end date") - _need(start, "start date")).days


def _sum(values: Any) -> float:
    if not isinstance(values, (list, tuple)):
        raise TypeError("sum() needs a list of numbers")
    total = 0.0
    for v in values:
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise TypeError(f"sum() needs numbers, got {v!r}")
        total += v
    return round(total, 10)


def _round(value: Any, places: Any = 2.0) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError("round() needs a number")
    from decimal import ROUND_HALF_UP, Decimal

    quantum = Decimal(1).scaleb(-int(places))
    return float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))


def _is_date(value: Any) -> bool:
    return _date(value) is not None


#: Entry-point group through which domain packages (one per field of law) add
#: functions: each entry point is a callable ``provider(today) -> {name: function}``.
#: A function whose argument is a large object (the whole application) may say
#: which of its keys it reads, as a ``reads`` attribute (a tuple of key names):
#: it is then handed only those, and its kept results are keyed by only those
#: (converting and keying the rest of the application costs more than the work).
#: It may also offer an ``answer`` attribute: a callable giving exactly what
#: ``expressions.from_cel(function(x))`` gives (the result as a check keeps it, numbers
#: as Decimals), or raising as the function does; a computed value that is the
#: function's call alone (``f(self)``) is then made without building the CEL result first.
PLUGIN_GROUP = "formwerk.cel_functions"


def declared_part(function: Callable, value: Any) -> Any:
    """The part of an object argument that ``function`` declares it reads
    (its ``reads`` attribute), or the whole value."""
    if type(value) is not dict:  # (first: most arguments are scalars, and getattr's miss costs)
        return value
    reads = getattr(function, "reads", None)
    if reads is None:
        return value
    return {key: value[key] for key in reads if key in value}


@lru_cache(maxsize=1)
def _providers() -> tuple[tuple[str, Callable], ...]:
    return tuple((ep.name, ep.load()) for ep in sorted(entry_points(group=PLUGIN_GROUP), key=lambda ep: ep.name))


def functions(today: date) -> dict[str, Callable]:
    """The function table for one check, with ``today`` as the reference date."""
    iso_today = today.isoformat()
    table: dict[str, Callable] = {
        "today": lambda: iso_today,
        "age": lambda birth: age_on(birth, iso_today),
        "age_on": age_on,
        "months_between": months_between,
        "days_between": days_between,
        "is_future": lambda d: _need(d, "date") > today,
        "is_date": _is_date,
        "sum": _sum,
        "round": _round,
        "valid_iban": identifiers.valid_iban,
        "valid_german_iban": identifiers.valid_german_iban,
        "valid_steuer_id": identifiers.valid_steuer_id,
        "valid_steuernummer": identifiers.valid_steuernummer,
        "valid_vat_id": identifiers.valid_vat_id,
        "valid_rvnr": identifiers.valid_rvnr,
        "valid_plz": identifiers.valid_plz,
    }
    for plugin, provider in _providers():
        for name, function in provider(today).items():
            if name in table:
                raise ValueError(f"CEL function {name!r} of plugin {plugin!r} is already defined")
            table[name] = function
    return table


#: The names every expression may call (for compiling and lint).
NAMES = frozenset(functions(date(2000, 1, 1)))
