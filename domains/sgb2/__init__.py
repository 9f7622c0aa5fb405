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
from .eligibility import reasons
from .estimate import estimate, reached_age_limit


def _need_date(value: Any) -> date:
    if isinstance(value, str) and len(value) >= 10:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            pass
    raise ValueError(f"date must be YYYY-MM-DD, got {value!r}")


#: the top-level answers the estimate reads: of the calculator, and of the application
CALCULATOR_SECTIONS = ("voraussetzungen", "haushalt", "wohnen", "einkommen", "mehrbedarf", "vermoegen")
APPLICATION_SECTIONS = ("person", "voraussetzungen", "haushalt", "hg", "wohnen", "einkommen", "mehrbedarf", "vermoegen")


def cel_functions(today: date) -> dict[str, Callable]:
    """The functions this domain adds to every check, with ``today`` as the
    check's reference date."""

    def buergergeld_schaetzung(answers: Any, on: Any = None) -> dict:
        if not isinstance(answers, dict):
            raise TypeError("buergergeld_schaetzung() needs the household's answers as a map")
        return estimate(answers, _need_date(on) if on is not None else today).to_json()

    def application_estimate(answers: Any):
        if not isinstance(answers, dict):
            raise TypeError("buergergeld_schaetzung_antrag() needs the application's answers as a map")
        return estimate(calculator_input(answers, today), today)

    def buergergeld_schaetzung_antrag(answers: Any) -> dict:
        return application_estimate(answers).to_json()

    def buergergeld_altersgrenze_erreicht(birth: Any) -> bool:
        """§7a SGB II on the check's date, by birth date (in months)."""
        reached = reached_age_limit(birth, today)
        if reached is None:
            raise ValueError(f"date of birth must be YYYY-MM-DD, got {birth!r}")
        return reached

    def buergergeld_entbindungsmonat_vorbei(due: Any) -> bool:
        """Whether the month of delivery is over (§21 Abs. 2 ends with it)."""
        day = _need_date(due)
        return (today.year, today.month) > (day.year, day.month)

    def buergergeld_ausgeschlossen(situation: Any) -> bool:
        """Whether the calculator's eligibility answers already rule SGB II out
        (§7, §7a, §8): the form then asks nothing more and estimates nothing."""
        if not isinstance(situation, dict):
            raise TypeError("buergergeld_ausgeschlossen() needs the eligibility answers as a map")
        gates = dict(situation)
        # someone unable to work who lives with a partner able to work belongs to the
        # partner's Bedarfsgemeinschaft (§7 Abs. 2, 3 SGB II): not excluded
        gates["partner"] = gates.get("partner_erwerbsfaehig") is True
        reached = reached_age_limit(gates.get("geburtsdatum"), today)
        if reached is not None:
            gates["rentengrenze"] = reached
        return bool(reasons(gates))

    # what each reads of its argument (performance: only that is converted and keyed, see
    # plausibility.functions.PLUGIN_GROUP; tests/unit/test_sgb2_reads.py checks the lists)
    buergergeld_schaetzung.reads = CALCULATOR_SECTIONS
    buergergeld_schaetzung_antrag.reads = APPLICATION_SECTIONS
    # the result as a check keeps it, for the form's computed `buergergeld_schaetzung_antrag(self)`
    buergergeld_schaetzung_antrag.answer = lambda answers: application_estimate(answers).to_answer()
    return {"buergergeld_ausgeschlossen": buergergeld_ausgeschlossen,
            "buergergeld_entbindungsmonat_vorbei": buergergeld_entbindungsmonat_vorbei,
            "buergergeld_schaetzung": buergergeld_schaetzung,
            "buergergeld_schaetzung_antrag": buergergeld_schaetzung_antrag,
            "buergergeld_altersgrenze_erreicht": buergergeld_altersgrenze_erreicht}


__all__ = ["calculator_input", "cel_functions", "estimate"]
