"""The Bürgergeld estimate against published worked examples, to the cent.

Sources (retrieved 2026-11):
[A] buergergeld.org, "Bürgergeld für Alleinerziehende", Beispiel "Alleinerziehende
    Mutter mit 1 Kind (6 Jahre)", Stand 2025: 563 + 390 + 25 + 202,68 − 255 − 299
    + Warmmiete 579 = 1.205,68 €.
[B] hartziv.org, "Bürgergeld und Minijob – was bleibt nach Anrechnung übrig?",
    Beispiel 1: Single, Regelsatz 563 €, Minijob 538 € → Freibetrag 189,40 €,
    angerechnet 348,60 €, Auszahlung 214,40 € (ohne Wohnkosten).
[C] Jobcenter Berlin Treptow-Köpenick, "Anrechnung von Einkommen" (berlin.de):
    Bruttoeinkommen 1.100 € ohne Kinder → Freibetrag 338 € (100 + 84 + 144 + 10).
[D] BMAS via nachrichten.ag (2025): Mehrbedarf Schwangerschaft 17 % = 95,71 €.
[E] Antwort von Helge Lindh MdB auf abgeordnetenwatch.de (2025): Paar mit Kindern
    von 6 und 11 Jahren, Regelbedarfe 2 × 506 + 2 × 390 = 1.792 €.
"""

from datetime import date
from decimal import Decimal

import pytest

from engine import load_form
from domains.sgb2 import rates
from domains.sgb2.estimate import allowance, estimate

MARCH_2025 = date(2025, 3, 1)
FB = rates.in_force(rates.ERWERBSFREIBETRAG, MARCH_2025).value


def line(result, key):
    return next(line.amount for line in result.lines if line.key == key)


def test_example_a_single_mother_with_one_child():
    result = estimate({"haushalt": {"alter": 31, "partner": False, "alleinerziehend": True,
                                    "kinder": [{"alter": 6, "kindergeld": 255, "unterhalt": 299}]},
                       "wohnen": {"kaltmiete": 579}}, MARCH_2025)
    assert line(result, "regelbedarf.antragsteller") == Decimal("563")
    assert line(result, "regelbedarf.kind1") == Decimal("390")
    assert line(result, "sofortzuschlag.kind1") == Decimal("25")  # paid on top (§72), not a need
    assert result.buergergeld == Decimal("1180.68")
    assert line(result, "mehrbedarf.alleinerziehend") == Decimal("202.68")
    assert line(result, "kindergeld.kind1") == Decimal("-255.00")
    assert line(result, "unterhalt.kind1") == Decimal("-299.00")
    assert result.entitlement == Decimal("1205.68")


def test_example_b_minijob_single():
    result = estimate({"haushalt": {"alter": 40}, "einkommen": {"antragsteller": {"brutto": 538, "netto": 538}}}, MARCH_2025)
    assert line(result, "einkommen.antragsteller") == Decimal("-348.60")
    assert result.entitlement == Decimal("214.40")


def test_example_c_jobcenter_allowance_on_1100_gross_without_children():
    assert allowance(Decimal(1100), Decimal(0), False, FB) == Decimal("338.00")


def test_example_d_pregnancy_extra_need():
    # due 1.7.2025: the 13th week begins 196 days earlier, 17.12.2024 ≤ 1.3.2025; 17 % × 563 = 95.71
    result = estimate({"haushalt": {"alter": 28, "schwanger": True, "entbindungstermin": "2025-07-01"}}, MARCH_2025)
    assert line(result, "mehrbedarf.schwanger.antragsteller") == Decimal("95.71")


def test_no_pregnancy_extra_need_before_the_due_date_is_known():
    # §21 Abs. 2 applies "nach der zwölften Schwangerschaftswoche": without the due date the week is unknown
    result = estimate({"haushalt": {"alter": 28, "schwanger": True}}, MARCH_2025)
    assert line(result, "mehrbedarf.schwanger.antragsteller") == 0 and result.needs == Decimal(563)


def test_example_e_couple_with_two_children_regelbedarfe():
    result = estimate({"haushalt": {"alter": 40, "partner": True, "partner_alter": 38,
                                    "kinder": [{"alter": 6}, {"alter": 11}]}}, MARCH_2025)
    regelbedarfe = sum(l.amount for l in result.lines if l.key.startswith("regelbedarf."))
    assert regelbedarfe == Decimal("1792")


