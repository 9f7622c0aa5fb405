"""Intake: what happens to an application the moment it is submitted.

Subscribed to :data:`webapp.events.application_submitted`, inside the
submission's transaction: the case's key facts are read from the answers
(the form's ``x-case`` pointers, or the first answers whose
``x-autocomplete`` is family-name, given-name, postal-code, email), the
application is routed to an office (postcode areas, else the fallback office)
and a team (surname ranges), its documents move from the draft to the
application, and the first status event is written."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select, update

from engine.form import value_at

from ..accounts import audit
from ..accounts.routing import office_for, team_for
from ..events import application_submitted
from ..storage import Document, utcnow
from . import search
from .models import CaseEvent

AUTOCOMPLETE = {"surname": "family-name", "given_name": "given-name", "postcode": "postal-code", "email": "email"}


@dataclass
class CaseFacts:
    surname: str = ""
    given_name: str = ""
    postcode: str | None = None
    email: str | None = None
    household: int | None = None
    estimate: Decimal | None = None

    @property
    def name(self) -> str:
        return ", ".join(part for part in (self.surname, self.given_name) if part)


def _lookup(answers: dict, computed: dict, pointer: str) -> Any:
    value = value_at(answers, pointer)
    if value is None:
        for root, data in computed.items():
            if pointer == root:
                return data
            if pointer.startswith(root + "/"):
                return value_at(data, pointer[len(root):])
    return value


def _estimated(answers: dict, computed: dict, pointers: dict) -> bool:
    """Whether there is an estimate at all. When the answers rule the benefit
    out, the computed amount is 0 but means "no estimate", not "0 €": the
    form says so by a false ``estimate_valid`` pointer (``x-case``) or, by
    default, a false ``voraussetzungen_erfuellt`` next to the amount."""
    if "estimate" not in pointers:
        return False
    valid = pointers.get("estimate_valid") or pointers["estimate"].rpartition("/")[0] + "/voraussetzungen_erfuellt"
    return _lookup(answers, computed, valid) is not False


def _text(value: Any, limit: int) -> str:
    if not isinstance(value, str):
        return ""
    return "".join(ch for ch in value if ch.isprintable()).strip()[:limit]


def case_facts(form, outcome) -> CaseFacts:
    """The key facts of a checked application, for the inbox and routing."""
    spec = form.schema.get("x-case") if isinstance(form.schema.get("x-case"), dict) else {}
    pointers = dict(spec)
    missing = [key for key in AUTOCOMPLETE if key not in pointers]
    if missing:
        _, walk = form.walk(outcome.answers)
        for pointer in outcome.relevant:
            if any(token.isdigit() for token in pointer.split("/")[1:]):
                continue  # a list entry: someone else in the household
            token = form.field_at(walk, pointer).autocomplete
            for key in list(missing):
                if token == AUTOCOMPLETE[key]:
                    pointers[key] = pointer
                    missing.remove(key)
    answers, computed = outcome.answers, outcome.computed

    def get(key):
        return _lookup(answers, computed, pointers[key]) if key in pointers else None

    facts = CaseFacts(surname=_text(get("surname"), 150), given_name=_text(get("given_name"), 150))
    postcode = _text(get("postcode"), 10)
    facts.postcode = postcode or None
    email = _text(get("email"), 254)
    facts.email = email if "@" in email else None
    household = get("household")
    if isinstance(household, list):
        facts.household = len(household) + 1
    elif isinstance(household, (int, Decimal)) and not isinstance(household, bool):
        facts.household = int(household)
    elif "household" not in pointers:
        facts.household = 1
    estimate = get("estimate") if _estimated(answers, computed, pointers) else None
    if isinstance(estimate, (int, float, Decimal)) and not isinstance(estimate, bool):
        try:
            facts.estimate = Decimal(str(estimate)).quantize(Decimal("0.01"))
        except InvalidOperation:
            facts.estimate = None
    return facts


def receive(sender, *, db, application, outcome, published, **_extra) -> None:
    """Route a just-submitted application and open its case file."""
    form = published.form
    facts = case_facts(form, outcome)
    office = office_for(db, facts.postcode)
    team = team_for(db, office, facts.surname) if office is not None else None
    required = {d.key for d in outcome.documents}
    uploaded_keys = set(db.scalars(select(Document.requirement).where(Document.draft_id == application.draft_id)))
    # the files the answers still call for move to the application; others stay with the draft (and are purged)
    if required:
        db.execute(update(Document).where(Document.draft_id == application.draft_id,
                                          Document.requirement.in_(required))
                   .values(application_id=application.id))
    missing = len(required - uploaded_keys)
    confirmed = sum(1 for w in outcome.warnings if w.severity == "warning" and w.confirmed)
    application.office_id = office.id if office is not None else None
    application.team_id = team.id if team is not None else None
    application.applicant_name = facts.name
    application.search_text = f"{application.reference} {facts.name} {facts.given_name} {facts.surname}".lower()[:400]
    search.index(db, application.id, facts.name)
    application.postcode = facts.postcode
    application.notify_email = facts.email
    application.household_size = facts.household
    application.estimate = facts.estimate
    application.missing_documents = missing
    application.confirmed_warnings = confirmed
    application.complete = missing == 0 and not outcome.unconfirmed and outcome.valid
    application.updated_at = utcnow()
    application.lock_version = 0
    db.add(CaseEvent(application_id=application.id, actor="applicant", from_status=None,
                     to_status=application.status, comment=""))
    audit.record(db, "application.received", reference=application.reference,
                 office_id=application.office_id,
                 detail={"team": team.name if team is not None else None, "form": published.slug,
                         "version": published.version})


def init_app(app) -> None:
    application_submitted.connect(receive, sender=app, weak=False)
