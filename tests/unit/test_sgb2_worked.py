"""Worked Bürgergeld situations, each through the calculator AND the
application form, agreeing to the cent.

Figures (see domains/sgb2/rates.py for the sources): Regelbedarfe 2024–2026
RBS 1 563 €, RBS 2 506 €, RBS 3 451 €, RBS 4 471 €, RBS 5 390 €, RBS 6 357 €;
Kindergeld 250 € (2024), 255 € (2025), 259 € (2026); Kinder-Sofortzuschlag
(§72) 20 € (2024), 25 € (from 2025); §11b allowance 100 € + 20 % of 100–520 €
+ 30 % of 520–1,000 € + 10 % of 1,000–1,200 € (1,500 € with a minor child);
§11b Abs. 2b for pupils/students/trainees under 25: the Minijob limit (538 €
2024, 556 € 2025, 603 € 2026) instead of the 100 €, percentages above it;
Versicherungspauschale 30 € (§6 Bürgergeld-V); Mehrbedarfe §21 as shares of
the person's Regelbedarf (single parent 36 %/12 % per child, pregnancy 17 %,
disability 35 %, decentral hot water 2.3 %). Housing is split per head among
everyone in the flat (§22, Kopfteilprinzip). Elterngeld counts as income except
the part §10 Abs. 5 BEEG leaves free: the earnings before the birth, at most
300 € (both halved with ElterngeldPlus); nothing without earnings before the birth.

Published examples: [A] buergergeld.org "Bürgergeld für Alleinerziehende"
(2025: 1.205,68 €); [B] hartziv.org "Bürgergeld und Minijob", Beispiel 1
(214,40 €); [C] Jobcenter Berlin Treptow-Köpenick "Anrechnung von Einkommen"
(Freibetrag 338 € on 1.100 € gross); [D] BMAS via nachrichten.ag (pregnancy
95,71 €); [E] abgeordnetenwatch.de, answer of Helge Lindh (couple, children 6
and 11: Regelbedarfe 1.792 €).
"""

from datetime import date
from decimal import Decimal

import pytest

from engine import load_form
from tests.unit.sgb2_situations import application, calculator

M25, M26, J24, A26, N26 = date(2025, 3, 1), date(2026, 3, 1), date(2024, 6, 1), date(2026, 8, 1), date(2026, 11, 25)

