"""Explain a form in words: for every section and question *when it is asked*
("wird gefragt, wenn „Leben Kinder bei Ihnen?“ = Ja und „Alter“ < 15"), and
which plausibility rules and required documents depend on it.

The explanation is read from the compiled schema graph, so it follows the
same relevance rules as the engine (DESIGN.md, "Relevance"): ``if``/``then``/
``else``, ``dependentSchemas``, discriminated and non-discriminated
``oneOf``/``anyOf`` members, ``$ref``/``$dynamicRef``/``allOf`` (always apply),
``properties: {x: false}`` (hides ``x``), array ``items``/``prefixItems`` and
recursive schemas (expanded once per path). Conditions accumulate from the
root, so a question's text says everything that must hold for it to be asked.

``explain(form, lang)`` → :class:`Explanation`; ``Explanation.text()`` is what
``formwerk explain FORM`` prints, ``to_json()`` its ``--json`` form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from plausibility.errors import ExpressionError
from plausibility.rules import compile_checked

from ._graph import Node, escape_token
from .errors import FormError
from .form import CompiledForm

#: a pointer token standing for "every entry of the list"
EACH = "*"
#: visits of (node, location, condition) before a form counts as too complex to explain
MAX_VISITS = 200_000

WORDS = {
    "de": {"always": "wird immer gefragt", "when": "wird gefragt, wenn {}",
           "or": " oder ", "and": " und ", "not": "nicht ({})", "yes": "Ja", "no": "Nein", "answered": "{} beantwortet ist",
           "unanswered": "{} nicht beantwortet ist", "in": "{} eine von {} ist", "not_in": "{} keine von {} ist",
           "matches": "{} dem Muster {} entspricht",
           "variant_anyOf": "{} zur {} passen oder noch zu keiner Variante passen",
           "variant_oneOf": "{} zur {} passen oder noch nicht eindeutig zu einer Variante passen",
           "answers_to": "die Angaben zu {}", "variant_name": "Variante {}",
           "unless": "wird gefragt, außer wenn {}", "when_unless": "wird gefragt, wenn {}, außer wenn {}",
           "min_items": "{} mindestens {} Einträge hat", "max_items": "{} höchstens {} Einträge hat",
           "contains": "{} einen Eintrag enthält, für den gilt: {}", "includes": "{} {} enthält", "type": "{} vom Typ {} ist",
           "other": "{} die Bedingung {} erfüllt", "rules": "Regeln", "documents": "Unterlagen",
           "computed": "berechnet aus {}", "section": "Abschnitt", "entry": "Eintrag", "root": "die Angaben",
           "format": "{} das Format {} hat", "length_min": "{} mindestens {} Zeichen hat",
           "length_max": "{} höchstens {} Zeichen hat", "never": "wird nie gefragt"},
    "en": {"always": "always asked", "when": "asked when {}",
           "or": " or ", "and": " and ", "not": "not ({})", "yes": "Yes", "no": "No", "answered": "{} is answered",
           "unanswered": "{} is not answered", "in": "{} is one of {}", "not_in": "{} is none of {}",
           "matches": "{} matches the pattern {}",
           "variant_anyOf": "{} fit {} or do not fit any variant yet",
           "variant_oneOf": "{} fit {} or do not yet fit exactly one variant",
           "answers_to": "the answers to {}", "variant_name": "variant {}",
           "unless": "asked unless {}", "when_unless": "asked when {}, unless {}",
           "min_items": "{} has at least {} entries", "max_items": "{} has at most {} entries",
           "contains": "{} has an entry for which: {}", "includes": "{} includes {}", "type": "{} is of type {}",
           "other": "{} meets the condition {}", "rules": "Rules", "documents": "Documents",
           "computed": "computed from {}", "section": "Section", "entry": "entry", "root": "the answers",
           "format": "{} has the format {}", "length_min": "{} has at least {} characters",
           "length_max": "{} has at most {} characters", "never": "never asked"},
}

_INVERSE = {"=": "≠", "≠": "=", "<": "≥", "≥": "<", ">": "≤", "≤": ">", "in": "not_in", "not_in": "in",
            "answered": "unanswered", "unanswered": "answered"}


# -- conditions ---------------------------------------------------------------------


@dataclass(frozen=True)
class Clause:
    """One comparison on the answer at ``pointer`` (a pointer template; ``*``
    stands for every list entry). Values are frozen (lists and objects of a
    ``const`` become tuples) so that conditions can be compared and hashed."""

    pointer: str
    op: str
    value: Any = None

    def __post_init__(self):
        object.__setattr__(self, "value", _freeze(self.value))


class Frozen(tuple):
    """A JSON object or array inside a condition, hashable; shown as JSON."""

    def __new__(cls, value):
        self = super().__new__(cls, _freeze_items(value))
        self.json = value
        return self


def _freeze_items(value):
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    return tuple(_freeze(v) for v in value)


def _freeze(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return Frozen(value)
    if type(value) is tuple:  # several allowed values
        return tuple(_freeze(v) for v in value)
    return value


@dataclass(frozen=True)
class All:
    parts: tuple


@dataclass(frozen=True)
class Any_:
    parts: tuple


@dataclass(frozen=True)
class Not:
    part: Any


def _and(parts) -> Any:
    flat: list = []
    for part in parts:
        if part is None:
            continue
        flat.extend(part.parts if isinstance(part, All) else (part,))
    unique = tuple(dict.fromkeys(flat))
    return None if not unique else unique[0] if len(unique) == 1 else All(unique)


def _or(parts) -> Any:
    parts = tuple(dict.fromkeys(parts))
    if any(p is None for p in parts):
        return None  # one alternative holds always
    return parts[0] if len(parts) == 1 else Any_(parts)


def negate(condition) -> Any:
    if isinstance(condition, Clause) and condition.op in _INVERSE:
        return Clause(condition.pointer, _INVERSE[condition.op], condition.value)
    if isinstance(condition, Not):
        return condition.part
    if isinstance(condition, Any_) and all(isinstance(p, Clause) and p.op in _INVERSE for p in condition.parts):
        return _and(negate(p) for p in condition.parts)  # "≠ Ja und beantwortet", not "nicht (= Ja oder …)"
    return Not(condition)


def _child(pointer: str, name: str) -> str:
    return f"{pointer}/{escape_token(name)}"


def schema_condition(node: Node | None, pointer: str, depth: int = 0) -> Any:
    """The condition "the answer at ``pointer`` is valid against this
    subschema" (an ``if``, a member), as clauses. None: always true."""
    if node is None or node.raw is True or depth > 20:
        return None
    if node.raw is False:
        return Clause(pointer, "other", False)
    raw = node.raw
    parts: list = []
    if "const" in raw:
        parts.append(Clause(pointer, "=", raw["const"]))
    if isinstance(raw.get("enum"), list):
        parts.append(Clause(pointer, "in", tuple(_freeze(v) for v in raw["enum"])))
    for key, op in (("minimum", "≥"), ("maximum", "≤"), ("exclusiveMinimum", ">"), ("exclusiveMaximum", "<")):
        if key in raw and not isinstance(raw[key], bool):
            parts.append(Clause(pointer, op, raw[key]))
    for key, op in (("minItems", "min_items"), ("maxItems", "max_items"), ("minLength", "length_min"),
                    ("maxLength", "length_max"), ("pattern", "matches"), ("format", "format")):
        if key in raw:
            parts.append(Clause(pointer, op, raw[key]))
    if "type" in raw and not raw.get("properties") and "const" not in raw and "enum" not in raw:
        parts.append(Clause(pointer, "type", raw["type"]))
    own = set(node.properties)
    required = [r for r in raw.get("required") or () if isinstance(r, str)]
    for name, sub in node.properties.items():
        inner = schema_condition(sub, _child(pointer, name), depth + 1)
        if inner is not None:
            # ``properties`` holds for an absent property too: without ``required`` the
            # condition is also true while the question is unanswered (as relevance decides)
            parts.append(inner if name in required else _or((inner, Clause(_child(pointer, name), "unanswered"))))
        elif name in required:
            parts.append(Clause(_child(pointer, name), "answered"))
    for name in required:
        if name not in own:
            parts.append(Clause(_child(pointer, name), "answered"))
    if isinstance(raw.get("contains"), dict):
        parts.append(Clause(pointer, "contains", _from_raw(raw["contains"], f"{pointer}/{EACH}", node, depth)))
    for sub in node.static:
        parts.append(schema_condition(sub, pointer, depth + 1))
    for keyword in ("anyOf", "oneOf"):
        if isinstance(raw.get(keyword), list):
            choice = next((c for c in node.choices if c.keyword == keyword), None)
            if choice is not None:
                parts.append(_or(schema_condition(m.node, pointer, depth + 1) for m in choice.members))
    if "not" in raw:
        parts.append(negate(_from_raw(raw["not"], pointer, node, depth) or Clause(pointer, "other", True)))
    if "dependentRequired" in raw or "if" in raw:
        parts.append(Clause(pointer, "other", {k: raw[k] for k in ("if", "then", "else", "dependentRequired") if k in raw}))
    return _and(parts)


