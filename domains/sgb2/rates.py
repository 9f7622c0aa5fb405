"""Effective-dated figures of SGB II (Bürgergeld), each table on its own.

A figure changes on its own date (Kindergeld on 1 January, the Minijob limit
with the minimum wage, asset rules with the "Neue Grundsicherung"), so every
table is a tuple of :class:`Dated` entries, oldest first; :func:`in_force`
picks the entry valid on the first day of the month asked for. A reform is one
more entry, not new code. Sources are kept next to each entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Generic, TypeVar

T = TypeVar("T")
D = Decimal


@dataclass(frozen=True)
class Dated(Generic[T]):
    valid_from: date
    value: T
    source: str


def in_force(table: tuple[Dated[T], ...], day: date) -> Dated[T]:
    """The entry in force on the first day of ``day``'s month."""
    key = (id(table), day.year, day.month)
    found = _IN_FORCE.get(key)  # an estimate asks some ten times per check (performance)
    if found is not None and found[0] is table:
        return found[1]
    first = day.replace(day=1)
    applicable = [entry for entry in table if entry.valid_from <= first]
    if not applicable:
        raise ValueError(f"no SGB II figures before {table[0].valid_from.isoformat()}")
    if len(_IN_FORCE) >= 1024:
        _IN_FORCE.clear()
    _IN_FORCE[key] = (table, applicable[-1])
    return applicable[-1]


#: (id(table), year, month) -> (table, entry): the table is kept to tell a reused id apart
_IN_FORCE: dict = {}


#: The last day for which every table below was checked against its sources. The
#: Regelbedarfe for 2027 (RBSFV 2027) and the Kindergeld for 2027 were not found in
#: any source reachable from this machine on 25.11.2026; later months reuse the last
#: entries and the estimate says so.
GEPRUEFT_BIS = date(2026, 12, 31)

#: The benefit's name (§19 SGB II). The Neue Grundsicherung renames Bürgergeld
#: "Grundsicherungsgeld" from 1.7.2026 (dpa 05.03.2026: "Der Name ‚Bürgergeld' soll
#: gestrichen werden"; gegen-hartz.de on the cabinet draft: "als Grundsicherungsgeld
#: geführt"); the date is the law's general one, not checked against the BGBl.
LEISTUNG: tuple[Dated[str], ...] = (
    Dated(date(2023, 1, 1), "Bürgergeld", "§19 SGB II i.d.F. Bürgergeld-Gesetz"),
    Dated(date(2026, 7, 1), "Grundsicherungsgeld", "§19 SGB II i.d.F. 13. SGB II-ÄndG (Neue Grundsicherung)"),
)

_RB_2024 = {1: D(563), 2: D(506), 3: D(451), 4: D(471), 5: D(390), 6: D(357)}

#: Regelbedarfe by Regelbedarfsstufe (§20, §23 SGB II; Anlage zu §28 SGB XII).
#: 2025 and 2026 unchanged (Besitzschutz, RBSFV 2025 and 2026; Jobcenter Stade).
#: The Neue Grundsicherung (from 1.7.2026) keeps them (buerger-geld.org "Regelsatz":
#: "das gilt auch für den 1. Juli 2026"; dpa 05.03.2026: "heute 563 Euro").
REGELBEDARF: tuple[Dated[dict[int, Decimal]], ...] = (
    Dated(date(2024, 1, 1), _RB_2024, "RBSFV 2024 (BGBl. 2023 I Nr. 287)"),
    Dated(date(2025, 1, 1), _RB_2024, "RBSFV 2025: no increase (Besitzschutz, §28a Abs. 5 SGB XII)"),
    Dated(date(2026, 1, 1), _RB_2024, "RBSFV 2026: no increase (Besitzschutz)"),
)

#: Kindergeld per child and month (§66 EStG).
KINDERGELD: tuple[Dated[Decimal], ...] = (
    Dated(date(2023, 1, 1), D(250), "§66 Abs. 1 EStG i.d.F. 2023"),
    Dated(date(2025, 1, 1), D(255), "§66 Abs. 1 EStG i.d.F. 2025 (lfs-inso.de, Bundesregierung)"),
    Dated(date(2026, 1, 1), D(259), "§66 Abs. 1 EStG i.d.F. 2026"),
)

