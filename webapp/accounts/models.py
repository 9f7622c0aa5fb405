"""Offices (tenants), their teams and routing tables, staff accounts, API
tokens and the append-only audit log.

One installation serves several Jobcenters. Everything a member of staff may
see is scoped by ``office_id``; nothing here is shared between offices."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..storage import Base, utcnow

#: Roles of staff, in the order the admin UI lists them.
ROLES = ("caseworker", "teamlead", "author", "admin")


class Office(Base):
    """A Jobcenter: its letterhead, the legal-remedy text of its decisions,
    its target processing time and whether staff must use a second factor."""

    __tablename__ = "offices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: Address block printed on decision letters (several lines).
    letterhead: Mapped[str] = mapped_column(Text, default="")
    #: Rechtsbehelfsbelehrung printed on every decision letter.
    legal_remedy: Mapped[str] = mapped_column(Text, default="")
    target_days: Mapped[int] = mapped_column(Integer, default=21)
    #: Receives applications whose postcode no office claims.
    is_fallback: Mapped[bool] = mapped_column(Boolean, default=False)
    mfa_required: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: The office's own legal texts for applicants; empty means the defaults
    #: of :mod:`webapp.legal` (migration 0011).
    privacy_notice: Mapped[str] = mapped_column(Text, default="", server_default="")
    imprint: Mapped[str] = mapped_column(Text, default="", server_default="")
    accessibility_contact: Mapped[str] = mapped_column(Text, default="", server_default="")
    accessibility_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    contact: Mapped[str] = mapped_column(Text, default="", server_default="")


class Team(Base):
    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("office_id", "name", name="uq_teams_office_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))


class TeamRange(Base):
    """Buchstabenverteilung: surnames from ``first`` to ``last`` (inclusive,
    compared by their normalised leading letters, e.g. "A"–"K", "Sch"–"Sz")
    go to the team."""

    __tablename__ = "team_ranges"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    first: Mapped[str] = mapped_column(String(10))
    last: Mapped[str] = mapped_column(String(10))


class PostcodeArea(Base):
    """Postcodes ``first``..``last`` (five digits, inclusive) belong to the office."""

    __tablename__ = "postcode_areas"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id", ondelete="CASCADE"), index=True)
    first: Mapped[str] = mapped_column(String(5), index=True)
    last: Mapped[str] = mapped_column(String(5))


class StaffUser(Base):
    """A member of staff. ``session_version`` is part of every login session:
    raising it ends all of the account's sessions ("log out everywhere")."""

    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"), nullable=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    totp_secret: Mapped[str | None] = mapped_column(String(64), nullable=True)
    #: the time step of the last code used: a code is accepted once (migration 0012)
    totp_last_step: Mapped[int | None] = mapped_column(Integer, nullable=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    session_version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class ApiToken(Base):
    """A token for the office's own software (Fachverfahren). Only the
    SHA-256 of the token is stored; ``scopes`` is "read" or "read write"."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[str] = mapped_column(String(50))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class AuditEvent(Base):
    """Who did what, when and from where (§35 SGB I, §67 ff. SGB X).

    Append-only: the migration installs database triggers that refuse UPDATE
    and DELETE on this table, on SQLite and on PostgreSQL."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    office_id: Mapped[int | None] = mapped_column(Integer, index=True, nullable=True)  # no FK: outlives anything
    staff_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    actor: Mapped[str] = mapped_column(String(300))  # "staff:3 anna@jc.example", "api:2 Fachverfahren", "applicant"
    action: Mapped[str] = mapped_column(String(60))  # "case.view", "document.download", "status.change", ...
    reference: Mapped[str | None] = mapped_column(String(32), index=True, nullable=True)
    detail: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    ip: Mapped[str] = mapped_column(String(64), default="")
