"""What the case page's actions panel (``office/_case_actions.html``) shows:
document requests with what arrived and when, decisions with their delivery
receipts, the reason templates, and the documents the form calls for.

The panel is included by the case page, which passes ``application``,
``published`` and ``lock_version``; it calls :func:`case_actions` (a
template global) for the rest. Also small helpers shared by the request,
decision and export views."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app, flash, redirect, request, url_for
from sqlalchemy import select

from .. import i18n
from ..accounts.models import Office
from ..i18n import language
from . import access, letter_pdf, loop, notify, workflow
from .actions_texts import TEXTS
from .models import Decision, MailboxMessage, ReasonTemplate

#: a few sensible reasons, seeded for an office that has none (admins edit them)
DEFAULT_REASONS = (
    ("Einkommen deckt den Bedarf",
     "Ihr zu berücksichtigendes Einkommen übersteigt Ihren Bedarf. Sie sind daher nicht hilfebedürftig "
     "im Sinne von § 9 SGB II."),
    ("Vermögen über dem Freibetrag",
     "Ihr zu berücksichtigendes Vermögen übersteigt die Freibeträge nach § 12 SGB II. Sie können Ihren "
     "Lebensunterhalt daraus sichern."),
    ("Mitwirkung fehlt",
     "Sie haben die angeforderten Unterlagen trotz Aufforderung und Fristsetzung nicht eingereicht. Die "
     "Leistung wird deshalb nach § 66 SGB I versagt, bis die Mitwirkung nachgeholt wird."),
    ("Kein gewöhnlicher Aufenthalt im Zuständigkeitsbereich",
     "Sie haben Ihren gewöhnlichen Aufenthalt nicht im Bereich dieses Jobcenters. Wir haben Ihren Antrag "
     "an das zuständige Jobcenter weitergeleitet."),
    ("Unterkunftskosten nur teilweise angemessen",
     "Ihre Kosten für Unterkunft und Heizung übersteigen die angemessenen Kosten. Sie werden nach Ablauf "
     "der Karenzzeit nur in angemessener Höhe anerkannt (§ 22 SGB II)."),
)


#: a request's deadline suggested in the form
DEFAULT_DEADLINE_DAYS = 14


def today() -> date:
    return current_app.config.get("FORMWERK_TODAY") or date.today()


def published_of(application):
    return current_app.extensions["formwerk.catalog"].version(application.form_version_id)


def outcome_of(application, published):
    """The application checked again on the form version it was sent on, as of its submission."""
    return published.form.check(json.loads(application.answers), as_of=application.submitted_at.date(),
                                confirmations=json.loads(application.confirmations))


def posted_version() -> int | None:
    """The ``lock_version`` the posting page showed (None when absent or not a number)."""
    text = request.form.get("lock_version", "")
    return int(text) if text.isdigit() and len(text) < 10 else None


def back_to_case(reference: str) -> str:
    """The case page's actions panel (or, without the case page, the request page)."""
    if "office.case" in current_app.view_functions:
        return url_for("office.case", reference=reference, _anchor="case-actions")
    return url_for("office.request_documents", reference=reference)


