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

Two things pypdf never sees are read here as well, within the same budgets
(and a wall-clock deadline, ``max_seconds``: under load a thread gets only a
share of the CPU, and a check must not hold its slot for long):

- **object streams** (``/Type /ObjStm``), whether a cross-reference lists
  them or not: each is kept decoded (:data:`MAX_OBJECT_BYTES` for all,
  :data:`MAX_OBJECT_STREAMS` of them), its objects are read at the offsets
  its header gives, as a reader does, and handed to the caller's ``judge``
  (webapp/uploads.py refuses active content by the same rules as for the
  objects pypdf reaches); so are the plain objects (``n g obj``), listed or
  not; the reading weighs in the work budget (:data:`PARSE_WEIGHT`) and is
  done only for objects whose bytes hold something ``suspect``;
- **inline images** (``BI`` … ``ID`` data ``EI``) in any decoded stream
  that holds a ``BI`` operator: the stream is decoded once more through a
  scanner that skips strings and comments, and each image is held to the
  pixel budget, its data decoded through its filters, and the size it
  declares counted as decoded (a reader allocates it), at most
  :data:`MAX_INLINE_IMAGES` per file.
"""

from __future__ import annotations

import base64
import binascii
import re
import time
import zlib
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

STEP = 1024 * 1024  # most bytes one decoding step yields
FEED = 64 * 1024  # raw bytes fed into a first stage at a time
WINDOW = 64 * 1024  # longest stream dictionary looked back for
MAX_STREAMS = 100_000
MAX_OBJECT_STREAMS = 10_000  # object streams a file may hold (each is read for active content)
MAX_OBJECT_BYTES = 32 * 1024 * 1024  # decoded bytes of all object streams kept to be read
MAX_OBJECTS = 200_000  # objects all object streams may declare together
MAX_TOKENS = 200_000  # values one object may hold (a long /Kids or /Widths array is far below)
PARSE_WEIGHT = 128  # work units per byte the object reader (Python, ~3 MB/s) reads, as LZW's
TOKEN_COST = 2048  # work units per value it reads and the judge then walks (a few µs), when that is more
MAX_INLINE_IMAGES = 10_000  # inline images (BI … ID … EI) in all content streams of a file
MAX_INLINE_DATA = 4 * 1024 * 1024  # raw bytes of one inline image (the standard recommends at most 4 KB)
MAX_INLINE_HEAD = 64 * 1024  # bytes of one inline image's dictionary
SCAN_WEIGHT = 4  # work units per byte of a content stream read again for its inline images
STEP_COST = 512  # work units of one step of that scanner in Python (~1 µs, as much as zlib inflates meanwhile)

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


class _Late(_Over):
    """The time for the file ran out."""


@dataclass
class Measure:
    decoded: int = 0  # bytes all stages of all streams produced
    work: int = 0  # decoded plus raw bytes fed
    streams: int = 0
    error: str | None = None  # a text key when the file is refused
    inline_images: int = 0
    objects: int = 0  # objects read from object streams


class _Budget:
    """The work a file may cost, in bytes and (``deadline``, a
    :func:`time.monotonic` instant) in wall-clock time: under load a thread
    gets a share of the CPU only, and a check must not hold its slot for long."""

    def __init__(self, max_decoded: int, max_work: int, deadline: float | None = None):
        self.max_decoded = max_decoded
        self.max_work = max_work
        self.deadline = deadline
        self.decoded = 0
        self.work = 0

    def fed(self, n: int) -> None:
        self.work += n
        if self.work > self.max_work:
            raise _Over()
        self.clock()

    def produced(self, n: int) -> None:
        self.decoded += n
        self.work += n
        if self.decoded > self.max_decoded or self.work > self.max_work:
            raise _Over()
        self.clock()

    def clock(self) -> None:
        if self.deadline is not None and time.monotonic() >= self.deadline:
            raise _Late()


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

    def __init__(self, data: bytes, pos: int = 0, limit: int | None = None, max_tokens: int = 20_000):
        self.data = data
        self.pos = pos
        self.limit = len(data) if limit is None else limit
        self.tokens = 0
        self.max_tokens = max_tokens
        self.repeated = False  # a dictionary gave a key twice (readers disagree on which value counts)

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
        if depth > 32 or self.tokens > self.max_tokens:
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
                self.repeated = self.repeated or key in result
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
            return HexString(data[pos + 1:end])
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


class HexString(bytes):
    """A ``<hex string>`` as written (its digits); a literal string is plain ``bytes`` as written."""


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


def _chain(file: _File | None, dictionary: dict, names: list[str], chunks: Iterable, budget: _Budget,
           inline: bool = False) -> tuple[Iterable, bool]:
    """``chunks`` run through the decoders of ``names``, every stage
    counted; True when the chain decodes to the end (no image codec stops it)."""
    for index, name in enumerate(names):
        if name in IMAGE_CODECS:
            return chunks, False
        decoder = DECODERS.get(name)
        if decoder is None:  # Brotli, or a name no reader knows: nothing bounds it
            raise Refused("upload_damaged")
        if name in WEIGHTS:
            chunks = _weighted(chunks, budget, WEIGHTS[name])
        if decoder is lzw:
            stage = decoder(chunks, _inline_early_change(dictionary, index) if inline else
                            _early_change(file, dictionary, index))
        else:
            stage = decoder(chunks)
        chunks = _counted(stage, budget)
    return chunks, True


# -- inline images in content streams -------------------------------------------------------

_DELIM = rb"\x00\t\n\x0c\r ()<>\[\]{}/%"
#: the operator BI: a token of its own (``/BI`` is a name, ``xBI`` another word)
_BI = re.compile(rb"(?<![^\x00\t\n\x0c\r ()<>\[\]{}])BI(?![^" + _DELIM + rb"])")
#: what the content scanner stops at: a literal string, a comment, a hex string (not a dictionary) or BI
_CONTENT = re.compile(rb"\(|%|<<|<|(?<![^\x00\t\n\x0c\r ()<>\[\]{}])BI(?![^" + _DELIM + rb"])")
_REGULAR = rb"[^\x00\t\n\x0c\r ()<>\[\]{}/%]"
#: what the scanner passes over in C: anything but a BI operator, with whole (unnested) literal strings,
#: names, dictionaries' brackets, hex strings and comments; it stops where Python must look (a BI token,
#: a nested or unfinished string, an unfinished comment or hex string)
_SKIP = re.compile(rb"(?:[^(%<B/]++|\((?:[^()\\]++|\\.|\((?:[^()\\]++|\\.)*+\))*+\)|/" + _REGULAR + rb"*+|%[^\r\n]*+(?=[\r\n])|<<|<[^<>]*+>"
                   rb"|(?<=" + _REGULAR + rb")B|B(?!I(?!" + _REGULAR + rb")))*+", re.S)
_PAREN = re.compile(rb"[()\\]")
_EOL = re.compile(rb"[\r\n]")
_ID = re.compile(rb"(?<![^\x00\t\n\x0c\r ()<>\[\]{}])ID(?=[\x00\t\n\x0c\r ])")
_EI = re.compile(rb"[\x00\t\n\x0c\r ]EI(?![^" + _DELIM + rb"])")
INLINE_NAMES = {"/W": "/Width", "/H": "/Height", "/F": "/Filter", "/BPC": "/BitsPerComponent", "/CS": "/ColorSpace",
                "/IM": "/ImageMask", "/DP": "/DecodeParms", "/L": "/Length"}
INLINE_FILTERS = {**ABBREVIATIONS, "/CCF": "/CCITTFaxDecode", "/DCT": "/DCTDecode"}
_COMPONENTS = {"/G": 1, "/DeviceGray": 1, "/CalGray": 1, "/I": 1, "/Indexed": 1, "/RGB": 3, "/DeviceRGB": 3,
               "/CalRGB": 3, "/Lab": 3, "/CMYK": 4, "/DeviceCMYK": 4}


def _inline_early_change(entries: dict, index: int) -> int:
    parms = entries.get("/DecodeParms")
    if isinstance(parms, list):
        parms = parms[index] if index < len(parms) else None
    return 0 if isinstance(parms, dict) and parms.get("/EarlyChange", parms.get("/EC")) == 0 else 1


class _Tally:
    def __init__(self, max_pixels: int):
        self.max_pixels = max_pixels
        self.inline_images = 0


class _ContentScan:
    """Finds the inline images (``BI`` dictionary ``ID`` data ``EI``) of a
    decoded content stream fed in chunks, skipping literal and hex strings
    and comments (a ``BI`` inside a string is text), and measures each:
    its declared ``/W`` × ``/H`` against the pixel budget, its data through
    its filter chain, and the bytes its declared size decodes to, all within
    the file's budgets. Between chunks it keeps at most one inline image
    (:data:`MAX_INLINE_DATA`) or its dictionary, never the stream."""

    def __init__(self, budget: _Budget, tally: _Tally):
        self.budget = budget
        self.tally = tally
        self.carry = b""
        self.state = "normal"  # or "string", "comment", "hex", "head" (after BI), "data" (after ID)
        self.depth = 0  # of parentheses, in a string
        self.entries: dict = {}
        self.searched = 0  # how much of the current image's data was searched for EI

    def feed(self, chunk) -> None:
        self.budget.fed(len(chunk) * SCAN_WEIGHT)
        data = self.carry + bytes(chunk) if self.carry else bytes(chunk)
        self.carry = data[self._run(data, final=False):]

    def close(self) -> None:
        if self.carry:
            self._run(self.carry, final=True)
        self.carry = b""

    def _run(self, data: bytes, final: bool) -> int:
        """Scan ``data`` in the current state; returns where the rest to carry over begins."""
        pos, size = 0, len(data)
        while pos < size:
            self.budget.fed(STEP_COST)
            state = self.state
            if state == "string":
                pos = self._string(data, pos)
            elif state == "comment":
                end = _EOL.search(data, pos)
                pos, self.state = (size, "comment") if end is None else (end.end(), "normal")
            elif state == "hex":
                end = data.find(b">", pos)
                pos, self.state = (size, "hex") if end < 0 else (end + 1, "normal")
            elif state in ("head", "data"):
                pos, wait = self._head(data, pos, final) if state == "head" else self._data(data, pos, final)
                if wait:
                    return pos
            else:
                pos = _SKIP.match(data, pos).end()
                match = _CONTENT.search(data, pos)
                if match is None:
                    return size if final else max(pos, size - 2)
                if not final and match.end() + 1 > size:
                    return match.start()  # the token, or what tells it apart, may go on in the next chunk
                pos = match.end()
                self.state = {b"(": "string", b"%": "comment", b"<": "hex", b"BI": "head"}.get(match.group(), "normal")
                self.depth = 1
        return pos

    def _string(self, data: bytes, pos: int) -> int:
        while True:
            self.budget.fed(STEP_COST)
            match = _PAREN.search(data, pos)
            if match is None:
                return len(data)
            at = match.start()
            if data[at] == 0x5C:  # a backslash escapes the next byte
                if at + 1 >= len(data):
                    return at  # carried over with the byte it escapes
                pos = at + 2
                continue
            self.depth += 1 if data[at] == 0x28 else -1
            pos = at + 1
            if self.depth == 0:
                self.state = "normal"
                return pos

    def _head(self, data: bytes, pos: int, final: bool) -> tuple[int, bool]:
        """The dictionary after BI, read up to the ID operator: (where to go on, wait for more data)."""
        self.budget.fed(8 * STEP_COST)  # setting up the reader costs more than its tokens
        parser = _Parser(data, pos, max_tokens=2_000)
        entries: dict = {}
        try:
            while True:
                parser._skip()
                at = parser.pos
                if data.startswith(b"ID", at) and at + 2 < len(data) and data[at + 2] in WHITESPACE:
                    break
                key = parser.value(1)
                if not isinstance(key, Name):
                    raise ValueError("key")
                entries[INLINE_NAMES.get(key, key)] = parser.value(1)
                if parser.pos - pos > MAX_INLINE_HEAD:
                    raise ValueError("long")
        except ValueError:
            self.budget.fed(parser.tokens * STEP_COST)
            if not final and len(data) - pos <= MAX_INLINE_HEAD:
                return pos, True  # the dictionary may go on in the next chunk
            self.state = "normal"  # not an inline image: go on after BI
            return pos, False
        self.budget.fed(parser.tokens * STEP_COST)
        self.entries, self.state, self.searched = entries, "data", 0
        start = at + 3  # ID and one white-space byte
        length = entries.get("/Length")
        if isinstance(length, int) and 0 <= length <= MAX_INLINE_DATA and start + length + 64 <= len(data):
            after = data[start + length:start + length + 64]
            if after.lstrip(WHITESPACE).startswith(b"EI"):
                self._measure(data[start:start + length])
                self.state = "normal"
                return start + length + after.index(b"EI") + 2, False
        return self._data(data, start, final)

    def _data(self, data: bytes, start: int, final: bool) -> tuple[int, bool]:
        """The image data from ``start`` up to EI: (where to go on, wait for more data)."""
        end = _EI.search(data, max(start, start + self.searched - 3))
        if end is not None and (final or end.end() + 1 <= len(data)):
            self._measure(data[start:end.start()])
            self.state = "normal"
            return end.end(), False
        if len(data) - start > MAX_INLINE_DATA:
            raise Refused("upload_too_complex")  # an inline image of megabytes: no writer makes one
        if final:  # the stream ends inside the image: what is there is what a reader gets
            self._measure(data[start:])
            self.state = "normal"
            return len(data), False
        self.searched = len(data) - start
        return start, True

    def _measure(self, raw: bytes) -> None:
        tally, budget, entries = self.tally, self.budget, self.entries
        tally.inline_images += 1
        if tally.inline_images > MAX_INLINE_IMAGES:
            raise Refused("upload_too_complex")
        width, height = entries.get("/Width"), entries.get("/Height")
        width = width if isinstance(width, int) else 0
        height = height if isinstance(height, int) else 0
        if width * height > tally.max_pixels:
            raise Refused("upload_image_too_large")
        mask = entries.get("/ImageMask") == b"true"
        bits = entries.get("/BitsPerComponent")
        bits = 1 if mask else bits if isinstance(bits, int) and 0 < bits <= 16 else 8
        space = entries.get("/ColorSpace")
        components = 1 if mask or isinstance(space, list) else _COMPONENTS.get(space, 4) if isinstance(space, str) else 4
        names = entries.get("/Filter")
        names = names if isinstance(names, list) else [] if names is None else [names]
        if not all(isinstance(n, Name) for n in names):
            raise Refused("upload_damaged")
        names = [INLINE_FILTERS.get(n, n) for n in names]
        chunks, _ = _chain(None, entries, names, _raw(memoryview(raw), 0, len(raw), budget), budget, inline=True)
        produced = 0
        for chunk in chunks:
            produced += len(chunk)
        # a reader allocates what the image declares, however little its data decodes to
        declared = (width * components * bits + 7) // 8 * height
        if declared > produced:
            budget.produced(declared - produced)


# -- object streams ---------------------------------------------------------------------------


def _decoded_text(value) -> str | None:
    """A string object as text: a literal's escapes resolved, a hex string's
    digits decoded, UTF-16 with its byte-order mark read as such."""
    if isinstance(value, HexString):
        digits = bytes(value).translate(None, _NOT_HEX)
        raw = binascii.unhexlify(digits + b"0" * (len(digits) % 2))
    elif isinstance(value, bytes):
        raw = _unescape_literal(value)
    else:
        return None
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be", "replace")
    return raw.decode("latin-1")


_ESCAPE = re.compile(rb"\\(?:([0-7]{1,3})|(\r\n|\r|\n)|(.))", re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape_literal(raw: bytes) -> bytes:
    def replace(match):
        if match.group(1):
            return bytes((int(match.group(1), 8) & 0xFF,))
        if match.group(2):
            return b""  # a line continuation
        return _ESCAPES.get(match.group(3), match.group(3))
    return _ESCAPE.sub(replace, raw)


class Objects:
    """The objects of a file's object streams (listed by a cross-reference or
    not), read at the offsets their stream's header gives, as a reader does;
    :meth:`resolve` gives every definition of a referenced object found in
    object streams and the file's last plain definition."""

    def __init__(self, file: _File, budget: _Budget, suspect: re.Pattern | None = None):
        self.file = file
        self.budget = budget
        self.suspect = suspect
        self.places: dict[int, list[tuple[bytes, int]]] = {}
        self.judged: list[tuple[bytes, int]] = []  # the objects of streams that hold something suspect
        self.count = 0
        self.streams = 0

    def add(self, file: _File, dictionary: dict, data: bytes) -> None:
        """Read an object stream's header; its objects are read when judged or referenced."""
        self.streams += 1
        if self.streams > MAX_OBJECT_STREAMS:
            raise Refused("upload_too_complex")
        self.budget.fed(len(data))
        suspect = self.suspect is None or self.suspect.search(data) is not None
        count, first = _number(file, dictionary.get("/N")), _number(file, dictionary.get("/First"))
        if count is None or first is None or count < 0 or not 0 <= first <= len(data):
            raise Refused("upload_damaged")
        self.count += count
        if self.count > MAX_OBJECTS:
            raise Refused("upload_too_complex")
        header = _Parser(data, 0, first, max_tokens=4 * count + 10)
        try:
            for _ in range(count):
                number, offset = header.value(), header.value()
                if not isinstance(number, int) or not isinstance(offset, int) or not 0 <= first + offset < len(data):
                    raise Refused("upload_damaged")
                self.places.setdefault(number, []).append((data, first + offset))
                if suspect:
                    self.judged.append((data, first + offset))
        except ValueError:
            raise Refused("upload_damaged") from None

    def read(self, data: bytes, at: int):
        parser = _Parser(data, at, max_tokens=MAX_TOKENS)
        try:
            value = parser.value()
        except ValueError:
            raise Refused("upload_damaged") from None
        self.budget.fed(max((parser.pos - at) * PARSE_WEIGHT, parser.tokens * TOKEN_COST))
        if parser.repeated:
            raise Refused("upload_damaged")  # as uploads refuses a repeated key pypdf reports
        return value

    def each(self) -> Iterator:
        for data, at in self.judged:
            yield self.read(data, at)

    def resolve(self, value, depth: int = 0) -> list:
        """Every value a reference may stand for (a reference chain followed a few steps)."""
        if not isinstance(value, _Ref):
            return [value]
        if depth > 8:
            return []
        found = [self.read(data, at) for data, at in self.places.get(value[0], ())[:8]]
        try:
            found.append(self.file.resolve(_Ref(value), 7))  # the last plain definition, one step
        except (LookupError, ValueError):
            pass
        return [target for item in found for target in self.resolve(item, depth + 1)]


