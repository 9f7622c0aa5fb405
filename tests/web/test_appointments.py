"""Online appointments (webapp/appointments): every route and state of the
applicant's booking, capacity and the race for the last place on SQLite and
PostgreSQL, cancel and move with reference and access code, the staff's
slots, day view and settings, scoping between offices, hostile input."""

from __future__ import annotations

import hashlib
import re
import threading
from datetime import datetime, time, timedelta, timezone

import icalendar
import pytest
from sqlalchemy import select, text

from tests.casework import smtp_server  # noqa: F401  (fixture)
from tests.staff import csrf_token, first_valid_case, login, submit
from tests.web.test_storage import postgres, storage  # noqa: F401  (fixtures: SQLite and PostgreSQL)
from webapp.accounts.models import Office
from webapp.appointments import booking as ops
from webapp.appointments import times
from webapp.appointments.models import AppointmentSettings, Booking, Slot

REFERENCE = re.compile(r"/termine/buchung/(T-[A-Z0-9]{4}-[A-Z0-9]{4})/bestaetigung")
CODE = re.compile(r'<code class="hash">([^<]+)</code>')


def storage_of(app):
    return app.extensions["formwerk.storage"]


def make_slot(app, office_id, *, days=3, hour=10, channel="vor_ort", capacity=1, team_id=None, location="Raum 1",
              minutes=30) -> int:
    with storage_of(app).session() as db:
        plan = ops.SlotPlan(office_id=office_id, team_id=team_id, first_day=times.today() + timedelta(days=days),
                            at=time(hour), minutes=minutes, channel=channel, capacity=capacity, location=location)
        return ops.create(db, plan)[0].id


def past_slot(app, office_id) -> int:
    with storage_of(app).session() as db:
        slot = Slot(office_id=office_id, starts_at=datetime.now(timezone.utc) - timedelta(hours=1), minutes=30,
                    channel="vor_ort", capacity=5, booked=0)
        db.add(slot)
        db.flush()
        return slot.id


def search(client, postcode="10115", surname="", channel="alle"):
    return client.post("/termine", data={"csrf_token": csrf_token(client, "/termine"), "postcode": postcode,
                                         "surname": surname, "channel": channel})


def book(client, slot_id, **details):
    data = {"csrf_token": csrf_token(client, "/termine"), "name": "Eva Albers", **details}
    return client.post(f"/termine/buchen/{slot_id}", data=data)


def booked(client, slot_id, **details) -> tuple[str, str]:
    """Book and return (reference, access code) from the confirmation page."""
    response = book(client, slot_id, **details)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    reference = REFERENCE.search(response.headers["Location"]).group(1)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    return reference, CODE.search(page).group(1)


def slot_row(app, slot_id) -> Slot:
    with storage_of(app).reader() as db:
        return db.get(Slot, slot_id)


def booking_row(app, reference) -> Booking:
    with storage_of(app).reader() as db:
        return db.scalar(select(Booking).where(Booking.reference == reference))


# -- the applicant: finding and booking a slot ---------------------------------------------------------


def test_start_page_and_postcode_errors(client, offices):
    page = client.get("/termine")
    assert page.status_code == 200 and "Termin online buchen" in page.get_data(as_text=True)
    bad = search(client, postcode="1011")
    assert bad.status_code == 400
    html = bad.get_data(as_text=True)
    assert 'class="error-summary"' in html and 'href="#postcode"' in html and "5 Ziffern" in html
    assert search(client, channel="brieftaube").status_code == 400
    assert client.get("/termine/freie-termine").headers["Location"].endswith("/termine")  # no search yet
    assert search(client).headers["Location"].endswith("/termine/freie-termine")


def test_no_office_for_a_postcode_is_said_so(client):
    response = search(client, postcode="10115")  # no office at all in this installation
    assert response.status_code == 400 and "kein Jobcenter" in response.get_data(as_text=True)


