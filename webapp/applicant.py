"""The applicant's open draft, shared by the wizard's pages and the document
uploads: finding the draft this browser works on, and checking it with the
engine. Both blueprints import from here, never from each other."""

from __future__ import annotations

from datetime import date

from flask import abort, current_app, flash, redirect, session, url_for

from .drafts import Drafts, OpenDraft


def drafts() -> Drafts:
    return current_app.extensions["formwerk.drafts"]


def today() -> date:
    """The reference date of checks (``FORMWERK_TODAY`` in tests)."""
    return current_app.config.get("FORMWERK_TODAY") or date.today()


def current_draft(slug: str) -> OpenDraft | None:
    """The draft of form ``slug`` that this browser's session holds, if any."""
    token = (session.get("drafts") or {}).get(slug)
    draft = drafts().open(token)
    if draft is None or draft.published.slug != slug:
        return None
    return draft


def require_draft(slug: str) -> OpenDraft:
    """The open, unsent draft of ``slug``; otherwise the request ends with a
    redirect (to the form's overview, or to the receipt once it is sent)."""
    draft = current_draft(slug)
    if draft is None:
        flash("no_draft")
        abort(redirect(url_for("public.form_overview", slug=slug)))
    if draft.submitted:
        abort(redirect(url_for("wizard.receipt_for_draft", slug=slug)))
    return draft


def check(draft: OpenDraft, lang: str):
    """The engine's outcome for the draft's answers and confirmations today."""
    return draft.published.form.check(draft.answers, lang=lang, as_of=today(), confirmations=draft.confirmations,
                                      channel="web")  # dates are asked for as TT.MM.JJJJ on every page
