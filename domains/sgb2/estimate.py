"""A rough, non-binding estimate of Bürgergeld (SGB II) for one month.

Input: the answers of ``forms/buergergeld-rechner`` (the application form is
mapped onto the same shape by :mod:`domains.sgb2.application`)::

    {"voraussetzungen": {...},                      # see domains.sgb2.eligibility
     "haushalt": {"alter": 34, "partner": false, "partner_alter": 35, "partner_vorname": "Jonas",  # names the lines
                  "alleinerziehend": true,
                  "schwanger": true, "schwangere_person": "ich", "entbindungstermin": "2026-05-01",
                  "kinder": [{"alter": 17, "kindergeld": 259, "unterhalt": 0, "ausbildung": "schule",
                              "erwerbstaetig": true, "brutto": 300, "netto": 300, "ferienjob": false,
                              "sonstiges": 0}],
                  "weitere_personen": true, "weitere_anzahl": 1},   # people in the flat outside the household
     "wohnen": {"kaltmiete": 400, "nebenkosten": 100, "heizkosten": 79, "warmwasser": "zentral"},
     "einkommen": {"antragsteller": {"brutto": 538, "netto": 538, "absetzbetraege": 0, "sonstiges": 0,
                                     "elterngeld": 450, "elterngeld_plus": false,       # §10 Abs. 5 BEEG
                                     "erwerbstaetig_vor_geburt": true, "einkommen_vor_geburt": 1200},
                   "partner": {...}},
     "mehrbedarf": {"behinderung": false, "behinderung_person": "ich", "ernaehrung": false, "besonderer_bedarf": false},
     "vermoegen": {"vorhanden": true, "betrag": 12000, "bezug_monate": 0}}

Every key is optional (missing amounts count as 0). The method:

0. Eligibility (§7, §7a, §8): if SGB II does not apply, the result says why
   and where to go instead, and estimates nothing.
1. Needs per member: Regelbedarf by Regelbedarfsstufe (§20, §23), Mehrbedarfe
   (§21: single parents, pregnancy after the 12th week for the pregnant person
   at her own level, disability with Teilhabe am Arbeitsleben, decentral hot
   water; shares of the person's Regelbedarf, not rounded until the line), and
   the housing costs split per head among everyone living in the flat, members
   or not (Kopfteilprinzip, §22; BSG B 14/7b AS 58/06 R), as stated.
2. Income per member: earnings less the §11b allowances (for pupils, students
   and trainees under 25 the Minijob limit, §11b Abs. 2b; holiday jobs of pupils
   not counted, §11a Abs. 7); other income less the 30 € insurance flat of §6
   Bürgergeld-V for adults; Elterngeld less the part §10 Abs. 5 BEEG leaves free
   (earnings before the birth up to 300 €, halved with ElterngeldPlus); a child's maintenance, Unterhaltsvorschuss and
   Kindergeld count as the child's income up to the child's need (§11 Abs. 1
   S. 5), surplus Kindergeld as the parent's income.
3. Assets (§12): countable assets above the allowance in force mean no claim.
4. Bürgergeld = needs − income, at least 0; the Kinder-Sofortzuschlag (§72)
   is paid on top for each child with a claim, or without one only because of
   Kindergeld.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from . import eligibility, rates

CENT = Decimal("0.01")
ZERO = Decimal(0)
_SHARE_12, _SHARE_36, _SHARE_60 = Decimal("0.12"), Decimal("0.36"), Decimal("0.60")  # §21 Abs. 3 SGB II


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)  # positional: the keyword costs half again (performance)


def num(value: Any) -> Decimal:
    kind = type(value)  # the common types first (performance); the same values as Decimal(str(value))
    if kind is Decimal:
        return value
    if kind is float:
        return Decimal(str(value))
    if kind is int:
        try:
            return _INTS[value]
        except KeyError:
            found = Decimal(value)
            if len(_INTS) < 2048:
                _INTS[value] = found
            return found
    if value is None or isinstance(value, bool):
        return ZERO
    if isinstance(value, (int, float, Decimal)):
        return Decimal(str(value))
    return ZERO


#: int -> Decimal(int): JSON answers bring whole amounts and counts as ints (performance)
_INTS: dict[int, Decimal] = {}

_DE_SEPARATORS = str.maketrans(",.", ".,")


def _eur(value: Decimal, lang: str) -> str:
    rounded = value.quantize(CENT, ROUND_HALF_UP)
    text = f"{abs(rounded):,.2f}"
    if lang == "de":
        return f"{'-' if rounded < 0 else ''}{text.translate(_DE_SEPARATORS)} €"
    return f"{'-' if rounded < 0 else ''}€{text}"


#: str(amount) -> its text in German and English. An estimate writes some 20 to 40
#: amounts, many of them the same few (Regelbedarfe, Kindergeld, allowances), nearly
#: each in both languages; formatting one costs about 1 µs. Keyed by the amount's str,
#: which is exact (sign, digits, exponent) and, unlike a Decimal's hash (about 1 µs for
#: a new non-integral Decimal), cheap for the new Decimals each estimate computes
#: (performance).
_EURS: dict[str, tuple[str, str]] = {}
_LANG = {"de": 0, "en": 1}


def eurs(value: Decimal) -> tuple[str, str]:
    """``(eur(value, "de"), eur(value, "en"))``, rounded and formatted once."""
    key = str(value)
    try:
        return _EURS[key]
    except KeyError:
        pass
    rounded = value.quantize(CENT, ROUND_HALF_UP)
    text = f"{abs(rounded):,.2f}"
    sign = "-" if rounded < 0 else ""
    found = (f"{sign}{text.translate(_DE_SEPARATORS)} €", f"{sign}€{text}")
    if len(_EURS) >= 4096:
        _EURS.clear()
    _EURS[key] = found
    return found


def eur(value: Decimal, lang: str) -> str:
    """An amount as the language writes it, as Babel's currency format does
    on the pages: 1.234,50 € in German, €1,234.50 in English."""
    index = _LANG.get(lang)
    if index is None:
        return _eur(value, lang)
    return eurs(value)[index]


_PCT: dict[str, str] = {}

#: str(amount) -> float(amount) for nonzero amounts: a Decimal converts to float
#: through its text, about 0.5 µs, and an estimate's JSON has some 20 amounts
#: (performance; keyed by str as :data:`_EURS`). Zeros are answered directly.
_FLOAT: dict[str, float] = {}


def as_float(amount: Decimal) -> float:
    """``float(amount)``, looked up when the amount was converted before."""
    if not amount:
        return -0.0 if amount.is_signed() else 0.0
    key = str(amount)
    try:
        return _FLOAT[key]
    except KeyError:
        pass
    found = float(amount)
    if len(_FLOAT) >= 4096:
        _FLOAT.clear()
    _FLOAT[key] = found
    return found


#: str(amount) -> ``from_cel(as_float(amount))``: the amount as a check keeps a computed
#: value (the double CEL would hand back, as an exact Decimal); keyed by str as
#: :data:`_FLOAT` (performance: :meth:`Estimate.to_answer`)
_ANSWER: dict[str, Decimal] = {}


def as_answer(amount: Decimal) -> Decimal:
    """``from_cel(as_float(amount))``, looked up when the amount was converted before."""
    key = str(amount)
    try:
        return _ANSWER[key]
    except KeyError:
        pass
    from plausibility.expressions import from_cel  # (here: plausibility loads this plugin at its import)

    found = from_cel(as_float(amount))
    if len(_ANSWER) >= 4096:
        _ANSWER.clear()
    _ANSWER[key] = found
    return found


def pct_de(share: Decimal) -> str:
    """A percentage as German writes it: a decimal comma (2,3 %)."""
    return pct(share).replace(".", ",")


def pct(share: Decimal) -> str:
    key = str(share)  # cheaper than a new Decimal's hash, as in :func:`eur`
    try:
        return _PCT[key]
    except KeyError:
        text = f"{(share * 100).normalize():f}"
        if len(_PCT) >= 256:
            _PCT.clear()
        _PCT[key] = text
        return text


def _date(value: Any) -> date | None:
    if isinstance(value, str) and len(value) >= 10:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


@dataclass(slots=True)
class Line:
    key: str
    label_de: str
    label_en: str
    amount: Decimal
    #: bedarf (a need), einkommen (counted against it, negative), summe,
    #: zuschlag (paid on top), hinweis (explains, amount 0), voraussetzung
    art: str

    def to_json(self) -> dict:
        return {"key": self.key, "label_de": self.label_de, "label_en": self.label_en,
                "amount": float(self.amount), "art": self.art}


#: a line as the estimate builds it: (key, label_de, label_en, amount, art); tuples
#: rather than :class:`Line` objects, which cost more to make (performance)
Row = tuple[str, str, str, Decimal, str]


@dataclass
class Estimate:
    month: str
    rows: list[Row]
    needs: Decimal
    income: Decimal
    buergergeld: Decimal
    sofortzuschlag: Decimal
    eligible: bool = True

    @property
    def lines(self) -> list[Line]:
        return [Line(*row) for row in self.rows]

    @property
    def entitlement(self) -> Decimal:
        return self.buergergeld + self.sofortzuschlag

    def to_json(self) -> dict:
        return self._written(as_float)

    def to_answer(self) -> dict:
        """``from_cel(self.to_json())``, built at once: the estimate as a check keeps
        it when it is a computed value of its own (``plausibility.functions``,
        ``answer``), without building the JSON's dicts and converting them again."""
        return self._written(as_answer)

    def _written(self, amount_as) -> dict:
        return {"monat": self.month,
                "zeilen": [{"key": key, "label_de": de, "label_en": en, "amount": amount_as(amount), "art": art}
                           for key, de, en, amount, art in self.rows],
                "bedarf": amount_as(self.needs), "einkommen": amount_as(self.income),
                "buergergeld": amount_as(self.buergergeld), "sofortzuschlag": amount_as(self.sofortzuschlag),
                "anspruch": amount_as(self.entitlement), "voraussetzungen_erfuellt": self.eligible,
                "unverbindlich": True}


