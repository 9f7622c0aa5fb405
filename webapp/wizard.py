"""The applicant's wizard: one section per page, a task list, check your
answers, submission and receipt, resume by link, status by reference.

Every page shows exactly what the engine says is relevant (``engine.page``);
nothing here decides relevance. Every post saves the draft. The same URL
serves the whole page or, for htmx, only the section's fields.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import date

from flask import (Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for)
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from engine.page import build_page

from . import answers as answer_ops
from .drafts import Drafts, OpenDraft, dumps, token_hash
from .events import application_submitted
from .fields import read_answers
from .i18n import language
from .presentation import field_id, review_rows
from .storage import Application, Draft, utcnow

bp = Blueprint("wizard", __name__)

LEADING_KEY = "allgemein"


def _drafts() -> Drafts:
    return current_app.extensions["formwerk.drafts"]


def section_key(name: str) -> str:
    return name or LEADING_KEY


def section_name(key: str) -> str:
    return "" if key == LEADING_KEY else key


def _today() -> date:
    return current_app.config.get("FORMWERK_TODAY") or date.today()


def _current(slug: str) -> OpenDraft | None:
    token = (session.get("drafts") or {}).get(slug)
    draft = _drafts().open(token)
    if draft is None or draft.published.slug != slug:
        return None
    return draft


def _require(slug: str) -> OpenDraft:
    draft = _current(slug)
    if draft is None:
        flash("no_draft")
        abort(redirect(url_for("public.form_overview", slug=slug)))
    if draft.submitted:
        abort(redirect(url_for("wizard.receipt_for_draft", slug=slug)))
    return draft


def _check(draft: OpenDraft, lang: str):
    return draft.published.form.check(draft.answers, lang=lang, as_of=_today(), confirmations=draft.confirmations)


def visible_sections(draft: OpenDraft, outcome) -> list:
    """The sections that apply under the current answers, in order."""
    form = draft.published.form
    return [s for s in form.sections if any(s.contains(p) for p in outcome.relevant)]


def _status(section, draft: OpenDraft, outcome) -> str:
    key = section_key(section.name)
    errors = [e for e in outcome.errors if section.contains(e.path)]
    if key not in draft.visited:
        answered = any(section.contains(p) for p in outcome.relevant if answer_ops.get_at(draft.answers, p) is not None)
        return "in_progress" if answered else "not_started"
    return "has_errors" if errors else "done"


# -- start, task list, resume --------------------------------------------------------


@bp.post("/antrag/<slug>/neu")
def start(slug: str):
    published = current_app.extensions["formwerk.catalog"].get(slug)
    if published is None:
        abort(404)
    draft = _drafts().create(published)
    session.setdefault("drafts", {})[slug] = draft.token
    session.modified = True
    first = visible_sections(draft, _check(draft, language()))[0]
    return redirect(url_for("wizard.section", slug=slug, key=section_key(first.name)))


@bp.get("/antrag/<slug>")
def tasklist(slug: str):
    draft = _require(slug)
    lang = language()
    outcome = _check(draft, lang)
    sections = visible_sections(draft, outcome)
    tasks = [(s, section_key(s.name), _status(s, draft, outcome)) for s in sections]
    return render_template("wizard/tasklist.html", draft=draft, tasks=tasks,
                           done=sum(1 for _, _, status in tasks if status == "done"))


@bp.get("/antrag/<slug>/speichern")
def saved(slug: str):
    draft = _require(slug)
    return render_template("wizard/saved.html", draft=draft,
                           resume_url=url_for("wizard.resume", token=draft.token, _external=True))


@bp.get("/fortsetzen/<token>")
def resume(token: str):
    draft = _drafts().open(token)
    if draft is None:
        return render_template("wizard/resume_failed.html"), 404
    session.setdefault("drafts", {})[draft.published.slug] = token
    session.modified = True
    return redirect(url_for("wizard.tasklist", slug=draft.published.slug))


# -- one section ----------------------------------------------------------------------


def _apply_post(draft: OpenDraft, name: str, lang: str) -> tuple[set[str], set[str]]:
    """Read the posted answers of this page into the draft. Returns the
    pointers of the page's questions before and after (to see what changed)."""
    form = draft.published.form
    before = build_page(form, draft.answers, name, lang, as_of=_today()).pointers()
    known: set[str] = set()
    for _ in range(4):  # questions that appear because of an answer may be in the post too (htmx)
        page = build_page(form, draft.answers, name, lang, as_of=_today())
        fresh = [q for q in page.questions() if q.pointer not in known]
        if not fresh:
            break
        known.update(q.pointer for q in fresh)
        for pointer, value in read_answers(fresh, request.form).items():
            answer_ops.set_at(draft.answers, pointer, value)
    page = build_page(form, draft.answers, name, lang, as_of=_today(), confirmations=draft.confirmations)
    _take_confirmations(draft, page.outcome.warnings)
    return before, page.pointers()


