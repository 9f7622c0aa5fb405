"""The start page in a real browser: forms listed, language switch, no axe violations."""

import re

from playwright.sync_api import expect


def test_start_page_lists_forms_and_switches_language(page, live_server, axe):
    page.goto(live_server + "/")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=1)).to_have_text("Anträge und Anfragen online stellen")
    expect(page.get_by_role("link", name="Terminanfrage")).to_be_visible()
    axe.check(page)

    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Appointment request")).to_be_visible()
    axe.check(page)


def test_form_overview_and_error_page_have_no_axe_violations(page, live_server, axe):
    page.goto(live_server + "/")
    page.get_by_role("link", name="Terminanfrage").click()
    expect(page).to_have_url(re.compile(r"/formulare/terminanfrage$"))
    expect(page.get_by_role("listitem").filter(has_text="Ihr Terminwunsch")).to_be_visible()
    axe.check(page)
    page.goto(live_server + "/not-there")
    expect(page.get_by_role("heading", level=1)).to_have_text("Seite nicht gefunden")
    axe.check(page)


def test_keyboard_reaches_the_skip_link_first(page, live_server):
    page.goto(live_server + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "Zum Inhalt springen"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


def test_start_page_fits_a_phone_screen(browser, live_server):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(live_server + "/")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    context.close()
