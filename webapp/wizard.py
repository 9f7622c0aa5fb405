"""The applicant's wizard: one section per page, a task list, check your
answers, submission and receipt, resume by link, status by reference.

Every page shows exactly what the engine says is relevant (``engine.page``);
nothing here decides relevance. Every post saves the draft. The same URL
serves the whole page or, for htmx, only the section's fields.

Hostile input is bounded here: only the actions the page offers are taken
("add another" up to ``maxItems`` or ``MAX_LIST_ITEMS``), a post builds the
page at most a few times, a save that lost the race to another tab is refused
with a clear message, resuming by link is a deliberate step that rotates the
token, and a submission whose response was lost leads to its receipt.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
import threading
from collections import OrderedDict

from flask import (Blueprint, abort, current_app, flash, g, redirect, render_template, request, session, url_for)
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from engine.page import Group, ItemList, Question, build_page, sections_of

from . import answers as answer_ops
from . import applicant, ratelimit, submitted, texts, wizard_texts  # noqa: F401  (texts register this part's messages)
from .documents import follow_removal, requirements
from .drafts import (Conflict, OpenDraft, TooLarge, changed_elsewhere, changed_since, dumps, fingerprint, merge, page_base,
                     parse_base, token_hash)
from .events import application_submitted
from .fields import read_answers
from .i18n import language
from .presentation import IssueNamer, field_id, review_rows
from .storage import Application, Draft, utcnow

bp = Blueprint("wizard", __name__)

LEADING_KEY = "allgemein"
MAX_RECEIPTS = 10  # access codes one browser session remembers (an advice centre's PC sends many)


_drafts = applicant.drafts
_today = applicant.today
_current = applicant.current_draft
_require = applicant.require_draft
_check = applicant.check


def section_key(name: str) -> str:
    return name or LEADING_KEY


def section_name(key: str) -> str:
    return "" if key == LEADING_KEY else key


def visible_sections(draft: OpenDraft, outcome) -> list:
    """The sections that apply under the current answers, in order."""
    return sections_of(draft.published.form, outcome)


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
    ratelimit.enforce("draft_create")
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


def external_url(endpoint: str, **values) -> str:
    """A link for the applicant to keep, from a trusted origin only
    (``PUBLIC_URL``, or a host ``TRUSTED_HOSTS`` admits), else relative:
    never from a Host header an attacker may set (webapp/security.py)."""
    from .security import external_url as trusted_url

    return trusted_url(endpoint, **values)


@bp.get("/antrag/<slug>/speichern")
def saved(slug: str):
    draft = _require(slug)
    return render_template("wizard/saved.html", draft=draft, resume_url=external_url("wizard.resume", token=draft.token))


@bp.route("/fortsetzen/<token>", methods=["GET", "POST"])
def resume(token: str):
    """Resuming is a deliberate step: the page shows whose draft it is (form,
    started, last saved) and whether it would close another draft open in this
    browser; only the confirming post binds it, and it rotates the token so
    every earlier holder of the link loses access (no resume-link fixation)."""
    ratelimit.enforce("resume")
    draft = _drafts().open(token)
    if draft is None or draft.submitted:
        return render_template("wizard/resume_failed.html"), 404
    slug = draft.published.slug
    own = _current(slug)
    if own is not None and own.id == draft.id:
        own = None
    if request.method == "GET":
        return render_template("wizard/resume.html", draft=draft, own=own,
                               action_url=url_for("wizard.resume", token=token))
    fresh = _drafts().rotate(draft)
    if fresh is None:  # rotated by someone else a moment ago
        return render_template("wizard/resume_failed.html"), 404
    session.setdefault("drafts", {})[slug] = fresh
    session.modified = True
    return redirect(url_for("wizard.tasklist", slug=slug))


# -- one section ----------------------------------------------------------------------


class PageCache:
    """Pages this process built lately, by everything a page is built from:
    the form version (id and content hash), the section, the language, the
    reference date, the confirmations and the answers (the SHA-256 of their
    ``repr`` in stored key order: types and decimals exact). A post first needs the page
    the applicant was shown (which questions it asks), and that is the page
    the previous request built and showed; a section's "Weiter" leads to the
    next page, built from the same answers. A cached page is shared between
    requests and never changed (pages and their outcomes are read only);
    it holds a copy of the answers, never the draft's own."""

    def __init__(self, size: int = 256):
        self.size = size
        self._pages: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key, page) -> None:
        with self._lock:
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)


