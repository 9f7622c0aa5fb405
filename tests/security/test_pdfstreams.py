"""PDF streams measured through their whole filter chain: bombs behind
ASCIIHex, ASCII85, LZW, RunLength and nested Flate are refused within a
bounded amount of memory and time; the streaming decoders agree with pypdf's."""

import base64
import os
import threading
import tracemalloc
import zlib

import pytest
from pypdf.filters import ASCII85Decode, ASCIIHexDecode, FlateDecode, LZWDecode, RunLengthDecode
from pypdf.generic import NameObject, NumberObject

from tests.security import samples
from webapp import pdfstreams
from webapp.uploads import MAX_DECODE_WORK, MAX_INFLATED, inspect

DATA = os.urandom(3000) + b"Antrag auf Buergergeld " * 4000 + b"\x00" * 70000


def pieces(data: bytes, size: int = 777):
    return [data[i:i + size] for i in range(0, len(data), size)]


def run_length_encode(data: bytes) -> bytes:
    out = bytearray()
    for at in range(0, len(data), 128):
        block = data[at:at + 128]
        if block == block[:1] * len(block) and len(block) > 1:
            out += bytes((257 - len(block),)) + block[:1]
        else:
            out += bytes((len(block) - 1,)) + block
    return bytes(out + b"\x80")


@pytest.mark.parametrize("name,encoded,reference", [
    ("flate", zlib.compress(DATA), lambda d: FlateDecode.decode(d)),
    ("ascii_hex", DATA.hex().encode() + b">", lambda d: ASCIIHexDecode.decode(d)),
    ("ascii85", base64.a85encode(DATA, adobe=True)[2:], lambda d: ASCII85Decode.decode(d)),
    ("run_length", run_length_encode(DATA), lambda d: RunLengthDecode.decode(d)),
    ("lzw", None, lambda d: LZWDecode.decode(d)),
])
def test_streaming_decoders_agree_with_pypdf(name, encoded, reference):
    if encoded is None:
        from pypdf._codecs._codecs import LzwCodec

        encoded = LzwCodec().encode(DATA)
    decoded = b"".join(getattr(pdfstreams, name)(pieces(encoded)))
    assert decoded == DATA == reference(encoded)


def test_decoders_yield_bounded_steps():
    bomb = samples.zeros_deflated(64 * 1024 * 1024)
    assert max(len(chunk) for chunk in pdfstreams.flate([bomb])) <= pdfstreams.STEP
    assert max(len(c) for c in pdfstreams.run_length([b"\x81\x00" * 100_000])) <= pdfstreams.STEP + 128


@pytest.mark.parametrize("kind", samples.CHAIN_BOMBS)
def test_bombs_behind_filter_chains_are_refused(kind):
    pdf = samples.pdf_with_stream(*samples.chain_bomb(kind))
    assert inspect(pdf).error == "upload_damaged"
    # bounded by work, not by a clock (no timing asserts in tests): decoding stops at the budgets
    measured = pdfstreams.measure(pdf, max_decoded=MAX_INFLATED, max_work=MAX_DECODE_WORK, max_pixels=60_000_000)
    assert measured.error and measured.decoded <= MAX_INFLATED + pdfstreams.STEP
    assert measured.work <= MAX_DECODE_WORK + pdfstreams.STEP * max(pdfstreams.WEIGHTS.values())