def _from_raw(raw: Any, pointer: str, near: Node, depth: int) -> Any:
    """A condition from a raw subschema the graph keeps no node for
    (``not``, ``contains``): a throwaway node without references."""
    if isinstance(raw, bool):
        return None if raw else Clause(pointer, "other", False)
    if not isinstance(raw, dict):
        return None
    node = Node(raw, near.uri, near.pointer)
    if isinstance(raw.get("properties"), dict):
        node.properties = {k: Node(v, near.uri, near.pointer) for k, v in raw["properties"].items()
                           if isinstance(v, (dict, bool))}
    return schema_condition(node, pointer, depth + 1)


# -- the explanation ----------------------------------------------------------------


@dataclass
class Dependent:
    kind: str  # "rule" | "document" | "computed"
    id: str
    location: str  # pointer template of the object it sits on
    severity: str | None = None
    text: str | None = None


@dataclass
class Item:
    """A section or question: where it is, its label, and when it is asked."""

    pointer: str
    label: str
    kind: str  # "section" | "question" | "group" | "list" | "computed"
    asked: str  # the whole sentence: "wird gefragt, wenn …, außer wenn …" / "wird immer gefragt"
    #: when ``properties: {x: false}`` hides it: that condition alone ("„Ledig?“ = Ja"); already part of ``asked``
    hidden_when: str | None = None
    condition: Any = None
    rules: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"pointer": self.pointer, "label": self.label, "kind": self.kind, "asked": self.asked,
                "hidden_when": self.hidden_when, "conditional": self.condition is not None, "rules": self.rules,
                "documents": self.documents}


