"""The applicant's side of the online appointments (blueprint
``appointments``, under /termine): choose the office by postcode (and the
team by surname), pick a free slot, give name and contact, get a
confirmation with booking reference, access code, e-mail and ``.ics``;
later cancel or move the booking with reference and access code.

Access to a booking is proven like the receipt's: its access code is in
this browser's session (put there by the booking or by the look-up, never
in a URL); anything else is a 404, so a reference alone reveals nothing.
The search (postcode, surname) stays in the session too, not in URLs."""

from __future__ import annotations

import re

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, session, url_for
from sqlalchemy import select
from werkzeug.exceptions import TooManyRequests

from .. import ratelimit
from ..accounts.models import Office
from ..accounts.routing import office_for, team_for
from ..i18n import language
from ..storage import utcnow
from . import booking as ops
from . import mail, presenting, times
from .models import BOOKED, CHANNELS, Booking, Slot

bp = Blueprint("appointments", __name__, url_prefix="/termine")

MAX_REMEMBERED = 10
POSTCODE = re.compile(r"^[0-9]{5}$")
EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")
PHONE = re.compile(r"^\+?[0-9][0-9 ()/-]{4,30}$")
APPLICATION_REFERENCE = re.compile(r"^[A-Z0-9-]{4,32}$")
#: scope: (hits, per seconds) per client; RATE_LIMITS in the app config overrides them
LIMITS = {"appointment_lookup": (20, 600), "appointment_book": (20, 3600), "appointment_move": (20, 3600)}


def _storage():
    return current_app.extensions["formwerk.storage"]


def _limit(scope: str) -> None:
    """Count a hit with :func:`webapp.ratelimit.hit` (same factor as ``enforce``); 429 when over."""
    factor = current_app.config.get("RATE_LIMIT_FACTOR", 1)
    if not factor:
        return
    limit, per_seconds = {**LIMITS, **(current_app.config.get("RATE_LIMITS") or {})}[scope]
    decision = ratelimit.hit(scope, max(1, int(limit * factor)), per_seconds)
    if not decision.allowed:
        raise TooManyRequests(retry_after=decision.retry_after)


def _field(name: str, limit: int) -> str:
    return (request.form.get(name) or "").strip()[:limit + 1]


# -- the search: office by postcode, team by surname ---------------------------------------------


def _search() -> dict | None:
    found = session.get("appointment_search")
    return found if isinstance(found, dict) and found.get("office_id") else None


@bp.route("", methods=["GET", "POST"])
def start():
    errors, values = [], {"postcode": "", "surname": "", "channel": ""}
    if request.method == "POST":
        values = {"postcode": _field("postcode", 5), "surname": _field("surname", 100),
                  "channel": request.form.get("channel") or ""}
        if not POSTCODE.match(values["postcode"]):
            errors.append(("postcode", "apt_err_postcode"))
        if len(values["surname"]) > 100:
            errors.append(("surname", "apt_err_too_long"))
        if values["channel"] not in (*CHANNELS, "alle"):
            errors.append(("channel-0", "apt_err_channel"))
        if not errors:
            with _storage().reader() as db:
                office = office_for(db, values["postcode"])
                team = team_for(db, office, values["surname"]) if office is not None and values["surname"] else None
            if office is None:
                errors.append(("postcode", "apt_err_no_office"))
            else:
                session["appointment_search"] = {"office_id": office.id, "team_id": team.id if team else None,
                                                 "surname": values["surname"],
                                                 "channel": None if values["channel"] == "alle" else values["channel"]}
                return redirect(url_for("appointments.slots"))
    return render_template("appointments/start.html", errors=errors, values=values), (400 if errors else 200)


@bp.route("/freie-termine", methods=["GET", "POST"])
def slots():
    search = _search()
    if search is None:
        return redirect(url_for("appointments.start"))
    error = None
    if request.method == "POST":
        chosen = request.form.get("slot") or ""
        if chosen.isdigit() and len(chosen) < 12:
            return redirect(url_for("appointments.details", slot_id=int(chosen)))
        error = "apt_err_choose_slot"
    with _storage().reader() as db:
        office = db.get(Office, search["office_id"])
        if office is None:
            session.pop("appointment_search", None)
            return redirect(url_for("appointments.start"))
        free = ops.free_slots(db, office.id, team_id=search.get("team_id"), channel=search.get("channel"))
    return render_template("appointments/slots.html", office=office, days=presenting.by_day(free, language()), error=error,
                           action=url_for("appointments.slots"), search=search), (400 if error else 200)


