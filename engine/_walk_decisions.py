"""Rule 2 remembered per plan: the conditions' answers lead to the shape.

``Relevance.decide`` interprets a conditional location: it keeps sets and
lists of the nodes seen, expands each selected branch's static closure and
queues the nodes with conditions of their own. All of that depends only on
the answers its tests give, asked in a fixed order: given the same answers
to the first *k* questions, the next question (or the end) is the same. So a
plan keeps a small trie (:class:`Decisions`): each step holds the question
to ask next and the step for each answer seen so far; a leaf holds the
:class:`~engine._relevance.Shape` those answers select and the ``oneOf``/
``anyOf`` picks to record. A visit then costs one test and one dictionary
look-up per question, and nothing else; an answer sequence not seen before
falls back to ``decide`` (the reference), whose trace is added.

A question is one of:

- an ``if`` (its predicate; the answer is what the predicate returns),
- the ``dependentSchemas`` of one node (which of its keys the object has;
  ``None`` when the value is not an object),
- a ``oneOf``/``anyOf`` (the indexes of the satisfied members).

Nothing here changes what is decided; ``tests/unit/test_walk.py`` compares
it with ``decide`` and with rule 2 written directly on many answers.
"""

from __future__ import annotations

from typing import Any, Callable

#: at most this many leaves per plan; beyond it, new answer sequences are decided without being kept
MAX_LEAVES = 512


class Step:
    """One node of the trie: a question and where each answer leads, or (a
    leaf, ``ask is None``) the shape and picks of the answers on the way."""

    __slots__ = ("ask", "next", "shape", "picks")

    def __init__(self, ask: Callable[[Any], Any] | None):
        self.ask = ask
        self.next: dict = {}
        self.shape = None
        #: ((choice, satisfied indexes), ...) to record at the location, or ()
        self.picks: tuple = ()


class Decisions:
    """The trie of one conditional plan (see the module's docstring)."""

    __slots__ = ("root", "leaves")

    def __init__(self):
        self.root: Step | None = None
        self.leaves = 0

    def find(self, value: Any) -> Step | None:
        """The leaf for ``value``, or None when its answers were not seen yet."""
        step = self.root
        while step is not None:
            ask = step.ask
            if ask is None:
                return step
            step = step.next.get(ask(value))
        return None

    def add(self, trace: list, shape, picks: tuple) -> None:
        """Keep the answers ``trace`` (``[(ask, answer), ...]`` in the order
        ``decide`` asked them) leading to ``shape``. The new branch is built
        first and linked last, so a reader in another thread sees either
        nothing or a whole branch."""
        if self.leaves >= MAX_LEAVES:
            return
        leaf = Step(None)
        leaf.shape, leaf.picks = shape, picks
        if self.root is None:
            if not trace:
                self.root = leaf
            else:
                self.root = _chain(trace, leaf)
            self.leaves += 1
            return
        step = self.root
        for i, (ask, answer) in enumerate(trace):
            if step.ask is not ask:  # cannot happen while decide is deterministic; keep nothing then
                return
            following = step.next.get(answer)
            if following is None:
                rest = trace[i + 1:]
                step.next[answer] = _chain(rest, leaf) if rest else leaf
                self.leaves += 1
                return
            step = following
        # the whole trace was known already (another thread added it)


def _chain(trace: list, leaf: Step) -> Step:
    """Steps asking the questions of ``trace`` in order, ending at ``leaf``."""
    following = leaf
    for ask, answer in reversed(trace):
        step = Step(ask)
        step.next[answer] = following
        following = step
    return following


def dependents_question(keys: tuple[str, ...]) -> Callable[[Any], Any]:
    """Which of ``keys`` (a node's dependentSchemas) an object has."""

    def ask(value: Any) -> tuple[bool, ...] | None:
        if type(value) is not dict:
            return None
        return tuple([key in value for key in keys])

    return ask


def choice_question(choice) -> Callable[[Any], tuple[int, ...]]:
    """The indexes of the satisfied members of a oneOf/anyOf (as ``Choice.select``)."""
    members = choice.members

    def ask(value: Any) -> tuple[int, ...]:
        return tuple([m.index for m in members if m.matches(value)])

    return ask
