"""The decision (Bescheid): the caseworker records the outcome — granted
amount per month and period, or refusal with reasons from the office's
editable templates — a PDF letter is generated, stored with its SHA-256,
the case moves to "entschieden" and the letter is delivered to the
applicant's mailbox (with the e-mail "Sie haben neue Post").

Everything is checked on the server; a form from before someone else's
change of the case is refused with a conflict message (optimistic locking)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from flask import Response, abort, current_app, render_template, request
from flask_login import current_user
from sqlalchemy import select

from ..accounts import audit
from ..accounts.auth import staff_required
from ..i18n import text
from . import access, bp, case_actions, letter_pdf, loop, messages, workflow
from .models import Decision


AMOUNT = re.compile(r"^[0-9]{1,8}(?:\.[0-9]{1,2})?$")
MAX_REASONS = 20000
#: outcomes that grant money (amount and period required) and that refuse something (reasons required)
GRANTING = ("bewilligt", "teilweise_bewilligt")
REFUSING = ("teilweise_bewilligt", "abgelehnt")
#: The highest monthly amount accepted. Bürgergeld for even a large household (standard needs of
#: several persons plus rent and heating, § 19–22 SGB II) stays well below this; anything above is
#: almost surely a typo (a missing comma, an extra digit), so it is refused rather than sent out.
MAX_MONTHLY = Decimal("10000.00")
#: A period may start at most this many months ahead (a decision is made for the near future) ...
MAX_MONTHS_AHEAD = 3
#: ... and last at most 12 months: § 41 Abs. 3 SGB II grants for usually 12 months (6 if provisional).
MAX_PERIOD_MONTHS = 12
YEARS = (2000, 2100)


def parse_amount(text: str) -> Decimal | None:
    """A non-negative amount with at most two decimals, written the German
    way (1.234,56) or plainly (1234.56); None for anything else."""
    text = text.strip().replace("\u00a0", "").replace(" ", "").removesuffix("€").removesuffix("EUR")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif text.count(".") == 1 and re.fullmatch(r"[0-9]{1,3}\.[0-9]{3}", text):
        text = text.replace(".", "")  # 1.234 is a thousands separator in German, not 1,234
    if not AMOUNT.match(text):
        return None
    try:
        return Decimal(text).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None


def read_date(text: str) -> tuple[date | None, str]:
    """(the date, "") or (None, "invalid") for anything but YYYY-MM-DD, or
    (None, "range") for a real date whose year is outside :data:`YEARS`."""
    text = text.strip()
    match = re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", text)
    if not match:
        return None, "invalid"
    try:
        day = date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None, "invalid"
    return (day, "") if YEARS[0] <= day.year <= YEARS[1] else (None, "range")


def add_months(day: date, months: int) -> date:
    """``day`` moved ``months`` calendar months on (the 31st becomes the month's last day)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = (date(year + month // 12, month % 12 + 1, 1) - date.resolution).day
    return date(year, month, min(day.day, last))


def _check_amount(values, posted, errors) -> None:
    if not values["amount"].strip():
        errors.append(("decision-amount", "act_decision_amount_missing"))
        return
    posted.amount = parse_amount(values["amount"])
    if posted.amount is None:
        errors.append(("decision-amount", "act_decision_amount_invalid"))
    elif posted.amount <= 0:
        errors.append(("decision-amount", "act_decision_amount_zero"))
    elif posted.amount > MAX_MONTHLY:
        errors.append(("decision-amount", "act_decision_amount_too_high"))


def _check_period(values, posted, errors) -> None:
    for attribute, key, field_id, which in (("period_from", "period_from", "decision-period-from", "from"),
                                            ("period_to", "period_to", "decision-period-to", "to")):
        day, problem = read_date(values[key])
        setattr(posted, attribute, day)
        if problem:
            errors.append((field_id, f"act_decision_{which}_{problem}"))
    start, end = posted.period_from, posted.period_to
    today = case_actions.today()
    if start and start > add_months(today, MAX_MONTHS_AHEAD):
        errors.append(("decision-period-from", "act_decision_from_too_late"))
    if end and end < today:
        errors.append(("decision-period-to", "act_decision_to_past"))
    if start and end and start > end:
        errors.append(("decision-period-to", "act_decision_period_reversed"))
    elif start and end and end >= add_months(start, MAX_PERIOD_MONTHS):
        errors.append(("decision-period-to", "act_decision_period_too_long"))


@dataclass
class Posted:
    outcome: str = ""
    amount: Decimal | None = None
    period_from: date | None = None
    period_to: date | None = None
    reasons: str = ""


def read_form(templates) -> tuple[dict, Posted, list[tuple[str, str]]]:
    """The posted decision: (values to show again, the parsed decision, errors as (field id, text key))."""
    errors: list[tuple[str, str]] = []
    form = request.form
    values = {key: form.get(key, "")[:MAX_REASONS] for key in ("outcome", "amount", "period_from", "period_to",
                                                                  "reasons_text")}
    values["reasons"] = form.getlist("reason")
    posted = Posted(outcome=values["outcome"])
    if posted.outcome not in workflow.OUTCOMES:
        errors.append(("decision-outcome", "act_decision_outcome_missing"))
    if posted.outcome in GRANTING:
        _check_amount(values, posted, errors)
        _check_period(values, posted, errors)
    by_id = {str(t.id): t for t in templates}
    if any(key not in by_id for key in values["reasons"]):
        errors.append(("decision-reasons", "act_decision_reason_unknown"))
    chosen = [by_id[key].text.strip() for key in dict.fromkeys(values["reasons"]) if key in by_id]
    own = "".join(ch for ch in values["reasons_text"] if ch.isprintable() or ch in "\n\t").strip()
    if len(form.get("reasons_text", "")) > MAX_REASONS:
        errors.append(("decision-reasons-text", "act_decision_reasons_too_long"))
    posted.reasons = "\n\n".join([*chosen, own] if own else chosen)
    if posted.outcome in REFUSING and not posted.reasons:
        errors.append(("decision-reasons", "act_decision_reasons_missing" if posted.outcome == "abgelehnt"
                       else "act_decision_reasons_missing_partial"))
    return values, posted, errors


def _page(db, application, *, values=None, errors=(), notice=None, status=200):
    templates = case_actions.reason_templates(db, application.office_id)
    return render_template("office/decision.html", application=application, lock_version=application.lock_version,
                           templates=templates, values=values or {}, errors=list(errors),
                           summary=[(field_id, text(key)) for field_id, key in errors], notice=notice,
                           outcomes=workflow.OUTCOMES, back_url=case_actions.back_to_case(application.reference),
                           can_decide="entschieden" in workflow.allowed(application.status, "decision")), status


def _read(db, application):
    return read_form(case_actions.reason_templates(db, application.office_id))


def _decide(db, application, posted: Posted, expected: int) -> None:
    """Record the decision: the case moves to "entschieden", the letter is
    generated and stored with its SHA-256 and delivered to the mailbox."""
    workflow.transition(db, application, "entschieden", by="decision", actor=access.actor_text(),
                        expected_version=expected, comment=workflow.OUTCOMES[posted.outcome]["de"])
    office = case_actions.office_of(db, application)
    published = case_actions.published_of(application)
    staff = current_user.account
    body = letter_pdf.render(letter_pdf.Letter(
        office_name=office.name if office else "", letterhead=office.letterhead if office else "",
        legal_remedy=office.legal_remedy if office else "", reference=application.reference,
        applicant=application.applicant_name, form_title=published.form.title("de"),
        submitted=application.submitted_at.date(), issued=case_actions.today(), outcome=posted.outcome,
        monthly_amount=posted.amount, period_from=posted.period_from, period_to=posted.period_to,
        reasons=posted.reasons, decided_by=staff.name))
    decision = Decision(application_id=application.id, staff_id=staff.id, decided_by=staff.name[:200],
                        outcome=posted.outcome, monthly_amount=posted.amount,
                        period_from=posted.period_from, period_to=posted.period_to, reasons=posted.reasons,
                        letter=body, letter_sha256=hashlib.sha256(body).hexdigest())
    db.add(decision)
    db.flush()
    loop.deliver(db, application, "bescheid", messages.DECISION, messages.decision_values(posted.outcome),
                 decision_id=decision.id)
    audit.record(db, "decision.create", reference=application.reference, office_id=application.office_id,
                 detail={"decision": decision.id, "outcome": posted.outcome,
                         "amount": str(posted.amount) if posted.amount is not None else None,
                         "from": posted.period_from, "to": posted.period_to,
                         "sha256": decision.letter_sha256})


@bp.route("/amt/faelle/<reference>/bescheid", methods=["GET", "POST"])
@staff_required(*access.CASE_ROLES)
def decide(reference: str):
    return case_actions.case_action(reference, read=_read, act=_decide, page=_page,
                                    stale_field="decision-outcome", done="act_decision_sent")


@bp.get("/amt/faelle/<reference>/bescheide/<int:decision_id>/bescheid.pdf")
@staff_required(*access.CASE_ROLES)
def decision_letter(reference: str, decision_id: int):
    storage = current_app.extensions["formwerk.storage"]
    with storage.session() as db:
        application = access.case_or_404(db, reference, action=None)
        decision = db.scalar(select(Decision).where(Decision.id == decision_id,
                                                    Decision.application_id == application.id))
        if decision is None:
            abort(404)
        audit.record(db, "decision.download", reference=application.reference, office_id=application.office_id,
                     detail={"decision": decision.id})
    return pdf_response(decision.letter, f"Bescheid-{application.reference}-{decision.id}.pdf")


def pdf_response(body: bytes, filename: str) -> Response:
    """A PDF as an attachment that is never cached and never rendered in our origin."""
    return Response(body, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
    })