@dataclass(slots=True)
class Member:
    key: str
    name_de: str
    name_en: str
    age: int
    stufe: int
    is_child: bool
    data: dict = field(default_factory=dict)
    need: Decimal = ZERO
    income: Decimal = ZERO
    income_without_kindergeld: Decimal = ZERO


def stufe_for_child(age: int) -> int | None:
    if age < 6:
        return 6
    if age < 14:
        return 5
    if age < 18:
        return 4
    if age < 25:
        return 3
    return None  # 25 and over: not part of the parents' Bedarfsgemeinschaft (§7 Abs. 3 Nr. 4)


def allowance(gross: Decimal, deductions: Decimal, minor_child: bool, fb: rates.Erwerbsfreibetrag,
              base: Decimal | None = None) -> Decimal:
    """§11b Abs. 2, 3 SGB II. With ``base`` (the §11b Abs. 2b amount for pupils,
    students and trainees under 25) that amount replaces the 100 € and the
    percentage bands apply only to gross earnings above it (Jobcenter Wuppertal,
    "Info zu Freibeträgen": "Für darüberhinausgehendes Einkommen gelten die
    Freibeträge für Einkommen aus Erwerbstätigkeit")."""
    if base is None:
        floor = fb.grundfreibetrag
        if gross > fb.actual_deductions_above and deductions > floor:
            floor = deductions
        free = min(floor, gross) if gross <= fb.grundfreibetrag else floor
        start = ZERO
    else:
        free = min(base, gross)
        start = base
    lower_plain, upper_plain, upper_child, last_share = fb.last_band
    bands = (*fb.bands, (lower_plain, upper_child if minor_child else upper_plain, last_share))
    for lower, upper, share in bands:
        lower = max(lower, start)
        if gross > lower and upper > lower:
            free += (min(gross, upper) - lower) * share
    return money(free)


def _age_on(birth: Any, day: date) -> int | None:
    born = _date(birth)
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _members(household: dict, birth: Any = None, day: date | None = None) -> tuple[list[Member], int]:
    """The members of the Bedarfsgemeinschaft and the number of other people in
    the flat. A child aged 25 or over is not a member (§7 Abs. 3 Nr. 4): when
    listed with the children he counts once, as a head in the flat."""
    has_partner = household.get("partner") is True
    age = household.get("alter")
    if age is None and day is not None:
        age = _age_on(birth, day)
    members = [Member("antragsteller", "Sie", "you", int(num(age) or 30), 2 if has_partner else 1, False)]
    if has_partner:
        name = household.get("partner_vorname")
        name = name.strip() if isinstance(name, str) and name.strip() else None  # the application's partner has a name
        members.append(Member("partner", name or "Partnerin/Partner", name or "partner",
                              int(num(household.get("partner_alter")) or 30), 2, False))
    outside = int(num(household.get("weitere_anzahl"))) if household.get("weitere_personen") is True else 0
    for i, child in enumerate(household.get("kinder") or []):
        if not isinstance(child, dict):
            continue
        age = child.get("alter")
        if type(age) is not int:  # an int as it is (performance), anything else as before
            age = int(num(age))
        stufe = stufe_for_child(age)
        if stufe is None:
            outside += 1  # lives in the flat, but outside the Bedarfsgemeinschaft
            continue
        name = child.get("vorname")
        name = name.strip() if isinstance(name, str) and name.strip() else None  # the application's children have names
        members.append(Member(f"kind{i + 1}", f"{name or f'Kind {i + 1}'} ({age} J.)",
                              f"{name or f'child {i + 1}'} (age {age})", age, stufe, True, child))
    return members, outside


