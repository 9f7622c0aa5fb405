"""A rough, non-binding estimate of Bürgergeld (SGB II) for one month.

Rates live in effective-dated tables (:data:`RATES`): the table in force on
the first day of the month asked for is used, so a reform (the announced
"Neue Grundsicherung") is one more entry, not new code.

Input (the answers of ``forms/buergergeld-rechner``, also built by the
application form)::

    {"haushalt": {"alter": 34, "partner": false, "partner_alter": 35,
                  "alleinerziehend": true, "schwanger": false,
                  "kinder": [{"alter": 6, "kindergeld": 255, "unterhalt": 299}]},
     "wohnen": {"kaltmiete": 400, "nebenkosten": 100, "heizkosten": 79, "warmwasser": "zentral"},
     "einkommen": {"antragsteller": {"brutto": 538, "netto": 538, "absetzbetraege": 0, "sonstiges": 0},
                   "partner": {...}}}

Every key is optional (missing amounts count as 0). The method, simplified
where the law needs facts a short form does not ask:

1. Needs: Regelbedarf by Regelbedarfsstufe (§20, §23), Mehrbedarfe (§21:
   single parents, pregnancy, decentral hot water; shares of the person's
   Regelbedarf, not rounded, shown to the cent), the Kinder-Sofortzuschlag
   (§72) for members in RBS 3–6, and the housing costs as stated (during the
   Karenzzeit they are taken as they are), split per head.
2. Income: earned income less the §11b allowances (100 € base, or higher
   proven deductions when gross > 400 €; 20 % of 100–520 €, 30 % of
   520–1,000 €, 10 % of 1,000–1,200 € or 1,500 € with a minor child); other
   income of adults less the 30 € insurance flat (§6 Alg II-V); Kindergeld and
   maintenance as the child's income up to the child's own need, surplus
   Kindergeld as the parent's income.
3. Entitlement = needs − countable income, at least 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Rates:
    valid_from: date
    regelbedarf: dict[int, Decimal]  # Regelbedarfsstufe -> EUR per month
    sofortzuschlag: Decimal
    kindergeld: Decimal
    mehrbedarf_schwanger: Decimal  # share of the Regelbedarf
    mehrbedarf_warmwasser: dict[int, Decimal]  # by Regelbedarfsstufe
    grundfreibetrag: Decimal = Decimal(100)
    #: (lower, upper, share) of gross earnings left free; upper of the last band depends on children
    bands: tuple[tuple[Decimal, Decimal, Decimal], ...] = (
        (Decimal(100), Decimal(520), Decimal("0.20")),
        (Decimal(520), Decimal(1000), Decimal("0.30")),
    )
    last_band: tuple[Decimal, Decimal, Decimal, Decimal] = (Decimal(1000), Decimal(1200), Decimal(1500), Decimal("0.10"))
    actual_deductions_above: Decimal = Decimal(400)
    versicherungspauschale: Decimal = Decimal(30)
    sources: tuple[str, ...] = field(default=())


_RB_2024_2026 = {1: Decimal(563), 2: Decimal(506), 3: Decimal(451), 4: Decimal(471), 5: Decimal(390), 6: Decimal(357)}
_WW = {1: Decimal("0.023"), 2: Decimal("0.023"), 3: Decimal("0.023"), 4: Decimal("0.014"),
       5: Decimal("0.012"), 6: Decimal("0.008")}

#: Effective-dated rate tables, oldest first. Regelbedarfe unchanged 2024–2026
#: (Besitzschutz, Regelbedarfsstufen-Fortschreibungsverordnungen 2025/2026);
#: Kindergeld 250 € (2024), 255 € (2025), 259 € (2026); Sofortzuschlag 25 € since 2024.
RATES: tuple[Rates, ...] = (
    Rates(date(2024, 1, 1), _RB_2024_2026, Decimal(25), Decimal(250), Decimal("0.17"), _WW,
          sources=("§20, §21, §23, §72 SGB II; RBSFV 2024",)),
    Rates(date(2025, 1, 1), _RB_2024_2026, Decimal(25), Decimal(255), Decimal("0.17"), _WW,
          sources=("RBSFV 2025 (no increase)", "Kindergeld 255 € (§66 EStG)")),
    Rates(date(2026, 1, 1), _RB_2024_2026, Decimal(25), Decimal(259), Decimal("0.17"), _WW,
          sources=("RBSFV 2026 (no increase)", "Kindergeld 259 € (§66 EStG)")),
)


def rates_for(day: date) -> Rates:
    """The table in force on the first day of ``day``'s month."""
    first = day.replace(day=1)
    applicable = [r for r in RATES if r.valid_from <= first]
    if not applicable:
        raise ValueError(f"no Bürgergeld rates before {RATES[0].valid_from.isoformat()}")
    return applicable[-1]


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _num(value: Any) -> Decimal:
    if value is None or isinstance(value, bool):
        return Decimal(0)
    if isinstance(value, (int, float, Decimal)):
        return Decimal(str(value))
    return Decimal(0)


