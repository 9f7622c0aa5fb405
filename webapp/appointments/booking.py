"""Booking operations, free of Flask: which slots are free, taking a
place, moving, cancelling, calling off a slot, creating slots.

Capacity is enforced by the database, not by reading and then writing:
a place is taken with one conditional UPDATE

    UPDATE appointment_slots SET booked = booked + 1
     WHERE id = :slot AND booked < capacity AND cancelled_at IS NULL AND starts_at > :now

which PostgreSQL and SQLite both apply to the row's current value (the
second of two racing transactions re-evaluates the condition after the
first commits, or waits for SQLite's write lock), so of two applicants
racing for the last place exactly one gets a row count of 1. The CHECK
``booked <= capacity`` of migration 0010 backs it up. Each operation runs
its UPDATE as the transaction's first statement, so SQLite takes the write
lock at once instead of failing to upgrade a read snapshot."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from uuid import uuid4

from sqlalchemy import or_, select, update

from ..storage import utcnow
from . import times
from .models import BOOKED, CALLED_OFF, CANCELLED, Booking, Slot

#: booking references: no 0/O, 1/I/L, so they can be read out on the phone
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
MAX_WEEKS = 26
MAX_LISTED = 200


def code_hash(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def new_reference() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"T-{body[:4]}-{body[4:]}"


def new_code() -> str:
    return secrets.token_urlsafe(12)


def verify(booking: Booking | None, code: str | None) -> bool:
    return bool(booking is not None and code and secrets.compare_digest(booking.code_hash, code_hash(code)))


def free_slots(db, office_id: int, *, team_id: int | None = None, channel: str | None = None,
               now: datetime | None = None) -> list[Slot]:
    """Bookable slots of the office, earliest first: in the future, not
    called off, with a free place; of ``team_id`` (and the office-wide ones)
    when a team is given."""
    query = (select(Slot).where(Slot.office_id == office_id, Slot.cancelled_at.is_(None),
                                Slot.starts_at > (now or utcnow()), Slot.booked < Slot.capacity)
             .order_by(Slot.starts_at, Slot.id).limit(MAX_LISTED))
    if team_id is not None:
        query = query.where(or_(Slot.team_id == team_id, Slot.team_id.is_(None)))
    if channel:
        query = query.where(Slot.channel == channel)
    return list(db.scalars(query))


def _claim(db, slot_id: int, office_id: int, now: datetime) -> bool:
    """Take one place of the slot if it is still bookable (see the module's docstring)."""
    result = db.execute(update(Slot)
                        .where(Slot.id == slot_id, Slot.office_id == office_id, Slot.cancelled_at.is_(None),
                               Slot.starts_at > now, Slot.booked < Slot.capacity)
                        .values(booked=Slot.booked + 1).execution_options(synchronize_session=False))
    return result.rowcount == 1


def _release(db, slot_id: int) -> None:
    db.execute(update(Slot).where(Slot.id == slot_id, Slot.booked > 0).values(booked=Slot.booked - 1)
               .execution_options(synchronize_session=False))


@dataclass(frozen=True)
class Details:
    name: str
    email: str | None = None
    phone: str | None = None
    application_reference: str | None = None
    concern: str = ""


def book(storage, slot_id: int, office_id: int, details: Details, *, now: datetime | None = None
         ) -> tuple[Booking, str] | None:
    """Book a place; (booking, access code), or None when the slot is taken,
    gone, past or another office's."""
    moment = now or utcnow()
    code = new_code()
    with storage.session() as db:
        if not _claim(db, slot_id, office_id, moment):
            return None
        booking = Booking(reference=new_reference(), code_hash=code_hash(code), office_id=office_id, slot_id=slot_id,
                          status=BOOKED, name=details.name, email=details.email, phone=details.phone,
                          application_reference=details.application_reference, concern=details.concern,
                          created_at=moment, updated_at=moment)
        db.add(booking)
    return booking, code


class _Undo(Exception):
    """Rolls the transaction back (raised inside ``storage.session()``)."""


def move(storage, booking_id: int, new_slot_id: int, *, now: datetime | None = None) -> bool:
    """Move an active booking to another free slot of its office; False when
    the new slot is taken, gone or past, or the booking is no longer active
    (all or nothing)."""
    moment = now or utcnow()
    with storage.reader() as db:
        booking = db.get(Booking, booking_id)
    if booking is None or booking.status != BOOKED or booking.slot_id == new_slot_id:
        return False
    try:
        with storage.session() as db:
            if not _claim(db, new_slot_id, booking.office_id, moment):
                raise _Undo
            moved = db.execute(update(Booking)
                               .where(Booking.id == booking_id, Booking.status == BOOKED,
                                      Booking.slot_id == booking.slot_id)
                               .values(slot_id=new_slot_id, updated_at=moment)
                               .execution_options(synchronize_session=False))
            if moved.rowcount != 1:  # cancelled or moved meanwhile (another tab)
                raise _Undo
            _release(db, booking.slot_id)
    except _Undo:
        return False
    return True


def cancel(storage, booking_id: int, *, now: datetime | None = None) -> bool:
    """The applicant cancels: the place is free again. False when the booking
    was no longer active (already cancelled, or called off by the office)."""
    with storage.session() as db:
        done = db.execute(update(Booking).where(Booking.id == booking_id, Booking.status == BOOKED)
                          .values(status=CANCELLED, updated_at=now or utcnow())
                          .execution_options(synchronize_session=False))
        if done.rowcount != 1:
            return False
        slot_id = db.scalar(select(Booking.slot_id).where(Booking.id == booking_id))
        _release(db, slot_id)
    return True


def call_off(db, slot: Slot, *, now: datetime | None = None) -> list[Booking]:
    """The office cancels a slot: nobody can book it any more, and its active
    bookings are called off; returns them (to notify their applicants)."""
    moment = now or utcnow()
    done = db.execute(update(Slot).where(Slot.id == slot.id, Slot.cancelled_at.is_(None))
                      .values(cancelled_at=moment).execution_options(synchronize_session=False))
    if done.rowcount != 1:
        return []
    bookings = list(db.scalars(select(Booking).where(Booking.slot_id == slot.id, Booking.status == BOOKED)))
    for booking in bookings:
        booking.status, booking.updated_at = CALLED_OFF, moment
    return bookings


@dataclass(frozen=True)
class SlotPlan:
    """What staff enter to create slots: a first day, a wall-clock time,
    and how many weeks in a row (1: a single slot)."""

    office_id: int
    team_id: int | None
    first_day: date
    at: time
    minutes: int
    channel: str
    capacity: int
    location: str = ""
    weeks: int = 1


def starts(plan: SlotPlan) -> list[datetime]:
    """The UTC start of each slot of the plan: the same Berlin wall-clock
    time every week (across summer time)."""
    return [times.to_utc(plan.first_day + timedelta(weeks=n), plan.at) for n in range(plan.weeks)]


def create(db, plan: SlotPlan, *, created_by: int | None = None) -> list[Slot]:
    series = uuid4().hex if plan.weeks > 1 else None
    rows = [Slot(office_id=plan.office_id, team_id=plan.team_id, starts_at=moment, minutes=plan.minutes,
                 channel=plan.channel, capacity=plan.capacity, booked=0, location=plan.location, series=series,
                 created_by=created_by, created_at=utcnow()) for moment in starts(plan)]
    db.add_all(rows)
    db.flush()
    return rows


def day_slots(db, office_id: int, day: date, *, team_id: int | None = None, only_team: bool = False) -> list[Slot]:
    """The slots of one Berlin day of the office (with ``only_team``: of
    ``team_id`` and the office-wide ones), called-off ones included."""
    start, end = times.day_bounds(day)
    query = (select(Slot).where(Slot.office_id == office_id, Slot.starts_at >= start, Slot.starts_at < end)
             .order_by(Slot.starts_at, Slot.id))
    if only_team:
        query = query.where(or_(Slot.team_id.is_(None), Slot.team_id == team_id))
    return list(db.scalars(query))