SITUATIONS = [
    # --- published examples -----------------------------------------------------------------
    ("A_alleinerziehend_kind_6_2025", dict(as_of=M25, alter=31, kinder=[dict(alter=6, unterhalt=299)], miete=(400, 100, 79)),
     # 563 + 390 + 36 % × 563 = 202.68 (child under 7) + 579 housing = 1,734.68 needs;
     # child's income 299 + 255 Kindergeld = 554 (< child's need 390 + 289.50); 1,734.68 − 554 = 1,180.68
     # + Sofortzuschlag 25 (§72, on top) = 1,205.68 [A]
     "1205.68"),
    ("B_minijob_538_2025", dict(as_of=M25, alter=40, einkommen=dict(brutto=538, netto=538)),
     # allowance 100 + 20 % × 420 = 84 + 30 % × 18 = 5.40 → 189.40; counted 538 − 189.40 = 348.60; 563 − 348.60 = 214.40 [B]
     "214.40"),
    ("C_brutto_1100_2025", dict(as_of=M25, alter=45, einkommen=dict(brutto=1100, netto=880)),
     # allowance 100 + 84 + 30 % × 480 = 144 + 10 % × 100 = 10 → 338 [C]; counted 880 − 338 = 542; 563 − 542 = 21
     "21.00"),
    ("D_schwanger_ab_13_woche_2025", dict(as_of=M25, alter=28, schwanger=("ich", "2025-07-01")),
     # due 1.7.2025: 13th week from 17.12.2024 (due date − 196 days) ≤ 1.3.2025; 17 % × 563 = 95.71 [D]; 563 + 95.71
     "658.71"),
    ("E_paar_kinder_6_und_11_2025", dict(as_of=M25, alter=40, partner=dict(alter=38), kinder=[dict(alter=6), dict(alter=11)]),
     # Regelbedarfe 2 × 506 + 2 × 390 = 1,792 [E]; Kindergeld 2 × 255 = 510 counted for the children; 1,282 + 2 × 25 Sofortzuschlag
     "1332.00"),
    # --- pregnancy -----------------------------------------------------------------------------
    ("schwanger_vor_13_woche", dict(as_of=M25, alter=28, schwanger=("ich", "2025-10-01")),
     # due 1.10.2025: 13th week from 19.3.2025, after 1.3.2025: no Mehrbedarf yet (§21 Abs. 2 "nach der zwölften Woche"); 563
     "563.00"),
    ("schwangere_partnerin_stufe_2", dict(as_of=M26, alter=30, partner=dict(alter=27), schwanger=("partnerin", "2026-06-15")),
     # her own level: 17 % × 506 = 86.02; 2 × 506 + 86.02 = 1,098.02
     "1098.02"),
    # --- housing per head ------------------------------------------------------------------------
    ("wohnt_mit_ihrer_mutter", dict(as_of=M26, alter=34, weitere=1, miete=(700, 120, 80)),
     # 900 € for 2 people in the flat, the mother outside the household: 450 € per head; 563 + 450 = 1,013
     "1013.00"),
    ("wg_mit_zwei_mitbewohnern", dict(as_of=M26, alter=30, weitere=2, miete=(900, 200, 100)),
     # 1,200 € / 3 heads = 400; 563 + 400 = 963
     "963.00"),
    ("paar_mit_sohn_26", dict(as_of=M26, alter=55, partner=dict(alter=54), weitere=1, miete=(750, 180, 120)),
     # the son (26) is not a member (§7 Abs. 3 Nr. 4: under 25 only); 1,050 / 3 × 2 = 700; 2 × 506 + 700 = 1,712
     "1712.00"),
    # --- children's income ------------------------------------------------------------------------
    ("alleinerziehend_unterhaltsvorschuss", dict(as_of=M26, alter=36, kinder=[dict(alter=8, unterhalt=227)], miete=(500, 120, 80)),
     # 563 + 390 + 12 % × 563 = 67.56 (one child of 7+) + 700 = 1,720.56; child: 227 UVG + 259 KG = 486 < 390 + 350;
     # 1,720.56 − 486 = 1,234.56 + 25 = 1,259.56
     "1259.56"),
    ("kindergeld_ueberhang_an_den_vater", dict(as_of=M26, alter=45, kinder=[dict(alter=17, unterhalt=600)]),
     # child needs 471, covered by 600 maintenance (129 stay with the child); Kindergeld 259 all surplus → father's income
     # less 30 € insurance flat (§6 Abs. 1 Nr. 1 Bürgergeld-V) = 229; father 563 + 12 % × 563 = 67.56 → 630.56 − 229 = 401.56;
     # no Sofortzuschlag: the child's need is covered without Kindergeld
     "401.56"),
    ("volljaehrige_schuelerin_20", dict(as_of=M26, alter=50, kinder=[dict(alter=20)], miete=(600, 120, 80)),
     # daughter 20: RBS 3 451 + 400 housing; Kindergeld 259 − 30 € flat (adult) = 229 counted; mother 563 + 400 (no single-parent
     # Mehrbedarf: no minor child); 1,814 − 229 = 1,585 + 25 = 1,610
     "1610.00"),
    ("schuelerjob_17_unter_minijobgrenze", dict(as_of=M26, alter=40, partner=dict(alter=38), kinder=[dict(alter=17, job=(450, 450, False))],
                                               miete=(700, 120, 80)),
     # §11b Abs. 2b: 450 ≤ 603 (Minijob limit 2026) → nothing counted; 2 × 506 + 471 + 900 = 2,383 − 259 KG = 2,124 + 25
     "2149.00"),
    ("azubi_19_ausbildungsverguetung", dict(as_of=M26, alter=45, kinder=[dict(alter=19, ausbildung="ausbildung", job=(1000, 800, False))],
                                           miete=(600, 120, 80)),
     # §11b Abs. 2b: 603 + 30 % × (1,000 − 603) = 119.10 → 722.10; counted 800 − 722.10 = 77.90 (no 30 € flat: earnings);
     # Kindergeld 259 counted; needs 563 + 451 + 800 = 1,814 − 336.90 = 1,477.10 + 25 = 1,502.10
     "1502.10"),
    ("ferienjob_16_nicht_angerechnet", dict(as_of=M26, alter=42, partner=dict(alter=40), kinder=[dict(alter=16, job=(900, 900, True))]),
     # holiday job of a pupil under 25: not income (§11a Abs. 7); 2 × 506 + 471 = 1,483 − 259 = 1,224 + 25 = 1,249
     "1249.00"),
    ("jugendlicher_17_job_ohne_ausbildung", dict(as_of=M26, alter=40, kinder=[dict(alter=17, ausbildung="keine", job=(400, 400, False))],
                                                miete=(450, 100, 50)),
     # normal §11b: 100 + 20 % × 300 = 160 → 240 counted; child 471 + 300 ≥ 240 + 259; mother 563 + 67.56 + 300;
     # needs 1,701.56 − 499 = 1,202.56 + 25 = 1,227.56
     "1227.56"),
    # --- earnings, self-employment, deductions ------------------------------------------------------
    ("einkommen_knapp_ueber_bedarf", dict(as_of=M26, alter=35, einkommen=dict(brutto=1900, netto=1420), miete=(380, 70, 50)),
     # allowance at most 348 (no child) → 1,072 counted > 563 + 500 = 1,063 needs → 0
     "0.00"),
    ("selbststaendig_gewinn_420", dict(as_of=M26, alter=38, einkommen=dict(selbststaendig=420), miete=(450, 90, 60)),
     # profit 420: 100 + 20 % × 320 = 164 → 256 counted; 563 + 600 − 256 = 907
     "907.00"),
    ("paar_minijob_und_arbeitslosengeld", dict(as_of=M26, alter=29, einkommen=dict(brutto=520, netto=520),
                                               partner=dict(alter=31, einkommen=dict(sonstiges=400)), miete=(380, 85, 55)),
     # applicant 520 − (100 + 84) = 336; partner ALG 400 − 30 flat = 370; 2 × 506 + 520 − 706 = 826
     "826.00"),
    ("hoehere_absetzbetraege", dict(as_of=M25, alter=45, einkommen=dict(brutto=1100, netto=880, absetzbetraege=150)),
     # gross > 400 and proven 150 > 100: 150 + 84 + 144 + 10 = 388 → 492 counted; 563 − 492 = 71
     "71.00"),
    # --- Kinder-Sofortzuschlag ------------------------------------------------------------------------
    ("sofortzuschlag_nur_wegen_kindergeld", dict(as_of=M26, alter=30, kinder=[dict(alter=4)], einkommen=dict(brutto=2700, netto=2028),
                                                miete=(520, 110, 70)),
     # needs 563 + 36 % × 563 = 202.68 + 357 + 700 = 1,822.68; allowance 378 (minor child) → 1,650; + 259 KG = 1,909 → 0 Bürgergeld;
     # without Kindergeld 1,822.68 > 1,650: no claim only because of Kindergeld → Sofortzuschlag 25 (§72 Abs. 1 S. 2 Nr. 2)
     "25.00"),
    ("sofortzuschlag_2024_zwanzig_euro", dict(as_of=J24, alter=30, partner=dict(alter=30), kinder=[dict(alter=3)]),
     # 2 × 506 + 357 = 1,369 − 250 Kindergeld (2024) = 1,119 + 20 (Sofortzuschlag before 2025) = 1,139
     "1139.00"),
    # --- extra needs ------------------------------------------------------------------------------------
    ("behinderung_und_dezentrales_warmwasser", dict(as_of=M26, alter=50, behinderung="ich", warmwasser="dezentral", miete=(300, 50, 50)),
     # 35 % × 563 = 197.05 (§21 Abs. 4); 2.3 % × 563 = 12.949 → 12.95 (§21 Abs. 7); 563 + 197.05 + 12.95 + 400 = 1,173
     "1173.00"),
    ("familie_dezentrales_warmwasser", dict(as_of=N26, alter=41, partner=dict(alter=39), kinder=[dict(alter=4), dict(alter=10), dict(alter=15)],
                                            warmwasser="dezentral", miete=(600, 130, 70)),
     # Regelbedarfe 2 × 506 + 357 + 390 + 471 = 2,230; §21 Abs. 7 hot water, each member's own share of their own level,
     # rounded per person: 2.3 % × 506 = 11.638 → 11.64 (twice), 0.8 % × 357 = 2.856 → 2.86, 1.2 % × 390 = 4.68,
     # 1.4 % × 471 = 6.594 → 6.59: 37.41; + 800 housing = 3,067.41; Kindergeld 3 × 259 = 777 → 2,290.41 + 3 × 25
     "2365.41"),
    ("ernaehrung_nicht_enthalten", dict(as_of=M26, alter=44, ernaehrung=True),
     # §21 Abs. 5: named as not included (amount decided on a medical certificate); 563
     "563.00"),
    # --- Elterngeld (§10 Abs. 5 BEEG: free only up to the earnings before the birth, at most 300 €; halved
    # with ElterngeldPlus; without earnings before the birth it counts in full) ----------------------------
    ("elterngeld_ohne_einkommen_vor_der_geburt", dict(as_of=N26, alter=27, kinder=[dict(alter=0)], miete=(450, 90, 60),
                                                      einkommen=dict(elterngeld=(300, False, None))),
     # needs: 563 (RBS 1) + 357 (RBS 6) + 36 % × 563 = 202.68 (§21 Abs. 3, child under 7) + 600 housing = 1,722.68;
     # income: baby's Kindergeld 259 (< its need 357 + 300); mother's Mindestelterngeld 300, nothing free (§10 Abs. 5
     # S. 1 BEEG, no earnings before the birth) − 30 Versicherungspauschale (§6 Abs. 1 Nr. 1 Bürgergeld-V) = 270;
     # 1,722.68 − 529 = 1,193.68 + 25 Sofortzuschlag (§72) = 1,218.68
     "1218.68"),
    ("elterngeld_mit_einkommen_vor_der_geburt", dict(as_of=N26, alter=27, kinder=[dict(alter=0)], miete=(450, 90, 60),
                                                     einkommen=dict(elterngeld=(800, False, 1200))),
     # same household; Basiselterngeld 800 on earnings before the birth of 1,200: free min(800, 1,200, 300) = 300
     # (§10 Abs. 5 S. 2 BEEG); counted 500 − 30 = 470; income 259 + 470 = 729; 1,722.68 − 729 = 993.68 + 25
     "1018.68"),
    ("elterngeld_einkommen_vor_der_geburt_unter_300", dict(as_of=N26, alter=24, kinder=[dict(alter=0)],
                                                          einkommen=dict(elterngeld=(300, False, 200))),
     # a Minijob of 200 before the birth: Elterngeld 300 (minimum), free min(300, 200, 300) = 200; counted 100 − 30 = 70;
     # needs 563 + 357 + 202.68 = 1,122.68 (no rent); income 259 + 70 = 329; 793.68 + 25 = 818.68
     "818.68"),
    ("elterngeldplus_partnerin", dict(as_of=N26, alter=34, partner=dict(alter=32, einkommen=dict(elterngeld=(400, True, 1000))),
                                      kinder=[dict(alter=0)], miete=(500, 120, 80)),
     # couple: 2 × 506 (RBS 2) + 357 + 700 housing = 2,069; partner's ElterngeldPlus 400 on earnings of 1,000: both
     # amounts halved (§10 Abs. 5 S. 3 BEEG), free min(400, 500, 150) = 150; counted 250 − 30 = 220;
     # income 259 + 220 = 479; 2,069 − 479 = 1,590 + 25 = 1,615
     "1615.00"),
    ("elterngeld_und_teilzeitlohn", dict(as_of=N26, alter=31, kinder=[dict(alter=0)],
                                         einkommen=dict(brutto=520, netto=520, elterngeld=(400, False, 1500))),
     # part-time wage 520: §11b allowance 100 + 20 % × 420 = 184 → 336 counted; Elterngeld 400, free 300 → 100, no
     # Versicherungspauschale (it is part of the 100 € basic allowance, §11b Abs. 2); income 259 + 336 + 100 = 695;
     # needs 1,122.68 − 695 = 427.68 + 25 = 452.68
     "452.68"),
    # --- a member unable to work, through a partner able to work (§7 Abs. 2, 3 SGB II) ---------------------
    ("nicht_erwerbsfaehig_mit_erwerbsfaehigem_partner", dict(as_of=N26, alter=50, partner=dict(alter=48, einkommen=dict(brutto=1000, netto=800)),
                                                            miete=(450, 90, 60), gates=dict(erwerbsfaehig=False, partner_erwerbsfaehig=True)),
     # the applicant (50) cannot work 3 hours a day, her husband (48) can: both in his Bedarfsgemeinschaft, she gets
     # Bürgergeld for members unable to work at the same level (§23, RBS 2): 2 × 506 + 600 housing = 1,612; his wage:
     # §11b allowance 100 + 20 % × 420 = 84 + 30 % × 480 = 144 → 328, counted 800 − 328 = 472; 1,612 − 472 = 1,140
     "1140.00"),
    # --- single parents with several children (§21 Abs. 3 SGB II) ----------------------------------------
    ("alleinerziehend_zwei_kinder_8_und_12", dict(as_of=N26, alter=38, kinder=[dict(alter=8), dict(alter=12)], miete=(520, 110, 70)),
     # two children under 16 → 36 % (Nr. 1), more than 2 × 12 %: 36 % × 563 = 202.68; needs 563 + 2 × 390 + 202.68 + 700
     # = 2,245.68; Kindergeld 2 × 259 = 518; 1,727.68 + 2 × 25 = 1,777.68
     "1777.68"),
    ("alleinerziehend_fuenf_kinder_60_prozent", dict(as_of=N26, alter=40, kinder=[dict(alter=2), dict(alter=5), dict(alter=9), dict(alter=13),
                                                                             dict(alter=16)], miete=(900, 200, 150)),
     # five minors: 12 % each = 60 % (Nr. 2, the upper limit) > 36 %: 0.60 × 563 = 337.80; needs 563 + 337.80 + 2 × 357
     # + 2 × 390 + 471 + 1,250 = 4,115.80; Kindergeld 5 × 259 = 1,295; 2,820.80 + 5 × 25 = 2,945.80
     "2945.80"),
    # --- assets -------------------------------------------------------------------------------------------
    ("vermoegen_in_der_karenzzeit", dict(as_of=M26, alter=40, vermoegen=dict(betrag=20000)),
     # first application before 1.7.2026: Karenzzeit allowance 40,000 ≥ 20,000 → 563
     "563.00"),
    ("vermoegen_nach_der_karenzzeit", dict(as_of=M26, alter=40, vermoegen=dict(betrag=20000, bezug_monate=14)),
     # 14 months of earlier receipt: Karenzzeit used; 15,000 per person < 20,000 → no claim (§12)
     "0.00"),
    ("auto_angemessen_nicht_angerechnet", dict(as_of=M26, alter=40, vermoegen=dict(betrag=5000, bezug_monate=14),
                                              antrag={"vermoegen/fahrzeug": True,
                                                      "vermoegen/fahrzeuge": [{"bezeichnung": "VW Golf", "wert": 9000, "inhaber": "antragsteller", "angemessen": True}]}),
     # the car (9,000) is exempt (§12 Abs. 1 S. 2 Nr. 2); countable 5,000 ≤ 15,000 → 563
     "563.00"),
    ("neue_grundsicherung_45_jahre", dict(as_of=A26, alter=45, vermoegen=dict(betrag=12000)),
     # from 1.7.2026 no Karenzzeit; allowance by age: 40–49 → 12,500 ≥ 12,000 → 563
     "563.00"),
    ("neue_grundsicherung_35_jahre", dict(as_of=A26, alter=35, vermoegen=dict(betrag=12000)),
     # 20–39 → 10,000 < 12,000 → no claim
     "0.00"),
]

