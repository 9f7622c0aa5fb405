"""WTForms of the administration. Every validator's message is a text key
of :mod:`webapp.admin.texts` (or a ``(key, params)`` pair), translated when
the page is rendered, so the error summary is German or English."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateField, IntegerField, PasswordField, SelectChoice, SelectField, StringField,
                     TextAreaField, ValidationError)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..accounts.models import ROLES
from ..accounts.routing import normalise_name

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
POSTCODE = re.compile(r"^[0-9]{5}$")


def required():
    return DataRequired(message="adm_err_required")


class AtMost:
    """At most ``n`` characters. Not WTForms' ``Length``: that one formats its
    message with ``%``, which a ``(key, params)`` pair does not survive."""

    def __init__(self, n: int):
        self.max = n
        self.field_flags = {"maxlength": n}

    def __call__(self, form, field):
        if field.data is not None and len(field.data) > self.max:
            raise ValidationError(("adm_err_too_long", {"max": self.max}))


def at_most(n: int):
    return AtMost(n)


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class StaffCreateForm(FlaskForm):
    name = StringField("adm_name", filters=[_strip], validators=[required(), at_most(200)])
    email = StringField("adm_email", filters=[_strip], validators=[required(), at_most(254)])
    role = SelectField("adm_role", choices=[SelectChoice(r, f"role_{r}") for r in ROLES],
                       validate_choice=True, validators=[InputRequired(message="adm_err_choice")])
    team = SelectField("adm_team", description="adm_team_hint", coerce=str, validate_choice=True)
    password = PasswordField("adm_initial_password", description="adm_initial_password_hint",
                             validators=[Optional(), Length(min=12, max=1024, message="adm_err_password_short")])

    def validate_email(self, field):
        if not EMAIL.match(field.data or ""):
            raise ValidationError("adm_err_email")
        field.data = field.data.lower()


class StaffEditForm(FlaskForm):
    name = StringField("adm_name", filters=[_strip], validators=[required(), at_most(200)])
    role = SelectField("adm_role", choices=[SelectChoice(r, f"role_{r}") for r in ROLES],
                       validate_choice=True, validators=[InputRequired(message="adm_err_choice")])
    team = SelectField("adm_team", description="adm_team_hint", coerce=str, validate_choice=True)


class ActionForm(FlaskForm):
    """A button that only carries the CSRF token."""


def parse_letters(text: str) -> list[tuple[str, str]]:
    """``"A-K, Sch-Sz"`` → [("A", "K"), ("SCH", "SZ")]; raises ValueError."""
    ranges = []
    for part in (text or "").split(","):
        part = part.strip()
        if not part:
            continue
        first, _, last = part.partition("-")
        first, last = normalise_name(first), normalise_name(last or first)
        if not first or not last or first > last or len(first) > 10 or len(last) > 10:
            raise ValueError(part)
        ranges.append((first, last))
    if not ranges or len(ranges) > 50:
        raise ValueError(text)
    return ranges


def letters_text(ranges) -> str:
    return ", ".join(f"{r.first.capitalize()}-{r.last.capitalize()}" for r in ranges)


class TeamForm(FlaskForm):
    name = StringField("adm_team_name", filters=[_strip], validators=[required(), at_most(100)])
    letters = StringField("adm_letters", description="adm_letters_hint", filters=[_strip],
                          validators=[required(), at_most(500)])

    def validate_letters(self, field):
        try:
            parse_letters(field.data)
        except ValueError:
            raise ValidationError("adm_err_letters") from None


class PostcodeForm(FlaskForm):
    first = StringField("adm_postcode_first", filters=[_strip], validators=[required()])
    last = StringField("adm_postcode_last", description="adm_postcode_last_hint", filters=[_strip],
                       validators=[Optional()])

    def validate_first(self, field):
        if not POSTCODE.match(field.data or ""):
            raise ValidationError("adm_err_postcode")

    def validate_last(self, field):
        if field.data and not POSTCODE.match(field.data):
            raise ValidationError("adm_err_postcode")
        if field.data and POSTCODE.match(self.first.data or "") and field.data < self.first.data:
            raise ValidationError("adm_err_postcode_order")


class SettingsForm(FlaskForm):
    name = StringField("adm_office_name", filters=[_strip], validators=[required(), at_most(200)])
    letterhead = TextAreaField("adm_letterhead", description="adm_letterhead_hint", validators=[required(), at_most(1000)])
    legal_remedy = TextAreaField("adm_legal_remedy", description="adm_legal_remedy_hint",
                                 validators=[required(), at_most(10000)])
    target_days = IntegerField("adm_target_days", description="adm_target_days_hint",
                               validators=[InputRequired(message="adm_err_target_days"),
                                           NumberRange(min=1, max=365, message="adm_err_target_days")])
    mfa_required = BooleanField("adm_mfa_required", description="adm_mfa_hint")
    # legal texts for applicants (webapp/legal.py); empty: the defaults
    contact = TextAreaField("adm_contact", description="adm_legal_default_hint", validators=[Optional(), at_most(2000)])
    privacy_notice = TextAreaField("adm_privacy_notice", description="adm_legal_default_hint",
                                   validators=[Optional(), at_most(20000)])
    imprint = TextAreaField("adm_imprint", description="adm_legal_default_hint", validators=[Optional(), at_most(10000)])
    accessibility_contact = TextAreaField("adm_accessibility_contact", description="adm_legal_default_hint",
                                          validators=[Optional(), at_most(2000)])
    accessibility_date = DateField("adm_accessibility_date", description="adm_accessibility_date_hint",
                                   validators=[Optional()])


class ReasonForm(FlaskForm):
    title = StringField("adm_reason_title", filters=[_strip], validators=[required(), at_most(200)])
    text = TextAreaField("adm_reason_text", validators=[required(), at_most(10000)])


class TokenForm(FlaskForm):
    name = StringField("adm_token_name", description="adm_token_name_hint", filters=[_strip],
                       validators=[required(), at_most(100)])
    scopes = SelectField("adm_token_scopes", choices=[SelectChoice("read", "adm_scope_read"), SelectChoice("read write", "adm_scope_write")],
                         validate_choice=True, validators=[InputRequired(message="adm_err_choice")])


class AuditFilterForm(FlaskForm):
    """The audit log's filters (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    von = DateField("adm_audit_from", validators=[Optional()])
    bis = DateField("adm_audit_to", validators=[Optional()])
    wer = StringField("adm_audit_actor", filters=[_strip], validators=[Optional(), at_most(200)])
    aktion = StringField("adm_audit_action", filters=[_strip], validators=[Optional(), at_most(60)])
    aktenzeichen = StringField("adm_audit_reference", filters=[_strip], validators=[Optional(), at_most(32)])

    def validate_bis(self, field):
        if field.data and self.von.data and field.data < self.von.data:
            raise ValidationError("adm_err_date_order")