def test_only_free_future_slots_of_the_office_and_team_are_offered(app, client, offices):
    nord, sued = offices.office["nord"], offices.office["sued"]
    a_k = make_slot(app, nord, team_id=offices.team[("nord", "A-K")], hour=9)
    l_z = make_slot(app, nord, team_id=offices.team[("nord", "L-Z")], hour=10)
    office_wide = make_slot(app, nord, hour=11, channel="telefon", capacity=2)
    full = make_slot(app, nord, hour=12)
    cancelled = make_slot(app, nord, hour=13)
    past = past_slot(app, nord)
    other_office = make_slot(app, sued, hour=14)
    with storage_of(app).session() as db:
        db.get(Slot, full).booked = 1
        ops.call_off(db, db.get(Slot, cancelled))

    def offered():
        html = client.get("/termine/freie-termine").get_data(as_text=True)
        return {int(v) for v in re.findall(r'name="slot" value="(\d+)"', html)}, html

    search(client, surname="Albers")
    ids, html = offered()
    assert ids == {a_k, office_wide} and "Zuständig: Jobcenter Nord" in html and "2 Plätze frei" in html
    search(client)  # no surname: every team of the office
    assert offered()[0] == {a_k, l_z, office_wide}
    search(client, channel="telefon")
    assert offered()[0] == {office_wide}
    search(client, postcode="80331")
    assert offered()[0] == {other_office}
    assert past not in offered()[0]


def test_choosing_nothing_is_an_error_and_a_choice_leads_to_the_details(app, client, offices):
    slot = make_slot(app, offices.office["nord"])
    search(client)
    token = csrf_token(client, "/termine/freie-termine")
    missing = client.post("/termine/freie-termine", data={"csrf_token": token})
    assert missing.status_code == 400 and "Wählen Sie einen Termin aus." in missing.get_data(as_text=True)
    assert client.post("/termine/freie-termine", data={"csrf_token": token, "slot": "'; DROP"}).status_code == 400
    chosen = client.post("/termine/freie-termine", data={"csrf_token": token, "slot": str(slot)})
    assert chosen.headers["Location"].endswith(f"/termine/buchen/{slot}")
    assert "Ihre Angaben zum Termin" in client.get(f"/termine/buchen/{slot}").get_data(as_text=True)


def test_booking_gives_reference_code_and_calendar_file_in_berlin_time(app, client, offices):
    slot = make_slot(app, offices.office["nord"], hour=10, location="Haus B, Raum 1.12")
    search(client)
    reference, code = booked(client, slot, application_reference="fw-20261125-abcd1234", concern="Arbeitssuche")
    row = booking_row(app, reference)
    assert row.status == "gebucht" and row.application_reference == "FW-20261125-ABCD1234"
    assert row.code_hash == hashlib.sha256(code.encode()).hexdigest() and code not in row.code_hash
    assert slot_row(app, slot).booked == 1
    page = client.get(f"/termine/buchung/{reference}/bestaetigung").get_data(as_text=True)
    assert "Ihr Termin ist gebucht" in page and reference in page and "10:00 bis 10:30 Uhr" in page
    assert "Haus B, Raum 1.12" in page
    response = client.get(f"/termine/buchung/{reference}/termin.ics")
    assert response.mimetype == "text/calendar" and "attachment" in response.headers["Content-Disposition"]
    calendar = icalendar.Calendar.from_ical(response.get_data())
    event = next(iter(calendar.walk("VEVENT")))
    start = event.decoded("dtstart")
    assert str(start.tzinfo) == "Europe/Berlin" and (start.hour, start.minute) == (10, 0)
    assert event.decoded("dtend") - start == timedelta(minutes=30)
    assert event["uid"] == f"{reference}@formwerk" and event["status"] == "CONFIRMED"
    assert "Haus B" in event["location"]
    assert any(c.name == "VTIMEZONE" for c in calendar.subcomponents)
    english = client.get(f"/termine/buchung/{reference}?lang=en").get_data(as_text=True)
    assert "Your appointment" in english and "Booked" in english


@pytest.mark.parametrize("details, field, message", [
    ({"name": ""}, "name", "Vor- und Nachnamen"),
    ({"name": "x" * 201}, "name", "zu lang"),
    ({"email": "keine-adresse"}, "email", "E-Mail-Adresse im richtigen Format"),
    ({"email": "a@b.de\r\nBcc: x@y.de"}, "email", "E-Mail-Adresse im richtigen Format"),
    ({"phone": "<script>"}, "phone", "Telefonnummer nur mit Ziffern"),
    ({"application_reference": "../../etc"}, "application_reference", "Aktenzeichen"),
    ({"concern": "x" * 1001}, "concern", "höchstens 1000 Zeichen"),
])
def test_details_are_checked_with_a_message_at_the_field(app, client, offices, details, field, message):
    slot = make_slot(app, offices.office["nord"])
    response = book(client, slot, **details)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and f'href="#{field}"' in html and message in html
    assert f'id="{field}-error"' in html
    assert slot_row(app, slot).booked == 0


