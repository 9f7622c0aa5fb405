"""The CLI's results as compact JSON text, written by orjson without copying the answers.

Every JSON text the ``formwerk`` CLI prints is compact (``{"a":1,"b":[2]}``,
no spaces), one result a line. :func:`dumps` writes it with orjson's encoder
(some 6x faster than simplejson's or json's C encoder on a result line); every
value is written exactly: a finite Decimal as its ``str`` (``2.5E+22``, ``-0.00``,
through ``orjson.Fragment``), keys in their order, non-ASCII characters as
UTF-8 text, U+2028, U+2029 and U+0085 escaped. A float is written as orjson
writes it (shortest text that reads back as the same double; it differs from
Python's ``repr`` only in the form of small numbers: ``1e-7``, ``0.000015``).
Where orjson refuses a value (an integer beyond 64 bits, a key that is not a
string, a lone surrogate, nesting beyond 254 levels, anything else odd) the
standard library writes the very same text (:func:`_stdlib_dumps`: json's
compact separators, Decimals and floats marked and put back), so the output
never depends on which of the two wrote it (``tests/unit/test_output.py``).

:func:`outcome_json` writes a check's result from the outcome's own answers
and computed values (``Outcome.json_with``) without copying them; only a value
the copy would have changed (a Decimal or float that is not finite) makes it
take the copying path (``to_jsonable``). A computed object or array (the
Bürgergeld's estimate: a quarter of a result line) that is also part of the
answers is written once and its text put in both places (``orjson.Fragment``);
only the containers on the way to it are copied. Parts that many results
share are written once per process: a required document's entry (the form's
own texts, kept by value) and the list of relevant questions (the same for
every application that takes the same branches), each kept as its text.
:func:`outcome_bytes` hands the UTF-8 bytes to a binary stdout as they are.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import orjson

from ._loading import _MARK, _MARKED, _escape_line_breaks, to_jsonable
from .outcome import Outcome, RequiredDocument

Fragment = orjson.Fragment
_orjson_dumps = orjson.dumps


def _default(value: Any) -> Any:
    """What orjson cannot write itself, as the standard library writes it."""
    if isinstance(value, Decimal):
        if value.is_finite():
            return Fragment(str(value))
        raise TypeError("a number that is not finite is not JSON")
    if isinstance(value, float):  # a float subclass (JsonFloat): as the float it is
        return Fragment(_orjson_dumps(float(value)))
    if isinstance(value, tuple):  # a named tuple: an array, as json writes it
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def _escaped(data: bytes) -> str:
    """UTF-8 JSON text decoded, with U+2028, U+2029 and U+0085 escaped: characters that
    JSON leaves raw inside strings but that many readers take as the end of a line
    (Python's str.splitlines, JavaScript before ES2019), so a result is one line
    whatever the answers contain."""
    return _escape_line_breaks(data.decode()) if _may_break(data) else data.decode()


def _escaped_bytes(data: bytes) -> bytes:
    """:func:`_escaped` as UTF-8 bytes, decoded and encoded again only when needed."""
    return _escape_line_breaks(data.decode()).encode() if _may_break(data) else data


def _may_break(data: bytes) -> bool:
    """Might UTF-8 ``data`` hold U+2028, U+2029 or U+0085? Their UTF-8 forms end in the
    bytes A8, A9 and 85, which German text rarely holds: one memchr each (a search for
    the 3-byte forms costs 13 µs in 20 kB of bytes, a character search in the decoded
    text 1 µs)."""
    return b"\xa8" in data or b"\xa9" in data or b"\x85" in data


def dumps(value: Any) -> str:
    """Compact JSON text (RFC 8259) of ``value`` (see the module's docstring). A float
    that is not finite is written as null (as ``to_jsonable`` makes it); a Decimal that
    is not finite, or a value that is not JSON (bytes, sets, objects), raises TypeError
    or ValueError."""
    try:
        data = _orjson_dumps(value, default=_default)
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return _stdlib_dumps(value)
    return _escaped(data)




def _stdlib_dumps(value: Any) -> str:
    """:func:`dumps` by the standard library, for what orjson refuses: json's C encoder
    with compact separators; each finite Decimal (``str``) and each float (orjson's
    text, a non-finite one null) is marked as a string first and put back after."""
    numbers: list[str] = []

    def mark(text: str) -> str:
        numbers.append(text)
        return f"{_MARK}{len(numbers) - 1}"

    def default(o):
        if isinstance(o, Decimal) and o.is_finite():
            return mark(str(o))
        raise TypeError(f"{type(o).__name__} is not JSON")

    open_containers: set[int] = set()

    def marked(o):
        kind = type(o)
        if kind is str or kind is int or kind is bool or o is None:
            return o
        if isinstance(o, float):
            return mark(_orjson_dumps(float(o)).decode())
        if not isinstance(o, (dict, list, tuple)):
            return o
        if id(o) in open_containers:
            raise ValueError("Circular reference detected")
        open_containers.add(id(o))
        copy = {k: marked(v) for k, v in o.items()} if isinstance(o, dict) else [marked(v) for v in o]
        open_containers.discard(id(o))
        return copy

    text = json.dumps(marked(value), ensure_ascii=False, allow_nan=False, separators=(",", ":"),
                      default=default)
    if numbers:
        text = _MARKED.sub(lambda m: numbers[int(m.group(1))], text)
    return _escape_line_breaks(text)


#: document -> its JSON text
_DOCUMENTS: dict[RequiredDocument, Fragment] = {}
#: relevant questions -> their JSON text
_RELEVANT: dict[tuple[str, ...], Fragment] = {}
#: kept documents at most (then that cache starts again): a form has a few dozen
_KEPT = 512
#: pointers kept in lists of relevant questions at most (then that cache starts again):
#: a batch has a handful of shapes; 100,000 pointers are some 20 shapes of a form of
#: 4,800 questions or 1,000 of one of 100, and hold about 15 MB
_KEPT_POINTERS = 100_000
_kept_pointers = 0


def outcome_json(outcome: Outcome, extra: dict | None = None) -> str:
    """``dumps(outcome.to_json(exact=True) | extra)``, without copying the answers."""
    return outcome_bytes(outcome, extra).decode()


def outcome_bytes(outcome: Outcome, extra: dict | None = None) -> bytes:
    """:func:`outcome_json` as UTF-8 bytes (for a binary stdout: no decoding and encoding
    again of a 20 kB line)."""
    try:
        answers, computed = _written_once(outcome.answers, outcome.computed)
        data = outcome.json_with(answers, computed, _relevant(outcome.relevant),
                                 [_document(d) for d in outcome.documents])
        if extra:
            data.update(extra)
        return _escaped_bytes(_orjson_dumps(data, default=_default))
    except (TypeError, ValueError):  # a number that is not finite, or what orjson refuses: as the copy writes it
        data = outcome.json_with(outcome.answers, outcome.computed)
        if extra:
            data.update(extra)
        return dumps(to_jsonable(data, True)).encode()


def _relevant(relevant: tuple[str, ...]) -> Fragment:
    global _kept_pointers
    raw = _RELEVANT.get(relevant)
    if raw is None:
        raw = Fragment(_orjson_dumps(relevant))
        if len(relevant) > _KEPT_POINTERS:
            return raw
        if _kept_pointers + len(relevant) > _KEPT_POINTERS:
            _RELEVANT.clear()
            _kept_pointers = 0
        _RELEVANT[relevant] = raw
        _kept_pointers += len(relevant)
    return raw


def _document(document: RequiredDocument) -> Fragment:
    """A document's entry, kept by value (a frozen dataclass: its six fields are hashed and
    compared), so the entries of every line of a batch are found, not only those an
    unchanged place handed out again."""
    kept = _DOCUMENTS.get(document)
    if kept is None:
        if len(_DOCUMENTS) >= _KEPT:
            _DOCUMENTS.clear()
        kept = _DOCUMENTS[document] = Fragment(_orjson_dumps(document.to_json(), default=_default))
    return kept


def _written_once(answers: dict, computed: dict) -> tuple[dict, dict]:
    """``answers`` and ``computed`` with each computed object or array that is
    also in the answers (the very same object, at its pointer) replaced by its
    JSON text in both; containers on the way are copied, never changed."""
    copies: dict[int, dict | list] = {}  # id of an original container -> its copy
    shared: dict | None = None
    for pointer, value in computed.items():
        if (type(value) is not dict and type(value) is not list) or not value:
            continue
        path = _located(answers, pointer, value)
        if path is None:
            continue
        raw = Fragment(_orjson_dumps(value, default=_default))
        if shared is None:
            shared = dict(computed)
        shared[pointer] = raw
        original, copy = answers, _copy(answers, copies)
        for key in path[:-1]:
            original = original[key]
            inner = _copy(original, copies)
            copy[key] = inner
            copy = inner
        copy[path[-1]] = raw
    if shared is None:
        return answers, computed
    return copies[id(answers)], shared


def _copy(container, copies: dict):
    copy = copies.get(id(container))
    if copy is None:
        copy = copies[id(container)] = dict(container) if type(container) is dict else list(container)
    return copy


def _located(answers: dict, pointer: str, value) -> list | None:
    """The keys and indexes of ``pointer`` when ``value`` itself sits there in
    the answers (a JSON pointer, RFC 6901), else None."""
    if not pointer.startswith("/"):
        return None
    path: list = []
    node = answers
    for token in pointer[1:].split("/"):
        if type(node) is dict:
            key = token.replace("~1", "/").replace("~0", "~") if "~" in token else token
            if key not in node:
                return None
        elif type(node) is list:
            if not (token.isascii() and token.isdigit()) or (len(token) > 1 and token[0] == "0"):
                return None
            key = int(token)
            if key >= len(node):
                return None
        else:
            return None
        path.append(key)
        node = node[key]
    return path if node is value and path else None
