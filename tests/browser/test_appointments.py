"""Online appointments in Chromium: an applicant books, moves and cancels
(and finds the booking again with reference and access code), staff see the
day and publish slots; axe-core (WCAG 2.1 A/AA) on every page, error states
included."""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest
from playwright.sync_api import expect

from tests.staff import PASSWORD, create_offices
from webapp.appointments import booking as ops
from webapp.appointments import times


@pytest.fixture(scope="module")
def live_offices(live_app):
    """Offices and staff in the live app (created once per session, shared with the other browser tests)."""
    made = live_app.extensions.get("tests.offices")
    if made is None:
        made = live_app.extensions["tests.offices"] = create_offices(live_app)
    return made


@pytest.fixture(scope="module")
def slots(live_app, live_offices):
    """Three slots of office nord, five days ahead: two on site, one by video."""
    day = times.today() + timedelta(days=5)
    with live_app.extensions["formwerk.storage"].session() as db:
        made = [ops.create(db, ops.SlotPlan(office_id=live_offices.office["nord"], team_id=None, first_day=day,
                                            at=time(hour), minutes=30, channel=channel, capacity=2,
                                            location="Haus A, Raum 0.14" if channel == "vor_ort" else ""))[0].id
                for hour, channel in ((8, "vor_ort"), (9, "vor_ort"), (10, "video"))]
    return day, made


def test_applicant_books_moves_and_cancels(live_server, slots, page, axe, browser):
    day, _ = slots
    page.goto(f"{live_server}/")
    page.get_by_role("link", name="Termin beim Jobcenter online buchen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Termin online buchen")
    axe.check(page)
    page.get_by_role("button", name="Freie Termine anzeigen").click()  # no postcode: the error summary
    expect(page.locator(".error-summary")).to_contain_text("5 Ziffern")
    axe.check(page)
    page.get_by_label("Ihre Postleitzahl").fill("10115")
    page.get_by_role("button", name="Freie Termine anzeigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wählen Sie einen Termin")
    axe.check(page)
    page.get_by_role("button", name="Weiter").click()  # nothing chosen
    expect(page.locator(".error-summary")).to_contain_text("Wählen Sie einen Termin aus.")
    axe.check(page)
    page.get_by_label(re.compile(r"^08:00 Uhr")).check()
    page.get_by_role("button", name="Weiter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihre Angaben zum Termin")
    axe.check(page)
    page.get_by_role("button", name="Termin buchen").click()  # no name
    expect(page.locator(".error-summary")).to_contain_text("Vor- und Nachnamen")
    axe.check(page)
    page.get_by_label("Vor- und Nachname").fill("Eva Albers")
    page.get_by_role("button", name="Termin buchen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihr Termin ist gebucht")
    expect(page.locator("main")).to_contain_text("08:00 bis 08:30 Uhr")
    axe.check(page)
    reference = page.locator(".panel .reference").inner_text()
    code = page.locator("code.hash").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Termin in den Kalender übernehmen (.ics)").click()
    assert download.value.suggested_filename == f"termin-{reference}.ics"

    page.get_by_role("link", name="Termin verschieben").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Termin verschieben")
    axe.check(page)
    page.get_by_label(re.compile(r"^09:00 Uhr")).check()
    page.get_by_role("button", name="Auf diesen Termin verschieben").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihr Termin ist gebucht")
    expect(page.locator("main")).to_contain_text("09:00 bis 09:30 Uhr")

    # another browser finds the booking with reference and access code, and cancels it
    other = browser.new_context(locale="de-DE")
    try:
        second = other.new_page()
        second.goto(f"{live_server}/termine/verwalten")
        axe.check(second)
        second.get_by_label("Buchungsnummer").fill(reference)
        second.get_by_label("Ihr Zugangscode").fill("falsch")
        second.get_by_role("button", name="Termin anzeigen").click()
        expect(second.locator(".error-summary")).to_contain_text("passen nicht zusammen")
        axe.check(second)
        second.get_by_label("Buchungsnummer").fill(reference)
        second.get_by_label("Ihr Zugangscode").fill(code)
        second.get_by_role("button", name="Termin anzeigen").click()
        expect(second.get_by_role("heading", level=1)).to_have_text("Ihr Termin")
        expect(second.locator("main")).to_contain_text("09:00 bis 09:30 Uhr")
        axe.check(second)
        second.get_by_role("link", name="Termin absagen").click()
        expect(second.get_by_role("heading", level=1)).to_have_text("Möchten Sie diesen Termin absagen?")
        axe.check(second)
        second.get_by_role("button", name="Ja, Termin absagen").click()
        expect(second.locator(".notice")).to_have_text("Ihr Termin ist abgesagt.")
        expect(second.locator("main")).to_contain_text("Von Ihnen abgesagt")
        axe.check(second)
    finally:
        other.close()
    page.goto(f"{live_server}/termine/buchung/{reference}?lang=en")
    expect(page.locator("main")).to_contain_text("Cancelled by you")
    axe.check(page)


def test_booking_works_without_javascript(live_server, slots, browser):
    context = browser.new_context(locale="de-DE", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{live_server}/termine")
        page.get_by_label("Ihre Postleitzahl").fill("10115")
        page.get_by_label("Video").check()
        page.get_by_role("button", name="Freie Termine anzeigen").click()
        page.get_by_label(re.compile(r"^10:00 Uhr")).check()
        page.get_by_role("button", name="Weiter").click()
        page.get_by_label("Vor- und Nachname").fill("Nora Nojs")
        page.get_by_role("button", name="Termin buchen").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Ihr Termin ist gebucht")
        expect(page.locator("main")).to_contain_text("Video")
    finally:
        context.close()


def sign_in(page, live_server, email):
    page.goto(f"{live_server}/amt/anmelden")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page).not_to_have_url(re.compile(r"/amt/anmelden"))


def test_staff_pages_pass_axe(live_server, live_offices, slots, browser, axe):
    day, made = slots
    context = browser.new_context(locale="de-DE")
    try:
        page = context.new_page()
        sign_in(page, live_server, live_offices.email["teamlead_a"])
        page.goto(f"{live_server}/amt/termine?tag={day.isoformat()}")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Termine am")
        axe.check(page)
        page.get_by_role("link", name="Termine veröffentlichen").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Veröffentlichte Termine")
        axe.check(page)
        page.get_by_role("link", name="Neue Termine anlegen").click()
        page.get_by_role("button", name="Termine anlegen").click()  # nothing filled in
        expect(page.locator(".error-summary")).to_be_visible()
        axe.check(page)
        page.goto(f"{live_server}/amt/termine/zeiten/{made[2]}/absagen")
        expect(page.get_by_role("heading", level=1)).to_have_text("Termin absagen")
        axe.check(page)
    finally:
        context.close()
    context = browser.new_context(locale="de-DE")
    try:
        page = context.new_page()
        sign_in(page, live_server, live_offices.email["admin_a"])
        page.goto(f"{live_server}/amt/termine/einstellungen")
        page.get_by_label("Link für Videogespräche").fill("http://unsicher.example")
        page.get_by_role("button", name="Speichern").click()
        expect(page.locator(".error-summary")).to_contain_text("https://")
        axe.check(page)
    finally:
        context.close()
