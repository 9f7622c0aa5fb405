"""SGB II (Bürgergeld): the estimate, the eligibility gates and the mapping of
the application onto the estimate, offered to forms as CEL functions.

Registered in ``pyproject.toml``::

    [project.entry-points."formwerk.cel_functions"]
    sgb2 = "domains.sgb2:cel_functions"
"""

from __future__ import annotations

from datetime import date
from typing import Any, Callable

from .application import calculator_input
from .estimate import estimate


def _need_date(value: Any) -> date:
    if isinstance(value, str) and len(value) >= 10:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            pass
    raise ValueError(f"date must be YYYY-MM-DD, got {value!r}")


def cel_functions(today: date) -> dict[str, Callable]:
    """The functions this domain adds to every check, with ``today`` as the
    check's reference date."""

    def buergergeld_schaetzung(answers: Any, on: Any = None) -> dict:
        if not isinstance(answers, dict):
            raise TypeError("buergergeld_schaetzung() needs the household's answers as a map")
        return estimate(answers, _need_date(on) if on is not None else today).to_json()

    def buergergeld_schaetzung_antrag(answers: Any) -> dict:
        if not isinstance(answers, dict):
            raise TypeError("buergergeld_schaetzung_antrag() needs the application's answers as a map")
        return estimate(calculator_input(answers, today), today).to_json()

    return {"buergergeld_schaetzung": buergergeld_schaetzung,
            "buergergeld_schaetzung_antrag": buergergeld_schaetzung_antrag}


__all__ = ["calculator_input", "cel_functions", "estimate"]
