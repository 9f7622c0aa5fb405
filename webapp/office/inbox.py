"""The caseworkers' inbox (``/amt/faelle``): the applications of one's
scope, filtered, sorted and paged, and "assign to me".

Speed with a realistic office (100,000 applications) comes from three
choices: only the inbox columns are read (never the stored answers), pages
are found by keyset (the last row's sort key travels in the link, so page
50 costs what page 1 costs), and the count is capped. The sort orders match
the indexes of migrations 0003 and 0008.

The same URL serves the whole page or, for htmx (``HX-Request``), only the
result list; every control is a plain link or form, so the page works
without JavaScript."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal, InvalidOperation
from urllib.parse import parse_qsl, urlencode

from flask import current_app, flash, get_flashed_messages, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import and_, case, false, func, or_, select

from ..accounts import audit
from ..accounts.auth import staff_required
from ..accounts.models import StaffUser
from ..storage import Application, FormVersion
from . import access, bp, search, workflow

PAGE_SIZE = 25
#: the count stops here ("more than 1,000"): counting a whole office costs a full scan
COUNT_LIMIT = 1000
SORTS = ("received", "age", "quick", "status", "estimate")
FLAGS = ("complete", "warnings", "missing", "overdue", "over_target")
#: the query keys the inbox understands (anything else in a link is dropped)
KEYS = ("status", "flag", "assignee", "from", "to", "q", "sort", "after")

_STATUS_RANK = case({state: rank for rank, state in enumerate(workflow.STATES)}, value=Application.status, else_=99)


def today() -> date:
    """The office's today (tests pin it with ``FORMWERK_TODAY``)."""
    return current_app.config.get("FORMWERK_TODAY") or date.today()


def age_days(submitted_at: datetime, on: date) -> int:
    return max((on - submitted_at.date()).days, 0)


def staff_names(db, office_id: int) -> dict[int, str]:
    """Names of the office's staff by id (for assignees and filters)."""
    rows = db.execute(select(StaffUser.id, StaffUser.name).where(StaffUser.office_id == office_id)).all()
    return {row.id: row.name for row in rows}


def case_staff(db, office_id: int) -> list[tuple[int, str]]:
    """Active caseworkers and team leads of the office: who can be assigned."""
    rows = db.execute(select(StaffUser.id, StaffUser.name)
                      .where(StaffUser.office_id == office_id, StaffUser.active.is_(True),
                             StaffUser.role.in_(access.CASE_ROLES))
                      .order_by(StaffUser.name)).all()
    return [(row.id, row.name) for row in rows]


def form_labels(db, version_ids, lang: str) -> dict[int, str]:
    """"Title, version" of each form version; titles are cached per version,
    because a published version never changes."""
    cache = current_app.extensions.setdefault("formwerk.office.form_titles", {})
    missing = [v for v in set(version_ids) if (v, lang) not in cache]
    if missing:
        catalog = current_app.extensions["formwerk.catalog"]
        rows = db.execute(select(FormVersion.id, FormVersion.slug, FormVersion.version)
                          .where(FormVersion.id.in_(missing))).all()
        for row in rows:
            published = catalog.version(row.id)
            title = published.form.title(lang) if published is not None else row.slug
            cache[(row.id, lang)] = f"{title}, {row.version}"
    return {v: cache.get((v, lang), "") for v in version_ids}


# -- filters ----------------------------------------------------------------------

@dataclass
class Filters:
    status: str = "offen"
    flag: str = ""
    assignee: str = ""
    date_from: date | None = None
    date_to: date | None = None
    q: str = ""
    sort: str = "received"
    after: list | None = None
    #: (field id, text key) of each refused input
    errors: list[tuple[str, str]] = field(default_factory=list)
    raw: dict[str, str] = field(default_factory=dict)

    def query(self, **changes) -> dict[str, str]:
        """The filters as link parameters (without the page cursor), with ``changes``."""
        args = {k: v for k, v in self.raw.items() if k != "after" and v}
        args.update({k: v for k, v in changes.items()})
        return {k: v for k, v in args.items() if v}


def _date(raw: str, field_id: str, errors: list) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        errors.append((field_id, "inbox_bad_date"))
        return None


