"""One section of a form as a client presents it: a tree of groups, lists
and questions built from the engine's relevance (never recomputed by the
client), with each question's field description, current value and issues.

``build_page(form, answers, section, lang)`` → :class:`Page`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ._fields import Field
from ._graph import escape_token
from ._relevance import ARRAY, OBJECT, Walk
from .form import CompiledForm, Section, root_property, value_at
from .outcome import Issue, Outcome


@dataclass
class Question:
    pointer: str
    field: Field
    value: Any
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    kind: str = "question"


@dataclass
class Group:
    pointer: str
    field: Field | None
    children: list = field(default_factory=list)
    kind: str = "group"


@dataclass
class ItemList:
    """An array of objects: an "add another" list."""

    pointer: str
    field: Field
    items: list[Group] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    max_items: int | None = None
    kind: str = "list"
    #: hints whose fields name the list itself (a cross-field warning about its entries)
    warnings: list[Issue] = field(default_factory=list)

    @property
    def can_add(self) -> bool:
        return self.max_items is None or len(self.items) < self.max_items


@dataclass
class Page:
    section: Section
    root: Group
    outcome: Outcome
    #: the page's errors, each cause once (see :func:`errors_once`)
    errors: tuple[Issue, ...] = ()

    def summary(self) -> list[tuple[Issue, "Question | None"]]:
        """The error summary: each error once, in page order, with the
        question it links to (None for an error at no question on the page)."""
        out: list = []
        seen: set[int] = set()
        for question in self.questions():
            for issue in question.errors:
                if id(issue) not in seen:
                    seen.add(id(issue))
                    out.append((issue, question))
        out.extend((issue, None) for issue in self.errors if id(issue) not in seen)
        return out

    def nodes(self):
        """Every question, list and list entry on the page, in order."""

        def visit(node):
            if isinstance(node, Question):
                yield node
            elif isinstance(node, ItemList):
                yield node
                for item in node.items:
                    yield item
                    yield from visit(item)
            elif isinstance(node, Group):
                for child in node.children:
                    yield from visit(child)

        return visit(self.root)

    def pointers(self) -> set[str]:
        return {node.pointer for node in self.nodes()}

    def questions(self) -> list[Question]:
        return [node for node in self.nodes() if isinstance(node, Question)]


def sections_of(form: CompiledForm, outcome: Outcome) -> list[Section]:
    """The sections that hold a relevant question, in order: what
    ``[s for s in form.sections if any(s.contains(p) for p in outcome.relevant)]``
    says, with each pointer read once instead of once per section (a page
    asks this on every request, for its "step 3 of 9")."""
    names = {root_property(p) for p in outcome.relevant}
    return [s for s in form.sections if not names.isdisjoint(s.properties)]


def _kind_at(walk: Walk, pointer: str) -> str | None:
    plan = walk.plan_at(pointer)
    if plan is None:
        return None
    shape = walk.relevance.shape_at(plan, value_at(walk.answers, pointer))
    return shape.kind


def build_page(form: CompiledForm, answers: dict, section: str, lang: str, *, as_of: date | None = None,
               confirmations=()) -> Page:
    # the web form asks for dates in day/month/year fields: its messages say DD.MM.YYYY
    outcome, walk = form.check_walk(answers, lang=lang, section=section, as_of=as_of, confirmations=confirmations,
                                    channel="web")
    return _build(form, outcome, walk, section, lang)


def build_pages(form: CompiledForm, answers: dict, sections, lang: str, *, as_of: date | None = None,
                confirmations=()) -> list[Page]:
    """The pages of several sections from one check and one walk (check your
    answers, the receipt, the case file), instead of a check per section."""
    outcome, walk = form.check_walk(answers, lang=lang, as_of=as_of, confirmations=confirmations, channel="web")
    return pages_of(form, outcome, walk, sections, lang)


def pages_of(form: CompiledForm, outcome: Outcome, walk: Walk, sections, lang: str) -> list[Page]:
    """The pages of several sections from a check already made
    (``form.check_walk`` without a section, ``channel="web"``): each page's
    outcome holds that section's errors and hints as ``check(section=…)``
    reports them (a cross-field hint on every page one of its fields is on)."""
    pages = []
    for section in sections:
        part = form.section(section)
        errors = tuple(e for e in outcome.errors if part.contains(e.path))
        warnings = tuple(w for w in outcome.warnings if any(part.contains(p) for p in (w.fields or (w.path,))))
        own = dataclasses.replace(outcome, errors=errors, warnings=warnings, valid=not errors)
        pages.append(_build(form, own, walk, section, lang))
    return pages


def _build(form: CompiledForm, outcome, walk: Walk, section: str, lang: str) -> Page:
    part = form.section(section)
    section_pointer = f"/{escape_token(part.name)}" if part.name else ""
    root = Group(section_pointer, None)
    groups: dict[str, Any] = {section_pointer: root}
    errors = errors_once(outcome.errors)
    errors_by_path = _by_path(errors)
    warnings_by_path = _by_path(outcome.warnings)

    def container(pointer: str):
        """The group or list at ``pointer`` (created with its parents)."""
        if pointer in groups:
            return groups[pointer]
        parent = container(pointer.rpartition("/")[0])
        described = form.field_at(walk, pointer, lang)
        if isinstance(parent, ItemList):
            group: Any = Group(pointer, described)
            parent.items.append(group)
        elif _kind_at(walk, pointer) == ARRAY:
            group = ItemList(pointer, described, errors=errors_by_path.get(pointer, []),
                             max_items=described.constraints.get("maxItems"),
                             warnings=warnings_by_path.get(pointer, []))
            parent.children.append(group)
        else:
            group = Group(pointer, described)
            parent.children.append(group)
        groups[pointer] = group
        return group

    for pointer in outcome.relevant:
        if not part.contains(pointer) or pointer == section_pointer:
            continue
        if _kind_at(walk, pointer) == ARRAY and _items_are_objects(walk, pointer):
            container(pointer)
            continue
        holder = container(pointer.rpartition("/")[0])
        holder.children.append(Question(pointer, form.field_at(walk, pointer, lang), value_at(outcome.answers, pointer),
                                        errors_by_path.get(pointer, []), warnings_by_path.get(pointer, [])))
    for pointer, group in groups.items():
        if isinstance(group, Group) and len(group.children) > 1:
            group.children = _revealed_order(group.children, _revealed_by(walk, pointer))
    for node in groups.values():
        if isinstance(node, ItemList):
            for item in node.items:
                if len(item.children) > 1:
                    item.children = _revealed_order(item.children, _revealed_by(walk, item.pointer))
    return Page(part, root, outcome, errors)


def _revealed_by(walk: Walk, pointer: str) -> dict[str, set[str]]:
    """For each property that a condition at the object location ``pointer``
    declares: the names of the properties there that the condition reads (the
    reads of enclosing conditions included; a computed value read stands for
    the answers its expression reads: a birth date decides the age)."""
    plan = walk.plan_at(pointer)
    if plan is None or not plan.conditional:
        return {}
    relevance = walk.relevance
    always = {name for n in plan.base for name in n.properties}
    shape = relevance.shape_at(plan, value_at(walk.answers, pointer))
    computed = {name: {path[1] for path in computation.expression.mentions if len(path) > 1 and path[0] == "self"}
                for name, computation in shape.computations.items()}
    found: dict[str, set[str]] = {}

    def reads_of(names) -> set[str]:
        out: set[str] = set()
        for name in names:
            out |= computed.get(name) or {name}
        return out

    def reveal(branch, reads: frozenset, seen: set) -> None:
        for node in relevance.closure(branch):
            if id(node) in seen:
                continue
            seen.add(id(node))
            for name in node.properties:
                if name not in always:
                    found.setdefault(name, set()).update(reads)
            conditions(node, reads, seen)

    def conditions(node, reads: frozenset, seen: set) -> None:
        for conditional in node.conditionals:
            inner = reads | reads_of(conditional.reads)
            for branch in (conditional.then, conditional.otherwise):
                if branch is not None:
                    reveal(branch, inner, seen)
        for key, sub in node.dependents:
            reveal(sub, reads | reads_of((key,)), seen)
        for choice in node.choices:
            for member in choice.members:
                names = [d[0] for d in member.discriminators]
                if names:
                    reveal(member.node, reads | reads_of(names), seen)

    for node in plan.base_dynamic:
        conditions(node, frozenset(), set())
    return found


def _revealed_order(children: list, revealed_by: dict[str, set[str]]) -> list:
    """The conditionally revealed pattern (GOV.UK, KERN): a question that a
    condition declares comes directly after the last question on the page
    that the condition reads; everything else keeps its order."""
    if not revealed_by:
        return children
    names = [child.pointer.rsplit("/", 1)[1] for child in children]
    position = {name: i for i, name in enumerate(names)}
    anchor: dict[str, str] = {}
    for name in names:
        present = [position[r] for r in revealed_by.get(name, ()) if r in position and r != name]
        if present:
            anchor[name] = names[max(present)]
    for name in names:  # a circle of conditions (a form error lint reports) keeps the declared order
        seen, at = {name}, anchor.get(name)
        while at is not None and at not in seen:
            seen.add(at)
            at = anchor.get(at)
        if at is not None:
            anchor.pop(name, None)
    after: dict[str, list[int]] = {}
    for i, name in enumerate(names):
        if name in anchor:
            after.setdefault(anchor[name], []).append(i)
    ordered: list = []

    def emit(i: int) -> None:
        ordered.append(children[i])
        for j in after.get(names[i], ()):
            emit(j)

    for i, name in enumerate(names):
        if name not in anchor:
            emit(i)
    return ordered


def errors_once(issues) -> tuple[Issue, ...]:
    """Each field's error once: the answer's own (schema) error first, one a
    field; a plausibility rule's error only where none of its fields already
    has one (an IBAN that is too short is not also "not valid"; a birth date
    in the future is not also "under 15")."""
    taken: set[str] = set()
    kept: set[int] = set()
    rules = []
    for issue in issues:
        if issue.rule is not None or issue.code in ("rule", "rule-error"):
            rules.append(issue)
        elif issue.path not in taken:
            taken.add(issue.path)
            kept.add(id(issue))
    for issue in rules:
        fields = issue.fields or (issue.path,)
        if all(path in taken for path in fields):
            continue
        taken.update(fields)
        kept.add(id(issue))
    return tuple(issue for issue in issues if id(issue) in kept)


def _by_path(issues) -> dict[str, list[Issue]]:
    found: dict[str, list[Issue]] = {}
    for issue in issues:
        for path in issue.fields or (issue.path,):
            found.setdefault(path, []).append(issue)
    return found


def _items_are_objects(walk: Walk, pointer: str) -> bool:
    plan = walk.plan_at(pointer)
    if plan is None:
        return False
    shape = walk.relevance.shape_at(plan, value_at(walk.answers, pointer))
    return shape.items is not None and shape.items.may_be_object


__all__ = ["Group", "ItemList", "Page", "Question", "build_page", "build_pages", "errors_once", "pages_of", "sections_of", "OBJECT"]