def _pages() -> PageCache:
    cache = current_app.extensions.get("formwerk.pages")
    if cache is None:
        cache = current_app.extensions.setdefault("formwerk.pages", PageCache(current_app.config.get("PAGE_CACHE_SIZE", 256)))
    return cache


#: the largest answers (their ``repr``) whose pages are kept: a usual draft is a few kB, and the
#: cache stays bounded (``PAGE_CACHE_SIZE`` pages of at most this) whatever a client posts
MAX_CACHED_ANSWERS = 64 * 1024


def _build(draft: OpenDraft, name: str, lang: str):
    answers = answer_ops.in_stored_order(draft.answers)  # a copy: the draft's answers change as a post is read
    published = draft.published
    text = repr(answers)
    if len(text) > MAX_CACHED_ANSWERS:
        return build_page(published.form, answers, name, lang, as_of=_today(), confirmations=draft.confirmations)
    key = (published.id, published.content_hash, name, lang, _today(), tuple(draft.confirmations),
           hashlib.sha256(text.encode("utf-8")).digest())
    cache = _pages()
    page = cache.get(key)
    if page is None:
        page = build_page(published.form, answers, name, lang, as_of=_today(), confirmations=draft.confirmations)
        cache.put(key, page)
    return page


def _apply_post(draft: OpenDraft, name: str, lang: str, truncated: set, *, base: dict | None = None,
                clashes: list | None = None, kept: list | None = None) -> tuple[set[str], object]:
    """Read the posted answers of this page into the draft. Returns the
    pointers of the page's questions before, and the page after (to see what
    changed and which actions it offers). The page is built at most four
    times, whatever the post holds. With ``base`` (the page was built from an
    older revision) only the answers this tab changed are taken, merged into
    the current ones; answers another tab changed too go to ``clashes``, and
    posted answers that differ from the current ones but were left as they are
    (this tab did not change them, another tab did) go to ``kept``."""
    page = _build(draft, name, lang)
    before = page.pointers()
    known: set[str] = set()
    limit = current_app.config["MAX_TEXT_LENGTH"]
    for _ in range(3):  # questions that appear because of an answer may be in the post too (htmx)
        fresh = [q for q in page.questions() if q.pointer not in known]
        if not fresh:
            break
        known.update(q.pointer for q in fresh)
        found = read_answers(fresh, request.form, text_limit=limit, truncated=truncated)
        if base is not None:
            posted = found
            found, clashed = merge(draft.answers, base, posted)
            clashes.extend(clashed)
            if kept is not None:
                kept.extend(p for p, value in posted.items() if p not in found and p not in clashed
                            and fingerprint(value) != fingerprint(answer_ops.get_at(draft.answers, p)))
        changed = False
        for pointer, value in found.items():
            if answer_ops.get_at(draft.answers, pointer) != value:
                answer_ops.set_at(draft.answers, pointer, value)
                changed = True
        if not changed:
            break
        page = _build(draft, name, lang)
    _take_confirmations(draft, page.outcome.warnings)
    return before, page


def list_cap(node: ItemList) -> int:
    """The most entries a list may have: the form's maxItems, never more
    than the server-wide ``MAX_LIST_ITEMS``."""
    cap = current_app.config["MAX_LIST_ITEMS"]
    return min(node.max_items, cap) if node.max_items is not None else cap


@bp.app_template_global()
def can_add(node: ItemList) -> bool:
    return len(node.items) < list_cap(node)


def offered_actions(page) -> set[str]:
    """The actions the page's buttons offer (the only ones taken)."""
    actions = {"weiter", "speichern", "refresh"}
    for node in page.nodes():
        if isinstance(node, ItemList):
            if can_add(node):
                actions.add(f"add:{node.pointer}")
            actions.update(f"remove:{item.pointer}" for item in node.items)
    return actions


def _posted_revision() -> int | None:
    """The draft revision the posting page was built from (None when absent or malformed)."""
    text = request.form.get("revision", "")
    return int(text) if _REVISION.fullmatch(text) else None


_REVISION = re.compile(r"[0-9]{1,9}")  # ASCII digits only: str.isdigit() takes "²", which int() refuses

#: the editor recorded for a save merged from a stale page that kept answers of another
#: tab the page does not show: no tab's own, so that the same stale page posted again
#: (a resent request, a script, a saved copy) is merged again against what it showed
#: instead of passing as that tab's own next post (which would write back the answers
#: it never showed); never a valid ``editor`` value
MERGED = "~merged"


#: what a page "showed" when its post does not say (no fingerprint): nothing
UNKNOWN_PAGE: dict[str, str] = {}


