"""The Bürgergeld application and the appointment request as applicants use
them, in a real Chromium: with and without JavaScript, live updates by htmx,
save and resume, keyboard only, and axe-core on every page type."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

TODAY = date.today()


def born(years_ago: int, month: int = 1, day: int = 15) -> date:
    return date(TODAY.year - years_ago - (1 if (month, day) > (TODAY.month, TODAY.day) else 0), month, day)


class Applicant:
    """Fills pages by the questions' names (JSON pointers), like a person would
    by their labels; every step goes through the real page."""

    CHILD_QUESTIONS = '[name^="/haushalt/kinder/"], [name^="/haushalt/alleinerziehend"], [name^="/haushalt/partner/"]'

    def __init__(self, page):
        self.page = page
        self.pages_with_child_questions: list[str] = []

    def _after_step(self):
        self.page.wait_for_load_state("domcontentloaded")
        if self.page.locator(self.CHILD_QUESTIONS).count():
            self.pages_with_child_questions.append(self.heading())

    def text(self, pointer, value):
        self.page.fill(f'[name="{pointer}"]', str(value))

    def choose(self, pointer, value):
        target = self.page.locator(f'[name="{pointer}"]')
        if target.first.evaluate("e => e.tagName") == "SELECT":
            target.select_option(str(value))
        else:
            self.page.check(f'input[name="{pointer}"][value="{value}"]')
        self.settle()

    def settle(self):
        """Wait until no live update is in flight (as a person waits for the page)."""
        if self.page.evaluate("() => typeof window.htmx !== 'undefined'"):
            self.page.wait_for_function("() => !document.querySelector('.htmx-request')")

    def yes_no(self, pointer, value: bool):
        self.choose(pointer, "true" if value else "false")

    def tick(self, pointer):
        self.page.check(f'input[name="{pointer}"]')

    def date(self, pointer, day: date):
        for part, value in (("tag", day.day), ("monat", day.month), ("jahr", day.year)):
            self.page.fill(f'[name="{pointer}-{part}"]', str(value))

    def next(self):
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Weiter", exact=True).last.click()
        self._after_step()

    def add_entry(self):
        with self.page.expect_navigation():
            self.page.get_by_role("button", name=re.compile("Eintrag hinzufügen")).click()

    def heading(self):
        return self.page.get_by_role("heading", level=1).inner_text()

    def on(self, title):
        """Assert the current page, showing its error summary if it is not."""
        heading = self.heading()
        if heading != title:
            summary = self.page.locator(".error-summary")
            problems = summary.inner_text() if summary.count() else "no error summary"
            pytest.fail(f"expected page {title!r}, still on {heading!r}: {problems}")


def start(page, live_server, slug):
    page.goto(f"{live_server}/formulare/{slug}")
    page.get_by_role("button", name="Jetzt starten").click()
    return Applicant(page)


def fill_person(a: Applicant):
    a.text("/person/vorname", "Anna")
    a.text("/person/nachname", "Schmidt")
    a.date("/person/geburtsdatum", born(38, 4, 12))
    a.text("/person/geburtsort", "Leipzig")
    a.text("/person/geburtsland", "Deutschland")
    a.choose("/person/geschlecht", "weiblich")
    a.choose("/person/staatsangehoerigkeit", "deutsch")
    a.choose("/person/rv_status", "beantragt")
    a.choose("/person/familienstand", "ledig")


def fill_common_sections(a: Applicant, axe=None):
    """kontakt, ausweis, zahlung (after person and haushalt are done)."""
    a.on("Anschrift und Kontakt")
    a.text("/kontakt/strasse", "Lindenweg")
    a.text("/kontakt/hausnummer", "3")
    a.text("/kontakt/plz", "04109")
    a.text("/kontakt/ort", "Leipzig")
    a.next()
    a.on("Ihr Ausweis")
    a.choose("/ausweis/art", "personalausweis")
    a.text("/ausweis/nummer", "L01X00T47")
    a.date("/ausweis/gueltig_bis", date(TODAY.year + 4, 1, 31))
    a.next()
    a.on("Auszahlung")
    a.choose("/zahlung/art", "konto")
    a.next()  # without JavaScript the account questions appear after this
    if a.page.locator('[name="/zahlung/iban"]').count() == 0:
        pytest.fail("the account questions did not appear")
    a.text("/zahlung/kontoinhaber", "Anna Schmidt")
    a.text("/zahlung/iban", "DE89 3704 0044 0532 0130 00")
    a.next()


def fill_rest(a: Applicant):
    a.on("Wohnkosten (Anlage KDU)")
    a.choose("/wohnen/wohnsituation", "miete")
    a.next()
    a.text("/wohnen/kaltmiete", "450")
    a.text("/wohnen/nebenkosten", "90,00")
    a.text("/wohnen/heizkosten", "70")
    a.choose("/wohnen/warmwasser", "zentral")
    a.choose("/wohnen/heizart", "gas")
    a.text("/wohnen/personen_in_wohnung", "1")
    a.text("/wohnen/wohnflaeche", "48")
    a.text("/wohnen/zimmer", "2")
    a.text("/wohnen/vermieter", "Wohnungsgenossenschaft Lindenau eG")
    a.date("/wohnen/mietbeginn", date(2019, 4, 1))
    a.yes_no("/wohnen/untervermietung", False)
    a.next()
    a.on("Einkommen (Anlage EK)")
    a.yes_no("/einkommen/antragsteller/hat_einkommen", False)
    a.next()
    a.on("Vermögen (Anlage VM)")
    a.yes_no("/vermoegen/fahrzeug", False)
    a.yes_no("/vermoegen/immobilie", False)
    a.yes_no("/vermoegen/versicherung", False)
    a.yes_no("/vermoegen/frueherer_bezug", False)
    a.add_entry()
    a.text("/vermoegen/konten/0/bank", "Sparkasse")
    a.choose("/vermoegen/konten/0/kontoart", "giro")
    a.text("/vermoegen/konten/0/kontostand", "312,45")
    a.choose("/vermoegen/konten/0/inhaber", "antragsteller")
    a.next()
    a.on("Kranken- und Pflegeversicherung (Anlage SV)")
    a.choose("/versicherung/kv_art", "pflicht")
    a.text("/versicherung/krankenkasse", "AOK Plus")
    a.next()
    a.on("Mehrbedarfe")
    a.yes_no("/mehrbedarf/schwanger", False)
    a.yes_no("/mehrbedarf/ernaehrung", False)
    a.yes_no("/mehrbedarf/besonderer_bedarf", False)
    a.yes_no("/mehrbedarf/behinderung", False)
    a.next()
    a.on("Unterhalt (Anlage UH)")
    a.yes_no("/unterhalt/ansprueche", False)
    a.next()
    a.on("Erklärungen")
    a.yes_no("/erklaerungen/andere_leistungen", False)
    a.yes_no("/erklaerungen/unfall_fremd", False)
    a.yes_no("/erklaerungen/vertretung", False)
    for name in ("richtigkeit", "mitwirkung", "datenschutz"):
        a.tick(f"/erklaerungen/{name}")
    a.next()
    a.on("Prüfen Sie Ihre Angaben")


def run_single_person(page, live_server, axe):
    a = start(page, live_server, "buergergeld")
    a.on("Angaben zu Ihrer Person")
    a.next()  # empty: the error summary
    expect(page.get_by_role("heading", name="Es gibt ein Problem")).to_be_visible()
    if axe:
        axe.check(page)
    fill_person(a)
    a.next()
    a.on("Voraussetzungen")
    a.yes_no("/voraussetzungen/erwerbsfaehig", True)
    a.yes_no("/voraussetzungen/altersrente", False)
    a.yes_no("/voraussetzungen/ausbildung_foerderfaehig", False)
    a.choose("/voraussetzungen/stationaer", "nein")
    a.next()
    a.on("Anschrift und Kontakt")
    # the household comes later in the order; answer it through the task list
    page.goto(page.url.rsplit("/seite/", 1)[0] + "/seite/haushalt")
    a.yes_no("/haushalt/partner_im_haushalt", False)
    a.yes_no("/haushalt/kinder_im_haushalt", False)
    a.yes_no("/haushalt/weitere_personen", False)
    a._after_step()
    a.next()
    page.goto(page.url.rsplit("/seite/", 1)[0] + "/seite/kontakt")
    fill_common_sections(a)
    a.on("Personen in Ihrem Haushalt")
    a.next()
    fill_rest(a)
    review = page.locator("main")
    expect(review).to_contain_text("Unverbindliche Schätzung")
    expect(review).to_contain_text("1.173,00 €")
    if axe:
        axe.check(page)
    assert a.pages_with_child_questions == [], "a child or partner question was shown to a single person"
    with page.expect_navigation():
        page.get_by_role("button", name="Verbindlich absenden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihr Antrag ist eingegangen")
    reference = page.locator(".reference").inner_text()
    assert re.fullmatch(r"FW-\d{8}-[0-9A-F]{8}", reference)
    receipt = page.locator("main")
    expect(receipt).to_contain_text("So erreichen Sie das Jobcenter")  # issue 15: contact, Berlin time, estimate
    expect(receipt).to_contain_text(" Uhr")
    expect(receipt).not_to_contain_text("UTC")
    expect(receipt).to_contain_text("1.173,00 €")
    if axe:
        axe.check(page)
    return reference


def test_single_person_never_sees_a_child_question_and_submits(page, live_server, axe):
    run_single_person(page, live_server, axe)


def test_the_same_flow_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False, locale="de-DE")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        run_single_person(page, live_server, None)
    finally:
        context.close()


def test_couple_with_a_10_and_a_17_year_old_sees_ki_for_one_and_wep_for_the_other(page, live_server, axe):
    a = start(page, live_server, "buergergeld")
    page.goto(page.url.rsplit("/seite/", 1)[0] + "/seite/haushalt")
    a.yes_no("/haushalt/partner_im_haushalt", True)
    expect(page.locator('[name="/haushalt/partner/vorname"]')).to_be_visible()  # htmx: appears live
    a.yes_no("/haushalt/kinder_im_haushalt", True)
    a.yes_no("/haushalt/weitere_personen", False)
    a.text("/haushalt/partner/vorname", "Jonas")
    a.text("/haushalt/partner/nachname", "Schmidt")
    a.date("/haushalt/partner/geburtsdatum", born(41))
    a.yes_no("/haushalt/partner/erwerbstaetig", True)
    a.choose("/haushalt/partner/krankenversicherung", "pflicht")
    for index, (name, age) in enumerate((("Mia", 10), ("Leon", 17))):
        a.add_entry()
        a.text(f"/haushalt/kinder/{index}/vorname", name)
        a.text(f"/haushalt/kinder/{index}/nachname", "Schmidt")
        a.date(f"/haushalt/kinder/{index}/geburtsdatum", born(age, 3, 2))
        a.choose(f"/haushalt/kinder/{index}/verwandtschaft", "gemeinsam")
    a.next()  # ages are computed from the birth dates: the annexes follow
    mia = page.locator("#f-haushalt-kinder-0")
    leon = page.locator("#f-haushalt-kinder-1")
    expect(mia).to_contain_text("Anlage KI: Kind unter 15 Jahren")
    expect(mia).not_to_contain_text("Anlage WEP")
    expect(leon).to_contain_text("Anlage WEP: Person ab 15 Jahren")
    expect(leon).not_to_contain_text("Anlage KI")
    axe.check(page)


def test_children_no_removes_the_section_live_and_review_lists_discarded_answers(page, live_server):
    a = start(page, live_server, "buergergeld")
    page.goto(page.url.rsplit("/seite/", 1)[0] + "/seite/haushalt")
    a.yes_no("/haushalt/partner_im_haushalt", False)
    a.yes_no("/haushalt/weitere_personen", False)
    a.yes_no("/haushalt/kinder_im_haushalt", True)
    expect(page.get_by_role("button", name=re.compile("Eintrag hinzufügen"))).to_be_visible()
    a.add_entry()
    a.text("/haushalt/kinder/0/vorname", "Mia")
    a.text("/haushalt/kinder/0/nachname", "Schmidt")
    a.date("/haushalt/kinder/0/geburtsdatum", born(6))
    a.choose("/haushalt/kinder/0/verwandtschaft", "eigenes")
    a.next()
    expect(page.locator('[name="/haushalt/alleinerziehend"]').first).to_be_attached()
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    a.yes_no("/haushalt/kinder_im_haushalt", False)
    expect(page.locator("#f-haushalt-kinder")).to_have_count(0)  # removed without a page load
    expect(page.locator("#live-status")).to_have_text(re.compile("angepasst"))
    assert navigations == []
    page.goto(page.url.rsplit("/seite/", 1)[0] + "/pruefen")
    discarded = page.locator("section", has=page.get_by_role("heading", name="Diese Angaben werden nicht übermittelt"))
    expect(discarded).to_contain_text("Personen in Ihrem Haushalt › Kinder")


def test_save_close_the_browser_and_resume_by_link(browser, live_server):
    first = browser.new_context(locale="de-DE")
    page = first.new_page()
    a = start(page, live_server, "terminanfrage")
    a.choose("/anliegen/grund", "beratung")
    page.get_by_role("button", name="Speichern und später weitermachen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihre Angaben sind gespeichert")
    link = page.locator(".resume-link a").get_attribute("href")
    first.close()
    second = browser.new_context(locale="de-DE")
    page = second.new_page()
    page.goto(link)  # resuming is a deliberate step that shows whose draft it is
    expect(page.get_by_role("heading", level=1)).to_have_text("Gespeicherten Antrag fortsetzen?")
    expect(page.locator("main")).to_contain_text("Zuletzt gespeichert am")
    page.get_by_role("button", name="Diesen Antrag fortsetzen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihr Antrag")
    page.get_by_role("link", name="Ihr Anliegen").click()
    expect(page.locator('input[name="/anliegen/grund"][value="beratung"]')).to_be_checked()
    second.close()


def test_keyboard_only(page, live_server, axe):
    page.goto(f"{live_server}/formulare/terminanfrage")
    page.get_by_role("button", name="Jetzt starten").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihr Anliegen")
    page.locator('input[name="/anliegen/grund"]').first.focus()
    page.keyboard.press("Space")  # the first option: first application
    with page.expect_navigation():
        page.keyboard.press("Enter")  # submits the form: Weiter
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihr Terminwunsch")
    page.locator('input[name="/termin/kanal"]').nth(1).focus()
    page.keyboard.press("Space")  # telephone
    expect(page.locator('[name="/termin/rufnummer"]')).to_be_visible()
    page.keyboard.press("Tab")
    while page.evaluate("() => document.activeElement.name") != "/termin/rufnummer":
        page.keyboard.press("Tab")
    page.keyboard.type("030 1234567")
    page.keyboard.press("Tab")
    while page.evaluate("() => document.activeElement.name") != "/termin/zeitfenster":
        page.keyboard.press("Tab")
    page.keyboard.press("Space")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Unterstützung")
    axe.check(page)


def test_every_page_type_has_no_axe_violations(page, live_server, axe):
    a = start(page, live_server, "terminanfrage")
    axe.check(page)                         # a section
    a.next()
    axe.check(page)                         # a section with errors
    page.goto(page.url.rsplit("/seite/", 1)[0])
    axe.check(page)                         # the task list
    page.goto(page.url + "/speichern")
    axe.check(page)                         # the resume link
    saved = page.url
    page.goto(page.locator(".resume-link a").get_attribute("href"))
    axe.check(page)                         # the resume confirmation
    page.goto(saved)
    page.goto(page.url.rsplit("/", 1)[0] + "/nachweise")
    axe.check(page)                         # the documents page
    page.goto(f"{live_server}/fortsetzen/nicht-gueltig")
    axe.check(page)                         # an invalid resume link
    page.goto(f"{live_server}/status")
    axe.check(page)                         # the status lookup
    page.goto(f"{live_server}/barrierefreiheit")
    axe.check(page)                         # the accessibility statement


def test_the_review_with_errors_fits_a_phone_screen(browser, live_server):
    """Error links quote long German compounds ("Rentenversicherungsnummer?“.");
    at 320 px they must wrap, not widen the page (WCAG 1.4.10 reflow)."""
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    start(page, live_server, "buergergeld")
    first = page.url
    page.goto(page.url.rsplit("/seite/", 1)[0] + "/pruefen")
    assert page.locator(".error-summary").count() == 1
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    # the same words as questions: a legend "Haben Sie eine Rentenversicherungsnummer?" at 360 px
    for width in (320, 360):
        page.set_viewport_size({"width": width, "height": 640})
        page.goto(first)
        page.get_by_role("button", name="Weiter").first.click()
        assert page.locator(".error-summary").count() == 1
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    context.close()
