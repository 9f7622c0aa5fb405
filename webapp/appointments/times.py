"""Times of appointments: stored in UTC, shown and entered in the office's
time zone (Europe/Berlin), so "10:00" stays 10:00 across the change to and
from summer time, also in a weekly series."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")

WEEKDAYS = {
    "de": ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")


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


def format_day(moment: datetime, lang: str) -> str:
    """"Montag, 30.11.2026" / "Monday, 30 November 2026"."""
    value = local(moment)
    weekday = WEEKDAYS["en" if lang == "en" else "de"][value.weekday()]
    if lang == "en":
        return f"{weekday}, {value.day} {MONTHS_EN[value.month - 1]} {value.year}"
    return f"{weekday}, {value:%d.%m.%Y}"


def format_time(moment: datetime, lang: str) -> str:
    """"10:30 Uhr" / "10:30"."""
    value = local(moment)
    return f"{value:%H:%M} Uhr" if lang != "en" else f"{value:%H:%M}"


def format_span(moment: datetime, minutes: int, lang: str) -> str:
    """"Montag, 30.11.2026, 10:30 bis 11:00 Uhr"."""
    end = local(moment) + timedelta(minutes=minutes)
    if lang == "en":
        return f"{format_day(moment, lang)}, {local(moment):%H:%M} to {end:%H:%M}"
    return f"{format_day(moment, lang)}, {local(moment):%H:%M} bis {end:%H:%M} Uhr"
