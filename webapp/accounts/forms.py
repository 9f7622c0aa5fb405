"""WTForms for signing in and managing one's own account."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    email = EmailField("email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("password", validators=[DataRequired(), Length(max=1024)])


class CodeForm(FlaskForm):
    code = StringField("code", validators=[DataRequired(), Length(max=20)])


class PasswordChangeForm(FlaskForm):
    current = PasswordField("current", validators=[DataRequired(), Length(max=1024)])
    new = PasswordField("new", validators=[DataRequired(), Length(max=1024)])
