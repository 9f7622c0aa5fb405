"""The schema jsonschema-rs validates a form's answers against: the form's
root document without annotations, its repeated subschemas compiled once.

Why: jsonschema-rs compiles every subschema where it is written. A form of
240 sections that all have the same shape (a person, an income entry, a
month) becomes 240 compiled copies; beyond a few hundred sections they no
longer fit the CPU cache and the cost per question doubles. Annotations
(``title``, ``description``, ``x-…`` extensions, …) make otherwise identical
sections distinct and are compiled along. So the root document is rewritten:

- annotation-only keywords are left out (they never change a result);
- a subschema that occurs at least twice, written identically (same keys in
  the same order, same values, numbers of the same type), is moved once into
  the root's ``$defs`` and referenced with ``$ref`` from every place.

Exactness: ``$ref`` in 2020-12 validates in place (annotations included, so
``unevaluated*`` sees the same), and only subschemas that cannot see a
difference are moved: none that holds a ``$ref``, ``$dynamicRef``, ``$id``,
``$anchor`` or ``$dynamicAnchor`` anywhere inside it, none inside a nested
``$id`` resource (a relative ``$ref`` would resolve elsewhere), and nothing on
the way to a location some ``$ref`` points at (it stays where it was), none
with a keyword implemented in Python (``pattern``: see :func:`rewrite`). With a
``$dynamicRef``/``$recursiveRef`` in any of the form's documents, nothing is
moved (:func:`may_share`; annotations are still left out).

An error inside a moved subschema has a ``schema_path`` in ``$defs``;
:class:`MappedValidator` gives it back the path of the place it was moved
from, found by walking the error's ``evaluation_path`` through the original
document (and through the original ``$ref`` targets).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, Callable, Iterable, Iterator
from urllib.parse import unquote

#: Keywords that only annotate: no validator result depends on them.
ANNOTATIONS = frozenset({
    "title", "description", "examples", "default", "$comment", "deprecated", "readOnly", "writeOnly",
})
#: Keywords whose value is a map of subschemas, a list of them, or one.
_MAP = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_LIST = ("allOf", "anyOf", "oneOf", "prefixItems")
_ONE = ("items", "additionalProperties", "if", "then", "else", "not", "contains", "propertyNames",
        "unevaluatedItems", "unevaluatedProperties", "contentSchema")
#: A subschema holding one of these (at any depth) stays where it is written.
_PINNED = frozenset({"$ref", "$dynamicRef", "$recursiveRef", "$id", "$anchor", "$dynamicAnchor",
                     "$recursiveAnchor"})
_DYNAMIC = ("$dynamicRef", "$recursiveRef")
#: Prefix of the ``$defs`` entries this module adds (a number follows).
SHARED_PREFIX = "formwerk-shared-"
#: Smallest subschema worth sharing (characters of its canonical JSON): a
#: ``$ref`` to a one-keyword leaf saves nothing.
MIN_SHARED = 64


def _is_annotation(key: str) -> bool:
    return key in ANNOTATIONS or key.startswith("x-")


def ref_targets(documents: dict[str, Any]) -> set[tuple[str, ...]]:
    """Every JSON-pointer fragment any ``$ref``/``$dynamicRef`` of any document
    names, with all its prefixes (as token tuples). Conservative: the pointer
    is protected in the root document whichever document it is meant for."""
    found: set[tuple[str, ...]] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, sub in value.items():
                if key in ("$ref", "$dynamicRef", "$recursiveRef") and isinstance(sub, str):
                    fragment = sub.partition("#")[2]
                    if fragment.startswith("/"):
                        tokens = tuple(t.replace("~1", "/").replace("~0", "~")
                                       for t in unquote(fragment).split("/")[1:])
                        for i in range(len(tokens) + 1):
                            found.add(tokens[:i])
                elif isinstance(sub, (dict, list)):
                    walk(sub)
        elif isinstance(value, list):
            for sub in value:
                walk(sub)

    for doc in documents.values():
        walk(doc)
    return found


def may_share(documents: dict[str, Any]) -> bool:
    """Subschemas may be moved unless a dynamic reference is anywhere (its
    target depends on the path taken, which the error mapping cannot follow)."""
    return not any(_mentions(doc, _DYNAMIC) for doc in documents.values())


def _mentions(value: Any, keys: Any) -> bool:
    """Does any object inside ``value`` have one of ``keys``?"""
    if isinstance(value, dict):
        return any(k in value for k in keys) or any(_mentions(v, keys) for v in value.values())
    if isinstance(value, list):
        return any(_mentions(v, keys) for v in value)
    return False


def _canonical(value: Any) -> str:
    """JSON text that tells apart what a validator could tell apart: key order
    is kept, and 1, 1.0 (a Decimal) and true stay distinct."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_typed)


