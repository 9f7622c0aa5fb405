"""XSS: every free-text question, filled with hostile markup, viewed on every
page that shows it (section, check your answers, receipt, status) and in the
PDF receipt: never unescaped."""

import io
import re

import pytest
from pypdf import PdfReader

from tests.security.conftest import FREE_TEXT, SLUG, fill, send

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg/onload=alert(1)>",
    "javascript:alert(1)",
    "{{7*7}}{% raw %}",
    "</textarea><script>alert(1)</script>",
    "<a href='//evil.test'>x</a>",
]
RAW = re.compile(r"<script>alert|<img src=x|<svg/onload|</textarea><script|<a href='//evil", re.IGNORECASE)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_free_text_is_escaped_on_every_page_and_in_the_pdf(applicant, payload):
    client, token = applicant
    fill(client, token, text=payload[:60])
    viewed = [client.get(f"/antrag/{SLUG}/seite/{key}") for key in ("anliegen", "unterstuetzung", "kontakt")]
    viewed.append(client.get(f"/antrag/{SLUG}/pruefen"))
    reference = send(client, token)
    viewed.append(client.get(f"/eingang/{reference}"))
    for page in viewed:
        html = page.get_data(as_text=True)
        assert page.status_code == 200
        assert not RAW.search(html), page.request.path
        if payload.startswith("{{"):
            assert "{{7*7}}" in html  # shown as typed, never evaluated as a template
    receipt = viewed[-1].get_data(as_text=True)
    assert receipt.count("&lt;") >= 1 or "<" not in payload
    pdf = client.get(f"/eingang/{reference}/bestaetigung.pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert payload[:20] in text.replace("\n", "")  # the PDF shows the text as text, nothing more


@pytest.mark.parametrize("pointer", sorted(FREE_TEXT))
def test_every_free_text_question_is_covered(applicant, pointer):
    """The list above is complete: each pointer is a question the filled form shows."""
    client, token = applicant
    fill(client, token, text="Ana")
    section = pointer.split("/")[1]
    assert f'name="{pointer}"' in client.get(f"/antrag/{SLUG}/seite/{section}").get_data(as_text=True)


@pytest.mark.parametrize("url", ["/?lang=<script>", "/formulare/<script>alert(1)</script>",
                                 "/eingang/<svg onload=alert(1)>", "/fortsetzen/<img src=x>"])
def test_urls_are_escaped_on_error_and_other_pages(client, url):
    page = client.get(url)
    assert page.status_code in (200, 404)
    assert not RAW.search(page.get_data(as_text=True)) and "<script>" not in page.get_data(as_text=True)
