"""What pypdf never sees: object streams no cross-reference lists, and
inline images (``BI … ID … EI``) inside page content. Both are read by
webapp/pdfstreams.py within the file's budgets (count, decoded size, work,
wall-clock time); every file here is hand-written to differ from a clean one
in exactly the way it is named for."""

import zlib

import pytest

from tests.security import samples
from webapp import pdfstreams
from webapp.uploads import MAX_DECODE_WORK, MAX_INFLATED, SUSPECT, inspect

PAGES = {1: b"<< /Type /Catalog /Pages 2 0 R >>",
         2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
         3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>"}


def stream(body: bytes, data: bytes, flate: bool = True) -> bytes:
    if flate:
        data = zlib.compress(data)
        body += b" /Filter /FlateDecode"
    return b"<< " + body + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def object_stream(objects: dict[int, bytes], flate: bool = True) -> bytes:
    """An object stream holding ``objects`` by number, its header as readers expect."""
    header, body = b"", b""
    for number, value in objects.items():
        header += b"%d %d " % (number, len(body))
        body += value + b"\n"
    return stream(b"/Type /ObjStm /N %d /First %d" % (len(objects), len(header)), header + body, flate)


def pdf(content: bytes = b"BT ET", unlisted: dict[int, bytes] | None = None, flate: bool = True) -> bytes:
    """One page with ``content``; ``unlisted`` objects are written into the
    file before the cross-reference table, which does not list them (pypdf
    reads the table and never looks at them)."""
    objects = {**PAGES, 4: stream(b"", content, flate)}
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number, body in sorted(objects.items()):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    for number, body in (unlisted or {}).items():
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref, size = len(out), max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number]
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


def test_the_hand_written_files_are_clean_without_their_payload():
    assert inspect(pdf()).ok
    assert inspect(pdf(unlisted={20: object_stream({21: b"<< /Type /Annot /Subtype /Link /A << /S /URI /URI "
                                                         b"(https://www.jobcenter.example/) >> >>",
                                                    22: b"[1 2 3 (text with /JavaScript in it)]"})})).ok