GATE_SITUATIONS = [
    ("nicht_erwerbsfaehig", dict(as_of=M26, alter=50, gates=dict(erwerbsfaehig=False, partner_erwerbsfaehig=False)), "erwerbsfaehig"),
    ("nicht_erwerbsfaehig_partner_auch_nicht", dict(as_of=M26, alter=50, partner=dict(alter=52), gates=dict(erwerbsfaehig=False, partner_erwerbsfaehig=False),
                                                    antrag={"haushalt/partner/erwerbsfaehig": False}), "erwerbsfaehig"),
    ("altersrente", dict(as_of=M26, alter=64, gates=dict(altersrente=True)), "altersrente"),
    ("regelaltersgrenze", dict(as_of=M26, alter=67), "rentengrenze"),
    ("duldung_asylblg", dict(as_of=M26, alter=30, gates=dict(staatsangehoerigkeit="andere", aufenthalt="asylblg"), status="duldung", zweck="sonstiges"), "asylblg"),
    ("erste_drei_monate", dict(as_of=M26, alter=30, gates=dict(staatsangehoerigkeit="eu", aufenthalt="erste_drei_monate"),
                               einreise="2026-01-20", zweck="familie"), "erste_drei_monate"),
    ("nur_arbeitsuche", dict(as_of=M26, alter=30, gates=dict(staatsangehoerigkeit="eu", aufenthalt="arbeitsuche"), zweck="arbeitsuche"), "arbeitsuche"),
    ("studium_bafoeg", dict(as_of=M26, alter=22, gates=dict(ausbildung_foerderfaehig=True)), "ausbildung"),
    ("krankenhaus_ueber_6_monate", dict(as_of=M26, alter=50, gates=dict(stationaer="krankenhaus")), "krankenhaus"),
    ("haft", dict(as_of=M26, alter=33, gates=dict(stationaer="haft")), "haft"),
]