def _bookable_or_gone(db, slot_id: int) -> Slot | None:
    slot = db.get(Slot, slot_id)
    if slot is None:
        abort(404)
    if slot.cancelled_at is not None or slot.booked >= slot.capacity or times.as_utc(slot.starts_at) <= utcnow():
        return None
    return slot


@bp.route("/buchen/<int:slot_id>", methods=["GET", "POST"])
def details(slot_id: int):
    search = _search() or {}
    with _storage().reader() as db:
        slot = _bookable_or_gone(db, slot_id)
        if slot is None:
            flash("apt_slot_gone")
            return redirect(url_for("appointments.slots") if search else url_for("appointments.start"))
        office = db.get(Office, slot.office_id)
    errors, values = [], {"name": "", "email": "", "phone": "", "application_reference": "", "concern": ""}
    if request.method == "POST":
        values = {"name": _field("name", 200), "email": _field("email", 254), "phone": _field("phone", 40),
                  "application_reference": _field("application_reference", 32).upper(),
                  "concern": _field("concern", 1000)}
        if not values["name"]:
            errors.append(("name", "apt_err_name"))
        elif len(values["name"]) > 200:
            errors.append(("name", "apt_err_too_long"))
        if values["email"] and (len(values["email"]) > 254 or not EMAIL.match(values["email"])):
            errors.append(("email", "apt_err_email"))
        if slot.channel == "telefon" and not values["phone"]:
            errors.append(("phone", "apt_err_phone_needed"))
        elif values["phone"] and not PHONE.match(values["phone"]):
            errors.append(("phone", "apt_err_phone"))
        if values["application_reference"] and not APPLICATION_REFERENCE.match(values["application_reference"]):
            errors.append(("application_reference", "apt_err_application_reference"))
        if len(values["concern"]) > 1000:
            errors.append(("concern", "apt_err_concern_long"))
        if not errors:
            _limit("appointment_book")
            made = ops.book(_storage(), slot.id, slot.office_id, ops.Details(
                name=values["name"], email=values["email"] or None, phone=values["phone"] or None,
                application_reference=values["application_reference"] or None, concern=values["concern"]))
            if made is None:  # taken meanwhile (the race for the last place), called off, or now past
                flash("apt_slot_gone")
                return redirect(url_for("appointments.slots") if search else url_for("appointments.start"))
            row, code = made
            _remember(row.reference, code)
            _confirm_by_mail(row.reference, "apt_mail_booked_subject")
            return redirect(url_for("appointments.confirmation", reference=row.reference))
    return render_template("appointments/details.html", slot=presenting.slot_view(slot, office, language()),
                           slot_id=slot.id, channel=slot.channel, errors=errors, values=values), (
        400 if errors else 200)


# -- access to a booking --------------------------------------------------------------------------


def _remember(reference: str, code: str) -> None:
    held = dict(session.get("appointments") or {})
    held.pop(reference, None)
    held[reference] = code
    session["appointments"] = dict(list(held.items())[-MAX_REMEMBERED:])


def _verified(db, reference: str, code: str | None) -> Booking | None:
    if not isinstance(reference, str) or not reference or len(reference) > 20:
        return None
    row = db.scalar(select(Booking).where(Booking.reference == reference))
    return row if ops.verify(row, code) else None


def _own(db, reference: str) -> Booking:
    row = _verified(db, reference, (session.get("appointments") or {}).get(reference))
    if row is None:
        abort(404)
    return row


def _loaded(reference: str):
    with _storage().reader() as db:
        row = _own(db, reference)
        slot = db.get(Slot, row.slot_id)
        office = db.get(Office, row.office_id)
        video = presenting.video_link(db, office.id)
    return row, slot, office, video


