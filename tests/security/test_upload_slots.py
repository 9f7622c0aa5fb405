"""Uploads checked at once: the PDF checks are CPU-bound and one process
serves everyone, so each process checks at most ``UPLOAD_CHECKS`` files at a
time; an upload that finds no free slot within ``UPLOAD_CHECK_WAIT`` gets a
503 with ``Retry-After`` and a clear message, is not stored, and leaves the
draft as it was. Real concurrent requests on threads; the check that holds
the slot waits on an event, so nothing depends on timing."""

import io
import threading

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from tests.security import samples
from tests.security.conftest import start
from webapp import uploads
from webapp.storage import Document, Draft

BUSY_DE = "Der Server prüft gerade viele Dateien. Bitte versuchen Sie es in einer Minute erneut."
BUSY_EN = "The server is checking a lot of files right now. Please try again in a minute."


def upload(client, token, content=samples.PDF, name="nachweis.pdf"):
    fields = MultiDict({"csrf_token": token, "requirement": "ausweis@/ausweis"})
    fields.add("file", FileStorage(io.BytesIO(content), filename=name, content_type="application/pdf"))
    boundary, body = encode_multipart(fields)
    return client.post("/antrag/buergergeld/nachweise", data=body, content_type=f"multipart/form-data; boundary={boundary}")


@pytest.fixture
def held(app, monkeypatch):
    """The first check to start holds its slot until ``release`` is set."""
    app.config.update(UPLOAD_CHECKS=1, UPLOAD_CHECK_WAIT=0.05)
    started, release = threading.Event(), threading.Event()
    real = uploads.inspect

    def slow_inspect(*args, **kwargs):
        if not started.is_set():
            started.set()
            release.wait(60)
        return real(*args, **kwargs)

    monkeypatch.setattr(uploads, "inspect", slow_inspect)
    yield started, release
    release.set()


def drafts_and_documents(app):
    storage = app.extensions["formwerk.storage"]
    with storage.reader() as db:
        drafts = [(d.id, d.answers, d.revision, d.updated_at, d.visited) for d in db.scalars(select(Draft).order_by(Draft.id))]
        documents = db.scalars(select(Document.id)).all()
    return drafts, documents


def test_an_upload_finding_every_slot_taken_gets_503_and_changes_nothing(app, held):
    started, release = held
    first, second, visitor = app.test_client(), app.test_client(), app.test_client()
    first_token, second_token = start(first, "buergergeld"), start(second, "buergergeld")
    results = {}
    worker = threading.Thread(target=lambda: results.setdefault("first", upload(first, first_token)))
    worker.start()
    try:
        assert started.wait(30), "the first upload never reached its check"
        before = drafts_and_documents(app)

        refused = upload(second, second_token)
        assert refused.status_code == 503
        assert refused.headers["Retry-After"] == "60"
        assert BUSY_DE in refused.get_data(as_text=True)
        assert drafts_and_documents(app) == before  # not stored, the draft untouched

        # while the first check still runs, other pages are answered as usual
        assert visitor.get("/").status_code == 200
        assert second.get("/antrag/buergergeld/nachweise").status_code == 200
        assert worker.is_alive() and "first" not in results
    finally:
        release.set()
        worker.join(60)
    assert results["first"].status_code == 302
    assert upload(second, second_token).status_code == 302  # a slot is free again


def test_the_busy_message_is_in_english_too(app, held):
    started, release = held
    first, second = app.test_client(), app.test_client()
    first_token, second_token = start(first, "buergergeld"), start(second, "buergergeld")
    worker = threading.Thread(target=upload, args=(first, first_token))
    worker.start()
    try:
        assert started.wait(30)
        second.get("/?lang=en")
        refused = upload(second, second_token)
        assert refused.status_code == 503 and BUSY_EN in refused.get_data(as_text=True)
    finally:
        release.set()
        worker.join(60)


def test_uploads_elsewhere_get_the_busy_page_with_retry_after(app):
    """The status page's uploads (webapp/mailbox.py) share the checks: the
    busy error becomes a 503 page in the visitor's language."""
    @app.route("/_test/busy")
    def busy():
        with uploads.check_slot():
            return "checked"

    client = app.test_client()
    app.config.update(UPLOAD_CHECKS=1, UPLOAD_CHECK_WAIT=0)
    gate = app.extensions.setdefault("formwerk.upload_checks", uploads._Gate())
    assert gate.enter(1, 0)  # another request holds the only slot
    try:
        page = client.get("/_test/busy")
        assert page.status_code == 503 and page.headers["Retry-After"] == "60"
        assert BUSY_DE in page.get_data(as_text=True)
    finally:
        gate.leave()
    assert client.get("/_test/busy").get_data(as_text=True) == "checked"


def test_several_bombs_at_once_are_refused_or_told_to_wait_never_stored(app):
    """Eight decompression bombs uploaded at once by eight applicants: each
    is either refused as damaged (it was checked) or told to come back (no
    slot), none is stored, and no request fails otherwise."""
    app.config.update(UPLOAD_CHECKS=2, UPLOAD_CHECK_WAIT=0.05)
    bomb = samples.pdf_deflate_bomb()
    clients = [app.test_client() for _ in range(8)]
    tokens = [start(client, "buergergeld") for client in clients]
    statuses = []

    def send(client, token):
        statuses.append(upload(client, token, bomb).status_code)

    workers = [threading.Thread(target=send, args=pair) for pair in zip(clients, tokens)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert len(statuses) == 8 and set(statuses) <= {400, 503} and 400 in statuses
    assert drafts_and_documents(app)[1] == []


def test_the_slots_are_counted_per_app_and_freed_after_errors(app):
    gate = uploads._Gate()
    assert gate.enter(2, 0) and gate.enter(2, 0)
    assert not gate.enter(2, 0)
    gate.leave()
    assert gate.enter(2, 0)
    with app.test_request_context():
        app.config.update(UPLOAD_CHECKS=1, UPLOAD_CHECK_WAIT=0)
        with pytest.raises(RuntimeError):
            with uploads.check_slot():
                raise RuntimeError("a check that failed")
        with uploads.check_slot():  # the slot was given back
            pass
