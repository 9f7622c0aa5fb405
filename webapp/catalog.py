"""Published forms as applicants see them.

A form lives in storage as numbered versions (``form_versions``): drafts that
authors edit in the studio (``webapp/studio``), published versions, and
retired ones. Applicants always start on the newest *published* version of a
form; a version, once published, never changes, and drafts and applications
pin to the version they started on (also when it is retired later).

The bundled form folders are imported at set-up as published versions (with
the exact text of ``form.json`` and of each ``cases/*.json``, so a version
exports byte for byte as it came in).
"""

from __future__ import annotations

import gc
import json
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select

from engine import CompiledForm, FormSource, compile_form, load_form_source
from engine.form import content_hash

from .storage import FormVersion, Storage, utcnow

PUBLISHED = "published"
#: the most bytes of one bundled case file (a case is a page of answers, not a data set)
MAX_CASE_BYTES = 1024 * 1024


def stored_base_uri(slug: str) -> str:
    return f"https://formwerk.invalid/forms/{slug}/form.json"


@dataclass(frozen=True)
class PublishedForm:
    id: int
    slug: str
    version: str
    content_hash: str
    published_at: datetime
    form: CompiledForm


def source_of(row: FormVersion) -> FormSource:
    """The stored definition of a version as the engine reads it."""
    data = json.loads(row.definition)
    return FormSource(schema=data["schema"], base_uri=stored_base_uri(row.slug), files=data.get("files") or {})


def folder_cases(folder: Path) -> dict[str, str]:
    """The text of every ``cases/*.json`` of a form folder, by file stem."""
    cases = folder / "cases"
    if not cases.is_dir():
        return {}
    found = {}
    for path in sorted(cases.glob("*.json")):
        if path.stat().st_size <= MAX_CASE_BYTES:
            found[path.stem] = path.read_text(encoding="utf-8")
    return found


#: how many more compiled versions move the heap out of the collector's way (:func:`_settle_heap`)
_SETTLES = [8]
_SETTLE_LOCK = threading.Lock()


def _settle_heap() -> None:
    """Take what the process holds for good (modules, the app, the compiled
    forms: some 200,000 objects) out of Python's full garbage collections.
    Each full collection walks every object the process holds; with the
    compiled Bürgergeld that stops every request thread for 100-150 ms,
    several times a minute under load (the wizard's p99). After a form is
    compiled the heap is collected once and frozen (``gc.freeze``), so later
    full collections walk only what came since. Done for the first few
    compiled versions of a process only (the ones its pages use), so a
    process that compiles many (tests, the studio) does not collect each time."""
    with _SETTLE_LOCK:
        if _SETTLES[0] <= 0:
            return
        _SETTLES[0] -= 1
    gc.collect()
    gc.freeze()


class Catalog:
    def __init__(self, storage: Storage):
        self.storage = storage
        self._compiled: dict[tuple[int, str], PublishedForm] = {}
        self._lock = threading.Lock()

    def publish(self, slug: str, source: FormSource, *, text: str | None = None,
                cases: dict[str, str] | None = None) -> tuple[FormVersion, bool]:
        """Store a published form version unless this exact content is already
        stored (in any state). ``text`` is the definition as written and
        ``cases`` the text of its example cases, kept for export."""
        source = FormSource(schema=source.schema, base_uri=stored_base_uri(slug), files=source.files)
        form = compile_form(source)  # refuse what does not compile
        digest = content_hash(source)
        now = utcnow()
        with self.storage.session() as session:
            existing = session.scalar(select(FormVersion).where(
                FormVersion.slug == slug, FormVersion.content_hash == digest))
            if existing is not None:
                return existing, False
            number = (session.scalar(select(func.max(FormVersion.number)).where(FormVersion.slug == slug)) or 0) + 1
            row = FormVersion(slug=slug, version=form.version, content_hash=digest, status=PUBLISHED, number=number,
                              definition=json.dumps({"schema": source.schema, "files": source.files}, ensure_ascii=False),
                              source_text=text, cases=json.dumps(cases or {}, ensure_ascii=False, sort_keys=True),
                              created_at=now, updated_at=now, published_at=now)
            session.add(row)
        return row, True

    def publish_folder(self, folder: Path) -> tuple[FormVersion, bool]:
        folder = Path(folder)
        return self.publish(folder.name, load_form_source(folder), text=(folder / "form.json").read_text(encoding="utf-8"),
                            cases=folder_cases(folder))

    def publish_bundled(self, forms_dir: Path) -> list[tuple[FormVersion, bool]]:
        return [self.publish_folder(f) for f in sorted(Path(forms_dir).iterdir()) if (f / "form.json").is_file()]

    #: the columns that say which version a row is, without its (large) definition
    HEAD = (FormVersion.id, FormVersion.slug, FormVersion.version, FormVersion.content_hash,
            FormVersion.published_at, FormVersion.status)
    _CACHE_SIZE = 64

    def _load(self, head) -> PublishedForm:
        """The compiled version for a row's head. A version's content never
        changes under its hash, so a compiled version is kept by (id, hash)
        and the definition is read and compiled only the first time: every
        page of the wizard and of the office asks for its form."""
        key = (head.id, head.content_hash)
        with self._lock:
            found = self._compiled.get(key)
        if found is not None:
            return found
        with self.storage.reader() as session:
            definition = session.scalar(select(FormVersion.definition).where(FormVersion.id == head.id))
        data = json.loads(definition)
        source = FormSource(schema=data["schema"], base_uri=stored_base_uri(head.slug), files=data.get("files") or {})
        found = PublishedForm(head.id, head.slug, head.version, head.content_hash, head.published_at,
                              compile_form(source))
        with self._lock:
            if len(self._compiled) >= self._CACHE_SIZE:
                self._compiled.pop(next(iter(self._compiled)))
            self._compiled[key] = found
        _settle_heap()
        return found

    @classmethod
    def _newest_published(cls):
        return (select(*cls.HEAD).where(FormVersion.status == PUBLISHED)
                .order_by(FormVersion.slug, FormVersion.published_at.desc(), FormVersion.id.desc()))

    def current(self) -> list[PublishedForm]:
        """The newest published version of every form (forms whose versions
        are all drafts or retired are not offered)."""
        with self.storage.reader() as session:
            rows = session.execute(self._newest_published()).all()
        newest: dict = {}
        for row in rows:
            newest.setdefault(row.slug, row)
        return [self._load(row) for row in newest.values()]

    def version(self, form_version_id: int) -> PublishedForm | None:
        """A specific version (drafts and applications pin to one; it may be retired since)."""
        with self.storage.reader() as session:
            row = session.execute(select(*self.HEAD).where(FormVersion.id == form_version_id)).first()
        return self.of_head(row)

    def of_head(self, head) -> PublishedForm | None:
        """:meth:`version` for a row of :attr:`HEAD` columns read along with
        something else (a draft reads its version in the same query)."""
        return self._load(head) if head is not None and head.status != "draft" else None

    def version_id(self, slug: str, content_hash: str) -> int | None:
        with self.storage.reader() as session:
            return session.scalar(select(FormVersion.id).where(FormVersion.slug == slug, FormVersion.content_hash == content_hash))

    def get(self, slug: str) -> PublishedForm | None:
        """The version a new applicant draft of ``slug`` starts on: the newest published one."""
        with self.storage.reader() as session:
            row = session.execute(self._newest_published().where(FormVersion.slug == slug).limit(1)).first()
        return self._load(row) if row is not None else None
