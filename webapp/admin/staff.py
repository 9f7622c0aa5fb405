"""Staff accounts of the admin's office: list, create (with a one-time
initial password), change name, role and team, disable and enable, reset
the second factor or the password, end sessions.

Every change that alters what the account may do or how it signs in raises
its ``session_version``, which ends all of its sessions at their next request."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from wtforms import SelectChoice

from ..accounts import audit
from ..accounts.auth import staff_required
from ..accounts.models import StaffUser, Team
from ..accounts.passwords import hash_password
from . import bp
from .common import errors, generate_password, office_id, own_or_404, storage
from .forms import ActionForm, StaffCreateForm, StaffEditForm


def _teams(db) -> list[Team]:
    return db.scalars(select(Team).where(Team.office_id == office_id()).order_by(Team.name)).all()


def _team_choices(db) -> list[SelectChoice]:
    return [SelectChoice("", "adm_team_none")] + [SelectChoice(str(team.id), team.name) for team in _teams(db)]


def _team_id(value: str) -> int | None:
    return int(value) if value else None


@bp.get("/mitarbeitende")
@staff_required("admin")
def staff_list():
    with storage().reader() as db:
        accounts = db.scalars(select(StaffUser).where(StaffUser.office_id == office_id())
                              .order_by(StaffUser.name, StaffUser.email)).all()
        teams = {team.id: team.name for team in _teams(db)}
    return render_template("admin/staff_list.html", accounts=accounts, teams=teams)


@bp.route("/mitarbeitende/neu", methods=["GET", "POST"])
@staff_required("admin")
def staff_new():
    form = StaffCreateForm()
    with storage().reader() as db:
        form.team.choices = _team_choices(db)
    if form.validate_on_submit():
        chosen = form.password.data or None
        password = chosen or generate_password()
        try:
            with storage().session() as db:
                if db.scalar(select(StaffUser.id).where(StaffUser.email == form.email.data)) is not None:
                    raise IntegrityError("email", None, Exception("taken"))
                account = StaffUser(office_id=office_id(), team_id=_team_id(form.team.data), email=form.email.data,
                                    name=form.name.data, role=form.role.data, password_hash=hash_password(password),
                                    active=True, failed_logins=0, session_version=0)
                db.add(account)
                db.flush()
                audit.record(db, "staff.created", office_id=office_id(),
                             detail={"staff": account.id, "email": account.email, "role": account.role,
                                     "team": account.team_id, "password": "set" if chosen else "generated"})
        except IntegrityError:
            form.email.errors.append("adm_err_email_taken")
        else:
            return render_template("admin/password_shown.html", account=account, created=True,
                                   password=None if chosen else password)
    return render_template("admin/staff_new.html", form=form, errors=errors(form)), (400 if form.errors else 200)


def _account_or_404(db, staff_id: int) -> StaffUser:
    return own_or_404(db, StaffUser, staff_id)


@bp.route("/mitarbeitende/<int:staff_id>", methods=["GET", "POST"])
@staff_required("admin")
def staff_edit(staff_id: int):
    with storage().reader() as db:
        account = _account_or_404(db, staff_id)
        choices = _team_choices(db)
    form = StaffEditForm(data={"name": account.name, "role": account.role,
                               "team": str(account.team_id) if account.team_id else ""})
    form.team.choices = choices
    if form.validate_on_submit():
        is_self = account.id == current_user.account.id
        if is_self and form.role.data != account.role:
            form.role.errors.append("adm_err_self")
        else:
            with storage().session() as db:
                row = _account_or_404(db, staff_id)
                before = {"name": row.name, "role": row.role, "team": row.team_id}
                row.name, row.role, row.team_id = form.name.data, form.role.data, _team_id(form.team.data)
                after = {"name": row.name, "role": row.role, "team": row.team_id}
                powers_changed = before["role"] != after["role"] or before["team"] != after["team"]
                if powers_changed:
                    row.session_version += 1
                audit.record(db, "staff.updated", office_id=office_id(),
                             detail={"staff": row.id, "email": row.email, "from": before, "to": after})
            flash("adm_role_changed" if powers_changed else "adm_saved")
            return redirect(url_for("admin.staff_edit", staff_id=staff_id))
    return render_template("admin/staff_edit.html", account=account, form=form, action=ActionForm(),
                           errors=errors(form)), (400 if form.errors else 200)


def _act(staff_id: int, action: str, change, *, message: str, allow_self: bool = True):
    """Run a button's change on an account of the office (CSRF checked)."""
    if not ActionForm().validate_on_submit():
        abort(400)
    with storage().session() as db:
        row = _account_or_404(db, staff_id)
        if not allow_self and row.id == current_user.account.id:
            flash("adm_err_self")
            return redirect(url_for("admin.staff_edit", staff_id=staff_id))
        result = change(row)
        row.session_version += 1
        audit.record(db, action, office_id=office_id(), detail={"staff": row.id, "email": row.email})
    if message:
        flash(message)
    return result or redirect(url_for("admin.staff_edit", staff_id=staff_id))


@bp.post("/mitarbeitende/<int:staff_id>/sperren")
@staff_required("admin")
def staff_disable(staff_id: int):
    def change(row):
        row.active = False
    return _act(staff_id, "staff.disabled", change, message="adm_staff_disabled", allow_self=False)


@bp.post("/mitarbeitende/<int:staff_id>/entsperren")
@staff_required("admin")
def staff_enable(staff_id: int):
    def change(row):
        row.active = True
        row.failed_logins = 0
        row.locked_until = None
    return _act(staff_id, "staff.enabled", change, message="adm_staff_enabled")


@bp.post("/mitarbeitende/<int:staff_id>/zweiter-faktor")
@staff_required("admin")
def staff_reset_totp(staff_id: int):
    def change(row):
        row.totp_secret = None
    return _act(staff_id, "staff.totp_reset", change, message="adm_totp_reset")


@bp.post("/mitarbeitende/<int:staff_id>/sitzungen")
@staff_required("admin")
def staff_end_sessions(staff_id: int):
    return _act(staff_id, "staff.sessions_ended", lambda row: None, message="adm_sessions_ended")


@bp.post("/mitarbeitende/<int:staff_id>/passwort")
@staff_required("admin")
def staff_reset_password(staff_id: int):
    password = generate_password()
    shown = {}

    def change(row):
        row.password_hash = hash_password(password)
        row.failed_logins = 0
        row.locked_until = None
        shown["account"] = row
        return None

    response = _act(staff_id, "staff.password_reset", change, message="")
    if "account" not in shown:
        return response
    return render_template("admin/password_shown.html", account=shown["account"], created=False, password=password)
