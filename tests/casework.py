"""Test helpers for the loop back to the applicant (document requests,
decisions, mailbox, export): a submitted case, a signed-in caseworker,
posting a request or a decision, uploading as the applicant.

The first valid example case of the Bürgergeld form lives in postcode 04109
with the surname Schmidt: office "nord", team "L-Z" (caseworker_a2 and
teamlead_a see it; caseworker_a of team A-K and everyone of "sued" do not)."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from tests.security.samples import PDF, PNG  # noqa: F401  (valid files, re-exported for the tests)
from tests.staff import csrf_token, first_valid_case, login, submit
from webapp.storage import Application

CASEWORKER = "caseworker_a2"
LOCK = re.compile(r'name="lock_version" value="(\d+)"')


def submitted_case(app, client) -> Application:
    """Submit the first valid example case as the applicant on ``client``
    (whose session then holds the access code)."""
    answers, as_of = first_valid_case()
    return submit(app, client, answers, as_of=as_of)


def staff_client(app, offices, key: str = CASEWORKER):
    staff = app.test_client()
    response = login(staff, offices.email[key])
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return staff


def fresh(app, reference: str) -> Application:
    with app.extensions["formwerk.storage"].reader() as db:
        return db.scalar(select(Application).where(Application.reference == reference))


def rows(app, model, **where) -> list:
    """The rows of ``model`` matching ``where`` (column=value), by id."""
    with app.extensions["formwerk.storage"].reader() as db:
        query = select(model)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return db.scalars(query.order_by(model.id)).all()


def deadline(days: int = 14) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


def post_request(app, staff, reference: str, *, documents=(), custom: str = "", days: int = 14,
                 message: str = "Bitte reichen Sie die Unterlagen ein.", lock_version=None, token=None):
    path = f"/amt/faelle/{reference}/nachforderung"
    token = token or csrf_token(staff, path)
    version = fresh(app, reference).lock_version if lock_version is None else lock_version
    data = MultiDict({"csrf_token": token, "lock_version": str(version), "custom": custom,
                      "deadline": deadline(days), "message": message})
    for key in documents:
        data.add("document", key)
    return staff.post(path, data=data)


def post_decision(app, staff, reference: str, *, lock_version=None, reasons=(), **fields):
    path = f"/amt/faelle/{reference}/bescheid"
    token = csrf_token(staff, path)
    version = fresh(app, reference).lock_version if lock_version is None else lock_version
    data = MultiDict({"csrf_token": token, "lock_version": str(version), **fields})
    for reason in reasons:
        data.add("reason", str(reason))
    return staff.post(path, data=data)


def applicant_token(client, reference: str) -> str:
    return csrf_token(client, f"/vorgang/{reference}")


def upload(client, reference: str, request_id: int, item: str, content: bytes, name: str = "nachweis.pdf",
           token: str | None = None):
    # encoded in memory: werkzeug's test client would spool a large body to a file it never closes
    fields = MultiDict({"csrf_token": token or applicant_token(client, reference), "item": item})
    fields.add("file", FileStorage(io.BytesIO(content), filename=name, content_type="application/octet-stream"))
    boundary, body = encode_multipart(fields)
    return client.post(f"/vorgang/{reference}/unterlagen/{request_id}", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


class Mailbox:
    """A local SMTP server (aiosmtpd) that keeps what arrives."""

    def __init__(self):
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append(envelope)
        return "250 Message accepted for delivery"

    def parsed(self):
        from email import message_from_bytes
        from email.policy import default

        return [message_from_bytes(e.original_content or e.content, policy=default) for e in self.messages]


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    """(url, mailbox) of a local SMTP server for the test."""
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield f"smtp://127.0.0.1:{port}?from=jobcenter@nord.example", mailbox
    finally:
        controller.stop()


def move(app, reference: str, to: str, by: str = "staff") -> None:
    """Move a case through the workflow directly (as the case page's status form would)."""
    from webapp.office import workflow

    with app.extensions["formwerk.storage"].session() as db:
        row = db.scalar(select(Application).where(Application.reference == reference))
        workflow.transition(db, row, to, by=by, actor="staff:test", expected_version=None)
