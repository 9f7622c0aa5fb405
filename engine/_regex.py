"""ECMA-262 regular expressions, as JSON Schema says patterns are.

``pattern``, ``patternProperties`` and ``format: regex`` are checked with
regress (an ECMA-262 engine), not Python's :mod:`re`: ``^[\\p{L} .'-]+$``
(names with umlauts) and named groups ``(?<plz>[0-9]{5})`` are legal patterns
that Python rejects or reads differently. A pattern is compiled in Unicode
mode (the ``u`` flag, so ``\\p{…}`` works); one that is only legal without it
(legacy identity escapes such as ``\\-`` outside a class) is compiled without.
"""

from __future__ import annotations

from functools import lru_cache

import regress


class PatternError(ValueError):
    """The text is not an ECMA-262 regular expression."""


@lru_cache(maxsize=4096)
def compile_pattern(pattern: str) -> regress.Regex:
    try:
        return regress.Regex(pattern, "u")
    except regress.RegressError:
        pass
    try:
        return regress.Regex(pattern)
    except regress.RegressError as exc:
        raise PatternError(f"{pattern!r} is not an ECMA-262 regular expression: {exc}") from None


def is_pattern(pattern: object) -> bool:
    """``format: regex``: is this text a legal ECMA-262 regular expression?"""
    if not isinstance(pattern, str):
        return True  # formats only apply to strings
    try:
        compile_pattern(pattern)
    except PatternError:
        return False
    return True


def search(pattern: str, text: str) -> bool:
    """Does ``pattern`` match anywhere in ``text`` (JSON Schema's ``pattern``)?"""
    return compile_pattern(pattern).find(text) is not None


class EcmaPattern:
    """The ``pattern`` keyword for jsonschema-rs, evaluated by regress.

    jsonschema-rs reports a failure of a custom keyword with the keyword's
    name, so error attribution treats it like the built-in ``pattern``."""

    __slots__ = ("_regex", "pattern")

    def __init__(self, parent_schema, value, schema_path):
        if not isinstance(value, str):
            raise PatternError(f"pattern must be a string, got {value!r:.40}")
        self.pattern = value
        self._regex = compile_pattern(value)

    def validate(self, instance) -> None:
        if type(instance) is str and self._regex.find(instance) is None:
            raise ValueError(f"{instance!r:.60} does not match {self.pattern!r}")


#: Keyword and format overrides handed to every jsonschema-rs validator.
RS_KEYWORDS = {"pattern": EcmaPattern}
RS_FORMATS = {"regex": is_pattern}
