"""The studio's own table: what an applicant is told on their next visit
after an author moved their draft to a newer version of the form
(migration 0005; the studio's columns on ``form_versions`` are in
``webapp/storage.py``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..storage import Base, utcnow


class DraftNotice(Base):
    __tablename__ = "studio_draft_notices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"), index=True)
    from_version_id: Mapped[int] = mapped_column(Integer)
    to_version_id: Mapped[int] = mapped_column(Integer)
    changes: Mapped[str] = mapped_column(Text)  # JSON: sentences of what changed, in German and English
    lost: Mapped[str] = mapped_column(Text)  # JSON: labels of the answers that no longer apply
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    shown_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
