"""The legal texts applicants read: privacy notice (Datenschutzhinweise),
Impressum, the accessibility statement's contact and date, and how to reach
the office. Each office may set its own (admin settings, migration 0011);
an empty setting means the defaults in :mod:`webapp.wizard_texts`.

Which office's texts a public page shows: the office named by ``?amt=<slug>``,
else the fallback office (which receives applications from everywhere), else
the defaults alone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from . import i18n
from .accounts.models import Office
from .wizard_texts import A11Y_DEFAULT_DATE, DEFAULTS
from webapp.i18n import NC_

#: Office setting for each text (``a11y_status`` and ``a11y_arbitration`` are the same everywhere).
COLUMNS = {"privacy": "privacy_notice", "imprint": "imprint", "a11y_contact": "accessibility_contact",
           "contact": "contact"}

TEXTS = {
    "adm_legal_title": NC_("adm_legal_title", "Texte für Antragstellende"),
    "adm_legal_default_hint": NC_("adm_legal_default_hint", "Leer lassen, um den mitgelieferten Standardtext zu zeigen."),
    "adm_contact": NC_("adm_contact", "So erreichen Antragstellende das Jobcenter (Eingangsbestätigung)"),
    "adm_privacy_notice": NC_("adm_privacy_notice", "Datenschutzhinweise"),
    "adm_imprint": NC_("adm_imprint", "Impressum"),
    "adm_accessibility_contact": NC_("adm_accessibility_contact", "Kontakt für Barrieren (Erklärung zur Barrierefreiheit)"),
    "adm_accessibility_date": NC_("adm_accessibility_date", "Datum der Erklärung zur Barrierefreiheit"),
    "adm_accessibility_date_hint": NC_("adm_accessibility_date_hint", "Zum Beispiel 2026-11-25. Leer: das Datum des Standardtexts."),
}
i18n.register(TEXTS)


@dataclass
class LegalTexts:
    office: str | None
    texts: dict[str, list[str]]  # key -> paragraphs
    a11y_date: date


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _default(key: str, lang: str) -> str:
    return DEFAULTS[key].get(lang) or DEFAULTS[key]["de"]


def office_text(db, office_id: int | None, key: str, lang: str) -> str:
    """One text of an office (by id), or the default."""
    office = db.get(Office, office_id) if office_id is not None else None
    own = getattr(office, COLUMNS[key], "") if office is not None else ""
    return own.strip() if own and own.strip() else _default(key, lang)


def _office(db, slug: str | None) -> Office | None:
    if slug and isinstance(slug, str) and len(slug) <= 60:
        found = db.scalar(select(Office).where(Office.slug == slug))
        if found is not None:
            return found
    return db.scalar(select(Office).where(Office.is_fallback.is_(True)).order_by(Office.id))


def texts_for(db, slug: str | None, lang: str) -> LegalTexts:
    office = _office(db, slug)
    found = {}
    for key in DEFAULTS:
        column = COLUMNS.get(key)
        own = getattr(office, column, "") if office is not None and column else ""
        found[key] = _paragraphs(own if own and own.strip() else _default(key, lang))
    when = (office.accessibility_date if office is not None and office.accessibility_date else None) \
        or date.fromisoformat(A11Y_DEFAULT_DATE)
    return LegalTexts(office.name if office is not None else None, found, when)
