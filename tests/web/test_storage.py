"""Storage against both backends: SQLite (default) and PostgreSQL."""

from datetime import timedelta

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError

from tests.conftest import FORMS
from tests.postgres import postgres_url
from webapp.catalog import Catalog
from webapp.drafts import Drafts
from webapp.storage import Application, Document, Draft, Storage, upgrade


@pytest.fixture(scope="session")
def postgres():
    with postgres_url() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def storage(request, tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite'}" if request.param == "sqlite" else request.getfixturevalue("postgres")
    storage = Storage(url)
    if request.param == "postgresql":
        with storage.engine.begin() as conn:  # a clean schema per test
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    upgrade(storage.engine)
    yield storage
    storage.engine.dispose()


def test_migrations_create_every_table_and_are_idempotent(storage):
    upgrade(storage.engine)
    tables = set(inspect(storage.engine).get_table_names())
    assert {"form_versions", "drafts", "applications", "documents", "alembic_version"} <= tables


def test_sqlite_runs_in_wal_mode(tmp_path):
    storage = Storage(f"sqlite:///{tmp_path / 'wal.sqlite'}")
    with storage.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    storage.engine.dispose()


def test_publishing_is_idempotent_and_versions_stay(storage):
    catalog = Catalog(storage)
    first = catalog.publish_bundled(FORMS)
    again = catalog.publish_bundled(FORMS)
    assert all(created for _, created in first) and not any(created for _, created in again)
    published = catalog.get("terminanfrage")
    assert catalog.version(published.id).form.check({}).relevant == published.form.check({}).relevant


def test_drafts_round_trip_with_exact_numbers_and_expire(storage):
    catalog = Catalog(storage)
    catalog.publish_bundled(FORMS)
    drafts = Drafts(storage, catalog, timedelta(days=1))
    draft = drafts.create(catalog.get("buergergeld-rechner"))
    from decimal import Decimal

    draft.answers = {"wohnen": {"kaltmiete": Decimal("1820.37"), "nebenkosten": 90}}
    drafts.save(draft)
    again = drafts.open(draft.token)
    assert again.answers == {"wohnen": {"kaltmiete": Decimal("1820.37"), "nebenkosten": 90}}
    with storage.session() as db:
        db.get(Draft, draft.id).expires_at -= timedelta(days=2)
    assert drafts.open(draft.token) is None
    assert drafts.open("not-a-token") is None


def test_one_application_per_draft_even_when_sent_twice(storage):
    catalog = Catalog(storage)
    catalog.publish_bundled(FORMS)
    drafts = Drafts(storage, catalog, timedelta(days=1))
    draft = drafts.create(catalog.get("terminanfrage"))

    def application(reference):
        return Application(reference=reference, draft_id=draft.id, form_version_id=draft.published.id, answers="{}",
                           findings="[]", confirmations="[]", data_hash="0" * 64, status_token_hash="1" * 64)

    with storage.session() as db:
        db.add(application("FW-1"))
    with pytest.raises(IntegrityError):
        with storage.session() as db:
            db.add(application("FW-2"))
    with storage.reader() as db:
        assert db.scalars(select(Application.reference)).all() == ["FW-1"]


def test_documents_keep_their_bytes(storage):
    catalog = Catalog(storage)
    catalog.publish_bundled(FORMS)
    draft = Drafts(storage, catalog, timedelta(days=1)).create(catalog.get("buergergeld"))
    content = b"%PDF-1.7\n" + bytes(range(256)) * 40
    with storage.session() as db:
        db.add(Document(draft_id=draft.id, requirement="ausweis@/ausweis", filename="a.pdf", content_type="application/pdf",
                        size=len(content), sha256="x" * 64, content=content))
    with storage.reader() as db:
        assert db.scalars(select(Document.content)).one() == content


def test_catalog_compiles_a_version_once_and_follows_a_newer_one(storage):
    catalog = Catalog(storage)
    catalog.publish_bundled(FORMS)
    first = catalog.get("terminanfrage")
    assert catalog.get("terminanfrage") is first  # the stored definition is read and compiled once
    assert catalog.version(first.id) is first
    changed = dict(first.form.schema, title="Terminanfrage (neu)")
    from engine import FormSource

    catalog.publish("terminanfrage", FormSource(schema=changed, base_uri="x"))
    newer = catalog.get("terminanfrage")
    assert newer.id != first.id and newer.form.title("de") == "Terminanfrage (neu)"


def test_migrations_have_one_head():
    from alembic.script import ScriptDirectory

    from webapp.storage import alembic_config

    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    assert len(heads) == 1, f"merge the migration heads {heads} (alembic merge)"