def reached_age_limit(birth: Any, day: date) -> bool | None:
    """§7a SGB II: whether someone born on ``birth`` has reached the age limit
    (in months, by birth year) on ``day``; None without a valid birth date."""
    born = _date(birth)
    if born is None:
        return None
    months = (day.year - born.year) * 12 + (day.month - born.month) - (day.day < born.day)
    return months >= rates.regelaltersgrenze_monate(born.year)


def _gates(answers: dict, members: list[Member], day: date) -> dict:
    gates = dict(answers.get("voraussetzungen") or {})
    if "rentengrenze" not in gates:
        # §7a by birth date, as in the application; only an input without one
        # (an age in years) falls back to the limit of those born from 1964
        by_birth = reached_age_limit(gates.get("geburtsdatum"), day)
        gates["rentengrenze"] = by_birth if by_birth is not None else members[0].age >= 67
    # §7 Abs. 2, 3 SGB II: a member unable to work is in SGB II through a partner
    # able to work (the application asks the partner's ability; the calculator asks
    # the applicant whether such a partner lives with them)
    gates["partner"] = (len(members) > 1 and not members[1].is_child and gates.get("partner_erwerbsfaehig") is not False)
    # §7 Abs. 3 Nr. 2, 4 SGB II: an unmarried applicant under 25 living with a parent is in
    # one Bedarfsgemeinschaft with the parents, whose needs and income this input lacks
    household = answers.get("haushalt") or {}
    gates["bei_eltern"] = (household.get("bei_eltern") is True and members[0].age < 25
                           and not (len(members) > 1 and not members[1].is_child))
    return gates


@dataclass(frozen=True, slots=True)
class _Month:
    """The figures an estimate reads for one month, looked up once per month
    rather than table by table in every estimate (performance)."""
    text: str  # "2026-11"
    rb: dict
    fb: rates.Erwerbsfreibetrag
    minijob: Decimal | None
    sofortzuschlag: Decimal | None
    leistung: str
    vermoegen: rates.VermoegenRegel
    unterkunft: str


_MONTHS: dict[int, _Month] = {}


def _month(day: date) -> _Month:
    """The month's figures; raises as :func:`rates.in_force` does for a month
    before the tables (the Regelbedarfe are asked first: every other table begins
    earlier). The Minijob allowance and the Sofortzuschlag apply from their first
    month (their first entries begin on the 1st, so the month decides as the day did)."""
    key = day.year * 12 + day.month
    found = _MONTHS.get(key)
    if found is None:
        first = day.replace(day=1)
        found = _Month(
            f"{day.year:04d}-{day.month:02d}",
            rates.in_force(rates.REGELBEDARF, day).value, rates.in_force(rates.ERWERBSFREIBETRAG, day).value,
            rates.in_force(rates.MINIJOB_GRENZE, day).value if first >= rates.MINIJOB_GRENZE[0].valid_from else None,
            rates.in_force(rates.SOFORTZUSCHLAG, day).value if first >= rates.SOFORTZUSCHLAG[0].valid_from else None,
            rates.in_force(rates.LEISTUNG, day).value, rates.in_force(rates.VERMOEGEN, day).value,
            rates.in_force(rates.UNTERKUNFT_KARENZ, day).value)
        if len(_MONTHS) >= 600:
            _MONTHS.clear()
        _MONTHS[key] = found
    return found


_STAND_DE = (f"Die Beträge sind bis {rates.GEPRUEFT_BIS.strftime('%d.%m.%Y')} geprüft; für spätere Monate rechnet die "
             "Schätzung mit ihnen weiter, bis neue Werte eingetragen sind (§ 20 SGB II, § 28a SGB XII)")
_STAND_EN = (f"The amounts are checked up to {rates.GEPRUEFT_BIS.isoformat()}; for later months the estimate keeps "
             "using them until new figures are entered (§20 SGB II, §28a SGB XII)")