def test_phone_appointments_need_a_number(app, client, offices):
    slot = make_slot(app, offices.office["nord"], channel="telefon")
    response = book(client, slot)
    assert response.status_code == 400 and "Telefonnummer ein, unter der" in response.get_data(as_text=True)
    reference, _ = booked(client, slot, phone="030 1234567")
    assert "030 1234567" in client.get(f"/termine/buchung/{reference}").get_data(as_text=True)


def test_a_full_slot_cannot_be_booked_and_the_second_applicant_is_told(app, offices):
    slot = make_slot(app, offices.office["nord"], capacity=1)
    first, second = app.test_client(), app.test_client()
    search(second)
    assert second.get(f"/termine/buchen/{slot}").status_code == 200  # both saw it free
    booked(first, slot)
    response = book(second, slot, name="Ben Berger")
    assert response.status_code == 302 and response.headers["Location"].endswith("/termine/freie-termine")
    assert "nicht mehr frei" in second.get(response.headers["Location"]).get_data(as_text=True)
    assert slot_row(app, slot).booked == 1
    with storage_of(app).reader() as db:
        assert db.scalar(select(text("count(*)")).select_from(Booking)) == 1


def test_past_called_off_and_unknown_slots_cannot_be_booked(app, client, offices):
    past = past_slot(app, offices.office["nord"])
    called_off = make_slot(app, offices.office["nord"])
    with storage_of(app).session() as db:
        ops.call_off(db, db.get(Slot, called_off))
    for slot in (past, called_off):
        assert client.get(f"/termine/buchen/{slot}").status_code == 302
        assert book(client, slot).status_code == 302
        assert slot_row(app, slot).booked == 0
    assert client.get("/termine/buchen/999999").status_code == 404
    assert client.get("/termine/buchen/abc").status_code == 404
    # the database itself refuses: the conditional UPDATE checks the time, not the page
    future = make_slot(app, offices.office["nord"], days=1)
    later = slot_row(app, future).starts_at.replace(tzinfo=timezone.utc) + timedelta(minutes=1)
    assert ops.book(storage_of(app), future, offices.office["nord"], ops.Details(name="X"), now=later) is None
    # and another office's id does not take a place of this one's slot
    assert ops.book(storage_of(app), future, offices.office["sued"], ops.Details(name="X")) is None
    assert slot_row(app, future).booked == 0


def test_posts_without_csrf_token_are_refused(app, client, offices):
    slot = make_slot(app, offices.office["nord"])
    assert client.post(f"/termine/buchen/{slot}", data={"name": "Eva"}).status_code == 400
    assert client.post("/termine", data={"postcode": "10115", "channel": "alle"}).status_code == 400
    assert slot_row(app, slot).booked == 0
    reference, _ = booked(client, slot)
    assert client.post(f"/termine/buchung/{reference}/absagen").status_code == 400
    assert booking_row(app, reference).status == "gebucht"


# -- the race for the last place, on both databases ------------------------------------------------------------


@pytest.mark.parametrize("capacity, racers", [(1, 8), (3, 10)])
def test_racing_applicants_never_overbook(storage, capacity, racers):
    with storage.session() as db:
        office = Office(slug="o", name="Jobcenter", letterhead="", legal_remedy="", target_days=21, is_fallback=True,
                        mfa_required=False)
        db.add(office)
        db.flush()
        office_id = office.id
        slot_id = ops.create(db, ops.SlotPlan(office_id=office_id, team_id=None, first_day=times.today() + timedelta(days=2),
                                              at=time(10), minutes=30, channel="video", capacity=capacity))[0].id
    barrier = threading.Barrier(racers)
    results, errors = [], []

    def racer(n):
        try:
            barrier.wait(timeout=10)
            results.append(ops.book(storage, slot_id, office_id, ops.Details(name=f"Racer {n}")))
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=racer, args=(n,)) for n in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert sum(1 for r in results if r is not None) == capacity
    with storage.reader() as db:
        assert db.get(Slot, slot_id).booked == capacity
        assert len(db.scalars(select(Booking).where(Booking.slot_id == slot_id)).all()) == capacity


