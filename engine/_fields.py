"""What a question is, read from the subschemas that apply at its location:
type, label, hint, options, constraints and widget hint, in one language.

Texts: ``title``/``description``/``x-options``/``x-messages`` are in the form's
default language (``x-lang`` at the root, German unless set); other languages
come from ``x-i18n.<lang>`` with the same keys (``title``, ``description``,
``options``, ``messages``) and fall back to the default language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ._graph import Node, _types

CONSTRAINTS = (
    "minLength", "maxLength", "pattern", "format", "minimum", "maximum",
    "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems",
    "maxItems", "uniqueItems", "minProperties", "maxProperties",
)


@dataclass(frozen=True)
class Field:
    """A question (or group) as a client presents it."""

    name: str
    label: str
    hint: str | None
    type: str | None
    kind: str  # "object" | "array" | "leaf"
    options: dict[str, str] = field(default_factory=dict)  # option value (as text) -> label
    values: tuple = ()  # the option values themselves, in order
    constraints: dict[str, Any] = field(default_factory=dict)
    widget: str | None = None
    autocomplete: str | None = None
    read_only: bool = False
    messages: dict[str, str] = field(default_factory=dict)

    @property
    def choice(self) -> bool:
        return bool(self.values) or self.type == "boolean"

    def as_message_field(self) -> dict:
        return {"label": self.label, "name": self.name, "kind": self.kind,
                "choice": self.choice, "options": self.options}


def static_closure(start: tuple[Node, ...]) -> list[Node]:
    """The nodes plus everything that always applies with them ($ref, allOf)."""
    from ._relevance import _static_closure

    return _static_closure(start)


def _text(raw: dict, key: str, lang: str, default_lang: str) -> Any:
    if lang != default_lang:
        i18n = raw.get("x-i18n")
        if isinstance(i18n, dict) and isinstance(i18n.get(lang), dict) and key in i18n[lang]:
            return i18n[lang][key]
    own = {"title": "title", "description": "description", "options": "x-options", "messages": "x-messages"}[key]
    return raw.get(own)


def _option_key(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _titled_consts(raw: dict, lang: str, default_lang: str) -> list[tuple[Any, Any]] | None:
    """``oneOf``/``anyOf`` whose every member has ``const``: (value, title) pairs."""
    for keyword in ("oneOf", "anyOf"):
        members = raw.get(keyword)
        if isinstance(members, list) and members and all(isinstance(m, dict) and "const" in m for m in members):
            return [(m["const"], _text(m, "title", lang, default_lang)) for m in members]
    return None


def humanize(name: str) -> str:
    return name.replace("_", " ").replace("-", " ").strip().capitalize() or name


def describe(start: tuple[Node, ...], name: str, lang: str, default_lang: str = "de") -> Field:
    nodes = [n.raw for n in static_closure(start) if isinstance(n.raw, dict)]
    label = hint = type_ = widget = autocomplete = None
    options: dict[str, str] = {}
    messages: dict[str, str] = {}
    values: list = []
    constraints: dict[str, Any] = {}
    kind = "leaf"
    read_only = False
    for raw in nodes:
        if label is None:
            label = _text(raw, "title", lang, default_lang)
        if hint is None:
            hint = _text(raw, "description", lang, default_lang)
        types = _types(raw)
        if type_ is None and types:
            type_ = sorted(types - {"null"})[0] if types - {"null"} else "null"
        if "properties" in raw or "object" in types:
            kind = "object"
        elif kind == "leaf" and ("items" in raw or "array" in types):
            kind = "array"
        if not values:
            if "enum" in raw and isinstance(raw["enum"], list):
                values = list(raw["enum"])
            elif "const" in raw:
                values = [raw["const"]]
            elif isinstance(raw.get("items"), dict) and isinstance(raw["items"].get("enum"), list):
                values = list(raw["items"]["enum"])  # multiple choice: the options of its items
            else:
                titled = _titled_consts(raw, lang, default_lang)
                if titled:  # oneOf/anyOf of {"const": v, "title": t}: options with labels
                    values = [v for v, _ in titled]
                    for value, text in titled:
                        if text:
                            options.setdefault(_option_key(value), text)
        for key, text in (_text(raw, "options", lang, default_lang) or {}).items():
            options.setdefault(str(key), text)
        for key, text in (_text(raw, "messages", lang, default_lang) or {}).items():
            messages.setdefault(key, text)
        for key in CONSTRAINTS:
            if key in raw and key not in constraints:
                constraints[key] = raw[key]
        widget = widget or raw.get("x-widget")
        autocomplete = autocomplete or raw.get("x-autocomplete")
        read_only = read_only or raw.get("readOnly") is True
    if type_ is None and values:
        type_ = "boolean" if all(isinstance(v, bool) for v in values) else None
    return Field(
        name=name,
        label=label if isinstance(label, str) and label else humanize(name),
        hint=hint if isinstance(hint, str) else None,
        type=type_,
        kind=kind,
        options=options,
        values=tuple(values),
        constraints=constraints,
        widget=widget,
        autocomplete=autocomplete,
        read_only=read_only,
        messages=messages,
    )
