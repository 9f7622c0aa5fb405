"""The compiled form and its check: relevance → pruning → validation → issues.

A form is compiled once (schema graph, relevance plan, compiled validators)
and then checked many times; :func:`compile_form` caches compiled forms by the
hash of their content.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Iterable

from plausibility.errors import ExpressionError
from plausibility.rules import Computation, DocumentRequirement, Evaluator, Rule, compile_checked

from . import _findings, _messages
from ._fields import Field, describe, humanize
from ._graph import Choice, Node, SchemaGraph, escape_token
from ._loading import FormSource, RootNotObject, exact_numbers, load_form_source
from ._relevance import Relevance, Walk, _reachable, settle
from ._walk_copy import deep_copy
from .errors import AnswersError, FormError
from .outcome import Issue, Outcome

LEADING_SECTION = ""
#: Base URI of a form given as a dict (relative references resolve against it).
INLINE_BASE_URI = "https://formwerk.invalid/forms/inline/form.json"


@dataclass(frozen=True)
class Section:
    """A page of the form: a root property that is an object, or the leading
    section of the root's non-object properties (``name == ""``)."""

    name: str
    properties: tuple[str, ...]
    titles: dict[str, str]

    def title(self, lang: str) -> str:
        return self.titles.get(lang) or next(iter(self.titles.values()), self.name)

    def contains(self, pointer: str) -> bool:
        return root_property(pointer) in self.properties


