"""Public pages: the start page with the published forms, a form's overview,
and the legal pages (accessibility statement, privacy notice, Impressum),
whose texts an office may set (:mod:`webapp.legal`)."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for

from . import legal, sessions
from .i18n import language

bp = Blueprint("public", __name__)


def catalog():
    return current_app.extensions["formwerk.catalog"]


def steps(form) -> tuple[int, int]:
    """(the steps the wizard counts at the start, the most any answers can
    add): "Schritt 1 von N" on the first page is the N the start page promises."""
    from .applicant import today

    outcome = form.check({}, as_of=today())
    first = sum(1 for s in form.sections if any(s.contains(p) for p in outcome.relevant))
    return max(first, 1), len(form.sections)


@bp.get("/")
def index():
    forms = catalog().current()
    return render_template("index.html", forms=forms, steps={f.slug: steps(f.form) for f in forms})


@bp.get("/formulare/<slug>")
def form_overview(slug: str):
    published = catalog().get(slug)
    if published is None:
        abort(404)
    lang = language()
    form = published.form
    sections = [s.title(lang) for s in form.sections]
    has_draft = bool((session.get("drafts") or {}).get(slug))
    return render_template("form_overview.html", published=published, sections=sections, has_draft=has_draft)


@bp.post("/sitzung-beenden")
def end_session():
    """Forget this browser's drafts and receipts (on a shared computer). Saved
    drafts stay reachable by their resume link."""
    lang = session.get("lang")
    sessions.end(keep={"lang": lang} if lang else None)  # the server row goes; a replayed cookie finds nothing
    flash("session_ended")
    return redirect(url_for("public.index"))


def _legal():
    with current_app.extensions["formwerk.storage"].reader() as db:
        return legal.texts_for(db, request.args.get("amt"), language())


@bp.get("/barrierefreiheit")
def accessibility():
    return render_template("accessibility.html", legal=_legal())


@bp.get("/datenschutz")
def privacy():
    return render_template("legal/privacy.html", legal=_legal())


@bp.get("/impressum")
def imprint():
    return render_template("legal/imprint.html", legal=_legal())
