"""The compiled schema graph: one :class:`Node` per subschema of a form.

A node keeps exactly what relevance needs (DESIGN.md, "Relevance"): the
properties it declares, its ``items``, the subschemas that always apply with it
(``$ref`` target, ``allOf`` members), its conditionals (``if``/``then``/``else``),
``dependentSchemas`` and discriminated ``oneOf``/``anyOf`` members. Conditions
are turned into small predicates once, at compile time; the common
``{"properties": {"p": {"const": v}}, "required": ["p"]}`` shape is answered
in Python without calling the validator at all.

``$ref`` is resolved with :mod:`referencing`; compiled validators for
subschemas come from :mod:`jsonschema_rs`, addressed by their document URI and
JSON pointer, so that references inside a subschema still resolve against its
own document.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable
from urllib.parse import quote

import jsonschema_rs
import referencing
import referencing.exceptions
import jsonschema_specifications as _specifications
from referencing.jsonschema import DRAFT202012

from . import _regex
from ._validation_schema import MappedValidator, may_share, ref_targets, rewrite
from .errors import FormError

#: Marks an absent answer (``None`` is JSON ``null``, a real answer).
MISSING = type("Missing", (), {"__repr__": lambda self: "MISSING", "__bool__": lambda self: False})()

Predicate = Callable[[Any], bool]

# Keywords whose subschemas are walked when indexing a document.
_SCHEMA_MAP_KEYWORDS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_SCHEMA_LIST_KEYWORDS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_KEYWORDS = (
    "items", "additionalProperties", "if", "then", "else", "not", "contains",
    "propertyNames", "unevaluatedItems", "unevaluatedProperties",
)


def escape_token(token: str) -> str:
    """Escape one JSON Pointer reference token (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


def json_equal(a: Any, b: Any) -> bool:
    """Equality in the JSON data model: booleans are not numbers, 1 == 1.0."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a is b
    if isinstance(a, (int, float, Decimal)) and isinstance(b, (int, float, Decimal)):
        return Decimal(str(a)) == Decimal(str(b)) if type(a) is not type(b) else a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def _types(schema: dict) -> set[str]:
    t = schema.get("type")
    if isinstance(t, str):
        return {t}
    if isinstance(t, list):
        return {x for x in t if isinstance(x, str)}
    return set()


@dataclass(frozen=True, eq=False)
class Conditional:
    test: Predicate
    then: "Node | None"
    otherwise: "Node | None"
    reads: tuple[str, ...]  # property names the `if` reads (for lint and the plan)


@dataclass(frozen=True, eq=False)
class Member:
    index: int
    node: "Node"
    #: (property name, test, allowed values) for each const/enum property
    discriminators: tuple[tuple[str, Predicate, tuple], ...]
    #: is the answer valid against the whole member? (for a non-discriminated member)
    valid: Predicate = lambda value: False

    def matches(self, value: Any) -> bool:
        """Rule 2 for a discriminated member: every const/enum property is
        answered and valid. A non-discriminated member: the answer is valid."""
        if not self.discriminators:
            return self.valid(value)
        if not isinstance(value, dict):
            return False
        for name, test, _ in self.discriminators:
            if name not in value or not test(value[name]):
                return False
        return True

    @property
    def title(self) -> Any:
        raw = self.node.raw
        return raw.get("title") if isinstance(raw, dict) else None


@dataclass(frozen=True, eq=False)
class Choice:
    keyword: str  # "oneOf" | "anyOf"
    members: tuple[Member, ...]
    schema_path: str

    def select(self, value: Any) -> tuple[list[int], list[int]]:
        """Rule 2: ``(satisfied, applied)`` member indexes for an answer.

        A discriminated member applies when its discriminators hold; a
        non-discriminated one when the answer is valid against it. When no
        member is satisfied (or, for oneOf, several are), every
        non-discriminated member applies as well."""
        satisfied = [m.index for m in self.members if m.matches(value)]
        if satisfied and (self.keyword == "anyOf" or len(satisfied) == 1):
            return satisfied, satisfied
        loose = [m.index for m in self.members if not m.discriminators]
        if not loose:
            return satisfied, satisfied
        return satisfied, sorted({*satisfied, *loose})


class Node:
    """One compiled subschema (a JSON object or a boolean schema)."""

    __slots__ = (
        "raw", "uri", "pointer", "properties", "items", "prefix_items", "static",
        "conditionals", "dependents", "choices", "describes_object",
        "describes_array", "allows_extra", "pattern_properties", "additional", "unevaluated",
    )

    def __init__(self, raw: Any, uri: str, pointer: str):
        self.raw = raw
        self.uri = uri
        self.pointer = pointer
        self.properties: dict[str, Node] = {}
        self.items: Node | None = None
        self.prefix_items: tuple[Node, ...] = ()
        self.static: tuple[Node, ...] = ()
        self.conditionals: tuple[Conditional, ...] = ()
        self.dependents: tuple[tuple[str, Node], ...] = ()
        self.choices: tuple[Choice, ...] = ()
        #: rule 4: (pattern, subschema) of patternProperties; additionalProperties; unevaluatedProperties
        self.pattern_properties: tuple[tuple[str, Node], ...] = ()
        self.additional: Node | None = None
        self.unevaluated: Node | None = None
        raw_dict = raw if isinstance(raw, dict) else {}
        types = _types(raw_dict)
        self.describes_object = "properties" in raw_dict or "object" in types
        self.describes_array = "items" in raw_dict or "prefixItems" in raw_dict or "array" in types
        self.allows_extra = False  # set by SchemaGraph once the admitting subschemas are built

    def admits(self, key: str) -> list["Node"] | None:
        """Rule 4: the subschemas of this node's patternProperties,
        additionalProperties or unevaluatedProperties that take an answered
        key this node does not list in ``properties`` (None: none does)."""
        found = [sub for pattern, sub in self.pattern_properties if _regex.search(pattern, key)]
        if not found and self.additional is not None and key not in self.properties:
            found.append(self.additional)
        if not found and self.unevaluated is not None and key not in self.properties:
            found.append(self.unevaluated)
        return found or None

    @property
    def location(self) -> str:
        return f"{self.uri}#{self.pointer}"

    def __repr__(self) -> str:
        return f"<Node {self.location}>"


class SchemaGraph:
    """Indexes a form's documents, resolves references and builds nodes."""

    def __init__(self, root: dict, root_uri: str, resources: dict[str, Any]):
        self.root_uri = root_uri
        documents = {root_uri: root, **_usable_resources(resources)}
        self._where: dict[int, tuple[str, str]] = {}
        for uri, doc in documents.items():
            self._index(doc, uri, "")
        for uri in _SPECIFICATIONS:
            self._index(_SPECIFICATIONS[uri].contents, uri, "")
        try:
            # the bundled meta-schemas first: a form may $ref the 2020-12 meta-schema itself
            registry = _SPECIFICATIONS.with_resources(
                (uri, DRAFT202012.create_resource(doc)) for uri, doc in documents.items()
            ).crawl()
        except Exception as exc:  # referencing raises its own types on malformed ids
            raise FormError(f"the form's resources cannot be registered: {_one_line(exc)}") from None
        self._registry = registry
        self._documents = documents
        self._nodes: dict[int, Node] = {}
        self._bool_nodes: dict[bool, Node] = {}
        self._validators: dict[str, Any] = {}
        self.root = self.node(root, registry.resolver(base_uri=root_uri))
        # after the nodes, so that an unresolvable $ref is reported as such
        try:
            self._rs_registry = jsonschema_rs.Registry(list(documents.items()))
        except (ValueError, jsonschema_rs.ReferencingError) as exc:
            raise FormError(f"the form's references cannot be resolved: {_one_line(exc)}") from None

    # -- indexing -----------------------------------------------------------

    def _index(self, schema: Any, uri: str, pointer: str) -> None:
        if isinstance(schema, dict):
            if id(schema) in self._where:
                return
            self._where[id(schema)] = (uri, pointer)
            for key, value in schema.items():
                child = f"{pointer}/{escape_token(key)}"
                if isinstance(value, (dict, list)):
                    self._index(value, uri, child)
        elif isinstance(schema, list):
            for i, value in enumerate(schema):
                if isinstance(value, (dict, list)):
                    self._index(value, uri, f"{pointer}/{i}")

    # -- validators ---------------------------------------------------------

    def validator(self, node: Node):
        """A compiled jsonschema-rs validator for one subschema (cached)."""
        key = node.location
        validator = self._validators.get(key)
        if validator is None:
            if isinstance(node.raw, bool):
                wrapper: Any = node.raw
            else:
                wrapper = {"$ref": f"{node.uri}#{quote(node.pointer, safe='/~')}"}
            validator = jsonschema_rs.Draft202012Validator(
                wrapper, validate_formats=True, registry=self._rs_registry,
                keywords=_regex.RS_KEYWORDS, formats=_regex.RS_FORMATS,
            )
            self._validators[key] = validator
        return validator

    def root_validator(self) -> MappedValidator:
        """The validator of the whole form: jsonschema-rs on the root document
        without annotations and with its repeated subschemas compiled once
        (:mod:`._validation_schema`); its errors carry the original schema paths."""
        schema, shared = rewrite(self.root.raw, ref_targets(self._documents), may_share(self._documents),
                                 custom=_regex.RS_KEYWORDS)
        try:
            registry = jsonschema_rs.Registry([
                (uri, schema if uri == self.root_uri else doc) for uri, doc in self._documents.items()])
            validator = jsonschema_rs.Draft202012Validator(
                schema, validate_formats=True, registry=registry, base_uri=self.root_uri,
                keywords=_regex.RS_KEYWORDS, formats=_regex.RS_FORMATS,
            )
        except (ValueError, jsonschema_rs.ReferencingError) as exc:
            raise FormError(f"the form cannot be compiled: {_one_line(exc)}") from None
        return MappedValidator(validator, shared, self._locate)

    def _locate(self, evaluation_path: list) -> list:
        """The schema path (keyword location in its own document) of an error
        whose evaluation path is given: the path walked through the original
        documents, following the form's own ``$ref``s and stepping over those
        the validation schema added."""
        raw: Any = self.root.raw
        tokens: list = []
        resolver = None  # built when a $ref or $id is met (most paths have neither)
        position = "schema"  # what `raw` is: a schema, a map or list of schemas, or another value
        for i, token in enumerate(evaluation_path):
            if position == "schema" and isinstance(raw, dict):
                if token == "$ref":
                    ref = raw.get("$ref")
                    if not isinstance(ref, str):
                        continue  # a $ref of the validation schema: the same place
                    try:
                        resolved = (resolver or self._registry.resolver(base_uri=self.root_uri)).lookup(ref)
                    except referencing.exceptions.Unresolvable:
                        return [*tokens, *evaluation_path[i:]]
                    raw, resolver = resolved.contents, resolved.resolver
                    where = self._where.get(id(raw))
                    if where is None:
                        return [*tokens, *evaluation_path[i + 1:]]
                    tokens = self._pointer_tokens(*where)
                    continue
                if token in raw:
                    raw = raw[token]
                    tokens.append(token)
                    position = ("map" if token in _SCHEMA_MAP_KEYWORDS else "list" if token in _SCHEMA_LIST_KEYWORDS
                                else "schema" if token in _SCHEMA_KEYWORDS or token == "contentSchema" else "value")
                    continue
            elif (position == "map" and isinstance(raw, dict) and token in raw) or \
                    (position == "list" and isinstance(raw, list) and isinstance(token, int) and 0 <= token < len(raw)):
                raw, position = raw[token], "schema"
                tokens.append(token)
                if isinstance(raw, dict) and isinstance(raw.get("$id"), str):
                    resolver = (resolver or self._registry.resolver(base_uri=self.root_uri)).in_subresource(
                        DRAFT202012.create_resource(raw))
                continue
            return [*tokens, *evaluation_path[i:]]
        return tokens

    def _pointer_tokens(self, uri: str, pointer: str) -> list:
        """A JSON pointer as schema-path tokens: array positions as integers."""
        doc = self._documents.get(uri)
        if doc is None and uri in _SPECIFICATIONS:
            doc = _SPECIFICATIONS[uri].contents
        tokens: list = []
        for token in pointer.split("/")[1:] if pointer else ():
            token = token.replace("~1", "/").replace("~0", "~")
            if isinstance(doc, list) and token.isdigit():
                doc = doc[int(token)] if int(token) < len(doc) else None
                tokens.append(int(token))
            else:
                doc = doc.get(token) if isinstance(doc, dict) else None
                tokens.append(token)
        return tokens

    # -- building nodes -----------------------------------------------------

    def nodes(self) -> list[Node]:
        """Every node built so far (all reachable subschemas)."""
        return list(self._nodes.values())

    def node_for(self, raw: Any) -> Node:
        """The node of a subschema of the root document (built on demand)."""
        return self.node(raw, self._registry.resolver(base_uri=self.root_uri))

    def node(self, raw: Any, resolver, entered: bool = False) -> Node:
        """The node of a subschema; ``entered``: ``resolver`` is already the
        subschema's own (a ``$ref`` target), so its ``$id`` is not applied twice."""
        if isinstance(raw, bool):
            node = self._bool_nodes.get(raw)
            if node is None:
                node = self._bool_nodes[raw] = Node(raw, self.root_uri, f"/<{str(raw).lower()}>")
            return node
        if not isinstance(raw, dict):
            raise FormError(f"expected a schema (object or boolean), found {type(raw).__name__}: {raw!r:.60}")
        node = self._nodes.get(id(raw))
        if node is not None:
            return node
        uri, pointer = self._where.get(id(raw), (self.root_uri, "?"))
        node = self._nodes[id(raw)] = Node(raw, uri, pointer)
        if isinstance(raw.get("$id"), str) and pointer != "" and not entered:
            resolver = resolver.in_subresource(DRAFT202012.create_resource(raw))
        self._fill(node, raw, resolver)
        return node

    def _fill(self, node: Node, raw: dict, resolver) -> None:
        props = raw.get("properties")
        if isinstance(props, dict):
            node.properties = {name: self.node(sub, resolver) for name, sub in props.items()}
        if "items" in raw:
            node.items = self.node(raw["items"], resolver)
        if isinstance(raw.get("prefixItems"), list):
            node.prefix_items = tuple(self.node(s, resolver) for s in raw["prefixItems"])
        patterns = raw.get("patternProperties")
        if isinstance(patterns, dict):
            for pattern in patterns:
                try:
                    _regex.compile_pattern(pattern)
                except _regex.PatternError as exc:
                    raise FormError(f"{node.location}: patternProperties {exc}") from None
            node.pattern_properties = tuple((p, self.node(sub, resolver)) for p, sub in patterns.items())
        if "additionalProperties" in raw:
            node.additional = self.node(raw["additionalProperties"], resolver)
        if "unevaluatedProperties" in raw:
            node.unevaluated = self.node(raw["unevaluatedProperties"], resolver)
        node.allows_extra = any(sub.raw is not False for sub in (
            *(s for _, s in node.pattern_properties), node.additional, node.unevaluated) if sub is not None)
        static = []
        ref = raw.get("$ref")
        if isinstance(ref, str):
            static.append(self._resolve(ref, resolver, node))
        dynamic = raw.get("$dynamicRef")
        if isinstance(dynamic, str):
            static.append(self._resolve(dynamic, resolver, node))
        for sub in raw.get("allOf") or ():
            static.append(self.node(sub, resolver))
        node.static = tuple(static)
        if "if" in raw:
            if_node = self.node(raw["if"], resolver)
            node.conditionals = (
                Conditional(
                    test=self._predicate(if_node),
                    then=self.node(raw["then"], resolver) if "then" in raw else None,
                    otherwise=self.node(raw["else"], resolver) if "else" in raw else None,
                    reads=tuple(_reads(raw["if"])),
                ),
            )
        deps = raw.get("dependentSchemas")
        if isinstance(deps, dict):
            node.dependents = tuple((k, self.node(s, resolver)) for k, s in deps.items())
        choices = []
        for keyword in ("oneOf", "anyOf"):
            members = raw.get(keyword)
            if isinstance(members, list):
                built = []
                for i, sub in enumerate(members):
                    member_node = self.node(sub, resolver)
                    built.append(Member(i, member_node, self._discriminators(member_node, resolver),
                                        self._predicate(member_node)))
                choices.append(Choice(keyword, tuple(built), f"{node.pointer}/{keyword}"))
        node.choices = tuple(choices)

    def _resolve(self, ref: str, resolver, node: Node) -> Node:
        try:
            resolved = resolver.lookup(ref)
        except referencing.exceptions.Unresolvable as exc:
            raise FormError(f"unresolvable $ref {ref!r} at {node.location}: {_unresolvable(exc)}") from None
        return self.node(resolved.contents, resolved.resolver, entered=True)

    def _discriminators(self, member: Node, resolver) -> tuple[tuple[str, Predicate, tuple], ...]:
        """The member's properties whose subschema has ``const`` or ``enum``
        (DESIGN rule 2: the subschema itself, as written in the member)."""
        found = []
        for name, prop in _own_properties(member).items():
            raw = prop.raw if isinstance(prop.raw, dict) else {}
            if "const" in raw or "enum" in raw:
                values = (raw["const"],) if "const" in raw else tuple(raw["enum"] or ())
                found.append((name, self._predicate(prop), values))
        return tuple(found)

    def _predicate(self, node: Node) -> Predicate:
        """A fast test 'is this value valid against the subschema?'."""
        raw = node.raw
        if isinstance(raw, bool):
            return (lambda value: True) if raw else (lambda value: False)
        validator = _LazyValidator(self, node)
        keys = set(raw) - {"$comment", "title", "description"}
        if keys <= {"properties", "required", "type"} and _types(raw) <= {"object"}:
            names = tuple(dict.fromkeys([*(raw.get("properties") or {}), *(raw.get("required") or [])]))

            def projected(value: Any) -> bool:
                if value is MISSING:
                    return False
                if isinstance(value, dict):
                    value = {k: value[k] for k in names if k in value}
                return validator.is_valid(value)

            slow = projected
        else:
            def full(value: Any) -> bool:
                return value is not MISSING and validator.is_valid(value)

            slow = full
        fast = _fast_predicate(raw, slow)
        return slow if fast is None else fast


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def _unresolvable(exc: BaseException) -> str:
    """Why a $ref does not resolve, without the library's repr of the whole document."""
    if isinstance(exc, referencing.exceptions.PointerToNowhere):
        return f"{exc.ref!r} does not exist in that document"
    if isinstance(exc, referencing.exceptions.NoSuchAnchor):
        return f"the anchor {exc.anchor!r} does not exist in that document"
    if type(exc) is referencing.exceptions.Unresolvable or isinstance(
            exc, (referencing.exceptions.NoSuchResource, referencing.exceptions.Unretrievable)):
        return ("no such document in the form (formwerk fetches nothing from the network; it reads the JSON files "
                "of the form's folder that are JSON Schema 2020-12 documents)")
    return _one_line(exc)


#: The meta-schemas of every JSON Schema draft (a form may $ref the 2020-12 one).
_SPECIFICATIONS = _specifications.REGISTRY


def _usable_resources(resources: dict[str, Any]) -> dict[str, Any]:
    """The files beside a form that can be schemas: an object or boolean whose
    ``$schema`` (if any) is a JSON Schema meta-schema. An unrelated JSON file
    (another tool's settings, a schema of an unknown dialect) is left out, so
    it cannot break the form; a ``$ref`` to it is reported as unresolvable."""
    usable = {}
    for uri, doc in resources.items():
        if isinstance(doc, bool):
            usable[uri] = doc
            continue
        if not isinstance(doc, dict):
            continue
        dialect = doc.get("$schema")
        if dialect is not None and (not isinstance(dialect, str) or dialect.rstrip("#") not in _KNOWN_DIALECTS):
            continue
        try:
            jsonschema_rs.Registry([(uri, doc)])
        except (ValueError, jsonschema_rs.ReferencingError):
            continue
        usable[uri] = doc
    return usable


_KNOWN_DIALECTS = frozenset(uri.rstrip("#") for uri in _specifications.REGISTRY if uri.rstrip("#").endswith("schema"))


class _LazyValidator:
    """Compiles a subschema's validator on first use (after the graph is built)."""

    __slots__ = ("_graph", "_node", "_validator")

    def __init__(self, graph: SchemaGraph, node: Node):
        self._graph, self._node, self._validator = graph, node, None

    def is_valid(self, value: Any) -> bool:
        if self._validator is None:
            self._validator = self._graph.validator(self._node)
        return self._validator.is_valid(value)


def _own_properties(node: Node) -> dict[str, Node]:
    props = dict(node.properties)
    for sub in node.static:
        for name, prop in sub.properties.items():
            props.setdefault(name, prop)
    return props


def _reads(schema: Any) -> list[str]:
    if not isinstance(schema, dict):
        return []
    names = list(schema.get("properties") or {})
    names += [n for n in schema.get("required") or [] if isinstance(n, str) and n not in names]
    return names


_SCALARS = (str, int, float, Decimal, bool, type(None))


def _value_test(schema: Any) -> Predicate | None:
    """A pure-Python test for a subschema made of ``const``/``enum`` of scalars only.

    The common constants (a string, a boolean, null; an enum of strings) get a
    test specialised to them that gives exactly what ``json_equal`` gives
    (a bool is equal only to itself; a str only to an equal str); numbers keep
    the general test (1 == 1.0, Decimals)."""
    if not isinstance(schema, dict):
        return None
    keys = set(schema) - {"title", "description", "$comment"}
    if keys == {"const"} and isinstance(schema["const"], _SCALARS):
        return _equals(schema["const"])
    if keys == {"enum"} and isinstance(schema["enum"], list) and all(isinstance(x, _SCALARS) for x in schema["enum"]):
        options = schema["enum"]
        if options and all(type(o) is str for o in options):
            strings = frozenset(options)
            return lambda v: type(v) is str and v in strings
        return lambda v: any(json_equal(v, o) for o in options)
    return None


def _equals(c: Any) -> Predicate:
    """``lambda v: json_equal(v, c)`` for one scalar constant, specialised."""
    if c is True or c is False or c is None:
        return lambda v: v is c  # json_equal: a bool (or null) equals only itself
    if type(c) is str:
        return lambda v: type(v) is str and v == c
    return lambda v: json_equal(v, c)


class _Undecided(Exception):
    """A fast test cannot answer exactly (a float against a number bound): the validator decides."""


_UNDECIDED = _Undecided()

#: number bounds answered in Python: value <op> bound must hold
_BOUNDS = {"minimum": operator.ge, "maximum": operator.le,
           "exclusiveMinimum": operator.gt, "exclusiveMaximum": operator.lt}


#: the ints a double holds, all of them
_EXACT = 2 ** 53


def _double_exact(number: Decimal) -> bool:
    """Does a double hold this Decimal exactly (and within ±2**53)?"""
    try:
        as_double = float(number)
    except OverflowError:  # pragma: no cover - float() of a finite Decimal gives inf, not an error
        return False
    return -_EXACT <= as_double <= _EXACT and Decimal(as_double) == number


def _bound_test(schema: Any) -> Predicate | None:
    """A test for a subschema of number bounds only (``{"maximum": 14}``, the
    usual condition on a computed age). It answers only where every reading
    agrees: an int (not a bool) within ±2**53, or a finite Decimal that a
    double holds exactly, against bounds a double holds exactly, is compared
    exactly — jsonschema-rs, which validates the same answers, reads a Decimal
    as a double, so ``9007199254740993.0`` against that bound must not be
    decided here (it is where jsonschema-rs rounds). A value of another JSON
    kind is not a number, so the bounds do not apply (valid); anything else (a
    float, a larger number, a Decimal no double holds) raises
    :class:`_Undecided`, and the validator decides. Bounds must be ints or
    finite Decimals that a double holds exactly, else None."""
    if not isinstance(schema, dict):
        return None
    keys = set(schema) - {"title", "description", "$comment"}
    if not keys or not keys <= _BOUNDS.keys():
        return None
    checks = []
    for key in keys:
        bound = schema[key]
        if not ((type(bound) is int and -_EXACT <= bound <= _EXACT)
                or (type(bound) is Decimal and bound.is_finite() and _double_exact(bound))):
            return None
        checks.append((_BOUNDS[key], bound))
    checks = tuple(checks)

    def bounded(value: Any) -> bool:
        kind = type(value)
        if (kind is int and -_EXACT <= value <= _EXACT) or (kind is Decimal and value.is_finite()
                                                           and _double_exact(value)):
            for op, bound in checks:
                if not op(value, bound):
                    return False
            return True
        if kind is str or kind is bool or value is None or kind is dict or kind is list:
            return True
        raise _UNDECIDED
    return bounded


def _fast_predicate(raw: dict, fallback: Predicate | None = None) -> Predicate | None:
    """``{"properties": {p: {const|enum}}, "required": [...]}`` without a validator call.

    With ``fallback`` (the validator's test of the same subschema) a property
    may also be tested by number bounds (:func:`_bound_test`) or by such an
    object test of its own (``{"haushalt": {"properties": {"partner": {"const":
    true}}, "required": [...]}}``); where a bound cannot be decided exactly
    (a float), ``fallback`` answers for the whole subschema."""
    undecided: list[bool] = []
    test = _object_test(raw, fallback is not None, undecided)
    if test is None or not undecided:
        return test

    def decided(value: Any) -> bool:
        try:
            return test(value)
        except _Undecided:
            return fallback(value)

    return decided


def _property_test(sub: Any, numbers: bool, undecided: list) -> Predicate | None:
    """The test of one property's subschema (never given MISSING)."""
    test = _value_test(sub)
    if test is not None or not numbers:
        return test
    test = _bound_test(sub)
    if test is not None:
        undecided.append(True)
        return test
    if isinstance(sub, dict) and "properties" in sub:
        nested = _object_test(sub, numbers, undecided)
        if nested is not None:
            return nested
    return None


def _object_test(raw: dict, numbers: bool, undecided: list) -> Predicate | None:
    keys = set(raw) - {"title", "description", "$comment"}
    single = _value_test(raw)
    if single is not None:
        return lambda v: v is not MISSING and single(v)
    if not keys <= {"properties", "required", "type"} or _types(raw) - {"object"}:
        return None
    props = raw.get("properties") or {}
    required = raw.get("required") or []
    if not isinstance(props, dict) or not isinstance(required, list):
        return None
    tests = []
    for name, sub in props.items():
        test = _property_test(sub, numbers, undecided)
        if test is None:
            return None
        tests.append((name, test))
    required = tuple(required)
    must_be_object = "type" in raw
    if len(tests) == 1 and required == (tests[0][0],):
        # the usual `if`: one answered property with a const/enum, e.g. {"kinder": {"const": true}}
        (name, test), = tests

        def single(value: Any) -> bool:
            if isinstance(value, dict):
                return name in value and test(value[name])
            return value is not MISSING and not must_be_object

        return single

    def predicate(value: Any) -> bool:
        if value is MISSING:
            return False
        if not isinstance(value, dict):
            return not must_be_object
        for name in required:
            if name not in value:
                return False
        for name, test in tests:
            if name in value and not test(value[name]):
                return False
        return True

    return predicate
