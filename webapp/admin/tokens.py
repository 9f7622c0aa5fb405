"""API tokens of the office for its own software (``/api/v1``): created
with a name and a scope, shown once (only the SHA-256 is stored), revoked."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from ..accounts import audit
from ..accounts.auth import staff_required
from ..accounts.models import ApiToken
from ..office.api import new_token
from ..storage import utcnow
from . import bp
from .common import errors, office_id, own_or_404, storage
from .forms import ActionForm, TokenForm


@bp.route("/api-zugaenge", methods=["GET", "POST"])
@staff_required("admin")
def tokens():
    form = TokenForm()
    if form.validate_on_submit():
        token, digest = new_token()
        with storage().session() as db:
            row = ApiToken(office_id=office_id(), name=form.name.data, scopes=form.scopes.data, token_hash=digest,
                           created_by=current_user.account.id)
            db.add(row)
            db.flush()
            audit.record(db, "api_token.created", office_id=office_id(),
                         detail={"token": row.id, "name": row.name, "scopes": row.scopes})
        return render_template("admin/token_created.html", row=row, token=token)
    with storage().reader() as db:
        rows = db.scalars(select(ApiToken).where(ApiToken.office_id == office_id())
                          .order_by(ApiToken.revoked_at.is_not(None), ApiToken.id.desc())).all()
    return render_template("admin/tokens.html", rows=rows, form=form, action=ActionForm(),
                           errors=errors(form)), (400 if form.errors else 200)


@bp.post("/api-zugaenge/<int:token_id>/widerrufen")
@staff_required("admin")
def token_revoke(token_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    with storage().session() as db:
        row = own_or_404(db, ApiToken, token_id)
        if row.revoked_at is None:
            row.revoked_at = utcnow()
            audit.record(db, "api_token.revoked", office_id=office_id(), detail={"token": row.id, "name": row.name})
    flash("adm_token_revoked")
    return redirect(url_for("admin.tokens"))