def estimate(answers: dict, day: date) -> Estimate:
    """The estimate for the month of ``day`` (see the module doc for the method)."""
    figures = _month(day)
    rb, fb = figures.rb, figures.fb
    household = answers.get("haushalt") or {}
    housing = answers.get("wohnen") or {}
    incomes = answers.get("einkommen") or {}
    extra = answers.get("mehrbedarf") or {}
    members, outside = _members(household, (answers.get("voraussetzungen") or {}).get("geburtsdatum"), day)
    month = figures.text

    found = eligibility.reasons(_gates(answers, members, day))
    if found:
        lines = [(f"voraussetzung.{r.key}", f"Keine Schätzung: {r.de}", f"No estimate: {r.en}", ZERO, "voraussetzung")
                 for r in found]
        return Estimate(month, lines, ZERO, ZERO, ZERO, ZERO, eligible=False)

    lines: list[Row] = []
    applicant = members[0]
    has_partner = len(members) > 1 and not members[1].is_child
    minors = [m for m in members if m.is_child and m.age < 18]

    if day > rates.GEPRUEFT_BIS:
        lines.append(("stand", _STAND_DE, _STAND_EN, ZERO, "hinweis"))

    # 1. Needs ---------------------------------------------------------------
    for m in members:
        m.need += rb[m.stufe]
        lines.append((f"regelbedarf.{m.key}", f"Regelbedarf {m.name_de}: Stufe {m.stufe} (§ 20, § 23 SGB II)",
                          f"Standard need, {m.name_en}: level {m.stufe} (§20, §23 SGB II)", rb[m.stufe], "bedarf"))
    if not has_partner and household.get("alleinerziehend") is True and minors:
        under7 = sum(m.age < 7 for m in minors)
        under16 = sum(m.age < 16 for m in minors)
        share = _SHARE_36 if under7 or 2 <= under16 <= 3 else ZERO
        share = min(max(share, _SHARE_12 * len(minors)), _SHARE_60)
        amount = money(rb[applicant.stufe] * share)
        applicant.need += amount
        rb_de, rb_en = eurs(rb[applicant.stufe])
        lines.append(("mehrbedarf.alleinerziehend",
                          f"Mehrbedarf für Alleinerziehende: {pct_de(share)} % von {rb_de} (§ 21 Abs. 3 SGB II)",
                          f"Extra need, single parent: {pct(share)}% of {rb_en} (§21(3) SGB II)",
                          amount, "bedarf"))
    _pregnancy(household, members, rb, day, lines)
    if extra.get("behinderung") is True:
        person = {"ich": applicant, "partner": members[1] if has_partner else None}.get(extra.get("behinderung_person") or "ich")
        if person is not None:
            amount = money(rb[person.stufe] * rates.MEHRBEDARF_BEHINDERUNG)
            person.need += amount
            rb_de, rb_en = eurs(rb[person.stufe])
            lines.append((f"mehrbedarf.behinderung.{person.key}",
                              f"Mehrbedarf bei Behinderung {person.name_de}: 35 % von {rb_de}, "
                              "solange Leistungen zur Teilhabe am Arbeitsleben laufen (§ 21 Abs. 4 SGB II)",
                              f"Extra need, disability, {person.name_en}: 35% of {rb_en} while "
                              "vocational rehabilitation is provided (§21(4) SGB II)", amount, "bedarf"))
        else:
            lines.append(("mehrbedarf.behinderung", "Mehrbedarf bei Behinderung (§ 21 Abs. 4 SGB II) eines Kindes: "
                              "nicht enthalten, das Jobcenter prüft ihn", "Extra need, disability of a child (§21(4) SGB II): "
                              "not included, the Jobcenter checks it", ZERO, "hinweis"))
    if housing.get("warmwasser") == "dezentral":
        for m in members:
            share = rates.MEHRBEDARF_WARMWASSER[m.stufe]
            amount = money(rb[m.stufe] * share)
            m.need += amount
            rb_de, rb_en = eurs(rb[m.stufe])
            lines.append((f"mehrbedarf.warmwasser.{m.key}",
                              f"Mehrbedarf Warmwasser {m.name_de}: {pct_de(share)} % von {rb_de} (§ 21 Abs. 7 SGB II)",
                              f"Extra need, hot water, {m.name_en}: {pct(share)}% of {rb_en} (§21(7) SGB II)",
                              amount, "bedarf"))
    _housing(housing, members, outside, figures, lines)
    if extra.get("ernaehrung") is True:
        lines.append(("mehrbedarf.ernaehrung", "Mehrbedarf für kostenaufwändige Ernährung (§ 21 Abs. 5 SGB II): nicht "
                          "enthalten; das Jobcenter entscheidet nach ärztlicher Bescheinigung (Anlage MEB)",
                          "Extra need, special diet (§21(5) SGB II): not included; the Jobcenter decides on a medical "
                          "certificate (Anlage MEB)", ZERO, "hinweis"))
    if extra.get("besonderer_bedarf") is True:
        lines.append(("mehrbedarf.besonderer_bedarf", "Unabweisbarer besonderer Bedarf (§ 21 Abs. 6 SGB II): nicht "
                          "enthalten; das Jobcenter prüft ihn (Anlage BB)", "Unavoidable special need (§21(6) SGB II): "
                          "not included; the Jobcenter checks it (Anlage BB)", ZERO, "hinweis"))

    # 2. Income --------------------------------------------------------------
    surplus_kindergeld = _children_income(members, fb, figures, lines)
    adults = [applicant] + ([members[1]] if has_partner else [])
    for person in adults:
        data = incomes.get(person.key) if isinstance(incomes.get(person.key), dict) else {}
        gross, net = num(data.get("brutto")), num(data.get("netto"))
        if net > 0:
            free = allowance(gross, num(data.get("absetzbetraege")), bool(minors), fb)
            countable = max(ZERO, money(net - free))
            person.income += countable
            (net_de, net_en), (free_de, free_en), (gross_de, gross_en) = eurs(net), eurs(free), eurs(gross)
            lines.append((f"einkommen.{person.key}",
                              f"Einkommen aus Arbeit {person.name_de}: netto {net_de} minus Freibetrag {free_de} "
                              f"(brutto {gross_de}, § 11b SGB II)",
                              f"Earnings, {person.name_en}: net {net_en} less allowance {free_en} "
                              f"(gross {gross_en}, §11b SGB II)", -countable, "einkommen"))
        parental, parental_free = _elterngeld(person, data, day, lines)
        own = num(data.get("sonstiges")) + parental - parental_free
        other = own + (surplus_kindergeld if person is applicant else ZERO)
        flat = rates.VERSICHERUNGSPAUSCHALE if net <= 0 else ZERO
        person.income_without_kindergeld = person.income + max(ZERO, money(own - flat))
        if other > 0:
            countable = max(ZERO, money(other - flat))
            person.income += countable
            kg_de = f", darin Kindergeld über dem Bedarf der Kinder {eur(surplus_kindergeld, 'de')}" if person is applicant and surplus_kindergeld > 0 else ""
            kg_en = f", including child benefit above the children's need {eur(surplus_kindergeld, 'en')}" if person is applicant and surplus_kindergeld > 0 else ""
            eg_de = f", darin Elterngeld {eur(parental - parental_free, 'de')} (§ 10 Abs. 5 BEEG)" if parental - parental_free > 0 else ""
            eg_en = f", including parental allowance {eur(parental - parental_free, 'en')} (§10(5) BEEG)" if parental - parental_free > 0 else ""
            parts_de = f"{eur(other, 'de')}{kg_de}{eg_de}" + (f", minus Versicherungspauschale {eur(flat, 'de')} (§ 6 Abs. 1 Nr. 1 Bürgergeld-V)" if flat else
                                                            " (die Versicherungspauschale steckt im Grundfreibetrag, § 11b Abs. 2)")
            parts_en = f"{eur(other, 'en')}{kg_en}{eg_en}" + (f", less insurance flat rate {eur(flat, 'en')} (§6(1) no. 1 Bürgergeld-V)" if flat else
                                                            " (the insurance flat rate is part of the basic allowance, §11b(2))")
            lines.append((f"sonstiges.{person.key}", f"Anderes Einkommen {person.name_de}: {parts_de}",
                              f"Other income, {person.name_en}: {parts_en}", -countable, "einkommen"))

    needs = income = ZERO
    for m in members:
        needs += m.need
        income += m.income
    needs, income = money(needs), money(income)

    # 3. Assets --------------------------------------------------------------
    assets_ok = _assets(answers.get("vermoegen") or {}, members, figures, lines)

    # 4. Result --------------------------------------------------------------
    buergergeld = max(ZERO, money(needs - income)) if assets_ok else ZERO
    name = figures.leistung
    name_de, name_en = (name, name) if name == "Bürgergeld" else (f"{name} (bis 30.6.2026 Bürgergeld)", f"{name} (until 30.6.2026 Bürgergeld)")
    (needs_de, needs_en), (income_de, income_en) = eurs(needs), eurs(income)
    lines.append(("buergergeld", f"{name_de}: Bedarf {needs_de} minus Einkommen {income_de}, mindestens 0 (§ 19 SGB II)"
                      + ("" if assets_ok else " (kein Anspruch wegen Vermögen)"),
                      f"{name_en}: needs {needs_en} less income {income_en}, at least 0 (§19 SGB II)"
                      + ("" if assets_ok else " (no claim because of assets)"), buergergeld, "summe"))
    zuschlag = _sofortzuschlag(members, needs, figures, lines) if assets_ok else ZERO
    return Estimate(month, lines, needs, income, buergergeld, zuschlag)


