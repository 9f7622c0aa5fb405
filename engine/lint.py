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
from ._graph import MISSING, Node, escape_token, json_equal
from ._loading import FormSource
from .errors import FormError
from .form import CompiledForm, compile_form, reachable

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
        found, seen = [], set()
        stack = [(self.form.graph.root,)]
        while stack:
            start = stack.pop()
            key = tuple(sorted(id(n) for n in start))
            if key in seen:
                continue
            seen.add(key)
            nodes = reachable(start)
            found.append(nodes)
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
        for choice in node.choices:
            for member in choice.members:
                for name, _, wanted in member.discriminators:
                    declared = _declared_values(siblings, name)
                    if declared is not None and not any(json_equal(w, d) for w in wanted for d in declared):
                        yield Finding(f"{where}/{choice.keyword}/{member.index}", "branch-never-applies",
                                      f"this member needs {name!r} to be one of {list(wanted)}, but the form only allows {list(declared)}")


def check_conditions_settle(ctx: LintContext) -> Iterator[Finding]:
    """A question whose own answer switches it off never settles: answering it
    removes it, which asks for it again. One that is declared only once it is
    answered is never asked."""
    relevance = ctx.form.relevance
    for node in ctx.form.graph.nodes():
        for conditional in node.conditionals:
            for name in conditional.reads:
                values = _test_values((node.raw.get("if") or {}).get("properties", {}).get(name)) \
                    if isinstance(node.raw.get("if"), dict) else None
                if not values:
                    continue
                declared_absent = name in _declared((node,), relevance, {})
                for value in values:
                    answered = {name: value}
                    if declared_absent and name not in _declared((node,), relevance, answered):
                        yield Finding(f"{ctx.pointer_of(node)}/if", "does-not-settle",
                                      f"answering {name!r} with {value!r} switches {name!r} itself off: the answer is "
                                      f"pruned and the question asked again", "error")
                        break
                    if not declared_absent and name in _declared((node,), relevance, answered):
                        yield Finding(f"{ctx.pointer_of(node)}/if", "never-asked",
                                      f"{name!r} is only declared once it is answered, so it is never asked")
                        break


def _declared(start: tuple[Node, ...], relevance, value: Any) -> set[str]:
    return {p for n in relevance.applicable(start, value if value is not MISSING else {}) for p in n.properties}


def check_labels_and_translations(ctx: LintContext) -> Iterator[Finding]:
    """Every question has a label; every text exists in every language the form offers."""
    form = ctx.form
    others = [lang for lang in form.languages if lang != form.default_lang]
    for pointer, sub in ctx.subschemas:
        if _in_test_position(pointer):
            continue
        for name, prop in (sub.get("properties") or {}).items():
            if not isinstance(prop, dict) or _is_restriction(prop):
                continue
            closure = [n.raw for n in static_closure((form.graph.node_for(prop),))
                       if isinstance(n.raw, dict)]
            if not any(isinstance(r.get("title"), str) and r["title"] for r in closure):
                yield Finding(f"{pointer}/properties/{escape_token(name)}", "missing-label",
                              f"property {name!r} has no title: applicants would see its technical name")
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


def check_pattern_messages(ctx: LintContext) -> Iterator[Finding]:
    """A `pattern` without its own message can only say 'the expected format'."""
    for pointer, sub in ctx.subschemas:
        if "pattern" in sub and "pattern" not in (sub.get("x-messages") or {}):
            yield Finding(f"{pointer}/pattern", "pattern-without-message",
                          "add x-messages.pattern that shows the expected format (UX rule 5)")


#: Checks that need the compiled form (check_extensions runs before compiling).
CHECKS = (
    check_conditions_read_required,
    check_branches_can_apply,
    check_conditions_settle,
    check_labels_and_translations,
    check_pattern_messages,
)


def lint_source(source: FormSource) -> list[Finding]:
    """All findings for a form; a form that does not compile gives its reasons."""
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
    return findings
