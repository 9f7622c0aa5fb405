"""Signing in and out, the second factor, and one's own account (``/amt``)."""

from __future__ import annotations

import time

import pyotp
import segno
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user
from markupsafe import Markup

from .. import ratelimit
from . import audit
from .auth import (check_password, complete_login, home_for, logout, needs_second_factor, staff_required, totp_step,
                   use_totp)
from .forms import CodeForm, LoginForm, PasswordChangeForm
from .models import Office, StaffUser
from .passwords import hash_password, password_problem, verify_password

bp = Blueprint("accounts", __name__, url_prefix="/amt")

PENDING_SECONDS = 300
PENDING_TRIES = 5


def _storage():
    return current_app.extensions["formwerk.storage"]


#: sign-in attempts (password or code) per client address: (hits, seconds); configurable as
#: RATE_LIMITS["staff_login"], on top of the per-account lockout
LOGIN_LIMIT = (30, 900)


def _limit_attempts() -> None:
    factor = current_app.config.get("RATE_LIMIT_FACTOR", 1)
    if not factor:
        return
    limit, seconds = (current_app.config.get("RATE_LIMITS") or {}).get("staff_login", LOGIN_LIMIT)
    decision = ratelimit.hit("staff_login", max(1, int(limit * factor)), seconds)
    if not decision.allowed:
        from werkzeug.exceptions import TooManyRequests

        raise TooManyRequests(retry_after=decision.retry_after)


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site (never another origin) may follow sign-in."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


@bp.get("/")
@staff_required()
def home():
    return render_template("accounts/home.html")


@bp.route("/anmelden", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    error = None
    status = 200
    if request.method == "POST":
        _limit_attempts()
    if form.validate_on_submit():
        attempt = check_password(form.email.data, form.password.data)
        if attempt.result == "ok":
            account = attempt.account
            with _storage().reader() as db:
                office = db.get(Office, account.office_id)
            next_url = _safe_next(request.args.get("next"))
            if account.totp_secret or office.mfa_required:
                session["pending_login"] = {"id": account.id, "sv": account.session_version, "at": time.time(),
                                            "tries": 0, "next": next_url}
                if account.totp_secret:
                    return redirect(url_for("accounts.second_factor"))
                session["pending_login"]["secret"] = pyotp.random_base32()
                return redirect(url_for("accounts.second_factor_setup"))
            staff = complete_login(account.id)
            return redirect(next_url or home_for(staff))
        # one answer for a wrong password, an unknown address and a locked account: the page
        # must not tell which addresses have accounts
        error, status = "login_failed", 401
    elif request.method == "POST":
        error, status = "login_failed", 400
    return render_template("accounts/login.html", form=form, error=error), status


def _pending() -> dict:
    pending = session.get("pending_login")
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS or pending.get("tries", 0) >= PENDING_TRIES:
        session.pop("pending_login", None)
        flash("login_again")
        abort(redirect(url_for("accounts.login")))
    return pending


def _pending_account(pending: dict) -> StaffUser:
    with _storage().reader() as db:
        account = db.get(StaffUser, pending["id"])
    if account is None or not account.active or account.session_version != pending["sv"]:
        session.pop("pending_login", None)
        abort(redirect(url_for("accounts.login")))
    return account


@bp.route("/zweiter-faktor", methods=["GET", "POST"])
def second_factor():
    pending = _pending()
    account = _pending_account(pending)
    if not account.totp_secret:
        return redirect(url_for("accounts.second_factor_setup"))
    form = CodeForm()
    error = None
    if request.method == "POST":
        _limit_attempts()
    if form.validate_on_submit():
        if use_totp(account.id, account.totp_secret, form.code.data):
            session.pop("pending_login", None)
            staff = complete_login(account.id)
            return redirect(pending.get("next") or home_for(staff))
        pending["tries"] = pending.get("tries", 0) + 1
        session.modified = True
        error = "code_wrong"
    return render_template("accounts/second_factor.html", form=form, error=error), (400 if error else 200)


def _qr(uri: str) -> Markup:
    """The provisioning URI as an inline SVG QR code (no external request)."""
    svg = segno.make(uri, error="m").svg_inline(scale=4, dark="#0b0c0c", light="#ffffff")
    return Markup(svg)


@bp.route("/zweiter-faktor/einrichten", methods=["GET", "POST"])
def second_factor_setup():
    """Enrol a TOTP app: during sign-in when the office requires it, or later
    from the account page."""
    signed_in = current_user.is_authenticated
    required = signed_in and needs_second_factor(current_user)
    if signed_in:
        pending = session.setdefault("totp_enrol", {"secret": pyotp.random_base32()})
        account = current_user.account
    else:
        pending = _pending()
        account = _pending_account(pending)
        if account.totp_secret:
            return redirect(url_for("accounts.second_factor"))
    secret = pending["secret"]
    uri = pyotp.TOTP(secret).provisioning_uri(name=account.email, issuer_name="formwerk")
    form = CodeForm()
    error = None
    if form.validate_on_submit():
        step = totp_step(secret, form.code.data)
        if step is not None:
            with _storage().session() as db:
                row = db.get(StaffUser, account.id)
                row.totp_secret = secret
                row.totp_last_step = step  # the enrolment code cannot sign in again
                audit.record(db, "totp.enrolled", office_id=row.office_id, detail={"staff": row.email})
            if signed_in:
                session.pop("totp_enrol", None)
                flash("totp_enabled")
                return redirect(home_for(current_user) if required else url_for("accounts.account"))
            session.pop("pending_login", None)
            staff = complete_login(account.id)
            return redirect(pending.get("next") or home_for(staff))
        if not signed_in:
            pending["tries"] = pending.get("tries", 0) + 1
        session.modified = True
        error = "code_wrong"
    return render_template("accounts/totp_setup.html", form=form, error=error, secret=secret, qr=_qr(uri),
                           required=required), (400 if error else 200)


@bp.route("/konto", methods=["GET", "POST"])
@staff_required()
def account():
    form = PasswordChangeForm()
    error = None
    if form.validate_on_submit():
        problem = password_problem(form.new.data)
        if not verify_password(current_user.account.password_hash, form.current.data):
            error = "password_wrong"
        elif problem:
            error = problem
        else:
            with _storage().session() as db:
                row = db.get(StaffUser, current_user.account.id)
                row.password_hash = hash_password(form.new.data)
                row.session_version += 1  # every other session ends
                audit.record(db, "password.changed")
            complete_login(current_user.account.id)
            flash("password_changed")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/account.html", form=form, error=error), (400 if error else 200)


@bp.post("/abmelden")
def sign_out():
    logout(everywhere=False)
    flash("signed_out")
    return redirect(url_for("accounts.login"))


@bp.post("/ueberall-abmelden")
@staff_required()
def sign_out_everywhere():
    logout(everywhere=True)
    flash("signed_out_everywhere")
    return redirect(url_for("accounts.login"))
