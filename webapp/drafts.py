"""Drafts: answers in progress, saved on every page post, resumable by an
unguessable link. Only the SHA-256 of the resume token is stored; the token
lives in the applicant's server-side session and in the link they keep.

Saves are optimistic: every save raises the draft's ``revision`` and only
succeeds when the row still has the revision the page was built from, so a
second tab or device cannot silently overwrite what the first one saved
(:class:`Conflict`). A page that was built from an older revision is merged
pointer by pointer (:func:`merge`): the page carries a fingerprint of every
answer it showed (:func:`page_base`), so a post tells which answers this tab
changed; those are laid over the current answers unless the other tab
changed the same answers to something else, which is the only conflict. Resuming by link rotates the token (:meth:`Drafts.rotate`),
so every earlier holder of the link loses access."""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, select, update

from engine._loading import to_jsonable

from .answers import get_at
from .catalog import Catalog, PublishedForm
from .storage import Draft, FormVersion, Storage, utcnow

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
    revision: int = 0
    created_at: datetime | None = None
    updated_at: datetime | None = None
    editor: str | None = None  # the page instance (tab) that saved last


class Conflict(Exception):
    """The draft was saved by someone else since this copy was read."""


# -- pointer-level merge of a page built from an older revision --------------------------

MAX_BASE_ENTRIES = 2000


def fingerprint(value: Any) -> str:
    """A short digest of one answer; no answer, an empty text and an empty
    choice are the same (a form post cannot tell them apart)."""
    if value in ("", [], {}):
        value = None
    return hashlib.sha256(dumps(value).encode("utf-8")).hexdigest()[:16]


def page_base(answers: dict, pointers) -> str:
    """What a page showed, for a hidden field: ``{pointer: fingerprint}`` of
    each of its nodes (questions, lists, entries) as JSON."""
    return json.dumps({p: fingerprint(get_at(answers, p)) for p in sorted(pointers)}, separators=(",", ":"))


def parse_base(text: str | None) -> dict[str, str] | None:
    """The posted base, or None when it is missing or malformed (then a stale
    post is a conflict, as without merging)."""
    if not text or len(text) > 200_000:
        return None
    try:
        base = json.loads(text)
    except ValueError:
        return None
    if not isinstance(base, dict) or len(base) > MAX_BASE_ENTRIES:
        return None
    if not all(isinstance(k, str) and isinstance(v, str) and len(v) == 16 for k, v in base.items()):
        return None
    return base


