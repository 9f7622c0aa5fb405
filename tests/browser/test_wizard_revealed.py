"""Issue 15 in a real Chromium: a revealed question appears directly after the
question it depends on (live with htmx, and after "Weiter" without
JavaScript), errors name the person they are about, and without JavaScript
the added questions are named and the first one has the focus. axe clean."""

import re

from playwright.sync_api import expect

from tests.browser.test_wizard import born, start


def names_in_order(page) -> list[str]:
    """The answers' input names in document order, a date's three fields once."""
    names = page.eval_on_selector_all("input[name^='/'], select[name^='/'], textarea[name^='/']",
                                      "els => els.map(e => e.name)")
    out: list[str] = []
    for name in names:
        name = re.sub(r"-(tag|monat|jahr)$", "", name)
        if name not in out:
            out.append(name)
    return out


def follows(order: list[str], first: str, then: str) -> bool:
    return order.index(then) == order.index(first) + 1


def birth_date(a, pointer, day):
    a.date(pointer, day)
    a.page.keyboard.press("Tab")  # the year's "change" fires the live update
    a.settle()


def test_couple_with_a_10_and_a_17_year_old_sees_questions_revealed_in_place_and_named_errors(page, live_server, axe):
    a = start(page, live_server, "buergergeld")
    page.goto(page.url.rsplit("/seite/", 1)[0] + "/seite/haushalt")
    a.yes_no("/haushalt/partner_im_haushalt", True)
    expect(page.locator('[name="/haushalt/partner/vorname"]')).to_be_visible()  # live
    order = names_in_order(page)
    assert follows(order, "/haushalt/partner_im_haushalt", "/haushalt/partner/vorname"), order
    assert order.index("/haushalt/kinder_im_haushalt") > order.index("/haushalt/partner/vorname")
    a.yes_no("/haushalt/kinder_im_haushalt", True)
    a.yes_no("/haushalt/weitere_personen", False)
    a.text("/haushalt/partner/vorname", "Jonas")
    a.text("/haushalt/partner/nachname", "Schmidt")
    birth_date(a, "/haushalt/partner/geburtsdatum", born(41))
    a.yes_no("/haushalt/partner/erwerbstaetig", True)
    a.choose("/haushalt/partner/krankenversicherung", "pflicht")
    for index, (name, age) in enumerate((("Mia", 10), ("Leon", 17))):
        a.add_entry()
        a.text(f"/haushalt/kinder/{index}/vorname", name)
        a.text(f"/haushalt/kinder/{index}/nachname", "Schmidt")
        birth_date(a, f"/haushalt/kinder/{index}/geburtsdatum", born(age, 3, 2))
    # the birth date decides the age, the age KI or WEP: each annex follows its child's birth date, live
    expect(page.locator("#f-haushalt-kinder-0")).to_contain_text("Anlage KI: Kind unter 15 Jahren")
    expect(page.locator("#f-haushalt-kinder-1")).to_contain_text("Anlage WEP: Person ab 15 Jahren")
    order = names_in_order(page)
    assert order[order.index("/haushalt/kinder/0/geburtsdatum") + 1].startswith("/haushalt/kinder/0/ki/"), order
    assert order[order.index("/haushalt/kinder/1/geburtsdatum") + 1].startswith("/haushalt/kinder/1/wep/"), order
    a.choose("/haushalt/kinder/0/verwandtschaft", "gemeinsam")
    # Leon's questions are left open: the errors say they are his
    a.next()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Jonas Schmidt: Wählen Sie bei „Staatsangehörigkeit“")
    expect(summary).to_contain_text("Mia Schmidt: Beantworten Sie die Frage „Bekommt das Kind Unterhalt?“.")
    link = summary.get_by_role("link", name="Leon Schmidt: Beantworten Sie die Frage „Wessen Kind ist es?“.")
    link.click()
    expect(page.locator("#f-haushalt-kinder-1-verwandtschaft-0")).to_be_focused()
    expect(page.locator("#f-haushalt-kinder-1 .error-message").first).to_contain_text("Leon Schmidt: ")
    axe.check(page)


def test_without_javascript_revealed_questions_sit_in_place_named_and_focused(browser, live_server):
    context = browser.new_context(java_script_enabled=False, locale="de-DE")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        a = start(page, live_server, "buergergeld")
        a.choose("/person/staatsangehoerigkeit", "andere")
        a.choose("/person/familienstand", "geschieden")
        a.next()
        notice = page.locator(".notice")
        expect(notice).to_contain_text("Seit wann leben Sie in Deutschland?")
        expect(notice).to_contain_text("Seit wann sind Sie geschieden?")
        order = names_in_order(page)
        assert follows(order, "/person/staatsangehoerigkeit", "/person/einreisedatum"), order
        assert follows(order, "/person/familienstand", "/person/familienstand_seit"), order
        # the first added question has the focus (autofocus, no script needed)
        expect(page.locator("#f-person-einreisedatum-tag")).to_be_focused()
        # names in errors, without JavaScript
        page.goto(page.url.rsplit("/seite/", 1)[0] + "/seite/haushalt")
        a.yes_no("/haushalt/partner_im_haushalt", False)
        a.yes_no("/haushalt/kinder_im_haushalt", True)
        a.yes_no("/haushalt/weitere_personen", False)
        a.next()  # the children's list is added
        a.add_entry()
        a.text("/haushalt/kinder/0/vorname", "Elif")
        a.text("/haushalt/kinder/0/nachname", "Yilmaz")
        a.next()
        expect(page.locator(".error-summary")).to_contain_text("Elif Yilmaz: Füllen Sie das Feld „Geburtsdatum“")
    finally:
        context.close()
