"""The authors' studio at /studio: forms and their versions, the editor with
live lint, upload and export, explain, preview, cases, compare with the
migration report, four-eyes publishing, retiring, translations and history.

Authors change things; team leads see everything and may approve a proposed
version (never their own proposal: see ``versions.approve``). Every other
role gets 403, anonymous visitors are sent to the sign-in."""

from __future__ import annotations

import json
from datetime import date
from types import SimpleNamespace

from flask import (Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for)
from flask_login import current_user
from sqlalchemy import select

from engine.cases import run_case
from engine.diff import diff
from engine.errors import FormError
from engine.explain import explain
from engine.page import ItemList, build_page

from .. import answers as answer_ops
from ..accounts.auth import staff_required
from ..drafts import dumps
from ..fields import read_answers
from ..i18n import language
from ..storage import FormVersion
from . import bundle, migrate, translations, versions
from .checks import check_text

bp = Blueprint("studio", __name__, url_prefix="/studio")

AUTHORS = ("author",)
READERS = ("author", "teamlead")
LEADING_KEY = "allgemein"


def _storage():
    return current_app.extensions["formwerk.storage"]


def _row(db, vid: int) -> FormVersion:
    row = db.get(FormVersion, vid)
    if row is None:
        abort(404)
    return row


def _actor() -> int:
    return current_user.account.id


def _today() -> date:
    return current_app.config.get("FORMWERK_TODAY") or date.today()


def _refused(exc: versions.Refused) -> None:
    flash("studio_gate_refused" if exc.key.startswith("studio_gate_") else exc.key)


# -- forms and versions -------------------------------------------------------------


@bp.get("/")
@staff_required(*READERS)
def index():
    with _storage().reader() as db:
        forms = versions.overview(db)
    return render_template("studio/index.html", forms=forms)


@bp.post("/formulare/<slug>/entwurf")
@staff_required(*AUTHORS)
def new_draft(slug: str):
    with _storage().session() as db:
        base = versions.newest_published(db, slug) or db.scalar(
            select(FormVersion).where(FormVersion.slug == slug).order_by(FormVersion.id.desc()).limit(1))
        if base is None:
            abort(404)
        row = versions.new_draft(db, base, _actor())
        vid = row.id
    flash("studio_draft_created")
    return redirect(url_for("studio.edit", vid=vid))


@bp.get("/versionen/<int:vid>")
@staff_required(*READERS)
def version(vid: int):
    with _storage().reader() as db:
        row = _row(db, vid)
        listed = next(v for v in versions.overview(db)[row.slug] if v.row.id == vid)
        names = versions.staff_names(db, [row.created_by, row.proposed_by, row.approved_by])
    reasons = versions.gate(row) if row.status == versions.DRAFT else []
    return render_template("studio/version.html", row=row, listed=listed, names=names,
                           reasons=reasons, is_author=current_user.role in AUTHORS,
                           can_approve=row.proposed_by is not None and row.proposed_by != _actor())


# -- editing ---------------------------------------------------------------------------


@bp.route("/versionen/<int:vid>/bearbeiten", methods=["GET", "POST"])
@staff_required(*READERS)
def edit(vid: int):
    if request.method == "POST":
        if current_user.role not in AUTHORS:
            abort(403)
        text = request.form.get("source")
        if text is None:
            abort(400)
        with _storage().session() as db:
            row = _row(db, vid)
            if row.status != versions.DRAFT:
                abort(409)
            versions.save_text(db, row, text.replace("\r\n", "\n"))
        flash("studio_saved")
        return redirect(url_for("studio.edit", vid=vid))
    with _storage().reader() as db:
        row = _row(db, vid)
    text = row.source_text if row.source_text is not None else bundle.folder_of(row).form_text
    return render_template("studio/edit.html", row=row, text=text, checked=versions.check(row, text),
                           editable=row.status == versions.DRAFT and current_user.role in AUTHORS)


@bp.post("/versionen/<int:vid>/pruefen")
@staff_required(*AUTHORS)
def lint_live(vid: int):
    """Compile and lint the editor's text without saving (htmx, while typing)."""
    with _storage().reader() as db:
        row = _row(db, vid)
    text = request.form.get("source", "")
    return render_template("studio/_findings.html", row=row, checked=check_text(row.slug, text, versions.files_of(row)),
                           live=True)


