"""Times of appointments: stored in UTC, shown and entered in the office's
time zone (Europe/Berlin), so "10:00" stays 10:00 across the change to and
from summer time, also in a weekly series."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

BERLIN = ZoneInfo("Europe/Berlin")

#: Babel date patterns (CLDR) for each language; names of days and months come from Babel's locale data
_LOCALES = {"de": "de_DE", "en": "en_GB"}
_DAY = {"de": "EEEE, dd.MM.yyyy", "en": "EEEE, d MMMM yyyy"}
_TIME = {"de": "HH:mm 'Uhr'", "en": "HH:mm"}


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes (stored as UTC); PostgreSQL aware ones."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def local(moment: datetime) -> datetime:
    return as_utc(moment).astimezone(BERLIN)


def to_utc(day: date, at: time) -> datetime:
    """The UTC moment of the wall-clock time ``at`` on ``day`` in Berlin."""
    return datetime.combine(day, at, tzinfo=BERLIN).astimezone(timezone.utc)


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """[start, end) of a Berlin calendar day, in UTC."""
    return to_utc(day, time.min), to_utc(day + timedelta(days=1), time.min)


def today() -> date:
    return datetime.now(BERLIN).date()


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "de"


def format_day(moment: datetime, lang: str) -> str:
    """"Montag, 30.11.2026" / "Monday, 30 November 2026"."""
    return format_datetime(local(moment), _DAY[_lang(lang)], locale=_LOCALES[_lang(lang)])


def format_time(moment: datetime, lang: str) -> str:
    """"10:30 Uhr" / "10:30"."""
    return format_datetime(local(moment), _TIME[_lang(lang)], locale=_LOCALES[_lang(lang)])


def format_span(moment: datetime, minutes: int, lang: str) -> str:
    """"Montag, 30.11.2026, 10:30 bis 11:00 Uhr"."""
    from ..i18n import translate

    end = local(moment) + timedelta(minutes=minutes)
    clock = "HH:mm"
    return translate("apt_span", _lang(lang), day=format_day(moment, lang),
                     start=format_datetime(local(moment), clock, locale=_LOCALES[_lang(lang)]),
                     end=format_datetime(end, clock, locale=_LOCALES[_lang(lang)]))
