"""Form versions as the studio works with them: drafts authors edit,
published versions applicants start on, retired ones nobody starts on.

Every change goes through here and is written to the audit log in the same
transaction (``webapp.accounts.audit``; reference ``fv:<version id>``), which
is the version's history. Publishing is four-eyes: an author proposes a
draft that compiles, lints without errors and passes its cases; a second
author or a team lead — never the proposer — approves it, and the gate is
checked again at that moment."""

from __future__ import annotations

import json
import re
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from engine import FormSource, compile_form, load_form_source
from engine.cases import run_cases_with_coverage
from engine.form import content_hash

from ..accounts import audit
from ..accounts.models import AuditEvent, StaffUser
from ..catalog import source_of, stored_base_uri
from ..storage import Application, Draft, FormVersion, utcnow
from . import bundle
from .checks import Checked, check_text

DRAFT, PUBLISHED, RETIRED = "draft", "published", "retired"
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,49}$")
CASE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")


def reference(row: FormVersion) -> str:
    return f"fv:{row.id}"


def record(db, row: FormVersion, action: str, **detail) -> None:
    audit.record(db, f"studio.{action}", reference=reference(row),
                 detail={"form": row.slug, "number": row.number, **detail})


@dataclass
class Listed:
    row: FormVersion
    open_drafts: int
    submissions: int


def overview(db) -> dict[str, list[Listed]]:
    """Every form with its versions (newest first) and their counts."""
    rows = db.scalars(select(FormVersion).order_by(FormVersion.slug, FormVersion.id.desc())).all()
    now = utcnow()
    drafts = dict(db.execute(select(Draft.form_version_id, func.count()).where(
        Draft.submitted.is_(False), Draft.expires_at > now).group_by(Draft.form_version_id)).all())
    sent = dict(db.execute(select(Application.form_version_id, func.count()).group_by(
        Application.form_version_id)).all())
    forms: dict[str, list[Listed]] = {}
    for row in rows:
        forms.setdefault(row.slug, []).append(Listed(row, drafts.get(row.id, 0), sent.get(row.id, 0)))
    return forms


def open_drafts(db, version_ids) -> list[Draft]:
    """Applicant drafts not yet sent and not expired, pinned to these versions."""
    return db.scalars(select(Draft).where(Draft.form_version_id.in_(list(version_ids)), Draft.submitted.is_(False),
                                          Draft.expires_at > utcnow()).order_by(Draft.id)).all()


def newest_published(db, slug: str) -> FormVersion | None:
    return db.scalar(select(FormVersion).where(FormVersion.slug == slug, FormVersion.status == PUBLISHED)
                     .order_by(FormVersion.published_at.desc(), FormVersion.id.desc()).limit(1))


def _next_number(db, slug: str) -> int:
    return (db.scalar(select(func.max(FormVersion.number)).where(FormVersion.slug == slug)) or 0) + 1


def _new_row(db, slug: str, definition: dict, text: str, cases: dict, actor: int, based_on: int | None) -> FormVersion:
    now = utcnow()
    schema = definition.get("schema") if isinstance(definition.get("schema"), dict) else {}
    row = FormVersion(slug=slug, version=str(schema.get("x-version", "Entwurf"))[:50],
                      content_hash=secrets.token_hex(32),  # a placeholder until it is published
                      definition=json.dumps(definition, ensure_ascii=False), status=DRAFT,
                      number=_next_number(db, slug), cases=json.dumps(cases, ensure_ascii=False, sort_keys=True),
                      source_text=text, created_by=actor, created_at=now, updated_at=now, published_at=now,
                      based_on_id=based_on)
    db.add(row)
    db.flush()
    return row


def new_draft(db, base: FormVersion, actor: int) -> FormVersion:
    """A new draft version of ``base``'s form, starting from its content."""
    folder = bundle.folder_of(base)
    row = _new_row(db, base.slug, json.loads(base.definition), folder.form_text, folder.cases, actor, base.id)
    record(db, row, "draft_created", based_on=base.number)
    return row


def from_upload(db, slug: str, folder: bundle.Folder, checked: Checked, actor: int) -> FormVersion:
    """A new draft from an uploaded folder whose form.json parses as an object."""
    files = {}
    for name, text in folder.files.items():
        try:
            files[name] = json.loads(text)
        except ValueError:
            continue  # as load_form_source does: an unreadable file beside the form is not part of it
    base = newest_published(db, slug)
    row = _new_row(db, slug, {"schema": checked.schema, "files": files}, folder.form_text, folder.cases, actor,
                   base.id if base is not None else None)
    record(db, row, "uploaded", files=sorted(files), cases=sorted(folder.cases),
           errors=len(checked.errors), warnings=len(checked.warnings))
    return row


def files_of(row: FormVersion) -> dict:
    return json.loads(row.definition).get("files") or {}


def check(row: FormVersion, text: str | None = None) -> Checked:
    """Compile and lint ``text`` (default: the version's own text)."""
    if text is None:
        text = row.source_text if row.source_text is not None else bundle.folder_of(row).form_text
    return check_text(row.slug, text, files_of(row))


def save_text(db, row: FormVersion, text: str) -> Checked:
    """Store the author's text (also when it has errors: nothing typed is
    lost); the definition follows whenever the text is a JSON object. Any
    pending proposal lapses: the approver must see what is published."""
    checked = check(row, text)
    row.source_text = text
    if checked.schema is not None:
        row.definition = json.dumps({"schema": checked.schema, "files": files_of(row)}, ensure_ascii=False)
        row.version = str(checked.schema.get("x-version", row.version))[:50]
    withdrawn = row.proposed_by is not None
    row.proposed_by = row.proposed_at = None
    row.updated_at = utcnow()
    record(db, row, "saved", errors=len(checked.errors), warnings=len(checked.warnings),
           proposal_withdrawn=withdrawn, size=len(text))
    return checked


