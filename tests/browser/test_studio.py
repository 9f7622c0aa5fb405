"""The form author's journey in a real Chromium: open a Bürgergeld draft,
add a question behind a condition in the CodeMirror editor (linted live),
see it explained and in the preview, save a case, run the cases, compare
with the published version, request publishing; a second author approves;
a new applicant draft gets the new question while an older draft keeps its
version. axe-core finds no WCAG 2.1 A/AA violation on the studio's pages."""

import json
import re

from playwright.sync_api import expect
from sqlalchemy import select

from engine import compile_form
from engine.explain import explain
from tests.staff import browser_sign_in, live_offices, settle  # noqa: F401 (fixture)
from webapp.storage import FormVersion

NEW_TITLE = "Wo haben Sie geheiratet?"


def tab(page, name: str) -> None:
    page.get_by_role("navigation", name="Bereiche dieser Version").get_by_role("link", name=name, exact=True).click()


def condition_input(schema: dict) -> tuple[str, str, str]:
    """(section, property, value): the first choice question of the first
    section, and its second option (the new question is asked for it)."""
    form = compile_form(schema)
    section = form.sections[0].name
    for name, sub in schema["properties"][section]["properties"].items():
        if isinstance(sub.get("enum"), list) and len(sub["enum"]) > 1:
            return section, name, sub["enum"][1]
    raise AssertionError("the first section of the Bürgergeld form has no choice question")


def with_new_question(text: str) -> tuple[str, str, str]:
    schema = json.loads(text)
    section, name, value = condition_input(schema)
    schema["properties"][section].setdefault("allOf", []).append({
        "if": {"properties": {name: {"const": value}}, "required": [name]},
        "then": {"properties": {"hochzeitsort": {"type": "string", "title": NEW_TITLE, "maxLength": 100,
                                                 "x-i18n": {"en": {"title": "Where did you marry?"}}}}}})
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n", f"/{section}/{name}", value


def choose(page, pointer: str, value: str) -> None:
    control = page.locator(f'[name="{pointer}"]').first
    if control.evaluate("el => el.tagName") == "SELECT":
        control.select_option(value)
    else:
        page.locator(f'input[name="{pointer}"][value="{value}"]').check()