def test_the_database_refuses_overbooking_even_without_the_condition(storage):
    from sqlalchemy.exc import IntegrityError

    with storage.session() as db:
        office = Office(slug="o", name="J", letterhead="", legal_remedy="", target_days=21, is_fallback=True,
                        mfa_required=False)
        db.add(office)
        db.flush()
        slot_id = ops.create(db, ops.SlotPlan(office_id=office.id, team_id=None, first_day=times.today() + timedelta(days=2),
                                              at=time(10), minutes=30, channel="video", capacity=1))[0].id
    with pytest.raises(IntegrityError):
        with storage.session() as db:
            db.execute(text("UPDATE appointment_slots SET booked = 2 WHERE id = :id"), {"id": slot_id})


# -- cancel and move with reference and access code ---------------------------------------------------------------


def test_lookup_with_reference_and_code_then_cancel(app, client, offices):
    slot = make_slot(app, offices.office["nord"], capacity=2)
    reference, code = booked(client, slot)
    other = app.test_client()
    token = csrf_token(other, "/termine/verwalten")
    wrong = other.post("/termine/verwalten", data={"csrf_token": token, "reference": reference, "code": "falsch"})
    assert wrong.status_code == 404 and "passen nicht zusammen" in wrong.get_data(as_text=True)
    assert other.get(f"/termine/buchung/{reference}").status_code == 404
    found = other.post("/termine/verwalten", data={"csrf_token": token, "reference": reference.lower(), "code": code})
    assert found.headers["Location"].endswith(f"/termine/buchung/{reference}")
    assert "Gebucht" in other.get(f"/termine/buchung/{reference}").get_data(as_text=True)
    assert "Möchten Sie diesen Termin absagen?" in other.get(f"/termine/buchung/{reference}/absagen").get_data(as_text=True)
    done = other.post(f"/termine/buchung/{reference}/absagen", data={"csrf_token": token})
    assert done.headers["Location"].endswith(f"/termine/buchung/{reference}")
    assert "Ihr Termin ist abgesagt." in other.get(done.headers["Location"]).get_data(as_text=True)
    assert booking_row(app, reference).status == "storniert" and slot_row(app, slot).booked == 0
    # cancelling twice frees no second place; a cancelled booking cannot be moved
    assert other.post(f"/termine/buchung/{reference}/absagen", data={"csrf_token": token}).status_code == 302
    assert other.get(f"/termine/buchung/{reference}/verschieben").status_code == 302
    assert slot_row(app, slot).booked == 0
    ics = icalendar.Calendar.from_ical(other.get(f"/termine/buchung/{reference}/termin.ics").get_data())
    assert next(iter(ics.walk("VEVENT")))["status"] == "CANCELLED"


def test_lookup_is_rate_limited(app, client, offices):
    app.config.update(RATE_LIMIT_FACTOR=1, RATE_LIMITS={"appointment_lookup": (3, 600)})
    token = csrf_token(client, "/termine/verwalten")
    codes = [client.post("/termine/verwalten", data={"csrf_token": token, "reference": "T-AAAA-AAAA",
                                                      "code": str(n)}).status_code for n in range(5)]
    assert codes == [404, 404, 404, 429, 429]


def test_move_to_a_free_slot_of_the_same_office_only(app, client, offices):
    nord, sued = offices.office["nord"], offices.office["sued"]
    first = make_slot(app, nord, hour=9)
    target = make_slot(app, nord, hour=11, channel="video")
    full = make_slot(app, nord, hour=12)
    past = past_slot(app, nord)
    foreign = make_slot(app, sued, hour=13)
    with storage_of(app).session() as db:
        db.get(Slot, full).booked = 1
    reference, _ = booked(client, first)
    page = client.get(f"/termine/buchung/{reference}/verschieben").get_data(as_text=True)
    offered = {int(v) for v in re.findall(r'name="slot" value="(\d+)"', page)}
    assert offered == {target}
    token = csrf_token(client, "/termine")
    url = f"/termine/buchung/{reference}/verschieben"
    assert client.post(url, data={"csrf_token": token}).status_code == 400
    for slot in (full, past, foreign, first, 10**9):
        response = client.post(url, data={"csrf_token": token, "slot": str(slot)})
        assert response.status_code == 409 and "nicht mehr frei" in response.get_data(as_text=True)
    assert booking_row(app, reference).slot_id == first and slot_row(app, first).booked == 1
    assert slot_row(app, foreign).booked == 0
    moved = client.post(url, data={"csrf_token": token, "slot": str(target)})
    assert moved.headers["Location"].endswith(f"/termine/buchung/{reference}/bestaetigung")
    assert booking_row(app, reference).slot_id == target
    assert (slot_row(app, first).booked, slot_row(app, target).booked) == (0, 1)
    assert "11:00 bis 11:30 Uhr" in client.get(moved.headers["Location"]).get_data(as_text=True)