@dataclass
class SectionExplanation:
    item: Item
    questions: list[Item] = field(default_factory=list)


@dataclass
class Explanation:
    title: str
    lang: str
    sections: list[SectionExplanation]
    dependents: list[Dependent]

    def items(self) -> list[Item]:
        return [i for s in self.sections for i in (s.item, *s.questions)]

    def item(self, pointer: str) -> Item | None:
        return next((i for i in self.items() if i.pointer == pointer), None)

    def to_json(self) -> dict:
        return {"title": self.title, "lang": self.lang,
                "sections": [{**s.item.to_json(), "questions": [q.to_json() for q in s.questions]}
                             for s in self.sections]}

    def text(self) -> str:
        words = WORDS[self.lang]
        quote = "„{}“" if self.lang == "de" else "“{}”"
        lines = [self.title, ""] if self.title else []
        for section in self.sections:
            lines.append(f"{words['section']} {quote.format(section.item.label)} ({section.item.pointer or '/'}): "
                         f"{section.item.asked}")
            for q in section.questions:
                lines.append(f"  {quote.format(q.label)} ({q.pointer}): {q.asked}")
                if q.rules:
                    lines.append(f"      {words['rules']}: {', '.join(q.rules)}")
                if q.documents:
                    lines.append(f"      {words['documents']}: {', '.join(q.documents)}")
            lines.append("")
        return "\n".join(lines).rstrip() + "\n"


