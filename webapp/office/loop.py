"""The loop back to the applicant, as operations on the case file shared by
the office's views and the applicant's mailbox (no views here): document
requests (Nachforderung) and their answers, mailbox messages, withdrawal.

Every operation runs inside the caller's transaction, moves the case only
through :mod:`.workflow` and writes its audit entry."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from ..accounts import audit
from ..storage import Application, Document, utcnow
from . import messages, workflow
from .models import DocumentRequest, MailboxMessage

#: what a document named in free text may be (the wizard's rules for uploads)
FREE_ACCEPT = ("application/pdf", "image/jpeg", "image/png")
FREE_MAX_SIZE = 10 * 1024 * 1024
MAX_ITEMS = 20
#: states from which a request may be opened (the workflow moves the case)
REQUEST_FROM = ("eingegangen", "in_bearbeitung", "entscheidungsreif", "unterlagen_nachgefordert")


@dataclass
class Item:
    """One document asked for: a key (the form's requirement key, or
    ``frei-<n>``), its title, and what an upload for it may be."""

    key: str
    title: str
    accept: tuple[str, ...] = FREE_ACCEPT
    max_size: int = FREE_MAX_SIZE
    files: list = field(default_factory=list)

    def to_json(self) -> dict:
        return {"key": self.key, "title": self.title, "accept": list(self.accept), "max_size": self.max_size}


def items_of(request: DocumentRequest) -> list[Item]:
    try:
        raw = json.loads(request.items)
    except ValueError:
        return []
    return [Item(key=str(i.get("key", "")), title=str(i.get("title", "")),
                 accept=tuple(i.get("accept") or FREE_ACCEPT), max_size=int(i.get("max_size") or FREE_MAX_SIZE))
            for i in raw if isinstance(i, dict)]


@dataclass
class RequestView:
    """A request with its items and the files that arrived for each."""

    request: DocumentRequest
    items: list[Item]

    @property
    def complete(self) -> bool:
        return all(item.files for item in self.items)

    @property
    def open(self) -> bool:
        return self.request.status == "offen"

    def item(self, key: str) -> Item | None:
        return next((i for i in self.items if i.key == key), None)


def requests_of(db, application_id: int) -> list[RequestView]:
    """Every request of a case, newest first, with the files per item."""
    requests = db.scalars(select(DocumentRequest).where(DocumentRequest.application_id == application_id)
                          .order_by(DocumentRequest.id.desc())).all()
    if not requests:
        return []
    files = db.scalars(select(Document).where(Document.application_id == application_id,
                                              Document.request_id.in_([r.id for r in requests]))
                       .order_by(Document.id)).all()
    views = []
    for request in requests:
        items = items_of(request)
        for item in items:
            item.files = [f for f in files if f.request_id == request.id and f.requirement == item.key]
        views.append(RequestView(request, items))
    return views


def recompute_deadline(db, application: Application) -> None:
    """``request_deadline`` is the earliest deadline of the open requests."""
    application.request_deadline = db.scalar(
        select(func.min(DocumentRequest.deadline)).where(DocumentRequest.application_id == application.id,
                                                         DocumentRequest.status == "offen"))


def deliver(db, application: Application, kind: str, text_key: str, values: dict, *,
            decision_id: int | None = None, request_id: int | None = None) -> MailboxMessage:
    """Put the office's message ``text_key`` (:mod:`webapp.office.messages`) into the
    applicant's mailbox: stored as key and values, shown in the reader's language, with
    the German wording kept as delivered."""
    german = messages.compose(text_key, values, "de")
    message = MailboxMessage(application_id=application.id, kind=kind, subject=german.subject[:300],
                             body=german.body, text_key=text_key,
                             text_values=json.dumps(values, ensure_ascii=False, sort_keys=True),
                             decision_id=decision_id, request_id=request_id, at=utcnow())
    db.add(message)
    db.flush()
    return message


def open_request(db, application: Application, items: list[Item], deadline: date, message: str, *,
                 staff_id: int | None, actor: str, expected_version: int | None) -> DocumentRequest:
    """Open a document request: the case moves to "unterlagen_nachgefordert"
    (or stays there, claimed by :func:`workflow.bump`), the request lands in
    the applicant's mailbox. Raises WorkflowError / Conflict."""
    if expected_version is not None and expected_version != application.lock_version:
        raise workflow.Conflict()  # a stale page: say so before anything else
    if application.status not in REQUEST_FROM:
        raise workflow.WorkflowError("case_transition_not_allowed")
    if application.status == "unterlagen_nachgefordert":
        workflow.bump(db, application, expected_version)
    else:
        workflow.transition(db, application, "unterlagen_nachgefordert", by="request", actor=actor,
                            expected_version=expected_version)
    request = DocumentRequest(application_id=application.id, staff_id=staff_id, deadline=deadline,
                              message=message, items=json.dumps([i.to_json() for i in items], ensure_ascii=False),
                              status="offen", created_at=utcnow())
    db.add(request)
    db.flush()
    recompute_deadline(db, application)
    deliver(db, application, "nachforderung", messages.REQUEST,
            messages.request_values(deadline, items, message), request_id=request.id)
    audit.record(db, "request.create", reference=application.reference, office_id=application.office_id,
                 detail={"request": request.id, "items": [i.key for i in items], "deadline": deadline.isoformat()})
    return request


def answer_request(db, application: Application, view: RequestView) -> bool:
    """The applicant sends the files of a complete request: it is answered,
    and when no other request is open the case goes back to
    "in_bearbeitung". Returns False when the request cannot be answered
    (not open, or an item still without a file)."""
    if not view.open or not view.complete:
        return False
    view.request.status = "beantwortet"
    view.request.answered_at = utcnow()
    db.flush()
    still_open = db.scalar(select(func.count()).select_from(DocumentRequest)
                           .where(DocumentRequest.application_id == application.id,
                                  DocumentRequest.status == "offen"))
    if application.status == "unterlagen_nachgefordert" and not still_open:
        workflow.transition(db, application, "in_bearbeitung", by="applicant", actor="applicant",
                            expected_version=None, comment="")
    else:
        workflow.bump(db, application, None)
    recompute_deadline(db, application)
    audit.record(db, "request.answer", reference=application.reference, office_id=application.office_id,
                 detail={"request": view.request.id,
                         "files": [f.id for item in view.items for f in item.files]})
    return True


def withdraw(db, application: Application) -> None:
    """The applicant withdraws the application: open requests are withdrawn too."""
    workflow.transition(db, application, "zurueckgenommen", by="applicant", actor="applicant",
                        expected_version=None)
    for request in db.scalars(select(DocumentRequest).where(DocumentRequest.application_id == application.id,
                                                            DocumentRequest.status == "offen")):
        request.status = "zurueckgezogen"
    db.flush()
    recompute_deadline(db, application)
    audit.record(db, "application.withdraw", reference=application.reference, office_id=application.office_id)
