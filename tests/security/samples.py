"""Sample files, clean and hostile, built with the same libraries the checks
use (pypdf, Pillow), so every hostile one differs from a clean one in exactly
the way it is named for."""

from __future__ import annotations

import functools
import io
import zlib

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject


def pdf(**extra) -> bytes:
    """A one-page PDF; ``extra`` entries are added to the catalog."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    for key, value in extra.items():
        writer._root_object[NameObject("/" + key)] = value
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def png(width: int = 8, height: int = 8) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 10, 10)).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (10, 200, 10)).save(buffer, "JPEG")
    return buffer.getvalue()


def pdf_with_javascript() -> bytes:
    action = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"),
                               NameObject("/JS"): TextStringObject("app.alert('x')")})
    return pdf(OpenAction=action)


def pdf_with_launch() -> bytes:
    action = DictionaryObject({NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")})
    return pdf(OpenAction=action)


def pdf_with_obfuscated_javascript() -> bytes:
    """``/J#61vaScript`` is ``/JavaScript`` to every PDF reader."""
    return pdf_with_javascript().replace(b"/JavaScript", b"/J#61vaScript")


def pdf_with_embedded_file() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_attachment("payload.exe", b"MZ\x90\x00")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_zip_polyglot() -> bytes:
    """A PDF with a ZIP archive appended: valid to both readers."""
    return pdf() + b"PK\x03\x04" + b"\x00" * 2000 + b"PK\x05\x06" + b"\x00" * 18


def pdf_html_polyglot() -> bytes:
    return pdf().replace(b"%PDF-1.3", b"%PDF-1.3\n%<html><script>alert(1)</script>", 1)


def pdf_deflate_bomb() -> bytes:
    """A page whose content stream inflates from about 300 KiB to 300 MiB."""
    from pypdf.generic import StreamObject

    squeeze = zlib.compressobj(9)
    block = b"\x00" * (1024 * 1024)
    bomb = b"".join(squeeze.compress(block) for _ in range(300)) + squeeze.flush()
    writer = PdfWriter()
    page = writer.add_blank_page(width=200, height=200)
    stream = StreamObject()
    stream._data = bomb
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    page[NameObject("/Contents")] = writer._add_object(stream)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def png_huge_dimensions() -> bytes:
    """A 30000 × 30000 PNG of a few hundred KB (a decompression bomb)."""
    import struct

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    width = height = 30000
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    data = zlib.compress(row * 200, 9)  # truncated image data: the header alone must be refused
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def png_with_trailer() -> bytes:
    return png() + b"<?php system($_GET['c']); ?>"


def truncated_pdf() -> bytes:
    return pdf()[:-200]


PDF = pdf()
PNG = png()
JPEG = jpeg()


# -- filter chains and active content (issue 12, second probe) --------------------------

BOMB_BYTES = 300 * 1024 * 1024  # what every bomb below decodes to


def pdf_with_stream(data: bytes, filters: list[str], **entries) -> bytes:
    """A one-page PDF whose content stream holds ``data`` raw, declared with
    the filter chain ``filters`` (extra dictionary ``entries`` as PDF objects)."""
    from pypdf.generic import ArrayObject, StreamObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=200, height=200)
    stream = StreamObject()
    stream._data = data
    stream[NameObject("/Filter")] = ArrayObject(NameObject(name) for name in filters)
    for key, value in entries.items():
        stream[NameObject("/" + key)] = value
    page[NameObject("/Contents")] = writer._add_object(stream)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@functools.lru_cache(maxsize=2)