class _Walker:
    """Collects, for every location template, the conditions under which a
    property is declared there (alternatives) and under which it is hidden."""

    def __init__(self, form: CompiledForm):
        self.form = form
        self.declared: dict[str, list] = {}  # pointer -> [condition (None = always)]
        self.hidden: dict[str, list] = {}
        self.nodes: dict[str, list[Node]] = {"": [form.graph.root]}
        self.kinds: dict[str, str] = {}
        self.dependents: list[tuple[Dependent, list[str]]] = []
        self._seen: set = set()
        self._extras_seen: set = set()
        self.visits = 0

    def walk(self, node: Node, pointer: str, condition, path: tuple, static: tuple = ()) -> None:
        key = (id(node), pointer, condition)
        if key in self._seen or id(node) in static:
            return
        self._seen.add(key)
        self.visits += 1
        if self.visits > MAX_VISITS:
            raise FormError("the form has too many conditional branches to explain")
        if node.raw is True or node.raw is False:
            return
        self._extras(node, pointer)
        for name, sub in node.properties.items():
            target = _child(pointer, name)
            if sub.raw is False:
                self.hidden.setdefault(target, []).append(condition)
                continue
            self.declared.setdefault(target, []).append(condition)
            bucket = self.nodes.setdefault(target, [])
            if sub not in bucket:
                bucket.append(sub)
            if id(sub) in path:  # rule 3: a recursive schema is expanded once per path
                continue
            self.walk(sub, target, condition, path + (id(sub),))
        if node.items is not None:
            target = f"{pointer}/{EACH}"
            self.nodes.setdefault(target, []).append(node.items)
            self.kinds[pointer] = "list"
            self.walk(node.items, target, condition, path)
        for index, sub in enumerate(node.prefix_items):
            target = f"{pointer}/{index}"
            self.kinds[pointer] = "list"
            self.nodes.setdefault(target, []).append(sub)
            self.walk(sub, target, condition, path)
        for sub in node.static:
            if id(sub) in path:  # rule 3: the same subschema is already expanded above, on this path
                continue
            self.walk(sub, pointer, condition, path + (id(sub),), static + (id(node),))
        raw = node.raw
        for conditional in node.conditionals:
            test = schema_condition(self._if_node(raw), pointer)
            if conditional.then is not None:
                self.walk(conditional.then, pointer, _and((condition, test)), path)
            if conditional.otherwise is not None:
                self.walk(conditional.otherwise, pointer, _and((condition, negate(test) if test else Clause(pointer, "other", False))), path)
        for name, sub in node.dependents:
            self.walk(sub, pointer, _and((condition, Clause(_child(pointer, name), "answered"))), path)
        for choice in node.choices:
            for member in choice.members:
                if member.discriminators:
                    test = _and(Clause(_child(pointer, name), "=" if len(values) == 1 else "in",
                                       values[0] if len(values) == 1 else values)
                                for name, _, values in member.discriminators)
                else:  # rule 2: valid against it, or no member settled yet
                    titled = isinstance(member.title, str) and bool(member.title.strip())
                    test = Clause(pointer, "variant",
                                  (choice.keyword, member.title if titled else str(member.index + 1), titled))
                self.walk(member.node, pointer, _and((condition, test)), path)

    def _if_node(self, raw: dict) -> Node | None:
        sub = raw.get("if")
        if isinstance(sub, bool):
            return self.form.graph.node_for(sub)
        return self.form.graph._nodes.get(id(sub)) if isinstance(sub, dict) else None

    def _extras(self, node: Node, pointer: str) -> None:
        if (id(node), pointer) in self._extras_seen:
            return
        self._extras_seen.add((id(node), pointer))
        raw = node.raw
        for rule in raw.get("x-rules") or ():
            if not isinstance(rule, dict) or not isinstance(rule.get("rule"), str):
                continue
            reads = self._reads(rule["rule"], pointer, pointer)
            reads += [_join(pointer, f) for f in rule.get("fields") or () if isinstance(f, str)]
            self.dependents.append((Dependent("rule", str(rule.get("id")), pointer, rule.get("severity")), reads))
        for document in raw.get("x-documents") or ():
            if not isinstance(document, dict):
                continue
            reads = self._reads(document["when"], pointer, pointer) if isinstance(document.get("when"), str) else []
            title = document.get("title") if isinstance(document.get("title"), dict) else {}
            self.dependents.append((Dependent("document", str(document.get("id")), pointer, None,
                                              title.get(self.form.default_lang)), reads))
        for name, sub in node.properties.items():
            if isinstance(sub.raw, dict) and isinstance(sub.raw.get("x-compute"), str):
                self.dependents.append((Dependent("computed", _child(pointer, name), pointer),
                                        self._reads(sub.raw["x-compute"], pointer, _child(pointer, name))))

    def _reads(self, source: str, self_pointer: str, where: str) -> list[str]:
        try:
            expression = compile_checked(source, where)
        except ExpressionError:
            return []  # lint reports it
        found = []
        for path in expression.mentions:
            base = self_pointer if path[0] == "self" else ""
            found.append(base + "".join(f"/{escape_token(p)}" for p in path[1:]))
        return found