def measure(content: bytes, *, max_decoded: int, max_work: int, max_pixels: int, max_seconds: float | None = None,
            judge=None, suspect: re.Pattern | None = None) -> Measure:
    """Decode every stream of a PDF through its filter chain within the
    budgets (``max_seconds`` of wall-clock time included); every decoded
    stream is searched for inline images (:class:`_ContentScan`, only when a
    ``BI`` occurs in it), and every object of every object stream is given to
    ``judge(value, resolve)``, which returns a text key to refuse the file
    (``resolve(value)`` lists what a reference may stand for) — only the
    objects of streams whose decoded bytes ``suspect`` finds something in,
    when it is given (reading objects in Python costs ~100 times decoding
    them). Never raises for any input."""
    budget = _Budget(max_decoded, max_work, None if max_seconds is None else time.monotonic() + max_seconds)
    result = Measure()
    tally = _Tally(max_pixels)
    objects = None
    try:
        budget.clock()
        file = _File(content)
        objects = Objects(file, budget, suspect)
        kept = 0
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
            start = match.end()
            stop = file.extent(start, _number(file, dictionary.get("/Length")))
            chunks, decoded = _chain(file, dictionary, names, _raw(view, start, stop, budget), budget)
            keep = decoded and _resolved(file, dictionary.get("/Type")) == "/ObjStm"
            if not names and not keep:  # plain bytes: searched for BI where they lie, not read in steps
                budget.fed(stop - start)  # forged streams overlapping one far endstream cost their sum, bounded
                if content.find(b"BI", start, stop) >= 0 and _BI.search(content, start, stop):
                    _scan(_raw(view, start, stop, budget), budget, tally)
                continue
            kept = _consume(file, dictionary, names, chunks, decoded, keep, kept, objects, (view, start, stop),
                            budget, tally)
        if judge is not None:
            for value in objects.each():
                reason = judge(value, objects.resolve)
                if reason:
                    raise Refused(reason)
            for value in _plain_objects(file, budget, suspect):
                reason = judge(value, objects.resolve)
                if reason:
                    raise Refused(reason)
    except _Late:
        result.error = "upload_too_complex"
    except _Over:
        result.error = "upload_damaged"
    except Refused as refused:
        result.error = refused.args[0]
    except (RecursionError, MemoryError, LookupError, ValueError):
        result.error = "upload_damaged"
    result.decoded, result.work = budget.decoded, budget.work
    result.inline_images = tally.inline_images
    result.objects = objects.count if objects is not None else 0
    return result


