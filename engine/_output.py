"""The CLI's results as JSON text in one pass.

``dump_json(to_jsonable(outcome.to_json(exact=True)))`` copies the answers,
then lets :mod:`json` call back into Python for every Decimal and patches
the text with a regular expression; on a large application that costs more
than the check itself. :func:`outcome_json` writes the same text (byte for
byte: ``json.dumps``'s default separators, ``ensure_ascii=False``, Decimals
written exactly) by walking the outcome once, and writes a value it meets
twice (a computed value is both in ``answers`` and in ``computed``) only
once. Parts without Decimals go through json's C encoder. Anything it does
not know falls back to the general path.
"""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from json.encoder import encode_basestring
from typing import Any

from ._loading import dump_json, to_jsonable
from .outcome import Outcome

_INF = (float("inf"), float("-inf"))


class _Unknown(Exception):
    """A value the fast path does not write (left to ``dump_json``)."""


def _refuse(value: Any) -> Any:
    raise TypeError


#: json.dumps's defaults, but refusing Decimals and non-finite floats (the slow path handles those)
_C_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, default=_refuse)


def _write(value: Any, memo: dict) -> str:
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if kind is dict or kind is list or kind is tuple:
        try:  # a part without Decimals is written by json's C encoder
            return _C_ENCODER.encode(value)
        except (TypeError, ValueError):
            pass
    if kind is dict:
        known = memo.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        parts = []
        for key, item in value.items():
            if type(key) is not str:
                raise _Unknown
            kind = type(item)  # the common leaves inline: one call less each
            if kind is str:
                text = encode_basestring(item)
            elif kind is Decimal and item.is_finite():
                text = str(item)
            else:
                text = _write(item, memo)
            parts.append(encode_basestring(key) + ": " + text)
        text = "{" + ", ".join(parts) + "}"
        memo[id(value)] = (value, text)
        return text
    if kind is list or kind is tuple:
        return "[" + ", ".join([_write(item, memo) for item in value]) + "]" if value else "[]"
    if kind is bool:
        return "true" if value else "false"
    if value is None:
        return "null"
    if kind is int:
        return int.__repr__(value)
    if kind is Decimal:
        if value.is_finite():
            return str(value)
        return _write(to_jsonable(value, True), memo)
    if kind is float:
        return "null" if value != value or value in _INF else float.__repr__(value)
    raise _Unknown


def outcome_json(outcome: Outcome, extra: dict | None = None) -> str:
    """``dump_json(outcome.to_json(exact=True) | extra)``, in one pass.

    ``to_json`` runs on the outcome without its answers and computed values
    (so every other key is exactly what it says), and those two are then
    written as they are: the copy ``to_json`` makes of them only keeps
    Decimals as Decimals."""
    data = replace(outcome, answers={}, computed={}).to_json(exact=True)
    data["answers"], data["computed"] = outcome.answers, outcome.computed
    if extra:
        data.update(extra)
    try:
        return _write(data, {})
    except (_Unknown, RecursionError):
        return dump_json(to_jsonable(data, True))
