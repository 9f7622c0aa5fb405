"""Sample files, clean and hostile, built with the same libraries the checks
use (pypdf, Pillow), so every hostile one differs from a clean one in exactly
the way it is named for."""

from __future__ import annotations

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
