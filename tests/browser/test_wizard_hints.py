"""Issue 15 in a real Chromium: a hint about a value follows the value live
(htmx keeps the input as it was first rendered, so it must refresh from the
start), and its confirmation box is never one for an earlier value."""

from playwright.sync_api import expect

from tests.browser.test_wizard import start


def test_the_rent_hint_follows_the_typed_rent_live(page, live_server):
    a = start(page, live_server, "buergergeld")
    page.goto(page.url.rsplit("/seite/", 1)[0] + "/seite/wohnen")
    a.choose("/wohnen/wohnsituation", "miete")
    expect(page.locator('[name="/wohnen/kaltmiete"]')).to_be_visible()
    hint = page.locator(".warning-box", has_text="Kaltmiete")
    for typed, shown in (("3800", "3.800,00"), ("3900", "3.900,00")):
        a.text("/wohnen/kaltmiete", typed)
        page.keyboard.press("Tab")  # "change" fires the live update
        a.settle()
        expect(hint).to_contain_text(f"Eine Kaltmiete von {shown}")
    expect(hint).not_to_contain_text("3.800")
    token = hint.locator('input[name="confirm"]').get_attribute("value")
    a.text("/wohnen/kaltmiete", "480")
    page.keyboard.press("Tab")
    a.settle()
    expect(hint).to_have_count(0)
    assert page.locator(f'input[name="confirm"][value="{token}"]').count() == 0
