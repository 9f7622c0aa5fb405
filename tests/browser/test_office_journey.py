"""The loop between applicant and office in a real Chromium, with two
browser contexts (two people, two sessions): the applicant sends an
application; the caseworker signs in, finds it in the inbox and requests a
document; the applicant uploads it from the case page reached through the
status look-up and sends it; the caseworker decides; the applicant opens the
decision letter from the mailbox, and the case shows the delivery receipt.
axe-core checks every staff and mailbox page of this part on the way."""

import re
import threading
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from tests.conftest import make_app
from tests.security.samples import PDF
from tests.staff import PASSWORD, create_offices, first_valid_case


@pytest.fixture(scope="module")
def office_server(tmp_path_factory):
    """Its own live app (offices and staff of tests/staff.py), so this
    journey never shares accounts with other browser tests."""
    app = make_app(tmp_path_factory.mktemp("journey"))
    offices = create_offices(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, offices, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    app.extensions["formwerk.storage"].engine.dispose()


def _draft_link(app) -> str:
    """A saved draft with the answers of the first valid example case (warnings
    confirmed), as an applicant would have after filling in the form; the
    browser resumes it by its link and sends it through the real pages."""
    answers, as_of = first_valid_case()
    published = app.extensions["formwerk.catalog"].get("buergergeld")
    drafts = app.extensions["formwerk.drafts"]
    draft = drafts.create(published)
    draft.answers = answers
    outcome = published.form.check(answers, as_of=as_of)
    draft.confirmations = sorted(w.confirmation for w in outcome.warnings if w.confirmation)
    drafts.save(draft)
    return f"/fortsetzen/{draft.token}"


def test_request_upload_decision_and_delivery(browser, office_server, axe):
    app, offices, base = office_server
    applicant = browser.new_context(locale="de-DE", base_url=base, accept_downloads=True)
    caseworker = browser.new_context(locale="de-DE", base_url=base)
    try:
        a = applicant.new_page()
        c = caseworker.new_page()
        a.set_default_timeout(15_000)
        c.set_default_timeout(15_000)

        # -- the applicant sends the application ---------------------------------------
        a.goto(_draft_link(app))
        a.get_by_role("button", name="Diesen Antrag fortsetzen").click()
        a.goto("/antrag/buergergeld/pruefen")
        a.get_by_role("button", name="Verbindlich absenden").click()
        expect(a.get_by_role("heading", name="Ihr Antrag ist eingegangen")).to_be_visible()
        reference = a.locator(".reference").inner_text().strip()
        code = a.locator("code.hash").last.inner_text().strip()
        assert re.fullmatch(r"FW-\d{8}-[0-9A-F]{8}", reference)

        # -- the caseworker signs in and finds it in the inbox ----------------------------
        c.goto("/amt/anmelden")
        c.fill("#email", offices.email["caseworker_a2"])
        c.fill("#password", PASSWORD)
        c.get_by_role("button", name="Anmelden").click()
        c.goto("/amt/faelle")
        c.get_by_role("link", name=reference).click()
        expect(c).to_have_url(re.compile(f"/amt/faelle/{reference}$"))
        expect(c.locator("#case-actions")).to_be_visible()
        axe.check(c)  # the case page with the actions panel

        # a request without anything asked for is refused with a message (own page)
        c.locator("#request-deadline").fill((date.today() + timedelta(days=14)).isoformat())
        c.get_by_role("button", name="Nachforderung senden").click()
        expect(c.locator(".error-summary")).to_contain_text("Wählen Sie mindestens eine Unterlage aus")
        axe.check(c)  # the request page with errors
        c.locator("#request-custom").fill("Lohnabrechnung Oktober")
        c.locator("#request-message").fill("Bitte laden Sie die Lohnabrechnung für Oktober hoch.")
        c.get_by_role("button", name="Nachforderung senden").click()
        expect(c.locator(".notice")).to_contain_text("Die Nachforderung liegt im Postfach")
        expect(c.locator("#case-actions")).to_contain_text("noch nicht eingegangen")

        # -- the applicant looks up the status and uploads from the case page -------------
        a.goto("/status")
        a.fill("#reference", reference)
        a.fill("#token", code)
        a.get_by_role("button", name="Status abfragen").click()
        expect(a.get_by_text("Unterlagen nachgefordert")).to_be_visible()
        a.get_by_role("button", name="Zu Ihrem Vorgang und Postfach").click()
        expect(a.get_by_role("heading", name="Ihr Vorgang", exact=True)).to_be_visible()
        expect(a.locator("body")).to_contain_text("Bitte laden Sie die Lohnabrechnung für Oktober hoch.")
        axe.check(a)  # the case page with an open request
        a.get_by_label(re.compile("Datei auswählen")).set_input_files(
            files=[{"name": "lohnabrechnung.pdf", "mimeType": "application/pdf", "buffer": PDF}])
        a.get_by_role("button", name=re.compile("Hochladen")).click()
        expect(a.locator("body")).to_contain_text("lohnabrechnung.pdf")
        a.get_by_role("button", name="Unterlagen absenden").click()
        expect(a.locator(".notice")).to_contain_text("Ihre Unterlagen sind beim Jobcenter eingegangen")
        axe.check(a)  # the mailbox with the request message and the answered request

        # -- the caseworker sees what arrived and decides -------------------------------
        c.reload()
        expect(c.locator("#case-actions")).to_contain_text("lohnabrechnung.pdf")
        expect(c.locator("#case-actions")).to_contain_text("beantwortet")
        c.goto(f"/amt/faelle/{reference}/bescheid")
        axe.check(c)  # the decision page
        c.get_by_label("Bewilligt", exact=True).check()
        c.locator("#decision-amount").fill("563,00")
        c.locator("#decision-period-from").fill("2027-12-01")
        c.locator("#decision-period-to").fill("2027-01-01")
        c.get_by_role("button", name="Bescheid erstellen und zustellen").click()
        expect(c.locator(".error-summary")).to_contain_text("nicht vor seinem Beginn")
        axe.check(c)  # the decision page with errors
        c.locator("#decision-period-from").fill("2026-12-01")
        c.locator("#decision-period-to").fill("2027-11-30")
        c.get_by_role("button", name="Bescheid erstellen und zustellen").click()
        expect(c.locator(".notice")).to_contain_text("Der Bescheid wurde erstellt")
        expect(c.locator("#case-actions")).to_contain_text("noch nicht geöffnet")
        axe.check(c)  # the case page with a decision

        # -- the applicant opens the decision from the mailbox ---------------------------
        a.reload()
        expect(a.locator("body")).to_contain_text("Bescheid zu Ihrem Antrag (Bewilligt)")
        with a.expect_download() as download_info:
            a.get_by_role("link", name="Bescheid als PDF öffnen").click()
        download = download_info.value
        with open(download.path(), "rb") as fh:
            assert fh.read(5) == b"%PDF-"
        assert download.suggested_filename == f"Bescheid-{reference}-1.pdf"

        # -- the case shows the delivery receipt -----------------------------------------
        c.reload()
        expect(c.locator("#case-actions")).to_contain_text(re.compile(r"zuerst geöffnet am \d\d\.\d\d\.\d{4}"))
    finally:
        applicant.close()
        caseworker.close()


def test_mailbox_pages_pass_axe(browser, office_server, axe):
    """The look-up (also with an error) and the withdrawal's confirmation."""
    app, _, base = office_server
    context = browser.new_context(locale="de-DE", base_url=base)
    try:
        page = context.new_page()
        page.goto("/vorgang")
        axe.check(page)
        page.fill("#reference", "FW-00000000-00000000")
        page.fill("#token", "falsch")
        page.get_by_role("button", name="Vorgang öffnen").click()
        expect(page.locator(".error-summary")).to_be_visible()
        axe.check(page)
        page.goto(_draft_link(app))
        page.get_by_role("button", name="Diesen Antrag fortsetzen").click()
        page.goto("/antrag/buergergeld/pruefen")
        page.get_by_role("button", name="Verbindlich absenden").click()
        reference = page.locator(".reference").inner_text().strip()
        page.goto(f"/vorgang/{reference}")
        axe.check(page)  # the case page of a fresh application, empty mailbox
        page.get_by_role("link", name="Antrag zurücknehmen").click()
        axe.check(page)
        page.get_by_role("button", name="Antrag verbindlich zurücknehmen").click()
        expect(page.locator(".error-summary")).to_contain_text("Bestätigen Sie")
        axe.check(page)
        page.get_by_label("Ja, ich nehme meinen Antrag zurück.").check()
        page.get_by_role("button", name="Antrag verbindlich zurücknehmen").click()
        expect(page.locator(".notice")).to_contain_text("Sie haben Ihren Antrag zurückgenommen.")
        expect(page.locator("body")).to_contain_text("Zurückgenommen")
    finally:
        context.close()
