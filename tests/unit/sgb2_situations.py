"""Builders for the worked Bürgergeld situations: one compact description of a
household, turned into the answers of the calculator (``forms/buergergeld-rechner``)
and of the application (``forms/buergergeld``), so each situation goes through
both forms."""

from __future__ import annotations

import copy
import json
from datetime import date, timedelta
from pathlib import Path

from domains.sgb2 import rates

ROOT = Path(__file__).resolve().parents[2]
BASE_APPLICATION = json.loads((ROOT / "forms/buergergeld/cases/01_alleinstehend_ohne_kinder.json").read_text("utf-8"))["answers"]
GATES = {"erwerbsfaehig": True, "altersrente": False, "staatsangehoerigkeit": "deutsch", "ausbildung_foerderfaehig": False, "stationaer": "nein"}


def born(age: int, on: date) -> str:
    """A birth date that makes someone exactly ``age`` on ``on`` (birthday on 31.12.)."""
    return date(on.year - age - 1, 12, 31).isoformat()


def calculator(s: dict) -> dict:
    on = s["as_of"]
    kg = rates.in_force(rates.KINDERGELD, on).value
    kids = []
    for k in s.get("kinder", []):
        kid = {"alter": k["alter"], "kindergeld": float(kg) if k.get("kindergeld", True) else 0}
        if k.get("unterhalt"):
            kid["unterhalt"] = k["unterhalt"]
        if k["alter"] >= 15:
            kid["ausbildung"] = k.get("ausbildung", "schule")
            kid["erwerbstaetig"] = "job" in k
            if "job" in k:
                kid["brutto"], kid["netto"] = k["job"][0], k["job"][1]
                if kid["ausbildung"] == "schule":
                    kid["ferienjob"] = k["job"][2]
            if k.get("sonstiges"):
                kid["sonstiges"] = k["sonstiges"]
        kids.append(kid)
    h = {"partner": "partner" in s, "kinder_vorhanden": bool(kids), "schwanger": "schwanger" in s,
         "weitere_personen": bool(s.get("weitere"))}
    if "partner" in s:
        h["partner_alter"] = s["partner"]["alter"]
    elif s["alter"] < 25:
        h["bei_eltern"] = s.get("bei_eltern", False)  # §7 Abs. 3 Nr. 2 SGB II: asked of the unmarried under 25
    if kids:
        h["kinder"] = kids
        if "partner" not in s:
            h["alleinerziehend"] = s.get("alleinerziehend", True)
    if s.get("weitere"):
        h["weitere_anzahl"] = s["weitere"]
    if "schwanger" in s:
        who, due, *nr = s["schwanger"]
        h.update(schwangere_person=who, entbindungstermin=due)
        if who == "tochter":
            h["schwangere_kind_nr"] = nr[0]
    kalt, neben, heiz = s.get("miete", (0, 0, 0))

    def income(e: dict | None) -> dict:
        e = e or {}
        if "selbststaendig" in e:
            return {"erwerbstaetig": True, "brutto": e["selbststaendig"], "netto": e["selbststaendig"], **({"sonstiges": e["sonstiges"]} if e.get("sonstiges") else {})}
        out = {"erwerbstaetig": "brutto" in e}
        for key in ("brutto", "netto", "absetzbetraege", "sonstiges"):
            if e.get(key):
                out[key] = e[key]
        if "elterngeld" in e:  # (amount, ElterngeldPlus?, earnings before the birth or None)
            amount, plus, before = e["elterngeld"]
            out.update(elterngeld=amount, elterngeld_plus=plus, erwerbstaetig_vor_geburt=before is not None)
            if before is not None:
                out["einkommen_vor_geburt"] = before
        return out

    einkommen = {"antragsteller": income(s.get("einkommen"))}
    if "partner" in s:
        einkommen["partner"] = income(s["partner"].get("einkommen"))
    gates = {**GATES, **s.get("gates", {})}
    if gates["staatsangehoerigkeit"] == "deutsch":
        gates.pop("aufenthalt", None)
    mehr = {"behinderung": "behinderung" in s, "ernaehrung": s.get("ernaehrung", False)}
    if "behinderung" in s:
        mehr["behinderung_person"] = s["behinderung"]
    verm = {"vorhanden": "vermoegen" in s}
    if "vermoegen" in s:
        amount, months = s["vermoegen"]["betrag"], s["vermoegen"].get("bezug_monate", 0)
        verm.update(betrag=amount, frueherer_bezug=bool(months))
        if months:
            verm["bezug_monate"] = months
    gates = {"geburtsdatum": born(s["alter"], on), **gates}  # §7a by birth date, as in the application
    return {"voraussetzungen": gates, "haushalt": h,
            "wohnen": {"kaltmiete": kalt, "nebenkosten": neben, "heizkosten": heiz, "warmwasser": s.get("warmwasser", "zentral")},
            "einkommen": einkommen, "mehrbedarf": mehr, "vermoegen": verm}


