"""The office's side of the online appointments (blueprint
``appointments_staff``, under /amt/termine):

- the day's appointments with who booked them (caseworkers: their team's
  and the office-wide slots; team leads: the whole office), each
  applicant's application linked when the booking names one that the
  viewer may open (:func:`webapp.office.access.scope` decides, never this
  module);
- team leads and admins publish slots (single, or weekly for up to
  26 weeks) and call slots off, which tells the booked applicants;
- admins set the office's video link.

Every query is restricted to the signed-in member of staff's office."""

from __future__ import annotations

import re
from datetime import date, time, timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from ..accounts import audit
from ..accounts.auth import staff_required
from ..accounts.models import Office, Team
from ..i18n import language
from ..office import access
from ..storage import Application, utcnow
from . import booking as ops
from . import mail, presenting, times
from .models import BOOKED, CHANNELS, AppointmentSettings, Booking, Slot

bp = Blueprint("appointments_staff", __name__, url_prefix="/amt/termine")

PLANNERS = ("teamlead", "admin")
UPCOMING_DAYS = 56
MAX_AHEAD_DAYS = 730  # slots can be published up to two years ahead
CLOCK = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")
VIDEO_LINK = re.compile(r"^https://[^\s<>\"']{4,490}$")


def _storage():
    return current_app.extensions["formwerk.storage"]


def _office_id() -> int:
    return current_user.account.office_id


def _day(raw: str | None) -> date:
    try:
        return date.fromisoformat(raw) if raw and len(raw) == 10 else times.today()
    except ValueError:
        return times.today()


@bp.get("")
@staff_required(*access.CASE_ROLES)
def day():
    on = _day(request.args.get("tag"))
    lang = language()
    caseworker = current_user.role == "caseworker"
    with _storage().session() as db:
        slots = ops.day_slots(db, _office_id(), on, team_id=current_user.account.team_id, only_team=caseworker)
        bookings = list(db.scalars(select(Booking).where(Booking.slot_id.in_([s.id for s in slots]))
                                   .order_by(Booking.created_at, Booking.id))) if slots else []
        refs = {b.application_reference for b in bookings if b.application_reference}
        # only applications the viewer may open are linked (office, team, assignee)
        linked = set(db.scalars(access.scope(select(Application.reference).where(Application.reference.in_(refs))))) \
            if refs else set()
        teams = dict(db.execute(select(Team.id, Team.name).where(Team.office_id == _office_id())).all())
        audit.record(db, "appointments.day", office_id=_office_id(), detail={"day": on.isoformat(),
                                                                             "bookings": len(bookings)})
    rows = []
    for slot in slots:
        mine = [b for b in bookings if b.slot_id == slot.id]
        rows.append({"slot": slot, "time": times.format_time(slot.starts_at, lang),
                     "end": times.format_time(times.local(slot.starts_at) + timedelta(minutes=slot.minutes), lang),
                     "channel": presenting.channel_label(slot.channel, lang), "team": teams.get(slot.team_id),
                     "bookings": [(b, b.application_reference in linked) for b in mine if b.status == BOOKED],
                     "cancelled": [b for b in mine if b.status != BOOKED]})
    return render_template("appointments/staff_day.html", rows=rows, on=on, day_label=times.format_day(
        times.to_utc(on, time(12)), lang), previous=on - timedelta(days=1), following=on + timedelta(days=1),
        planner=current_user.role in PLANNERS)


@bp.get("/zeiten")
@staff_required(*PLANNERS)
def slots():
    lang = language()
    now = utcnow()
    with _storage().reader() as db:
        rows = list(db.scalars(select(Slot).where(Slot.office_id == _office_id(), Slot.starts_at > now,
                                                  Slot.starts_at < now + timedelta(days=UPCOMING_DAYS))
                               .order_by(Slot.starts_at, Slot.id).limit(500)))
        teams = dict(db.execute(select(Team.id, Team.name).where(Team.office_id == _office_id())).all())
        video = presenting.video_link(db, _office_id())
    listed = [{"slot": s, "when": times.format_span(s.starts_at, s.minutes, lang),
               "channel": presenting.channel_label(s.channel, lang), "team": teams.get(s.team_id)} for s in rows]
    return render_template("appointments/staff_slots.html", rows=listed, video=video,
                           admin=current_user.role == "admin")


def _teams(db) -> list[tuple[int, str]]:
    return list(db.execute(select(Team.id, Team.name).where(Team.office_id == _office_id()).order_by(Team.name)))