def set_cases(db, row: FormVersion, cases: dict[str, str], action: str, **detail) -> None:
    row.cases = json.dumps(cases, ensure_ascii=False, sort_keys=True)
    row.proposed_by = row.proposed_at = None
    row.updated_at = utcnow()
    record(db, row, action, **detail)


def cases_of(row: FormVersion) -> dict[str, str]:
    return json.loads(row.cases or "{}")


def compiled(row: FormVersion):
    """The compiled form of a version (raises FormError when it does not compile)."""
    if row.status == DRAFT:
        return compile_form(FormSource(schema=json.loads(row.definition)["schema"], base_uri=stored_base_uri(row.slug),
                                       files=files_of(row)))
    return compile_form(source_of(row))


@dataclass
class CaseRun:
    results: list
    missed: list[str]
    branches: int
    cases: dict  # name -> parsed case
    unreadable: str | None = None

    @property
    def passed(self) -> int:
        return sum(1 for r in self.results if r.ok)

    @property
    def ok(self) -> bool:
        return self.unreadable is None and bool(self.results) and self.passed == len(self.results)


def run_cases(row: FormVersion) -> CaseRun:
    """The version's cases, run exactly as ``formwerk test`` runs them (from
    the exported folder)."""
    from engine._loading import _answer_number

    folder = bundle.folder_of(row)
    if row.status == DRAFT:
        folder.form_text = row.source_text if row.source_text is not None else folder.form_text
    parsed = {}
    with tempfile.TemporaryDirectory(prefix="formwerk-studio-") as tmp:
        path = bundle.write(folder, Path(tmp) / row.slug)
        try:
            for name, text in folder.cases.items():
                parsed[name] = json.loads(text, parse_float=_answer_number)
            results, missed, total = run_cases_with_coverage(load_form_source(path))
        except Exception as exc:  # an unreadable case or form is a finding, not a crash
            return CaseRun([], [], 0, parsed, f"{type(exc).__name__}: {exc}")
    return CaseRun(results, missed, total, parsed)


def gate(row: FormVersion) -> list[tuple[str, dict]]:
    """Why this version cannot be published yet (empty: it can)."""
    reasons: list[tuple[str, dict]] = []
    checked = check(row)
    if checked.errors:
        reasons.append(("studio_gate_errors", {"n": len(checked.errors)}))
        return reasons
    run = run_cases(row)
    if run.unreadable:
        reasons.append(("studio_gate_cases_unreadable", {"reason": run.unreadable}))
    elif not run.results:
        reasons.append(("studio_gate_no_cases", {}))
    elif not run.ok:
        reasons.append(("studio_gate_cases_fail", {"n": len(run.results) - run.passed, "total": len(run.results)}))
    return reasons


class Refused(Exception):
    """A studio action that is not allowed now, with the text key saying why."""

    def __init__(self, key: str, **values):
        super().__init__(key)
        self.key = key
        self.values = values


def propose(db, row: FormVersion, actor: int) -> None:
    if row.status != DRAFT:
        raise Refused("studio_not_a_draft")
    reasons = gate(row)
    if reasons:
        raise Refused(*reasons[0][:1], **reasons[0][1])
    row.proposed_by, row.proposed_at = actor, utcnow()
    record(db, row, "proposed")


def approve(db, row: FormVersion, actor: int) -> None:
    """Publish a proposed draft: not by its proposer; the gate once more."""
    if row.status != DRAFT or row.proposed_by is None:
        raise Refused("studio_not_proposed")
    if row.proposed_by == actor:
        raise Refused("studio_four_eyes")
    reasons = gate(row)
    if reasons:
        raise Refused(*reasons[0][:1], **reasons[0][1])
    form = compiled(row)
    source = FormSource(schema=form.schema, base_uri=stored_base_uri(row.slug), files=files_of(row))
    digest = content_hash(source)
    same = db.scalar(select(FormVersion).where(FormVersion.slug == row.slug, FormVersion.content_hash == digest))
    if same is not None:
        raise Refused("studio_same_as", number=same.number)
    now = utcnow()
    row.status, row.content_hash, row.version = PUBLISHED, digest, form.version[:50]
    row.approved_by, row.published_at, row.updated_at = actor, now, now
    record(db, row, "published", proposed_by=row.proposed_by)


def retire(db, row: FormVersion) -> None:
    if row.status != PUBLISHED:
        raise Refused("studio_not_published")
    row.status, row.retired_at = RETIRED, utcnow()
    record(db, row, "retired")


def discard(db, row: FormVersion) -> None:
    """Delete a draft version nobody pins to (audit entries stay)."""
    if row.status != DRAFT:
        raise Refused("studio_not_a_draft")
    record(db, row, "discarded")
    db.delete(row)


def history(db, row: FormVersion) -> list[AuditEvent]:
    return db.scalars(select(AuditEvent).where(AuditEvent.reference == reference(row))
                      .order_by(AuditEvent.id)).all()


def staff_names(db, ids) -> dict[int, str]:
    ids = [i for i in ids if i is not None]
    if not ids:
        return {}
    return dict(db.execute(select(StaffUser.id, StaffUser.name).where(StaffUser.id.in_(ids))).all())