#: an object stream nobody lists, holding one of these
UNLISTED = {
    "launch": {21: b"<< /S /Launch /F (cmd.exe) >>"},
    "javascript": {21: b"<< /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>"},
    "escaped_name": {21: b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>"},
    "additional_actions": {21: b"<< /Type /Page /AA << /O 22 0 R >> >>", 22: b"<< /S /SubmitForm /F (https://evil.test) >>"},
    "indirect_action_type": {21: b"<< /S 22 0 R /F (calc.exe) >>", 22: b"/Launch"},
    "hex_javascript_uri": {21: b"<< /S /URI /URI <6a617661736372697074 3a616c657274283129> >>"},
    "escaped_javascript_uri": {21: b"<< /S /URI /URI (java\\163cript:alert\\(1\\)) >>"},
    "utf16_file_uri": {21: b"<< /S /URI /URI <FEFF00660069006C0065003A002F002F0078> >>"},
    "file_attachment": {21: b"<< /Type /Annot /Subtype /FileAttachment /FS (\\\\\\\\evil.test\\\\x.exe) >>"},
    "embedded_files": {21: b"<< /EmbeddedFiles << /Names [(a.exe) 22 0 R] >> >>", 22: b"<< /Type /Filespec >>"},
}


@pytest.mark.parametrize("kind", sorted(UNLISTED))
def test_active_content_in_an_object_stream_no_cross_reference_lists_is_refused(kind):
    content = pdf(unlisted={20: object_stream(UNLISTED[kind])})
    assert inspect(content).error == "upload_active_content"


def test_an_unlisted_object_stream_without_compression_is_read_too():
    assert inspect(pdf(unlisted={20: object_stream(UNLISTED["launch"], flate=False)})).error == "upload_active_content"


def test_an_indirect_action_type_in_a_second_unlisted_stream_is_followed():
    content = pdf(unlisted={20: object_stream({21: b"<< /S 31 0 R /F (calc.exe) >>"}),
                            30: object_stream({31: b"/Launch"})})
    assert inspect(content).error == "upload_active_content"
    harmless = pdf(unlisted={20: object_stream({21: b"<< /S 31 0 R /D [3 0 R /Fit] >>"}),
                             30: object_stream({31: b"/GoTo"})})
    assert inspect(harmless).ok


def test_a_repeated_key_in_an_unlisted_stream_is_refused():
    content = pdf(unlisted={20: object_stream({21: b"<< /S /URI /URI (https://ok.test) /URI (javascript:alert(1)) >>"})})
    assert inspect(content).error == "upload_damaged"


def test_a_broken_object_stream_header_is_refused():
    broken = stream(b"/Type /ObjStm /N 5 /First 2", b"1 0 << >>")
    assert inspect(pdf(unlisted={20: broken})).error == "upload_damaged"


def test_object_streams_are_bounded_in_number_and_size(monkeypatch):
    many = {20 + 2 * n: object_stream({21 + 2 * n: b"<< /Type /Annot >>"}) for n in range(6)}
    assert inspect(pdf(unlisted=many)).ok
    read = []
    measured = pdfstreams.measure(pdf(unlisted=many), max_decoded=MAX_INFLATED, max_work=MAX_DECODE_WORK,
                                  max_pixels=60_000_000, judge=lambda value, resolve: read.append(value))
    assert read.count({"/Type": "/Annot"}) == 6  # besides the plain objects
    # every object was read, and the reading counts in the work budget, weighted by its cost
    assert measured.objects == 6 and measured.work >= 6 * len(b"<< /Type /Annot >>") * pdfstreams.PARSE_WEIGHT
    monkeypatch.setattr(pdfstreams, "MAX_OBJECT_STREAMS", 5)
    assert inspect(pdf(unlisted=many)).error == "upload_too_complex"
    monkeypatch.setattr(pdfstreams, "MAX_OBJECT_STREAMS", 10_000)
    # streams holding nothing the rules look at are not read object by object (Python reading is slow)
    read.clear()
    pdfstreams.measure(pdf(unlisted=many), max_decoded=MAX_INFLATED, max_work=MAX_DECODE_WORK, max_pixels=60_000_000,
                       judge=lambda value, resolve: read.append(value), suspect=SUSPECT)
    assert {"/Type": "/Annot"} not in read
    monkeypatch.setattr(pdfstreams, "MAX_OBJECT_BYTES", 100)
    assert inspect(pdf(unlisted=many)).error == "upload_too_complex"


# -- inline images ------------------------------------------------------------------------------


def inline(entries: bytes, data: bytes) -> bytes:
    return b"q 100 0 0 100 0 0 cm BI " + entries + b" ID " + data + b"\nEI Q\n"


def test_a_small_inline_image_passes_and_is_counted():
    content = b"BT (BI is text here; so is ID and EI) Tj ET\n" + inline(b"/W 4 /H 4 /CS /G /BPC 8", b"\x00" * 16)
    assert inspect(pdf(content)).ok
    measured = pdfstreams.measure(pdf(content), max_decoded=MAX_INFLATED, max_work=MAX_DECODE_WORK, max_pixels=60_000_000)
    assert measured.error is None and measured.inline_images == 1


def test_an_inline_image_declaring_too_many_pixels_is_refused():
    content = inline(b"/W 100000 /H 100000 /IM true", b"\x00")
    assert inspect(pdf(content)).error == "upload_image_too_large"
    assert inspect(pdf(content, flate=False)).error == "upload_image_too_large"


def test_a_deflate_bomb_in_an_inline_image_is_refused():
    bomb = samples.zeros_deflated()
    assert pdfstreams._EI.search(bomb) is None  # the bomb's bytes hold no EI operator that would end it early
    content = inline(b"/W 10 /H 10 /CS /G /BPC 8 /F /Fl", bomb)
    assert inspect(pdf(content)).error == "upload_damaged"


def test_the_size_inline_images_declare_counts_in_the_decoded_budget():
    """Each image is under the pixel budget and carries one byte, but a
    reader allocates what it declares: 7,000 × 7,000 RGB is 147 MB."""
    content = inline(b"/W 7000 /H 7000 /CS /RGB /BPC 8", b"\x00") * 2
    assert inspect(pdf(content)).error == "upload_damaged"
    assert inspect(pdf(inline(b"/W 7000 /H 7000 /CS /RGB /BPC 8", b"\x00"))).ok


def test_inline_images_are_bounded_in_number(monkeypatch):
    content = inline(b"/W 1 /H 1 /CS /G /BPC 8", b"\x00") * 30
    assert inspect(pdf(content)).ok
    monkeypatch.setattr(pdfstreams, "MAX_INLINE_IMAGES", 29)
    assert inspect(pdf(content)).error == "upload_too_complex"


def test_an_inline_image_cannot_hide_behind_a_string_or_a_comment():
    """A ``BI … ID`` inside a string must not swallow the real image that follows."""
    big = inline(b"/W 100000 /H 100000 /IM true", b"\x00")
    for decoy in (b"BT ( BI /W 1 /H 1 ID ) Tj ET\n", b"% BI /W 1 /H 1 ID\n", b"<4249> Tj\n", b"BT (a \\( BI ID \\) b) Tj ET\n"):
        assert inspect(pdf(decoy + big)).error == "upload_image_too_large", decoy
    # a dictionary value holding " ID " is not the end of the dictionary
    tricky = b"BI /W 100000 /H 100000 /X ( ID ) /IM true ID \x00\nEI\n"
    assert inspect(pdf(tricky)).error == "upload_image_too_large"


def test_inline_images_across_decoding_steps_are_found(monkeypatch):
    """The content is read in steps (1 MiB); an image split between two steps is still measured."""
    monkeypatch.setattr(pdfstreams, "STEP", 97)
    monkeypatch.setattr(pdfstreams, "FEED", 89)
    content = b"0 0 m 1 1 l S\n" * 50 + inline(b"/W 100000 /H 100000 /IM true", b"\x01" * 300)
    assert inspect(pdf(content)).error == "upload_image_too_large"
    assert inspect(pdf(content, flate=False)).error == "upload_image_too_large"
    assert inspect(pdf(b"0 0 m 1 1 l S\n" * 50 + inline(b"/W 8 /H 8 /IM true", b"\x01" * 8))).ok


def test_an_inline_image_with_an_unbounded_filter_is_refused():
    assert inspect(pdf(inline(b"/W 1 /H 1 /F /BrotliDecode", b"\x00"))).error == "upload_damaged"


# -- time ---------------------------------------------------------------------------------------


def test_the_work_budget_also_bounds_wall_clock_time():
    """No timing assert: a budget of no time at all refuses any file with
    streams, with its own reason; without a time budget the same file passes."""
    content = pdf(inline(b"/W 4 /H 4 /CS /G /BPC 8", b"\x00" * 16))
    measured = pdfstreams.measure(content, max_decoded=MAX_INFLATED, max_work=MAX_DECODE_WORK, max_pixels=60_000_000,
                                  max_seconds=0)
    assert measured.error == "upload_too_complex"
    assert inspect(content, max_seconds=0).error == "upload_too_complex"
    assert inspect(content, max_seconds=None).ok


def test_an_open_action_in_an_unlisted_stream_is_judged_like_a_listed_one():
    opens_page = pdf(unlisted={20: object_stream({21: b"<< /Type /Catalog /OpenAction [3 0 R /FitH null] >>"})})
    assert inspect(opens_page).ok
    runs = pdf(unlisted={20: object_stream({21: b"<< /Type /Catalog /OpenAction << /S /GoTo /D [3 0 R /Fit] >> >>"})})
    assert inspect(runs).error == "upload_active_content"
    dangling = pdf(unlisted={20: object_stream({21: b"<< /Type /Catalog /OpenAction 99 0 R >>"})})
    assert inspect(dangling).error == "upload_active_content"


#: plain objects (not in an object stream) that the cross-reference table does not list
UNLISTED_PLAIN = {
    "launch": b"<< /S /Launch /F (cmd.exe) >>",
    "catalog_with_javascript": b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>",
    "indirect_action_type": b"<< /S 21 0 R /F (calc.exe) >>",
}


@pytest.mark.parametrize("kind", sorted(UNLISTED_PLAIN))
def test_active_content_in_a_plain_object_no_cross_reference_lists_is_refused(kind):
    unlisted = {20: UNLISTED_PLAIN[kind]}
    if kind == "indirect_action_type":
        unlisted[21] = b"/Launch"
    assert inspect(pdf(unlisted=unlisted)).error == "upload_active_content"


def test_unlisted_plain_objects_without_active_content_pass():
    link = b"<< /Type /Annot /Subtype /Link /Rect [0 0 1 1] /A << /S /URI /URI (https://www.jobcenter.example/) >> >>"
    assert inspect(pdf(unlisted={20: link, 21: b"<< /S 22 0 R /D [3 0 R /Fit] >>", 22: b"/GoTo"})).ok


@pytest.mark.parametrize("entries", [b"/W 4 /H 4 /CS << /A 1 >>", b"/W (4) /H [4]", b"/W 4 /H 4 /F 5", b"/W 4 /H 4 /F [/Fl 5]",
                                     b"/W -4 /H 4 /BPC 99", b"/W 4 /H 4 /DP [<< /EC 0 >>] /F /LZW", b"4 /W", b"/W 4 /H",
                                     b"/W 4 /H 4 /X (unbalanced"])
def test_odd_inline_image_dictionaries_never_raise(entries):
    content = pdf(inline(entries, b"\x00" * 16))
    measured = pdfstreams.measure(content, max_decoded=MAX_INFLATED, max_work=MAX_DECODE_WORK, max_pixels=60_000_000)
    assert measured.error in (None, "upload_damaged")


@pytest.mark.parametrize("unit", [b"BI 1 ", b"BI /W /H ", b"(((x)))", b"((((((((((((x))))))))))))"])
def test_content_that_makes_the_inline_scanner_step_in_python_is_held_to_the_work_budget(unit):
    """Each step the scanner takes in Python (a nested string, a BI that is
    no image) weighs in the work budget, so no content makes it slow; plain
    strings, names, comments and hex strings are passed over in C."""
    content = pdf(b"BI\n" + unit * (8_000_000 // len(unit)))
    measured = pdfstreams.measure(content, max_decoded=MAX_INFLATED, max_work=MAX_DECODE_WORK, max_pixels=60_000_000)
    assert measured.error == "upload_damaged"
    assert measured.work <= MAX_DECODE_WORK + pdfstreams.STEP * pdfstreams.SCAN_WEIGHT + 10_000 * pdfstreams.STEP_COST


def test_ordinary_text_with_bi_in_it_costs_little_to_scan():
    text = b"BT /F1 12 Tf (BI steht hier nur im Text) Tj (ID (und) EI) Tj ET % BI\n<4249> Tj\n" * 50_000
    content = pdf(text + inline(b"/W 4 /H 4 /CS /G /BPC 8", b"\x00" * 16))
    measured = pdfstreams.measure(content, max_decoded=MAX_INFLATED, max_work=MAX_DECODE_WORK, max_pixels=60_000_000)
    assert measured.error is None and measured.inline_images == 1
    assert measured.work < MAX_DECODE_WORK // 8


@pytest.mark.parametrize("value", [b"1 ", b"/a", b"[]", b"1 0 R "])
def test_objects_dense_with_values_are_held_to_the_work_budget(value):
    """Reading objects in Python costs by the value, not only by the byte:
    twenty objects of 100,000 short values each end at the budget."""
    dense = b"[" + value * 100_000 + b" /URI]"
    content = pdf(unlisted={20: object_stream({100 + n: dense for n in range(20)})})
    measured = pdfstreams.measure(content, max_decoded=MAX_INFLATED, max_work=MAX_DECODE_WORK, max_pixels=60_000_000,
                                  judge=lambda value, resolve: None, suspect=SUSPECT)
    assert measured.error == "upload_damaged"
    assert measured.work <= MAX_DECODE_WORK + pdfstreams.MAX_TOKENS * pdfstreams.TOKEN_COST
