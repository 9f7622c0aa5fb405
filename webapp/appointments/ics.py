"""The booking as an iCalendar file (RFC 5545) for the applicant's
calendar, written with the ``icalendar`` library: times in Europe/Berlin
with the VTIMEZONE the library derives, a stable UID per booking (a moved
appointment replaces the old one in the calendar, a cancelled one is
marked CANCELLED)."""

from __future__ import annotations

from datetime import date, timedelta

import icalendar

from ..storage import utcnow
from . import times
from .models import BOOKED, Booking, Slot


def calendar(booking: Booking, slot: Slot, *, summary: str, description: str,
             location: str = "", url: str | None = None) -> bytes:
    start = times.local(slot.starts_at)
    event = icalendar.Event()
    event.add("uid", f"{booking.reference}@formwerk")
    event.add("dtstamp", utcnow())
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=slot.minutes))
    event.add("summary", summary)
    event.add("description", description)
    if location:
        event.add("location", location)
    if url:
        event.add("url", url)
    event.add("status", "CONFIRMED" if booking.status == BOOKED else "CANCELLED")
    # each change (move, cancellation) must supersede what the calendar holds
    event.add("sequence", int(times.as_utc(booking.updated_at).timestamp()) - int(
        times.as_utc(booking.created_at).timestamp()))
    cal = icalendar.Calendar()
    cal.add("prodid", "-//formwerk//Online-Termine//DE")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    cal.add_component(event)
    # a short VTIMEZONE: the rules of the appointment's year and the next
    cal.add_missing_timezones(first_date=date(start.year - 1, 1, 1), last_date=date(start.year + 2, 1, 1))
    return cal.to_ical()
