"""The case file (eAkte) beside a submitted application: its status history,
internal notes, document requests, decisions and the applicant's mailbox.

Everything here belongs to one application (``application_id``, deleted with
it), and through it to the office the application was routed to."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, DateTime, ForeignKey, Integer, LargeBinary, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..storage import Base, utcnow


class CaseEvent(Base):
    """A status transition (or another event of the case's history)."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(300))
    from_status: Mapped[str | None] = mapped_column(String(30), nullable=True)
    to_status: Mapped[str] = mapped_column(String(30))
    comment: Mapped[str] = mapped_column(Text, default="")


class CaseNote(Base):
    """An internal note: never shown to the applicant."""

    __tablename__ = "case_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"), nullable=True)
    author: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    text: Mapped[str] = mapped_column(Text)


class DocumentRequest(Base):
    """Nachforderung: documents the caseworker asks for, with a deadline.
    ``items`` is a JSON list of ``{"key", "title"}``; uploads for it carry
    ``documents.request_id``."""

    __tablename__ = "document_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    deadline: Mapped[date] = mapped_column(Date, index=True)
    message: Mapped[str] = mapped_column(Text, default="")
    items: Mapped[str] = mapped_column(Text)  # JSON
    status: Mapped[str] = mapped_column(String(20), default="offen", index=True)  # offen | beantwortet | zurueckgezogen
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class ReasonTemplate(Base):
    """An editable text block for decision reasons (e.g. a refusal because
    income covers the need)."""

    __tablename__ = "reason_templates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)


class Decision(Base):
    """A recorded decision (Bescheid) with its generated letter."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"), nullable=True)
    decided_by: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    outcome: Mapped[str] = mapped_column(String(30))  # bewilligt | teilweise_bewilligt | abgelehnt
    monthly_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2), nullable=True)
    period_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    period_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    reasons: Mapped[str] = mapped_column(Text, default="")
    letter: Mapped[bytes] = mapped_column(LargeBinary)
    letter_sha256: Mapped[str] = mapped_column(String(64))


class MailboxMessage(Base):
    """A message in the applicant's online mailbox (ePost): a decision
    letter or a document request. ``first_opened_at`` is the delivery receipt."""

    __tablename__ = "mailbox_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    kind: Mapped[str] = mapped_column(String(20))  # bescheid | nachforderung | nachricht
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id", ondelete="CASCADE"), nullable=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("document_requests.id", ondelete="CASCADE"), nullable=True)
    first_opened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    #: the office's own wording as a text key and its values (JSON), shown in the reader's
    #: language (webapp/office/messages.py); subject and body keep the German as delivered
    text_key: Mapped[str | None] = mapped_column(String(60), nullable=True)
    text_values: Mapped[str | None] = mapped_column(Text, nullable=True)
