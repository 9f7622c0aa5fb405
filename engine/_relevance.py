"""Relevance and pruning, exactly as DESIGN.md ("Relevance", normative) says.

One walk over the answers visits every location reached from the root through
declared properties and existing array elements. At each location it collects
the applicable nodes (rule 2), decides the kind (rule 5), records relevant
pointers (rule 6) and, at object locations, removes answered keys that the form
declares there in some branch but not under the current answers (rule 7).
Walks repeat until one removes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ._graph import MISSING, Choice, Node, escape_token
from .errors import FormError


@dataclass
class Walk:
    """What one walk over the answers found."""

    answers: Any = None
    relevant: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    #: pointer -> the nodes that apply there (for labels and messages)
    nodes: dict[str, tuple[Node, ...]] = field(default_factory=dict)
    #: pointer -> [(choice, indexes of the members selected by rule 2)]
    choices: dict[str, list[tuple[Choice, list[int]]]] = field(default_factory=dict)


class _StaticFacts:
    """Per set of starting nodes: everything reachable in any branch."""

    __slots__ = ("anywhere", "may_be_object", "allows_extra")

    def __init__(self, start: tuple[Node, ...]):
        seen: dict[int, Node] = {}
        stack = list(start)
        while stack:
            n = stack.pop()
            if id(n) in seen:
                continue
            seen[id(n)] = n
            stack.extend(n.static)
            for c in n.conditionals:
                stack.extend(b for b in (c.then, c.otherwise) if b is not None)
            stack.extend(node for _, node in n.dependents)
            for choice in n.choices:
                stack.extend(m.node for m in choice.members)
        nodes = seen.values()
        self.anywhere = frozenset(p for n in nodes for p in n.properties)
        self.may_be_object = any(n.describes_object for n in nodes)
        self.allows_extra = any(n.allows_extra for n in nodes)


class Relevance:
    """The relevance plan of one compiled form. Thread-safe after construction
    except for its caches, which only ever grow with equal values."""

    def __init__(self, root: Node):
        self.root = root
        self._facts: dict[tuple[int, ...], _StaticFacts] = {}

    def facts(self, start: tuple[Node, ...]) -> _StaticFacts:
        key = tuple(id(n) for n in start)
        facts = self._facts.get(key)
        if facts is None:
            facts = self._facts[key] = _StaticFacts(start)
        return facts

    # -- rule 2 -------------------------------------------------------------

    def applicable(self, start: tuple[Node, ...], value: Any, picks: list | None = None) -> list[Node]:
        out: list[Node] = []
        seen: set[int] = set()

        def visit(n: Node) -> None:
            if id(n) in seen:
                return
            seen.add(id(n))
            out.append(n)
            for sub in n.static:
                visit(sub)
            for c in n.conditionals:
                branch = c.then if c.test(value) else c.otherwise
                if branch is not None:
                    visit(branch)
            if n.dependents and isinstance(value, dict):
                for key, sub in n.dependents:
                    if key in value:
                        visit(sub)
            for choice in n.choices:
                selected = [m.index for m in choice.members if m.matches(value)]
                if picks is not None:
                    picks.append((choice, selected))
                for i in selected:
                    visit(choice.members[i].node)

        for n in start:
            visit(n)
        return out

    # -- rules 3 to 7 ------------------------------------------------------------

    def walk(self, answers: dict, prune: bool) -> Walk:
        result = Walk(answers=answers)
        self._visit(answers, "", (self.root,), result, prune, top=True)
        return result

    def _visit(self, value: Any, pointer: str, start: tuple[Node, ...], out: Walk, prune: bool, top: bool = False) -> str:
        """Visit one location; returns its kind (rule 5)."""
        facts = self.facts(start)
        probe = value
        if value is MISSING and facts.may_be_object:
            probe = {}  # rule 3
        picks: list = []
        nodes = self.applicable(start, probe, picks)
        out.nodes[pointer] = start
        if picks:
            out.choices[pointer] = picks
        is_object = top or any(n.describes_object for n in nodes)
        if is_object:
            declared: dict[str, list[Node]] = {}
            for n in nodes:
                for name, child in n.properties.items():
                    declared.setdefault(name, []).append(child)
            obj = value if isinstance(value, dict) else None
            if obj:
                for key in [k for k in obj if k not in declared]:
                    child_pointer = f"{pointer}/{escape_token(key)}"
                    if key in facts.anywhere:
                        if prune:
                            del obj[key]
                        out.pruned.append(child_pointer)
                    elif not facts.allows_extra:
                        out.unknown.append(child_pointer)
            for name, children in declared.items():
                child = obj.get(name, MISSING) if obj is not None else MISSING
                self._visit(child, f"{pointer}/{escape_token(name)}", tuple(children), out, prune)
            return "object"
        if any(n.describes_array for n in nodes):
            out.relevant.append(pointer)
            if isinstance(value, list) and value:
                items = tuple(n.items for n in nodes if n.items is not None)
                prefix = [n.prefix_items for n in nodes if n.prefix_items]
                for i, element in enumerate(value):
                    element_start = items + tuple(p[i] for p in prefix if i < len(p))
                    if element_start:
                        self._visit_element(element, f"{pointer}/{i}", element_start, out, prune)
            return "array"
        out.relevant.append(pointer)
        return "leaf"

    def _visit_element(self, value: Any, pointer: str, start: tuple[Node, ...], out: Walk, prune: bool) -> None:
        """Rule 6: elements are walked; a leaf element is not a question of its own."""
        if self._visit(value, pointer, start, out, prune) == "leaf":
            out.relevant.pop()


def settle(relevance: Relevance, answers: dict, before_round=None, max_rounds: int = 1000) -> Walk:
    """Rule 7: prune until nothing more is removed; the last walk describes the
    settled answers. ``answers`` is modified in place (pass a copy).

    ``before_round(answers)`` recomputes computed properties each round."""
    pruned: list[str] = []
    for _ in range(max_rounds):
        if before_round is not None:
            before_round(answers)
        walk = relevance.walk(answers, prune=True)
        if not walk.pruned:
            walk.pruned = _outermost(pruned)
            return walk
        pruned.extend(walk.pruned)
    raise FormError("the form's conditions do not settle: pruning did not reach a fixed point")


def _outermost(pointers: list[str]) -> list[str]:
    """Drop pointers inside another pruned pointer (a later round may prune a parent)."""
    result = []
    for p in pointers:
        if not any(p.startswith(q + "/") for q in pointers if q != p):
            result.append(p)
    return result
