"""Nachforderung: the caseworker asks the applicant for documents (from the
form's ``x-documents`` as the answers call for them, or named in free
text), with a deadline and a message. The case moves to "Unterlagen
nachgefordert", the request lands in the applicant's mailbox, and the
applicant is told by e-mail that there is new mail.

The form sits in the case page's actions panel; this view takes its post
(and shows the form again on its own page when something is wrong)."""

from __future__ import annotations

from datetime import date, timedelta

from flask import render_template, request
from flask_login import current_user

from ..accounts.auth import staff_required
from ..i18n import text
from . import access, bp, case_actions, loop


MAX_TITLE = 200
MAX_MESSAGE = 4000
MAX_DAYS = 365


def _printable(text: str) -> str:
    return "".join(ch for ch in text if ch.isprintable() or ch in "\n\t").strip()


def _distinct_lines(custom_text: str, titles: list[str]) -> list[str]:
    """The free-text documents, one a line, each once: a line that repeats an
    earlier one or a chosen document's title (ignoring case and spacing) is
    dropped, so the applicant is not asked for the same paper twice."""
    seen = {" ".join(title.split()).casefold() for title in titles}
    lines = []
    for line in custom_text.splitlines():
        line = " ".join(_printable(line).split())
        if line and line.casefold() not in seen:
            seen.add(line.casefold())
            lines.append(line)
    return lines


def read_form(outcome, today: date) -> tuple[dict, list[loop.Item], date | None, str, list[tuple[str, str]]]:
    """The posted request: (values to show again, items, deadline, message, errors as (field id, text key))."""
    errors: list[tuple[str, str]] = []
    wanted = {d.key: d for d in outcome.documents}
    chosen = request.form.getlist("document")
    items: list[loop.Item] = []
    for key in chosen:
        document = wanted.get(key)
        if document is None:
            errors.append(("request-documents", "act_request_unknown_document"))
            break
        if all(i.key != key for i in items):
            items.append(loop.Item(key=key, title=document.title, accept=tuple(document.accept),
                                   max_size=document.max_size))
    custom_text = request.form.get("custom", "")[:20000]
    lines = _distinct_lines(custom_text, [item.title for item in items])
    if any(len(line) > MAX_TITLE for line in lines):
        errors.append(("request-custom", "act_request_custom_too_long"))
    for n, line in enumerate(lines, start=1):
        items.append(loop.Item(key=f"frei-{n}", title=line[:MAX_TITLE]))
    if not items and not errors:
        errors.append(("request-documents", "act_request_no_items"))
    elif len(items) > loop.MAX_ITEMS:
        errors.append(("request-custom", "act_request_too_many"))
    deadline = None
    deadline_text = request.form.get("deadline", "").strip()
    try:
        deadline = date.fromisoformat(deadline_text) if len(deadline_text) == 10 else None
    except ValueError:
        deadline = None
    if deadline is None:
        errors.append(("request-deadline", "act_request_deadline_invalid"))
    elif deadline <= today:
        errors.append(("request-deadline", "act_request_deadline_past"))
        deadline = None
    elif deadline > today + timedelta(days=MAX_DAYS):
        errors.append(("request-deadline", "act_request_deadline_far"))
        deadline = None
    message = _printable(request.form.get("message", ""))
    if len(message) > MAX_MESSAGE:
        errors.append(("request-message", "act_request_message_too_long"))
    values = {"documents": chosen, "custom": custom_text, "deadline": deadline_text[:20],
              "message": message[:MAX_MESSAGE]}
    return values, items, deadline, message, errors


def _default_deadline() -> str:
    return (case_actions.today() + timedelta(days=case_actions.DEFAULT_DEADLINE_DAYS)).isoformat()


def _page(db, application, *, values=None, errors=(), notice=None, status=200):
    published = case_actions.published_of(application)
    return render_template("office/request.html", application=application, published=published,
                           form_documents=list(case_actions.outcome_of(application, published).documents),
                           lock_version=application.lock_version, values=values or {}, errors=list(errors),
                           summary=[(field_id, text(key)) for field_id, key in errors],
                           notice=notice, default_deadline=_default_deadline(),
                           back_url=case_actions.back_to_case(application.reference)), status


def _read(db, application):
    values, items, deadline, message, errors = read_form(
        case_actions.outcome_of(application, case_actions.published_of(application)), case_actions.today())
    return values, (items, deadline, message), errors


def _open(db, application, posted, expected: int) -> None:
    items, deadline, message = posted
    loop.open_request(db, application, items, deadline, message, staff_id=current_user.account.id,
                      actor=access.actor_text(), expected_version=expected)


@bp.route("/amt/faelle/<reference>/nachforderung", methods=["GET", "POST"])
@staff_required(*access.CASE_ROLES)
def request_documents(reference: str):
    return case_actions.case_action(reference, read=_read, act=_open, page=_page,
                                    stale_field="request-documents", done="act_request_sent")
