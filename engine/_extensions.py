"""formwerk's extension keywords (``x-…``), defined in ``formwerk-meta.json``.

Both compiling (a malformed extension is a :class:`FormError`) and lint (which
also warns about unknown ones) check a form's extensions here."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

import jsonschema

from ._graph import escape_token

META = json.loads(Path(__file__).with_name("formwerk-meta.json").read_text(encoding="utf-8"))
KNOWN = frozenset(META["keywords"])
ROOT_ONLY = frozenset({"x-lang", "x-languages", "x-version", "x-order"})

_MAP_KEYWORDS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_LIST_KEYWORDS = ("allOf", "anyOf", "oneOf", "prefixItems")
_ONE_KEYWORDS = ("items", "additionalProperties", "if", "then", "else", "not", "contains",
                 "propertyNames", "unevaluatedItems", "unevaluatedProperties")


def iter_subschemas(schema: Any, pointer: str = "") -> Iterator[tuple[str, dict]]:
    """Every object subschema of a document, with its pointer (schema positions only)."""
    if not isinstance(schema, dict):
        return
    yield pointer, schema
    for key in _MAP_KEYWORDS:
        value = schema.get(key)
        if isinstance(value, dict):
            for name, sub in value.items():
                yield from iter_subschemas(sub, f"{pointer}/{key}/{escape_token(name)}")
    for key in _LIST_KEYWORDS:
        value = schema.get(key)
        if isinstance(value, list):
            for i, sub in enumerate(value):
                yield from iter_subschemas(sub, f"{pointer}/{key}/{i}")
    for key in _ONE_KEYWORDS:
        if key in schema:
            yield from iter_subschemas(schema[key], f"{pointer}/{key}")


@lru_cache(maxsize=None)
def _validator(keyword: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator({"$defs": META["$defs"], **META["keywords"][keyword]})


def extension_problems(schema: dict) -> Iterator[tuple[str, str, str]]:
    """``(pointer, keyword, message)`` for every malformed known extension."""
    for pointer, sub in iter_subschemas(schema):
        for key, value in sub.items():
            if key in KNOWN:
                for error in _validator(key).iter_errors(value):
                    at = "".join(f"/{escape_token(str(t))}" for t in error.absolute_path)
                    yield f"{pointer}/{escape_token(key)}{at}", key, f"{key}: {error.message}"