def test_a_reference_alone_reveals_nothing(app, offices):
    slot = make_slot(app, offices.office["nord"], capacity=2)
    owner, stranger = app.test_client(), app.test_client()
    reference, _ = booked(owner, slot)
    token = csrf_token(stranger, "/termine")
    for path in ("", "/bestaetigung", "/termin.ics", "/absagen", "/verschieben"):
        assert stranger.get(f"/termine/buchung/{reference}{path}").status_code == 404
    assert stranger.post(f"/termine/buchung/{reference}/absagen", data={"csrf_token": token}).status_code == 404
    assert stranger.post(f"/termine/buchung/{reference}/verschieben", data={"csrf_token": token, "slot": str(slot)}).status_code == 404
    assert stranger.get("/termine/buchung/" + "X" * 300).status_code == 404
    assert booking_row(app, reference).status == "gebucht"


def test_confirmation_by_email_with_the_calendar_file(app, client, offices, smtp_server):  # noqa: F811
    url, mailbox = smtp_server
    app.config["FORMWERK_SMTP_URL"] = url
    app.config["PUBLIC_URL"] = "https://jobcenter.example"
    with storage_of(app).session() as db:
        db.add(AppointmentSettings(office_id=offices.office["nord"], video_link="https://video.example/raum-nord"))
    slot = make_slot(app, offices.office["nord"], channel="video")
    reference, code = booked(client, slot, email="eva@example.org")
    assert "Bestätigung per E-Mail" in client.get(f"/termine/buchung/{reference}/bestaetigung").get_data(as_text=True)
    (message,) = mailbox.parsed()
    assert message["To"] == "eva@example.org" and message["Subject"] == "Ihr Termin beim Jobcenter"
    body = message.get_body(("plain",)).get_content()
    assert reference in body and "https://video.example/raum-nord" in body and code not in body
    assert "https://jobcenter.example/termine/verwalten" in body
    attachment = next(part for part in message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    event = next(iter(icalendar.Calendar.from_ical(attachment.get_content()).walk("VEVENT")))
    assert event["url"] == "https://video.example/raum-nord"


def test_no_smtp_server_means_no_email_and_a_broken_one_fails_nothing(app, client, offices):
    slot = make_slot(app, offices.office["nord"], capacity=2)
    reference, _ = booked(client, slot, email="eva@example.org")
    assert "Bestätigung per E-Mail" not in client.get(f"/termine/buchung/{reference}/bestaetigung").get_data(as_text=True)
    app.config["FORMWERK_SMTP_URL"] = "smtp://127.0.0.1:1"
    reference, _ = booked(client, slot, email="eva@example.org")
    assert booking_row(app, reference).status == "gebucht"


# -- staff: publishing slots, calling them off, settings --------------------------------------------------------------


def slot_form(client, **values):
    data = {"csrf_token": csrf_token(client, "/amt/termine/zeiten/neu"), "team": "", "channel": "vor_ort",
            "day": (times.today() + timedelta(days=7)).isoformat(), "time": "09:30", "minutes": "30",
            "capacity": "2", "location": "Raum 3", "weeks": "1", **values}
    return client.post("/amt/termine/zeiten/neu", data=data)


def test_team_lead_publishes_a_single_slot_and_a_weekly_series_across_summer_time(app, client, offices):
    assert login(client, offices.email["teamlead_a"]).status_code == 302
    assert slot_form(client, team=str(offices.team[("nord", "A-K")])).headers["Location"].endswith("/amt/termine/zeiten")
    response = slot_form(client, weeks="26", channel="video", location="ignored for video")
    assert response.status_code == 302
    with storage_of(app).reader() as db:
        rows = db.scalars(select(Slot).order_by(Slot.starts_at)).all()
    assert len(rows) == 27 and all(r.office_id == offices.office["nord"] for r in rows)
    series = [r for r in rows if r.series]
    assert len(series) == 26 and len({r.series for r in series}) == 1 and series[0].location == ""
    assert {(times.local(r.starts_at).hour, times.local(r.starts_at).minute) for r in rows} == {(9, 30)}
    assert len({times.local(r.starts_at).utcoffset() for r in series}) == 2  # winter and summer time
    assert "Veröffentlichte Termine" in client.get("/amt/termine/zeiten").get_data(as_text=True)


@pytest.mark.parametrize("values, field", [
    ({"time": "25:00"}, "time"), ({"day": "2026-02-30"}, "day"), ({"day": "1999-01-01"}, "day"),
    ({"day": "9999-12-31"}, "day"), ({"minutes": "0"}, "minutes"), ({"capacity": "51"}, "capacity"),
    ({"weeks": "27"}, "weeks"), ({"channel": "brief"}, "channel-0"), ({"team": "abc"}, "team"),
    ({"location": "x" * 301}, "location"),
])
def test_slot_form_errors(app, client, offices, values, field):
    login(client, offices.email["admin_a"])
    response = slot_form(client, **values)
    assert response.status_code == 400 and f'href="#{field}"' in response.get_data(as_text=True)
    with storage_of(app).reader() as db:
        assert db.scalars(select(Slot)).all() == []


def test_slots_cannot_go_to_another_offices_team_or_be_called_off_from_there(app, client, offices):
    login(client, offices.email["teamlead_a"])
    assert slot_form(client, team=str(offices.team[("sued", "A-Z")])).status_code == 400
    theirs = make_slot(app, offices.office["sued"])
    assert client.get(f"/amt/termine/zeiten/{theirs}/absagen").status_code == 404
    token = csrf_token(client, "/amt/termine/zeiten/neu")
    assert client.post(f"/amt/termine/zeiten/{theirs}/absagen", data={"csrf_token": token}).status_code == 404
    assert slot_row(app, theirs).cancelled_at is None


def test_caseworkers_and_authors_publish_nothing(app, offices):
    for key in ("caseworker_a", "author_a"):
        client = app.test_client()
        login(client, offices.email[key])
        assert client.get("/amt/termine/zeiten/neu").status_code == 403
        assert client.get("/amt/termine/einstellungen").status_code == 403


def test_calling_off_a_slot_tells_the_booked_applicants(app, offices, smtp_server):  # noqa: F811
    url, mailbox = smtp_server
    app.config["FORMWERK_SMTP_URL"] = url
    slot = make_slot(app, offices.office["nord"], capacity=3)
    applicant = app.test_client()
    with_mail, _ = booked(applicant, slot, email="eva@example.org")
    without_mail, _ = booked(applicant, slot)
    mailbox.messages.clear()
    staff = app.test_client()
    login(staff, offices.email["teamlead_a"])
    page = staff.get(f"/amt/termine/zeiten/{slot}/absagen").get_data(as_text=True)
    assert "Gebuchte Personen: 2" in page
    done = staff.post(f"/amt/termine/zeiten/{slot}/absagen", data={"csrf_token": csrf_token(staff, "/amt/termine/zeiten")})
    assert done.headers["Location"].endswith("/amt/termine/zeiten")
    assert {booking_row(app, r).status for r in (with_mail, without_mail)} == {"abgesagt"}
    assert slot_row(app, slot).cancelled_at is not None
    (message,) = mailbox.parsed()
    assert message["To"] == "eva@example.org" and "fällt aus" in message["Subject"]
    assert with_mail in message.get_body(("plain",)).get_content()
    page = applicant.get(f"/termine/buchung/{with_mail}").get_data(as_text=True)
    assert "Vom Jobcenter abgesagt" in page and "Neuen Termin buchen" in page
    assert applicant.get(f"/termine/buchung/{with_mail}/absagen").status_code == 302  # nothing left to cancel


def test_admin_sets_the_video_link_and_video_bookings_carry_it(app, client, offices):
    admin = app.test_client()
    login(admin, offices.email["admin_a"])
    token = csrf_token(admin, "/amt/termine/einstellungen")
    for bad in ("http://video.example/x", "javascript:alert(1)", "https://video.example/a b", "https://" + "x" * 500):
        response = admin.post("/amt/termine/einstellungen", data={"csrf_token": token, "video_link": bad})
        assert response.status_code == 400 and "https://" in response.get_data(as_text=True)
    saved = admin.post("/amt/termine/einstellungen", data={"csrf_token": token, "video_link": "https://video.example/nord"})
    assert saved.status_code == 302
    assert "https://video.example/nord" in admin.get("/amt/termine/zeiten").get_data(as_text=True)
    video = make_slot(app, offices.office["nord"], channel="video", capacity=2)
    reference, _ = booked(client, video)
    page = client.get(f"/termine/buchung/{reference}/bestaetigung").get_data(as_text=True)
    assert 'href="https://video.example/nord"' in page
    # another office's admin sets its own link; it does not leak into office A's bookings
    other = app.test_client()
    login(other, offices.email["admin_b"])
    other.post("/amt/termine/einstellungen", data={"csrf_token": csrf_token(other, "/amt/termine/einstellungen"),
                                                   "video_link": "https://video.example/sued"})
    assert "video.example/sued" not in client.get(f"/termine/buchung/{reference}").get_data(as_text=True)
    cleared = admin.post("/amt/termine/einstellungen", data={"csrf_token": token, "video_link": ""})
    assert cleared.status_code == 302
    assert "schickt Ihnen das Jobcenter" in client.get(f"/termine/buchung/{reference}").get_data(as_text=True)


# -- staff: the day's appointments, scoped ---------------------------------------------------------------------------


def test_day_view_is_scoped_to_office_and_team_and_links_only_visible_applications(app, offices):
    nord, sued = offices.office["nord"], offices.office["sued"]
    answers, as_of = first_valid_case()
    app.config["FORMWERK_TODAY"] = as_of
    answers["person"]["nachname"], answers["kontakt"]["plz"] = "Albers", "10115"  # nord, team A-K
    own_case = submit(app, app.test_client(), answers, as_of=as_of).reference
    answers["kontakt"]["plz"] = "80331"  # sued
    foreign_case = submit(app, app.test_client(), answers, as_of=as_of).reference
    a_k = make_slot(app, nord, team_id=offices.team[("nord", "A-K")], hour=9, capacity=3)
    l_z = make_slot(app, nord, team_id=offices.team[("nord", "L-Z")], hour=10)
    office_wide = make_slot(app, nord, hour=11, channel="telefon")
    theirs = make_slot(app, sued, hour=12)
    applicant = app.test_client()
    booked(applicant, a_k, name="Anna Albers", application_reference=own_case)
    booked(applicant, a_k, name="Fritz Fremd", application_reference=foreign_case)
    booked(applicant, l_z, name="Lena Lorenz")
    booked(applicant, office_wide, name="Olga Ort", phone="0301234567")
    booked(applicant, theirs, name="Sven Süd")
    day = (times.today() + timedelta(days=3)).isoformat()

    def seen(key):
        client = app.test_client()
        login(client, offices.email[key])
        response = client.get(f"/amt/termine?tag={day}")
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        names = {n for n in ("Anna Albers", "Fritz Fremd", "Lena Lorenz", "Olga Ort", "Sven Süd") if n in html}
        return names, html

    names, html = seen("caseworker_a")
    assert names == {"Anna Albers", "Fritz Fremd", "Olga Ort"}
    assert f'href="/amt/faelle/{own_case}"' in html and f'href="/amt/faelle/{foreign_case}"' not in html
    assert foreign_case in html  # shown as given, not linked
    names, html = seen("teamlead_a")
    assert names == {"Anna Albers", "Fritz Fremd", "Lena Lorenz", "Olga Ort"}
    assert f'href="/amt/faelle/{own_case}"' in html and f'href="/amt/faelle/{foreign_case}"' not in html
    names, html = seen("caseworker_b")
    assert names == {"Sven Süd"} and own_case not in html
    other = app.test_client()
    login(other, offices.email["caseworker_a2"])  # team L-Z
    html = other.get(f"/amt/termine?tag={day}").get_data(as_text=True)
    assert "Lena Lorenz" in html and "Anna Albers" not in html and "Olga Ort" in html
    # a bad day falls back to today, never an error
    assert other.get("/amt/termine?tag=2026-99-99").status_code == 200
    assert other.get("/amt/termine?tag=<script>").status_code == 200


def test_booking_is_rate_limited(app, client, offices):
    slot = make_slot(app, offices.office["nord"], capacity=10)
    app.config.update(RATE_LIMIT_FACTOR=1, RATE_LIMITS={"appointment_book": (2, 3600)})
    codes = [book(client, slot).status_code for _ in range(3)]
    assert codes == [302, 302, 429] and slot_row(app, slot).booked == 2


def test_two_tabs_moving_one_booking_at_once_take_one_place(storage):
    with storage.session() as db:
        office = Office(slug="o", name="J", letterhead="", legal_remedy="", target_days=21, is_fallback=True,
                        mfa_required=False)
        db.add(office)
        db.flush()
        office_id = office.id
        first, *targets = [ops.create(db, ops.SlotPlan(office_id=office_id, team_id=None,
                                                       first_day=times.today() + timedelta(days=2), at=time(hour),
                                                       minutes=30, channel="video", capacity=2))[0].id
                           for hour in (9, 10, 11, 12, 13)]
    row, _ = ops.book(storage, first, office_id, ops.Details(name="Eva"))
    barrier = threading.Barrier(len(targets))
    results = []

    def mover(target):
        barrier.wait(timeout=10)
        results.append(ops.move(storage, row.id, target))

    threads = [threading.Thread(target=mover, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(results) == len(targets) and sum(results) >= 1
    with storage.reader() as db:
        booked_places = {s.id: s.booked for s in db.scalars(select(Slot))}
        final = db.get(Booking, row.id).slot_id
    # however many "won", the booking holds exactly one place, and that place is its slot's
    assert sum(booked_places.values()) == 1 and booked_places[final] == 1


def test_staff_navigation_and_audit(app, offices):
    from webapp.accounts.models import AuditEvent

    for key, shown in (("caseworker_a", True), ("teamlead_a", True), ("admin_a", True), ("author_a", False)):
        client = app.test_client()
        login(client, offices.email[key])
        html = client.get("/amt/konto").get_data(as_text=True)
        assert (">Termine</a>" in html) is shown, key
    client = app.test_client()
    login(client, offices.email["caseworker_a"])
    client.get("/amt/termine")
    with storage_of(app).reader() as db:
        event = db.scalars(select(AuditEvent).where(AuditEvent.action == "appointments.day")).one()
    assert event.office_id == offices.office["nord"] and event.actor.startswith("staff:")


def test_ending_the_session_forgets_the_access_code(app, client, offices):
    slot = make_slot(app, offices.office["nord"])
    reference, _ = booked(client, slot)
    page = client.get(f"/termine/buchung/{reference}").get_data(as_text=True)
    assert 'action="/sitzung-beenden"' in page  # the header offers to end the session
    client.post("/sitzung-beenden", data={"csrf_token": csrf_token(client, "/termine")})
    assert client.get(f"/termine/buchung/{reference}").status_code == 404


def test_moves_stay_with_the_team_and_need_a_number_for_phone_slots(app, client, offices):
    nord = offices.office["nord"]
    own_team = make_slot(app, nord, team_id=offices.team[("nord", "A-K")], hour=9)
    other_team = make_slot(app, nord, team_id=offices.team[("nord", "L-Z")], hour=10)
    phone = make_slot(app, nord, team_id=offices.team[("nord", "A-K")], hour=11, channel="telefon")
    video = make_slot(app, nord, hour=12, channel="video")
    reference, _ = booked(client, own_team)
    url = f"/termine/buchung/{reference}/verschieben"
    offered = {int(v) for v in re.findall(r'name="slot" value="(\d+)"', client.get(url).get_data(as_text=True))}
    assert offered == {video}
    token = csrf_token(client, "/termine")
    for slot in (other_team, phone):
        assert client.post(url, data={"csrf_token": token, "slot": str(slot)}).status_code == 409
    assert booking_row(app, reference).slot_id == own_team
    assert client.post(url, data={"csrf_token": token, "slot": str(video)}).status_code == 302


def test_links_in_emails_never_come_from_the_host_header_alone(app):
    """Without PUBLIC_URL (and outside testing/debug, where the host is taken
    as given) a forged Host header must not reach the links the Jobcenter
    e-mails: they stay relative until an origin is configured."""
    from webapp.appointments.presenting import public_link
    from webapp.office.notify import mailbox_link

    app.config["PUBLIC_URL"] = None
    app.testing = False
    try:
        with app.test_request_context("/", base_url="http://evil.test/"):
            links = [public_link("appointments.lookup"), mailbox_link()]
            assert all(link.startswith("/") and "evil.test" not in link for link in links), links
        app.config["PUBLIC_URL"] = "https://jobcenter.example"
        with app.test_request_context("/", base_url="http://evil.test/"):
            assert mailbox_link().startswith("https://jobcenter.example/")
    finally:
        app.testing = True
