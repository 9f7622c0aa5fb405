"""Server-side sessions in the database.

The cookie carries only a random id (256 bits); the data lives in the
``web_sessions`` table, keyed by the SHA-256 of that id, so a copy of the
database gives no usable cookie and a copy of the cookie shows nothing. App
servers share the table, so any process can serve any request.

``flask.session`` keeps its usual semantics (a dict, ``modified``,
``clear()``). Two public helpers:

- :func:`rotate` gives the current session a fresh id at the end of this
  request (the old id stops working at once): call it when privileges change,
  e.g. at a staff login.
- :func:`end` forgets everything: the server row is deleted, so a replayed
  cookie finds nothing.

A session's stored data is capped (``SESSION_MAX_BYTES``); a session that
would grow beyond the cap is not written, and a warning is logged.
Sessions expire ``SESSION_IDLE_HOURS`` after their last use; the purge
command deletes expired rows.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import datetime, timedelta, timezone

from flask import Flask, session
from flask.sessions import SessionInterface, SessionMixin
from sqlalchemy import DateTime, String, Text, delete, select
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.datastructures import CallbackDict

from .storage import Base, utcnow

ID_BYTES = 32
TOUCH_AFTER = timedelta(minutes=5)  # refresh the expiry at most this often when nothing changed


class WebSession(Base):
    __tablename__ = "web_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


def _hash(sid: str) -> str:
    return hashlib.sha256(sid.encode("utf-8")).hexdigest()


class ServerSession(CallbackDict, SessionMixin):
    """The session of one browser; ``sid`` is None until it is first stored."""

    def __init__(self, initial=None, sid: str | None = None, loaded_at=None):
        def on_update(this):
            this.modified = True

        super().__init__(initial or {}, on_update)
        self.sid = sid
        self.loaded_at = loaded_at
        self.modified = False
        self.rotate = False


class DatabaseSessionInterface(SessionInterface):
    """Flask session interface over the ``web_sessions`` table."""

    def _storage(self, app: Flask):
        return app.extensions["formwerk.storage"]

    def _lifetime(self, app: Flask) -> timedelta:
        return timedelta(hours=app.config.get("SESSION_IDLE_HOURS", 24))

    def open_session(self, app: Flask, request) -> ServerSession:
        sid = request.cookies.get(self.get_cookie_name(app))
        if not sid or len(sid) > 100 or not sid.isascii():
            return ServerSession()
        with self._storage(app).reader() as db:
            row = db.get(WebSession, _hash(sid))
        if row is None or _aware(row.expires_at) < utcnow():
            return ServerSession()
        try:
            data = json.loads(row.data)
        except ValueError:
            data = {}
        return ServerSession(data if isinstance(data, dict) else {}, sid=sid, loaded_at=_aware(row.updated_at))

    def save_session(self, app: Flask, session_: ServerSession, response) -> None:
        name, domain, path = self.get_cookie_name(app), self.get_cookie_domain(app), self.get_cookie_path(app)
        storage = self._storage(app)
        now = utcnow()
        if not session_:
            if session_.sid is not None:
                with storage.session() as db:
                    db.execute(delete(WebSession).where(WebSession.id_hash == _hash(session_.sid)))
                response.delete_cookie(name, domain=domain, path=path, secure=self.get_cookie_secure(app),
                                       httponly=self.get_cookie_httponly(app), samesite=self.get_cookie_samesite(app))
                response.vary.add("Cookie")
            return
        touch = session_.loaded_at is None or now - session_.loaded_at > TOUCH_AFTER
        if not (session_.modified or session_.rotate or session_.sid is None or touch):
            return
        data = json.dumps(dict(session_), ensure_ascii=False, separators=(",", ":"))
        if len(data.encode("utf-8")) > app.config.get("SESSION_MAX_BYTES", 16 * 1024):
            app.logger.warning("session not stored: it would exceed SESSION_MAX_BYTES")
            return
        expires = now + self._lifetime(app)
        old = session_.sid
        new_id = old is None or session_.rotate
        sid = secrets.token_urlsafe(ID_BYTES) if new_id else old
        with storage.session() as db:
            if old is not None and new_id:
                db.execute(delete(WebSession).where(WebSession.id_hash == _hash(old)))
            row = None if new_id else db.get(WebSession, _hash(sid))
            if row is None:
                db.add(WebSession(id_hash=_hash(sid), data=data, created_at=now, updated_at=now, expires_at=expires))
            else:
                row.data, row.updated_at, row.expires_at = data, now, expires
        session_.sid, session_.rotate = sid, False
        if new_id:
            response.set_cookie(name, sid, domain=domain, path=path, secure=self.get_cookie_secure(app),
                                httponly=self.get_cookie_httponly(app), samesite=self.get_cookie_samesite(app),
                                partitioned=self.get_cookie_partitioned(app))
        response.vary.add("Cookie")


def _aware(moment):
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def rotate() -> None:
    """Give the current session a new id when this response is sent; the old
    id (and every copy of the old cookie) stops working."""
    session.rotate = True
    session.modified = True


def end(keep: dict | None = None) -> None:
    """Forget the current session: its server row is deleted. ``keep`` (e.g.
    the chosen language) is carried over into a new session with a new id."""
    session.clear()
    if keep:
        session.update(keep)
    rotate()  # whatever is stored later in this request goes under a new id


def purge_expired(storage) -> int:
    """Delete expired sessions; returns how many."""
    with storage.session() as db:
        return db.execute(delete(WebSession).where(WebSession.expires_at < utcnow())).rowcount or 0


def count(storage) -> int:
    """How many sessions are stored (for tests and operators)."""
    with storage.reader() as db:
        return len(db.scalars(select(WebSession.id_hash)).all())


def init_app(app: Flask) -> None:
    app.session_interface = DatabaseSessionInterface()
    app.config.setdefault("SESSION_MAX_BYTES", 16 * 1024)
    app.config.setdefault("SESSION_IDLE_HOURS", 24)