@bp.route("/hochladen", methods=["GET", "POST"])
@staff_required(*AUTHORS)
def upload():
    with _storage().reader() as db:
        slugs = sorted(versions.overview(db))
    if request.method == "GET":
        return render_template("studio/upload.html", slugs=slugs, errors=[], checked=None)
    slug = (request.form.get("slug") or "").strip()
    if slug == "_neu":
        slug = (request.form.get("new_slug") or "").strip().lower()
    file = request.files.get("file")
    errors: list[tuple[str, str, dict]] = []
    if not versions.SLUG.match(slug):
        errors.append(("slug", "studio_upload_bad_slug", {}))
    if file is None or not file.filename:
        errors.append(("file", "studio_upload_missing", {}))
    folder = checked = None
    if not errors:
        try:
            folder = bundle.read_upload(file.filename, file.stream.read(bundle.MAX_UPLOAD_BYTES + 1))
        except bundle.UploadError as exc:
            errors.append(("file", exc.key, exc.values))
        finally:
            file.close()
    if folder is not None:
        checked = check_text(slug, folder.form_text, {})
        if checked.schema is None:
            errors.append(("file", "studio_upload_not_a_form", {}))
    if errors:
        return render_template("studio/upload.html", slugs=slugs, errors=errors, checked=checked), 422
    with _storage().session() as db:
        row = versions.from_upload(db, slug, folder, checked, _actor())
        vid = row.id
    flash("studio_uploaded")
    return redirect(url_for("studio.edit", vid=vid))