def unescape_token(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def root_property(pointer: str) -> str:
    """The root property a pointer lies under ("" for the root itself)."""
    return unescape_token(pointer.split("/")[1]) if pointer.count("/") >= 1 and pointer else ""


def split_pointer(pointer: str) -> list[str]:
    return [unescape_token(t) for t in pointer.split("/")[1:]] if pointer else []


def value_at(answers: Any, pointer: str) -> Any:
    """The answer at a JSON pointer, or None when there is none."""
    value = answers
    for token in split_pointer(pointer):
        if isinstance(value, dict):
            value = value.get(token)
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            return None
    return value


_copy = deep_copy


KINDS = ("application", "estimate", "request")


class CompiledForm:
    """An immutable compiled form. Use :func:`compile_form` to get one."""

    def __init__(self, source: FormSource, content_hash: str):
        schema = source.schema
        if not isinstance(schema, dict):
            raise RootNotObject(f"the form's root must be a JSON object (a schema with properties), "
                                f"found {type(schema).__name__}")
        problem = root_problem(schema)
        if problem:
            raise RootNotObject(problem)
        self.source = source
        self.schema = schema
        self.content_hash = content_hash
        self.default_lang = schema.get("x-lang") if isinstance(schema.get("x-lang"), str) else "de"
        languages = schema.get("x-languages")
        self.languages: tuple[str, ...] = tuple(languages) if isinstance(languages, list) else (self.default_lang,)
        self.version = str(schema.get("x-version", content_hash[:12]))
        #: what the form is (x-kind): an application (the default), an estimate or a request
        self.kind = schema.get("x-kind") if schema.get("x-kind") in KINDS else "application"
        _check_metaschema(schema)
        # the form's numbers as the exact decimals they were written as (DESIGN, "Numbers")
        exact = exact_numbers(schema)
        resources = {uri: exact_numbers(doc) for uri, doc in source.resources.items()}
        self.graph = SchemaGraph(exact, source.root_uri, resources)
        extras, computations = _compile_extras(self.graph)
        self.has_computations = bool(computations)
        self.relevance = Relevance(self.graph.root, extras, computations)
        self.validator = self.graph.root_validator()
        self._fields: dict[tuple, Field] = {}
        self._condition_inputs: frozenset[str] | None = None
        self._hint_inputs: frozenset[str] | None = None
        self.sections = self._sections()

    # -- description ----------------------------------------------------------

    def title(self, lang: str | None = None) -> str:
        return self.field((self.graph.root,), "", lang).label

    def description(self, lang: str | None = None) -> str | None:
        return self.field((self.graph.root,), "", lang).hint

    def field(self, start: tuple[Node, ...], name: str, lang: str | None = None) -> Field:
        lang = lang or self.default_lang
        key = (tuple(id(n) for n in start), name, lang)
        found = self._fields.get(key)
        if found is None:
            found = self._fields[key] = describe(start, name, lang, self.default_lang)
        return found

    def field_at(self, walk: Walk, pointer: str, lang: str | None = None) -> Field:
        """The field at a location visited by ``walk`` (falls back to the name)."""
        tokens = split_pointer(pointer)
        name = tokens[-1] if tokens else ""
        start = walk.nodes_at(pointer)
        if start is None:
            return Field(name=name, label=humanize(name), hint=None, type=None, kind="leaf")
        if name.isdigit() and len(tokens) >= 2 and isinstance(value_at(walk.answers, pointer.rsplit("/", 1)[0]), list):
            # an array element is labelled after its list: "Kinder, Eintrag 2"
            item = self.field(start, name, lang)
            if item.label == humanize(name):
                parent = self.field_at(walk, pointer.rsplit("/", 1)[0], lang)
                word = "Eintrag" if (lang or self.default_lang) == "de" else "entry"
                return Field(**{**item.__dict__, "label": f"{parent.label}, {word} {int(name) + 1}"})
            return item
        return self.field(start, name, lang)

    def condition_inputs(self) -> frozenset[str]:
        """Names of the properties that some condition reads (``if``,
        ``dependentSchemas`` keys, discriminators), and those that the
        ``x-compute`` expressions of computed values read that conditions read
        (a birth date decides the age that decides KI or WEP): a client
        refreshes the page when one of them changes."""
        if self._condition_inputs is None:
            names: set[str] = set()
            for node in self.graph.nodes():
                for conditional in node.conditionals:
                    names.update(conditional.reads)
                names.update(key for key, _ in node.dependents)
                for choice in node.choices:
                    names.update(d[0] for m in choice.members for d in m.discriminators)
            # a computed value a condition reads changes with the answers its expression reads
            computations = list(self.relevance._computations.values())
            while True:
                added = {path[1] if path[0] == "self" else path[-1]
                         for c in computations if c.name.rsplit("/", 1)[-1] in names
                         for path in c.expression.mentions if len(path) > 1} - names
                if not added:
                    break
                names.update(added)
            self._condition_inputs = frozenset(names)
        return self._condition_inputs

    def hint_inputs(self) -> frozenset[str]:
        """Names of the properties a warning or info rule reads or is shown
        at: a client refreshes the page when one changes, so a hint never
        speaks of an earlier value (3.800 € after 3.900 was typed)."""
        if self._hint_inputs is None:
            names: set[str] = set()
            for extras in self.relevance.extras.values():
                for rule in extras.rules:
                    if rule.severity in ("warning", "info"):
                        names.update(path[-1] for path in rule.expression.mentions if len(path) > 1)
                        names.update(pointer.rsplit("/", 1)[-1] for pointer in rule.fields if pointer)
            self._hint_inputs = frozenset(names)
        return self._hint_inputs

    def label_for(self, pointer: str, lang: str | None = None) -> str:
        """A label for any location the form declares in some branch (also for
        answers that were pruned), e.g. "Kinder › Eintrag 1 › Vorname"."""
        parts: list[str] = []
        start: tuple[Node, ...] = (self.graph.root,)
        for token in split_pointer(pointer):
            nodes = _reachable(start)
            if token.isdigit() and any(n.items is not None for n in nodes):
                start = tuple(n.items for n in nodes if n.items is not None)
                parts.append(f"{'Eintrag' if (lang or self.default_lang) == 'de' else 'entry'} {int(token) + 1}")
                continue
            children = tuple(n.properties[token] for n in nodes if token in n.properties)
            if not children:
                parts.append(token)
                break
            start = children
            parts.append(self.field(children, token, lang).label)
        return " › ".join(parts)

    def _sections(self) -> tuple[Section, ...]:
        declared: dict[str, list[Node]] = {}
        for n in reachable((self.graph.root,)):
            for name, child in n.properties.items():
                declared.setdefault(name, []).append(child)
        leading, sections = [], []
        for name, nodes in declared.items():
            if self.relevance.computation(tuple(nodes)) is not None:
                continue  # computed values are not questions, nor pages
            if self.relevance.facts(tuple(nodes)).may_be_object:
                titles = {lang: self.field(tuple(nodes), name, lang).label for lang in self.languages}
                sections.append(Section(name, (name,), titles))
            else:
                leading.append(name)
        order = self.schema.get("x-order")
        if isinstance(order, list):
            rank = {name: i for i, name in enumerate(order)}
            sections.sort(key=lambda s: rank.get(s.name, len(rank)))  # stable: unlisted keep their order
        if leading:
            titles = {"de": "Allgemeine Angaben", "en": "General information"}
            sections.insert(0, Section(LEADING_SECTION, tuple(leading), titles))
        return tuple(sections)

    def section(self, name: str) -> Section:
        for s in self.sections:
            if s.name == name:
                return s
        raise KeyError(name)

    # -- checking ---------------------------------------------------------

    def walk(self, answers: dict, as_of: date | None = None) -> tuple[dict, Walk]:
        """Computed values, relevance and pruning: ``(settled answers, walk)``.

        The answers passed in are never modified. When nothing needs pruning
        or computing (the usual case for a form without computed values), the
        returned answers are the very object passed in. When values are
        computed and nothing is pruned, a copy of the objects and lists that
        hold computed values (and of those on the way to them) that shares
        the rest with the answers passed in (engine._walk_copy); when
        something is pruned, a copy of the whole."""
        if not isinstance(answers, dict):
            raise AnswersError("answers must be a JSON object")
        today = as_of or date.today()
        try:
            if not self.has_computations:
                walk = self.relevance.walk(answers, prune=False)
                if not walk.pruned:
                    return answers, walk
            elif type(answers) is dict:
                work = dict(answers)
                walk = self.relevance.walk(work, prune=False, evaluator=Evaluator(work, today), copy_on_write=True)
                if not walk.pruned:
                    return work, walk
            work = _copy(answers)
            evaluator_for = (lambda current: Evaluator(current, today)) if self.has_computations else None
            walk = settle(self.relevance, work, evaluator_for)
        except RecursionError:
            raise AnswersError("answers are nested too deeply") from None
        return work, walk

    def check(self, answers: dict, *, lang: str | None = None, section: str | None = None,
              as_of: date | None = None, confirmations: Iterable[str] = (), channel: str = "api") -> Outcome:
        """Check answers.

        ``section`` limits the reported issues to one page; ``as_of`` is the
        reference date of date rules and computations (default today);
        ``confirmations`` are the tokens of warnings the applicant confirmed;
        ``channel`` is who asks: "api" (and the CLI) take dates as YYYY-MM-DD,
        "web" (the form's day/month/year fields) as DD.MM.YYYY, and messages
        ask for that format."""
        return self.check_walk(answers, lang=lang, section=section, as_of=as_of, confirmations=confirmations,
                               channel=channel)[0]

    def check_walk(self, answers: dict, *, lang: str | None = None, section: str | None = None,
                   as_of: date | None = None, confirmations: Iterable[str] = (),
                   channel: str = "api") -> tuple[Outcome, Walk]:
        """:meth:`check`, and the walk it made: what ``walk(answers, as_of)``
        would return again (a page lays out its questions from it), without
        walking the answers (and computing their values) a second time."""
        if not isinstance(answers, dict):
            raise AnswersError(f"answers must be a JSON object, got {type(answers).__name__}")
        try:
            return self._check(answers, lang, section, as_of, confirmations, channel)
        except RecursionError:
            raise AnswersError("answers are nested too deeply") from None

    def _check(self, answers: dict, lang: str | None, section: str | None, as_of: date | None,
               confirmations: Iterable[str], channel: str) -> tuple[Outcome, Walk]:
        lang = lang if lang in _messages.LANGUAGES else self.default_lang
        today = as_of or date.today()
        work, walk = self.walk(answers, today)
        errors, invalid = self._validate(work, walk, lang, channel, self.section(section) if section is not None else None)
        rule_errors, warnings, documents, failures = _findings.evaluate(
            walk, work, today, lang, self.default_lang, frozenset(confirmations))
        if not invalid:  # (anywhere, not only in the section asked for)
            failures = [*walk.compute_failures, *failures]
            errors = _findings.failure_issues(failures, lang)
        errors = [*errors, *rule_errors]
        if section is not None:
            part = self.section(section)
            errors = [e for e in errors if part.contains(e.path)]
            # a cross-field hint belongs to every page one of its fields is on
            warnings = [w for w in warnings if any(part.contains(p) for p in (w.fields or (w.path,)))]
        return Outcome(
            valid=not errors,
            relevant=tuple(walk.relevant),
            pruned=tuple(walk.pruned),
            answers=work,
            errors=tuple(errors),
            warnings=tuple(warnings),
            computed=walk.computed,
            documents=tuple(documents),
        ), walk

    def _validate(self, answers: dict, walk: Walk, lang: str, channel: str = "api",
                  part: Section | None = None) -> tuple[list[Issue], bool]:
        """The validation errors, attributed and worded, and whether there
        are any; with ``part`` only those of that section are worded and
        returned (the others would be dropped)."""
        found = _Found(channel, part)
        for pointer in walk.unknown:
            self._add(found, walk, lang, pointer, "unknown", {})
        try:
            raw_errors = list(self.validator.iter_errors(answers))
        except (ValueError, OverflowError, TypeError) as exc:
            raise AnswersError(f"answers cannot be validated: {exc}") from None
        for error in raw_errors:
            self._attribute(error, walk, lang, found)
        issues = [issue for issue in found.values() if issue is not None]
        if len(issues) < 2:
            return issues, bool(found)
        order = {p: i for i, p in enumerate(walk.relevant)}

        def position(issue: Issue) -> tuple:
            p = issue.path
            while p and p not in order:
                p = p.rsplit("/", 1)[0]
            return (order.get(p, len(order)), issue.path)

        return sorted(issues, key=position), bool(found)

    def _attribute(self, error, walk: Walk, lang: str, found: dict, prefix: tuple = ()) -> None:
        """Report one validation error at its most specific location.
        ``prefix`` places errors of a subschema check inside the answers."""
        path = "".join("/" + escape_token(str(t)) for t in (*prefix, *error.instance_path))
        kind = error.kind
        name = kind.name
        params = kind.as_dict()
        keyword = str(error.schema_path[-1]) if error.schema_path else name
        if name == "required":
            code = "dependentRequired" if keyword == "dependentRequired" else "required"
            pointer = f"{path}/{escape_token(params['property'])}"
            if not self._missing_object(pointer, walk, lang, found):
                self._add(found, walk, lang, pointer, code, params)
        elif name in ("anyOf", "oneOf"):
            self._attribute_choice(error, name, path, params, walk, lang, found, prefix)
        elif name in ("additionalProperties", "unevaluatedProperties"):
            for key in params.get("unexpected") or ():
                pointer = f"{path}/{escape_token(str(key))}"
                if not (name == "unevaluatedProperties" and self._admitted_errors(pointer, walk, lang, found)):
                    self._add(found, walk, lang, pointer, "unknown", {})
        elif name in _messages.CODES:
            self._add(found, walk, lang, path, name, params)
        else:
            self._add(found, walk, lang, path, "invalid", params)

    def _attribute_choice(self, error, name: str, path: str, params: dict, walk: Walk, lang: str, found: dict,
                          prefix: tuple) -> None:
        """A failing oneOf/anyOf (DESIGN rule 8): titled const options read like
        an enum; several fitting oneOf members get one message naming them; else
        the errors of the member(s) rule 2 selected, or of the closest member,
        or the discriminating question."""
        contexts = params.get("context") or []
        picked = self._choice(walk, path, name, error.schema_path)
        choice = picked[0] if picked else None
        options = _const_options(choice)
        if options is not None:
            self._add(found, walk, lang, path, "enum", {"options": options})
            return
        fitting = [i for i, c in enumerate(contexts) if not c]
        if name == "oneOf" and len(fitting) > 1:
            titles = [_member_title(choice.members[i], lang, self.default_lang) if choice and i < len(choice.members)
                      else None for i in fitting]
            self._add(found, walk, lang, path, "oneOf", {"options": titles} if all(titles) else {})
            return
        if choice is None:
            self._add(found, walk, lang, path, "invalid", {})
            return
        selected = picked[1]
        before = len(found)
        for i in selected:
            for sub in contexts[i] if i < len(contexts) else ():
                self._attribute(sub, walk, lang, found, prefix)
        if len(found) > before:
            return
        if any(not m.discriminators for m in choice.members) and contexts:
            closest = min(range(len(contexts)), key=lambda i: (len(contexts[i]), i))
            for sub in contexts[closest]:
                self._attribute(sub, walk, lang, found, prefix)
            if len(found) > before:
                return
        if any(m.discriminators for m in choice.members):
            self._discriminator_issue(choice, path, walk, lang, found)
        else:
            self._add(found, walk, lang, path, "invalid", {})

    def _admitted_errors(self, pointer: str, walk: Walk, lang: str, found: dict) -> bool:
        """A key that unevaluatedProperties admits (rule 4) but whose value it
        rejects: report the value's own errors (jsonschema-rs only names the key)."""
        plan = walk.plan_at(pointer) if pointer in walk.relevant or any(
            r.startswith(pointer + "/") for r in walk.relevant) else None
        if plan is None:
            return False
        value = value_at(walk.answers, pointer)
        prefix = tuple(split_pointer(pointer))
        before = len(found)
        for node in plan.start:
            for sub in self.graph.validator(node).iter_errors(value):
                self._attribute(sub, walk, lang, found, prefix)
        return len(found) > before

    def _missing_object(self, pointer: str, walk: Walk, lang: str, found: dict) -> bool:
        """A missing required group is reported at the questions it requires
        (the most specific locations), as if it had been answered with {}."""
        part = getattr(found, "part", None)
        if part is not None and not part.contains(pointer):
            found[("outside", pointer, len(found))] = None  # reported as found (not worded: outside the section)
            return True
        plan = walk.plan_at(pointer)
        if plan is None or not plan.may_be_object:
            return False
        start = plan.start
        prefix = tuple(split_pointer(pointer))
        before = len(found)
        for node in start:
            for sub in self.graph.validator(node).iter_errors({}):
                self._attribute(sub, walk, lang, found, prefix)
        return len(found) > before

    @staticmethod
    def _choice(walk: Walk, path: str, keyword: str, schema_path) -> tuple[Choice, list[int]] | None:
        picks = [(c, sel) for c, sel in walk.choices.get(path, ()) if c.keyword == keyword]
        if len(picks) > 1:
            evaluated = "/" + "/".join(escape_token(str(s)) for s in schema_path)
            exact = [(c, sel) for c, sel in picks if evaluated.endswith(c.schema_path)]
            picks = exact or picks
        return picks[0] if picks else None

    def _discriminator_issue(self, choice: Choice, path: str, walk: Walk, lang: str, found: dict) -> None:
        """No member is selected: the fix is at the discriminating question."""
        value = value_at(walk.answers, path)
        names = [d[0] for m in choice.members for d in m.discriminators]
        if not names:
            self._add(found, walk, lang, path, "invalid", {})
            return
        name = names[0]
        pointer = f"{path}/{escape_token(name)}"
        if not isinstance(value, dict) or name not in value:
            self._add(found, walk, lang, pointer, "required", {"property": name})
        else:
            options = []
            for m in choice.members:
                for d_name, _, values in m.discriminators:
                    if d_name == name:
                        options.extend(v for v in values if v not in options)
            self._add(found, walk, lang, pointer, "enum", {"options": options})

    def _add(self, found: dict, walk: Walk, lang: str, pointer: str, code: str, params: dict) -> None:
        if (pointer, code) in found:
            return
        part = getattr(found, "part", None)
        if part is not None and not part.contains(pointer):
            found[(pointer, code)] = None  # counted as found, but not worded: outside the section asked for
            return
        field = self.field_at(walk, pointer, lang)
        described = field.as_message_field()
        if not described["label"]:  # the root of an untitled form
            described["label"] = "Ihre Angaben" if lang == "de" else "your answers"
        message = _messages.render(code, params, described, lang, field.messages.get(code),
                                   getattr(found, "channel", "api"))
        found[(pointer, code)] = Issue(pointer, code, message, "error", None, params)


class _Found(dict):
    """(pointer, code) -> Issue, and the channel the messages are written for."""

    def __init__(self, channel: str = "api", part: "Section | None" = None):
        super().__init__()
        self.channel = channel
        #: the section asked for (``check(section=…)``), or None for all
        self.part = part


def _const_options(choice: Choice | None) -> list | None:
    """The values of a oneOf/anyOf whose every member is a titled ``const``
    (the JSON Schema idiom for options with labels), else None."""
    if choice is None or not choice.members:
        return None
    values = []
    for member in choice.members:
        raw = member.node.raw
        if not isinstance(raw, dict) or "const" not in raw:
            return None
        values.append(raw["const"])
    return values


def _member_title(member, lang: str, default_lang: str) -> str | None:
    from ._fields import _text

    raw = member.node.raw
    if not isinstance(raw, dict):
        return None
    title = _text(raw, "title", lang, default_lang) or raw.get("title")
    return title if isinstance(title, str) and title else None


def reachable(start: Iterable[Node]) -> list[Node]:
    """Every node that can apply with ``start`` in some branch."""
    return _reachable(tuple(start))


def _compile_extras(graph: SchemaGraph) -> tuple[dict, dict]:
    """Compile every node's rules, document requirements and computation."""
    extras: dict[int, _findings.NodeExtras] = {}
    computations: dict[int, Computation] = {}
    for node in graph.nodes():
        raw = node.raw if isinstance(node.raw, dict) else {}
        where = node.pointer or "/"
        try:
            rules = tuple(Rule.from_json(r, where) for r in raw.get("x-rules") or ())
            documents = tuple(DocumentRequirement.from_json(d, where) for d in raw.get("x-documents") or ())
            if rules or documents:
                extras[id(node)] = _findings.NodeExtras(rules, documents)
            if "x-compute" in raw:
                if raw.get("readOnly") is not True:
                    raise FormError(f"{where}: a property with x-compute must be readOnly: true")
                computations[id(node)] = Computation(where, compile_checked(raw["x-compute"], f"{where} x-compute"))
        except ExpressionError as exc:
            raise FormError(str(exc)) from None
    return extras, computations


def root_problem(schema: dict) -> str | None:
    """Why a schema cannot be a form's root (DESIGN: "a JSON Schema document
    whose root is an object"), or None."""
    types = schema.get("type")
    types = [types] if isinstance(types, str) else types if isinstance(types, list) else None
    if types is not None and "object" not in types:
        return (f"the form's root must describe an object (the application's answers), but its type is "
                f"{' or '.join(map(str, types)) or 'nothing'}")
    return None


def _check_metaschema(schema: dict) -> None:
    """The JSON Schema 2020-12 meta-schema, then formwerk's for the x- keywords.
    ``format: regex`` is checked as ECMA-262, as the standard says."""
    import jsonschema

    from ._extensions import extension_problems
    from ._loading import exact_numbers

    try:  # the form's numbers as the decimals it wrote (multipleOf 1e-400 is not 0.0)
        jsonschema.Draft202012Validator.check_schema(exact_numbers(schema), format_checker=_SCHEMA_FORMATS)
    except jsonschema.SchemaError as exc:
        where = "/" + "/".join(escape_token(str(t)) for t in exc.absolute_path)
        raise FormError(f"the form is not a valid JSON Schema 2020-12 at {where}: {_one_line(exc.message)}") from None
    for pointer, _, message in extension_problems(schema):
        raise FormError(f"the form has a malformed extension at {pointer}: {message}")


def _schema_formats():
    import jsonschema

    from . import _regex

    checker = jsonschema.FormatChecker()
    checker.checks("regex")(_regex.is_pattern)
    return checker


_SCHEMA_FORMATS = _schema_formats()


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


# -- compiling and caching ----------------------------------------------------------

_CACHE: dict[str, CompiledForm] = {}
_CACHE_LOCK = threading.Lock()
_CACHE_SIZE = 64


def content_hash(source: FormSource) -> str:
    blob = json.dumps([source.schema, source.files], sort_keys=True, default=str, ensure_ascii=False)
    # numbers a double cannot hold (17 significant digits): their exact text counts too
    inexact = _inexact_numbers([source.schema, source.files])
    if inexact:
        blob += json.dumps(inexact)
    return hashlib.sha256(blob.encode("utf-8", "surrogatepass")).hexdigest()


def _inexact_numbers(doc) -> list[str]:
    from decimal import Decimal

    from ._loading import JsonFloat

    found, stack = [], [doc]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, JsonFloat) and Decimal(item.text) != Decimal(repr(float(item))):
            found.append(item.text)
    return found


def compile_form(source: FormSource | dict | str | Path) -> CompiledForm:
    """Compile a form (a :class:`FormSource`, a schema dict or a path); cached by content hash."""
    if isinstance(source, (str, Path)):
        source = load_form_source(source)
    elif isinstance(source, dict):
        source = FormSource(schema=source, base_uri=INLINE_BASE_URI)
    elif not isinstance(source, FormSource):
        raise RootNotObject(f"a form must be a JSON object (a schema with properties), a FormSource or a path, "
                            f"got {type(source).__name__}")
    try:
        digest = content_hash(source)
    except (TypeError, ValueError) as exc:
        raise FormError(f"the form is not JSON: {_one_line(exc)}") from None
    with _CACHE_LOCK:
        cached = _CACHE.get(digest)
    if cached is not None:
        return cached
    try:
        compiled = CompiledForm(source, digest)
    except RecursionError:
        raise FormError("the form is nested too deeply to compile") from None
    with _CACHE_LOCK:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[digest] = compiled
    return compiled