@pytest.mark.parametrize("gross, minor_child, expected", [
    (Decimal(80), False, Decimal("80.00")),     # below the base: all free
    (Decimal(520), False, Decimal("184.00")),
    (Decimal(1000), False, Decimal("328.00")),
    (Decimal(1200), False, Decimal("348.00")),  # maximum without a child
    (Decimal(3000), False, Decimal("348.00")),
    (Decimal(1500), True, Decimal("378.00")),   # maximum with a minor child
])
def test_allowance_bands(gross, minor_child, expected):
    assert allowance(gross, Decimal(0), minor_child, FB) == expected


def test_higher_actual_deductions_replace_the_base_only_above_400_gross():
    assert allowance(Decimal(1100), Decimal(150), False, FB) == Decimal("388.00")
    assert allowance(Decimal(390), Decimal(150), False, FB) == Decimal("158.00")


def test_single_parent_share_rules():
    def share(ages):
        result = estimate({"haushalt": {"alter": 35, "alleinerziehend": True, "kinder": [{"alter": a} for a in ages]}}, MARCH_2025)
        return line(result, "mehrbedarf.alleinerziehend")
    assert share([3]) == Decimal("202.68")            # one child under 7: 36 %
    assert share([9]) == Decimal("67.56")             # one child of 7+: 12 %
    assert share([9, 12]) == Decimal("202.68")        # two under 16: 36 %
    assert share([16, 17]) == Decimal("135.12")       # two over 16: 24 %
    assert share([1, 3, 5, 8, 10]) == Decimal("337.80")  # five children: at most 60 %


def test_rates_are_effective_dated_by_month():
    assert rates.in_force(rates.KINDERGELD, date(2025, 12, 31)).value == Decimal(255)
    assert rates.in_force(rates.KINDERGELD, date(2026, 1, 1)).value == Decimal(259)
    assert rates.in_force(rates.SOFORTZUSCHLAG, date(2024, 6, 1)).value == Decimal(20)
    assert rates.in_force(rates.SOFORTZUSCHLAG, date(2025, 1, 1)).value == Decimal(25)
    with pytest.raises(ValueError):
        rates.in_force(rates.REGELBEDARF, date(2023, 12, 1))


def test_surplus_kindergeld_becomes_the_parents_income_less_the_insurance_flat():
    # a 17-year-old with 600 € maintenance needs only 471 €: the maintenance covers it
    # (the 129 € above stay with the child), all Kindergeld is surplus: 259 − 30 = 229 € for the parent
    result = estimate({"haushalt": {"alter": 45, "kinder": [{"alter": 17, "kindergeld": 259, "unterhalt": 600}]}}, date(2026, 2, 1))
    assert line(result, "unterhalt.kind1") == Decimal("-600.00")
    assert line(result, "ueberschuss.kind1") == Decimal("129.00")
    assert line(result, "sonstiges.antragsteller") == Decimal("-229.00")
    assert result.sofortzuschlag == Decimal(0)  # the child's need is covered without Kindergeld


def test_no_entitlement_below_zero():
    result = estimate({"haushalt": {"alter": 40}, "einkommen": {"antragsteller": {"brutto": 4000, "netto": 2600}}}, MARCH_2025)
    assert result.entitlement == Decimal(0)


def test_the_calculator_form_computes_the_estimate_through_cel():
    form = load_form("forms/buergergeld-rechner")
    outcome = form.check({"haushalt": {"alter": 31, "partner": False, "kinder_vorhanden": True, "schwanger": False,
                                       "alleinerziehend": True, "kinder": [{"alter": 6, "kindergeld": 255, "unterhalt": 299}]},
                          "wohnen": {"kaltmiete": 400, "nebenkosten": 100, "heizkosten": 79, "warmwasser": "zentral"},
                          "einkommen": {"antragsteller": {"erwerbstaetig": False}}}, as_of=MARCH_2025)
    estimate_json = outcome.computed["/schaetzung"]
    assert estimate_json["anspruch"] == Decimal("1205.68") and estimate_json["sofortzuschlag"] == Decimal("25") and estimate_json["unverbindlich"] is True
    assert "/schaetzung" not in outcome.relevant
    assert [s.name for s in form.sections] == ["voraussetzungen", "haushalt", "wohnen", "einkommen", "mehrbedarf", "vermoegen"]
