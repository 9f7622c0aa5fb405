"""Published forms: bundled form folders are published into storage as
versions; applicants always start on the newest version of a form, and a
version, once published, never changes (drafts and applications pin to it)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from engine import CompiledForm, FormSource, compile_form, load_form_source
from engine.form import content_hash

from .storage import FormVersion, Storage


def _stored_base_uri(slug: str) -> str:
    return f"https://formwerk.invalid/forms/{slug}/form.json"


@dataclass(frozen=True)
class PublishedForm:
    id: int
    slug: str
    version: str
    content_hash: str
    published_at: datetime
    form: CompiledForm


class Catalog:
    def __init__(self, storage: Storage):
        self.storage = storage

    def publish(self, slug: str, source: FormSource) -> tuple[FormVersion, bool]:
        """Store a form version unless this exact content is already published."""
        source = FormSource(schema=source.schema, base_uri=_stored_base_uri(slug), files=source.files)
        form = compile_form(source)  # refuse what does not compile
        digest = content_hash(source)
        with self.storage.session() as session:
            existing = session.scalar(select(FormVersion).where(
                FormVersion.slug == slug, FormVersion.content_hash == digest))
            if existing is not None:
                return existing, False
            row = FormVersion(slug=slug, version=form.version, content_hash=digest,
                              definition=json.dumps({"schema": source.schema, "files": source.files}, ensure_ascii=False))
            session.add(row)
        return row, True

    def publish_folder(self, folder: Path) -> tuple[FormVersion, bool]:
        return self.publish(folder.name, load_form_source(folder))

    def publish_bundled(self, forms_dir: Path) -> list[tuple[FormVersion, bool]]:
        return [self.publish_folder(f) for f in sorted(Path(forms_dir).iterdir()) if (f / "form.json").is_file()]

    def _load(self, row: FormVersion) -> PublishedForm:
        data = json.loads(row.definition)
        source = FormSource(schema=data["schema"], base_uri=_stored_base_uri(row.slug), files=data.get("files") or {})
        return PublishedForm(row.id, row.slug, row.version, row.content_hash, row.published_at, compile_form(source))

    def current(self) -> list[PublishedForm]:
        """The newest version of every form."""
        with self.storage.reader() as session:
            rows = session.scalars(select(FormVersion).order_by(FormVersion.slug, FormVersion.id.desc())).all()
        newest: dict[str, FormVersion] = {}
        for row in rows:
            newest.setdefault(row.slug, row)
        return [self._load(row) for row in newest.values()]

    def version(self, form_version_id: int) -> PublishedForm | None:
        """A specific published version (drafts and applications pin to one)."""
        with self.storage.reader() as session:
            row = session.get(FormVersion, form_version_id)
        return self._load(row) if row is not None else None

    def version_id(self, slug: str, content_hash: str) -> int | None:
        with self.storage.reader() as session:
            return session.scalar(select(FormVersion.id).where(FormVersion.slug == slug, FormVersion.content_hash == content_hash))

    def get(self, slug: str) -> PublishedForm | None:
        with self.storage.reader() as session:
            row = session.scalar(select(FormVersion).where(FormVersion.slug == slug).order_by(FormVersion.id.desc()).limit(1))
        return self._load(row) if row is not None else None