def test_a_chain_bomb_is_never_held_in_memory():
    """300 MiB of zeros behind two Flate layers, measured up to 64 MiB: the
    measuring holds a few steps at a time, never the decoded data."""
    pdf = samples.pdf_with_stream(*samples.chain_bomb("flate_flate"))
    tracemalloc.start()
    try:
        measured = pdfstreams.measure(pdf, max_decoded=64 << 20, max_work=MAX_DECODE_WORK, max_pixels=60_000_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert measured.error == "upload_damaged" and measured.decoded <= (64 << 20) + 2 * pdfstreams.STEP
    assert peak < 16 * 1024 * 1024 + len(pdf) * 2


def test_the_work_budget_stops_overlapping_forged_streams():
    """Thousands of forged stream headers whose data all runs to one far
    ``endstream`` cost at most the work budget, not their sum."""
    body = b"".join(b"%d 0 obj\n<< /Filter /ASCIIHexDecode >>\nstream\n" % (n + 10) + b"0" * 2000 for n in range(3000))
    pdf = b"%PDF-1.4\n" + body + b"\nendstream\nendobj\n%%EOF\n"
    measured = pdfstreams.measure(pdf, max_decoded=1 << 40, max_work=4 * 1024 * 1024, max_pixels=60_000_000)
    assert measured.error == "upload_damaged" and measured.work <= 4 * 1024 * 1024 + pdfstreams.FEED + pdfstreams.STEP


def test_decoded_streams_of_ordinary_files_pass():
    text = b"BT /F1 12 Tf 72 712 Td (Antrag) Tj ET\n" * 2000
    for filters, data in ((["/ASCIIHexDecode", "/FlateDecode"], zlib.compress(text).hex().encode() + b">"),
                          (["/FlateDecode", "/FlateDecode"], zlib.compress(zlib.compress(text))),
                          (["/ASCII85Decode"], base64.a85encode(text, adobe=True)[2:])):
        pdf = samples.pdf_with_stream(data, filters)
        assert inspect(pdf).ok, filters
        assert pdfstreams.measure(pdf, max_decoded=MAX_INFLATED, max_work=MAX_DECODE_WORK,
                                  max_pixels=1).decoded >= len(text)


@pytest.mark.parametrize("filters", [["/BrotliDecode"], ["/FlateDecode", "/Zstd"]])
def test_filters_nobody_can_bound_are_refused(filters):
    assert inspect(samples.pdf_with_stream(zlib.compress(b"x" * 100), filters)).error == "upload_damaged"


def test_an_image_declaring_too_many_pixels_is_refused():
    entries = {"Subtype": NameObject("/Image"), "Width": NumberObject(100_000), "Height": NumberObject(100_000)}
    pdf = samples.pdf_with_stream(zlib.compress(b"\x00" * 100), ["/FlateDecode"], **entries)
    assert inspect(pdf).error == "upload_image_too_large"
    entries["Width"] = NumberObject(2480)
    entries["Height"] = NumberObject(3508)  # A4 at 300 dpi
    assert inspect(samples.pdf_with_stream(zlib.compress(b"\x00" * 100), ["/FlateDecode"], **entries)).ok


@pytest.mark.parametrize("tail", [b"\n", b"\r\n", b"\n\n\n", b"garbage\n"])
def test_trailing_bytes_before_endstream_never_spin(tail):
    """The newline before ``endstream`` once looped for ever in the measuring."""
    body = zlib.compress(b"\x00" * (3 * 1024 * 1024))
    for filters in (b"/FlateDecode", b"[/FlateDecode /FlateDecode]"):
        data = body if filters == b"/FlateDecode" else zlib.compress(body)
        pdf = (b"%PDF-1.4\n1 0 obj\n<< /Length " + str(len(data)).encode() + b" /Filter " + filters + b" >>\nstream\n"
               + data + tail + b"endstream\nendobj\n%%EOF\n")
        result = []
        worker = threading.Thread(target=lambda: result.append(
            pdfstreams.measure(pdf, max_decoded=MAX_INFLATED, max_work=MAX_DECODE_WORK, max_pixels=1)), daemon=True)
        worker.start()
        worker.join(timeout=20)
        assert not worker.is_alive(), "measuring did not finish"
        assert result[0].error is None
        assert result[0].decoded == 3 * 1024 * 1024 + (len(body) if filters != b"/FlateDecode" else 0)


@pytest.mark.parametrize("content", [b"%PDF-1.4\n1 0 obj\n<< /Filter [/FlateDecode 5 0 R] >>\nstream\nxx\nendstream\n%%EOF",
                                     b"%PDF-1.4\n1 0 obj\n<< /Filter /Fl#61teDecode /Length 99999999 >>\nstream\n\x78\x9c",
                                     b"%PDF-1.4\n<< /Filter /FlateDecode >>\nstream\n" + b"\xff" * 100,
                                     b"%PDF-1.4\n1 0 obj\n<< /A (unbalanced >>\nstream\nx\nendstream",
                                     b"%PDF-1.4\n1 0 obj\n" + b"[" * 5000 + b">>stream\n"])
def test_measuring_never_raises(content):
    result = pdfstreams.measure(content, max_decoded=1 << 20, max_work=1 << 21, max_pixels=1)
    assert result.decoded <= (1 << 20) + pdfstreams.STEP


def test_slow_decoders_are_held_to_a_few_seconds():
    """10 MB of valid LZW codes (one byte each, the costliest input) is
    refused by the work budget before it costs more than a few seconds."""
    codes = [256 if i % 200 == 0 else (i * 7919) % 256 for i in range(8_000_000)]
    bits, count, out = 0, 0, bytearray()
    for code in codes:
        bits, count = (bits << 9) | code, count + 9
        while count >= 8:
            count -= 8
            out.append((bits >> count) & 0xFF)
        bits &= (1 << count) - 1
    pdf = samples.pdf_with_stream(bytes(out), ["/LZWDecode"])
    assert inspect(pdf).error == "upload_damaged"
    # the work budget, weighted for the slow decoder, is what ends it (measured in bytes, not seconds)
    measured = pdfstreams.measure(pdf, max_decoded=MAX_INFLATED, max_work=MAX_DECODE_WORK, max_pixels=60_000_000)
    assert measured.error and measured.work <= MAX_DECODE_WORK + pdfstreams.STEP * pdfstreams.WEIGHTS["/LZWDecode"]
    assert measured.decoded < len(out)  # stopped long before the data was decoded
    small = samples.pdf_with_stream(bytes(out[:200_000]), ["/LZWDecode"])
    assert inspect(small).ok