@pytest.fixture(scope="module")
def forms():
    return load_form("forms/buergergeld-rechner"), load_form("forms/buergergeld")


def checked(forms, situation):
    rechner, antrag = forms
    by_calculator = rechner.check(calculator(situation), as_of=situation["as_of"])
    by_application = antrag.check(application(situation), as_of=situation["as_of"])
    assert by_calculator.errors == () or list(by_calculator.errors) == [], by_calculator.errors
    assert list(by_application.errors) == [], [(e.path, e.message) for e in by_application.errors]
    return by_calculator, by_application


def both(forms, situation):
    by_calculator, by_application = checked(forms, situation)
    return by_calculator.computed["/schaetzung"], by_application.computed["/schaetzung"]


def test_there_are_at_least_25_worked_situations():
    assert len(SITUATIONS) + len(GATE_SITUATIONS) >= 25


@pytest.mark.parametrize("name, situation, expected", SITUATIONS, ids=[s[0] for s in SITUATIONS])
def test_worked_situation_agrees_in_calculator_and_application(forms, name, situation, expected):
    calc, app = both(forms, situation)
    assert calc["anspruch"] == Decimal(expected), calc["zeilen"]
    assert app["anspruch"] == Decimal(expected), app["zeilen"]
    for key in ("bedarf", "einkommen", "buergergeld", "sofortzuschlag"):
        assert calc[key] == app[key], key
    assert all(line["label_de"] and line["label_en"] for line in calc["zeilen"])