def elterngeld_items(data: dict) -> list[dict]:
    """The Elterngeld one adult receives: the calculator asks one amount with its
    answers, the application one entry per Elterngeld (``elterngeld_bezuege``)."""
    items = [item for item in data.get("elterngeld_bezuege") or [] if isinstance(item, dict)]
    if num(data.get("elterngeld")) > 0:
        items.append({"betrag": data.get("elterngeld"), "plus": data.get("elterngeld_plus") is True,
                      "erwerbstaetig_vor_geburt": data.get("erwerbstaetig_vor_geburt") is True,
                      "einkommen_vor_geburt": data.get("einkommen_vor_geburt")})
    return [item for item in items if num(item.get("betrag")) > 0]


def elterngeld_free(item: dict, day: date) -> Decimal:
    """§10 Abs. 5 BEEG: the part of one Elterngeld that is not income in SGB II.

    S. 2: Elterngeld "in Höhe des nach § 2 Absatz 1 berücksichtigten Einkommens aus
    Erwerbstätigkeit vor der Geburt bis zu 300 Euro im Monat" stays free, so the free
    part is the smallest of the Elterngeld, the earnings before the birth (as the
    Elterngeld notice states them) and 300 €; S. 3: with ElterngeldPlus both amounts
    are halved. Without earnings before the birth nothing is free (S. 1: the general
    exemption of Abs. 1 does not apply to SGB II; BSG B 4 KG 2/14 R)."""
    if item.get("erwerbstaetig_vor_geburt") is not True:
        return ZERO
    cap, prior = rates.in_force(rates.ELTERNGELD_FREIBETRAG, day).value, max(ZERO, num(item.get("einkommen_vor_geburt")))
    if item.get("plus") is True:
        cap, prior = cap * rates.ELTERNGELD_PLUS_ANTEIL, prior * rates.ELTERNGELD_PLUS_ANTEIL
    return money(min(num(item.get("betrag")), prior, cap))


def _elterngeld(person: Member, data: dict, day: date, lines: list[Row]) -> tuple[Decimal, Decimal]:
    """Total Elterngeld of one adult and its free part, with a line explaining each.

    The free part is one per person and month: S. 2 frees Elterngeld "in der Summe"
    up to 300 € (Haufe, Tillmanns/Mutschler BEEG §10 Rz. 24), and the multiplication
    for multiple births (Abs. 4) does not apply to SGB II (Abs. 5 S. 1)."""
    total = free_total = cap = ZERO
    items = elterngeld_items(data)
    for i, item in enumerate(items):
        amount, free = num(item.get("betrag")), elterngeld_free(item, day)
        total, free_total = total + amount, free_total + free
        if item.get("erwerbstaetig_vor_geburt") is True:
            full = rates.in_force(rates.ELTERNGELD_FREIBETRAG, day).value
            cap = max(cap, full * rates.ELTERNGELD_PLUS_ANTEIL if item.get("plus") is True else full)
        kind_de, kind_en = ("ElterngeldPlus", "ElterngeldPlus") if item.get("plus") is True else ("Elterngeld", "Parental allowance")
        if item.get("erwerbstaetig_vor_geburt") is True:
            half_de = " (bei ElterngeldPlus je die Hälfte, § 10 Abs. 5 S. 3 BEEG)" if item.get("plus") is True else ""
            half_en = " (with ElterngeldPlus half of each, §10(5) sentence 3 BEEG)" if item.get("plus") is True else ""
            why_de = (f"frei bleiben {eur(free, 'de')}: das Einkommen aus Arbeit vor der Geburt "
                      f"({eur(num(item.get('einkommen_vor_geburt')), 'de')}), höchstens {eur(full, 'de')}{half_de} (§ 10 Abs. 5 S. 2 BEEG)")
            why_en = (f"{eur(free, 'en')} stays free: the earnings before the birth "
                      f"({eur(num(item.get('einkommen_vor_geburt')), 'en')}), at most {eur(full, 'en')}{half_en} (§10(5) sentence 2 BEEG)")
        else:
            why_de = ("ohne Einkommen aus Arbeit vor der Geburt bleibt nichts frei, es zählt ganz als Einkommen "
                      "(§ 10 Abs. 5 BEEG, § 11 SGB II)")
            why_en = ("without earnings before the birth nothing stays free, it counts in full as income "
                      "(§10(5) BEEG, §11 SGB II)")
        lines.append((f"elterngeld.{person.key}" + (f".{i + 1}" if i else ""),
                          f"{kind_de} {person.name_de}: {eur(amount, 'de')}; {why_de}; angerechnet {eur(amount - free, 'de')}",
                          f"{kind_en}, {person.name_en}: {eur(amount, 'en')}; "
                          f"{why_en}; counted {eur(amount - free, 'en')}", ZERO, "hinweis"))
    if free_total > cap:
        lines.append((f"elterngeld.{person.key}.zusammen",
                          f"Elterngeld {person.name_de} zusammen: frei bleiben höchstens {eur(cap, 'de')} im Monat, nicht "
                          f"{eur(free_total, 'de')} (§ 10 Abs. 5 S. 2 BEEG); angerechnet {eur(total - cap, 'de')}",
                          f"Parental allowance, {person.name_en}, together: at most {eur(cap, 'en')} a month stays free, not "
                          f"{eur(free_total, 'en')} (§10(5) sentence 2 BEEG); counted {eur(total - cap, 'en')}", ZERO, "hinweis"))
        free_total = cap
    return total, free_total