#: Kinder-Sofortzuschlag (§72 SGB II), a payment on top of Bürgergeld, not a need.
#: 20 € from July 2022 (Sofortzuschlags- und Einmalzahlungsgesetz, BGBl. I 2022
#: S. 760; Jobcenter Wuppertal), 25 € from 1.1.2025 (gegen-hartz.de 10/2024 "Der
#: Kindersofortzuschlag steigt ab 2025"; lfs-inso.de "seit 01.01.2025 25 Euro").
SOFORTZUSCHLAG: tuple[Dated[Decimal], ...] = (
    Dated(date(2022, 7, 1), D(20), "§72 SGB II i.d.F. BGBl. I 2022 S. 760"),
    Dated(date(2025, 1, 1), D(25), "§72 Abs. 1 SGB II: 25 € from 1.1.2025"),
)

#: Geringfügigkeitsgrenze (§8 Abs. 1a SGB IV), the allowance of §11b Abs. 2b SGB II
#: for pupils, students and trainees under 25 (from 1.7.2023; Haufe, Sauer SGB II
#: §11a Rz. 51g: "bis zu 538,00 EUR (seit 1.1.2024)"; ferienjobs-weimarerland.de:
#: 603 € in 2026).
MINIJOB_GRENZE: tuple[Dated[Decimal], ...] = (
    Dated(date(2023, 7, 1), D(520), "§11b Abs. 2b SGB II (Bürgergeld-Gesetz, in force 1.7.2023); §8 Abs. 1a SGB IV: 520 €"),
    Dated(date(2024, 1, 1), D(538), "§8 Abs. 1a SGB IV: 538 €"),
    Dated(date(2025, 1, 1), D(556), "§8 Abs. 1a SGB IV: 556 €"),
    Dated(date(2026, 1, 1), D(603), "§8 Abs. 1a SGB IV: 603 €"),
)


@dataclass(frozen=True)
class Erwerbsfreibetrag:
    """§11b Abs. 2, 3 SGB II (since 1.7.2023; buzer.de)."""
    grundfreibetrag: Decimal = D(100)
    actual_deductions_above: Decimal = D(400)  # §11b Abs. 2 S. 2: higher proven costs only above 400 € gross
    bands: tuple[tuple[Decimal, Decimal, Decimal], ...] = ((D(100), D(520), D("0.20")), (D(520), D(1000), D("0.30")))
    last_band: tuple[Decimal, Decimal, Decimal, Decimal] = (D(1000), D(1200), D(1500), D("0.10"))


#: Not changed by the Neue Grundsicherung: changes to the allowances on earnings were
#: proposals (BMF advisory board; CDU, gegen-hartz.de "Zuverdienstregeln sollen
#: verschärft werden": "nicht um die Reform, die bereits im Bundestag beraten wird")
#: and no report on the passed law names §11b.
ERWERBSFREIBETRAG: tuple[Dated[Erwerbsfreibetrag], ...] = (
    Dated(date(2023, 7, 1), Erwerbsfreibetrag(), "§11b Abs. 2, 3 SGB II i.d.F. Bürgergeld-Gesetz (from 1.7.2023)"),
)

#: §6 Abs. 1 Nr. 1 Bürgergeld-V: 30 € a month for private insurance from the income
#: of every adult member (also from the Kindergeld of an 18–24-year-old child);
#: from a minor's income only if the minor has such insurance (Nr. 2; not asked here).
VERSICHERUNGSPAUSCHALE = D(30)