@pytest.mark.parametrize("name, situation, reason", GATE_SITUATIONS, ids=[s[0] for s in GATE_SITUATIONS])
def test_eligibility_gate_explains_and_estimates_nothing(forms, name, situation, reason):
    by_calculator, by_application = checked(forms, situation)
    # the calculator ends after its first page: the other pages do not apply (pruned), no
    # estimate is computed, and the first page explains why and where to go (an info finding)
    assert "/schaetzung" not in by_calculator.computed
    assert {p.split("/")[1] for p in by_calculator.pruned} == {"haushalt", "wohnen", "einkommen", "mehrbedarf", "vermoegen"}
    assert not any(p.startswith("/haushalt") for p in by_calculator.relevant)
    infos = [w for w in by_calculator.warnings if w.rule and w.rule.startswith("kein-sgb2")]
    assert infos and all(w.path.startswith("/voraussetzungen") and "Schätzung" in w.message for w in infos)
    # the application keeps its pages (the Jobcenter decides; §16 Abs. 2 SGB I), and its
    # estimate says there is none and why
    app = by_application.computed["/schaetzung"]
    assert app["voraussetzungen_erfuellt"] is False and app["anspruch"] == 0
    assert [line["key"] for line in app["zeilen"]] == [f"voraussetzung.{reason}"]
    assert app["zeilen"][0]["label_de"].startswith("Keine Schätzung:")
