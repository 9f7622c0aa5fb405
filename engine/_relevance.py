"""Relevance and pruning, exactly as DESIGN.md ("Relevance", normative) says.

One walk over the answers visits every location reached from the root through
declared properties and existing array elements. At each location it collects
the applicable nodes (rule 2), decides the kind (rule 5), records relevant
pointers (rule 6) and, at object locations, removes answered keys that the form
declares there in some branch but not under the current answers (rule 7).
Walks repeat until one removes nothing.

The walk runs on every step an applicant takes, so the form is compiled into a
plan: one :class:`Plan` per set of starting nodes (a location of the form).
A plan whose nodes contain no condition anywhere (no ``if``, no
``dependentSchemas``, no ``oneOf``/``anyOf``) has one fixed :class:`Shape`,
computed once; a conditional plan evaluates its conditions once per visit and
reuses the shape of that outcome. Leaves are recorded inline without a call.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ._graph import MISSING, Choice, Node, escape_token
from ._walk_copy import computing_nodes
from ._walk_decisions import Decisions, choice_question, dependents_question
from .errors import FormError

OBJECT, ARRAY, LEAF = "object", "array", "leaf"
#: at most this many locations per run of leaves keep their joined pointers (``Shape.segments``)
_JOINED_PER_RUN = 256


def _reachable(start: tuple[Node, ...]) -> list[Node]:
    """Every node that can apply with ``start`` in some branch."""
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
    return list(seen.values())


def _is_dynamic(n: Node) -> bool:
    return bool(n.conditionals or n.dependents or n.choices)


def _static_closure(start: tuple[Node, ...]) -> list[Node]:
    out, seen, stack = [], set(), list(reversed(start))
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        out.append(n)
        stack.extend(reversed(n.static))
    return out


class Shape:
    """What a location looks like under one set of applicable nodes."""

    __slots__ = ("kind", "children", "declared", "items", "prefix_items", "items_after", "extras", "computations", "admitters",
                 "own_computations", "_segments", "_relevance", "_by_name")

    def __init__(self, relevance: "Relevance", nodes: list[Node], top: bool, plan: "Plan"):
        self._relevance = relevance
        self.kind = OBJECT if top or any(n.describes_object for n in nodes) else (
            ARRAY if any(n.describes_array for n in nodes) else LEAF)
        declared: dict[str, list[Node]] = {}
        if self.kind == OBJECT:
            for n in nodes:
                for name, child in n.properties.items():
                    declared.setdefault(name, []).append(child)
        # rule 4: a property whose applicable subschemas include `false` is not declared
        for name in [name for name, c in declared.items() if _includes_false(c)]:
            del declared[name]
        self.declared = frozenset(declared)
        #: nodes whose patternProperties/additionalProperties/unevaluatedProperties may admit answered keys
        self.admitters = tuple(n for n in nodes if n.pattern_properties or n.additional is not None
                               or n.unevaluated is not None) if self.kind == OBJECT else ()
        computations = {name: relevance.computation(tuple(c)) for name, c in declared.items()}
        #: name -> computation, for the computed properties declared here
        self.computations = {name: c for name, c in computations.items() if c is not None}
        #: those not computed already before the conditions were decided (``plan.base_computations``)
        self.own_computations = tuple((name, c) for name, c in self.computations.items()
                                      if not any(name == n for n, _ in plan.base_computations))
        self._segments = None
        #: (name, "/escaped-name", child plan, is computed) in declaration order
        self.children = tuple((name, "/" + escape_token(name), relevance.plan(tuple(c), plan.static_child(name)),
                               name in self.computations) for name, c in declared.items())
        #: rules and document requirements of the applicable nodes
        self.extras = tuple(relevance.extras[id(n)] for n in nodes if id(n) in relevance.extras)
        items = tuple(n.items for n in nodes if n.items is not None) if self.kind == ARRAY else ()
        self.items = relevance.plan(items, plan.static_items()) if items else None
        self.prefix_items = [n.prefix_items for n in nodes if n.prefix_items] if self.kind == ARRAY else []
        #: (how many prefixItems its node has, items node): ``items`` applies only after its own prefix
        self.items_after = tuple((len(n.prefix_items), n.items) for n in nodes if n.items is not None) \
            if self.kind == ARRAY and self.prefix_items else ()

    def segments(self) -> tuple:
        """The declared properties that are questions, for the walk: runs of
        leaves as ``(tokens, None, None, None, pointers)`` (recorded without a
        visit) and ``((), name, token, plan, None)`` for a property to visit,
        in declaration order. ``pointers`` keeps, by the location's pointer,
        the run's pointers already joined (the same few locations are walked
        on every check). Built on first use, when the children's ``leaf`` is
        settled (a plan's static shape is built before its ``leaf`` is set)."""
        found = self._segments
        if found is None:
            found, leaves = [], []
            for name, token, child, computed in self.children:
                if computed:
                    continue  # computed properties are not questions
                if child.leaf:
                    leaves.append(token)
                    continue
                if leaves:
                    found.append((tuple(leaves), None, None, None, {}))
                    leaves = []
                found.append(((), name, token, child, None))
            if leaves:
                found.append((tuple(leaves), None, None, None, {}))
            found = self._segments = tuple(found)
        return found

    def child(self, name: str) -> "Plan | None":
        """The plan of a declared property (for locating a pointer)."""
        try:
            by_name = self._by_name
        except AttributeError:
            by_name = self._by_name = {}
            for declared, _, plan, _ in self.children:
                by_name.setdefault(declared, plan)  # the first, as a scan in order would find
        return by_name.get(name)

    def admit(self, key: str) -> "Plan | None":
        """Rule 4: the plan of an answered key that no applicable ``properties``
        declares but an applicable patternProperties, additionalProperties or
        unevaluatedProperties subschema other than ``false`` admits."""
        if not self.admitters:
            return None
        found: list[Node] = []
        for n in self.admitters:
            found.extend(n.admits(key) or ())
        if not found or _includes_false(found):
            return None
        return self._relevance.plan(tuple(found))


def _includes_false(nodes) -> bool:
    return any(n.raw is False for n in _static_closure(tuple(nodes)))


class Plan:
    """A location of the form: the nodes that start there, and its facts."""

    __slots__ = ("start", "static_start", "conditional", "anywhere", "may_be_object", "allows_extra", "leaf",
                 "base", "base_dynamic", "base_computations", "_shape", "_shapes", "_relevance", "_top",
                 "_static_reach", "recursion_key", "decisions", "may_compute")

    def __init__(self, relevance: "Relevance", start: tuple[Node, ...], static_start: tuple[Node, ...],
                 top: bool = False):
        self.start = start
        #: every node that can start here in any branch of this location or its ancestors
        self.static_start = static_start
        self._relevance = relevance
        self._top = top
        reach = _reachable(start)
        self._static_reach = _reachable(static_start)
        self.conditional = any(n.conditionals or n.dependents or n.choices for n in reach)
        #: a computed property may lie here or below (engine._walk_copy: copy on write)
        computing = relevance.computing
        self.may_compute = bool(computing) and any(id(n) in computing for n in reach)
        #: rule 7: declared somewhere at this location in the form, in any branch
        self.anywhere = frozenset(p for n in self._static_reach for p in n.properties)
        self.may_be_object = any(n.describes_object for n in self._static_reach)
        self.allows_extra = any(n.allows_extra for n in self._static_reach)
        #: the nodes that always apply here, and those of them with conditions
        self.base = tuple(_static_closure(start))
        self.base_dynamic = tuple(n for n in self.base if _is_dynamic(n))
        #: rule 3: the subschemas that make this location an object (to stop recursive schemas)
        self.recursion_key = frozenset(id(n) for n in self.base if n.describes_object or n.properties or
                                       _is_dynamic(n))
        #: computed properties declared unconditionally here: computed before conditions are decided
        base_props: dict[str, list[Node]] = {}
        for n in self.base:
            for name, child in n.properties.items():
                base_props.setdefault(name, []).append(child)
        found = ((name, relevance.computation(tuple(c))) for name, c in base_props.items())
        self.base_computations = tuple((name, c) for name, c in found if c is not None)
        self._shape: Shape | None = None
        self._shapes: dict[tuple[int, ...], Shape] = {}
        #: rule 2 remembered: the conditions' answers -> shape (engine._walk_decisions)
        self.decisions = Decisions()
        self.leaf = False  # set by Relevance.plan once the static shape is known

    def static_child(self, name: str) -> tuple[Node, ...]:
        return tuple(n.properties[name] for n in self._static_reach if name in n.properties)

    def could_admit(self, key: str) -> bool:
        """Does some branch here admit ``key`` through patternProperties,
        additionalProperties or unevaluatedProperties (rule 7: declared somewhere)?"""
        return any(sub.raw is not False for n in self._static_reach if n.allows_extra for sub in n.admits(key) or ())

    def static_items(self) -> tuple[Node, ...]:
        return tuple(n.items for n in self._static_reach if n.items is not None)

    def static_shape(self) -> Shape:
        if self._shape is None:
            self._shape = Shape(self._relevance, _static_closure(self.start), self._top, self)
        return self._shape

    def shape_for(self, chosen: list[Node]) -> Shape:
        """The shape when the conditions chose the nodes ``chosen`` (beyond the base)."""
        key = tuple(id(n) for n in chosen)
        shape = self._shapes.get(key)
        if shape is None:
            shape = self._shapes[key] = Shape(self._relevance, [*self.base, *chosen], self._top, self)
        return shape


@dataclass
class Walk:
    """What one walk over the answers found."""

    relevance: "Relevance"
    answers: Any = None
    relevant: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    #: pointer -> [(choice, indexes of the members selected by rule 2)]
    choices: dict[str, list[tuple[Choice, list[int]]]] = field(default_factory=dict)
    #: evaluates computed properties (None when the form has none)
    evaluator: Any = None
    #: pointer -> computed value
    computed: dict[str, Any] = field(default_factory=dict)
    #: (pointer, message) of computations that failed
    compute_failures: list[tuple[str, str]] = field(default_factory=list)
    #: (pointer, object, extras) of object locations with rules or documents
    sites: list[tuple[str, Any, tuple]] = field(default_factory=list)
    #: locations found by ``plan_at``, by pointer: (plan, value, shape or None); the
    #: messages of many errors locate pointers with the same parents
    located: dict = field(default_factory=dict, repr=False, compare=False)
    #: copy on write (engine._walk_copy): ``answers`` is a copy of its own, and each
    #: container where a computed value may lie is copied into its parent before its visit
    copy_on_write: bool = field(default=False, repr=False, compare=False)

    def nodes_at(self, pointer: str) -> tuple[Node, ...] | None:
        """The nodes that start at a location under these answers (for labels
        and messages; derived on demand, so a clean walk pays nothing)."""
        plan = self.plan_at(pointer)
        return plan.start if plan is not None else None

    def plan_at(self, pointer: str) -> "Plan | None":
        key = (pointer,)  # (shapes on the way are kept under the pointer itself, a str)
        try:
            return self.located[key]
        except KeyError:
            found = self.located[key] = self.relevance.locate(self.answers, pointer, self.located)
            return found


class Relevance:
    """The relevance plan of one compiled form."""

    def __init__(self, root: Node, extras: dict | None = None, computations: dict | None = None):
        self.root = root
        #: id(node) -> the rules and documents of that node (see engine.form)
        self.extras = extras or {}
        #: id(property node) -> its computation (x-compute)
        self._computations = computations or {}
        #: ids of the nodes from which a computed property can be reached (engine._walk_copy)
        self.computing = computing_nodes(root, self._computations)
        self._plans: dict[tuple[int, ...], Plan] = {}
        self._closures: dict[int, tuple[Node, ...]] = {}
        #: id(node) or id(choice) -> its question for the decision tries (engine._walk_decisions)
        self._questions: dict[int, Any] = {}
        #: when a set, every branch taken is recorded in it (``formwerk test`` coverage)
        self.coverage: set | None = None
        self.root_plan = Plan(self, (root,), (root,), top=True)

    def element_plan(self, shape, i: int) -> "Plan | None":
        """The plan of element ``i`` of an array: ``prefixItems`` by position,
        and each schema's ``items`` only after its own ``prefixItems`` (2020-12)."""
        extra = tuple(p[i] for p in shape.prefix_items if i < len(p))
        if not extra:
            return shape.items
        start = (*(node for count, node in shape.items_after if i >= count), *extra)
        return self.plan(start, start)

    def plan(self, start: tuple[Node, ...], static_start: tuple[Node, ...] | None = None) -> Plan:
        """The plan of a location; ``static_start`` defaults to ``start``
        (a location considered on its own, without its ancestors' branches)."""
        static_start = start if static_start is None else static_start
        key = (tuple(id(n) for n in start), tuple(id(n) for n in static_start))
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = Plan(self, start, static_start)
            if not plan.conditional:
                plan.leaf = plan.static_shape().kind == LEAF
        return plan

    def computation(self, start: tuple[Node, ...]):
        """The computation of a property whose subschemas carry ``x-compute``."""
        for n in _static_closure(start):
            found = self._computations.get(id(n))
            if found is not None:
                return found
        return None

    def facts(self, start: tuple[Node, ...]) -> Plan:
        """Static facts of a location: ``anywhere``, ``may_be_object``, ``allows_extra``."""
        return self.plan(start)

    # -- rule 2 -------------------------------------------------------------

    def decide(self, plan: Plan, value: Any, picks: list | None = None, trace: list | None = None) -> list[Node]:
        """Rule 2 beyond the base: the nodes the conditions select for ``value``.

        ``trace`` collects ``(question, answer)`` in the order asked, for the
        plan's decision trie (engine._walk_decisions)."""
        chosen: list[Node] = []
        seen = {id(n) for n in plan.base}
        pending = list(plan.base_dynamic)
        coverage = self.coverage
        while pending:
            n = pending.pop(0)
            selected: list[Node] = []
            for c in n.conditionals:
                holds = c.test(value)
                if trace is not None:
                    trace.append((c.test, holds))
                if coverage is not None:
                    coverage.add((id(c), "then" if holds else "else"))
                branch = c.then if holds else c.otherwise
                if branch is not None:
                    selected.append(branch)
            if n.dependents and trace is not None:
                question = self._question(n)
                trace.append((question, question(value)))
            if n.dependents and type(value) is dict:
                for key, sub in n.dependents:
                    if key in value:
                        selected.append(sub)
                        if coverage is not None:
                            coverage.add((id(n), f"dependentSchemas/{key}"))
            for choice in n.choices:
                satisfied, applied = choice.select(value)
                if trace is not None:
                    trace.append((self._question(choice), tuple(satisfied)))
                if picks is not None:
                    picks.append((choice, satisfied))
                if coverage is not None:
                    coverage.update((id(choice), f"{choice.keyword}/{i}") for i in satisfied)
                selected.extend(choice.members[i].node for i in applied)
            for branch in selected:
                for m in self.closure(branch):
                    if id(m) not in seen:
                        seen.add(id(m))
                        chosen.append(m)
                        if _is_dynamic(m):
                            pending.append(m)
        return chosen

    def _question(self, source) -> Any:
        """The trie question of a node's dependentSchemas or of a choice (one
        function per source, so that the trie recognises it)."""
        found = self._questions.get(id(source))
        if found is None:
            if isinstance(source, Choice):
                found = choice_question(source)
            else:
                found = dependents_question(tuple(k for k, _ in source.dependents))
            found = self._questions.setdefault(id(source), found)
        return found

    def closure(self, node: Node) -> tuple[Node, ...]:
        found = self._closures.get(id(node))
        if found is None:
            found = self._closures[id(node)] = tuple(_static_closure((node,)))
        return found

    def applicable(self, start: tuple[Node, ...], value: Any, picks: list | None = None) -> list[Node]:
        """Every node that applies at a location with these starting nodes (rule 2)."""
        plan = self.plan(start)
        return [*plan.base, *self.decide(plan, value, picks)]

    def _applicable_reference(self, start: tuple[Node, ...], value: Any, picks: list | None = None) -> list[Node]:
        """Rule 2 written directly (depth first); kept to test :meth:`decide` against."""
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
                satisfied, applied = choice.select(value)
                if picks is not None:
                    picks.append((choice, satisfied))
                for i in applied:
                    visit(choice.members[i].node)

        for n in start:
            visit(n)
        return out

    def shape_at(self, plan: Plan, value: Any) -> Shape:
        """The shape of a location under an answer (kind, children, items)."""
        return self._shape(plan, value, "", None)

    def _shape(self, plan: Plan, value: Any, pointer: str, out: Walk | None) -> Shape:
        if not plan.conditional:
            return plan._shape or plan.static_shape()
        probe = {} if value is MISSING and plan.may_be_object else value  # rule 3
        if self.coverage is None:
            known = plan.decisions.root
            while known is not None:  # Decisions.find, inlined
                ask = known.ask
                if ask is None:
                    if known.picks and out is not None:
                        out.choices[pointer] = [(choice, list(satisfied)) for choice, satisfied in known.picks]
                    return known.shape
                known = known.next.get(ask(probe))
            trace: list | None = []
        else:
            trace = None  # `formwerk test` records the branches taken: decide every time
        picks: list = []
        chosen = self.decide(plan, probe, picks, trace)
        if picks and out is not None:
            out.choices[pointer] = picks
        shape = plan.shape_for(chosen)
        if trace is not None:
            plan.decisions.add(trace, shape, tuple((choice, tuple(satisfied)) for choice, satisfied in picks))
        return shape

    # -- rules 3 to 7 ------------------------------------------------------------

    def walk(self, answers: dict, prune: bool, evaluator: Any = None, copy_on_write: bool = False) -> Walk:
        """One walk (rules 3 to 7). ``copy_on_write``: ``answers`` is the
        caller's own shallow copy of the answers, and the walk copies the
        containers below it that get computed values (engine._walk_copy);
        it must not prune then."""
        result = Walk(self, answers, evaluator=evaluator, copy_on_write=copy_on_write)
        self._visit(answers, "", self.root_plan, result, prune, None)
        return result

    def _visit(self, value: Any, pointer: str, plan: Plan, out: Walk, prune: bool, above: tuple | None) -> str:
        """Visit one location; returns its kind (rule 5). ``above`` links the
        recursion keys of the object locations on the path here (rule 3).

        Hot: it runs once per object and list location of every check. Leaves
        declared together are recorded as one run (``Shape.segments``), a
        plan without conditions takes its one shape directly, a conditional
        one asks its decision trie (``_shape``)."""
        if value is MISSING and plan.recursion_key and _expanding(plan.recursion_key, above):
            # rule 3: an absent object whose schema is already being expanded above
            # (a recursive schema) is not expanded; it is a question of its own
            out.relevant.append(pointer)
            return LEAF
        evaluator = out.evaluator
        if plan.base_computations and evaluator is not None and type(value) is dict:
            for name, computation in plan.base_computations:
                self._compute(value, name, computation, pointer, out)
        if plan.conditional:
            shape = self._shape(plan, value, pointer, out)
        else:
            shape = plan._shape or plan.static_shape()
        kind = shape.kind
        if kind is OBJECT:
            obj = value if type(value) is dict else None
            if obj is not None and evaluator is not None:
                for name, computation in shape.own_computations:
                    self._compute(obj, name, computation, pointer, out)
            if shape.extras:
                out.sites.append((pointer, obj if obj is not None else {}, shape.extras))
            admitted = None
            if obj and not shape.declared.issuperset(obj):
                for key in [k for k in obj if k not in shape.declared]:
                    child_pointer = f"{pointer}/{escape_token(key)}"
                    extra = shape.admit(key)
                    if extra is not None:
                        (admitted := admitted or []).append((key, child_pointer, extra))
                    elif key in plan.anywhere or (plan.allows_extra and plan.could_admit(key)):
                        if prune:
                            del obj[key]
                        out.pruned.append(child_pointer)
                    else:
                        out.unknown.append(child_pointer)
            relevant = out.relevant
            link = (plan.recursion_key, above)
            segments = shape._segments
            if segments is None:
                segments = shape.segments()
            copying = out.copy_on_write
            for leaves, name, token, child, joined in segments:
                if leaves:
                    run = joined.get(pointer)
                    if run is None:
                        run = tuple([pointer + leaf for leaf in leaves])
                        if len(joined) < _JOINED_PER_RUN:
                            joined[pointer] = run
                    relevant += run
                    continue
                child_value = MISSING if obj is None else obj.get(name, MISSING)
                if copying and child.may_compute and ((t := type(child_value)) is dict or t is list):
                    child_value = obj[name] = child_value.copy()  # obj is a copy already (its plan may compute too)
                self._visit(child_value, pointer + token, child, out, prune, link)
            for key, child_pointer, child in admitted or ():
                if child.leaf:
                    relevant.append(child_pointer)
                    continue
                child_value = obj[key]
                if copying and child.may_compute and ((t := type(child_value)) is dict or t is list):
                    child_value = obj[key] = child_value.copy()
                self._visit(child_value, child_pointer, child, out, prune, link)
            return OBJECT
        out.relevant.append(pointer)
        if kind is ARRAY and value and type(value) is list:
            items, prefix_items = shape.items, shape.prefix_items
            if items is not None or prefix_items:
                link = (plan.recursion_key, above)
                copying = out.copy_on_write
                for i, element in enumerate(value):
                    element_plan = self.element_plan(shape, i) if prefix_items else items
                    if element_plan is None or element_plan.leaf:
                        # rule 6: elements are walked; a leaf element is not a question of its own
                        continue
                    if copying and element_plan.may_compute and ((t := type(element)) is dict or t is list):
                        element = value[i] = element.copy()  # the list is a copy already
                    if self._visit(element, f"{pointer}/{i}", element_plan, out, prune, link) == LEAF:
                        out.relevant.pop()
        return kind

    @staticmethod
    def _compute(obj: dict, name: str, computation, pointer: str, out: Walk) -> None:
        """Fill in a computed property; never keep a value the client sent."""
        evaluator = out.evaluator
        if evaluator.answered(computation.expression, obj):
            try:
                obj[name] = value = evaluator.evaluate(computation.expression, obj)
            except Exception as exc:  # EvaluationError; reported by the check
                out.compute_failures.append((f"{pointer}/{escape_token(name)}", str(exc)))
            else:
                out.computed[f"{pointer}/{escape_token(name)}"] = value
                return
        obj.pop(name, None)

    # -- locating ---------------------------------------------------------------

    def locate(self, answers: Any, pointer: str, memo: dict | None = None) -> "Plan | None":
        """The plan of the location at ``pointer`` under ``answers``, or None
        when the form does not reach it. ``memo`` keeps the shapes of the
        locations passed on the way, by pointer, for the same answers (the
        conditions of a parent are decided once for all its children)."""
        plan, value = self.root_plan, answers
        at = ""
        for raw in pointer.split("/")[1:] if pointer else ():
            token = raw.replace("~1", "/").replace("~0", "~")
            if memo is None:
                shape = self._shape(plan, value, "", None)
            else:
                shape = memo.get(at)
                if shape is None or shape[0] is not plan:
                    shape = memo[at] = (plan, self._shape(plan, value, "", None))
                shape = shape[1]
                at = f"{at}/{raw}"
            if shape.kind == OBJECT:
                child = shape.child(token)
                if child is None:
                    child = shape.admit(token)
                if child is None:
                    return None
                plan, value = child, value.get(token, MISSING) if type(value) is dict else MISSING
            elif shape.kind == ARRAY and token.isdigit() and (shape.items is not None or shape.prefix_items):
                plan = self.element_plan(shape, int(token))
                if plan is None:
                    return None
                value = value[int(token)] if type(value) is list and int(token) < len(value) else MISSING
            else:
                return None
        return plan


def branches(relevance: Relevance, nodes) -> list[tuple[tuple[int, str], str]]:
    """Every branch a form can take: ``((key, branch), schema pointer)``, where
    ``key`` matches what :attr:`Relevance.coverage` records."""
    found = []
    for n in nodes:
        for c in n.conditionals:
            if c.then is not None:
                found.append(((id(c), "then"), f"{n.pointer}/then"))
            if c.otherwise is not None:
                found.append(((id(c), "else"), f"{n.pointer}/else"))
        for key, _ in n.dependents:
            found.append(((id(n), f"dependentSchemas/{key}"), f"{n.pointer}/dependentSchemas/{escape_token(key)}"))
        for choice in n.choices:
            for m in choice.members:
                if m.node.raw is not True:
                    found.append(((id(choice), f"{choice.keyword}/{m.index}"), f"{choice.schema_path}/{m.index}"))
    return found


def _expanding(key: frozenset, above: tuple | None) -> bool:
    """Rule 3: is the same subschema already being expanded higher on this path?"""
    while above is not None:
        if key <= above[0]:
            return True
        above = above[1]
    return False


def settle(relevance: Relevance, answers: dict, evaluator_for=None, max_rounds: int = 1000) -> Walk:
    """Rule 7: prune until nothing more is removed; the last walk describes the
    settled answers. ``answers`` is modified in place (pass a copy).

    ``evaluator_for(answers)`` gives the evaluator that recomputes computed
    properties in each round (from the answers as they are at its start)."""
    pruned: list[str] = []
    for _ in range(max_rounds):
        evaluator = evaluator_for(answers) if evaluator_for is not None else None
        walk = relevance.walk(answers, prune=True, evaluator=evaluator)
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