def parse_filters(args) -> Filters:
    """Read the inbox's query string; refused values fall back to the default
    (and dates that cannot be read are named in an error message)."""
    raw = {key: (args.get(key) or "").strip()[:200] for key in KEYS}
    f = Filters(raw=raw)
    status = raw["status"]
    f.status = status if status in ("offen", "alle") or status in workflow.STATES else "offen"
    f.flag = raw["flag"] if raw["flag"] in FLAGS else ""
    assignee = raw["assignee"]
    f.assignee = assignee if assignee in ("mine", "none") or (assignee.isdigit() and len(assignee) < 12) else ""
    f.date_from = _date(raw["from"], "f-from", f.errors)
    f.date_to = _date(raw["to"], "f-to", f.errors)
    if f.date_from and f.date_to and f.date_to < f.date_from:
        f.errors.append(("f-to", "inbox_bad_range"))
        f.date_to = None
    f.q = " ".join(raw["q"].split())[:100]
    f.sort = raw["sort"] if raw["sort"] in SORTS else "received"
    if raw["after"]:
        f.after = decode_cursor(raw["after"], f.sort)
        if f.after is None:
            f.errors.append(("inbox-results", "inbox_bad_cursor"))
    return f


# -- keyset pagination ------------------------------------------------------------

def _order(sort: str):
    """[(column, descending)] of a sort order; the last is always the id."""
    a = Application
    return {
        "received": [(a.submitted_at, True), (a.id, True)],
        "age": [(a.submitted_at, False), (a.id, False)],
        "quick": [(a.complete, True), (a.submitted_at, False), (a.id, False)],
        "status": [(_STATUS_RANK, False), (a.submitted_at, False), (a.id, False)],
        "estimate": [(a.estimate, True), (a.id, True)],
    }[sort]


def _key_of(row, sort: str) -> list:
    return {
        "received": lambda: [row.submitted_at, row.id],
        "age": lambda: [row.submitted_at, row.id],
        "quick": lambda: [bool(row.complete), row.submitted_at, row.id],
        "status": lambda: [workflow_rank(row.status), row.submitted_at, row.id],
        "estimate": lambda: [row.estimate, row.id],
    }[sort]()


def workflow_rank(status: str) -> int:
    return list(workflow.STATES).index(status) if status in workflow.STATES else 99


