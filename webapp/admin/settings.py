"""The office's settings (name, letterhead, legal-remedy text, target
processing time, mandatory second factor) and its reason templates for
decisions."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from sqlalchemy import select

from ..accounts import audit
from ..accounts.auth import staff_required
from ..accounts.models import Office
from ..office.models import ReasonTemplate
from . import bp
from .common import errors, office_id, own_or_404, storage
from .forms import ActionForm, ReasonForm, SettingsForm

FIELDS = ("name", "letterhead", "legal_remedy", "target_days", "mfa_required", "contact", "privacy_notice", "imprint",
          "accessibility_contact", "accessibility_date")


@bp.route("/einstellungen", methods=["GET", "POST"])
@staff_required("admin")
def settings():
    with storage().reader() as db:
        office = db.get(Office, office_id())
    form = SettingsForm(data={name: getattr(office, name) for name in FIELDS})
    if form.validate_on_submit():
        with storage().session() as db:
            row = db.get(Office, office_id())
            changed = [name for name in FIELDS if getattr(row, name) != getattr(form, name).data]
            for name in changed:
                value = getattr(form, name).data
                setattr(row, name, value if value is not None or name == "accessibility_date" else "")
            # from now on everyone without a second factor (the admin too) is sent to set it
            # up at their next request: accounts.auth.require_second_factor
            audit.record(db, "office.settings", office_id=row.id, detail={"changed": changed})
        flash("adm_saved")
        return redirect(url_for("admin.settings"))
    return render_template("admin/settings.html", form=form, errors=errors(form)), (400 if form.errors else 200)


@bp.route("/begruendungen", methods=["GET", "POST"])
@staff_required("admin")
def reasons():
    form = ReasonForm()
    if form.validate_on_submit():
        with storage().session() as db:
            row = ReasonTemplate(office_id=office_id(), title=form.title.data, text=form.text.data)
            db.add(row)
            db.flush()
            audit.record(db, "reason_template.created", office_id=office_id(), detail={"template": row.id,
                                                                                        "title": row.title})
        flash("adm_saved")
        return redirect(url_for("admin.reasons"))
    with storage().reader() as db:
        rows = db.scalars(select(ReasonTemplate).where(ReasonTemplate.office_id == office_id())
                          .order_by(ReasonTemplate.title)).all()
    return render_template("admin/reasons.html", rows=rows, form=form, errors=errors(form)), (
        400 if form.errors else 200)


@bp.route("/begruendungen/<int:template_id>", methods=["GET", "POST"])
@staff_required("admin")
def reason_edit(template_id: int):
    with storage().reader() as db:
        template = own_or_404(db, ReasonTemplate, template_id)
    form = ReasonForm(data={"title": template.title, "text": template.text})
    if form.validate_on_submit():
        with storage().session() as db:
            row = own_or_404(db, ReasonTemplate, template_id)
            row.title, row.text = form.title.data, form.text.data
            audit.record(db, "reason_template.updated", office_id=office_id(), detail={"template": row.id,
                                                                                        "title": row.title})
        flash("adm_saved")
        return redirect(url_for("admin.reasons"))
    return render_template("admin/reason_edit.html", template=template, form=form, action=ActionForm(),
                           errors=errors(form)), (400 if form.errors else 200)


@bp.post("/begruendungen/<int:template_id>/loeschen")
@staff_required("admin")
def reason_delete(template_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    with storage().session() as db:
        row = own_or_404(db, ReasonTemplate, template_id)
        audit.record(db, "reason_template.deleted", office_id=office_id(), detail={"template": row.id,
                                                                                    "title": row.title})
        db.delete(row)
    flash("adm_deleted")
    return redirect(url_for("admin.reasons"))
