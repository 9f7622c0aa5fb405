"""Staff sign-in with Flask-Login: who is signed in, with which role, in
which office; lockout after failed attempts; the optional second factor.

The login session carries ``"<staff id>:<session_version>"``; raising an
account's ``session_version`` (log out everywhere, disabling, a role change,
a new password) ends every session of that account at its next request."""

from __future__ import annotations

import functools
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pyotp
from flask import abort, current_app, redirect, request, session, url_for
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from sqlalchemy import or_, select, update

from .. import sessions
from ..storage import utcnow
from . import audit
from .models import Office, StaffUser
from .passwords import hash_password, needs_rehash, verify_password

login_manager = LoginManager()
login_manager.login_view = "accounts.login"
login_manager.login_message = None  # the login page says why on its own

#: failed attempts before the account locks; each further failure doubles the lock
LOCK_AFTER = 5
LOCK_BASE = timedelta(minutes=1)
LOCK_MAX = timedelta(hours=1)


@dataclass
class Staff(UserMixin):
    """The signed-in member of staff, as Flask-Login sees them."""

    account: StaffUser
    office: Office

    def get_id(self) -> str:
        return f"{self.account.id}:{self.account.session_version}"

    @property
    def role(self) -> str:
        return self.account.role

    def has_role(self, *roles: str) -> bool:
        return self.account.role in roles


def _storage():
    return current_app.extensions["formwerk.storage"]


@login_manager.user_loader
def _load(user_id: str) -> Staff | None:
    staff_id, _, version = user_id.partition(":")
    if not staff_id.isdigit() or not version.lstrip("-").isdigit():
        return None
    with _storage().reader() as db:
        account = db.get(StaffUser, int(staff_id))
        if account is None or not account.active or account.session_version != int(version):
            return None
        office = db.get(Office, account.office_id)
    return Staff(account, office)


@login_manager.unauthorized_handler
def _unauthorized():
    if request.path.startswith("/api/"):
        abort(401)
    return redirect(url_for("accounts.login", next=request.full_path if request.method == "GET" else None))


def staff_required(*roles: str):
    """Only signed-in staff with one of ``roles`` (any role when none is given)."""

    def decorate(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if roles and not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorate


#: what a member of staff may still reach while their office requires a second
#: factor they have not set up: the set-up page itself and signing out
SECOND_FACTOR_EXEMPT = ("accounts.second_factor_setup", "accounts.sign_out", "static")


def needs_second_factor(staff) -> bool:
    """Signed in without a second factor although the office requires one
    (the office made it mandatory after this member of staff signed in)."""
    return bool(staff.office.mfa_required) and not staff.account.totp_secret


def require_second_factor():
    """Before every request: staff whose office requires a second factor they
    have not set up are sent to set it up first, whatever they asked for
    (also the admin who has just made it mandatory). The sign-in itself
    already leads there; this catches sessions that began before."""
    endpoint = request.endpoint or ""
    if endpoint in SECOND_FACTOR_EXEMPT or endpoint.endswith(".static"):
        return None
    if not current_user.is_authenticated or not needs_second_factor(current_user):
        return None
    target = url_for("accounts.second_factor_setup")
    if request.headers.get("HX-Request") == "true":  # htmx would swap the set-up page into a fragment
        response = current_app.make_response(("", 204))
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target, 303)


def rotate_session() -> None:
    """A new session id at sign-in and sign-out (against session fixation),
    keeping only the language."""
    lang = session.get("lang")
    sessions.end({"lang": lang} if lang else None)


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


@dataclass
class Attempt:
    """What a password check decided: ``ok``, ``locked`` (until when) or ``failed``."""

    result: str
    account: StaffUser | None = None
    locked_until: datetime | None = None


def check_password(email: str, password: str) -> Attempt:
    """Verify a sign-in and count failures: after ``LOCK_AFTER`` failures the
    account is locked for a time that doubles with every further failure."""
    email = email.strip().lower()[:254]
    now = utcnow()
    with _storage().session() as db:
        account = db.scalar(select(StaffUser).where(StaffUser.email == email))
        locked = _aware(account.locked_until) if account is not None else None
        if locked is not None and locked > now:
            verify_password(None, password)  # same cost as a real check
            return Attempt("locked", None, locked)
        if account is None or not account.active or not verify_password(account.password_hash, password):
            if account is not None:
                account.failed_logins += 1
                extra = account.failed_logins - LOCK_AFTER
                if extra >= 0:
                    account.locked_until = now + min(LOCK_BASE * (2 ** min(extra, 12)), LOCK_MAX)
                audit.record(db, "login.failed", office_id=account.office_id,
                             detail={"email": email, "failed_logins": account.failed_logins})
            return Attempt("failed")
        if needs_rehash(account.password_hash):
            account.password_hash = hash_password(password)
        return Attempt("ok", account)


def complete_login(account_id: int) -> Staff:
    """Sign in (after password and, where needed, the second factor)."""
    with _storage().session() as db:
        account = db.get(StaffUser, account_id)
        account.failed_logins = 0
        account.locked_until = None
        account.last_login_at = utcnow()
        office = db.get(Office, account.office_id)
    rotate_session()
    staff = Staff(account, office)
    login_user(staff)
    with _storage().session() as db:
        audit.record(db, "login", office_id=account.office_id)
    return staff


def logout(everywhere: bool = False) -> None:
    if current_user.is_authenticated:
        with _storage().session() as db:
            if everywhere:
                account = db.get(StaffUser, current_user.account.id)
                account.session_version += 1
            audit.record(db, "logout.everywhere" if everywhere else "logout")
    logout_user()
    rotate_session()


def totp_step(secret: str, code: str) -> int | None:
    """The time step (RFC 6238) whose code ``code`` is, within one step of
    now, or None."""
    code = "".join(ch for ch in code if ch.isdigit())
    if len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    now = datetime.now(timezone.utc)
    for offset in (0, -1, 1):
        if secrets.compare_digest(totp.at(now, counter_offset=offset), code):
            return totp.timecode(now) + offset
    return None


def totp_ok(secret: str, code: str) -> bool:
    return totp_step(secret, code) is not None


def use_totp(account_id: int, secret: str, code: str) -> bool:
    """Accept a code once: a code (time step) that was already used for this
    account is refused (RFC 6238 §5.2), also when two sign-ins race."""
    step = totp_step(secret, code)
    if step is None:
        return False
    with _storage().session() as db:
        result = db.execute(update(StaffUser).where(
            StaffUser.id == account_id,
            or_(StaffUser.totp_last_step.is_(None), StaffUser.totp_last_step < step)).values(totp_last_step=step))
        return result.rowcount == 1


def home_for(staff: Staff) -> str:
    """Where a member of staff starts after signing in."""
    endpoints = {"caseworker": "office.inbox", "teamlead": "office.inbox", "author": "studio.index",
                 "admin": "admin.index"}
    endpoint = endpoints.get(staff.role, "accounts.home")
    if endpoint not in current_app.view_functions:
        endpoint = "accounts.home"
    return url_for(endpoint)