def _read_plan(form, team_ids: set[int]) -> tuple[ops.SlotPlan | None, list[tuple[str, str]]]:
    errors: list[tuple[str, str]] = []
    team_raw = form.get("team") or ""
    team_id = int(team_raw) if team_raw.isdigit() and len(team_raw) < 12 else None
    if team_raw and team_id not in team_ids:
        errors.append(("team", "apt_err_team"))
    channel = form.get("channel") or ""
    if channel not in CHANNELS:
        errors.append(("channel-0", "apt_err_channel"))
    first_day = None
    try:
        first_day = date.fromisoformat((form.get("day") or "").strip()[:10])
    except ValueError:
        errors.append(("day", "apt_err_day"))
    if first_day is not None and not times.today() - timedelta(days=1) <= first_day <= times.today() + timedelta(
            days=MAX_AHEAD_DAYS):
        errors.append(("day", "apt_err_day_range"))
        first_day = None
    clock = CLOCK.match((form.get("time") or "").strip())
    if not clock:
        errors.append(("time", "apt_err_time"))
    numbers = {}
    for name, low, high in (("minutes", 5, 480), ("capacity", 1, 50), ("weeks", 1, ops.MAX_WEEKS)):
        raw = (form.get(name) or "").strip()
        if not raw.isdigit() or not low <= int(raw[:6]) <= high:
            errors.append((name, f"apt_err_{name}"))
        else:
            numbers[name] = int(raw)
    location = (form.get("location") or "").strip()
    if len(location) > 300:
        errors.append(("location", "apt_err_location"))
    if errors:
        return None, errors
    plan = ops.SlotPlan(office_id=_office_id(), team_id=team_id, first_day=first_day,
                        at=time(int(clock.group(1)), int(clock.group(2))), minutes=numbers["minutes"],
                        channel=channel, capacity=numbers["capacity"], location=location if channel == "vor_ort" else "",
                        weeks=numbers["weeks"])
    if ops.starts(plan)[0] <= utcnow():
        return None, [("day", "apt_err_past")]
    return plan, []


@bp.route("/zeiten/neu", methods=["GET", "POST"])
@staff_required(*PLANNERS)
def slot_new():
    with _storage().reader() as db:
        teams = _teams(db)
    errors, values = [], {"team": "", "channel": "vor_ort", "day": "", "time": "", "minutes": "30",
                          "capacity": "1", "location": "", "weeks": "1"}
    if request.method == "POST":
        values = {key: (request.form.get(key) or "").strip()[:300] for key in values}
        plan, errors = _read_plan(request.form, {team_id for team_id, _ in teams})
        if plan is not None:
            with _storage().session() as db:
                made = ops.create(db, plan, created_by=current_user.account.id)
                audit.record(db, "appointments.slots_created", office_id=_office_id(),
                             detail={"slots": [s.id for s in made], "channel": plan.channel, "team": plan.team_id,
                                     "capacity": plan.capacity})
            flash("apt_slots_created")
            return redirect(url_for("appointments_staff.slots"))
    return render_template("appointments/staff_slot_new.html", teams=teams, errors=errors, values=values), (
        400 if errors else 200)


def _own_slot(db, slot_id: int) -> Slot:
    slot = db.get(Slot, slot_id)
    if slot is None or slot.office_id != _office_id():
        abort(404)
    return slot


@bp.route("/zeiten/<int:slot_id>/absagen", methods=["GET", "POST"])
@staff_required(*PLANNERS)
def slot_cancel(slot_id: int):
    lang = language()
    if request.method == "POST":
        with _storage().session() as db:
            slot = _own_slot(db, slot_id)
            called_off = ops.call_off(db, slot)
            audit.record(db, "appointments.slot_cancelled", office_id=_office_id(),
                         detail={"slot": slot.id, "bookings": [b.reference for b in called_off]})
            office = db.get(Office, slot.office_id)
            video = presenting.video_link(db, office.id)
        link = presenting.public_link("appointments.start")
        for row in called_off:
            if row.email:
                subject, body = _bilingual(row, slot, office, video, link)
                mail.send(row.email, subject, body)
        flash("apt_slot_cancelled")
        return redirect(url_for("appointments_staff.slots"))
    with _storage().reader() as db:
        slot = _own_slot(db, slot_id)
        count = db.scalar(select(func.count()).select_from(Booking)
                          .where(Booking.slot_id == slot.id, Booking.status == BOOKED))
    return render_template("appointments/staff_slot_cancel.html", slot=slot, count=count,
                           when=times.format_span(slot.starts_at, slot.minutes, lang),
                           channel=presenting.channel_label(slot.channel, lang))


def _bilingual(row, slot, office, video, link) -> tuple[str, str]:
    """The applicant's language is not known here: German, then English."""
    parts = [presenting.mail_text("apt_mail_called_off_subject", row, slot, office, video, lang, manage_link=link)
             for lang in ("de", "en")]
    return f"{parts[0][0]} / {parts[1][0]}", f"{parts[0][1]}\n\n---\n\n{parts[1][1]}"


@bp.route("/einstellungen", methods=["GET", "POST"])
@staff_required("admin")
def settings():
    with _storage().reader() as db:
        current = presenting.video_link(db, _office_id()) or ""
    error, value = None, current
    if request.method == "POST":
        value = (request.form.get("video_link") or "").strip()[:501]
        if value and (len(value) > 500 or not VIDEO_LINK.match(value)):
            error = "apt_err_video_link"
        else:
            with _storage().session() as db:
                row = db.get(AppointmentSettings, _office_id())
                if row is None:
                    db.add(AppointmentSettings(office_id=_office_id(), video_link=value or None, updated_at=utcnow()))
                else:
                    row.video_link, row.updated_at = value or None, utcnow()
                audit.record(db, "appointments.settings", office_id=_office_id(),
                             detail={"video_link": value or None})
            flash("apt_settings_saved")
            return redirect(url_for("appointments_staff.settings"))
    return render_template("appointments/staff_settings.html", error=error, value=value,
                           errors=[("video_link", error)] if error else []), (400 if error else 200)
