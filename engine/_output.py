"""The CLI's results as JSON text without copying the answers.

``dump_json(outcome.to_json(exact=True))`` first copies the answers and the
computed values (``to_jsonable``), which on a large application costs about
as much as writing them. :func:`outcome_json` writes the same text (byte for
byte) from the outcome's own answers and computed values
(``Outcome.json_with``), and ``dump_json`` writes Decimals exactly. Only a
value the copy would have changed (a Decimal or float that is not finite)
makes it take the copying path.

A computed object or array (the Bürgergeld's estimate: a quarter of a
result line) is also part of the answers, so the result holds it twice: it
is written once and its text put in both places (``simplejson.RawJSON``; the
encoder writes the same text for a value wherever it sits, as no indentation
is used). The answers are not changed for that: only the containers on the
way to it are copied.

Parts that many results share are written once per process: a required
document's entry (the form's own texts; an unchanged place hands out the same
``RequiredDocument``) and the list of relevant questions (the same for every
application that takes the same branches), each kept as its text.
"""

from __future__ import annotations

from decimal import Decimal

from simplejson import RawJSON
from simplejson.encoder import c_make_encoder, encode_basestring

from ._loading import _ENCODER, _escape_line_breaks, _not_json, dump_json, to_jsonable
from .outcome import Outcome, RequiredDocument


class _Writer:
    """``_ENCODER.encode`` with simplejson's C encoder built once: ``JSONEncoder.encode``
    builds one per call (some 2 µs, a twentieth of a small result line, and a result
    line makes two calls). The same settings as ``_ENCODER``, positionally as
    ``JSONEncoder.iterencode`` passes them (simplejson is pinned). Not for threads: its
    circular-reference markers are shared (the CLI writes from one thread); after any
    failure it starts afresh, so no marker is left behind."""

    def __init__(self):
        self._reset()

    def _reset(self) -> None:
        self._memo: dict = {}  # key -> its JSON text, as iterencode keeps per call
        e = _ENCODER
        self._encode = c_make_encoder(
            {}, _not_json, encode_basestring, e.indent, e.key_separator, e.item_separator, e.sort_keys,
            e.skipkeys, e.allow_nan, self._memo, e.use_decimal, e.namedtuple_as_object, e.tuple_as_array,
            None, e.item_sort_key, e.encoding, e.for_json, e.ignore_nan, Decimal, e.iterable_as_array)

    def __call__(self, value) -> str:
        if len(self._memo) > 10_000:  # keys of many different answers: keep the memo small
            self._memo.clear()
        try:
            return "".join(self._encode(value, 0))
        except BaseException:
            self._reset()
            raise


#: writes like ``_ENCODER.encode`` (without the line-break escapes of ``dump_json``)
_write = _Writer() if c_make_encoder is not None else _ENCODER.encode

#: id -> (the document, its JSON text); the document is held, so its id is not reused
_DOCUMENTS: dict[int, tuple[RequiredDocument, RawJSON]] = {}
#: relevant questions -> their JSON text
_RELEVANT: dict[tuple[str, ...], RawJSON] = {}
#: kept documents at most (then that cache starts again): a form has a few dozen
_KEPT = 512
#: pointers kept in lists of relevant questions at most (then that cache starts again):
#: a batch has a handful of shapes; 100,000 pointers are some 20 shapes of a form of
#: 4,800 questions or 1,000 of one of 100, and hold about 15 MB
_KEPT_POINTERS = 100_000
_kept_pointers = 0


def outcome_json(outcome: Outcome, extra: dict | None = None) -> str:
    """``dump_json(outcome.to_json(exact=True) | extra)``."""
    try:
        answers, computed = _written_once(outcome.answers, outcome.computed)
        data = outcome.json_with(answers, computed, _relevant(outcome.relevant),
                                 [_document(d) for d in outcome.documents])
        if extra:
            data.update(extra)
        return _escape_line_breaks(_write(data))
    except (TypeError, ValueError):  # a number that is not finite: as the copy writes it
        data = outcome.json_with(outcome.answers, outcome.computed)
        if extra:
            data.update(extra)
        return dump_json(to_jsonable(data, True))


def _relevant(relevant: tuple[str, ...]) -> RawJSON:
    global _kept_pointers
    raw = _RELEVANT.get(relevant)
    if raw is None:
        raw = RawJSON(_write(relevant))
        if len(relevant) > _KEPT_POINTERS:
            return raw
        if _kept_pointers + len(relevant) > _KEPT_POINTERS:
            _RELEVANT.clear()
            _kept_pointers = 0
        _RELEVANT[relevant] = raw
        _kept_pointers += len(relevant)
    return raw


def _document(document: RequiredDocument) -> RawJSON:
    kept = _DOCUMENTS.get(id(document))
    if kept is None or kept[0] is not document:
        if len(_DOCUMENTS) >= _KEPT:
            _DOCUMENTS.clear()
        kept = _DOCUMENTS[id(document)] = (document, RawJSON(_write(document.to_json())))
    return kept[1]


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
        raw = RawJSON(_write(value))
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