def _pregnancy(household: dict, members: list[Member], rb: dict, day: date, lines: list[Row]) -> None:
    """§21 Abs. 2: 17 % of the pregnant person's own Regelbedarf after the 12th
    week of pregnancy until the end of the month of delivery. The 13th week
    begins 196 days (28 weeks) before the due date (which is day 280)."""
    if household.get("schwanger") is not True:
        return
    person = pregnant_member(household, members)
    if person is None:
        # the chosen person is not in the household (a "Partnerin" without a
        # partner, a "Tochter" who is not listed): no extra need
        lines.append(("mehrbedarf.schwanger", "Mehrbedarf bei Schwangerschaft (§ 21 Abs. 2 SGB II): nicht enthalten, "
                          "weil die schwangere Person nicht zu Ihrem Haushalt passt; prüfen Sie die Angabe „Wer ist schwanger?“",
                          "Extra need, pregnancy (§21(2) SGB II): not included because the pregnant person does not match "
                          "your household; check the answer to 'Who is pregnant?'", ZERO, "hinweis"))
        return
    due = _date(household.get("entbindungstermin"))
    share = rates.MEHRBEDARF_SCHWANGER
    if due is None:
        # without the due date the 13th week is unknown: nothing is estimated yet
        lines.append((f"mehrbedarf.schwanger.{person.key}",
                          f"Mehrbedarf bei Schwangerschaft {person.name_de}: ab der 13. Woche (§ 21 Abs. 2 SGB II); "
                          "erst mit dem Entbindungstermin berechnet",
                          f"Extra need, pregnancy, {person.name_en}: from the 13th week (§21(2) SGB II); calculated once "
                          "the due date is given", ZERO, "hinweis"))
        return
    start = due - _WEEKS_28
    if due.year == 9999 and due.month == 12:
        raise OverflowError("date value out of range")  # the end of that month of delivery is not a date
    if day < start or (day.year, day.month) > (due.year, due.month):  # before the 13th week, after the month of delivery
        lines.append((f"mehrbedarf.schwanger.{person.key}",
                      f"Mehrbedarf bei Schwangerschaft {person.name_de}: erst ab der 13. Woche, also ab "
                      f"{_dmy(start)}, bis Ende des Entbindungsmonats (§ 21 Abs. 2 SGB II); jetzt nicht",
                      f"Extra need, pregnancy, {person.name_en}: from the 13th week only, i.e. from {start.isoformat()}, "
                      "until the end of the month of delivery (§21(2) SGB II); not now", ZERO, "hinweis"))
        return
    amount = money(rb[person.stufe] * share)
    person.need += amount
    rb_de, rb_en = eurs(rb[person.stufe])
    lines.append((f"mehrbedarf.schwanger.{person.key}",
                  f"Mehrbedarf bei Schwangerschaft {person.name_de}: {pct_de(share)} % von {rb_de} "
                  f"ab der 13. Woche, seit {_dmy(start)} (§ 21 Abs. 2 SGB II)",
                  f"Extra need, pregnancy, {person.name_en}: {pct(share)}% of {rb_en} from "
                  f"the 13th week, since {start.isoformat()} (§21(2) SGB II)", amount, "bedarf"))


#: the 13th week of pregnancy begins 28 weeks before the due date (day 280)
_WEEKS_28 = timedelta(days=196)


def _dmy(day: date) -> str:
    """``day.strftime("%d.%m.%Y")``, at a fifth of its cost."""
    return f"{day.day:02d}.{day.month:02d}.{day.year}"


def pregnant_member(household: dict, members: list[Member]) -> Member | None:
    """The member for whom §21 Abs. 2 applies, or None when the answer names
    nobody who exists (no partner, no such child).

    §21 Abs. 2 SGB II knows no minimum age: a listed daughter of any age gets the
    extra need. The forms' warning below 12 (rule ``schwanger-kind-alter``) is our
    plausibility choice, not law: it asks to check the child's number and age, and
    the applicant may confirm it."""
    who = household.get("schwangere_person") or "ich"
    if who == "ich":
        return members[0]
    if who == "partnerin":
        return members[1] if len(members) > 1 and not members[1].is_child else None
    if who == "tochter":
        wanted = f"kind{int(num(household.get('schwangere_kind_nr')) or 1)}"
        for m in members:
            if m.key == wanted:
                return m
    return None