def case_action(reference: str, *, read, act, page, stale_field: str, done: str):
    """A case action's view (a document request, a decision), the same way for
    each. GET shows its form (``page``, the case view audited); a POST:

    - ``read(db, application)`` reads and checks the form: (values to show
      again, what was posted, errors as (field id, text key)); errors, or a
      form without the lock version its page showed, give the form again (400);
    - ``act(db, application, posted, expected_version)`` does it, in one
      transaction with the check that nobody changed the case since its page
      was shown (optimistic lock);
    - a conflict or a move the workflow refuses is rolled back and shows the
      form again with the case as it is now (409);
    - afterwards the applicant is e-mailed that there is new post, ``done`` is
      flashed, and the caseworker goes back to the case.

    ``page(db, application, values=..., errors=..., notice=..., status=...)`` renders the form."""
    storage = current_app.extensions["formwerk.storage"]
    if request.method == "GET":
        with storage.session() as db:
            return page(db, access.case_or_404(db, reference))
    expected = posted_version()
    values: dict = {}
    try:
        with storage.session() as db:
            application = access.case_or_404(db, reference, action=None)
            values, posted, errors = read(db, application)
            if expected is None:
                errors.append((stale_field, "act_stale_form"))
            if errors:
                return page(db, application, values=values, errors=errors, status=400)
            if expected != application.lock_version:  # a stale page: say so before anything else
                raise workflow.Conflict()
            act(db, application, posted, expected)
            email = application.notify_email
    except workflow.WorkflowError as exc:  # rolled back; Conflict is one
        with storage.session() as db:
            fresh = access.case_or_404(db, reference, action=None)
            return page(db, fresh, values=values, notice=f"act_{exc.code}", status=409)
    notify.send_new_post(email)
    flash(done)
    return redirect(back_to_case(reference))


def reason_templates(db, office_id: int | None) -> list[ReasonTemplate]:
    """The office's reason templates; seeds :data:`DEFAULT_REASONS` when it has none."""
    if office_id is None:
        return []
    rows = db.scalars(select(ReasonTemplate).where(ReasonTemplate.office_id == office_id)
                      .order_by(ReasonTemplate.title, ReasonTemplate.id)).all()
    if not rows:
        rows = [ReasonTemplate(office_id=office_id, title=title, text=text) for title, text in DEFAULT_REASONS]
        db.add_all(rows)
        db.flush()
    return rows


@dataclass
class DecisionView:
    decision: Decision
    message: MailboxMessage | None

    @property
    def opened_at(self):
        return self.message.first_opened_at if self.message is not None else None


@dataclass
class CaseActions:
    requests: list[loop.RequestView] = field(default_factory=list)
    decisions: list[DecisionView] = field(default_factory=list)
    form_documents: list = field(default_factory=list)  # engine RequiredDocument
    templates: list[ReasonTemplate] = field(default_factory=list)
    outcomes: dict = field(default_factory=lambda: workflow.OUTCOMES)
    can_request: bool = False
    can_decide: bool = False
    has_document_view: bool = False
    default_deadline: str = ""


def decisions_of(db, application_id: int) -> list[DecisionView]:
    decisions = db.scalars(select(Decision).where(Decision.application_id == application_id)
                           .order_by(Decision.id.desc())).all()
    messages = {m.decision_id: m for m in db.scalars(
        select(MailboxMessage).where(MailboxMessage.application_id == application_id,
                                     MailboxMessage.decision_id.is_not(None)))}
    return [DecisionView(d, messages.get(d.id)) for d in decisions]


def load(db, application, published) -> CaseActions:
    return CaseActions(
        requests=loop.requests_of(db, application.id),
        decisions=decisions_of(db, application.id),
        form_documents=list(outcome_of(application, published).documents) if published is not None else [],
        templates=reason_templates(db, application.office_id),
        can_request=application.status in loop.REQUEST_FROM,
        can_decide="entschieden" in workflow.allowed(application.status, "decision"),
        has_document_view="office.document" in current_app.view_functions,
        default_deadline=(today() + timedelta(days=DEFAULT_DEADLINE_DAYS)).isoformat(),
    )


def office_of(db, application) -> Office | None:
    return db.get(Office, application.office_id) if application.office_id is not None else None


def outcome_label(outcome: str) -> str:
    labels = workflow.OUTCOMES.get(outcome, {})
    return labels.get(language()) or labels.get("de") or outcome


def init_app(app) -> None:
    i18n.register(TEXTS)

    @app.template_global("case_actions")
    def case_actions(application, published=None) -> CaseActions:
        storage = current_app.extensions["formwerk.storage"]
        with storage.session() as db:  # a session: reason templates are seeded on first use
            return load(db, application, published if published is not None else published_of(application))

    app.add_template_global(outcome_label, "outcome_label")
    app.add_template_global(letter_pdf.euro, "euro")
