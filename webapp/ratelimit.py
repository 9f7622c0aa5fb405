"""Rate limits shared by every app process: fixed-window counters in the
database (the only service the processes share).

A limit is "N hits per window of S seconds" per scope and client. The client
is the remote address (behind a proxy, as ProxyFix sets it), kept only as an
HMAC with the app's secret key, so the table holds no IP addresses. One
atomic ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` per hit works on SQLite
and PostgreSQL alike.

Public helpers:

- :func:`hit(scope, limit, per_seconds, client=None) -> Decision` counts one
  hit and says whether it is allowed (and when to retry);
- :func:`enforce(scope, client=None)` uses the configured limit
  ``RATE_LIMITS[scope] = (limit, per_seconds)`` and aborts with 429 when it
  is exceeded (a page in the user's language with ``Retry-After``).

``RATE_LIMIT_FACTOR`` multiplies every configured limit (tests relax limits
with a large factor; 0 switches limits off).
"""

from __future__ import annotations

import hashlib
import hmac
import math
import time
from dataclasses import dataclass
from datetime import datetime, timezone

from flask import current_app, request
from sqlalchemy import DateTime, Integer, String, delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, mapped_column

from .storage import Base, utcnow

#: scope: (hits, per seconds) — per client
DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    "draft_create": (30, 3600),   # new drafts
    "upload": (60, 3600),         # document uploads
    "status": (20, 600),          # status look-ups by reference and access code
    "resume": (20, 600),          # resume links opened or confirmed
    "submit": (30, 3600),         # submissions
}


class RateLimitCounter(Base):
    __tablename__ = "rate_limit_counters"

    bucket: Mapped[str] = mapped_column(String(64), primary_key=True)
    hits: Mapped[int] = mapped_column(Integer)
    window_ends: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    hits: int
    limit: int
    retry_after: int  # seconds until the window ends


def client_id() -> str:
    """The client as the rate limits see it: its address (after ProxyFix)."""
    return request.remote_addr or "unknown"


def _bucket(scope: str, client: str, window: int) -> str:
    key = current_app.config["SECRET_KEY"]
    key = key.encode("utf-8") if isinstance(key, str) else key
    return hmac.new(key, f"{scope}\x1f{client}\x1f{window}".encode("utf-8"), hashlib.sha256).hexdigest()


def hit(scope: str, limit: int, per_seconds: int, client: str | None = None) -> Decision:
    """Count one hit of ``client`` (default: this request's) in ``scope``."""
    now = time.time()
    window = int(now // per_seconds)
    ends = datetime.fromtimestamp((window + 1) * per_seconds, timezone.utc)
    bucket = _bucket(scope, client or client_id(), window)
    storage = current_app.extensions["formwerk.storage"]
    insert = pg_insert if storage.engine.dialect.name == "postgresql" else sqlite_insert
    statement = insert(RateLimitCounter).values(bucket=bucket, hits=1, window_ends=ends)
    statement = statement.on_conflict_do_update(index_elements=[RateLimitCounter.bucket],
                                                set_={"hits": RateLimitCounter.hits + 1})
    with storage.session() as db:
        hits = db.execute(statement.returning(RateLimitCounter.hits)).scalar_one()
    return Decision(hits <= limit, hits, limit, max(1, math.ceil((window + 1) * per_seconds - now)))


def enforce(scope: str, client: str | None = None) -> None:
    """Count a hit against the configured limit of ``scope``; 429 when over it."""
    factor = current_app.config.get("RATE_LIMIT_FACTOR", 1)
    if not factor:
        return
    limits = {**DEFAULT_LIMITS, **(current_app.config.get("RATE_LIMITS") or {})}
    limit, per_seconds = limits[scope]
    decision = hit(scope, max(1, int(limit * factor)), per_seconds, client)
    if not decision.allowed:
        from werkzeug.exceptions import TooManyRequests

        error = TooManyRequests(retry_after=decision.retry_after)
        raise error


def purge_expired(storage) -> int:
    """Delete the counters of windows that have ended; returns how many."""
    with storage.session() as db:
        return db.execute(delete(RateLimitCounter).where(RateLimitCounter.window_ends < utcnow())).rowcount or 0