def _housing(housing: dict, members: list[Member], outside: int, figures: _Month, lines: list[Row]) -> None:
    parts = [num(housing.get(key)) for key in ("kaltmiete", "nebenkosten", "heizkosten")]
    if any(part < 0 for part in parts):
        lines.append(("unterkunft", "Kosten der Unterkunft und Heizung (§ 22 SGB II): nicht berechnet, weil ein Betrag "
                          "negativ ist; prüfen Sie Ihre Angaben", "Housing and heating (§22 SGB II): not calculated because "
                          "an amount is negative; check your answers", ZERO, "hinweis"))
        return
    total = sum(parts, ZERO)
    sublet = num(housing.get("untermiete"))
    if sublet > 0 and total > 0:
        # Subletting income lowers the housing costs themselves, it is not income
        # (BA Fachliche Weisungen §22 SGB II, as reported by gegen-hartz.de
        # "Untervermietung wird zur Kürzungsfalle": "Einnahmen aus Untervermietung
        # mindern die Kosten der Unterkunft"; buergergeld.org "Untervermietung:
        # Anrechnung durch das Jobcenter": "nicht als Einkommen, sondern als
        # Minderung der Kosten der Unterkunft"). The subtenant is not a head of
        # the per-head split: the sublet rent is his share.
        reduced = max(ZERO, total - sublet)
        lines.append(("unterkunft.untermiete",
                          f"Untermiete: {eur(total, 'de')} Wohnkosten minus {eur(min(sublet, total), 'de')} Einnahmen aus "
                          f"Untervermietung = {eur(reduced, 'de')} (mindern die Kosten der Unterkunft, BA Fachliche Weisungen zu § 22 SGB II)",
                          f"Subletting: {eur(total, 'en')} housing costs less {eur(min(sublet, total), 'en')} subletting income "
                          f"= {eur(reduced, 'en')} (reduces the housing costs, BA Fachliche Weisungen on §22 SGB II)",
                          ZERO, "hinweis"))
        total = reduced
    if total <= 0:
        return
    heads = len(members) + outside
    share = money(total * len(members) / heads)
    for m in members:
        m.need += share / len(members)
    total_de, total_en = eurs(total)
    if outside:
        de = (f"Kosten der Unterkunft und Heizung: {total_de} für {heads} Personen in der Wohnung, davon "
              f"{len(members)} in der Bedarfsgemeinschaft, nach Köpfen geteilt (§ 22 SGB II)")
        en = (f"Housing and heating: {total_en} for {heads} people in the flat, {len(members)} of them in the "
              "household, split per head (§22 SGB II)")
    else:
        de = f"Kosten der Unterkunft und Heizung: {total_de} wie angegeben (§ 22 SGB II)"
        en = f"Housing and heating: {total_en} as stated (§22 SGB II)"
    lines.append(("unterkunft", de, en, share, "bedarf"))
    rule = figures.unterkunft
    if rule == "tatsaechlich":
        de = ("Wohnkosten: im ersten Jahr übernimmt das Jobcenter die tatsächlichen Kosten (Karenzzeit, § 22 Abs. 1 SGB II); "
              "danach nur, soweit sie angemessen sind")
        en = ("Housing: in the first year the Jobcenter pays the actual costs (grace period, §22(1) SGB II); afterwards "
              "only as far as they are reasonable")
    else:
        de = ("Wohnkosten: seit 1.7.2026 übernimmt das Jobcenter auch im ersten Jahr höchstens das 1,5-fache der örtlichen "
              "Angemessenheitsgrenze, mehr nur bei unabweisbaren Kosten oder mit Kindern in der Bedarfsgemeinschaft "
              "(§ 22 Abs. 1 SGB II, Neue Grundsicherung; Wortlaut nicht am Bundesgesetzblatt geprüft); die Grenze Ihres "
              "Orts ist hier nicht geprüft")
        en = ("Housing: since 1.7.2026 the Jobcenter pays at most 1.5 times the local limit, in the first year too, more only "
              "for unavoidable costs or with children in the household (§22(1) SGB II, Neue Grundsicherung; wording not "
              "checked against the Federal Law Gazette); your local limit is not checked here")
    lines.append(("unterkunft.pruefung", de, en, ZERO, "hinweis"))


_CHILD_OWN = (("unterhalt", "Unterhalt oder Unterhaltsvorschuss", "Maintenance or advance maintenance"),
              ("sonstiges", "Anderes Einkommen", "Other income"))


def _children_income(members: list[Member], fb: rates.Erwerbsfreibetrag, figures: _Month, lines: list[Row]) -> Decimal:
    """Each child's own income up to its need; returns the surplus Kindergeld.

    A child's earnings get the §11b Abs. 3 allowance without the higher upper
    limit of 1,500 €: S. 3 raises it for earners who live with their own minor
    child (or have one), and a minor sibling is not the earner's child."""
    surplus_total = ZERO
    minijob = figures.minijob
    for m in members:
        if not m.is_child:
            continue
        child = m.data
        earned = ZERO
        net, gross = num(child.get("netto")), num(child.get("brutto"))
        in_training = child.get("ausbildung") in ("schule", "ausbildung", "studium") and m.age < 25
        works = child.get("erwerbstaetig") is True and net > 0
        if works:
            if child.get("ferienjob") is True and child.get("ausbildung") == "schule" and minijob is not None:
                lines.append((f"ferienjob.{m.key}",
                                  f"Ferienjob {m.name_de}: {eur(net, 'de')} netto, nicht angerechnet (§ 11a Abs. 7 SGB II)",
                                  f"Holiday job, {m.name_en}: {eur(net, 'en')} net, not counted (§11a(7) SGB II)", ZERO, "hinweis"))
            else:
                base = minijob if in_training and minijob is not None else None
                free = allowance(gross, ZERO, False, fb, base)
                earned = max(ZERO, money(net - free))
                rule_de = (f"Freibetrag für Schüler, Studierende und Auszubildende unter 25: {eur(minijob, 'de')} "
                           f"(§ 11b Abs. 2b SGB II) plus Prozente darüber" if base is not None else "§ 11b SGB II")
                rule_en = (f"allowance for pupils, students and trainees under 25: {eur(minijob, 'en')} (§11b(2b) "
                           "SGB II) plus percentages above" if base is not None else "§11b SGB II")
                (net_de, net_en), (free_de, free_en) = eurs(net), eurs(free)
                lines.append((f"einkommen.{m.key}",
                                  f"Einkommen aus Arbeit {m.name_de}: netto {net_de} minus Freibetrag {free_de} ({rule_de})",
                                  f"Earnings, {m.name_en}: net {net_en} less allowance {free_en} ({rule_en})",
                                  -earned, "einkommen"))
        maintenance, other, kindergeld = num(child.get("unterhalt")), num(child.get("sonstiges")), num(child.get("kindergeld"))
        flat = rates.VERSICHERUNGSPAUSCHALE if m.age >= 18 and earned == 0 and not works else ZERO
        flat_on_other = min(flat, maintenance + other)
        non_kg = min(m.need, earned + maintenance + other - flat_on_other)
        for amount, (key, de, en) in zip((maintenance, other), _CHILD_OWN):
            if amount > 0:
                amount_de, amount_en = eurs(amount)
                lines.append((f"{key}.{m.key}", f"{de} {m.name_de}: {amount_de}, Einkommen des Kindes (§ 11 SGB II)",
                              f"{en}, {m.name_en}: {amount_en}, the child's income (§11 SGB II)",
                              -money(amount), "einkommen"))
        if flat_on_other > 0:
            lines.append((f"pauschale.{m.key}", f"Versicherungspauschale {m.name_de} (volljährig, § 6 Abs. 1 Nr. 1 Bürgergeld-V)",
                              f"Insurance flat rate, {m.name_en} (adult, §6(1) no. 1 Bürgergeld-V)", money(flat_on_other), "einkommen"))
        excess = earned + maintenance + other - flat_on_other - non_kg
        if excess > 0:
            lines.append((f"ueberschuss.{m.key}", f"Einkommen {m.name_de} über dem eigenen Bedarf: bleibt beim Kind, zählt nicht für die Eltern (§ 9 Abs. 2 S. 2 SGB II)",
                              f"Income of {m.name_en} above the child's own need: stays with the child, not counted for the parents (§9(2) sentence 2 SGB II)",
                              money(excess), "einkommen"))
        kg_flat = flat - flat_on_other
        kg_net = max(ZERO, kindergeld - kg_flat)
        counted_kg = min(kg_net, m.need - non_kg)
        if kindergeld > 0:
            kg_de, kg_en = eurs(kindergeld)
            de = f"Kindergeld {m.name_de}: {kg_de}, angerechnet bis zum Bedarf des Kindes (§ 11 Abs. 1 S. 5 SGB II)"
            en = f"Child benefit, {m.name_en}: {kg_en}, counted up to the child's need (§11(1) sentence 5 SGB II)"
            if kg_flat > 0:
                de += f", minus Versicherungspauschale {eur(kg_flat, 'de')} (§ 6 Abs. 1 Nr. 1 Bürgergeld-V)"
                en += f", less insurance flat rate {eur(kg_flat, 'en')} (§6(1) no. 1 Bürgergeld-V)"
            lines.append((f"kindergeld.{m.key}", de, en, -money(counted_kg), "einkommen"))
        m.income += non_kg + counted_kg
        m.income_without_kindergeld = non_kg
        surplus = kg_net - counted_kg
        if surplus > 0:
            surplus_total += surplus
    return surplus_total


