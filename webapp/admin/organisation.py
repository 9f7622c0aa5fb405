"""How applications reach the office and its teams: teams with their
surname ranges (Buchstabenverteilung), and the office's postcode areas
(five-digit ranges that overlap no other area, of this office or another)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from ..accounts import audit
from ..accounts.auth import staff_required
from ..accounts.models import Office, PostcodeArea, StaffUser, Team, TeamRange
from ..accounts.routing import in_range
from . import bp
from .common import errors, office_id, own_or_404, storage
from .forms import ActionForm, PostcodeForm, TeamForm, letters_text, parse_letters


# -- teams ----------------------------------------------------------------------------------------------------------

def _team_rows(db):
    teams = db.scalars(select(Team).where(Team.office_id == office_id()).order_by(Team.name)).all()
    ranges = {}
    for letters in db.scalars(select(TeamRange).join(Team, Team.id == TeamRange.team_id)
                              .where(Team.office_id == office_id()).order_by(TeamRange.id)):
        ranges.setdefault(letters.team_id, []).append(letters)
    members = {}
    for account in db.scalars(select(StaffUser).where(StaffUser.office_id == office_id(),
                                                      StaffUser.team_id.is_not(None))):
        members[account.team_id] = members.get(account.team_id, 0) + 1
    return [(team, letters_text(ranges.get(team.id, [])), members.get(team.id, 0)) for team in teams]


def _name_taken(db, name: str, except_id: int | None = None) -> bool:
    query = select(Team.id).where(Team.office_id == office_id(), Team.name == name)
    if except_id is not None:
        query = query.where(Team.id != except_id)
    return db.scalar(query) is not None


class _Overlap(Exception):
    """The submitted letters overlap another team's range of this office (rolled back)."""

    def __init__(self, entry):
        super().__init__()
        self.entry = entry


def _letters_clash(db, ranges, except_id: int | None = None):
    """The first range of another team of this office that shares a surname
    with one of ``ranges``, as an error entry; None if they are all free.

    A range first–last covers every name from ``first`` up to anything that
    starts with ``last``; two such ranges overlap exactly when the later
    start lies inside the other range, which :func:`in_range` tells."""
    query = (select(Team, TeamRange).join(TeamRange, TeamRange.team_id == Team.id)
             .where(Team.office_id == office_id()).order_by(Team.name, TeamRange.first))
    if except_id is not None:
        query = query.where(Team.id != except_id)
    others = db.execute(query).all()
    for first, last in ranges:
        for team, letters in others:
            if in_range(first, letters.first, letters.last) or in_range(letters.first, first, last):
                return ("adm_err_letters_overlap", {
                    "range": f"{first.capitalize()}-{last.capitalize()}", "team": team.name,
                    "first": letters.first.capitalize(), "last": letters.last.capitalize()})
    return None


def _checked_ranges(db, form, except_id: int | None = None) -> list[tuple[str, str]]:
    """The team form's surname ranges, once its name is free in the office and
    none of its ranges overlaps another team's; raises IntegrityError (name
    taken) or :class:`_Overlap` otherwise. ``except_id``: the team being edited."""
    if _name_taken(db, form.name.data, except_id=except_id):
        raise IntegrityError("team", None, Exception("taken"))
    ranges = parse_letters(form.letters.data)
    clash = _letters_clash(db, ranges, except_id=except_id)
    if clash is not None:
        raise _Overlap(clash)
    return ranges


def _save_team(form, change) -> bool:
    """Run ``change(db)`` in one transaction; a taken name or overlapping
    letters become the form's errors (nothing is saved). True when saved."""
    try:
        with storage().session() as db:
            change(db)
    except IntegrityError:
        form.name.errors.append("adm_err_team_taken")
        return False
    except _Overlap as overlap:
        form.letters.errors.append(overlap.entry)
        return False
    flash("adm_saved")
    return True


@bp.route("/teams", methods=["GET", "POST"])
@staff_required("admin")
def teams():
    form = TeamForm()
    if form.validate_on_submit():
        def create(db):
            ranges = _checked_ranges(db, form)
            team = Team(office_id=office_id(), name=form.name.data)
            db.add(team)
            db.flush()
            for first, last in ranges:
                db.add(TeamRange(team_id=team.id, first=first, last=last))
            audit.record(db, "team.created", office_id=office_id(),
                         detail={"team": team.id, "name": team.name, "letters": ranges})

        if _save_team(form, create):
            return redirect(url_for("admin.teams"))
    with storage().reader() as db:
        rows = _team_rows(db)
    return render_template("admin/teams.html", rows=rows, form=form, errors=errors(form)), (
        400 if form.errors else 200)