#: §10 Abs. 5 BEEG: Elterngeld counts as income in SGB II (S. 1: the general 300 €
#: exemption of Abs. 1–4 does not apply), except "in Höhe des nach § 2 Absatz 1
#: berücksichtigten Einkommens aus Erwerbstätigkeit vor der Geburt bis zu 300 Euro im
#: Monat" (S. 2; since 1.1.2011, HBeglG 2011, Art. 14 Nr. 4, G. v. 9.12.2010); with
#: ElterngeldPlus both amounts are halved (S. 3, since 1.1.2015, ElterngeldPlusG v.
#: 18.12.2014). Sources: the text of §10 BEEG in the AOK Rechtsdatenbank (Abs. 1–5);
#: Haufe, Tillmanns/Mutschler BEEG §10 Rz. 1 (history), Rz. 23–24 (S. 2 frees the
#: earnings before the birth up to 300 € "in der Summe"; S. 3 halves the free amounts
#: with ElterngeldPlus); rechtsanwalt-und-sozialrecht.de quoting S. 2; BSG B 4 KG 2/14 R
#: (full counting for parents without earnings is constitutional). Not changed since; the Neue
#: Grundsicherung does not touch it (none of the reports on it names Elterngeld).
ELTERNGELD_FREIBETRAG: tuple[Dated[Decimal], ...] = (
    Dated(date(2015, 1, 1), D(300), "§10 Abs. 5 S. 2, 3 BEEG i.d.F. ElterngeldPlusG (BGBl. I 2014 S. 2325)"),
)
ELTERNGELD_PLUS_ANTEIL = D("0.5")  # §10 Abs. 5 S. 3 BEEG

#: Mehrbedarfe (§21): unchanged by the Neue Grundsicherung (no report on it names §21).
MEHRBEDARF_SCHWANGER = D("0.17")          # §21 Abs. 2 SGB II: after the 12th week of pregnancy
MEHRBEDARF_BEHINDERUNG = D("0.35")        # §21 Abs. 4 SGB II: with Teilhabe am Arbeitsleben
MEHRBEDARF_WARMWASSER = {1: D("0.023"), 2: D("0.023"), 3: D("0.023"), 4: D("0.014"), 5: D("0.012"), 6: D("0.008")}  # §21 Abs. 7


@dataclass(frozen=True)
class VermoegenRegel:
    """Asset allowances (§12 SGB II). Either a Karenzzeit with its own
    allowances, or allowances by age; unused allowances pass to other members
    of the Bedarfsgemeinschaft in both versions (§12 Abs. 2 S. 2 / new §12)."""
    karenz_monate: int  # 0: no Karenzzeit for assets
    karenz_erste: Decimal
    karenz_weitere: Decimal
    je_person: Decimal | None  # flat allowance per person after the Karenzzeit
    nach_alter: tuple[tuple[int, Decimal], ...] = ()  # (from completed age, allowance), ascending
    unsicher: bool = False

    def allowance(self, ages: list[int], karenz: bool) -> Decimal:
        if karenz and self.karenz_monate:
            return self.karenz_erste + self.karenz_weitere * (len(ages) - 1)
        if self.je_person is not None:
            return self.je_person * len(ages)
        total = D(0)
        bands = self.nach_alter
        for age in ages:
            # an age below the youngest band (a birth date not yet past, which the form
            # reports as an error of its own) takes the youngest band, never an IndexError
            amount = bands[0][1]
            for start, value in reversed(bands):
                if age >= start:
                    amount = value
                    break
            total += amount
        return total


