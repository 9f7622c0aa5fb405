"""The caseworker's side in a real Chromium: sign in, find an application
in the inbox (htmx filter and "assign to me", and the same without
JavaScript), open the case file, change the status; axe-core finds no
WCAG 2.1 A/AA violation on the inbox and the case pages."""

import re

from playwright.sync_api import expect

from tests.staff import browser_sign_in, first_valid_case, live_offices, settle, submit  # noqa: F401 (fixture)


def submit_case(live_app, surname: str, rent: int = 450):
    answers, as_of = first_valid_case()
    answers["kontakt"]["plz"] = "10115"  # office nord
    answers["person"]["nachname"] = surname
    answers["wohnen"]["kaltmiete"] = rent
    previous = live_app.config.get("FORMWERK_TODAY")
    live_app.config["FORMWERK_TODAY"] = as_of
    try:
        return submit(live_app, live_app.test_client(), answers, as_of=as_of)
    finally:
        live_app.config["FORMWERK_TODAY"] = previous


def sign_in(page, live_server, email):
    browser_sign_in(page, live_server, email)
    expect(page).to_have_url(re.compile(r"/amt/faelle"))


def test_caseworker_finds_opens_and_moves_a_case(live_app, live_server, live_offices, page, axe):
    application = submit_case(live_app, "Albers", rent=2500)  # nord, team A-K, a confirmed warning
    submit_case(live_app, "Berger")
    sign_in(page, live_server, live_offices.email["caseworker_a"])
    expect(page.get_by_role("heading", name="Posteingang")).to_be_visible()
    expect(page.get_by_role("link", name=application.reference)).to_be_visible()
    axe.check(page)

    # htmx: typing filters the list without a reload, and the URL follows
    page.evaluate("() => { window.__same_document = true }")
    page.get_by_label("Aktenzeichen oder Name").fill("alber")
    expect(page.locator("#inbox-count")).to_have_text("1 Antrag gefunden")
    settle(page)
    assert page.evaluate("() => window.__same_document === true")
    assert "q=alber" in page.url
    expect(page.locator("#inbox-results").get_by_role("link", name=application.reference)).to_be_visible()

    # assign to me, swapped in place: the pressed button is gone, so focus lands on the row's new
    # assignee (not on the page's start), and the lasting live region announces the change
    page.locator("#inbox-results").get_by_role("button", name=f"Mir zuweisen {application.reference}").click()
    expect(page.locator("#inbox-messages")).to_have_text("Der Antrag ist Ihnen jetzt zugewiesen.")
    expect(page.locator("#inbox-messages")).to_have_attribute("role", "status")
    settle(page)
    assert page.evaluate("() => window.__same_document === true")
    expect(page.locator("#inbox-results")).to_contain_text("Caseworker A")
    focused = page.locator(f"#assignee-{application.reference}")
    expect(focused).to_be_focused()
    expect(focused).to_contain_text(f"{application.reference} ist Ihnen jetzt zugewiesen")
    page.keyboard.press("Shift+Tab")  # the keyboard goes on from that row, not from the page's start
    expect(page.locator("#inbox-results").get_by_role("link", name=application.reference)).to_be_focused()
    axe.check(page)

    # the case file
    page.get_by_role("link", name=application.reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(application.reference)
    expect(page.locator(".case-warning")).to_contain_text("2.500,00 €")
    expect(page.get_by_role("table", name=re.compile("Schätzung"))).to_contain_text("563,00 €")
    axe.check(page)

    page.get_by_label("Neuer Status").select_option(label="In Bearbeitung")
    page.get_by_label("Bemerkung (optional)").fill("Ich übernehme.")
    page.get_by_role("button", name="Status ändern").click()
    expect(page.get_by_role("status").first).to_contain_text("Der Status ist geändert.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("In Bearbeitung")
    expect(page.locator("#case-history").locator("xpath=..")).to_contain_text("Ich übernehme.")

    # a note
    page.get_by_label("Neue Notiz").fill("Mietvertrag anfordern.")
    page.get_by_role("button", name="Notiz speichern").click()
    expect(page.locator(".case-note__text")).to_have_text("Mietvertrag anfordern.")
    axe.check(page)


def test_a_stale_page_gets_the_conflict_message(live_app, live_server, live_offices, browser, axe):
    application = submit_case(live_app, "Cordes")
    pages = []
    for _ in range(2):
        context = browser.new_context(locale="de-DE")
        page = context.new_page()
        sign_in(page, live_server, live_offices.email["caseworker_a"])
        page.goto(f"{live_server}/amt/faelle/{application.reference}")
        pages.append((context, page))
    try:
        (_, first), (_, second) = pages
        first.get_by_role("button", name="Status ändern").click()
        expect(first.get_by_role("heading", level=1)).to_contain_text("In Bearbeitung")
        second.get_by_role("button", name="Status ändern").click()
        expect(second.get_by_role("alert")).to_contain_text("Jemand anderes hat diesen Antrag geändert")
        expect(second.get_by_role("heading", level=1)).to_contain_text("In Bearbeitung")
        axe.check(second)
    finally:
        for context, _ in pages:
            context.close()


def test_the_inbox_works_without_javascript(live_app, live_server, live_offices, browser):
    application = submit_case(live_app, "Dreyer")
    context = browser.new_context(locale="de-DE", java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, live_server, live_offices.email["teamlead_a"])
        page.get_by_label("Aktenzeichen oder Name").fill("dreyer")
        page.get_by_role("button", name="Filter anwenden").click()
        expect(page.locator("#inbox-count")).to_have_text("1 Antrag gefunden")
        assert "q=dreyer" in page.url
        page.get_by_role("button", name=f"Mir zuweisen {application.reference}").click()
        expect(page.get_by_role("status").first).to_contain_text("Der Antrag ist Ihnen jetzt zugewiesen.")
        assert "q=dreyer" in page.url  # back to the same filters
    finally:
        context.close()


def test_staff_pages_in_english_pass_axe(live_app, live_server, live_offices, page, axe):
    application = submit_case(live_app, "Ebert")
    sign_in(page, live_server, live_offices.email["teamlead_a"])
    page.goto(f"{live_server}/amt/faelle?lang=en&from=gestern")  # with an error message shown
    expect(page.get_by_role("heading", name="Inbox")).to_be_visible()
    axe.check(page)
    page.goto(f"{live_server}/amt/faelle/{application.reference}")  # team lead: with the access log
    expect(page.get_by_role("heading", name="Access log")).to_be_visible()
    axe.check(page)
