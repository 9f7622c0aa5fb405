"""How far a PDF's streams decode, measured without trusting the file.

A deflate bomb need not start with a zlib header: ``/Filter [/ASCIIHexDecode
/FlateDecode]``, ``[/FlateDecode /FlateDecode]``, ASCII85, LZW and RunLength
in front of or behind each other all hide one. :func:`measure` therefore
finds every stream in the raw bytes (orphans included, before any PDF library
decodes anything), reads its dictionary, and runs the stream through its
whole filter chain with *streaming* decoders written here: each stage is a
generator that yields at most :data:`STEP` bytes at a time, the next stage
pulls from it, and nothing but the byte counts is kept. Two budgets end the
work for the whole file:

- ``max_decoded``: all bytes every stage produced (intermediate stages
  included, so a stage that blows up into whitespace the next one ignores
  still counts);
- ``max_work``: those plus every raw byte fed into a first stage (overlapping
  or forged stream extents cannot make the scan quadratic), with the input of
  the decoders written in Python weighted by their cost per byte
  (:data:`WEIGHTS`: LZW at about 2 MB/s would otherwise take seconds for one
  upload; a file with more than a few MiB of LZW data is refused).

pypdf's own filters are not used for this: each decodes a whole stage into
memory (up to 75 MB per stage by default) and a chain multiplies that.
Image codecs (DCT, JPX, CCITT fax, JBIG2) end a chain: their input counts,
and an image's declared ``/Width`` × ``/Height`` is held to the pixel budget
(a viewer allocates that much). Predictors (``/DecodeParms``) only ever
shrink data and are ignored. A filter nobody can bound (Brotli, unknown
names) or a dictionary that cannot be read makes the file "damaged".
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

STEP = 1024 * 1024  # most bytes one decoding step yields
FEED = 64 * 1024  # raw bytes fed into a first stage at a time
WINDOW = 64 * 1024  # longest stream dictionary looked back for
MAX_STREAMS = 100_000

WHITESPACE = b"\x00\t\n\x0c\r "
DELIMITERS = b"()<>[]{}/%"
_HEX_DIGITS = b"0123456789abcdefABCDEF"
_NOT_HEX = bytes(b for b in range(256) if b not in _HEX_DIGITS)

_STREAM = re.compile(rb">>(?:[\x00\t\n\x0c\r ]|%[^\r\n]*)*stream(?:\r\n|\r|\n)?")
_ENDSTREAM = re.compile(rb"endstream")
_REF_TAIL = re.compile(rb"[\x00\t\n\x0c\r ]+(\d+)[\x00\t\n\x0c\r ]+R(?![A-Za-z0-9])")
_OBJ = re.compile(rb"(?<![0-9])(\d{1,10})[\x00\t\n\x0c\r ]+(\d{1,5})[\x00\t\n\x0c\r ]+obj(?![A-Za-z])")

ABBREVIATIONS = {"/AHx": "/ASCIIHexDecode", "/A85": "/ASCII85Decode", "/LZW": "/LZWDecode", "/Fl": "/FlateDecode",
                 "/RL": "/RunLengthDecode", "/CCF": "/CCITTFaxDecode", "/DCT": "/DCTDecode"}
IMAGE_CODECS = frozenset({"/DCTDecode", "/JPXDecode", "/CCITTFaxDecode", "/JBIG2Decode"})


class Refused(Exception):
    """The file is refused; ``args[0]`` is the text key of the reason."""


class _Over(Exception):
    """A budget ran out."""


@dataclass
class Measure:
    decoded: int = 0  # bytes all stages of all streams produced
    work: int = 0  # decoded plus raw bytes fed
    streams: int = 0
    error: str | None = None  # a text key when the file is refused


class _Budget:
    def __init__(self, max_decoded: int, max_work: int):
        self.max_decoded = max_decoded
        self.max_work = max_work
        self.decoded = 0
        self.work = 0

    def fed(self, n: int) -> None:
        self.work += n
        if self.work > self.max_work:
            raise _Over()

    def produced(self, n: int) -> None:
        self.decoded += n
        self.work += n
        if self.decoded > self.max_decoded or self.work > self.max_work:
            raise _Over()


# -- streaming decoders: each takes an iterator of chunks and yields chunks -------------


def flate(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """zlib or gzip (as pypdf accepts), else raw deflate; stops at the end of
    the compressed data or at the first error, never spins on trailing bytes."""
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 32)
    started = False
    for chunk in chunks:
        data = bytes(chunk)
        while True:
            try:
                out = inflater.decompress(data, STEP)
            except zlib.error:
                if started:
                    return
                inflater, started = zlib.decompressobj(-zlib.MAX_WBITS), True  # no header: raw deflate
                try:
                    out = inflater.decompress(data, STEP)
                except zlib.error:
                    return
            started = True
            if out:
                yield out
            if inflater.eof:
                return
            tail = inflater.unconsumed_tail
            if not out and len(tail) >= len(data):
                break  # all buffered output drained; wants more input
            data = tail


def ascii_hex(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Ends at ``>``; anything that is not a hex digit is skipped (as viewers do)."""
    pending = b""
    for chunk in chunks:
        chunk = bytes(chunk)
        end = chunk.find(b">")
        digits = pending + (chunk if end < 0 else chunk[:end]).translate(None, _NOT_HEX)
        cut = len(digits) - len(digits) % 2
        pending = digits[cut:]
        for at in range(0, cut, 2 * STEP):
            yield binascii.unhexlify(digits[at:min(cut, at + 2 * STEP)])
        if end >= 0:
            break
    if pending:
        yield binascii.unhexlify(pending + b"0")