def encode_cursor(values: list) -> str:
    plain = [v.isoformat() if isinstance(v, datetime) else str(v) if isinstance(v, Decimal) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(text: str, sort: str) -> list | None:
    """The sort key a page link carries, typed for the sort order; None when
    it cannot be read (a mangled or forged link)."""
    try:
        values = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (ValueError, TypeError):
        return None
    kinds = {"received": "ti", "age": "ti", "quick": "bti", "status": "iti", "estimate": "ni"}[sort]
    if not isinstance(values, list) or len(values) != len(kinds):
        return None
    typed = []
    for kind, value in zip(kinds, values):
        try:
            if kind == "t" and isinstance(value, str):
                typed.append(datetime.fromisoformat(value))
            elif kind == "i" and isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**62:
                typed.append(value)
            elif kind == "b" and isinstance(value, bool):
                typed.append(value)
            elif kind == "n" and (value is None or isinstance(value, str)):
                typed.append(None if value is None else Decimal(value))
                if typed[-1] is not None and not typed[-1].is_finite():
                    return None
            else:
                return None
        except (ValueError, InvalidOperation):
            return None
    return typed


def _after(sort: str, key: list):
    """Rows strictly after ``key`` in the sort order."""
    order = _order(sort)
    if sort == "estimate":  # NULL estimates come last
        estimate, last_id = key
        if estimate is None:
            return and_(Application.estimate.is_(None), Application.id < last_id)
        return or_(Application.estimate < estimate,
                   and_(Application.estimate == estimate, Application.id < last_id),
                   Application.estimate.is_(None))
    clauses = []
    for i, (column, descending) in enumerate(order):
        equal = [c == v for (c, _), v in zip(order[:i], key[:i])]
        if isinstance(key[i], bool):  # SQL has no "<" for booleans: False < True spelled out
            beyond = column == (not key[i]) if key[i] == descending else false()
        else:
            beyond = column < key[i] if descending else column > key[i]
        clauses.append(and_(*equal, beyond))
    return or_(*clauses)


def _ordering(sort: str, dialect: str):
    if sort == "estimate":  # NULLs last: SQLite sorts NULL lowest anyway (and then uses the index)
        estimate = Application.estimate.desc()
        return [estimate.nulls_last() if dialect != "sqlite" else estimate, Application.id.desc()]
    return [c.desc() if d else c.asc() for c, d in _order(sort)]


# -- the query --------------------------------------------------------------------

COLUMNS = (Application.id, Application.reference, Application.submitted_at, Application.form_version_id,
           Application.applicant_name, Application.household_size, Application.estimate,
           Application.confirmed_warnings, Application.missing_documents, Application.complete,
           Application.request_deadline, Application.status, Application.assignee_id, Application.lock_version)


def filtered(f: Filters, *, staff_id: int, on: date, target_days: int):
    """The scoped, filtered query (no order, no cursor)."""
    query = access.scope(select(*COLUMNS))
    if f.status == "offen":
        query = query.where(Application.status.in_(sorted(workflow.OPEN_STATES)))
    elif f.status != "alle":
        query = query.where(Application.status == f.status)
    if f.flag == "complete":
        query = query.where(Application.complete.is_(True))
    elif f.flag == "warnings":
        query = query.where(Application.confirmed_warnings > 0)
    elif f.flag == "missing":
        query = query.where(Application.missing_documents > 0)
    elif f.flag == "overdue":
        query = query.where(Application.request_deadline < on)
    elif f.flag == "over_target":
        limit = datetime.combine(on - timedelta(days=target_days), time.min, tzinfo=timezone.utc)
        query = query.where(Application.status.in_(sorted(workflow.OPEN_STATES)), Application.submitted_at < limit)
    if f.assignee == "mine":
        query = query.where(Application.assignee_id == staff_id)
    elif f.assignee == "none":
        query = query.where(Application.assignee_id.is_(None))
    elif f.assignee:
        query = query.where(Application.assignee_id == int(f.assignee))
    if f.date_from:
        query = query.where(Application.submitted_at >= datetime.combine(f.date_from, time.min, tzinfo=timezone.utc))
    if f.date_to:
        query = query.where(Application.submitted_at
                            < datetime.combine(f.date_to + timedelta(days=1), time.min, tzinfo=timezone.utc))
    if f.q:
        text = f.q.lower()
        if text.upper().startswith("FW-") and " " not in text:
            query = query.where(Application.reference == f.q.upper())  # the unique index answers at once
        else:  # every word starts a word of the name ("becker ali" finds "Becker, Ali"), by index (office/search.py)
            wanted = search.words(f.q)[:5]
            if not wanted:
                query = query.where(false())
            for word in wanted:
                query = query.where(Application.id.in_(search.matching(word)))
    return query


@dataclass
class Row:
    """One line of the inbox, ready to show."""

    id: int
    reference: str
    submitted_at: datetime
    form: str
    applicant_name: str
    household_size: int | None
    estimate: Decimal | None
    confirmed_warnings: int
    missing_documents: int
    complete: bool
    overdue: bool
    status: str
    assignee_id: int | None
    assignee: str
    lock_version: int
    age: int
    over_target: bool


@dataclass
class Page:
    rows: list[Row]
    count: int
    more_than: bool
    next_cursor: str | None


def load_page(db, f: Filters, *, staff_id: int, office_id: int, target_days: int, lang: str) -> Page:
    on = today()
    base = filtered(f, staff_id=staff_id, on=on, target_days=target_days)
    query = base.order_by(*_ordering(f.sort, db.get_bind().dialect.name)).limit(PAGE_SIZE + 1)
    if f.after is not None:
        query = query.where(_after(f.sort, f.after))
    found = db.execute(query).all()
    more = len(found) > PAGE_SIZE
    found = found[:PAGE_SIZE]
    if f.after is None and not more:
        counted = len(found)  # the first page holds them all: no second scan for a rare filter
    else:
        counted = db.scalar(select(func.count()).select_from(
            base.with_only_columns(Application.id).limit(COUNT_LIMIT + 1).subquery()))
    names = staff_names(db, office_id) if found else {}
    forms = form_labels(db, [r.form_version_id for r in found], lang)
    rows = []
    for r in found:
        age = age_days(r.submitted_at, on)
        rows.append(Row(
            id=r.id, reference=r.reference, submitted_at=r.submitted_at, form=forms.get(r.form_version_id, ""),
            applicant_name=r.applicant_name, household_size=r.household_size, estimate=r.estimate,
            confirmed_warnings=r.confirmed_warnings, missing_documents=r.missing_documents, complete=bool(r.complete),
            overdue=r.request_deadline is not None and r.request_deadline < on, status=r.status,
            assignee_id=r.assignee_id, assignee=names.get(r.assignee_id, "") if r.assignee_id else "",
            lock_version=r.lock_version, age=age,
            over_target=r.status in workflow.OPEN_STATES and age > target_days))
    cursor = encode_cursor(_key_of(found[-1], f.sort)) if more and found else None
    return Page(rows, min(counted, COUNT_LIMIT), counted > COUNT_LIMIT, cursor)


def _count_text(page: Page) -> str:
    from ..i18n import text

    if page.more_than:
        return text("inbox_count_many", n=f"{COUNT_LIMIT:,}".replace(",", "."))
    return text("inbox_count_one") if page.count == 1 else text("inbox_count", n=page.count)


def wants_fragment() -> bool:
    """An htmx request for the result list (not a history restore, which needs the page)."""
    return request.headers.get("HX-Request") == "true" and not request.headers.get("HX-History-Restore-Request")


# -- views ------------------------------------------------------------------------

@bp.get("/amt/faelle")
@staff_required(*access.CASE_ROLES)
def inbox():
    from ..i18n import language

    lang = language()
    f = parse_filters(request.args)
    if f.after is None and f.raw.get("after"):
        f.raw["after"] = ""
    staff = current_user.account
    storage = current_app.extensions["formwerk.storage"]
    with storage.reader() as db:
        page = load_page(db, f, staff_id=staff.id, office_id=staff.office_id,
                         target_days=current_user.office.target_days, lang=lang)
        assignees = case_staff(db, staff.office_id)
    context = dict(filters=f, page=page, count_text=_count_text(page), assignees=assignees, states=workflow.STATES, sorts=SORTS, flags=FLAGS,
                   target_days=current_user.office.target_days, me=staff.id, label=workflow.label,
                   back=urlencode(f.query(after=f.raw.get("after", ""))),
                   focus=request.args.get(FOCUS, "")[:32] if wants_fragment() else "")
    if wants_fragment():  # htmx swaps only 2xx answers: errors show inside the fragment
        response = current_app.make_response(render_template("office/_inbox_table.html", fragment=True,
                                                              messages=get_flashed_messages(), **context))
    else:
        status = 400 if any(key in ("inbox_bad_date", "inbox_bad_range") for _, key in f.errors) else 200
        response = current_app.make_response((render_template("office/inbox.html", **context), status))
    response.vary.add("HX-Request")
    return response


def posted_lock_version() -> int | None:
    """The ``lock_version`` a form carried (the version its page showed), or None."""
    raw = request.form.get("lock_version", "")
    return int(raw) if raw.isdigit() and len(raw) < 12 else None


#: the inbox row whose control a swapped-in result list focuses (htmx only): after
#: "assign to me" the button the caseworker pressed is gone, and focus would
#: fall back to the page's start; it lands on the row's updated assignee instead
FOCUS = "fokus"


def _return_url(reference: str) -> str:
    """Where a post from the inbox or the case page goes back to (only these two).
    An htmx post from the inbox comes back with the row to focus."""
    back = request.form.get("return_to", "")
    if back == "case":
        return url_for("office.case", reference=reference)
    args = {k: v for k, v in parse_qsl(back[:2000]) if k in KEYS}
    if request.headers.get("HX-Request") == "true":
        args[FOCUS] = reference
    return url_for("office.inbox", **args)


@bp.post("/amt/faelle/<reference>/zuweisen")
@staff_required(*access.CASE_ROLES)
def assign(reference: str):
    """Assign the case to oneself (optimistic lock: a concurrent change wins)."""
    version = posted_lock_version()
    storage = current_app.extensions["formwerk.storage"]
    target = None
    try:
        with storage.session() as db:
            application = access.case_or_404(db, reference, action=None)
            target = _return_url(application.reference)
            if version is None:
                flash("case_bad_version")
                return redirect(target, 303)
            previous = application.assignee_id
            workflow.bump(db, application, version)
            application.assignee_id = current_user.account.id
            audit.record(db, "case.assign", reference=application.reference, office_id=application.office_id,
                         detail={"from": previous, "to": current_user.account.id})
    except workflow.Conflict:
        flash("case_conflict")
        return redirect(target, 303)
    flash("inbox_assigned")
    return redirect(target, 303)



def init_app(app) -> None:
    """Texts and the navigation entry of the inbox and the case file."""
    from .. import i18n
    from ..accounts import add_nav
    from .texts import TEXTS

    i18n.register(TEXTS)
    add_nav(app, "office.inbox", "nav_inbox", ("caseworker", "teamlead"))