def _take_confirmations(draft: OpenDraft, shown) -> None:
    """The applicant's ticks for the warnings shown on a page: ticked ones are
    confirmed, unticked ones no longer; others stay as they were."""
    on_page = {w.confirmation for w in shown if w.confirmation}
    confirmed = set(request.form.getlist("confirm"))
    draft.confirmations = sorted({t for t in draft.confirmations if t not in on_page} | (confirmed & on_page))


@bp.route("/antrag/<slug>/seite/<key>", methods=["GET", "POST"])
def section(slug: str, key: str):
    draft = _require(slug)
    form = draft.published.form
    name = section_name(key)
    try:
        form.section(name)
    except KeyError:
        abort(404)
    lang = language()
    htmx = request.headers.get("HX-Request") == "true"
    show_errors = False
    notice = None
    if request.method == "POST":
        before, after = _apply_post(draft, name, lang)
        action = request.form.get("action", "weiter")
        if action.startswith("add:") and action[4:] in after:
            index = answer_ops.append_item(draft.answers, action[4:])
            notice = "item_added"
            anchor = field_id(f"{action[4:]}/{index}")
        elif action.startswith("remove:"):
            target = action[7:]
            if target in after:
                answer_ops.remove_item(draft.answers, target)
                notice = "item_removed"
            anchor = field_id(target.rpartition("/")[0])
        else:
            anchor = None
        if key not in draft.visited and action in ("weiter", "speichern"):
            draft.visited.append(key)
        _drafts().save(draft)
        if htmx:
            changed = after != before
            return _render_section(draft, name, key, lang, fragment=True, notice="questions_changed" if changed else notice)
        if action == "speichern":
            return redirect(url_for("wizard.saved", slug=slug))
        if anchor is not None:
            return redirect(url_for("wizard.section", slug=slug, key=key, _anchor=anchor))
        if after - before:
            notice = "questions_added"  # new questions appeared: show them before checking
        else:
            page = build_page(form, draft.answers, name, lang, as_of=_today(), confirmations=draft.confirmations)
            if not page.outcome.errors:
                return redirect(_next_url(draft, name, lang))
            show_errors = True
    return _render_section(draft, name, key, lang, show_errors=show_errors, notice=notice)


def _next_url(draft: OpenDraft, name: str, lang: str) -> str:
    outcome = _check(draft, lang)
    names = [s.name for s in visible_sections(draft, outcome)]
    if name in names and names.index(name) + 1 < len(names):
        return url_for("wizard.section", slug=draft.published.slug, key=section_key(names[names.index(name) + 1]))
    return url_for("wizard.review", slug=draft.published.slug)


def _render_section(draft: OpenDraft, name: str, key: str, lang: str, *, fragment: bool = False,
                    show_errors: bool = False, notice: str | None = None):
    form = draft.published.form
    page = build_page(form, draft.answers, name, lang, as_of=_today(), confirmations=draft.confirmations)
    sections = visible_sections(draft, page.outcome)  # relevance is never filtered by section
    names = [s.name for s in sections]
    position = names.index(name) + 1 if name in names else None
    context = dict(draft=draft, page=page, key=key, show_errors=show_errors, notice=notice, fragment=fragment,
                   position=position, total=len(sections), conditions=form.condition_inputs(),
                   action_url=url_for("wizard.section", slug=draft.published.slug, key=key))
    if fragment:
        return render_template("wizard/_fields.html", **context)
    return render_template("wizard/section.html", **context)


# -- check your answers, send, receipt -------------------------------------------------


@bp.route("/antrag/<slug>/pruefen", methods=["GET", "POST"])
def review(slug: str):
    draft = _require(slug)
    lang = language()
    if request.method == "POST":  # confirmations of warnings
        _take_confirmations(draft, _check(draft, lang).warnings)
        _drafts().save(draft)
        return redirect(url_for("wizard.review", slug=slug))
    outcome = _check(draft, lang)
    sections = visible_sections(draft, outcome)
    rows = review_rows(draft.published.form, outcome, sections, lang)
    discarded = [draft.published.form.label_for(p, lang) for p in outcome.pruned]
    from .documents import requirements

    return render_template("wizard/review.html", draft=draft, outcome=outcome, rows=rows, discarded=discarded,
                           documents=requirements(draft, outcome),
                           section_key=section_key, estimate=outcome.computed.get("/schaetzung"))