def ascii85(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Ends at ``~``; ``z`` is four zero bytes; stops at an invalid group."""
    pending = b""
    for chunk in chunks:
        chunk = bytes(chunk)
        end = chunk.find(b"~")
        text = (chunk if end < 0 else chunk[:end]).translate(None, WHITESPACE)
        text = pending + text.replace(b"z", b"!!!!!")
        cut = len(text) - len(text) % 5
        pending = text[cut:]
        for at in range(0, cut, 5 * (STEP // 4)):
            try:
                yield base64.a85decode(text[at:min(cut, at + 5 * (STEP // 4))])
            except ValueError:
                return
        if end >= 0:
            break
    if len(pending) > 1:
        try:
            yield base64.a85decode(pending + b"u" * (5 - len(pending)))[:len(pending) - 1]
        except ValueError:
            return


def run_length(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """PDF RunLengthDecode; ends at the EOD byte 128."""
    pending = b""
    for chunk in chunks:
        data = pending + bytes(chunk)
        size, i, out = len(data), 0, bytearray()
        while i < size:
            length = data[i]
            if length == 128:
                if out:
                    yield bytes(out)
                return
            if length < 128:
                if i + length + 2 > size:
                    break
                out += data[i + 1:i + length + 2]
                i += length + 2
            else:
                if i + 2 > size:
                    break
                out += data[i + 1:i + 2] * (257 - length)
                i += 2
            if len(out) >= STEP:
                yield bytes(out)
                out = bytearray()
        pending = data[i:]
        if out:
            yield bytes(out)


def lzw(chunks: Iterable[bytes], early_change: int = 1) -> Iterator[bytes]:
    """PDF LZWDecode (9 to 12 bit codes, EarlyChange); ends at code 257 or at
    the first invalid code."""
    table: list[bytes] = [bytes((i,)) for i in range(256)] + [b"", b""]
    width, buffer, bits, previous, out = 9, 0, 0, b"", bytearray()
    for chunk in chunks:
        for byte in bytes(chunk):
            buffer = (buffer << 8) | byte
            bits += 8
            while bits >= width:
                bits -= width
                code = buffer >> bits
                buffer &= (1 << bits) - 1
                if code == 256:
                    del table[258:]
                    width, previous = 9, b""
                    continue
                if code == 257:
                    if out:
                        yield bytes(out)
                    return
                if code < len(table) and code != 256 and code != 257:
                    entry = table[code]
                elif code == len(table) and previous:
                    entry = previous + previous[:1]
                else:
                    if out:
                        yield bytes(out)
                    return
                out += entry
                if previous and len(table) < 4096:
                    table.append(previous + entry[:1])
                previous = entry
                size = len(table) + early_change
                width = 9 if size < 512 else 10 if size < 1024 else 11 if size < 2048 else 12
                if len(out) >= STEP:
                    yield bytes(out)
                    out = bytearray()
    if out:
        yield bytes(out)


def _crypt(chunks: Iterable[bytes]) -> Iterator[bytes]:
    for chunk in chunks:
        yield bytes(chunk)


#: work units one input byte costs in the decoders that loop in Python (zlib and hex are C speed)
WEIGHTS = {"/LZWDecode": 128, "/RunLengthDecode": 32, "/ASCII85Decode": 32}

DECODERS = {"/FlateDecode": flate, "/ASCIIHexDecode": ascii_hex, "/ASCII85Decode": ascii85,
            "/RunLengthDecode": run_length, "/LZWDecode": lzw, "/Crypt": _crypt}


# -- a small reader for the objects around a stream ---------------------------------------


class _Ref(tuple):
    """An indirect reference ``n g R``."""


class _Parser:
    """Reads one PDF object (dictionary, array, name, number, string, reference)."""

    def __init__(self, data: bytes, pos: int = 0, limit: int | None = None):
        self.data = data
        self.pos = pos
        self.limit = len(data) if limit is None else limit
        self.tokens = 0

    def _skip(self) -> None:
        data, limit = self.data, self.limit
        while self.pos < limit:
            c = data[self.pos]
            if c in WHITESPACE:
                self.pos += 1
            elif c == 0x25:  # % comment
                while self.pos < limit and data[self.pos] not in b"\r\n":
                    self.pos += 1
            else:
                return

    def value(self, depth: int = 0):
        self.tokens += 1
        if depth > 32 or self.tokens > 20_000:
            raise ValueError("too deep")
        self._skip()
        data, pos = self.data, self.pos
        if pos >= self.limit:
            raise ValueError("end")
        c = data[pos]
        if data.startswith(b"<<", pos):
            self.pos += 2
            result = {}
            while True:
                self._skip()
                if data.startswith(b">>", self.pos):
                    self.pos += 2
                    return result
                key = self.value(depth + 1)
                if not isinstance(key, Name):
                    raise ValueError("key")
                result[key] = self.value(depth + 1)
        if c == 0x5B:  # [
            self.pos += 1
            items = []
            while True:
                self._skip()
                if self.pos < self.limit and data[self.pos] == 0x5D:
                    self.pos += 1
                    return items
                items.append(self.value(depth + 1))
        if c == 0x2F:  # /
            end = pos + 1
            while end < self.limit and data[end] not in WHITESPACE and data[end] not in DELIMITERS:
                end += 1
            self.pos = end
            return Name(_unescape_name(data[pos + 1:end]))
        if c == 0x28:  # (literal string)
            depth_, end = 0, pos
            while end < self.limit:
                ch = data[end]
                if ch == 0x5C:
                    end += 2
                    continue
                depth_ += ch == 0x28
                depth_ -= ch == 0x29
                end += 1
                if depth_ == 0:
                    break
            else:
                raise ValueError("string")
            self.pos = end
            return data[pos + 1:end - 1]
        if c == 0x3C:  # <hex string>
            end = data.find(b">", pos)
            if end < 0 or end >= self.limit:
                raise ValueError("hex string")
            self.pos = end + 1
            return data[pos + 1:end]
        end = pos
        while end < self.limit and data[end] not in WHITESPACE and data[end] not in DELIMITERS:
            end += 1
        word = data[pos:end]
        if not word:
            raise ValueError(f"unexpected {data[pos:pos + 1]!r}")
        self.pos = end
        if re.fullmatch(rb"\d+", word):  # maybe "n g R"
            save = self.pos
            following = _REF_TAIL.match(data, self.pos, self.limit)
            if following:
                self.pos = following.end()
                return _Ref((int(word), int(following.group(1))))
            self.pos = save
            return int(word)
        if re.fullmatch(rb"[+-]?(\d+\.?\d*|\.\d+)", word):
            return float(word)
        return word  # true, false, null or a stray keyword


class Name(str):
    """A PDF name with its ``#xx`` escapes resolved, e.g. ``/FlateDecode``."""


def _unescape_name(raw: bytes) -> str:
    text = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes((int(m.group(1), 16),)), raw)
    return "/" + text.decode("latin-1")