def test_the_author_journey(live_app, live_server, live_offices, browser, axe):
    storage = live_app.extensions["formwerk.storage"]
    published_before = live_app.extensions["formwerk.catalog"].get("buergergeld").id
    applicant_old = browser.new_context(locale="de-DE")
    author = browser.new_context(locale="de-DE")
    second = browser.new_context(locale="de-DE")
    new_id = None
    try:
        # an applicant starts a draft on today's version
        old_page = applicant_old.new_page()
        old_page.goto(f"{live_server}/formulare/buergergeld")
        old_page.get_by_role("button", name="Jetzt starten").click()
        expect(old_page.get_by_role("heading", level=1)).to_be_visible()

        page = author.new_page()
        page.set_default_timeout(20_000)
        csp_errors = []
        page.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)
        browser_sign_in(page, live_server, live_offices.email["author_a"])
        page.get_by_role("link", name="Formular-Studio").click()
        expect(page.get_by_role("heading", name="Formular-Studio")).to_be_visible()
        axe.check(page)

        # open a Bürgergeld draft in the editor
        page.get_by_role("button", name="Neuen Entwurf anlegen (buergergeld)").click()
        expect(page.get_by_role("heading", name="Formular bearbeiten")).to_be_visible()
        expect(page.locator(".cm-editor")).to_be_visible()
        assert page.locator(".cm-editor").evaluate("el => getComputedStyle(el).display") == "flex"  # its styles load
        new_id = int(re.search(r"/versionen/(\d+)/", page.url).group(1))
        settle(page)
        axe.check(page)

        # a syntax error while typing is found live, with a link to its place
        page.locator(".cm-content").click()
        page.keyboard.press("Control+Home")
        page.keyboard.type("x")
        expect(page.locator("#findings")).to_contain_text("Stand beim Tippen")
        expect(page.locator("#findings")).to_contain_text("Zeile 1, Spalte 1")
        page.keyboard.press("Backspace")
        expect(page.locator("#findings")).not_to_contain_text("json-syntax")

        # add a question behind a condition, and save
        text = page.locator("textarea#source").input_value()
        changed, pointer, value = with_new_question(text)
        page.evaluate("""(text) => {
            const view = document.querySelector('textarea[data-studio-editor]').studioEditor;
            view.dispatch({changes: {from: 0, to: view.state.doc.length, insert: text}});
        }""", changed)
        settle(page)
        page.get_by_role("button", name="Speichern").click()
        expect(page.get_by_role("status").first).to_contain_text("Gespeichert und geprüft.")
        expect(page.locator("#findings")).not_to_contain_text("Fehler:")
        section = pointer.split("/")[1]

        # explained, in German and English
        tab(page, "Erklärung")
        row = page.locator(f"#q-{section}-hochzeitsort")
        expected = explain(compile_form(json.loads(changed)), "de").item(f"/{section}/hochzeitsort").asked
        expect(row).to_contain_text(NEW_TITLE)
        expect(row).to_contain_text(expected)
        assert expected.startswith("wird gefragt, wenn ")
        expect(row).to_contain_text("asked when ")
        axe.check(page)

        # in the preview with the applicant's own templates
        tab(page, "Vorschau")
        expect(page.locator(".studio-applicant-view")).not_to_contain_text(NEW_TITLE)
        choose(page, pointer, value)
        page.get_by_role("button", name="Antworten übernehmen").last.click()
        expect(page.locator(".studio-applicant-view")).to_contain_text(NEW_TITLE)
        expect(page.locator(".studio-preview__panel")).to_contain_text(f"/{section}/hochzeitsort")
        page.get_by_label("Wo haben Sie geheiratet?").fill("Standesamt Mitte")
        page.get_by_role("button", name="Antworten übernehmen").last.click()
        expect(page.locator("#answers")).to_contain_text("Standesamt Mitte")
        axe.check(page)

        # save a case, run the cases
        page.get_by_label("Name des Falls").fill("99_neue_frage_hochzeitsort")
        page.get_by_role("button", name="Als Fall speichern").click()
        expect(page.get_by_role("heading", name="Fälle", level=1)).to_be_visible()
        expect(page.get_by_role("row", name=re.compile("99_neue_frage_hochzeitsort"))).to_contain_text("bestanden")
        expect(page.locator("#cases-summary")).to_contain_text(re.compile(r"(\d+) von \1 Fällen bestanden"))
        expect(page.get_by_text(re.compile("Verzweigungen abgedeckt"))).to_be_visible()
        axe.check(page)

        # compare with the published version
        tab(page, "Vergleich")
        expect(page.locator(".studio-changes")).to_contain_text(f"Neue Frage „{NEW_TITLE}“")
        expect(page.locator("#migration-summary")).to_be_visible()
        axe.check(page)

        # request publishing; the proposer cannot approve
        tab(page, "Überblick")
        page.get_by_role("button", name="Veröffentlichung beantragen").click()
        expect(page.get_by_role("status").first).to_contain_text("Veröffentlichung beantragt")
        expect(page.get_by_role("button", name="Freigeben und veröffentlichen")).to_have_count(0)
        axe.check(page)
        for name in ("Übersetzungen", "Verlauf"):
            tab(page, name)
            axe.check(page)
        expect(page.locator("table")).to_contain_text("studio.proposed")

        # a second author approves
        other = second.new_page()
        browser_sign_in(other, live_server, live_offices.email["author_b"])
        other.goto(f"{live_server}/studio/versionen/{new_id}")
        other.get_by_role("button", name="Freigeben und veröffentlichen").click()
        expect(other.get_by_role("status").first).to_contain_text("Version veröffentlicht")
        with storage.reader() as db:
            assert db.get(FormVersion, new_id).status == "published"

        # a new applicant draft gets the new question ...
        fresh = author.new_page()
        fresh.goto(f"{live_server}/formulare/buergergeld")
        fresh.get_by_role("button", name="Jetzt starten").click()
        choose(fresh, pointer, value)
        expect(fresh.get_by_label(NEW_TITLE)).to_be_visible()
        # ... while the older draft keeps its version
        old_page.reload()
        choose(old_page, pointer, value)
        settle(old_page)
        old_page.wait_for_timeout(300)
        expect(old_page.get_by_text(NEW_TITLE)).to_have_count(0)
    finally:
        for context in (applicant_old, author, second):
            context.close()
        # leave the shared live app as the other browser tests expect it
        with storage.session() as db:
            for row in db.scalars(select(FormVersion).where(FormVersion.slug == "buergergeld",
                                                            FormVersion.id != published_before,
                                                            FormVersion.status == "published")):
                row.status = "retired"
    assert live_app.extensions["formwerk.catalog"].get("buergergeld").id == published_before
    assert not csp_errors, csp_errors