@bp.post("/antrag/<slug>/absenden")
def submit(slug: str):
    draft = _current(slug)
    if draft is None:
        abort(redirect(url_for("public.form_overview", slug=slug)))
    if draft.submitted:  # a double click or a replayed post
        return redirect(url_for("wizard.receipt_for_draft", slug=slug))
    lang = language()
    outcome = _check(draft, lang)
    if not outcome.can_submit:
        flash("cannot_submit")
        return redirect(url_for("wizard.review", slug=slug))
    status_token = secrets.token_urlsafe(16)
    findings = [i.to_json() for i in (*outcome.errors, *outcome.warnings)]
    record = {"form": draft.published.slug, "version": draft.published.version, "content_hash": draft.published.content_hash,
              "answers": outcome.answers, "confirmations": draft.confirmations}
    data_hash = hashlib.sha256(dumps(record).encode("utf-8")).hexdigest()
    storage = current_app.extensions["formwerk.storage"]
    try:
        with storage.session() as db:
            row = db.get(Draft, draft.id)
            if row.submitted:
                return redirect(url_for("wizard.receipt_for_draft", slug=slug))
            reference = f"FW-{utcnow():%Y%m%d}-{secrets.token_hex(4).upper()}"
            application = Application(reference=reference, draft_id=draft.id, form_version_id=draft.published.id,
                                      answers=dumps(outcome.answers), findings=json.dumps(findings, ensure_ascii=False),
                                      confirmations=dumps(draft.confirmations), data_hash=data_hash,
                                      status_token_hash=token_hash(status_token), status="eingegangen")
            db.add(application)
            row.submitted = True
            db.flush()
            application_submitted.send(current_app._get_current_object(), db=db, application=application,
                                       outcome=outcome, published=draft.published)
    except IntegrityError:  # submitted concurrently: the other request won
        return redirect(url_for("wizard.receipt_for_draft", slug=slug))
    session.setdefault("receipts", {})[reference] = status_token
    session.modified = True
    return redirect(url_for("wizard.receipt", reference=reference))


@bp.get("/antrag/<slug>/eingang")
def receipt_for_draft(slug: str):
    draft = _current(slug)
    if draft is None:
        abort(404)
    storage = current_app.extensions["formwerk.storage"]
    with storage.reader() as db:
        reference = db.scalar(select(Application.reference).where(Application.draft_id == draft.id))
    if reference is None:
        return redirect(url_for("wizard.tasklist", slug=slug))
    return redirect(url_for("wizard.receipt", reference=reference))


@bp.get("/eingang/<reference>")
def receipt(reference: str):
    application, token = _own_application(reference)
    published, rows = _as_submitted(application, language())
    return render_template("wizard/receipt.html", application=application, published=published, rows=rows,
                           status_token=token)


def _as_submitted(application, lang: str):
    """The form version an application was sent on, and its answers as rows."""
    published = current_app.extensions["formwerk.catalog"].version(application.form_version_id)
    outcome = published.form.check(json.loads(application.answers), lang=lang, as_of=_today(),
                                   confirmations=json.loads(application.confirmations))
    sections = [s for s in published.form.sections if any(s.contains(p) for p in outcome.relevant)]
    return published, review_rows(published.form, outcome, sections, lang)


@bp.get("/eingang/<reference>/bestaetigung.pdf")
def receipt_pdf(reference: str):
    from flask import Response

    from .receipt_pdf import render

    application, _ = _own_application(reference)
    lang = language()
    published, rows = _as_submitted(application, lang)
    body = render(application, published, rows, lang)
    return Response(body, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="Eingangsbestaetigung-{application.reference}.pdf"',
        "Cache-Control": "no-store"})


def _own_application(reference: str):
    """The application this browser sent (its access code is in the session), or 404."""
    token = (session.get("receipts") or {}).get(reference)
    application = _application(reference, token)
    if application is None:
        abort(404)
    return application, token


def _application(reference: str, token: str | None):
    if not token or not reference or len(reference) > 32:
        return None
    storage = current_app.extensions["formwerk.storage"]
    with storage.reader() as db:
        application = db.scalar(select(Application).where(Application.reference == reference))
    if application is None or not secrets.compare_digest(application.status_token_hash, token_hash(token)):
        return None
    return application


@bp.route("/status", methods=["GET", "POST"])
def status():
    application = None
    failed = False
    if request.method == "POST":
        reference = (request.form.get("reference") or "").strip().upper()
        token = (request.form.get("token") or "").strip()
        application = _application(reference, token)
        failed = application is None
    return render_template("wizard/status.html", application=application, failed=failed), (404 if failed else 200)