# -- finding and measuring streams ---------------------------------------------------------


class _File:
    def __init__(self, content: bytes):
        self.content = content
        self.objects: dict[tuple[int, int], int] = {}  # last definition of each object: where its value starts
        self.headers: list[int] = []  # start of every "n g obj"
        self.header_ends: list[int] = []
        for match in _OBJ.finditer(content):
            self.headers.append(match.start())
            self.header_ends.append(match.end())
            self.objects[(int(match.group(1)), int(match.group(2)))] = match.end()
        self.ends = [m.start() for m in _ENDSTREAM.finditer(content)]

    def resolve(self, value, depth: int = 0):
        """A reference's target (the last definition in the file), or :class:`LookupError`."""
        while isinstance(value, _Ref):
            if depth > 8 or tuple(value) not in self.objects:
                raise LookupError(value)
            value = _Parser(self.content, self.objects[tuple(value)]).value()
            depth += 1
        return value

    def dictionary(self, keyword: int) -> dict | None:
        """The dictionary that ends at ``keyword`` (the ``>>`` before
        ``stream``), or None when this ``stream`` is not one by the object's
        own syntax (e.g. it lies inside another stream's data)."""
        at = bisect_right(self.headers, keyword) - 1
        if at < 0 or keyword - self.headers[at] > WINDOW:
            raise Refused("upload_damaged")
        parser = _Parser(self.content, self.header_ends[at], keyword + 2)
        try:
            result = parser.value()
        except ValueError:
            raise Refused("upload_damaged") from None
        if not isinstance(result, dict) or parser.pos != keyword + 2:
            return None
        return result

    def extent(self, start: int, length) -> int:
        """Where a stream's data ends: at ``/Length`` when ``endstream``
        follows it, else at the next ``endstream``."""
        content = self.content
        if isinstance(length, int) and 0 <= length <= len(content) - start:
            if content[start + length:start + length + 64].lstrip(WHITESPACE).startswith(b"endstream"):
                return start + length
        at = bisect_left(self.ends, start)
        return self.ends[at] if at < len(self.ends) else len(content)