def _join(base: str, relative: str) -> str:
    return base + (relative if relative.startswith("/") else "/" + relative) if relative else base


def _related(read: str, pointer: str) -> bool:
    """Does an expression reading ``read`` depend on the answer at ``pointer``?
    (list entries match the ``*`` template; reading a whole list reads its entries)"""
    a, b = read.split("/"), pointer.split("/")
    n = min(len(a), len(b))
    return all(x == y or EACH in (x, y) for x, y in zip(a[:n], b[:n]))


class _Words:
    def __init__(self, form: CompiledForm, walker: _Walker, lang: str):
        self.form, self.walker, self.lang = form, walker, lang
        self.words = WORDS.get(lang, WORDS["en"])
        self._labels: dict[str, str] = {}

    def field(self, pointer: str):
        nodes = self.walker.nodes.get(pointer)
        name = pointer.rsplit("/", 1)[-1]
        if not nodes:
            return None
        return self.form.field(tuple(nodes), name.replace("~1", "/").replace("~0", "~"), self.lang)

    def label(self, pointer: str) -> str:
        if pointer in self._labels:
            return self._labels[pointer]
        if pointer == "":
            text = self.words["root"]
        elif pointer.endswith(f"/{EACH}"):
            text = f"{self.label(pointer[:-2])}, {self.words['entry']}"
        else:
            described = self.field(pointer)
            text = described.label if described is not None else pointer.rsplit("/", 1)[-1]
        self._labels[pointer] = text
        return text

    def quoted(self, pointer: str) -> str:
        return f"„{self.label(pointer)}“" if self.lang == "de" else f"“{self.label(pointer)}”"

    def value(self, pointer: str, value: Any) -> str:
        if isinstance(value, bool):
            return self.words["yes"] if value else self.words["no"]
        described = self.field(pointer)
        key = str(value)
        if described is not None and key in described.options:
            return f"„{described.options[key]}“" if self.lang == "de" else f"“{described.options[key]}”"
        if isinstance(value, (int, float, Decimal)):
            text = str(value)
            return text.replace(".", ",") if self.lang == "de" else text
        if value is None:
            return "null"
        if isinstance(value, Frozen):
            return _short(value.json)
        return f"„{value}“" if self.lang == "de" and isinstance(value, str) else \
            f"“{value}”" if isinstance(value, str) else str(value)

    def condition(self, condition, top: bool = True) -> str:
        w = self.words
        if isinstance(condition, All):
            text = w["and"].join(self.condition(p, False) for p in condition.parts)
            return text
        if isinstance(condition, Any_):
            text = w["or"].join(self.condition(p, False) for p in condition.parts)
            return text if top else f"({text})"
        if isinstance(condition, Not):
            return w["not"].format(self.condition(condition.part, True))
        c: Clause = condition
        subject = self.quoted(c.pointer) if c.pointer else w["root"]
        if c.op in ("=", "≠", "<", "≤", ">", "≥"):
            return f"{subject} {c.op} {self.value(c.pointer, c.value)}"
        if c.op in ("in", "not_in"):
            return w[c.op].format(subject, ", ".join(self.value(c.pointer, v) for v in c.value))
        if c.op in ("answered", "unanswered"):
            return w[c.op].format(subject)
        if c.op == "contains":
            inner = c.value
            if isinstance(inner, Clause) and inner.op == "=" and inner.pointer == f"{c.pointer}/{EACH}":
                return w["includes"].format(subject, self.value(inner.pointer, inner.value))
            return w["contains"].format(subject, self.condition(c.value) if c.value is not None else "…")
        if c.op == "variant":
            keyword, name, titled = c.value
            answers = w["answers_to"].format(subject) if c.pointer else w["root"]
            if titled:
                name = f"„{name}“" if self.lang == "de" else f"“{name}”"
            text = w[f"variant_{keyword}"].format(answers, w["variant_name"].format(name))
            return text if top else f"({text})"  # its own "or" must not read as one of the enclosing "and"
        if c.op == "type":
            return w["type"].format(subject, c.value if isinstance(c.value, str) else "/".join(map(str, c.value.json)))
        if c.op in w:
            return w[c.op].format(subject, c.value)
        return w["other"].format(subject, _short(c.value.json if isinstance(c.value, Frozen) else c.value))

    def asked(self, condition) -> str:
        return self.words["always"] if condition is None else self.words["when"].format(self.condition(condition))

    def asked_unless(self, condition, hidden: list | None) -> tuple[str, str | None, Any]:
        """``(sentence, hiding condition, whole condition)`` of an item declared
        under ``condition`` and hidden by ``false`` under the alternatives
        ``hidden`` (rule 4): asked when the first holds and none of the second."""
        if not hidden:
            return self.asked(condition), None, condition
        hide = _or(tuple(hidden))
        if hide is None:  # `false` always applies to it
            return self.words["never"], None, Clause("", "other", False)
        phrase = self.condition(hide)
        whole = _and((condition, negate(hide)))
        if condition is None:
            return self.words["unless"].format(phrase), phrase, whole
        return self.words["when_unless"].format(self.condition(condition), phrase), phrase, whole


