"""Tester 3: the estimate's lines name a child of the application by first
name ("Regelbedarf Mia (10 J.)"); without a name (the calculator asks ages
only) they fall back to "Kind 1"."""

from __future__ import annotations

from datetime import date

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