@bp.get("/versionen/<int:vid>/export.zip")
@staff_required(*READERS)
def export(vid: int):
    with _storage().session() as db:
        row = _row(db, vid)
        versions.record(db, row, "exported")
        data = bundle.to_zip(bundle.folder_of(row), row.slug)
        name = f"{row.slug}-v{row.number}.zip"
    return Response(data, mimetype="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


# -- explain, preview, cases -----------------------------------------------------------


def _compiled_or_none(row: FormVersion):
    try:
        return versions.compiled(row)
    except (FormError, RecursionError, KeyError, TypeError):
        return None


@bp.get("/versionen/<int:vid>/erklaerung")
@staff_required(*READERS)
def explanation(vid: int):
    with _storage().reader() as db:
        row = _row(db, vid)
    form = _compiled_or_none(row)
    if form is None:
        return render_template("studio/unusable.html", row=row), 409
    return render_template("studio/explain.html", row=row, de=explain(form, "de"), en=explain(form, "en"))


def _section_key(name: str) -> str:
    return name or LEADING_KEY


@bp.route("/versionen/<int:vid>/vorschau", methods=["GET", "POST"])
@staff_required(*READERS)
def preview(vid: int):
    with _storage().reader() as db:
        row = _row(db, vid)
    form = _compiled_or_none(row)
    if form is None:
        return render_template("studio/unusable.html", row=row), 409
    lang = language()
    answers: dict = {}
    problem = None
    as_of = _today()
    key = request.values.get("abschnitt") or _section_key(form.sections[0].name)
    if request.method == "POST":
        as_of_text = request.form.get("as_of", "")
        try:
            as_of = date.fromisoformat(as_of_text) if as_of_text else _today()
        except ValueError:
            problem = "studio_preview_bad_date"
        try:
            answers = json.loads(request.form.get("answers") or "{}", parse_float=_decimal)
            if not isinstance(answers, dict):
                raise ValueError
        except (ValueError, RecursionError):
            answers, problem = {}, "studio_preview_bad_json"
    name = "" if key == LEADING_KEY else key
    try:
        form.section(name)
    except KeyError:
        abort(404)
    action = request.form.get("action", "")
    if request.method == "POST" and problem is None and action != "json":
        page = build_page(form, answers, name, lang, as_of=as_of)
        for pointer, value in read_answers(page.questions(), request.form,
                                           text_limit=current_app.config["MAX_TEXT_LENGTH"]).items():
            answer_ops.set_at(answers, pointer, value)
        for node in page.nodes():
            if isinstance(node, ItemList) and action == f"add:{node.pointer}":
                answer_ops.append_item(answers, node.pointer)
            elif isinstance(node, ItemList) and action.startswith("remove:") and \
                    action[7:].rpartition("/")[0] == node.pointer:
                answer_ops.remove_item(answers, action[7:])
        goto = request.form.get("goto")
        if goto:
            key, name = goto, "" if goto == LEADING_KEY else goto
            try:
                form.section(name)
            except KeyError:
                abort(400)
    if request.method == "POST" and action == "case" and problem is None:
        return _save_case(row, form, answers, as_of, lang, key)
    outcome = form.check(answers, lang=lang, as_of=as_of)
    page = build_page(form, answers, name, lang, as_of=as_of)
    sections = [s for s in form.sections if any(s.contains(p) for p in outcome.relevant)]
    context = dict(draft=SimpleNamespace(revision=0), page=page, key=key, show_errors=True, notice=None,
                   fragment=False, position=None, total=len(sections), conditions=frozenset(),
                   action_url=url_for("studio.preview", vid=vid))
    return render_template("studio/preview.html", row=row, form=form, outcome=outcome, sections=sections,
                           answers_text=json.dumps(json.loads(dumps(answers)), ensure_ascii=False, indent=2),
                           as_of=as_of, problem=problem, section_key=_section_key, lang=lang,
                           can_save_case=row.status == versions.DRAFT and current_user.role in AUTHORS, **context)


def _decimal(text: str):
    from decimal import Decimal

    return Decimal(text)


def _save_case(row: FormVersion, form, answers: dict, as_of: date, lang: str, key: str):
    """The preview's answers and their current outcome as a new example case."""
    if current_user.role not in AUTHORS or row.status != versions.DRAFT:
        abort(403)
    name = (request.form.get("case_name") or "").strip()
    if not versions.CASE_NAME.match(name):
        flash("studio_case_bad_name")
        return redirect(url_for("studio.preview", vid=row.id, abschnitt=key))
    outcome = form.check(answers, as_of=as_of)
    case = {"description": request.form.get("case_description", "").strip()[:500] or None,
            "as_of": as_of.isoformat(), "answers": answers,
            "expect": {"valid": outcome.valid, "relevant": sorted(outcome.relevant), "pruned": sorted(outcome.pruned),
                       "error_paths": sorted({e.path for e in outcome.errors}),
                       "warnings": [{"path": w.path, "rule": w.rule} for w in outcome.warnings]}}
    if case["description"] is None:
        del case["description"]
    text = json.dumps(json.loads(dumps(case)), ensure_ascii=False, indent=2) + "\n"
    with _storage().session() as db:
        fresh = _row(db, row.id)
        cases = versions.cases_of(fresh)
        replaced = name in cases
        cases[name] = text
        versions.set_cases(db, fresh, cases, "case_saved", case=name, replaced=replaced)
    flash("studio_case_saved")
    return redirect(url_for("studio.cases", vid=row.id))


@bp.route("/versionen/<int:vid>/faelle", methods=["GET", "POST"])
@staff_required(*READERS)
def cases(vid: int):
    if request.method == "POST":  # delete a case
        if current_user.role not in AUTHORS:
            abort(403)
        name = request.form.get("delete", "")
        with _storage().session() as db:
            row = _row(db, vid)
            if row.status != versions.DRAFT:
                abort(409)
            found = versions.cases_of(row)
            if name not in found:
                abort(404)
            del found[name]
            versions.set_cases(db, row, found, "case_deleted", case=name)
        flash("studio_case_deleted")
        return redirect(url_for("studio.cases", vid=vid))
    with _storage().reader() as db:
        row = _row(db, vid)
    run = versions.run_cases(row)
    form = _compiled_or_none(row)
    actual = {}
    if form is not None:
        for result in run.results:
            case = run.cases.get(result.name)
            if not result.ok and isinstance(case, dict):
                actual[result.name] = _actual(form, case)
    return render_template("studio/cases.html", row=row, run=run, actual=actual,
                           editable=row.status == versions.DRAFT and current_user.role in AUTHORS)


def _actual(form, case: dict) -> str:
    """What the engine says now, in the shape of a case's ``expect``."""
    as_of = case.get("as_of")
    try:
        outcome = form.check(case.get("answers") or {}, lang=case.get("lang"),
                             as_of=date.fromisoformat(as_of) if as_of else None)
    except Exception as exc:  # shown, never raised
        return f"{type(exc).__name__}: {exc}"
    keys = set((case.get("expect") or {}).keys()) or {"valid", "relevant", "pruned", "error_paths"}
    shown = {"valid": outcome.valid, "relevant": sorted(outcome.relevant), "pruned": sorted(outcome.pruned),
             "error_paths": sorted({e.path for e in outcome.errors}),
             "errors": [{"path": e.path, "code": e.code} for e in outcome.errors],
             "warnings": [{"path": w.path, "rule": w.rule} for w in outcome.warnings],
             "documents": [{"id": d.id, "path": d.path} for d in outcome.documents]}
    return json.dumps({k: v for k, v in shown.items() if k in keys}, ensure_ascii=False, indent=2)


# -- compare, publish, migrate, retire ---------------------------------------------------


@bp.get("/versionen/<int:vid>/vergleich")
@staff_required(*READERS)
def compare(vid: int):
    with _storage().reader() as db:
        row = _row(db, vid)
        others = [v.row for v in versions.overview(db)[row.slug] if v.row.id != vid]
        chosen = request.args.get("mit", type=int)
        base = next((o for o in others if o.id == chosen), None) if chosen else None
        if base is None:
            base = next((o for o in others if o.status == versions.PUBLISHED), others[0] if others else None)
        new, old = _compiled_or_none(row), _compiled_or_none(base) if base is not None else None
        lang = language()
        changes = report = None
        if new is not None and old is not None:
            changes = diff(old, new, lang)
            report = migrate.report(db, base, row, lang, _today())
    return render_template("studio/compare.html", row=row, base=base, others=others, changes=changes, report=report,
                           unusable=new is None or (base is not None and old is None),
                           can_migrate=row.status == versions.PUBLISHED and base is not None
                           and base.status != versions.DRAFT and base.published_at < row.published_at
                           and current_user.role in AUTHORS)


def _act(vid: int, action, done_key: str):
    with _storage().session() as db:
        row = _row(db, vid)
        try:
            action(db, row)
        except versions.Refused as exc:
            db.rollback()
            _refused(exc)
            return redirect(url_for("studio.version", vid=vid))
    flash(done_key)
    return redirect(url_for("studio.version", vid=vid))


@bp.post("/versionen/<int:vid>/vorschlagen")
@staff_required(*AUTHORS)
def propose(vid: int):
    return _act(vid, lambda db, row: versions.propose(db, row, _actor()), "studio_proposed")


@bp.post("/versionen/<int:vid>/freigeben")
@staff_required(*READERS)
def approve(vid: int):
    return _act(vid, lambda db, row: versions.approve(db, row, _actor()), "studio_published")


@bp.post("/versionen/<int:vid>/ausser-dienst")
@staff_required(*AUTHORS)
def retire(vid: int):
    return _act(vid, versions.retire, "studio_retired")


@bp.post("/versionen/<int:vid>/verwerfen")
@staff_required(*AUTHORS)
def discard(vid: int):
    with _storage().session() as db:
        row = _row(db, vid)
        try:
            versions.discard(db, row)
        except versions.Refused as exc:
            db.rollback()
            _refused(exc)
            return redirect(url_for("studio.version", vid=vid))
    flash("studio_discarded")
    return redirect(url_for("studio.index"))


@bp.post("/versionen/<int:vid>/migrieren")
@staff_required(*AUTHORS)
def migrate_drafts(vid: int):
    source = request.form.get("von", type=int)
    with _storage().session() as db:
        row = _row(db, vid)
        old = db.get(FormVersion, source) if source else None
        if old is None or old.status == versions.DRAFT:
            abort(400)
        try:
            moved, affected = migrate.migrate(db, old, row, _today())
        except versions.Refused as exc:
            db.rollback()
            _refused(exc)
            return redirect(url_for("studio.compare", vid=vid, mit=source))
    flash("studio_migrated")
    return redirect(url_for("studio.compare", vid=vid, mit=source))


# -- translations and history ------------------------------------------------------------


@bp.route("/versionen/<int:vid>/uebersetzungen", methods=["GET", "POST"])
@staff_required(*READERS)
def translate(vid: int):
    with _storage().reader() as db:
        row = _row(db, vid)
    schema = json.loads(row.definition)["schema"]
    default, targets = translations.languages(schema)
    target = request.values.get("sprache") if request.values.get("sprache") in targets else targets[0]
    group = request.values.get("gruppe")
    if request.method == "POST":
        if current_user.role not in AUTHORS:
            abort(403)
        if row.status != versions.DRAFT:
            abort(409)
        edits = {k[3:]: v for k, v in request.form.items() if k.startswith("tr:")}
        with _storage().session() as db:
            fresh = _row(db, vid)
            schema = json.loads(fresh.definition)["schema"]
            changed = translations.apply(schema, target, edits)
            if changed:
                text = bundle.canonical(schema)
                versions.save_text(db, fresh, text)
                versions.record(db, fresh, "translated", lang=target, texts=changed)
        flash("studio_translated")
        return redirect(url_for("studio.translate", vid=vid, sprache=target, gruppe=group))
    every = translations.texts(schema, target)
    groups: dict[str, list] = {}
    for text in every:
        groups.setdefault(text.group, []).append(text)
    if group not in groups:
        group = next(iter(groups), translations.GENERAL)
    return render_template("studio/translations.html", row=row, groups=groups, group=group, target=target,
                           default=default, targets=targets, shown=groups.get(group, []),
                           missing=sum(t.missing for t in every),
                           editable=row.status == versions.DRAFT and current_user.role in AUTHORS)


@bp.get("/versionen/<int:vid>/verlauf")
@staff_required(*READERS)
def history(vid: int):
    with _storage().reader() as db:
        row = _row(db, vid)
        events = versions.history(db, row)
    return render_template("studio/history.html", row=row,
                           events=[(e, json.loads(e.detail or "{}")) for e in events])