def _plain_objects(file: _File, budget: _Budget, suspect: re.Pattern | None) -> Iterator:
    """Every ``n g obj`` in the file, whether a cross-reference lists it or
    not (a reader that rebuilds a broken file finds them all), read when its
    bytes hold something ``suspect``. A "header" that does not read as an
    object (it lies inside some stream's data) is passed over."""
    content, headers = file.content, file.headers
    if len(headers) > MAX_OBJECTS:
        raise Refused("upload_too_complex")
    for index, value_at in enumerate(file.header_ends):
        end = headers[index + 1] if index + 1 < len(headers) else len(content)
        budget.fed(max(0, end - value_at) + 64)
        if suspect is not None and suspect.search(content, value_at, end) is None:
            continue
        parser = _Parser(content, value_at, end, max_tokens=MAX_TOKENS)
        try:
            value = parser.value()
        except ValueError:
            continue
        budget.fed(max((parser.pos - value_at) * PARSE_WEIGHT, parser.tokens * TOKEN_COST))
        if parser.repeated:
            raise Refused("upload_damaged")
        yield value


def _consume(file, dictionary, names, chunks, decoded, keep, kept, objects, raw, budget, tally) -> int:
    """Run one stream's chain to its end; an object stream's output is kept
    (within :data:`MAX_OBJECT_BYTES` for all of them) and read; a ``BI`` in
    the output has the stream decoded again through :class:`_ContentScan`.
    Returns the bytes of object streams kept so far."""
    data = bytearray() if keep else None
    tail, found = b"", False
    for chunk in chunks:
        if not decoded:
            continue
        if not found:
            edge = tail + bytes(chunk[:3])
            found = (b"BI" in edge and _BI.search(edge) is not None
                     or bytes(chunk).find(b"BI") >= 0 and _BI.search(chunk) is not None)
            tail = bytes(chunk[-3:])
        if data is not None:
            kept += len(chunk)
            if kept > MAX_OBJECT_BYTES:
                raise Refused("upload_too_complex")
            data += chunk
    if data is not None:
        objects.add(file, dictionary, bytes(data))
    if found:
        view, start, stop = raw
        again, _ = _chain(file, dictionary, names, _raw(view, start, stop, budget), budget)
        _scan(again, budget, tally)
    return kept


def _scan(chunks: Iterable, budget: _Budget, tally: _Tally) -> None:
    scanner = _ContentScan(budget, tally)
    for chunk in chunks:
        scanner.feed(chunk)
    scanner.close()
