"""Every amount in the estimate's lines is written in one money format per
language: German ``10.000,00 €``, English ``€10,000.00`` (as Babel's currency
format on the pages), including the asset allowance's make-up and the
Elterngeld cap (these were "5.000 €" and "€300" next to "10.000,00 €")."""

from __future__ import annotations

import re
from datetime import date

import pytest

from domains.sgb2 import estimate

# an amount in the wrong format: digits and € without cents, or € after digits in English
BARE_DE = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3})* €")      # "5.000 €", "300 €"
BARE_EN = re.compile(r"€\d{1,3}(?:,\d{3})*(?![\d.,])|\d €")      # "€5,000", "300 €"
BEFORE, KARENZ_OVER, AFTER = date(2026, 3, 1), date(2026, 3, 1), date(2026, 8, 1)


def _assets(day: date, betrag: int, months: int = 0, *, partner: bool = False) -> dict:
    return estimate({"haushalt": {"alter": 45, "partner": partner, "partner_alter": 17 if partner else 30},
                     "vermoegen": {"vorhanden": True, "betrag": betrag, "bezug_monate": months}}, day).to_json()


def _line(result: dict, key: str) -> dict:
    return next(line for line in result["zeilen"] if line["key"] == key)


@pytest.mark.parametrize("day, months, de, en", [
    (BEFORE, 0, "Karenzzeit im ersten Jahr: 40.000,00 € für die erste und 15.000,00 € für jede weitere Person",
     "grace period in the first year: €40,000.00 for the first and €15,000.00 for each further person"),
    (KARENZ_OVER, 14, "(15.000,00 € je Person, § 12 SGB II)", "(€15,000.00 per person, §12 SGB II)"),
    (AFTER, 0, "nach Alter je Person: unter 20 Jahren: 5.000,00 €, ab 20: 10.000,00 €, ab 40: 12.500,00 €, ab 50: 15.000,00 € "
     "(Neue Grundsicherung", "by age per person: under 20: €5,000.00, from 20: €10,000.00, from 40: €12,500.00, "
     "from 50: €15,000.00 (Neue Grundsicherung"),
])
@pytest.mark.parametrize("betrag", [1000, 90000])
def test_the_asset_note_writes_every_amount_in_one_format(day, months, de, en, betrag):
    line = _line(_assets(day, betrag, months), "vermoegen")
    assert de in line["label_de"] and en in line["label_en"], line
    assert not BARE_DE.search(line["label_de"]), line["label_de"]
    assert not BARE_EN.search(line["label_en"]), line["label_en"]


def test_the_asset_allowance_sums_and_writes_the_bands():
    # from 1.7.2026 by age: 45 → 12,500, a 17-year-old partner → 5,000
    line = _line(_assets(AFTER, 20000, partner=True), "vermoegen")
    assert "über dem Freibetrag 17.500,00 €" in line["label_de"]
    assert "exceed the allowance of €17,500.00" in line["label_en"]


@pytest.mark.parametrize("plus, de, en", [(False, "höchstens 300,00 € (§ 10", "at most €300.00 (§10"),
                                          (True, "höchstens 300,00 € (bei ElterngeldPlus je die Hälfte",
                                           "at most €300.00 (with ElterngeldPlus half of each")])
def test_the_elterngeld_cap_is_written_as_money(plus, de, en):
    result = estimate({"haushalt": {"alter": 30}, "einkommen": {"antragsteller": {
        "elterngeld": 500, "elterngeld_plus": plus, "erwerbstaetig_vor_geburt": True, "einkommen_vor_geburt": 1200}}},
        date(2026, 11, 25)).to_json()
    line = _line(result, "elterngeld.antragsteller")
    assert de in line["label_de"] and en in line["label_en"], line
    assert not BARE_DE.search(line["label_de"]) and not BARE_EN.search(line["label_en"])



def test_percentages_are_written_as_each_language_writes_them():
    """German "2,3 % von", English "2.3% of" (a tester saw "2.3 % von" and
    "17 % of"): every percentage line of every example case of both forms."""
    import json
    from decimal import Decimal
    from pathlib import Path

    from domains.sgb2.estimate import pct_de
    from engine import load_form

    assert pct_de(Decimal("0.023")) == "2,3" and pct_de(Decimal("0.17")) == "17"
    seen = 0
    for name in ("buergergeld", "buergergeld-rechner"):
        folder = Path(__file__).resolve().parents[2] / "forms" / name
        form = load_form(folder)
        for case in sorted((folder / "cases").glob("*.json")):
            outcome = form.check(json.loads(case.read_text(encoding="utf-8"))["answers"], as_of=date(2026, 11, 1))
            for value in outcome.computed.values():
                for line in value.get("zeilen", ()) if isinstance(value, dict) else ():
                    if "%" in line["label_de"]:
                        seen += 1
                        assert not re.search(r"\d\.\d+ %", line["label_de"]), line["label_de"]
                        assert not re.search(r"\d %", line["label_en"]), line["label_en"]
    assert seen