def _typed(value: Any) -> Any:
    if isinstance(value, Decimal):
        return {"Decimal": str(value)}
    if isinstance(value, float):
        return {"float": repr(value)}
    raise TypeError(f"not JSON: {type(value).__name__}")


def strip(schema: Any, protected: set[tuple[str, ...]], at: tuple[str, ...] = ()) -> Any:
    """A copy of a schema without annotation keywords (at schema positions
    only: a property named ``title`` stays), keeping any key on the way to a
    protected pointer."""
    if not isinstance(schema, dict):
        return schema
    out = {}
    for keyword, value in schema.items():
        here = (*at, keyword)
        if _is_annotation(keyword) and here not in protected:
            continue
        if keyword in _MAP and isinstance(value, dict):
            out[keyword] = {name: strip(sub, protected, (*here, name)) for name, sub in value.items()}
        elif keyword in _LIST and isinstance(value, list):
            out[keyword] = [strip(sub, protected, (*here, str(i))) for i, sub in enumerate(value)]
        elif keyword in _ONE:
            out[keyword] = strip(value, protected, here)
        else:
            out[keyword] = value
    return out


def rewrite(root: Any, protected: set[tuple[str, ...]], share: bool = True,
            custom: Iterable[str] = ()) -> tuple[Any, set[str]]:
    """The validation schema of a form's root document and the names of the
    ``$defs`` entries it added (empty when nothing is shared). A subschema
    with one of the ``custom`` keywords (the Python keywords handed to
    jsonschema-rs) stays where it is too: jsonschema-rs gives their errors the
    place the keyword is written, not the path it was reached by."""
    pinned = _PINNED | frozenset(custom)
    stripped = strip(root, protected)
    if not share or not isinstance(stripped, dict):
        return stripped, set()
    counts: dict[str, int] = {}
    texts: dict[int, str] = {}

    def count(schema: Any, at: tuple[str, ...], nested_id: bool) -> bool:
        """Count the movable subschemas below; is this one pinned (see the module's docstring)?"""
        if not isinstance(schema, dict):
            return isinstance(schema, list) and _mentions(schema, pinned)
        if at and "$id" in schema:
            nested_id = True
        held = any(k in pinned for k in schema)
        for keyword, value in schema.items():
            if keyword in _MAP and isinstance(value, dict):
                for name, sub in value.items():
                    held = count(sub, (*at, keyword, name), nested_id) or held
            elif keyword in _LIST and isinstance(value, list):
                for i, sub in enumerate(value):
                    held = count(sub, (*at, keyword, str(i)), nested_id) or held
            elif keyword in _ONE:
                held = count(value, (*at, keyword), nested_id) or held
            elif isinstance(value, (dict, list)):
                held = held or _mentions(value, pinned)
        if at and not held and not nested_id and at not in protected:
            text = _canonical(schema)
            if len(text) >= MIN_SHARED:
                texts[id(schema)] = text
                counts[text] = counts.get(text, 0) + 1
        return held

    count(stripped, (), False)
    repeated = {text for text, n in counts.items() if n > 1}
    if not repeated:
        return stripped, set()
    defs = stripped.get("$defs")
    taken = set(defs) if isinstance(defs, dict) else set()
    names: dict[str, str] = {}
    shared: dict[str, Any] = {}

    def name_for(text: str, schema: dict) -> str:
        name = names.get(text)
        if name is None:
            n = len(names)
            while f"{SHARED_PREFIX}{n}" in taken:
                n += 1
            name = names[text] = f"{SHARED_PREFIX}{n}"
            taken.add(name)
            shared[name] = schema
        return name

    def replace(schema: Any) -> Any:
        if not isinstance(schema, dict):
            return schema
        text = texts.get(id(schema))
        if text in repeated:
            return {"$ref": f"#/$defs/{name_for(text, schema)}"}
        out = {}
        for keyword, value in schema.items():
            if keyword in _MAP and isinstance(value, dict):
                out[keyword] = {name: replace(sub) for name, sub in value.items()}
            elif keyword in _LIST and isinstance(value, list):
                out[keyword] = [replace(sub) for sub in value]
            elif keyword in _ONE:
                out[keyword] = replace(value)
            else:
                out[keyword] = value
        return out

    rewritten = replace(stripped)
    rewritten["$defs"] = {**(rewritten.get("$defs") or {}), **shared}
    return rewritten, set(shared)