def _pct(share: Decimal) -> str:
    text = f"{(share * 100).normalize():f}"
    return text


@dataclass
class Line:
    key: str
    label_de: str
    label_en: str
    amount: Decimal  # positive: a need; negative: income counted against it

    def to_json(self) -> dict:
        return {"key": self.key, "label_de": self.label_de, "label_en": self.label_en, "amount": float(self.amount)}


@dataclass
class Estimate:
    month: str
    lines: list[Line]
    needs: Decimal
    income: Decimal
    entitlement: Decimal

    def to_json(self) -> dict:
        return {"monat": self.month, "zeilen": [line.to_json() for line in self.lines],
                "bedarf": float(self.needs), "einkommen": float(self.income),
                "anspruch": float(self.entitlement), "unverbindlich": True}


@dataclass
class _Member:
    key: str
    name_de: str
    name_en: str
    age: int
    stufe: int
    is_child: bool
    need: Decimal = Decimal(0)
    income: Decimal = Decimal(0)


def _stufe_for_child(age: int) -> int | None:
    if age < 6:
        return 6
    if age < 14:
        return 5
    if age < 18:
        return 4
    if age < 25:
        return 3
    return None  # 25 and over: not part of the parents' Bedarfsgemeinschaft


def _allowance(gross: Decimal, deductions: Decimal, minor_child: bool, rates: Rates) -> Decimal:
    base = rates.grundfreibetrag
    if gross > rates.actual_deductions_above and deductions > base:
        base = deductions
    free = min(base, gross) if gross <= rates.grundfreibetrag else base
    for lower, upper, share in rates.bands:
        if gross > lower:
            free += (min(gross, upper) - lower) * share
    lower, upper_plain, upper_child, share = rates.last_band
    upper = upper_child if minor_child else upper_plain
    if gross > lower:
        free += (min(gross, upper) - lower) * share
    return _money(free)


