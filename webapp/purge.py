"""Deleting what the start page promises to delete (§35 SGB I: no social data
kept longer than needed): ``flask --app webapp purge``.

- drafts never sent whose time is up (``expires_at``, 30 days after the last
  save by default), with every document uploaded to them;
- the draft copy of every sent application (its answers, confirmations and
  visited sections; the application itself keeps the pruned, checked answers);
- expired sessions and ended rate-limit windows.

Documents that belong to a submitted application (``application_id`` set, or
uploaded to a draft that was sent) are never touched. Work is done in small
batches, so a purge never holds long locks; run it daily (cron or a systemd
timer, see README).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import click
from flask import Flask, current_app
from sqlalchemy import delete, select, update

from . import ratelimit, sessions
from .storage import Draft, Document, Storage, utcnow

BATCH = 500


@dataclass
class Purged:
    drafts: int = 0
    documents: int = 0
    draft_copies: int = 0
    sessions: int = 0
    rate_limit_counters: int = 0


def purge(storage: Storage, now: datetime | None = None) -> Purged:
    """Delete everything whose time is up; returns what was deleted."""
    now = now or utcnow()
    done = Purged()
    while True:
        with storage.session() as db:
            ids = db.scalars(select(Draft.id).where(Draft.submitted.is_(False), Draft.expires_at < now)
                             .order_by(Draft.id).limit(BATCH)).all()
            if not ids:
                break
            # a file that somehow already belongs to an application stays (it loses only its draft link)
            db.execute(update(Document).where(Document.draft_id.in_(ids), Document.application_id.is_not(None))
                       .values(draft_id=None).execution_options(synchronize_session=False))
            done.documents += db.execute(delete(Document).where(Document.draft_id.in_(ids))
                                         .execution_options(synchronize_session=False)).rowcount or 0
            done.drafts += db.execute(delete(Draft).where(Draft.id.in_(ids), Draft.submitted.is_(False))
                                      .execution_options(synchronize_session=False)).rowcount or 0
    while True:
        with storage.session() as db:
            ids = db.scalars(select(Draft.id).where(Draft.submitted.is_(True), Draft.answers != "{}")
                             .order_by(Draft.id).limit(BATCH)).all()
            if not ids:
                break
            done.draft_copies += db.execute(
                update(Draft).where(Draft.id.in_(ids))
                .values(answers="{}", confirmations="[]", visited="[]")
                .execution_options(synchronize_session=False)).rowcount or 0
    done.sessions = sessions.purge_expired(storage)
    done.rate_limit_counters = ratelimit.purge_expired(storage)
    return done


def init_app(app: Flask) -> None:
    @app.cli.command("purge")
    def purge_command() -> None:
        """Delete expired drafts with their documents, the draft copies of sent
        applications, expired sessions and ended rate-limit windows."""
        result = purge(current_app.extensions["formwerk.storage"])
        click.echo(f"deleted: {result.drafts} expired drafts, {result.documents} of their documents, "
                   f"{result.draft_copies} draft copies of sent applications, {result.sessions} sessions, "
                   f"{result.rate_limit_counters} rate-limit counters")