def zeros_deflated(size: int = BOMB_BYTES) -> bytes:
    squeeze = zlib.compressobj(9)
    block = b"\x00" * (1024 * 1024)
    return b"".join(squeeze.compress(block) for _ in range(size // len(block))) + squeeze.flush()


def lzw_zeros(size: int) -> bytes:
    """LZW codes (EarlyChange 1) for ``size`` zero bytes: each code one zero
    longer than the last until the table is full, then its longest entry again."""
    def width(table: int) -> int:  # the code width a reader uses with this many entries
        return 9 if table + 1 < 512 else 10 if table + 1 < 1024 else 11 if table + 1 < 2048 else 12

    codes, produced, table = [(0, 9)], 1, 258
    while produced < size:
        if table < 4096:  # the entry being defined: the last one plus a zero
            codes.append((table, width(table)))
            produced += table - 256
            table += 1
        else:
            codes.append((4095, 12))
            produced += 4095 - 256
    table_width = width(table)
    codes.append((257, table_width))
    bits, count, out = 0, 0, bytearray()
    for code, w in codes:
        bits = (bits << w) | code
        count += w
        while count >= 8:
            count -= 8
            out.append((bits >> count) & 0xFF)
            bits &= (1 << count) - 1
    if count:
        out.append((bits << (8 - count)) & 0xFF)
    return bytes(out)


CHAIN_BOMBS = ("hex_flate", "flate_flate", "ascii85_flate", "lzw", "flate_runlength", "abbreviated")


def chain_bomb(kind: str) -> tuple[bytes, list[str]]:
    """(raw stream data, filter chain) of a bomb decoding to ``BOMB_BYTES``."""
    import base64

    if kind == "lzw":
        return lzw_zeros(BOMB_BYTES), ["/LZWDecode"]
    if kind == "flate_runlength":
        return zlib.compress(b"\x81\x00" * (BOMB_BYTES // 128) + b"\x80", 9), ["/FlateDecode", "/RunLengthDecode"]
    deflated = zeros_deflated()
    return {
        "hex_flate": (deflated.hex().encode() + b">", ["/ASCIIHexDecode", "/FlateDecode"]),
        "flate_flate": (zlib.compress(deflated, 9), ["/FlateDecode", "/FlateDecode"]),
        "ascii85_flate": (base64.a85encode(deflated, adobe=True)[2:], ["/ASCII85Decode", "/FlateDecode"]),
        "abbreviated": (deflated.hex().encode() + b">", ["/AHx", "/Fl"]),
    }[kind]


def pdf_with_link(uri: str, subtype: str = "/URI", key: str = "/URI") -> bytes:
    """A page with a link annotation whose action is ``subtype`` carrying ``uri``."""
    from pypdf.generic import ArrayObject, FloatObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=200, height=200)
    action = DictionaryObject({NameObject("/S"): NameObject(subtype), NameObject(key): TextStringObject(uri)})
    annotation = DictionaryObject({NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
                                   NameObject("/Rect"): ArrayObject(FloatObject(v) for v in (0, 0, 100, 100)),
                                   NameObject("/A"): action})
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_with_page_entry(key: str, value) -> bytes:
    writer = PdfWriter()
    page = writer.add_blank_page(width=200, height=200)
    page[NameObject(key)] = value
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_with_outline_action(action: DictionaryObject) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    item = writer.add_outline_item(title="Kapitel 1", page_number=0)
    item.get_object()[NameObject("/A")] = action
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def action(kind: str, **entries) -> DictionaryObject:
    result = DictionaryObject({NameObject("/S"): NameObject(kind)})
    for key, value in entries.items():
        result[NameObject("/" + key)] = TextStringObject(value)
    return result


def pdf_with_orphan_javascript() -> bytes:
    """A second catalog with JavaScript, listed in the cross-reference table
    but referenced by nothing (a reader rebuilding a broken file may pick it)."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer._add_object(DictionaryObject({NameObject("/Type"): NameObject("/Catalog"),
                                         NameObject("/OpenAction"): action("/JavaScript", JS="app.alert(1)")}))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# -- hand-written PDFs: syntax pypdf's writer never produces --------------------------------

_PAGES = {2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
          3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Annots [4 0 R] >>"}


def raw_pdf(objects: dict[int, bytes], root: int = 1) -> bytes:
    """A PDF from object bodies by number, with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number, body in sorted(objects.items()):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref, size = len(out), max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, root, xref)
    return bytes(out)


def raw_link(action: bytes, annotation: bytes = b"/Subtype /Link", **more: bytes) -> bytes:
    """One page whose annotation (object 4) carries ``action`` as its ``/A``;
    ``more`` adds objects by number (``o5=b"/Launch"``)."""
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>", **_PAGES,
               4: b"<< /Type /Annot " + annotation + b" /Rect [0 0 600 700] /A " + action + b" >>"}
    objects.update({int(key[1:]): body for key, body in more.items()})
    return raw_pdf(objects)


def raw_annotation(entries: bytes, **more: bytes) -> bytes:
    """One page with an annotation (object 4) made of ``entries``."""
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>", **_PAGES,
               4: b"<< /Type /Annot /Rect [0 0 600 700] " + entries + b" >>"}
    objects.update({int(key[1:]): body for key, body in more.items()})
    return raw_pdf(objects)


def pdf_in_object_stream(catalog: bytes) -> bytes:
    """The catalog (object 1) stored compressed in an object stream, listed
    by a cross-reference stream."""
    import struct

    header = b"1 0 "
    packed = zlib.compress(header + catalog)
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    objects = {2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
               4: b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n" % (len(header), len(packed))
               + packed + b"\nendstream"}
    for number, body in objects.items():
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    offsets[5] = len(out)
    rows = [(0, 0, 65535), (2, 4, 0), (1, offsets[2], 0), (1, offsets[3], 0), (1, offsets[4], 0), (1, offsets[5], 0)]
    table = b"".join(struct.pack(">BIH", *row) for row in rows)
    out += (b"5 0 obj\n<< /Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % len(table)
            + table + b"\nendstream\nendobj\n")
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[5]
    return bytes(out)
