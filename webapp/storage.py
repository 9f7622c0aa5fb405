"""Storage through SQLAlchemy: SQLite by default (WAL mode), PostgreSQL by
``DATABASE_URL``. The schema is owned by Alembic migrations
(``webapp/migrations``); :func:`upgrade` brings a database to the newest one."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import (Boolean, Date, DateTime, ForeignKey, Integer, LargeBinary, Numeric, String, Text,
                        UniqueConstraint, create_engine, event)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    pass


class FormVersion(Base):
    """A published version of a form definition; applications pin to one."""

    __tablename__ = "form_versions"
    __table_args__ = (UniqueConstraint("slug", "content_hash", name="uq_form_versions_slug_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), index=True)
    version: Mapped[str] = mapped_column(String(50))
    content_hash: Mapped[str] = mapped_column(String(64))
    definition: Mapped[str] = mapped_column(Text)  # JSON: {"schema": ..., "files": {...}}
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # -- the authors' studio (webapp/studio, migration 0005) --
    #: "draft" (editable in the studio; its content_hash is a random placeholder
    #: until it is published), "published" or "retired" (no new drafts)
    status: Mapped[str] = mapped_column(String(20), default="published", server_default="published")
    number: Mapped[int | None] = mapped_column(Integer, nullable=True)  # 1, 2, 3 … per form
    cases: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON {name: case}
    source_text: Mapped[str | None] = mapped_column(Text, nullable=True)  # the author's JSON text
    created_by: Mapped[int | None] = mapped_column(Integer, nullable=True)  # staff ids (no FK: history outlives accounts)
    created_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    based_on_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    proposed_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    proposed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    approved_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Draft(Base):
    """Answers in progress, pinned to the form version they started on.
    Only the SHA-256 of the resume token is stored."""

    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    form_version_id: Mapped[int] = mapped_column(ForeignKey("form_versions.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    answers: Mapped[str] = mapped_column(Text, default="{}")
    confirmations: Mapped[str] = mapped_column(Text, default="[]")
    visited: Mapped[str] = mapped_column(Text, default="[]")  # sections the applicant has saved
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    submitted: Mapped[bool] = mapped_column(Boolean, default=False)
    #: raised by every save; a post from a page showing an older revision lost the race (migration 0004)
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: the page instance (browser tab) that saved last: its own stale posts are no conflict (migration 0004a)
    editor: Mapped[str | None] = mapped_column(String(32), nullable=True)


class Application(Base):
    """A submitted application: pruned answers, findings and confirmations,
    exactly as checked by the engine at the moment of sending."""

    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id"), unique=True)  # one submission per draft
    form_version_id: Mapped[int] = mapped_column(ForeignKey("form_versions.id"), index=True)
    answers: Mapped[str] = mapped_column(Text)
    findings: Mapped[str] = mapped_column(Text)
    confirmations: Mapped[str] = mapped_column(Text)
    data_hash: Mapped[str] = mapped_column(String(64))
    status_token_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(30), default="eingegangen")
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # -- the office's side (set at intake by webapp.office.intake; see migration 0003) --
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"), nullable=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"), nullable=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"), nullable=True)
    #: optimistic locking: every change of the case raises it; a stale form is refused
    lock_version: Mapped[int] = mapped_column(Integer, default=0)
    applicant_name: Mapped[str] = mapped_column(String(300), default="")
    search_text: Mapped[str] = mapped_column(String(400), default="")  # lower-case reference and name
    postcode: Mapped[str | None] = mapped_column(String(10), nullable=True)
    notify_email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    household_size: Mapped[int | None] = mapped_column(Integer, nullable=True)
    estimate: Mapped[Decimal | None] = mapped_column(Numeric(12, 2), nullable=True)
    confirmed_warnings: Mapped[int] = mapped_column(Integer, default=0)
    missing_documents: Mapped[int] = mapped_column(Integer, default=0)
    #: arrived with every required document and no unconfirmed finding
    complete: Mapped[bool] = mapped_column(Boolean, default=False)
    #: earliest deadline of an open document request (None when none is open)
    request_deadline: Mapped[date | None] = mapped_column(Date, nullable=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Document(Base):
    """An uploaded file, stored in the database (never under the web root)."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[int | None] = mapped_column(ForeignKey("drafts.id"), index=True, nullable=True)
    #: set when the application is submitted (the file then belongs to the
    #: application, not the draft) or for an upload answering a document request
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"),
                                                       index=True, nullable=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("document_requests.id", ondelete="SET NULL"),
                                                   nullable=True)
    requirement: Mapped[str] = mapped_column(String(300))  # "<document id>@<pointer>"
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


def make_engine(url: str) -> Engine:
    engine = create_engine(url, future=True, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # pragma: no branch
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.close()
    return engine


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(engine: Engine) -> None:
    """Apply every pending migration (on every branch of the migration tree:
    the parts of the app add their tables independently, so the tree may
    have more than one head)."""
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "heads")


class Storage:
    """The app's handle on its database."""

    def __init__(self, url: str):
        if url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self):
        """A transaction: committed when the block ends, rolled back on error."""
        with self._sessions() as session, session.begin():
            yield session

    def reader(self) -> Session:
        return self._sessions()


def _register_models() -> None:
    """Import the other parts' models so that Base.metadata knows every table
    (foreign keys above name them)."""
    from .accounts import models as _accounts  # noqa: F401
    from .office import models as _office  # noqa: F401
    from .office import search as _search  # noqa: F401


_register_models()
