"""Drafts: answers in progress, saved on every page post, resumable by an
unguessable link. Only the SHA-256 of the resume token is stored; the token
lives in the applicant's session cookie and in the link they keep."""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from engine._loading import to_jsonable

from .catalog import Catalog, PublishedForm
from .storage import Draft, Storage, utcnow

TOKEN_BYTES = 24  # 192 bits


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def dumps(value: Any) -> str:
    return json.dumps(to_jsonable(value), ensure_ascii=False, sort_keys=True)


def loads(text: str) -> Any:
    return json.loads(text, parse_float=Decimal)


@dataclass
class OpenDraft:
    """A draft with its pinned form version, as the wizard works with it."""

    id: int
    token: str
    published: PublishedForm
    answers: dict
    confirmations: list[str]
    visited: list[str]
    submitted: bool
    expires_at: datetime


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


class Drafts:
    def __init__(self, storage: Storage, catalog: Catalog, lifetime: timedelta):
        self.storage = storage
        self.catalog = catalog
        self.lifetime = lifetime

    def create(self, published: PublishedForm) -> OpenDraft:
        token = secrets.token_urlsafe(TOKEN_BYTES)
        now = utcnow()
        with self.storage.session() as session:
            row = Draft(form_version_id=published.id, token_hash=token_hash(token), answers="{}", confirmations="[]",
                        visited="[]", created_at=now, updated_at=now, expires_at=now + self.lifetime, submitted=False)
            session.add(row)
            session.flush()
            draft_id = row.id
        return OpenDraft(draft_id, token, published, {}, [], [], False, now + self.lifetime)

    def open(self, token: str | None) -> OpenDraft | None:
        """The draft for a resume token, unless it is unknown or expired."""
        if not token or not isinstance(token, str) or len(token) > 200:
            return None
        with self.storage.reader() as session:
            row = session.scalar(select(Draft).where(Draft.token_hash == token_hash(token)))
        if row is None or _aware(row.expires_at) < utcnow():
            return None
        published = self.catalog.version(row.form_version_id)
        if published is None:
            return None
        return OpenDraft(row.id, token, published, loads(row.answers), loads(row.confirmations), loads(row.visited),
                         row.submitted, _aware(row.expires_at))

    def save(self, draft: OpenDraft) -> None:
        """Store the answers; every save extends the draft's life."""
        now = utcnow()
        with self.storage.session() as session:
            row = session.get(Draft, draft.id)
            row.answers = dumps(draft.answers)
            row.confirmations = dumps(draft.confirmations)
            row.visited = dumps(draft.visited)
            row.updated_at = now
            row.expires_at = draft.expires_at = now + self.lifetime
