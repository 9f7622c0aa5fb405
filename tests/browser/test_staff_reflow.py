"""Staff pages reflow at 320 CSS pixels (WCAG 1.4.10): the page itself never
scrolls sideways; wide tables scroll inside their ``.table-wrap``, which is
a named, keyboard-focusable region (axe: scrollable-region-focusable)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_office import live_offices, submit_case  # noqa: F401
from tests.staff import PASSWORD

ADMIN = "/amt/verwaltung"


def _sign_in(context, live_server, email, landing):
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server}/amt/anmelden")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page).to_have_url(re.compile(landing))
    return page


def _fits(page, url):
    page.goto(url)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 320, f"{url}: the page is {width} px wide at a 320 px viewport"
    for region in page.locator(".table-wrap").all():
        assert region.get_attribute("tabindex") == "0", url
        assert region.get_attribute("role") == "region", url
        assert region.get_attribute("aria-labelledby") or region.get_attribute("aria-label"), url


@pytest.fixture
def narrow(browser):
    context = browser.new_context(locale="de-DE", viewport={"width": 320, "height": 640})
    yield context
    context.close()


def test_staff_pages_reflow_at_320_px(live_app, live_server, live_offices, narrow, axe):  # noqa: F811
    submit_case(live_app, "Albers")
    caseworker = _sign_in(narrow, live_server, live_offices.email["caseworker_a"], r"/amt/faelle")
    _fits(caseworker, f"{live_server}/amt/faelle")
    axe.check(caseworker)
    caseworker.close()
    narrow.clear_cookies()
    admin = _sign_in(narrow, live_server, live_offices.email["admin_a"], r"/amt/")
    for path in ("/mitarbeitende", "/teams", "/api-zugaenge", "/postleitzahlen", "/protokoll"):
        _fits(admin, f"{live_server}{ADMIN}{path}")
        axe.check(admin)  # scrolling tables are focusable, named regions (scrollable-region-focusable)
