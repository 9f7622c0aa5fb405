"""Single rules of domains.sgb2 beyond the worked situations: dated tables,
the §7a age limit, the pregnancy window, per-head housing with children 25+,
and the Sofortzuschlag when assets bar a claim."""

from datetime import date
from decimal import Decimal

import pytest

from domains.sgb2 import rates
from domains.sgb2.eligibility import reasons
from domains.sgb2.estimate import estimate


def lines(result):
    return {line.key: line.amount for line in result.lines}


@pytest.mark.parametrize("year, months", [(1946, 780), (1947, 781), (1958, 792), (1959, 794), (1963, 802), (1964, 804), (1990, 804)])
def test_regelaltersgrenze_by_birth_year(year, months):
    # §7a SGB II: 65 years (born before 1947), +1 month a year to 66 (1958), +2 months a year to 67 (1964 on)
    assert rates.regelaltersgrenze_monate(year) == months


def test_minijob_limit_and_asset_rules_are_dated():
    assert rates.in_force(rates.MINIJOB_GRENZE, date(2024, 5, 1)).value == Decimal(538)
    assert rates.in_force(rates.MINIJOB_GRENZE, date(2026, 5, 1)).value == Decimal(603)
    old = rates.in_force(rates.VERMOEGEN, date(2026, 6, 30)).value
    new = rates.in_force(rates.VERMOEGEN, date(2026, 7, 1)).value
    assert old.allowance([40, 38, 10], karenz=True) == Decimal(70000)   # 40,000 + 2 × 15,000
    assert old.allowance([40, 38, 10], karenz=False) == Decimal(45000)  # 3 × 15,000
    assert new.allowance([19, 20, 40, 50], karenz=True) == Decimal(42500)  # 5,000 + 10,000 + 12,500 + 15,000, no Karenzzeit
    assert new.unsicher


def test_pregnancy_ends_with_the_month_of_delivery():
    due = {"haushalt": {"alter": 30, "schwanger": True, "entbindungstermin": "2026-02-10"}}
    assert lines(estimate(due, date(2026, 2, 28)))["mehrbedarf.schwanger.antragsteller"] == Decimal("95.71")
    assert lines(estimate(due, date(2026, 3, 1)))["mehrbedarf.schwanger.antragsteller"] == Decimal(0)


def test_a_child_of_25_counts_only_as_a_head_in_the_flat():
    result = estimate({"haushalt": {"alter": 50, "kinder_vorhanden": True, "kinder": [{"alter": 25}]},
                       "wohnen": {"kaltmiete": 800}}, date(2026, 3, 1))
    assert lines(result)["unterkunft"] == Decimal("400.00") and "regelbedarf.kind1" not in lines(result)


def test_assets_above_the_allowance_bar_bürgergeld_and_sofortzuschlag():
    result = estimate({"haushalt": {"alter": 30, "kinder": [{"alter": 3}]}, "vermoegen": {"vorhanden": True, "betrag": 90000}},
                      date(2026, 3, 1))
    assert result.entitlement == 0 and result.sofortzuschlag == 0 and lines(result)["vermoegen"] == 0


def test_a_partner_able_to_work_keeps_the_household_in_sgb2():
    assert reasons({"erwerbsfaehig": False, "partner": True}) == []
    assert [r.key for r in reasons({"erwerbsfaehig": False})] == ["erwerbsfaehig"]


def test_every_line_explains_itself_in_both_languages():
    result = estimate({"haushalt": {"alter": 30, "alleinerziehend": True, "kinder": [{"alter": 4, "kindergeld": 259, "unterhalt": 100}]},
                       "wohnen": {"kaltmiete": 500, "warmwasser": "dezentral"}, "mehrbedarf": {"ernaehrung": True, "besonderer_bedarf": True},
                       "einkommen": {"antragsteller": {"brutto": 600, "netto": 480}}}, date(2026, 3, 1))
    for line in result.lines:
        assert "§" in line.label_de and "§" in line.label_en, line.key


@pytest.mark.parametrize("item, free", [
    ({"betrag": 300, "erwerbstaetig_vor_geburt": False}, "0"),                                # §10 Abs. 5 S. 1 BEEG
    ({"betrag": 1200, "erwerbstaetig_vor_geburt": True, "einkommen_vor_geburt": 1800}, "300"),  # capped at 300 (S. 2)
    ({"betrag": 300, "erwerbstaetig_vor_geburt": True, "einkommen_vor_geburt": 120.5}, "120.50"),  # the earnings before
    ({"betrag": 100, "erwerbstaetig_vor_geburt": True, "einkommen_vor_geburt": 900}, "100"),    # never more than paid
    ({"betrag": 600, "plus": True, "erwerbstaetig_vor_geburt": True, "einkommen_vor_geburt": 1800}, "150"),  # S. 3: halved
    ({"betrag": 600, "plus": True, "erwerbstaetig_vor_geburt": True, "einkommen_vor_geburt": 240}, "120"),   # half of 240
])
def test_elterngeld_free_part(item, free):
    from domains.sgb2.estimate import elterngeld_free
    assert elterngeld_free(item, date(2026, 11, 25)) == Decimal(free)


def test_months_after_the_checked_figures_say_so():
    # 2027 figures (RBSFV 2027, Kindergeld 2027) were not found: the estimate keeps the 2026 ones and says so
    assert "stand" not in lines(estimate({"haushalt": {"alter": 30}}, date(2026, 12, 1)))
    later = estimate({"haushalt": {"alter": 30}}, date(2027, 1, 1))
    assert "stand" in lines(later) and later.needs == 563


def test_the_asset_rule_of_the_reform_stays_marked_unverified():
    # the age bands of the Neue Grundsicherung are not checked against the BGBl (see rates.VERMOEGEN)
    rule = rates.in_force(rates.VERMOEGEN, date(2026, 11, 25)).value
    assert rule.unsicher and rule.karenz_monate == 0
    assert rule.allowance([19], karenz=False) == 5000 and rule.allowance([20], karenz=False) == 10000


def test_the_benefit_is_named_by_the_law_in_force():
    # the Neue Grundsicherung renames Bürgergeld "Grundsicherungsgeld" from 1.7.2026 (rates.LEISTUNG)
    def summary(day):
        return {line.key: line for line in estimate({"haushalt": {"alter": 30, "kinder": [{"alter": 3}]}}, day).lines}
    before, after = summary(date(2026, 6, 30)), summary(date(2026, 11, 25))
    assert before["buergergeld"].label_de.startswith("Bürgergeld: Bedarf")
    assert after["buergergeld"].label_de.startswith("Grundsicherungsgeld (bis 30.6.2026 Bürgergeld): Bedarf")
    assert after["buergergeld"].label_en.startswith("Grundsicherungsgeld (until 30.6.2026 Bürgergeld): needs")
    assert "zusätzlich zum Grundsicherungsgeld" in after["sofortzuschlag.kind1"].label_de


def test_an_age_below_the_youngest_asset_band_takes_that_band():
    """A birth date in the future gives a negative age; the estimate must not
    fail on it (the form reports the date itself)."""
    from datetime import date

    from domains.sgb2.rates import VERMOEGEN, in_force

    rule = in_force(VERMOEGEN, date(2026, 11, 25)).value
    youngest = rule.nach_alter[0][1]
    assert rule.allowance([-1], karenz=False) == youngest
    assert rule.allowance([-1, 45], karenz=False) == youngest + rule.allowance([45], karenz=False)
