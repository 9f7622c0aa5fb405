"""Hostile uploads: type by content, active PDFs, polyglots, deflate bombs,
pixel bombs, quotas, and metadata-only listings."""

import io
import re

import pytest
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from tests.security import samples
from tests.security.conftest import start
from webapp.uploads import attachment, inspect


def upload(client, token, content, name="nachweis.pdf", requirement="ausweis@/ausweis"):
    fields = MultiDict({"csrf_token": token, "requirement": requirement})
    fields.add("file", FileStorage(io.BytesIO(content), filename=name, content_type="application/pdf"))
    boundary, body = encode_multipart(fields)
    return client.post("/antrag/buergergeld/nachweise", data=body, content_type=f"multipart/form-data; boundary={boundary}")


@pytest.fixture
def uploader(client):
    return client, start(client, "buergergeld")


HOSTILE = {
    "javascript": (samples.pdf_with_javascript, "aktive Inhalte"),
    "obfuscated_javascript": (samples.pdf_with_obfuscated_javascript, "aktive Inhalte"),
    "launch_action": (samples.pdf_with_launch, "aktive Inhalte"),
    "embedded_file": (samples.pdf_with_embedded_file, "aktive Inhalte"),
    "zip_polyglot": (samples.pdf_zip_polyglot, "beschädigt"),
    "html_polyglot": (samples.pdf_html_polyglot, "Laden Sie eine PDF-, JPEG- oder PNG-Datei hoch."),
    "deflate_bomb": (samples.pdf_deflate_bomb, "beschädigt"),
    "truncated_pdf": (samples.truncated_pdf, "beschädigt"),
    "pixel_bomb_png": (samples.png_huge_dimensions, "zu viele Bildpunkte"),
    "png_with_php": (samples.png_with_trailer, "beschädigt"),
    "executable": (lambda: b"MZ\x90\x00" + b"\x00" * 100, "Laden Sie eine PDF-, JPEG- oder PNG-Datei hoch."),
    "svg": (lambda: b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "Laden Sie eine PDF-, JPEG- oder PNG-Datei hoch."),
    "html_named_pdf": (lambda: b"<html><script>alert(1)</script></html>", "Laden Sie eine PDF-, JPEG- oder PNG-Datei hoch."),
    "hex_flate_bomb": (lambda: samples.pdf_with_stream(*samples.chain_bomb("hex_flate")), "beschädigt"),
    "double_flate_bomb": (lambda: samples.pdf_with_stream(*samples.chain_bomb("flate_flate")), "beschädigt"),
    "javascript_link": (lambda: samples.pdf_with_link("javascript:app.alert(1)"), "aktive Inhalte"),
    "orphan_catalog_with_javascript": (samples.pdf_with_orphan_javascript, "aktive Inhalte"),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_files_are_refused_with_a_clear_message(uploader, kind):
    client, token = uploader
    make, message = HOSTILE[kind]
    refused = upload(client, token, make())
    assert refused.status_code == 400 and message in refused.get_data(as_text=True)
    assert "nachweis.pdf" not in client.get("/antrag/buergergeld/nachweise").get_data(as_text=True)


@pytest.mark.parametrize("content,content_type", [(samples.PDF, "application/pdf"), (samples.PNG, "image/png"),
                                                  (samples.JPEG, "image/jpeg")])
def test_clean_files_pass_the_inspection(content, content_type):
    assert inspect(content).content_type == content_type


@pytest.mark.parametrize("content", [b"", b"%PDF-", b"%PDF-1.7\n%%EOF", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xd9",
                                     b"%PDF-1.7\n" + b"\xff" * 5000 + b"\n%%EOF"])
def test_inspection_never_raises(content):
    assert not inspect(content).ok


def test_files_per_document_are_limited(app, uploader):
    app.config["MAX_FILES_PER_REQUIREMENT"] = 2
    client, token = uploader
    assert upload(client, token, samples.PDF).status_code == 302
    assert upload(client, token, samples.PNG, name="b.png").status_code == 302
    refused = upload(client, token, samples.JPEG, name="c.jpg")
    assert refused.status_code == 400 and "höchste Zahl von Dateien" in refused.get_data(as_text=True)


def test_bytes_per_draft_are_limited(app, uploader):
    app.config["MAX_UPLOAD_BYTES_PER_DRAFT"] = len(samples.PDF) + 10
    client, token = uploader
    assert upload(client, token, samples.PDF).status_code == 302
    refused = upload(client, token, samples.PDF)
    assert refused.status_code == 400 and "zusammen zu groß" in refused.get_data(as_text=True)


def test_uploads_are_rate_limited(app, uploader):
    app.config["RATE_LIMITS"] = {"upload": (2, 3600)}
    client, token = uploader
    assert [upload(client, token, samples.PNG).status_code for _ in range(3)] == [302, 302, 429]


def test_pages_load_metadata_only(app, uploader):
    """The listing never loads the files' bytes (raiseload would turn an access into an error)."""
    client, token = uploader
    upload(client, token, samples.PDF)
    from sqlalchemy import event

    loaded = []
    engine = app.extensions["formwerk.storage"].engine

    def spy(conn, cursor, statement, *args):
        loaded.append(statement)

    event.listen(engine, "before_cursor_execute", spy)
    try:
        assert client.get("/antrag/buergergeld/nachweise").status_code == 200
        assert client.get("/antrag/buergergeld/pruefen").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", spy)
    document_queries = [s for s in loaded if "FROM documents" in s]
    assert document_queries and not any(re.search(r"documents\.content(?!_)", s) for s in document_queries)


def test_staff_downloads_are_attachments_with_a_sandbox():
    response = attachment(samples.PDF, "application/pdf", 'bescheid"<script>.pdf')
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "<script>" not in response.headers["Content-Disposition"]
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert attachment(b"x", "text/html", "a.html").mimetype == "application/octet-stream"


def test_a_stream_that_inflates_past_a_chunk_is_measured_in_bounded_time():
    """A Flate stream inflating to more than one step (1 MiB) followed by the
    usual newline before ``endstream`` once looped for ever in the measuring
    (a 16 KB scan took a server thread at 100 % CPU)."""
    import threading
    import zlib

    from webapp.uploads import _inflated_size

    body = zlib.compress(b"\x00" * (3 * 1024 * 1024))
    head = b"%PDF-1.4\n1 0 obj\n<< /Length " + str(len(body)).encode() + b" /Filter /FlateDecode >>\nstream\n"
    pdf = head + body + b"\nendstream\nendobj\n%%EOF\n"
    result = []
    worker = threading.Thread(target=lambda: result.append(_inflated_size(pdf)), daemon=True)
    worker.start()
    worker.join(timeout=20)
    assert not worker.is_alive(), "measuring the inflated size did not finish"
    assert result == [3 * 1024 * 1024]


#: (where, the entry) of every kind of active content a PDF can carry
ACTIVE = {
    "link_javascript_uri": lambda: samples.pdf_with_link("javascript:app.alert(1)"),
    "link_obfuscated_javascript_uri": lambda: samples.pdf_with_link(" JaVa\tScRiPt:app.alert(1)"),
    "link_file_uri": lambda: samples.pdf_with_link("file:///C:/Windows/System32/calc.exe"),
    "link_unc_uri": lambda: samples.pdf_with_link("\\\\evil.test\\share\\x.exe"),
    "link_data_uri": lambda: samples.pdf_with_link("data:text/html,<script>alert(1)</script>"),
    "link_launch": lambda: samples.pdf_with_link("calc.exe", subtype="/Launch", key="/F"),
    "link_submit_form": lambda: samples.pdf_with_link("https://evil.test/collect", subtype="/SubmitForm", key="/F"),
    "link_import_data": lambda: samples.pdf_with_link("daten.fdf", subtype="/ImportData", key="/F"),
    "link_goto_remote": lambda: samples.pdf_with_link("\\\\evil.test\\share\\x.pdf", subtype="/GoToR", key="/F"),
    "link_javascript_action": lambda: samples.pdf_with_link("app.alert(1)", subtype="/JavaScript", key="/JS"),
    "page_additional_actions": lambda: samples.pdf_with_page_entry(
        "/AA", samples.DictionaryObject({samples.NameObject("/O"): samples.action("/JavaScript", JS="app.alert(1)")})),
    "outline_javascript": lambda: samples.pdf_with_outline_action(samples.action("/JavaScript", JS="app.alert(1)")),
    "outline_launch": lambda: samples.pdf_with_outline_action(samples.action("/Launch", F="cmd.exe")),
    "outline_javascript_uri": lambda: samples.pdf_with_outline_action(samples.action("/URI", URI="javascript:alert(1)")),
    "catalog_additional_actions": lambda: samples.pdf(AA=samples.DictionaryObject(
        {samples.NameObject("/WC"): samples.action("/JavaScript", JS="app.alert(1)")})),
    "catalog_uri_base": lambda: samples.pdf(URI=samples.DictionaryObject(
        {samples.NameObject("/Base"): samples.TextStringObject("javascript:alert(1)//")})),
}


@pytest.mark.parametrize("kind", sorted(ACTIVE))
def test_every_kind_of_active_content_is_refused(kind):
    assert inspect(ACTIVE[kind]()).error == "upload_active_content"


@pytest.mark.parametrize("uri", ["https://www.jobcenter.example/antrag", "http://example.org", "mailto:post@example.org",
                                 "tel:+4930123456", "www.bank.example/kontoauszug"])
def test_ordinary_links_pass(uri):
    assert inspect(samples.pdf_with_link(uri)).ok


def test_active_content_is_refused_with_a_clear_message_in_both_languages(uploader):
    client, token = uploader
    refused = upload(client, token, samples.pdf_with_link("javascript:app.alert(1)"))
    assert refused.status_code == 400 and "aktive Inhalte" in refused.get_data(as_text=True)
    client.get("/?lang=en")
    refused = upload(client, token, samples.pdf_with_link("javascript:app.alert(1)"))
    assert refused.status_code == 400 and "active content" in refused.get_data(as_text=True)


#: action types given indirectly (``/S 5 0 R``, object 5 the name): MuPDF and Acrobat follow the reference
INDIRECT_ACTIONS = {
    "launch": samples.raw_link(b"<< /S 5 0 R /F (calc.exe) >>", o5=b"/Launch"),
    "submit_form": samples.raw_link(b"<< /S 5 0 R /F << /FS /URL /F (https://evil.test/x) >> /Flags 4 >>", o5=b"/SubmitForm"),
    "goto_remote": samples.raw_link(b"<< /S 5 0 R /F (\\\\\\\\evil.test\\\\x.pdf) /D [0 /Fit] >>", o5=b"/GoToR"),
    "uri_target": samples.raw_link(b"<< /S 5 0 R /URI 6 0 R >>", o5=b"/URI", o6=b"(javascript:alert(1))"),
    "uri_base": samples.raw_link(b"<< /S /URI /URI (x) >>", o1=b"<< /Type /Catalog /Pages 2 0 R /URI << /Base 5 0 R >> >>",
                                 o5=b"(javascript:alert(1)//)"),
}


@pytest.mark.parametrize("kind", sorted(INDIRECT_ACTIONS))
def test_indirect_action_types_and_targets_are_resolved(kind):
    assert inspect(INDIRECT_ACTIONS[kind]).error == "upload_active_content"


#: a key given twice: pypdf keeps the first value, viewers the last
DUPLICATE_KEYS = {
    "action_type": samples.raw_link(b"<< /S /URI /URI (https://ok.test) /S /Launch /F (calc.exe) >>"),
    "uri": samples.raw_link(b"<< /S /URI /URI (https://ok.test) /URI (javascript:alert(1)) >>"),
    "annotation_subtype": samples.raw_annotation(b"/Subtype /Text /Subtype /FileAttachment /FS (\\\\\\\\evil.test\\\\x.exe)"),
    "in_object_stream": samples.pdf_in_object_stream(
        b"<< /Type /Catalog /Pages 2 0 R /URI << /Base (https://ok.test/) /Base (javascript:alert(1)//) >> >>"),
}


@pytest.mark.parametrize("kind", sorted(DUPLICATE_KEYS))
def test_a_dictionary_with_a_repeated_key_is_refused(kind):
    assert inspect(DUPLICATE_KEYS[kind]).error == "upload_damaged"


def test_repeated_keys_are_seen_even_when_pypdf_is_quieted():
    import logging

    quiet = logging.getLogger("pypdf")
    before = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        assert not inspect(DUPLICATE_KEYS["action_type"]).ok
    finally:
        quiet.setLevel(before)


def test_a_repeated_key_on_one_thread_does_not_refuse_a_clean_file_on_another():
    import threading

    clean = samples.pdf_in_object_stream(b"<< /Type /Catalog /Pages 2 0 R >>")
    results: dict[str, list] = {"clean": [], "duplicate": []}

    def check(kind, content):
        for _ in range(15):
            results[kind].append(inspect(content).error)

    workers = [threading.Thread(target=check, args=("clean", clean)),
               threading.Thread(target=check, args=("duplicate", DUPLICATE_KEYS["uri"]))]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert results["clean"] == [None] * 15
    assert results["duplicate"] == ["upload_damaged"] * 15


def test_hand_written_clean_files_pass():
    assert inspect(samples.raw_link(b"<< /S /URI /URI (https://www.jobcenter.example/) >>")).ok
    assert inspect(samples.raw_link(b"<< /S 5 0 R /D [3 0 R /Fit] >>", o5=b"/GoTo")).ok
    assert inspect(samples.pdf_in_object_stream(b"<< /Type /Catalog /Pages 2 0 R >>")).ok


#: actions that play, fetch or open something outside the document (UNC paths included)
OUTSIDE_ACTIONS = {
    "thread": samples.raw_link(b"<< /S /Thread /F (\\\\\\\\evil.test\\\\x.pdf) /D 0 >>"),
    "sound": samples.raw_link(b"<< /S /Sound /Sound 5 0 R >>", o5=b"<< /R 8000 /Length 0 >>\nstream\n\nendstream"),
    "movie": samples.raw_link(b"<< /S /Movie /T (clip) >>"),
    "rendition": samples.raw_link(b"<< /S /Rendition /OP 0 >>"),
    "rich_media_execute": samples.raw_link(b"<< /S /RichMediaExecute /TA 5 0 R >>", o5=b"<< >>"),
    "goto_embedded": samples.raw_link(b"<< /S /GoToE /F (\\\\\\\\evil.test\\\\x.pdf) /D [0 /Fit] >>"),
    "indirect_rendition": samples.raw_link(b"<< /S 5 0 R /OP 0 >>", o5=b"/Rendition"),
    "file_attachment_unc": samples.raw_annotation(b"/Subtype /FileAttachment /FS << /Type /Filespec /F (\\\\\\\\evil.test\\\\x.exe) >>"),
    "file_attachment_indirect": samples.raw_annotation(b"/Subtype 5 0 R /FS (\\\\\\\\evil.test\\\\x.exe)", o5=b"/FileAttachment"),
    "sound_annotation": samples.raw_annotation(b"/Subtype /Sound /Sound 5 0 R", o5=b"<< /R 8000 /Length 0 >>\nstream\n\nendstream"),
    "movie_annotation": samples.raw_annotation(b"/Subtype /Movie /Movie << /F (\\\\\\\\evil.test\\\\x.avi) >>"),
}


@pytest.mark.parametrize("kind", sorted(OUTSIDE_ACTIONS))
def test_actions_and_annotations_reaching_outside_are_refused(kind):
    assert inspect(OUTSIDE_ACTIONS[kind]).error == "upload_active_content"


def test_an_open_action_that_only_opens_a_page_passes():
    """fpdf2 (which writes the app's own receipts) and office suites open the
    first page with ``/OpenAction [3 0 R /FitH null]``: a destination, not an
    action. An open action that is an action stays refused."""
    from fpdf import FPDF

    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=12)
    document.cell(0, 10, "Kontoauszug")
    content = bytes(document.output())
    assert b"/OpenAction [" in content
    assert inspect(content).ok
    assert inspect(samples.raw_link(b"<< /S /URI /URI (https://ok.test) >>",
                                    o1=b"<< /Type /Catalog /Pages 2 0 R /OpenAction [3 0 R /Fit] >>")).ok
    assert inspect(samples.raw_link(b"<< /S /URI /URI (https://ok.test) >>",
                                    o1=b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>", o5=b"[3 0 R /Fit]")).ok
    for action in (b"<< /S /GoTo /D [3 0 R /Fit] >>", b"<< /S /URI /URI (https://evil.test) >>"):
        opened = samples.raw_link(b"<< /S /URI /URI (https://ok.test) >>",
                                  o1=b"<< /Type /Catalog /Pages 2 0 R /OpenAction " + action + b" >>")
        assert inspect(opened).error == "upload_active_content"
    assert inspect(samples.pdf_with_javascript()).error == "upload_active_content"


def test_a_pdf_of_too_many_pages_is_refused_for_its_pages_not_as_damaged(app):
    """A sound PDF of more pages than a document needs says so (not
    "beschädigt"), with the limit that is applied."""
    from fpdf import FPDF

    from webapp import i18n
    from webapp.uploads import MAX_PDF_PAGES

    document = FPDF()
    for _ in range(MAX_PDF_PAGES + 1):
        document.add_page()
    refused = inspect(bytes(document.output()))
    assert refused.error == "upload_too_many_pages"
    document = FPDF()
    document.add_page()
    assert inspect(bytes(document.output())).ok
    with app.test_request_context():
        assert f"mehr als {MAX_PDF_PAGES} Seiten" in i18n.translate("upload_too_many_pages", "de")
        assert f"more than {MAX_PDF_PAGES} pages" in i18n.translate("upload_too_many_pages", "en")
