"""Tester 3: the estimate's lines name a child of the application by first
name ("Regelbedarf Mia (10 J.)"); without a name (the calculator asks ages
only) they fall back to "Kind 1". The partner likewise ("Regelbedarf Jonas"),
falling back to "Partnerin/Partner"."""

from __future__ import annotations

from datetime import date

import pytest

from domains.sgb2 import calculator_input, estimate

DAY = date(2026, 11, 25)


def _labels(result) -> list[str]:
    return [line["label_de"] for line in result["zeilen"]] + [line["label_en"] for line in result["zeilen"]]


def test_a_named_child_is_named_in_the_estimate_lines():
    answers = {"person": {"geburtsdatum": "1990-01-01"},
               "haushalt": {"partner_im_haushalt": False, "kinder_im_haushalt": True, "weitere_personen": False,
                            "kinder": [{"vorname": " Mia ", "nachname": "Yilmaz", "geburtsdatum": "2016-05-01"},
                                       {"vorname": "", "geburtsdatum": "2018-05-01"}]},
               "wohnen": {"wohnsituation": "miete", "kaltmiete": 500}}
    labels = _labels(estimate(calculator_input(answers, DAY), DAY).to_json())
    assert "Regelbedarf Mia (10 J.): Stufe 5 (§ 20, § 23 SGB II)" in labels
    assert any(label.startswith("Standard need, Mia (age 10)") for label in labels)
    assert any("Kind 2 (8 J.)" in label for label in labels)  # no name yet: the number
    assert not any("Kind 1" in label or "child 1" in label for label in labels)


def test_the_calculator_without_names_keeps_the_numbers():
    labels = _labels(estimate({"haushalt": {"kinder": [{"alter": 10}]}, "wohnen": {"kaltmiete": 400}}, DAY).to_json())
    assert any("Regelbedarf Kind 1 (10 J.)" in label for label in labels)
    assert any("child 1 (age 10)" in label for label in labels)


def _partner_answers(vorname=None) -> dict:
    partner = {"nachname": "Schmidt", "geburtsdatum": "1988-02-01", "erwerbsfaehig": True}
    if vorname is not None:
        partner["vorname"] = vorname
    return {"person": {"geburtsdatum": "1990-01-01", "familienstand": "verheiratet"},
            "haushalt": {"partner_im_haushalt": True, "partner": partner, "kinder_im_haushalt": False},
            "wohnen": {"wohnsituation": "miete", "kaltmiete": 500},
            "einkommen": {"partner": {"hat_einkommen": True,
                                      "einkuenfte": [{"art": "erwerbstaetigkeit", "brutto": 600, "netto": 500}]}},
            "mehrbedarf": {"behinderung": True, "behinderung_person": "partner"}}


def test_the_partner_is_named_by_first_name_in_every_line():
    lines = estimate(calculator_input(_partner_answers(" Jonas "), DAY), DAY).to_json()["zeilen"]
    by_key = {line["key"]: line for line in lines}
    assert by_key["regelbedarf.partner"]["label_de"] == "Regelbedarf Jonas: Stufe 2 (§ 20, § 23 SGB II)"
    assert by_key["regelbedarf.partner"]["label_en"] == "Standard need, Jonas: level 2 (§20, §23 SGB II)"
    assert by_key["einkommen.partner"]["label_de"].startswith("Einkommen aus Arbeit Jonas: netto 500,00 €")
    assert by_key["einkommen.partner"]["label_en"].startswith("Earnings, Jonas: net €500.00")
    assert by_key["mehrbedarf.behinderung.partner"]["label_de"].startswith("Mehrbedarf bei Behinderung Jonas:")
    assert not any("Partnerin/Partner" in line["label_de"] or ", partner" in line["label_en"] for line in lines)


@pytest.mark.parametrize("vorname", [None, "", "   "])
def test_a_partner_without_a_name_is_partnerin_partner(vorname):
    lines = estimate(calculator_input(_partner_answers(vorname), DAY), DAY).to_json()["zeilen"]
    by_key = {line["key"]: line for line in lines}
    assert by_key["regelbedarf.partner"]["label_de"] == "Regelbedarf Partnerin/Partner: Stufe 2 (§ 20, § 23 SGB II)"
    assert by_key["regelbedarf.partner"]["label_en"] == "Standard need, partner: level 2 (§20, §23 SGB II)"


def test_the_calculator_partner_keeps_partnerin_partner():
    lines = estimate({"haushalt": {"partner": True, "partner_alter": 40}}, DAY).to_json()["zeilen"]
    assert "Regelbedarf Partnerin/Partner: Stufe 2 (§ 20, § 23 SGB II)" in [line["label_de"] for line in lines]