def estimate(answers: dict, day: date) -> Estimate:
    """The estimate for the month of ``day`` (see the module doc for the method)."""
    rates = rates_for(day)
    household = answers.get("haushalt") or {}
    housing = answers.get("wohnen") or {}
    incomes = answers.get("einkommen") or {}
    has_partner = household.get("partner") is True
    lines: list[Line] = []

    members = [_Member("antragsteller", "Sie", "you", int(_num(household.get("alter")) or 30),
                       2 if has_partner else 1, False)]
    if has_partner:
        members.append(_Member("partner", "Partnerin/Partner", "partner", int(_num(household.get("partner_alter")) or 30), 2, False))
    children = []
    for i, child in enumerate(household.get("kinder") or []):
        if not isinstance(child, dict):
            continue
        age = int(_num(child.get("alter")))
        stufe = _stufe_for_child(age)
        if stufe is None:
            continue
        member = _Member(f"kind{i + 1}", f"Kind {i + 1} ({age} J.)", f"child {i + 1} (age {age})", age, stufe, True)
        members.append(member)
        children.append((member, child))

    # 1. Needs -------------------------------------------------------------------
    for m in members:
        amount = rates.regelbedarf[m.stufe]
        m.need += amount
        lines.append(Line(f"regelbedarf.{m.key}", f"Regelbedarf {m.name_de} (Stufe {m.stufe})",
                          f"Standard need, {m.name_en} (level {m.stufe})", amount))
    applicant = members[0]
    minors = [m for m in members if m.is_child and m.age < 18]
    if not has_partner and household.get("alleinerziehend") is True and minors:
        under7 = sum(m.age < 7 for m in minors)
        under16 = sum(m.age < 16 for m in minors)
        share = Decimal("0.36") if under7 or 2 <= under16 <= 3 else Decimal(0)
        share = min(max(share, Decimal("0.12") * len(minors)), Decimal("0.60"))
        amount = _money(rates.regelbedarf[applicant.stufe] * share)
        applicant.need += amount
        lines.append(Line("mehrbedarf.alleinerziehend",
                          f"Mehrbedarf für Alleinerziehende ({_pct(share)} % von {rates.regelbedarf[applicant.stufe]} €)",
                          f"Extra need, single parent ({_pct(share)} % of {rates.regelbedarf[applicant.stufe]} €)", amount))
    if household.get("schwanger") is True:
        amount = _money(rates.regelbedarf[applicant.stufe] * rates.mehrbedarf_schwanger)
        applicant.need += amount
        lines.append(Line("mehrbedarf.schwanger", f"Mehrbedarf bei Schwangerschaft ({_pct(rates.mehrbedarf_schwanger)} %)",
                          f"Extra need, pregnancy ({_pct(rates.mehrbedarf_schwanger)} %)", amount))
    if housing.get("warmwasser") == "dezentral":
        for m in members:
            share = rates.mehrbedarf_warmwasser[m.stufe]
            amount = _money(rates.regelbedarf[m.stufe] * share)
            m.need += amount
            lines.append(Line(f"mehrbedarf.warmwasser.{m.key}", f"Mehrbedarf Warmwasser {m.name_de} ({_pct(share)} %)",
                              f"Extra need, hot water, {m.name_en} ({_pct(share)} %)", amount))
    for m in members:
        if m.stufe >= 3 and m.is_child:
            m.need += rates.sofortzuschlag
            lines.append(Line(f"sofortzuschlag.{m.key}", f"Kinder-Sofortzuschlag {m.name_de}",
                              f"Immediate child supplement, {m.name_en}", rates.sofortzuschlag))
    housing_costs = _num(housing.get("kaltmiete")) + _num(housing.get("nebenkosten")) + _num(housing.get("heizkosten"))
    if housing_costs > 0:
        share = housing_costs / len(members)
        for m in members:
            m.need += share
        lines.append(Line("unterkunft", "Kosten der Unterkunft und Heizung", "Housing and heating costs", _money(housing_costs)))

    # 2. Income ---------------------------------------------------------------------
    adults = {"antragsteller": applicant, "partner": members[1] if has_partner else None}
    for key, person in adults.items():
        data = incomes.get(key) if isinstance(incomes.get(key), dict) else {}
        if person is None or not data:
            continue
        gross, net = _num(data.get("brutto")), _num(data.get("netto"))
        if net > 0:
            free = _allowance(gross, _num(data.get("absetzbetraege")), bool(minors), rates)
            countable = max(Decimal(0), _money(net - free))
            person.income += countable
            lines.append(Line(f"einkommen.{key}", f"Einkommen aus Arbeit {person.name_de} (netto {net:.2f} €, Freibetrag {free:.2f} €)",
                              f"Earnings, {person.name_en} (net {net:.2f} €, allowance {free:.2f} €)", -countable))
        other = _num(data.get("sonstiges"))
        if other > 0:
            flat = rates.versicherungspauschale if net <= 0 else Decimal(0)
            countable = max(Decimal(0), _money(other - flat))
            person.income += countable
            lines.append(Line(f"sonstiges.{key}", f"Sonstiges Einkommen {person.name_de}", f"Other income, {person.name_en}", -countable))
    for m, child in children:
        kindergeld, maintenance = _num(child.get("kindergeld")), _num(child.get("unterhalt"))
        counted_maintenance = min(maintenance, m.need)
        counted_kindergeld = min(kindergeld, m.need - counted_maintenance)
        if counted_kindergeld > 0:
            lines.append(Line(f"kindergeld.{m.key}", f"Kindergeld {m.name_de}", f"Child benefit, {m.name_en}", -_money(counted_kindergeld)))
        if counted_maintenance > 0:
            lines.append(Line(f"unterhalt.{m.key}", f"Unterhalt/Unterhaltsvorschuss {m.name_de}",
                              f"Maintenance, {m.name_en}", -_money(counted_maintenance)))
        m.income += counted_kindergeld + counted_maintenance
        surplus = kindergeld - counted_kindergeld
        if surplus > 0:
            applicant.income += surplus
            lines.append(Line(f"kindergeldueberhang.{m.key}", f"Kindergeld über dem Bedarf {m.name_de} (Einkommen der Eltern)",
                              f"Child benefit above the child's need, {m.name_en} (parents' income)", -_money(surplus)))

    needs = _money(sum((line.amount for line in lines if line.amount > 0), Decimal(0)))
    income = _money(-sum((line.amount for line in lines if line.amount < 0), Decimal(0)))
    return Estimate(day.strftime("%Y-%m"), lines, needs, income, max(Decimal(0), _money(needs - income)))