#: Bürgergeld-Gesetz (1.1.2023; G. v. 16.12.2022, BGBl. I S. 2328): Karenzzeit 1 year,
#: 40,000 € for the first and 15,000 € for each further person; afterwards 15,000 €
#: per person (§12 Abs. 3, 4 SGB II; rechtsanwalt-und-sozialrecht.de; sperre-online.de).
#:
#: "Neue Grundsicherung" (13. SGB II-ÄndG). What is settled, from more than one
#: independent report: cabinet draft of 17.12.2025 (vbw-bayern.de, "Gesetzentwurf zur
#: Neuen Grundsicherung", 06.03.2026); passed by the Bundestag in 2nd/3rd reading on
#: 5.3.2026, 321 to 268 votes (deutschlandfunk.de "Bundestag stimmt für neue
#: Grundsicherung", 05.03.2026; dpa via finanznachrichten.de, 05.03.2026); an
#: Einspruchsgesetz, Bundesrat at the end of March 2026 (gegen-hartz.de, 07.03.2026);
#: in force "grundsätzlich" on 1.7.2026, the sanctions on refused work the day after
#: promulgation (gegen-hartz.de on the cabinet draft). The Karenzzeit for assets is
#: abolished and replaced by an allowance per person by age, unused parts passing to
#: the other members (all sources). NOT VERIFIED, because neither the promulgated text
#: (its BGBl. 2026 I number and date), nor the Bundestag Drucksachen (Gesetzentwurf,
#: Beschlussempfehlung) are in any source reachable from this machine (no access to
#: recht.bund.de, gesetze-im-internet.de or dip.bundestag.de; the stored copies hold
#: only press and commentary; gettsim issue #1198, 08.06.2026, records the same gap):
#: (a) the age bands. The wording quoted from the draft by solex.walhalla.de (01/2026)
#: is "bis zur Vollendung des 20. Lebensjahres 5.000 Euro, ab dem 21. Lebensjahr
#: 10.000, ab dem 41. 12.500, ab dem 51. 15.000", the higher amount "ab dem Monat, in
#: dem die jeweilige Altersgrenze erreicht wird"; read literally (the 21st year of life
#: begins on the 20th birthday) that is under 20 / 20–39 / 40–49 / 50+, which we
#: implement. Press reports render it "ab 21 Jahren" (one year later at each step), and
#: buerger-geld.org and Focus (via promipool.de) report other bands (up to 30 / 41 / 51,
#: 20,000 € from 51) that may come from earlier drafts. (b) Whether the committee
#: changed the amounts: vbw-bayern.de lists the committee's changes (§§ 10, 16f, 22,
#: 62a, 64a) and names none to §12. (c) Any transitional rule for a Karenzzeit still
#: running on 30.6.2026: none is reported; this table applies the new rule to every
#: month from July 2026. ``unsicher`` makes the form's hint say so.
VERMOEGEN: tuple[Dated[VermoegenRegel], ...] = (
    Dated(date(2023, 1, 1), VermoegenRegel(12, D(40000), D(15000), D(15000)), "§12 Abs. 3, 4 SGB II i.d.F. Bürgergeld-Gesetz"),
    Dated(date(2026, 7, 1), VermoegenRegel(0, D(0), D(0), None, ((0, D(5000)), (20, D(10000)), (40, D(12500)), (50, D(15000))), True),
          "§12 SGB II i.d.F. 13. SGB II-ÄndG (Neue Grundsicherung), from 1.7.2026"),
)

#: Housing costs in the first year (§22 Abs. 1 SGB II): actual costs during the
#: Karenzzeit; from 1.7.2026 at most 1.5 times the local limit (Neue Grundsicherung;
#: zittauer-zeitung.de 01/2026, buergergeld.org), except where the costs are
#: unavoidable or the Bedarfsgemeinschaft has children: the committee added that
#: exception as §22 Abs. 1 S. 7 (vbw-bayern.de, 06.03.2026; gettsim issue #1198
#: "family carve-out for households with children"); its exact wording is not
#: verified (see VERMOEGEN). Local limits are not known to this estimate: it takes
#: the costs as stated and says what the Jobcenter checks.
UNTERKUNFT_KARENZ: tuple[Dated[str], ...] = (
    Dated(date(2023, 1, 1), "tatsaechlich", "§22 Abs. 1 S. 2 SGB II i.d.F. Bürgergeld-Gesetz"),
    Dated(date(2026, 7, 1), "gedeckelt_1_5", "§22 Abs. 1 SGB II i.d.F. 13. SGB II-ÄndG"),
)


def regelaltersgrenze_monate(birth_year: int) -> int:
    """The age limit of §7a SGB II in months: 65 years for those born before
    1947, rising by one month per year to 66 (born 1958), then by two months per
    year to 67 (born 1964 or later)."""
    if birth_year < 1947:
        return 65 * 12
    if birth_year <= 1958:
        return 65 * 12 + (birth_year - 1946)
    if birth_year < 1964:
        return 66 * 12 + 2 * (birth_year - 1958)
    return 67 * 12
