"""The application form (``forms/buergergeld``) mapped onto the estimate's
input, so that its review page shows the same estimate as the calculator.

Income is asked per person as in the official Anlage EK: the applicant's and
the partner's under ``einkommen``, each child's inside the child's annex (KI or
WEP), so removing a person removes their income by pruning. Unanswered parts
count as absent.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from . import rates
from .estimate import ZERO, num, reached_age_limit


def _date(value: Any) -> date | None:
    if isinstance(value, str) and len(value) >= 10:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def age_on(birth: Any, day: date) -> int | None:
    born = _date(birth)
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _income(person: dict) -> dict:
    """One adult's Anlage EK: earnings, self-employment, Elterngeld, other income."""
    entry = {"brutto": ZERO, "netto": ZERO, "absetzbetraege": ZERO, "sonstiges": ZERO}
    if not isinstance(person, dict) or person.get("hat_einkommen") is not True:
        return entry
    for item in person.get("einkuenfte") or []:
        if not isinstance(item, dict):
            continue
        kind = item.get("art")
        if kind == "erwerbstaetigkeit":
            entry["brutto"] += num(item.get("brutto"))
            entry["netto"] += num(item.get("netto"))
            entry["absetzbetraege"] += num(item.get("absetzbetraege"))
        elif kind == "selbststaendig":
            profit = max(ZERO, num((item.get("eks") or {}).get("gewinn_monatlich")))
            entry["brutto"] += profit
            entry["netto"] += profit
        elif kind == "elterngeld":
            # §10 Abs. 5 BEEG: the estimate leaves part of each Elterngeld free
            entry.setdefault("elterngeld_bezuege", []).append(
                {"betrag": num(item.get("betrag")), "plus": item.get("elterngeld_plus") is True,
                 "erwerbstaetig_vor_geburt": item.get("erwerbstaetig_vor_geburt") is True,
                 "einkommen_vor_geburt": num(item.get("einkommen_vor_geburt"))})
        elif kind is not None:
            entry["sonstiges"] += num(item.get("betrag"))
    return entry


def draws_old_age_pension(person: dict) -> bool:
    """An old-age pension entered in Anlage EK (§7 Abs. 4 S. 1 SGB II), the
    same gate as the eligibility question."""
    if not isinstance(person, dict) or person.get("hat_einkommen") is not True:
        return False
    return any(isinstance(item, dict) and item.get("art") == "rente" and item.get("rentenart") == "altersrente"
               for item in person.get("einkuenfte") or [])


_TRAINING = {"schule": "schule", "ausbildung": "ausbildung", "studium": "studium"}
_PREGNANT = {"antragstellerin": "ich", "partnerin": "partnerin", "tochter": "tochter"}
_DISABLED = {"antragsteller": "ich", "partner": "partner"}


def _child(child: dict, day: date, kindergeld: Decimal) -> dict | None:
    age = age_on(child.get("geburtsdatum"), day)
    if age is None:
        return None
    annex = child.get("ki") or child.get("wep") or {}
    result: dict = {"alter": age, "kindergeld": kindergeld if annex.get("kindergeld_bezogen") is True else 0,
                    "unterhalt": annex.get("unterhalt_betrag") or 0}
    name = child.get("vorname")
    if isinstance(name, str) and name.strip():
        result["vorname"] = name.strip()[:60]  # the estimate's lines name the child
    if "wep" in child:
        wep = child["wep"]
        result["ausbildung"] = _TRAINING.get(wep.get("ausbildung"), "keine")
        if wep.get("erwerbstaetig") is True:
            result.update(erwerbstaetig=True, brutto=wep.get("brutto") or 0, netto=wep.get("netto") or 0,
                          ferienjob=wep.get("ferienjob") is True)
        result["sonstiges"] = wep.get("sonstiges_betrag") or 0
    return result


def partner_name(partner: Any) -> dict:
    """The partner's first name for the estimate's lines ("Regelbedarf Jonas"), as
    the children are named; nothing without one (the lines then say "Partnerin/Partner")."""
    name = partner.get("vorname") if isinstance(partner, dict) else None
    return {"partner_vorname": name.strip()[:60]} if isinstance(name, str) and name.strip() else {}


def _gates(answers: dict, day: date) -> dict:
    person = answers.get("person") or {}
    gates: dict = {}
    situation = answers.get("voraussetzungen") or {}
    for key in ("erwerbsfaehig", "ausbildung_foerderfaehig", "stationaer", "altersrente"):
        if key in situation:
            gates[key] = situation[key]
    if draws_old_age_pension((answers.get("einkommen") or {}).get("antragsteller") or {}):
        gates["altersrente"] = True
    partner = (answers.get("haushalt") or {}).get("partner") or {}
    if isinstance(partner, dict) and "erwerbsfaehig" in partner:
        gates["partner_erwerbsfaehig"] = partner["erwerbsfaehig"]
    limit = reached_age_limit(person.get("geburtsdatum"), day)
    if limit is not None:
        gates["rentengrenze"] = limit
    status = person.get("aufenthaltsstatus")
    if status in ("aufenthaltsgestattung", "duldung"):
        gates["aufenthalt"] = "asylblg"
    elif person.get("staatsangehoerigkeit") in ("eu", "andere"):
        purpose = person.get("aufenthaltszweck")
        entered = _date(person.get("einreisedatum"))
        if purpose == "arbeitsuche":
            gates["aufenthalt"] = "arbeitsuche"
        elif purpose != "arbeit" and status != "niederlassungserlaubnis" and entered is not None and (day - entered).days < 92:
            gates["aufenthalt"] = "erste_drei_monate"
        else:
            gates["aufenthalt"] = "dauerhaft"
    return gates