def _age(birth: Any, day: date) -> int | None:
    from .functions import _date, age_on

    return age_on(birth, day.isoformat()) if _date(birth) is not None else None


def calculator_input_from_application(answers: dict, day: date) -> dict:
    """Map the answers of ``forms/buergergeld`` (the application) onto the
    calculator's input, so that its review page shows the same estimate as
    ``forms/buergergeld-rechner``. Unanswered parts count as absent."""
    rates = rates_for(day)
    person = answers.get("person") or {}
    household = answers.get("haushalt") or {}
    housing = answers.get("wohnen") or {}
    extra = answers.get("mehrbedarf") or {}
    partner = household.get("partner") if household.get("partner_im_haushalt") is True else None
    children = []
    for child in household.get("kinder") or []:
        if not isinstance(child, dict):
            continue
        age = _age(child.get("geburtsdatum"), day)
        if age is None:
            continue
        annex = child.get("ki") or child.get("wep") or {}
        children.append({
            "alter": age,
            "kindergeld": rates.kindergeld if annex.get("kindergeld_bezogen") is True else 0,
            "unterhalt": annex.get("unterhalt_betrag") or 0,
        })
    if housing.get("wohnsituation") == "eigentum":
        rent = _num(housing.get("schuldzinsen")) + _num(housing.get("grundsteuer"))
    else:
        rent = _num(housing.get("kaltmiete"))
    income: dict[str, dict] = {}
    for item in (answers.get("einkommen") or {}).get("einkuenfte") or []:
        if not isinstance(item, dict) or item.get("person") not in ("antragsteller", "partner"):
            continue
        entry = income.setdefault(item["person"], {"brutto": Decimal(0), "netto": Decimal(0), "sonstiges": Decimal(0)})
        if item.get("art") == "erwerbstaetigkeit":
            entry["brutto"] += _num(item.get("brutto"))
            entry["netto"] += _num(item.get("netto"))
        elif item.get("art") == "selbststaendig":
            profit = _num((item.get("eks") or {}).get("gewinn_monatlich"))
            entry["brutto"] += profit
            entry["netto"] += profit
        elif item.get("art") != "kindergeld":  # Kindergeld is taken per child above
            entry["sonstiges"] += _num(item.get("betrag"))
    return {
        "haushalt": {
            "alter": _age(person.get("geburtsdatum"), day) or 30,
            "partner": partner is not None,
            "partner_alter": _age((partner or {}).get("geburtsdatum"), day) or 30,
            "alleinerziehend": household.get("alleinerziehend") is True,
            "schwanger": extra.get("schwanger") is True,
            "kinder": children,
        },
        "wohnen": {"kaltmiete": rent, "nebenkosten": _num(housing.get("nebenkosten")),
                   "heizkosten": _num(housing.get("heizkosten")), "warmwasser": housing.get("warmwasser")},
        "einkommen": income,
    }
