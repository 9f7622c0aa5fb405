"""What the appointment pages, e-mails and calendar files say about a slot
or a booking, in the applicant's language (dates and times in
Europe/Berlin)."""

from __future__ import annotations

from sqlalchemy import select

from .. import security
from ..i18n import translate
from . import ics, times
from .models import AppointmentSettings, Booking, Slot


def tx(key: str, lang: str, **values) -> str:
    return translate(key, lang, **values)


def channel_label(channel: str, lang: str) -> str:
    return tx(f"apt_channel_{channel}", lang)


def video_link(db, office_id: int) -> str | None:
    return db.scalar(select(AppointmentSettings.video_link).where(AppointmentSettings.office_id == office_id))


def by_day(slots: list[Slot], lang: str) -> list[tuple[str, list[dict]]]:
    """Slots grouped by their Berlin day, for radio buttons."""
    days: list[tuple[str, list[dict]]] = []
    for slot in slots:
        day = times.format_day(slot.starts_at, lang)
        if not days or days[-1][0] != day:
            days.append((day, []))
        days[-1][1].append({"id": slot.id, "time": times.format_time(slot.starts_at, lang),
                            "minutes": slot.minutes, "channel": channel_label(slot.channel, lang),
                            "free": tx("apt_places_free", lang, n=slot.free) if slot.free > 1 else tx(
                                "apt_place_free", lang)})
    return days


def slot_view(slot: Slot, office, lang: str) -> dict:
    return {"when": times.format_span(slot.starts_at, slot.minutes, lang),
            "channel": channel_label(slot.channel, lang), "office": office.name, "location": slot.location}


def booking_view(row: Booking, slot: Slot, office, video: str | None, lang: str) -> dict:
    view = slot_view(slot, office, lang)
    view.update(channel_key=slot.channel, status=row.status, status_label=tx(f"apt_status_{row.status}", lang),
                video_link=video if slot.channel == "video" else None, phone=row.phone, name=row.name)
    return view


def _where(slot: Slot, video: str | None, lang: str, phone: str | None) -> str:
    if slot.channel == "video":
        return tx("apt_where_video", lang, link=video) if video else tx("apt_where_video_later", lang)
    if slot.channel == "telefon":
        return tx("apt_where_phone", lang, phone=phone or "")
    return slot.location or tx("apt_where_office", lang)


def calendar_bytes(row: Booking, slot: Slot, office, video: str | None, lang: str) -> bytes:
    summary = tx("apt_ics_summary", lang, office=office.name, channel=channel_label(slot.channel, lang))
    description = "\n".join([tx("apt_booking_reference", lang) + ": " + row.reference,
                             _where(slot, video, lang, row.phone)])
    location = video if slot.channel == "video" and video else (slot.location if slot.channel == "vor_ort" else "")
    return ics.calendar(row, slot, summary=summary, description=description, location=location or "",
                        url=video if slot.channel == "video" else None)


def public_link(endpoint: str, **values) -> str:
    """A link for e-mails: from a trusted origin (``PUBLIC_URL``, or a host
    ``TRUSTED_HOSTS`` admits), never from a Host header alone; else relative."""
    return security.external_url(endpoint, **values)


def mail_text(subject_key: str, row: Booking, slot: Slot, office, video: str | None, lang: str, *,
              manage_link: str) -> tuple[str, str]:
    """(subject, body) of an e-mail about the booking's current state."""
    body = tx(f"{subject_key.removesuffix('_subject')}_body", lang, office=office.name,
              when=times.format_span(slot.starts_at, slot.minutes, lang), channel=channel_label(slot.channel, lang),
              where=_where(slot, video, lang, row.phone), reference=row.reference, link=manage_link)
    return tx(subject_key, lang), body
