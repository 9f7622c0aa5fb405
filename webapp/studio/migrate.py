"""Moving applicants' open drafts to a newer published version, and telling
each applicant on their next visit what changed (:class:`DraftNotice`).

The answers are moved by the engine's own pruning (``engine.diff``): what the
new version no longer asks is removed and listed in the notice. Each moved
draft's revision is raised, so a page still open on the old version cannot
save over the move."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select, update

from engine.diff import diff, migrate_answers, migration_report

from ..drafts import dumps, loads
from ..storage import Draft, FormVersion, utcnow
from . import versions
from .models import DraftNotice

#: sentences of the comparison an applicant is shown (the most relevant kinds first)
NOTICE_KINDS = ("section", "question", "condition", "document")
MAX_NOTICE_CHANGES = 12


def report(db, old: FormVersion, new: FormVersion, lang: str, as_of: date | None = None):
    """The migration report for the open drafts on ``old`` moving to ``new``."""
    drafts = versions.open_drafts(db, [old.id])
    return migration_report(versions.compiled(old), versions.compiled(new),
                            ((d.id, loads(d.answers)) for d in drafts), lang, as_of)


def _changes(old_form, new_form) -> dict[str, list[str]]:
    found = {}
    for lang in ("de", "en"):
        changes = diff(old_form, new_form, lang).changes
        ranked = sorted((c for c in changes if c.what in NOTICE_KINDS), key=lambda c: NOTICE_KINDS.index(c.what))
        found[lang] = [c.text for c in ranked[:MAX_NOTICE_CHANGES]]
    return found


def migrate(db, old: FormVersion, new: FormVersion, as_of: date | None = None) -> tuple[int, int]:
    """Move every open draft on ``old`` to the published ``new``; returns
    ``(moved, drafts that lost answers)``."""
    if new.status != versions.PUBLISHED:
        raise versions.Refused("studio_migrate_not_published")
    if old.slug != new.slug or old.id == new.id:
        raise versions.Refused("studio_migrate_same")
    if old.status == versions.DRAFT or old.published_at >= new.published_at:
        raise versions.Refused("studio_migrate_older")  # drafts only move forward
    old_form, new_form = versions.compiled(old), versions.compiled(new)
    changes = _changes(old_form, new_form)
    moved = affected = 0
    for draft in versions.open_drafts(db, [old.id]):
        answers, lost = migrate_answers(old_form, new_form, loads(draft.answers), as_of)
        labels = {lang: [old_form.label_for(p, lang) for p in lost] for lang in ("de", "en")}
        done = db.execute(update(Draft).where(Draft.id == draft.id, Draft.revision == draft.revision,
                                              Draft.form_version_id == old.id, Draft.submitted.is_(False))
                          .values(form_version_id=new.id, answers=dumps(answers), revision=draft.revision + 1,
                                  updated_at=utcnow()).execution_options(synchronize_session=False)).rowcount
        if done != 1:
            continue  # saved or sent by the applicant this very moment: left on its version
        db.add(DraftNotice(draft_id=draft.id, from_version_id=old.id, to_version_id=new.id,
                           changes=json.dumps(changes, ensure_ascii=False), lost=json.dumps(labels, ensure_ascii=False)))
        moved += 1
        affected += bool(lost)
    versions.record(db, new, "migrated", from_number=old.number, drafts=moved, lost_answers=affected)
    return moved, affected


def pending_notice(storage, draft_id: int, lang: str) -> dict | None:
    """The notices of a draft not shown yet, merged, and marked as shown."""
    with storage.session() as db:
        rows = db.scalars(select(DraftNotice).where(DraftNotice.draft_id == draft_id, DraftNotice.shown_at.is_(None))
                          .order_by(DraftNotice.id)).all()
        if not rows:
            return None
        changes: list[str] = []
        lost: list[str] = []
        for row in rows:
            changes += json.loads(row.changes).get(lang) or []
            lost += json.loads(row.lost).get(lang) or []
            row.shown_at = utcnow()
    return {"changes": list(dict.fromkeys(changes)), "lost": list(dict.fromkeys(lost))}