def merge(current: dict, base: dict[str, str], posted: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Three-way merge of one page's posted answers into the ``current``
    answers. Returns (the answers this tab changed and that may be written,
    the pointers both this tab and another one changed to different values).
    An answer posted as it was shown was not changed here: the current one
    stays (whatever the other tab did with it)."""
    nothing = fingerprint(None)
    mine: dict[str, Any] = {}
    clashes: list[str] = []
    for pointer, value in posted.items():
        shown = base.get(pointer, nothing)
        ours = fingerprint(value)
        if ours == shown:
            continue  # untouched in this tab
        theirs = fingerprint(get_at(current, pointer))
        if theirs == shown or theirs == ours:
            mine[pointer] = value
        else:
            clashes.append(pointer)
    return mine, clashes


def changed_elsewhere(current: dict, base: dict[str, str]) -> list[str]:
    """The pointers of a page whose answers differ from what it showed."""
    return [p for p, shown in base.items() if fingerprint(get_at(current, p)) != shown]


def changed_since(current: dict, base: dict[str, str], pointer: str) -> bool:
    """Whether the answer at ``pointer`` (e.g. a whole list) differs from what
    the page showed: adding or removing entries by position is only safe
    when nobody changed the list in between."""
    return fingerprint(get_at(current, pointer)) != base.get(pointer, fingerprint(None))


class TooLarge(Exception):
    """The draft's answers would exceed the configured size."""


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


#: the statements every wizard request runs, built once (a draft by its token with the head of its
#: form version; a save that succeeds only on the revision it read): building them is most of their cost
_OPEN = (select(Draft, *Catalog.HEAD).join(FormVersion, FormVersion.id == Draft.form_version_id)
         .where(Draft.token_hash == bindparam("by_token_hash")))
_DRAFTS = Draft.__table__
_SAVE = (update(_DRAFTS)
         .where(_DRAFTS.c.id == bindparam("by_id"), _DRAFTS.c.revision == bindparam("by_revision"),
                _DRAFTS.c.submitted.is_(False))
         .values(answers=bindparam("new_answers"), confirmations=bindparam("new_confirmations"),
                 visited=bindparam("new_visited"), updated_at=bindparam("new_updated_at"),
                 expires_at=bindparam("new_expires_at"), revision=bindparam("new_revision"), editor=bindparam("new_editor")))


class Drafts:
    def __init__(self, storage: Storage, catalog: Catalog, lifetime: timedelta, max_bytes: int = 512 * 1024):
        self.storage = storage
        self.catalog = catalog
        self.lifetime = lifetime
        self.max_bytes = max_bytes

    def create(self, published: PublishedForm) -> OpenDraft:
        token = secrets.token_urlsafe(TOKEN_BYTES)
        now = utcnow()
        with self.storage.session() as session:
            row = Draft(form_version_id=published.id, token_hash=token_hash(token), answers="{}", confirmations="[]",
                        visited="[]", created_at=now, updated_at=now, expires_at=now + self.lifetime, submitted=False)
            session.add(row)
            session.flush()
            draft_id = row.id
        return OpenDraft(draft_id, token, published, {}, [], [], False, now + self.lifetime, 0, now, now)

    def open(self, token: str | None) -> OpenDraft | None:
        """The draft for a resume token, unless it is unknown or expired."""
        if not token or not isinstance(token, str) or len(token) > 200:
            return None
        with self.storage.reader() as session:  # the draft and the head of its form version in one query
            found = session.execute(_OPEN, {"by_token_hash": token_hash(token)}).first()
        row = found[0] if found is not None else None
        if row is None or _aware(row.expires_at) < utcnow():
            return None
        published = self.catalog.of_head(found)
        if published is None:
            return None
        return OpenDraft(row.id, token, published, loads(row.answers), loads(row.confirmations), loads(row.visited),
                         row.submitted, _aware(row.expires_at), row.revision or 0, _aware(row.created_at),
                         _aware(row.updated_at), row.editor)

    def save(self, draft: OpenDraft, editor: str | None = None, also=None) -> None:
        """Store the answers if nobody saved since ``draft`` was read (else
        :class:`Conflict`); every save raises the revision and extends the
        draft's life. :class:`TooLarge` when the answers exceed the cap.
        ``also(session)`` runs in the same transaction after a successful
        save (what must change with the answers, e.g. uploads that move with
        their list entry): both happen or neither."""
        answers = dumps(draft.answers)
        if len(answers.encode("utf-8")) > self.max_bytes:
            raise TooLarge()
        now = utcnow()
        with self.storage.session() as session:
            changed = session.connection().execute(_SAVE, {
                "by_id": draft.id, "by_revision": draft.revision, "new_answers": answers,
                "new_confirmations": dumps(draft.confirmations), "new_visited": dumps(draft.visited),
                "new_updated_at": now, "new_expires_at": now + self.lifetime, "new_revision": draft.revision + 1,
                "new_editor": editor}).rowcount
            if changed == 1 and also is not None:
                also(session)
        if changed != 1:
            raise Conflict()
        draft.revision += 1
        draft.editor = editor
        draft.updated_at = now
        draft.expires_at = now + self.lifetime

    def touch(self, draft: OpenDraft) -> None:
        """Extend the draft's life without changing its answers or revision
        (an upload is activity too)."""
        now = utcnow()
        with self.storage.session() as session:
            session.execute(update(Draft).where(Draft.id == draft.id)
                            .values(updated_at=now, expires_at=now + self.lifetime)
                            .execution_options(synchronize_session=False))
        draft.expires_at = now + self.lifetime

    def rotate(self, draft: OpenDraft) -> str | None:
        """Give the draft a new resume token; the old one stops working.
        None when the old token no longer matches (someone rotated first)."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        with self.storage.session() as session:
            changed = session.execute(
                update(Draft).where(Draft.id == draft.id, Draft.token_hash == token_hash(draft.token),
                                    Draft.submitted.is_(False))
                .values(token_hash=token_hash(token)).execution_options(synchronize_session=False)).rowcount
        if changed != 1:
            return None
        draft.token = token
        return token