def _filters(file: _File, dictionary: dict) -> list[str]:
    value = dictionary.get("/Filter")
    try:
        value = file.resolve(value)
        names = value if isinstance(value, list) else [] if value is None else [value]
        names = [file.resolve(n) for n in names]
    except (LookupError, ValueError):
        raise Refused("upload_damaged") from None
    if not all(isinstance(n, Name) for n in names):
        raise Refused("upload_damaged")
    return [ABBREVIATIONS.get(n, n) for n in names]


def _resolved(file: _File, value):
    try:
        return file.resolve(value)
    except (LookupError, ValueError):
        return None


def _number(file: _File, value) -> int | None:
    value = _resolved(file, value)
    return value if isinstance(value, int) else None


def _raw(view: memoryview, start: int, stop: int, budget: _Budget) -> Iterator[memoryview]:
    for at in range(start, stop, FEED):
        piece = view[at:min(stop, at + FEED)]
        budget.fed(len(piece))
        yield piece


def _weighted(chunks: Iterable[bytes], budget: _Budget, weight: int) -> Iterator[bytes]:
    for chunk in chunks:
        budget.fed(len(chunk) * weight)
        yield chunk


def _counted(chunks: Iterable[bytes], budget: _Budget) -> Iterator[bytes]:
    for chunk in chunks:
        budget.produced(len(chunk))
        yield chunk


def _early_change(file: _File, dictionary: dict, index: int) -> int:
    parms = dictionary.get("/DecodeParms")
    try:
        parms = file.resolve(parms)
        if isinstance(parms, list):
            parms = file.resolve(parms[index]) if index < len(parms) else None
    except (LookupError, ValueError):
        return 1
    value = parms.get("/EarlyChange") if isinstance(parms, dict) else None
    return 0 if value == 0 else 1


def measure(content: bytes, *, max_decoded: int, max_work: int, max_pixels: int) -> Measure:
    """Decode every stream of a PDF through its filter chain within the
    budgets; never raises for any input."""
    budget = _Budget(max_decoded, max_work)
    result = Measure()
    try:
        file = _File(content)
        view = memoryview(content)
        for match in _STREAM.finditer(content):
            result.streams += 1
            if result.streams > MAX_STREAMS:
                raise Refused("upload_damaged")
            dictionary = file.dictionary(match.start())
            if dictionary is None:
                continue
            if _resolved(file, dictionary.get("/Subtype")) == "/Image":
                width, height = _number(file, dictionary.get("/Width")), _number(file, dictionary.get("/Height"))
                if width and height and width * height > max_pixels:
                    raise Refused("upload_image_too_large")
            names = _filters(file, dictionary)
            if not names:
                continue
            start = match.end()
            stop = file.extent(start, _number(file, dictionary.get("/Length")))
            chunks: Iterable = _raw(view, start, stop, budget)
            for index, name in enumerate(names):
                if name in IMAGE_CODECS:
                    break
                decoder = DECODERS.get(name)
                if decoder is None:  # Brotli, or a name no reader knows: nothing bounds it
                    raise Refused("upload_damaged")
                if name in WEIGHTS:
                    chunks = _weighted(chunks, budget, WEIGHTS[name])
                stage = decoder(chunks, _early_change(file, dictionary, index)) if decoder is lzw else decoder(chunks)
                chunks = _counted(stage, budget)
            for _ in chunks:
                pass
    except _Over:
        result.error = "upload_damaged"
    except Refused as refused:
        result.error = refused.args[0]
    except (RecursionError, MemoryError, LookupError, ValueError):
        result.error = "upload_damaged"
    result.decoded, result.work = budget.decoded, budget.work
    return result