def _assets(assets: dict, members: list[Member], figures: _Month, lines: list[Row]) -> bool:
    """§12: countable assets (after exempt items) against the allowance."""
    if assets.get("vorhanden") is not True:
        return True
    amount = num(assets.get("betrag"))
    rule = figures.vermoegen
    months = int(num(assets.get("bezug_monate")))
    karenz = rule.karenz_monate > 0 and months < rule.karenz_monate
    limit = rule.allowance([m.age for m in members], karenz)
    how_de, how_en = allowance_rule_text(rule, karenz)
    (amount_de, amount_en), (limit_de, limit_en) = eurs(amount), eurs(limit)
    if amount > limit:
        lines.append(("vermoegen", f"Vermögen {amount_de} liegt über dem Freibetrag {limit_de} ({how_de}, § 12 SGB II): "
                          "kein Bürgergeld, solange es nicht bis zum Freibetrag verbraucht ist",
                          f"Assets of {amount_en} exceed the allowance of {limit_en} ({how_en}, §12 SGB II): "
                          "no Bürgergeld until they are used up to the allowance", ZERO, "voraussetzung"))
        return False
    lines.append(("vermoegen", f"Vermögen {amount_de} bis zum Freibetrag {limit_de} ({how_de}, § 12 SGB II): nicht angerechnet",
                      f"Assets of {amount_en} within the allowance of {limit_en} ({how_en}, §12 SGB II): not counted",
                      ZERO, "hinweis"))
    return True


def allowance_rule_text(rule: rates.VermoegenRegel, karenz: bool) -> tuple[str, str]:
    """How the asset allowance is made up, in German and English, with the
    rule's own amounts in the language's money format (as every other line)."""
    found = _RULE_TEXT.get((id(rule), karenz))
    if found is None or found[0] is not rule:
        if len(_RULE_TEXT) >= 64:
            _RULE_TEXT.clear()
        found = _RULE_TEXT[(id(rule), karenz)] = (rule, *_allowance_rule_text(rule, karenz))
    return found[1], found[2]


#: (id(rule), karenz) -> (rule, German, English); the rule is kept to tell a reused id apart
_RULE_TEXT: dict = {}


def _allowance_rule_text(rule: rates.VermoegenRegel, karenz: bool) -> tuple[str, str]:
    if karenz:
        return (f"Karenzzeit im ersten Jahr: {eur(rule.karenz_erste, 'de')} für die erste und "
                f"{eur(rule.karenz_weitere, 'de')} für jede weitere Person",
                f"grace period in the first year: {eur(rule.karenz_erste, 'en')} for the first and "
                f"{eur(rule.karenz_weitere, 'en')} for each further person")
    if rule.je_person is not None:
        return f"{eur(rule.je_person, 'de')} je Person", f"{eur(rule.je_person, 'en')} per person"
    bands = rule.nach_alter
    de, en = [], []
    for i, (start, amount) in enumerate(bands):
        if i == 0 and start == 0 and len(bands) > 1:
            de.append(f"unter {bands[1][0]} Jahren: {eur(amount, 'de')}")
            en.append(f"under {bands[1][0]}: {eur(amount, 'en')}")
        else:
            de.append(f"ab {start}: {eur(amount, 'de')}")
            en.append(f"from {start}: {eur(amount, 'en')}")
    return (f"nach Alter je Person: {', '.join(de)} (Neue Grundsicherung seit 1.7.2026; Altersstufen nach dem "
            "Gesetzentwurf, wie Fachverlage ihn zitieren, nicht am Bundesgesetzblatt geprüft)",
            f"by age per person: {', '.join(en)} (Neue Grundsicherung since 1.7.2026; age bands from the bill as "
            "quoted by legal publishers, not checked against the Federal Law Gazette)")


def _sofortzuschlag(members: list[Member], needs: Decimal, figures: _Month, lines: list[Row]) -> Decimal:
    """§72 SGB II: for each member in Regelbedarfsstufe 3–6 with a claim, and
    for one who has none only because Kindergeld was counted (§72 Abs. 1 S. 2
    Nr. 2): the child's need exceeds its income without Kindergeld, and the
    household's needs exceed its income without the Kindergeld counted."""
    amount, name = figures.sofortzuschlag, figures.leistung
    if amount is None:
        return ZERO
    income_without_kg = ZERO
    for m in members:
        income_without_kg += m.income_without_kindergeld
    total = ZERO
    for m in members:
        if not m.is_child or m.stufe < 3:
            continue
        if m.need > m.income_without_kindergeld and needs > income_without_kg:
            total += amount
            only_kg = m.need <= m.income
            why_de = (": das Kind hat nur wegen des Kindergelds keinen eigenen Anspruch, der Zuschlag steht trotzdem zu "
                      "(§ 72 Abs. 1 S. 2 Nr. 2 SGB II)" if only_kg else f", zusätzlich zum {name} (§ 72 SGB II)")
            why_en = (": the child has no claim of its own only because of child benefit, the supplement is due all the same "
                      "(§72(1) sentence 2 no. 2 SGB II)" if only_kg else f", on top of {name} (§72 SGB II)")
            amount_de, amount_en = eurs(amount)
            lines.append((f"sofortzuschlag.{m.key}",
                              f"Kinder-Sofortzuschlag {m.name_de}: {amount_de}{why_de}",
                              f"Child supplement, {m.name_en}: {amount_en}{why_en}", amount, "zuschlag"))
    return total