@bp.route("/verwalten", methods=["GET", "POST"])
def lookup():
    failed = False
    if request.method == "POST":
        _limit("appointment_lookup")
        reference = _field("reference", 20).upper()
        code = _field("code", 100)
        with _storage().reader() as db:
            row = _verified(db, reference, code)
        if row is not None:
            _remember(row.reference, code)
            return redirect(url_for("appointments.booking", reference=row.reference))
        failed = True
    return render_template("appointments/lookup.html", failed=failed), (404 if failed else 200)


def _page(template: str, reference: str, **more):
    row, slot, office, video = _loaded(reference)
    lang = language()
    return render_template(template, booking=row, view=presenting.booking_view(row, slot, office, video, lang),
                           code=(session.get("appointments") or {}).get(reference), **more)


@bp.get("/buchung/<reference>/bestaetigung")
def confirmation(reference: str):
    return _page("appointments/confirmation.html", reference, mailed=session.get("appointment_mailed") == reference)


@bp.get("/buchung/<reference>")
def booking(reference: str):
    return _page("appointments/booking.html", reference)


@bp.get("/buchung/<reference>/termin.ics")
def calendar_file(reference: str):
    row, slot, office, video = _loaded(reference)
    body = presenting.calendar_bytes(row, slot, office, video, language())
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="termin-{row.reference}.ics"'})


@bp.route("/buchung/<reference>/absagen", methods=["GET", "POST"])
def cancel(reference: str):
    row, slot, office, video = _loaded(reference)
    if row.status != BOOKED:
        return redirect(url_for("appointments.booking", reference=reference))
    if request.method == "POST":
        if ops.cancel(_storage(), row.id):
            _confirm_by_mail(reference, "apt_mail_cancelled_subject")
            flash("apt_cancelled_notice")
        return redirect(url_for("appointments.booking", reference=reference))
    return render_template("appointments/cancel.html", booking=row,
                           view=presenting.booking_view(row, slot, office, video, language()))


@bp.route("/buchung/<reference>/verschieben", methods=["GET", "POST"])
def move(reference: str):
    row, slot, office, video = _loaded(reference)
    if row.status != BOOKED:
        return redirect(url_for("appointments.booking", reference=reference))
    error, status = None, 200
    if request.method == "POST":
        chosen = request.form.get("slot") or ""
        if not (chosen.isdigit() and len(chosen) < 12):
            error, status = "apt_err_choose_slot", 400
        else:
            _limit("appointment_move")
            # only a slot this page offers (same office and team; by phone only with a number to call)
            if int(chosen) in {s.id for s in _move_targets(row, slot)} and ops.move(_storage(), row.id, int(chosen)):
                _confirm_by_mail(reference, "apt_mail_moved_subject")
                return redirect(url_for("appointments.confirmation", reference=reference))
            error, status = "apt_slot_gone", 409
    free = _move_targets(row, slot)
    lang = language()
    return render_template("appointments/move.html", booking=row,
                           view=presenting.booking_view(row, slot, office, video, lang),
                           days=presenting.by_day(free, lang), error=error,
                           action=url_for("appointments.move", reference=reference)), status


def _move_targets(row: Booking, current: Slot) -> list[Slot]:
    """Where a booking can move: free slots of its office and team, not its own; phone
    slots only when the applicant gave a number to call."""
    with _storage().reader() as db:
        return [s for s in ops.free_slots(db, row.office_id, team_id=current.team_id)
                if s.id != current.id and (row.phone or s.channel != "telefon")]


def _confirm_by_mail(reference: str, subject_key: str) -> None:
    """E-mail the booking's current state (with the .ics) if the applicant gave an address."""
    session.pop("appointment_mailed", None)
    with _storage().reader() as db:
        row = db.scalar(select(Booking).where(Booking.reference == reference))
        if row is None or not row.email:
            return
        slot, office = db.get(Slot, row.slot_id), db.get(Office, row.office_id)
        video = presenting.video_link(db, office.id)
    lang = language()
    subject, body = presenting.mail_text(subject_key, row, slot, office, video, lang,
                                         manage_link=presenting.public_link("appointments.lookup"))
    if mail.send(row.email, subject, body, presenting.calendar_bytes(row, slot, office, video, lang)):
        session["appointment_mailed"] = reference
