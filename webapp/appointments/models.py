"""Tables of the online appointments (migration 0010).

A slot is a time an office offers, for one channel (on site, phone,
video), usually for one team, with a capacity; ``booked`` counts its
active bookings and only ever changes through the conditional UPDATEs in
:mod:`webapp.appointments.booking`. A booking is the applicant's: found
by its reference, proven by an access code of which only the SHA-256 is
stored."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..accounts import models as _accounts  # noqa: F401  (offices and teams, named by the foreign keys)
from ..storage import Base, utcnow

CHANNELS = ("vor_ort", "telefon", "video")
#: booking states: booked; cancelled by the applicant; called off by the office
BOOKED, CANCELLED, CALLED_OFF = "gebucht", "storniert", "abgesagt"


class AppointmentSettings(Base):
    """The office's settings for appointments: the link of its video
    consultations (one room per office, as Jobcenters' video services give)."""

    __tablename__ = "appointment_settings"

    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id", ondelete="CASCADE"), primary_key=True)
    video_link: Mapped[str | None] = mapped_column(String(500), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Slot(Base):
    __tablename__ = "appointment_slots"
    __table_args__ = (
        CheckConstraint("booked >= 0 AND booked <= capacity", name="ck_appointment_slots_capacity"),
        CheckConstraint("capacity >= 1", name="ck_appointment_slots_capacity_positive"),
        CheckConstraint("channel IN ('vor_ort', 'telefon', 'video')", name="ck_appointment_slots_channel"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id", ondelete="CASCADE"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"), nullable=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))  # UTC
    minutes: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(20))
    capacity: Mapped[int] = mapped_column(Integer)
    booked: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: where to come (on site: address and room); empty for phone and video
    location: Mapped[str] = mapped_column(String(300), default="", server_default="")
    #: the weekly series the slot was created with (None: a single slot)
    series: Mapped[str | None] = mapped_column(String(32), nullable=True)
    created_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.booked)


class Booking(Base):
    __tablename__ = "appointment_bookings"
    __table_args__ = (
        CheckConstraint("status IN ('gebucht', 'storniert', 'abgesagt')", name="ck_appointment_bookings_status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id", ondelete="CASCADE"))
    slot_id: Mapped[int] = mapped_column(ForeignKey("appointment_slots.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20), default=BOOKED)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(40), nullable=True)
    #: the applicant's application (Aktenzeichen), if they gave one
    application_reference: Mapped[str | None] = mapped_column(String(32), nullable=True)
    concern: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
