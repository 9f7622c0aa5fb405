"""Which office and team an application goes to.

An office claims postcode ranges; an application goes to the office whose
range contains the applicant's postcode, else to the fallback office. Inside
the office, teams claim surname ranges (Buchstabenverteilung): "A"–"K"
contains every surname from "A…" up to and including "K…"; "Sch"–"Sz"
contains "Schmidt" and "Szabo". Names are compared upper-case with umlauts
folded (Ä→A, ß→SS), as office registers sort them (DIN 5007-1)."""

from __future__ import annotations

import unicodedata

from sqlalchemy import select

from .models import Office, PostcodeArea, Team, TeamRange


def normalise_name(name: str) -> str:
    """Upper-case letters only, accents and umlauts folded: "Özdemir" → "OZDEMIR"."""
    text = unicodedata.normalize("NFKD", (name or "").replace("ß", "ss"))
    return "".join(ch for ch in text if ch.isalpha() and ch.isascii()).upper()


def in_range(surname: str, first: str, last: str) -> bool:
    key = normalise_name(surname)
    if not key:
        return False
    return first <= key[: len(first)] and key[: len(last)] <= last


def office_for(db, postcode: str | None) -> Office | None:
    if postcode and len(postcode) == 5 and postcode.isdigit():
        office = db.scalar(select(Office).join(PostcodeArea, PostcodeArea.office_id == Office.id)
                           .where(PostcodeArea.first <= postcode, PostcodeArea.last >= postcode)
                           .order_by(PostcodeArea.first.desc()).limit(1))
        if office is not None:
            return office
    return db.scalar(select(Office).where(Office.is_fallback.is_(True)).order_by(Office.id).limit(1))


def team_for(db, office: Office, surname: str | None) -> Team | None:
    rows = db.execute(select(Team, TeamRange).join(TeamRange, TeamRange.team_id == Team.id)
                      .where(Team.office_id == office.id).order_by(Team.id, TeamRange.id)).all()
    for team, letters in rows:
        if in_range(surname or "", letters.first, letters.last):
            return team
    return None