def application(s: dict) -> dict:
    on = s["as_of"]
    a = copy.deepcopy(BASE_APPLICATION)
    a["person"]["geburtsdatum"] = born(s["alter"], on)
    a["person"]["rv_status"] = "beantragt"
    del a["person"]["rvnr"]
    a["ausweis"]["gueltig_bis"] = (on + timedelta(days=900)).isoformat()
    gates = s.get("gates", {})
    for key in ("erwerbsfaehig", "altersrente", "ausbildung_foerderfaehig", "stationaer"):
        if key in gates:
            a["voraussetzungen"][key] = gates[key]
    if gates.get("staatsangehoerigkeit") in ("eu", "andere"):
        a["person"].update(staatsangehoerigkeit=gates["staatsangehoerigkeit"], einreisedatum=s.get("einreise", "2015-05-01"),
                           aufenthaltsstatus=s.get("status", "freizuegigkeit"), aufenthaltszweck=s.get("zweck", "arbeit"))
        if a["person"]["aufenthaltsstatus"] in ("aufenthaltserlaubnis", "aufenthaltsgestattung", "duldung"):
            a["person"]["aufenthalt_gueltig_bis"] = (on + timedelta(days=200)).isoformat()
    h = a["haushalt"]
    members = 1
    if "partner" in s:
        h["partner_im_haushalt"] = True
        h["partner"] = {"vorname": "Jonas", "nachname": "Schmidt", "geburtsdatum": born(s["partner"]["alter"], on),
                        "erwerbstaetig": "brutto" in (s["partner"].get("einkommen") or {}), "krankenversicherung": "pflicht",
                        "staatsangehoerigkeit": "deutsch", "erwerbsfaehig": True}
        a["person"].update(familienstand="verheiratet", familienstand_seit="2012-06-01")
        members += 1
    if s.get("kinder"):
        h["kinder_im_haushalt"] = True
        h["kinder"] = []
        if "partner" not in s:
            h["alleinerziehend"] = s.get("alleinerziehend", True)
        for i, k in enumerate(s["kinder"]):
            child = {"vorname": f"Kind{i + 1}", "nachname": "Schmidt", "geburtsdatum": born(k["alter"], on), "verwandtschaft": "eigenes"}
            uh = {"unterhalt": "unterhalt", "unterhalt_betrag": k["unterhalt"]} if k.get("unterhalt") else {"unterhalt": "kein"}
            if k["alter"] < 15:
                child["ki"] = {"kindergeld_bezogen": k.get("kindergeld", True), "betreuung": "schule" if k["alter"] >= 6 else "kita",
                               "krankenversicherung": "familie", "krankenkasse": "AOK Plus", **uh}
            else:
                wep = {"ausbildung": k.get("ausbildung", "schule"), "kindergeld_bezogen": k.get("kindergeld", True), "krankenversicherung": "familie",
                       "staatsangehoerigkeit": "deutsch", "erwerbsfaehig": True, "familienstand": "ledig", "erwerbstaetig": "job" in k, **uh}
                if wep["ausbildung"] == "keine":
                    wep["ausbildung"] = "nichts"
                if "job" in k:
                    wep.update(brutto=k["job"][0], netto=k["job"][1])
                    if wep["ausbildung"] == "schule":
                        wep["ferienjob"] = k["job"][2]
                if k.get("sonstiges"):
                    wep["sonstiges_betrag"] = k["sonstiges"]
                child["wep"] = wep
            h["kinder"].append(child)
            members += 1
    if s.get("weitere"):
        h["weitere_personen"] = True
        a["hg"] = {"personen": [{"name": f"Person {i + 1}", "verwandtschaft": "kind_ab_25" if i == 0 else "sonstige", "unterstuetzt": False}
                                for i in range(s["weitere"])]}
    kalt, neben, heiz = s.get("miete", (0, 0, 0))
    a["wohnen"].update(kaltmiete=kalt, nebenkosten=neben, heizkosten=heiz, warmwasser=s.get("warmwasser", "zentral"),
                       personen_in_wohnung=members + s.get("weitere", 0))

    def income(e: dict | None) -> dict:
        e = e or {}
        items = []
        if "brutto" in e:
            item = {"art": "erwerbstaetigkeit", "arbeitgeber": "Firma", "brutto": e["brutto"], "netto": e["netto"]}
            if e.get("absetzbetraege"):
                item["absetzbetraege"] = e["absetzbetraege"]
            items.append(item)
        if "selbststaendig" in e:
            items.append({"art": "selbststaendig", "eks": {"taetigkeit": "Grafikdesign", "beginn": "2024-03-01", "angabe": "vorlaeufig",
                                                           "gewinn_monatlich": e["selbststaendig"]}})
        if e.get("sonstiges"):
            items.append({"art": "arbeitslosengeld", "betrag": e["sonstiges"]})
        if "elterngeld" in e:
            amount, plus, before = e["elterngeld"]
            items.append({"art": "elterngeld", "betrag": amount, "elterngeld_plus": plus, "erwerbstaetig_vor_geburt": before is not None,
                          **({"einkommen_vor_geburt": before} if before is not None else {})})
        return {"hat_einkommen": True, "einkuenfte": items} if items else {"hat_einkommen": False}

    a["einkommen"] = {"antragsteller": income(s.get("einkommen"))}
    if "partner" in s:
        a["einkommen"]["partner"] = income(s["partner"].get("einkommen"))
    m = a["mehrbedarf"]
    if "schwanger" in s:
        who, due, *nr = s["schwanger"]
        m.update(schwanger=True, entbindungstermin=due,
                 schwangere_person={"ich": "antragstellerin", "partnerin": "partnerin", "tochter": "tochter"}[who])
        if who == "tochter":
            m["schwangere_kind_nr"] = nr[0]
    if "behinderung" in s:
        m.update(behinderung=True, behinderung_person={"ich": "antragsteller", "partner": "partner", "kind": "kind"}[s["behinderung"]])
    if s.get("ernaehrung"):
        m.update(ernaehrung=True, meb={"erkrankung": "Zöliakie", "bescheinigung": True, "person": "antragsteller"})
    v = a["vermoegen"]
    if "vermoegen" in s:
        v["konten"] = [{"bank": "Sparkasse", "kontoart": "spar", "kontostand": s["vermoegen"]["betrag"], "inhaber": "antragsteller"}]
        if s["vermoegen"].get("bezug_monate"):
            v.update(frueherer_bezug=True, bezug_monate=s["vermoegen"]["bezug_monate"])
        for key, value in s["vermoegen"].get("ausgenommen", {}).items():
            v.update(value)
    else:
        v["konten"] = [{"bank": "Sparkasse", "kontoart": "giro", "kontostand": 0, "inhaber": "antragsteller"}]
    for path, value in s.get("antrag", {}).items():
        target = a
        *parents, last = path.split("/")
        for name in parents:
            target = target[name]
        target[last] = value
    return a