def _short(value: Any) -> str:
    import json

    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 80 else text[:77] + "…"


def _conditions(walker: _Walker, pointer: str):
    """Everything that must hold for ``pointer`` to be asked: the
    alternatives of each step from the root (a property is declared under
    its own alternatives; its ancestors' are already part of them)."""
    alternatives = walker.declared.get(pointer)
    if alternatives is None:
        return None
    return _or(tuple(alternatives))


def explain(form: CompiledForm, lang: str | None = None) -> Explanation:
    """Every section and question of ``form`` with when it is asked."""
    lang = lang if lang in WORDS else ("de" if (lang or form.default_lang) == "de" else "en")
    walker = _Walker(form)
    walker.walk(form.graph.root, "", None, (id(form.graph.root),))
    words = _Words(form, walker, lang)
    computed = {d.id for d, _ in walker.dependents if d.kind == "computed"}
    sections: list[SectionExplanation] = []
    pointers = [p for p in walker.declared if p not in computed]
    for section in form.sections:
        if section.name:
            head = f"/{escape_token(section.name)}"
            sentence, hidden_when, condition = words.asked_unless(_conditions(walker, head), walker.hidden.get(head))
            item = Item(head, section.title(lang), "section", sentence, hidden_when, condition)
            members = [p for p in pointers if p.startswith(head + "/")]
        else:
            item = Item("", section.title(lang), "section", words.words["always"])
            members = [p for p in pointers if p.count("/") == 1 and section.contains(p)]
        entry = SectionExplanation(item)
        for pointer in members:
            sentence, hidden_when, condition = words.asked_unless(_conditions(walker, pointer), walker.hidden.get(pointer))
            kind = walker.kinds.get(pointer) or ("group" if _is_group(walker, pointer) else "question")
            question = Item(pointer, words.label(pointer), kind, sentence, hidden_when, condition)
            _attach(question, walker.dependents)
            entry.questions.append(question)
        _attach(item, walker.dependents, own_only=True)
        sections.append(entry)
    return Explanation(form.title(lang), lang, sections, [d for d, _ in walker.dependents])


def _is_group(walker: _Walker, pointer: str) -> bool:
    return any(p.startswith(pointer + "/") for p in walker.declared)


def _attach(item: Item, dependents, own_only: bool = False) -> None:
    for dependent, reads in dependents:
        if dependent.kind == "computed":
            continue
        hit = any(r == item.pointer for r in reads) if own_only else \
            any(_related(r, item.pointer) for r in reads if r)
        if not hit:
            continue
        text = f"{dependent.id} ({dependent.severity})" if dependent.severity else dependent.id
        bucket = item.rules if dependent.kind == "rule" else item.documents
        if text not in bucket:
            bucket.append(text)


__all__ = ["Clause", "Explanation", "Item", "SectionExplanation", "explain", "negate", "schema_condition"]