class MappedValidator:
    """A jsonschema-rs validator of a rewritten schema whose errors carry the
    ``schema_path`` of the original document (see the module's docstring)."""

    __slots__ = ("_validator", "_shared", "_locate", "is_valid", "iter_errors")

    def __init__(self, validator: Any, shared: set[str], locate: Callable[[list], list]):
        self._validator = validator
        self._shared = frozenset(shared)
        self._locate = locate
        self.is_valid = validator.is_valid
        #: ``iter_errors(instance)``: the validator's own when nothing was moved
        self.iter_errors = self._iter_mapped if shared else validator.iter_errors

    def _iter_mapped(self, instance: Any) -> Iterator[Any]:
        return map(self._map, self._validator.iter_errors(instance))

    def _needs(self, error: Any) -> bool:
        path = error.schema_path
        if len(path) >= 2 and path[0] == "$defs" and path[1] in self._shared:
            return True
        if error.kind.name in ("oneOf", "anyOf"):
            return any(self._needs(sub) for ctx in error.kind.as_dict().get("context") or () for sub in ctx)
        return False

    def _map(self, error: Any) -> Any:
        return MappedError(error, self) if self._needs(error) else error


class MappedError:
    """A jsonschema-rs error with its schema path in the original document."""

    __slots__ = ("_error", "schema_path", "kind")

    def __init__(self, error: Any, owner: MappedValidator):
        self._error = error
        path = error.schema_path
        if len(path) >= 2 and path[0] == "$defs" and path[1] in owner._shared:
            path = owner._locate(list(error.evaluation_path))
        self.schema_path = path
        self.kind = MappedKind(error.kind, owner) if error.kind.name in ("oneOf", "anyOf") else error.kind

    def __getattr__(self, name: str) -> Any:
        return getattr(self._error, name)

    def __repr__(self) -> str:
        return f"<MappedError {self._error.message!r} at {list(self.schema_path)}>"


class MappedKind:
    """A oneOf/anyOf error kind whose member errors are mapped too."""

    __slots__ = ("_kind", "_owner", "name")

    def __init__(self, kind: Any, owner: MappedValidator):
        self._kind, self._owner, self.name = kind, owner, kind.name

    def as_dict(self) -> dict:
        params = dict(self._kind.as_dict())
        if "context" in params:
            params["context"] = [[self._owner._map(sub) for sub in ctx] for ctx in params["context"] or ()]
        return params

    def __getattr__(self, name: str) -> Any:
        return getattr(self._kind, name)