@bp.route("/teams/<int:team_id>", methods=["GET", "POST"])
@staff_required("admin")
def team_edit(team_id: int):
    with storage().reader() as db:
        team = own_or_404(db, Team, team_id)
        current = db.scalars(select(TeamRange).where(TeamRange.team_id == team.id).order_by(TeamRange.id)).all()
    form = TeamForm(data={"name": team.name, "letters": letters_text(current)})
    if form.validate_on_submit():
        def edit(db):
            row = own_or_404(db, Team, team_id)
            ranges = _checked_ranges(db, form, except_id=row.id)
            before = {"name": row.name, "letters": letters_text(current)}
            row.name = form.name.data
            for old in db.scalars(select(TeamRange).where(TeamRange.team_id == row.id)):
                db.delete(old)
            for first, last in ranges:
                db.add(TeamRange(team_id=row.id, first=first, last=last))
            audit.record(db, "team.updated", office_id=office_id(),
                         detail={"team": row.id, "from": before, "to": {"name": row.name, "letters": ranges}})

        if _save_team(form, edit):
            return redirect(url_for("admin.teams"))
    return render_template("admin/team_edit.html", team=team, form=form, action=ActionForm(),
                           errors=errors(form)), (400 if form.errors else 200)


@bp.post("/teams/<int:team_id>/loeschen")
@staff_required("admin")
def team_delete(team_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    with storage().session() as db:
        team = own_or_404(db, Team, team_id)
        # members lose the team's cases: their sessions end so that nothing stale stays open
        db.execute(update(StaffUser).where(StaffUser.team_id == team.id)
                   .values(team_id=None, session_version=StaffUser.session_version + 1)
                   .execution_options(synchronize_session=False))
        audit.record(db, "team.deleted", office_id=office_id(), detail={"team": team.id, "name": team.name})
        db.delete(team)
    flash("adm_deleted")
    return redirect(url_for("admin.teams"))


# -- postcode areas -------------------------------------------------------------------------------------------------

def _overlap(db, first: str, last: str) -> PostcodeArea | None:
    return db.scalar(select(PostcodeArea).where(PostcodeArea.first <= last, PostcodeArea.last >= first)
                     .order_by(PostcodeArea.office_id != office_id(), PostcodeArea.first).limit(1))


@bp.route("/postleitzahlen", methods=["GET", "POST"])
@staff_required("admin")
def postcodes():
    form = PostcodeForm()
    if form.validate_on_submit():
        first, last = form.first.data, form.last.data or form.first.data
        with storage().session() as db:
            clash = _overlap(db, first, last)
            if clash is None:
                area = PostcodeArea(office_id=office_id(), first=first, last=last)
                db.add(area)
                db.flush()
                audit.record(db, "postcode_area.created", office_id=office_id(),
                             detail={"area": area.id, "first": first, "last": last})
        if clash is None:
            flash("adm_saved")
            return redirect(url_for("admin.postcodes"))
        if clash.office_id == office_id():
            form.first.errors.append(("adm_err_overlap_own", {"first": clash.first, "last": clash.last}))
        else:
            form.first.errors.append("adm_err_overlap_other")
    with storage().reader() as db:
        areas = db.scalars(select(PostcodeArea).where(PostcodeArea.office_id == office_id())
                           .order_by(PostcodeArea.first)).all()
        office = db.get(Office, office_id())
    return render_template("admin/postcodes.html", areas=areas, office=office, form=form, action=ActionForm(),
                           errors=errors(form)), (400 if form.errors else 200)


@bp.post("/postleitzahlen/<int:area_id>/loeschen")
@staff_required("admin")
def postcode_delete(area_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    with storage().session() as db:
        area = own_or_404(db, PostcodeArea, area_id)
        audit.record(db, "postcode_area.deleted", office_id=office_id(),
                     detail={"area": area.id, "first": area.first, "last": area.last})
        db.delete(area)
    flash("adm_deleted")
    return redirect(url_for("admin.postcodes"))
