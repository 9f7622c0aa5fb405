"""``formwerk lint``: is a form definition sound?

Errors make a form unusable (it does not compile, an extension keyword is
malformed, its conditions do not settle); warnings point at what will confuse
applicants or misfire (a condition on an unrequired property, a branch that can
never apply, a missing label or translation). Each check is one function
``check_x(ctx) -> Iterator[Finding]`` so that a new check is one new function.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, Iterator

from ._fields import static_closure
from ._graph import Node, escape_token, json_equal
from ._loading import FormSource, RootNotObject, load_form_source
from .errors import FormError
from .form import CompiledForm, compile_form, reachable, root_problem

from ._extensions import KNOWN as KNOWN_EXTENSIONS
from ._extensions import ROOT_ONLY, extension_problems, iter_subschemas


@dataclass(frozen=True)
class Finding:
    path: str  # JSON pointer into the form definition
    code: str
    message: str
    severity: str = "warning"

    def to_json(self) -> dict:
        return {"path": self.path, "code": self.code, "message": self.message, "severity": self.severity}


class LintContext:
    def __init__(self, source: FormSource):
        self.source = source
        self.schema = source.schema

    @cached_property
    def form(self) -> CompiledForm:
        return compile_form(self.source)

    def pointer_of(self, node: Node) -> str:
        return node.pointer if node.uri == self.form.graph.root_uri else f"{node.uri}#{node.pointer}"

    @cached_property
    def locations(self) -> list[list[Node]]:
        """Every location of the form, statically: the nodes that can apply
        there in any branch (the root, each declared property, array items)."""
        return [nodes for _, nodes in self.location_starts]

    @cached_property
    def location_starts(self) -> list[tuple[tuple[Node, ...], list[Node]]]:
        """``(start, nodes)`` for every location: the subschemas that start
        there and every node that can apply there in any branch."""
        found, seen = [], set()
        stack = [(self.form.graph.root,)]
        while stack:
            start = stack.pop()
            key = tuple(sorted(id(n) for n in start))
            if key in seen:
                continue
            seen.add(key)
            nodes = reachable(start)
            found.append((start, nodes))
            children: dict[str, list[Node]] = {}
            for n in nodes:
                for name, child in n.properties.items():
                    children.setdefault(name, []).append(child)
            stack.extend(tuple(c) for c in children.values())
            items = tuple(n.items for n in nodes if n.items is not None)
            if items:
                stack.append(items)
        return found

    @cached_property
    def subschemas(self) -> list[tuple[str, dict]]:
        return list(iter_subschemas(self.schema))


# -- checks -----------------------------------------------------------------------


def check_extensions(ctx: LintContext) -> Iterator[Finding]:
    """Every x- keyword is one formwerk defines (and root-only ones sit at the root);
    malformed values are reported by :func:`extension_problems`."""
    for pointer, sub in ctx.subschemas:
        for key in sub:
            if not key.startswith("x-"):
                continue
            where = f"{pointer}/{escape_token(key)}"
            if key not in KNOWN_EXTENSIONS:
                yield Finding(where, "unknown-extension", f"unknown extension keyword {key!r} (formwerk defines: {', '.join(sorted(KNOWN_EXTENSIONS))})")
            elif key in ROOT_ONLY and pointer != "":
                yield Finding(where, "root-only", f"{key} only has an effect at the root of the form")


def check_conditions_read_required(ctx: LintContext) -> Iterator[Finding]:
    """An `if` that tests a property with const/enum must also require it:
    otherwise an unanswered property passes the test and the branch misfires."""
    for pointer, sub in ctx.subschemas:
        test = sub.get("if")
        if not isinstance(test, dict):
            continue
        required = set(test.get("required") or [])
        for name, prop in (test.get("properties") or {}).items():
            if isinstance(prop, dict) and ("const" in prop or "enum" in prop) and name not in required:
                yield Finding(f"{pointer}/if", "if-without-required",
                              f"the condition tests {name!r} with const/enum but does not list it in 'required': "
                              f"while {name!r} is unanswered, 'then' applies")


def _declared_values(nodes: list[Node], name: str) -> tuple | None:
    for n in nodes:
        prop = n.properties.get(name)
        if prop is None:
            continue
        for candidate in static_closure((prop,)):
            raw = candidate.raw if isinstance(candidate.raw, dict) else {}
            if "enum" in raw and isinstance(raw["enum"], list):
                return tuple(raw["enum"])
            if "const" in raw:
                return (raw["const"],)
            if raw.get("type") == "boolean":
                return (True, False)
    return None


def _test_values(schema: Any) -> tuple | None:
    if not isinstance(schema, dict):
        return None
    if "const" in schema:
        return (schema["const"],)
    if isinstance(schema.get("enum"), list):
        return tuple(schema["enum"])
    return None


def check_branches_can_apply(ctx: LintContext) -> Iterator[Finding]:
    """Branches whose condition can never hold for the declared answers."""
    for siblings in ctx.locations:
        yield from _branches_at(ctx, siblings)


def _branches_at(ctx: LintContext, siblings: list[Node]) -> Iterator[Finding]:
    for node in siblings:
        raw = node.raw if isinstance(node.raw, dict) else {}
        where = ctx.pointer_of(node)
        test = raw.get("if")
        if test is True or test == {}:
            if "else" in raw:
                yield Finding(f"{where}/else", "branch-never-applies", "'if' always holds, so 'else' never applies")
        elif test is False and "then" in raw:
            yield Finding(f"{where}/then", "branch-never-applies", "'if' never holds, so 'then' never applies")
        elif isinstance(test, dict) and "then" in raw:
            for name, prop in (test.get("properties") or {}).items():
                wanted, declared = _test_values(prop), _declared_values(siblings, name)
                if wanted is not None and declared is not None and not any(json_equal(w, d) for w in wanted for d in declared):
                    yield Finding(f"{where}/then", "branch-never-applies",
                                  f"'then' needs {name!r} to be one of {list(wanted)}, but the form only allows {list(declared)}")
        if isinstance(test, dict) and "then" in raw:
            for name in test.get("required") or ():
                if isinstance(name, str) and not _can_be_answered(siblings, name):
                    yield Finding(f"{where}/then", "branch-never-applies",
                                  f"'then' needs {name!r} to be answered, but the form never asks for {name!r} here")
                    break
        for key, _ in node.dependents:
            if not _can_be_answered(siblings, key):
                yield Finding(f"{where}/dependentSchemas/{escape_token(key)}", "branch-never-applies",
                              f"this schema applies once {key!r} is answered, but the form never asks for {key!r} here")
        for choice in node.choices:
            for member in choice.members:
                if member.node.raw is False or (isinstance(member.node.raw, dict) and member.node.raw.get("not") in ({}, True)):
                    yield Finding(f"{where}/{choice.keyword}/{member.index}", "branch-never-applies",
                                  "this member is false: no answer is ever valid against it")
                    continue
                for name, _, wanted in member.discriminators:
                    declared = _declared_values(siblings, name)
                    if declared is not None and not any(json_equal(w, d) for w in wanted for d in declared):
                        yield Finding(f"{where}/{choice.keyword}/{member.index}", "branch-never-applies",
                                      f"this member needs {name!r} to be one of {list(wanted)}, but the form only allows {list(declared)}")


def _can_be_answered(siblings: list[Node], name: str) -> bool:
    """Can ``name`` be an answer at this location in some branch: declared by
    a subschema other than ``false``, or admitted as an extra key?"""
    if any(name in n.properties and n.properties[name].raw is not False for n in siblings):
        return True
    return any(sub.raw is not False for n in siblings if n.allows_extra for sub in n.admits(name) or ())


def check_questions_can_be_asked(ctx: LintContext) -> Iterator[Finding]:
    """A property declared with a schema but hidden by ``false`` wherever that
    declaration applies (``properties: {x: false}`` in the same schema, its
    ``$ref`` or ``allOf``) can never be asked (DESIGN rule 4)."""
    reported = set()
    for nodes in ctx.locations:
        for node in nodes:
            closure = static_closure((node,))
            hidden = {name for n in closure for name, sub in n.properties.items()
                      if any(m.raw is False for m in static_closure((sub,)))}
            for name in hidden:
                declared = [n for n in closure if name in n.properties
                            and not any(m.raw is False for m in static_closure((n.properties[name],)))]
                for n in declared:
                    key = (id(n), name)
                    if key not in reported:
                        reported.add(key)
                        yield Finding(ctx.pointer_of(n.properties[name]), "never-asked",
                                      f"{name!r} is declared here, but `false` always applies to it as well, so it is "
                                      f"never asked and any answer to it is discarded", "error")


def check_conditions_settle(ctx: LintContext) -> Iterator[Finding]:
    """DESIGN rule 7: a form whose conditions do not settle is a form error.

    Detected statically, location by location (each set of subschemas that can
    start at a location). For every property ``N`` that a condition there reads
    (an ``if``'s ``properties``/``required``, a ``dependentSchemas`` key, a
    ``oneOf``/``anyOf`` member's ``properties``/``required``) and that the form
    declares there in some branch, the properties declared (rule 4: ``false``
    hides) are compared with ``N`` unanswered and with ``N`` answered, for the
    values an ``if`` tests ``N`` with (``const``/``enum``), the values the
    form allows for it (``enum``, ``const``, ``boolean``) and a sample answer;
    the other answers are first none, then a sample application:

    - declared while unanswered but not once answered: the answer deletes its
      own question (``if: {required: [b]}`` with ``else`` declaring ``b``;
      ``if: {properties: {b: false}}`` with ``then`` declaring ``b``): it is
      pruned and asked again, forever (error ``does-not-settle``);
    - declared only once answered, under every tried set of other answers:
      never asked (warning ``never-asked``).

    Computed properties are not questions and are skipped. A condition that
    reads deeper than the location's own properties is not analysed."""
    relevance = ctx.form.relevance
    reported: set = set()
    for start, nodes in ctx.location_starts:
        plan = relevance.plan(start)
        if not plan.conditional or not plan.may_be_object:
            continue
        sample = _sample(start)
        discriminators = {d[0] for n in nodes for choice in n.choices for m in choice.members for d in m.discriminators}
        bases = [{}] + ([sample] if isinstance(sample, dict) and sample else [])
        for name in _condition_reads(nodes):
            children = plan.static_child(name)
            if not children or any(isinstance(c.raw, dict) and "x-compute" in c.raw for c in children):
                continue
            asked_somewhere, found = False, None
            for base in bases:
                without = {k: v for k, v in base.items() if k != name}
                unanswered = name in relevance.shape_at(plan, without).declared
                asked_somewhere = asked_somewhere or unanswered
                for value in _candidate_values(nodes, name, children):
                    answered = {**without, name: value}
                    declared = name in relevance.shape_at(plan, answered).declared
                    if unanswered and not declared:
                        found = ("does-not-settle", without, answered, value)
                        break
                    if not unanswered and declared and found is None:
                        found = ("never-asked", without, answered, value)
                if found and found[0] == "does-not-settle":
                    break
            if found is None or (found[0] == "never-asked" and (asked_somewhere or name in discriminators)):
                continue  # a discriminator only its member declares: check_discriminators_can_be_asked says so
            code, without, answered, value = found
            where = _blame(ctx, nodes, name, without, answered) or ctx.pointer_of(start[0])
            if (where, name, code) in reported:
                continue
            reported.add((where, name, code))
            shown = _json_text(value)
            if code == "does-not-settle":
                yield Finding(where, code, f"answering {name!r} (e.g. with {shown}) makes {name!r} itself no longer "
                              f"apply: the answer is discarded and the question asked again, so the form never "
                              f"settles (DESIGN rule 7)", "error")
            else:
                yield Finding(where, code, f"{name!r} is only declared once it is answered (e.g. with {shown}), "
                              f"so it is never asked")


def _condition_reads(nodes: list[Node]) -> list[str]:
    """The property names the conditions among these nodes read, in order."""
    names: dict[str, None] = {}
    for n in nodes:
        for conditional in n.conditionals:
            names.update(dict.fromkeys(conditional.reads))
        for key, _ in n.dependents:
            names[key] = None
        for choice in n.choices:
            for member in choice.members:
                raw = member.node.raw if isinstance(member.node.raw, dict) else {}
                names.update(dict.fromkeys(k for k in (raw.get("properties") or {}) if isinstance(k, str)))
                names.update(dict.fromkeys(k for k in (raw.get("required") or ()) if isinstance(k, str)))
    return list(names)


def _candidate_values(nodes: list[Node], name: str, children: tuple[Node, ...]) -> list:
    values: list = []
    for n in nodes:
        test = n.raw.get("if") if isinstance(n.raw, dict) else None
        if isinstance(test, dict) and isinstance(test.get("properties"), dict):
            values.extend(_test_values(test["properties"].get(name)) or ())
    values.extend(_declared_values(nodes, name) or ())
    values.append(_sample(children))
    unique: list = []
    for v in values:
        if not any(json_equal(v, u) and type(v) is type(u) for u in unique):
            unique.append(v)
    return unique[:8]


def _blame(ctx: LintContext, nodes: list[Node], name: str, without: dict, answered: dict) -> str | None:
    """The keyword whose decision flips when ``name`` is answered."""
    for n in nodes:
        where = ctx.pointer_of(n)
        for conditional in n.conditionals:
            if name in conditional.reads and conditional.test(without) != conditional.test(answered):
                return f"{where}/if"
        for key, _ in n.dependents:
            if key == name:
                return f"{where}/dependentSchemas/{escape_token(key)}"
        for choice in n.choices:
            if choice.select(without)[1] != choice.select(answered)[1]:
                return choice.schema_path if n.uri == ctx.form.graph.root_uri else f"{n.uri}#{choice.schema_path}"
    return None


def _json_text(value: Any) -> str:
    import json

    from ._loading import dump_json, to_jsonable

    try:
        return dump_json(to_jsonable(value, exact=True))
    except (TypeError, ValueError):
        return json.dumps(str(value))


def check_discriminators_can_be_asked(ctx: LintContext) -> Iterator[Finding]:
    """Every const/enum property of a oneOf/anyOf member must be answered
    before the member applies (DESIGN rule 2); one that only that member
    declares can therefore never be asked."""
    for nodes in ctx.locations:
        for node in nodes:
            for choice in node.choices:
                for member in choice.members:
                    own = {id(n) for n in reachable((member.node,))}
                    for name, _, _ in member.discriminators:
                        if not any(name in n.properties for n in nodes if id(n) not in own):
                            yield Finding(f"{ctx.pointer_of(node)}/{choice.keyword}/{member.index}", "never-asked",
                                          f"{name!r} has const/enum in this member, so it must be answered for the member to "
                                          f"apply, but only this member declares it: it is never asked. Declare it outside "
                                          f"the {choice.keyword}, or use if/then", "error")


def check_labels_and_translations(ctx: LintContext) -> Iterator[Finding]:
    """Every question has a label; every text exists in every language the form offers."""
    form = ctx.form
    others = [lang for lang in form.languages if lang != form.default_lang]
    for nodes in ctx.locations:
        declared: dict[str, list[Node]] = {}
        for n in nodes:
            for name, child in n.properties.items():
                declared.setdefault(name, []).append(child)
        for name, children in declared.items():
            closure = [n.raw for n in reachable(tuple(children)) if isinstance(n.raw, dict)]
            if any(isinstance(r.get("title"), str) and r["title"] for r in closure):
                continue
            if all(_is_restriction(c.raw) for c in children if isinstance(c.raw, dict)):
                continue
            yield Finding(f"{ctx.pointer_of(children[0])}", "missing-label",
                          f"property {name!r} has no title: applicants would see its technical name")
    for pointer, sub in ctx.subschemas:
        if _in_test_position(pointer):
            continue
        for lang in others:
            i18n = (sub.get("x-i18n") or {}).get(lang) or {}
            for key, own in (("title", "title"), ("description", "description")):
                if isinstance(sub.get(own), str) and key not in i18n:
                    yield Finding(pointer or "/", "missing-translation", f"no {lang!r} translation of {key} {sub[own]!r}")
            for key, own in (("options", "x-options"), ("messages", "x-messages")):
                missing = set(sub.get(own) or {}) - set(i18n.get(key) or {})
                if missing:
                    yield Finding(pointer or "/", "missing-translation", f"no {lang!r} translation of {own} {sorted(missing)}")


_TEST_KEYWORDS = frozenset({"if", "not", "contains", "propertyNames"})


def _in_test_position(pointer: str) -> bool:
    """Inside `if`, `not`, ...: subschemas that test answers, not questions."""
    return any(token in _TEST_KEYWORDS for token in pointer.split("/"))


def _is_restriction(prop: dict) -> bool:
    """`{"const": ...}` or `{"enum": [...]}` alone restricts a question declared
    elsewhere (e.g. a oneOf discriminator); it is not a question of its own."""
    return set(prop) - {"$comment"} <= {"const", "enum"}


def check_section_order(ctx: LintContext) -> Iterator[Finding]:
    """Every name in x-order is a section of the form."""
    order = ctx.schema.get("x-order")
    names = {s.name for s in ctx.form.sections}
    for i, name in enumerate(order if isinstance(order, list) else ()):
        if name not in names:
            yield Finding(f"/x-order/{i}", "unknown-section", f"x-order names {name!r}, which is not a section of the form", "error")


def check_kind(ctx: LintContext) -> Iterator[Finding]:
    """x-kind says what the form is, at the root only; an estimate is never
    sent, so it cannot ask for documents or name an office's case facts."""
    for pointer, sub in ctx.subschemas:
        if pointer and "x-kind" in sub:
            yield Finding(f"{pointer}/x-kind", "root-only", "x-kind only has an effect at the root of the form", "error")
    if ctx.schema.get("x-kind") != "estimate":
        return
    for pointer, sub in ctx.subschemas:
        for key in ("x-documents", "x-case"):
            if key in sub:
                yield Finding(f"{pointer}/{key}", "estimate-not-sent",
                              f"the form is an estimate (x-kind), which is never sent: {key} has no effect", "error")


def check_pattern_messages(ctx: LintContext) -> Iterator[Finding]:
    """A `pattern` without its own message can only say 'the expected format'."""
    for pointer, sub in ctx.subschemas:
        if "pattern" in sub and "pattern" not in (sub.get("x-messages") or {}):
            yield Finding(f"{pointer}/pattern", "pattern-without-message",
                          "add x-messages.pattern that shows the expected format (UX rule 5)")


def _static_descent(start: tuple[Node, ...], names) -> bool:
    """Can the form reach ``names`` from these nodes (in any branch)?"""
    nodes = reachable(start)
    for name in names:
        if name.isdigit() and any(n.items is not None for n in nodes):
            nodes = reachable(tuple(n.items for n in nodes if n.items is not None))
            continue
        children = tuple(n.properties[name] for n in nodes if name in n.properties)
        if not children:
            return False
        nodes = reachable(children)
    return True


def _sample(nodes: tuple[Node, ...], depth: int = 0, above: frozenset = frozenset(), budget: list | None = None):
    """A plausible answer for these nodes, to try an expression on. A schema
    already expanded higher on the path (a recursive schema) is not expanded
    again, and the whole sample stays small (``budget`` locations)."""
    budget = [2000] if budget is None else budget
    budget[0] -= 1
    closure = [n for n in reachable(nodes)]
    raws = [n.raw for n in closure if isinstance(n.raw, dict)]
    key = frozenset(id(n) for n in nodes)
    expand = depth < 6 and key not in above and budget[0] > 0
    props: dict[str, list[Node]] = {}
    for n in closure:
        for name, child in n.properties.items():
            if child.raw is not False:
                props.setdefault(name, []).append(child)
    if props and expand:
        return {name: _sample(tuple(children), depth + 1, above | {key}, budget) for name, children in props.items()}
    items = [n.items for n in closure if n.items is not None]
    if items and expand:
        return [_sample(tuple(items), depth + 1, above | {key}, budget)]
    for raw in raws:
        if "const" in raw:
            return raw["const"]
        if isinstance(raw.get("enum"), list) and raw["enum"]:
            return raw["enum"][0]
    types = {t for raw in raws for t in ([raw["type"]] if isinstance(raw.get("type"), str) else raw.get("type") or [])}
    if "boolean" in types:
        return True
    if "integer" in types:
        return 1
    if "number" in types:
        return 1.5
    if any(raw.get("format") == "date" for raw in raws):
        return "2000-01-01"
    return "x"


def check_expressions(ctx: LintContext) -> Iterator[Finding]:
    """Rules, document conditions and computations read only what the form
    declares at their place, point at real fields, have every language's
    message, and type-check on a sample application."""
    from datetime import date

    from plausibility.errors import EvaluationError
    from plausibility.rules import Evaluator, compile_checked

    form = ctx.form
    root_sample = _sample((form.graph.root,))
    evaluator = Evaluator(root_sample, date(2026, 1, 1))
    for nodes in ctx.locations:
        start = tuple(nodes)
        self_sample = _sample(start)
        for node in nodes:
            raw = node.raw if isinstance(node.raw, dict) else {}
            where = ctx.pointer_of(node)
            items = [("rule", r.get("id"), r.get("rule"), f"{where}/x-rules/{i}", r.get("fields") or (), r.get("message") or {})
                     for i, r in enumerate(raw.get("x-rules") or ())]
            items += [("document", d.get("id"), d.get("when"), f"{where}/x-documents/{i}", (), d.get("title") or {})
                      for i, d in enumerate(raw.get("x-documents") or ()) if d.get("when")]
            for name, prop in node.properties.items():
                if isinstance(prop.raw, dict) and "x-compute" in prop.raw:
                    items.append(("computation", name, prop.raw["x-compute"], f"{ctx.pointer_of(prop)}/x-compute", (), {}))
            for kind, ident, source, at, fields, texts in items:
                expression = compile_checked(source, at)
                for path in expression.mentions:
                    origin = start if path[0] == "self" else (form.graph.root,)
                    if not _static_descent(origin, path[1:]):
                        yield Finding(at, "unknown-field", f"{kind} {ident!r} reads {'.'.join(path)}, which the form does not declare there", "error")
                for field_pointer in fields:
                    from .form import split_pointer

                    if not _static_descent(start, split_pointer(field_pointer)):
                        yield Finding(at, "unknown-field", f"{kind} {ident!r} points at {field_pointer}, which is not a field of this object", "error")
                if texts:
                    missing = [lang for lang in form.languages if lang not in texts]
                    if missing:
                        yield Finding(at, "missing-translation", f"{kind} {ident!r} has no message in {', '.join(missing)}")
                try:
                    evaluator.evaluate(expression, self_sample)
                except EvaluationError as exc:
                    if str(exc).startswith("TypeError"):
                        yield Finding(at, "type-error", f"{kind} {ident!r} does not type-check on a sample application "
                                      f"({exc}); numbers in answers are doubles: write 1.0, not 1", "error")


def check_schema_dialect(ctx: LintContext) -> Iterator[Finding]:
    """formwerk reads every form as JSON Schema 2020-12 (DESIGN, "Form
    definitions"); a form that declares another dialect, e.g. draft-07, gets
    2020-12's meaning for keywords that changed, which is rarely what its
    author meant."""
    from ._loading import DRAFT_2020_12

    declared = ctx.schema.get("$schema")
    if not isinstance(declared, str) or declared.rstrip("#") == DRAFT_2020_12:
        return
    changed = sorted({key for _, sub in ctx.subschemas for key in sub if key in _OLD_KEYWORDS}
                     | ({"items (as an array)"} if any(isinstance(sub.get("items"), list) for _, sub in ctx.subschemas)
                        else set()))
    also = f"; this form uses {', '.join(changed)}, which 2020-12 {'does' if len(changed) == 1 else 'do'} not define that way" \
        if changed else ""
    yield Finding("/$schema", "not-2020-12",
                  f"$schema is {declared!r}, but formwerk reads every form as JSON Schema 2020-12 "
                  f"({DRAFT_2020_12}): keywords whose meaning changed (array-valued items, dependencies, definitions, "
                  f"$recursiveRef) behave differently{also}")


#: keywords of drafts before 2020-12 that 2020-12 dropped or renamed
_OLD_KEYWORDS = frozenset({"dependencies", "definitions", "additionalItems", "$recursiveRef", "$recursiveAnchor"})


def check_reference_cycles(ctx: LintContext) -> Iterator[Finding]:
    """A cycle of ``$ref``/``$dynamicRef`` (through ``allOf``, ``if``/``then``/
    ``else``, ``dependentSchemas``, ``oneOf``/``anyOf``) that never descends
    into a property or an array item applies the same schemas at the same
    location for ever: JSON Schema leaves its meaning undefined (2020-12 core
    §9.4.1), and validators disagree (one recurses until it fails, another
    accepts anything). Only cycles the form reaches are reported, once each."""
    nodes = ctx.form.graph.nodes()
    for cycle in _cycles(nodes, _in_place):
        pointers = sorted(ctx.pointer_of(n) for n in cycle)
        refs = [ctx.pointer_of(n) for n in cycle if isinstance(n.raw, dict) and ("$ref" in n.raw or "$dynamicRef" in n.raw)]
        where = min(refs) if refs else pointers[0]
        yield Finding(f"{where}/$ref" if refs else where, "reference-cycle",
                      f"these subschemas refer to each other without ever reaching a property or an array item, "
                      f"so evaluating them never ends: {' → '.join(pointers + pointers[:1])}", "error")


def check_duplicate_anchors(ctx: LintContext) -> Iterator[Finding]:
    """The same name given twice by ``$anchor``/``$dynamicAnchor`` in one
    schema resource (the document, or a subschema with its own ``$id``):
    "The effect of specifying the same fragment name multiple times within the
    same resource [...] is undefined" (2020-12 core §8.2.2), and validators
    indeed resolve ``#name`` to different subschemas."""
    ids = [p for p, sub in ctx.subschemas if p and isinstance(sub.get("$id"), str)]
    first: dict[tuple[str, str], str] = {}
    for pointer, sub in ctx.subschemas:
        resource = max((i for i in ids if pointer == i or pointer.startswith(i + "/")), key=len, default="")
        for key in ("$anchor", "$dynamicAnchor"):
            name = sub.get(key)
            if not isinstance(name, str):
                continue
            earlier = first.setdefault((resource, name), pointer)
            if earlier != pointer:
                yield Finding(f"{pointer}/{key}", "duplicate-anchor",
                              f"the anchor {name!r} is already given at {earlier or '/'} in the same schema resource, "
                              f"so which one '#{name}' means is undefined: give one of them its own $id or another name",
                              "error")


def _in_place(n: Node) -> list[Node]:
    """The subschemas that apply at the same location as ``n`` (rule 2)."""
    out = list(n.static)
    for c in n.conditionals:
        out.extend(x for x in (c.then, c.otherwise) if x is not None)
    out.extend(sub for _, sub in n.dependents)
    out.extend(m.node for choice in n.choices for m in choice.members)
    return out


def _cycles(nodes: list[Node], edges) -> list[list[Node]]:
    """The strongly connected components with a cycle (Tarjan, iterative)."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[Node] = []
    found: list[list[Node]] = []
    counter = 0
    for root in nodes:
        if id(root) in index:
            continue
        work = [(root, iter(edges(root)))]
        index[id(root)] = low[id(root)] = counter
        counter += 1
        stack.append(root)
        on_stack.add(id(root))
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if id(child) not in index:
                    index[id(child)] = low[id(child)] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(id(child))
                    work.append((child, iter(edges(child))))
                    advanced = True
                    break
                if id(child) in on_stack:
                    low[id(node)] = min(low[id(node)], index[id(child)])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[id(parent)] = min(low[id(parent)], low[id(node)])
            if low[id(node)] == index[id(node)]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(id(member))
                    component.append(member)
                    if member is node:
                        break
                if len(component) > 1 or any(e is node for e in edges(node)):
                    found.append(component)
    return found


#: Checks that need the compiled form (check_extensions runs before compiling).
CHECKS = (
    check_schema_dialect,
    check_reference_cycles,
    check_duplicate_anchors,
    check_conditions_read_required,
    check_branches_can_apply,
    check_conditions_settle,
    check_discriminators_can_be_asked,
    check_questions_can_be_asked,
    check_labels_and_translations,
    check_pattern_messages,
    check_section_order,
    check_kind,
    check_expressions,
)


def lint_path(path) -> list[Finding]:
    """All findings for a form file or folder. A root that is not an object is
    a finding; a file that cannot be read at all raises :class:`FormError`."""
    try:
        source = load_form_source(path)
    except RootNotObject as exc:
        return [Finding("", "root-not-object", str(exc), "error")]
    return lint_source(source)


def lint_source(source: FormSource) -> list[Finding]:
    """All findings for a form; a form that does not compile gives its reasons."""
    problem = root_problem(source.schema) if isinstance(source.schema, dict) else "the form's root is not an object"
    if problem:
        return [Finding("", "root-not-object", problem, "error")]
    ctx = LintContext(source)
    findings = [Finding(p, "invalid-extension", m, "error") for p, _, m in extension_problems(source.schema)]
    findings.extend(check_extensions(ctx))
    try:
        ctx.form
    except FormError as exc:
        if not any(f.severity == "error" for f in findings):
            findings.append(Finding("", "does-not-compile", str(exc), "error"))
        return findings
    for check in CHECKS:
        findings.extend(check(ctx))
    return _once(findings)


def _once(findings: list[Finding]) -> list[Finding]:
    """Each finding once: a subschema under ``$defs`` referenced from several
    places is one place of the definition, found once per reference."""
    return list(dict.fromkeys(findings))
