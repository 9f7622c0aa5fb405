"""What every administration page shares: the admin's office, lookups that
answer 404 outside it, error lists for the GOV.UK error summary, and the
overview page."""

from __future__ import annotations

import secrets

from flask import abort, current_app, render_template
from flask_login import current_user
from wtforms import DateField, IntegerField, SelectField

from ..accounts.auth import staff_required
from ..accounts.models import Office
from ..i18n import TEXTS, text
from . import bp


def storage():
    return current_app.extensions["formwerk.storage"]


def office_id() -> int:
    return current_user.account.office_id


def own_or_404(db, model, row_id: int, *, office_column: str = "office_id"):
    """The row ``row_id`` of ``model`` if it belongs to the admin's office, else 404."""
    row = db.get(model, row_id)
    if row is None or getattr(row, office_column) != office_id():
        abort(404)
    return row


def generate_password() -> str:
    """A strong initial password, shown once (about 120 bits)."""
    return "-".join(secrets.token_urlsafe(6) for _ in range(4))


def message(entry, field=None) -> str:
    """A validator's message: a text key, a ``(key, params)`` pair, or a
    WTForms default (shown as a generic message in the user's language)."""
    if isinstance(entry, (tuple, list)) and len(entry) == 2 and isinstance(entry[1], dict):
        return text(entry[0], **entry[1])
    if isinstance(entry, str) and entry in TEXTS:
        return text(entry)
    if isinstance(field, DateField):
        return text("adm_err_date")
    if isinstance(field, SelectField):
        return text("adm_err_choice")
    if isinstance(field, IntegerField):  # not a number at all: the field's own range message says what fits
        for validator in field.validators:
            if getattr(validator, "message", None) in TEXTS:
                return text(validator.message)
    return text("adm_err_invalid")


def errors(form) -> list[tuple[str, str]]:
    """(field id, message) of every field with an error, in the form's order."""
    return [(field.id, message(field.errors[0], field)) for field in form if field.errors]


def label(value: str) -> str:
    """A choice's label: a text key, or a name as entered (a team's)."""
    return text(value) if value in TEXTS else value


@bp.app_template_global("adm_message")
def _adm_message(entry, field=None):
    return message(entry, field)


@bp.app_template_global("adm_label")
def _adm_label(value):
    return label(value)


@bp.get("/")
@staff_required("admin")
def index():
    with storage().reader() as db:
        office = db.get(Office, office_id())
    return render_template("admin/index.html", office=office)
