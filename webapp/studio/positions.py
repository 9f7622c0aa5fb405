"""Where each JSON pointer of a JSON text starts (line and column), so that
a finding at ``/properties/kinder/if`` links to its place in the editor.

A small scanner over text that :func:`json.loads` has already accepted: it
records the offset of every value (and of the key of each member, which is
where an author looks for a property)."""

from __future__ import annotations

import bisect
import json
import re

_WS = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_SCALAR = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null")


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


class Positions:
    """``offset(pointer)`` and ``line_col(pointer)`` (1-based) for a JSON text."""

    def __init__(self, text: str):
        self.text = text
        self.offsets: dict[str, int] = {}
        self._lines = [0] + [m.end() for m in re.finditer("\n", text)]
        try:
            self._value(_WS.match(text, 0).end(), "", None)
        except (IndexError, AttributeError, ValueError, RecursionError):
            pass  # a text json.loads refused: whatever was found so far

    def _value(self, at: int, pointer: str, key_at: int | None) -> int:
        self.offsets[pointer] = key_at if key_at is not None else at
        char = self.text[at]
        if char == "{":
            at = _WS.match(self.text, at + 1).end()
            if self.text[at] == "}":
                return at + 1
            while True:
                match = _STRING.match(self.text, at)
                key = json.loads(match.group())
                colon = _WS.match(self.text, match.end()).end()
                value_at = _WS.match(self.text, colon + 1).end()
                at = self._value(value_at, f"{pointer}/{_escape(key)}", at)
                at = _WS.match(self.text, at).end()
                if self.text[at] == "}":
                    return at + 1
                at = _WS.match(self.text, at + 1).end()  # the comma
        if char == "[":
            at = _WS.match(self.text, at + 1).end()
            if self.text[at] == "]":
                return at + 1
            index = 0
            while True:
                at = self._value(at, f"{pointer}/{index}", None)
                at = _WS.match(self.text, at).end()
                if self.text[at] == "]":
                    return at + 1
                at = _WS.match(self.text, at + 1).end()
                index += 1
        match = _STRING.match(self.text, at) if char == '"' else _SCALAR.match(self.text, at)
        if match is None:
            raise ValueError(f"unexpected {char!r} at {at}")
        return match.end()

    def offset(self, pointer: str) -> int | None:
        """The offset of the closest pointer the text has (a finding may point
        below a value, e.g. at a keyword lint names but the text lacks)."""
        while True:
            if pointer in self.offsets:
                return self.offsets[pointer]
            if not pointer:
                return None
            pointer = pointer.rpartition("/")[0]

    def line_col(self, pointer: str) -> tuple[int, int]:
        offset = self.offset(pointer)
        return self.at(offset or 0)

    def at(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._lines, offset)
        return line, offset - self._lines[line - 1] + 1