def calculator_input(answers: dict, day: date) -> dict:
    """Map the application's answers onto the calculator's input."""
    kindergeld = rates.in_force(rates.KINDERGELD, day).value
    person = answers.get("person") or {}
    household = answers.get("haushalt") or {}
    housing = answers.get("wohnen") or {}
    extra = answers.get("mehrbedarf") or {}
    assets = answers.get("vermoegen") or {}
    income = answers.get("einkommen") or {}
    partner = household.get("partner") if household.get("partner_im_haushalt") is True else None
    # a child aged 25 or over is no member (§7 Abs. 3 Nr. 4 SGB II): the form routes
    # him to Anlage HG, and he counts once, as one of the people in the flat
    children = [c for c in (_child(child, day, kindergeld) for child in household.get("kinder") or [] if isinstance(child, dict))
                if c and c["alter"] < 25]
    if housing.get("wohnsituation") == "eigentum":
        rent = num(housing.get("schuldzinsen")) + num(housing.get("grundsteuer"))
    else:
        rent = num(housing.get("kaltmiete"))
    # everyone in the flat: the KDU annex asks for the number of people living there
    in_flat = int(num(housing.get("personen_in_wohnung")))
    members = 1 + (1 if partner is not None else 0) + len(children)
    # subtenants pay their share as sub-rent, which lowers the costs: not heads of the split
    sublet = housing.get("untervermietung") is True
    subtenants = int(num(housing.get("untermieter_anzahl"))) if sublet else 0
    outside = max(0, in_flat - members - subtenants)
    pregnant = _PREGNANT.get(extra.get("schwangere_person"), "ich")
    if pregnant == "ich" and person.get("geschlecht") == "maennlich":
        pregnant = "niemand"  # §21 Abs. 2 applies to a pregnant member only
    # an unmarried applicant (under 25: checked by the estimate) who names a parent in
    # Anlage HG lives with that parent (§7 Abs. 3 Nr. 2 SGB II: "unverheirateten")
    married = person.get("familienstand") in ("verheiratet", "lebenspartnerschaft", "getrennt")
    with_parent = not married and any(isinstance(other, dict) and other.get("verwandtschaft") == "eltern"
                                      for other in (answers.get("hg") or {}).get("personen") or [])
    return {
        "voraussetzungen": _gates(answers, day),
        "haushalt": {
            "bei_eltern": with_parent,
            "alter": age_on(person.get("geburtsdatum"), day) or 30,
            "partner": partner is not None,
            "partner_alter": age_on((partner or {}).get("geburtsdatum"), day) or 30,
            **partner_name(partner),
            "alleinerziehend": household.get("alleinerziehend") is True,
            "schwanger": extra.get("schwanger") is True,
            "schwangere_person": pregnant,
            "schwangere_kind_nr": extra.get("schwangere_kind_nr") or 1,
            "entbindungstermin": extra.get("entbindungstermin"),
            "kinder": children,
            "weitere_personen": outside > 0,
            "weitere_anzahl": outside,
        },
        "wohnen": {"kaltmiete": rent, "nebenkosten": num(housing.get("nebenkosten")),
                   "heizkosten": num(housing.get("heizkosten")), "warmwasser": housing.get("warmwasser"),
                   "untermiete": num(housing.get("untermiete_einnahmen")) if sublet else ZERO},
        "einkommen": {"antragsteller": _income(income.get("antragsteller") or {}),
                      "partner": _income(income.get("partner") or {}) if partner is not None else {}},
        "mehrbedarf": {"behinderung": extra.get("behinderung") is True,
                       "behinderung_person": _DISABLED.get(extra.get("behinderung_person"), "kind"),
                       "ernaehrung": extra.get("ernaehrung") is True,
                       "besonderer_bedarf": extra.get("besonderer_bedarf") is True},
        "vermoegen": {"vorhanden": True, "betrag": countable_assets(assets),
                      "bezug_monate": (assets.get("bezug_monate") or 0) if assets.get("frueherer_bezug") is True else 0}
        if assets else {},
    }


def countable_assets(assets: dict) -> Decimal:
    """Assets of every member less the exempt items of §12 Abs. 1 S. 2 SGB II:
    a car declared reasonable (Nr. 2: reasonableness is presumed when declared
    in the application), pension savings protected from early use (Nr. 3),
    self-used housing (Nr. 5; its reasonableness the Jobcenter checks)."""
    total = ZERO
    for account in assets.get("konten") or []:
        total += num(account.get("kontostand"))
    total += num(assets.get("bargeld"))
    for car in assets.get("fahrzeuge") or []:
        if car.get("angemessen") is not True:
            total += num(car.get("wert"))
    for home in assets.get("immobilien") or []:
        if home.get("selbst_bewohnt") is not True:
            total += num(home.get("wert"))
    for policy in assets.get("versicherungen") or []:
        if policy.get("altersvorsorge_geschuetzt") is not True:
            total += num(policy.get("rueckkaufswert"))
    return max(ZERO, total)