_EDITOR = re.compile(r"^[A-Za-z0-9_-]{16}$")


def _editor() -> str:
    """The page instance (browser tab) posting: kept across its live updates,
    new for every full page. A tab's own earlier saves never conflict with it.
    A post that carries none of the page's hidden fields (no editor, no
    revision: a client that does not send them back) is one editor per
    browser session (:func:`_bare_editor`)."""
    if "formwerk_editor" not in g:
        posted = request.form.get("editor", "") if request.method == "POST" else ""
        if _EDITOR.match(posted):
            g.formwerk_editor = posted
        elif _bare_post():
            g.formwerk_editor = _bare_editor()
        else:
            g.formwerk_editor = secrets.token_urlsafe(12)
    return g.formwerk_editor


def _bare_post() -> bool:
    """A post without the page's hidden fields (neither editor nor revision)."""
    return request.method == "POST" and "editor" not in request.form and "revision" not in request.form


def _bare_editor() -> str:
    """The editor of a browser session's posts without hidden fields: its
    consecutive posts are one tab's (they never conflict with each other),
    while a tab that sends its fields, or another device, is another editor.
    Derived from the session id with the app's secret (never the id itself)."""
    sid = getattr(session, "sid", None)
    if not sid:
        return secrets.token_urlsafe(12)
    digest = hmac.new(current_app.secret_key.encode("utf-8") if isinstance(current_app.secret_key, str)
                      else current_app.secret_key, f"editor:{sid}".encode("utf-8"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest)[:16].decode("ascii")


def _stale(draft: OpenDraft) -> bool:
    """The posting page shows an older revision that another tab or device
    saved, or does not say which revision it shows. Every page the wizard
    renders carries its revision; a post without one (or with a malformed
    one) comes from a broken or hostile client, or a page of unknown age,
    and is treated as stale: it never overwrites what another tab saved
    unseen. A section post is then merged answer by answer against the
    fingerprint the page carries (``base``), or, without one, against the
    oldest safe base, a page that showed nothing (:data:`UNKNOWN_PAGE`):
    answers not given yet (or posted as they are) are taken, a change of a
    saved answer is a conflict that names the field and saves nothing, and
    adding or removing entries of a list that has entries is refused with
    the "this page is out of date" message. Confirmations on check your
    answers and with "Absenden" are refused the same way. A tab's own
    earlier saves never make its page stale (``editor``; a client that sends
    no hidden fields at all is one editor per browser session, so its own
    consecutive posts go through, but not over another tab's save)."""
    if draft.editor == _editor():
        return False
    if draft.editor is None and _bare_post():
        return False  # no tab has saved this draft yet: there is nothing of another tab to lose
    return _posted_revision() != draft.revision


def _take_confirmations(draft: OpenDraft, shown) -> None:
    """The applicant's ticks for the warnings shown on a page: ticked ones are
    confirmed, unticked ones no longer; others stay as they were."""
    on_page = {w.confirmation for w in shown if w.confirmation}
    confirmed = set(request.form.getlist("confirm"))
    draft.confirmations = sorted({t for t in draft.confirmations if t not in on_page} | (confirmed & on_page))


def _draft_notice() -> str | None:
    """A notice flashed for the next section page (category "draft"), taken
    out of the session without consuming the flashes meant for other pages."""
    flashes = session.get("_flashes") or []
    ours = [message for category, message in flashes if category == "draft"]
    if ours:
        session["_flashes"] = [entry for entry in flashes if entry[0] != "draft"]
    return ours[0] if ours else None


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
    if request.method == "GET":  # a live update that met another tab's changes reloads with its notice
        return _render_section(draft, name, key, lang, notice=_draft_notice())
    action = request.form.get("action", "weiter")
    base = None
    if _stale(draft):  # another tab or device saved in between: merge answer by answer (webapp/drafts.py)
        base = parse_base(request.form.get("base"))
        if base is None and _posted_revision() is None and "base" not in request.form:
            base = UNKNOWN_PAGE  # a post that says neither what it showed nor when (see _stale)
        if base is None:
            return _render_section(draft, name, key, lang, fragment=htmx, notice="conflict", status=200 if htmx else 409)
    # adding or removing entries by position is only safe on a page that shows the list as
    # it is: a stale page, and also this tab's own page posted again (a resent "Entfernen")
    listed = action[4:] if action.startswith("add:") else action[7:].rpartition("/")[0] if action.startswith("remove:") else None
    shown = base if base is not None else parse_base(request.form.get("base"))
    if listed and shown is not None and changed_since(draft.answers, shown, listed):
        return _render_section(draft, name, key, lang, fragment=htmx, notice="conflict", status=200 if htmx else 409)
    truncated: set[str] = set()
    clashes: list[str] = []
    # htmx keeps every input of the page as it is (hx-preserve): when another tab changed
    # answers of this very page, a live update reloads the page instead of swapping fields
    reload = htmx and base is not None and bool(changed_elsewhere(draft.answers, base))
    kept: list[str] = []
    before, page = _apply_post(draft, name, lang, truncated, base=base, clashes=clashes, kept=kept)
    saver = MERGED if kept else _editor()  # this tab's page does not show what is saved now
    if clashes and reload:
        flash("conflict", "draft")
        return "", 200, {"HX-Refresh": "true"}
    if clashes:  # the same answers were changed in the other tab too: nothing of this post is saved
        fresh = _current(slug) or draft
        return _render_section(fresh, name, key, lang, fragment=htmx, notice="conflict", status=200 if htmx else 409,
                               conflicted=[form.label_for(p, lang) for p in clashes])
    after = page.pointers()
    if action not in offered_actions(page):
        abort(400)  # a button the page does not show (e.g. "add another" beyond maxItems)
    anchor = None
    notice = "too_long" if truncated else None
    if action.startswith("add:"):
        index = answer_ops.append_item(draft.answers, action[4:])
        notice, anchor, page = "item_added", field_id(f"{action[4:]}/{index}"), None
    elif action.startswith("remove:"):
        answer_ops.remove_item(draft.answers, action[7:])
        notice, anchor, page = "item_removed", field_id(action[7:].rpartition("/")[0]), None
    if key not in draft.visited and action in ("weiter", "speichern"):
        draft.visited.append(key)
    # uploads stay with their entries (those after a removed one move up): in the save's transaction
    moved = (lambda db: follow_removal(db, draft.id, action[7:])) if action.startswith("remove:") else None
    try:
        _drafts().save(draft, editor=saver, also=moved)
    except Conflict:  # lost the race between reading and saving
        fresh = _current(slug) or draft
        if fresh.editor == _editor() and not g.get("formwerk_retried"):
            # this tab's own live update saved in between (an answer chosen and "Weiter"
            # pressed at once): take the post once more, on top of that save
            g.formwerk_retried = True
            return section(slug, key)
        return _render_section(fresh, name, key, lang, fragment=htmx, notice="conflict", status=200 if htmx else 409)
    except TooLarge:
        fresh = _current(slug) or draft
        return _render_section(fresh, name, key, lang, fragment=htmx, notice="draft_too_large",
                               status=200 if htmx else 413)
    if reload:
        return "", 200, {"HX-Refresh": "true"}
    if htmx:
        changed = after != before
        return _render_section(draft, name, key, lang, fragment=True, page=page,
                               notice="questions_changed" if changed else notice)
    if action == "speichern":
        return redirect(url_for("wizard.saved", slug=slug))
    if anchor is not None:
        return redirect(url_for("wizard.section", slug=slug, key=key, _anchor=anchor))
    show_errors = False
    if after - before:
        # new questions or lists appeared: show them before checking, named, with focus on the first
        added = added_nodes(page, after - before)
        notice = "questions_added"
        return _render_section(draft, name, key, lang, notice=notice, page=page,
                               added=[node.field.label for node in added if node.field is not None],
                               focus=first_control(added[0]) if added else None)
    elif not page.outcome.errors and not truncated:
        # "check this" (GOV.UK): a hint not shown yet stops "Weiter" once, on the page of its answer
        # (the page was built before this post's ticks were taken: they count as well)
        seen = _posted_checked() | set(draft.confirmations)
        if action == "weiter" and any(k not in seen for k in pending_hints(page)):
            page = _build(draft, name, lang)  # with this post's ticks
            return _render_section(draft, name, key, lang, notice="check_hints", page=page,
                                   checked=set(pending_hints(page)))
        return redirect(_next_url(draft, name, lang, page.outcome))  # the page's check: relevance is never per section
    else:
        show_errors = True
    return _render_section(draft, name, key, lang, show_errors=show_errors, notice=notice, page=page)


def added_nodes(page, new: set[str]) -> list:
    """The questions and lists an answer added to the page, in page order;
    what lies inside an added list is the list's (it is named once)."""
    found: list = []
    for node in page.nodes():
        if node.pointer not in new or isinstance(node, Group):
            continue
        if any(isinstance(outer, ItemList) and node.pointer.startswith(outer.pointer + "/") for outer in found):
            continue
        found.append(node)
    return found


def first_control(node) -> str:
    """Where focus goes for an added node: a question itself; a list's first
    entry's first question, or its "add" button (named by the list) when empty."""
    if isinstance(node, ItemList):
        for item in node.items:
            for inner in item.children:
                if isinstance(inner, Question):
                    return inner.pointer
    return node.pointer


def live_inputs(form) -> frozenset[str]:
    """Names of the inputs whose change refreshes the page (htmx): what a
    condition reads, and what a warning or info reads or is shown at (the
    engine says which). An input htmx keeps (hx-preserve) keeps its
    attributes, so this holds from the page's first rendering on."""
    return form.condition_inputs() | form.hint_inputs()


def hint_key(issue) -> str:
    """What names a hint across posts: a warning's confirmation token (it
    changes with the values it was found for), else the rule and its place."""
    return issue.confirmation or f"{issue.rule or issue.code}@{issue.path}"


def pending_hints(page) -> list[str]:
    """The hints at this page's questions and lists that still ask for a look: warnings
    not confirmed yet, and infos (an explanation such as the pension age
    limit), in page order, each once."""
    keys: list[str] = []
    for node in page.nodes():
        for issue in getattr(node, "warnings", ()):  # questions, and lists a cross-field hint names
            if issue.confirmed or (issue.severity != "info" and not issue.confirmation):
                continue
            key = hint_key(issue)
            if key not in keys:
                keys.append(key)
    return keys


def _posted_checked() -> set[str]:
    """The hints the posting page had already stopped "Weiter" for (bounded)."""
    return {value for value in request.form.getlist("checked_hint")[:50] if len(value) <= 200}


def _next_url(draft: OpenDraft, name: str, lang: str, outcome=None) -> str:
    outcome = outcome if outcome is not None else _check(draft, lang)
    names = [s.name for s in visible_sections(draft, outcome)]
    if name in names and names.index(name) + 1 < len(names):
        return url_for("wizard.section", slug=draft.published.slug, key=section_key(names[names.index(name) + 1]))
    return url_for("wizard.review", slug=draft.published.slug)


def _render_section(draft: OpenDraft, name: str, key: str, lang: str, *, fragment: bool = False,
                    show_errors: bool = False, notice: str | None = None, page=None, status: int = 200,
                    added: list[str] | None = None, focus: str | None = None, conflicted: list[str] | None = None,
                    checked: set[str] | None = None):
    form = draft.published.form
    if page is None:
        page = _build(draft, name, lang)
    sections = visible_sections(draft, page.outcome)  # relevance is never filtered by section
    names = [s.name for s in sections]
    position = names.index(name) + 1 if name in names else None
    if checked is None:  # a live update or a re-shown page keeps the hints that stopped "Weiter" already
        checked = _posted_checked() if request.method == "POST" else set()
    checked = [k for k in pending_hints(page) if k in checked]
    context = dict(draft=draft, page=page, key=key, show_errors=show_errors, notice=notice, fragment=fragment, editor=_editor(),
                   checked=checked,
                   added=added or [], focus=focus, say=IssueNamer([page], lang),
                   base=page_base(draft.answers, page.pointers()), conflicted=conflicted or [],
                   position=position, total=len(sections), conditions=live_inputs(form),
                   action_url=url_for("wizard.section", slug=draft.published.slug, key=key))
    if fragment:
        return render_template("wizard/_fields.html", **context), status
    return render_template("wizard/section.html", **context), status


# -- check your answers, send, receipt -------------------------------------------------


@bp.route("/antrag/<slug>/pruefen", methods=["GET", "POST"])
def review(slug: str):
    draft = _require(slug)
    lang = language()
    if request.method == "POST":  # confirmations of warnings
        try:
            if _stale(draft):
                raise Conflict()
            _take_confirmations(draft, _check(draft, lang).warnings)
            _drafts().save(draft, editor=_editor())
        except (Conflict, TooLarge):
            flash("conflict")
        return redirect(url_for("wizard.review", slug=slug))
    form = draft.published.form
    outcome, walk = form.check_walk(draft.answers, lang=lang, as_of=_today(), confirmations=draft.confirmations,
                                    channel="web")  # as applicant.check, and the walk to lay out the pages from
    sections = visible_sections(draft, outcome)
    rows = review_rows(form, outcome, sections, lang, walk=walk)
    discarded = [form.label_for(p, lang) for p in outcome.pruned]
    return render_template("wizard/review.html", draft=draft, editor=_editor(), outcome=outcome, rows=rows, discarded=discarded,
                           say=IssueNamer([page for _, page in rows], lang),
                           documents=requirements(draft, outcome) if form.kind != "estimate" else [],
                           kind=form.kind, apply_form=_application_form() if form.kind == "estimate" else None,
                           section_key=section_key, estimate=outcome.computed.get("/schaetzung"))


def _application_form():
    """Where an estimate's result links to apply: the published application
    form (the first by name when several are offered)."""
    forms = [f for f in current_app.extensions["formwerk.catalog"].current() if f.form.kind == "application"]
    return min(forms, key=lambda f: f.slug) if forms else None


@bp.app_template_global()
def kind_text(key: str, kind: str, **values) -> str:
    return wizard_texts.kind_text(key, kind, **values)


@bp.post("/antrag/<slug>/absenden")
def submit(slug: str):
    draft = _current(slug)
    if draft is None:
        abort(redirect(url_for("public.form_overview", slug=slug)))
    if draft.submitted:  # a double click, a replayed post, or a retry after a lost response
        return redirect(url_for("wizard.receipt_for_draft", slug=slug))
    if draft.published.form.kind == "estimate":  # an estimate is never sent: it ends on its result
        return redirect(url_for("wizard.review", slug=slug))
    ratelimit.enforce("submit")
    lang = language()
    outcome = None
    if request.form.get("confirmations_shown"):  # the review page's ticks come with "Absenden"
        shown = _check(draft, lang)
        ticked = list(draft.confirmations)
        _take_confirmations(draft, shown.warnings)
        try:
            if _stale(draft):
                raise Conflict()
            _drafts().save(draft, editor=_editor())
        except (Conflict, TooLarge):
            flash("conflict")
            return redirect(url_for("wizard.review", slug=slug))
        if draft.confirmations == ticked:
            outcome = shown  # the same answers and confirmations: the same check (DESIGN: one full check to send)
    if outcome is None:
        outcome = _check(draft, lang)
    if not outcome.can_submit:
        flash("cannot_submit_errors" if outcome.errors else "cannot_submit_unconfirmed")
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
    _remember_receipt(reference, status_token)
    return redirect(url_for("wizard.receipt", reference=reference))


def _remember_receipt(reference: str, status_token: str) -> None:
    """Keep the access code in this browser's session (the newest
    ``MAX_RECEIPTS`` only, so a shared PC's session stays small)."""
    receipts = dict(session.get("receipts") or {})
    receipts.pop(reference, None)
    receipts[reference] = status_token
    session["receipts"] = dict(list(receipts.items())[-MAX_RECEIPTS:])


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
    if reference not in (session.get("receipts") or {}):
        # The submission committed but its response never arrived (network drop,
        # proxy timeout, crash): the holder of the draft gets a fresh access code.
        status_token = secrets.token_urlsafe(16)
        with storage.session() as db:
            db.execute(update(Application).where(Application.reference == reference)
                       .values(status_token_hash=token_hash(status_token)).execution_options(synchronize_session=False))
        _remember_receipt(reference, status_token)
        flash("new_status_code")
    return redirect(url_for("wizard.receipt", reference=reference))


@bp.get("/eingang/<reference>")
def receipt(reference: str):
    application, token = _own_application(reference)
    lang = language()
    with current_app.extensions["formwerk.storage"].reader() as db:
        sent = submitted.load(db, application, lang)
        contact = submitted.contact_text(db, application, lang)
    return render_template("wizard/receipt.html", application=application, published=sent.published, rows=sent.rows,
                           sent=sent, contact=contact, kind=sent.published.form.kind, status_token=token)


@bp.get("/eingang/<reference>/bestaetigung.pdf")
def receipt_pdf(reference: str):
    from flask import Response

    from .receipt_pdf import render

    application, _ = _own_application(reference)
    lang = language()
    with current_app.extensions["formwerk.storage"].reader() as db:
        sent = submitted.load(db, application, lang)
        contact = submitted.contact_text(db, application, lang)
    body = render(application, sent.published, sent.rows, lang, sent=sent, contact=contact)
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
        ratelimit.enforce("status")
        reference = (request.form.get("reference") or "").strip().upper()
        token = (request.form.get("token") or "").strip()
        application = _application(reference, token)
        failed = application is None
    return render_template("wizard/status.html", application=application, failed=failed), (404 if failed else 200)
