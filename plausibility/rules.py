"""Rules (``x-rules``), computed values (``x-compute``) and required documents
(``x-documents``), compiled once per form and evaluated per check.

A rule holds when its expression is true; when it is false it is a finding
with the rule's severity: ``error`` blocks sending (Fehler), ``warning`` must be
confirmed by the applicant and is shown to the caseworker (Hinweis), ``info``
is shown only. ``self`` is the object the rule sits on (inside an array item:
that item), ``root`` the whole application. A rule whose inputs are not
answered (or were pruned as not relevant) does not fire.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import re
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

import cel

from .errors import EvaluationError, ExpressionError
from .expressions import Expression, Keying, compile_expression, copy_containers, from_cel, to_cel
from .functions import NAMES, declared_part, functions
from .transpile import Answer, result

SEVERITIES = ("error", "warning", "info")
#: ``{self.rent}``, and ``{self.rent:money}`` / ``{self.rate:percent}`` for amounts and percentages
_PLACEHOLDER = re.compile(r"\{((?:self|root)(?:\.[A-Za-z_][A-Za-z0-9_]*)+)(?::(money|percent))?\}")
MISSING = object()


def compile_checked(source: str, where: str) -> Expression:
    try:
        return compile_expression(source, dict.fromkeys(NAMES))
    except ExpressionError as exc:
        raise ExpressionError(f"{where}: {exc}") from None


@dataclass(frozen=True)
class Rule:
    id: str
    expression: Expression
    severity: str
    messages: dict[str, str]
    fields: tuple[str, ...]  # pointers relative to the rule's object
    where: str  # schema location, for lint and error reports

    @classmethod
    def from_json(cls, raw: dict, where: str) -> "Rule":
        fields = tuple(raw.get("fields") or ())
        return cls(raw["id"], compile_checked(raw["rule"], f"{where} rule {raw['id']!r}"), raw["severity"],
                   dict(raw["message"]), fields, where)

    def message(self, lang: str, default_lang: str, values: "Evaluator", self_value: Any) -> str:
        template = self.messages.get(lang) or self.messages.get(default_lang) or next(iter(self.messages.values()))
        return _PLACEHOLDER.sub(lambda m: values.show(m[1].split("."), self_value, lang, m[2]), template)


@dataclass(frozen=True)
class Computation:
    name: str
    expression: Expression


@dataclass(frozen=True)
class DocumentRequirement:
    id: str
    titles: dict[str, str]
    descriptions: dict[str, str]
    when: Expression | None
    accept: tuple[str, ...]
    max_size: int

    @classmethod
    def from_json(cls, raw: dict, where: str) -> "DocumentRequirement":
        when = compile_checked(raw["when"], f"{where} document {raw['id']!r}") if raw.get("when") else None
        return cls(raw["id"], dict(raw["title"]), dict(raw.get("description") or {}), when,
                   tuple(raw.get("accept") or ("application/pdf", "image/jpeg", "image/png")),
                   int(raw.get("maxSize") or 10 * 1024 * 1024))

    def text(self, texts: dict[str, str], lang: str, default_lang: str) -> str | None:
        return texts.get(lang) or texts.get(default_lang) or (next(iter(texts.values())) if texts else None)


def resolve(path: list[str] | tuple[str, ...], self_value: Any, root: Any) -> Any:
    """The answer at ``self.a.b`` / ``root.a.b``, or MISSING."""
    value = self_value if path[0] == "self" else root
    for name in path[1:]:
        if not isinstance(value, dict) or name not in value:
            return MISSING
        value = value[name]
    return value


def _project(value: Any, paths: list[tuple[str, ...]]) -> Any:
    """Only the parts of ``value`` at these paths (what an expression reads)."""
    if not isinstance(value, dict):
        return value
    projected: dict = {}
    for path in paths:
        source, target = value, projected
        for i, name in enumerate(path):
            if not isinstance(source, dict) or name not in source:
                break
            if i == len(path) - 1:
                target[name] = source[name]
            else:
                source = source[name]
                target = target.setdefault(name, {})
                if not isinstance(target, dict):
                    break
    return projected


#: results kept per expression (the wizard re-checks mostly unchanged answers)
CACHE_SIZE = 2048
#: fewer for expressions that read a whole object: their keys hold the object
#: (a large application pickles to some 10 kB)
WHOLE_CACHE_SIZE = 256
_caching = True


def caching() -> bool:
    """False inside :func:`uncached` (callers keeping results of their own ask)."""
    return _caching


@contextmanager
def uncached():
    """Find nothing kept inside: every expression is evaluated afresh, with
    the same work around it as for answers never seen (benchmarks measure the
    cost of new answers): keys are built and results kept as on a miss, until
    the caches, missing every time, stop keying (``Keying``) as they do for a
    stream of new applications. What a place contributes is still found by
    its outcomes (``engine._findings``): those are evaluated afresh."""
    global _caching
    _caching = False
    try:
        yield
    finally:
        _caching = True
_BOOL, _DICT, _LIST, _OTHER, _PICKLED = "bool", "dict", "list", "other", "pickled"



def cache_key(value: Any) -> Any:
    """A hashable stand-in for a value as CEL sees it (see ``to_cel``).

    Objects and lists are pickled (in C, about twice as fast as walking them
    in Python): equal bytes mean equal values of equal types, and values CEL
    sees alike but pickled differently (500 and 500.0) only cost a miss.
    Scalars stand for themselves, every number as the double CEL sees;
    ``True`` and ``1`` are kept apart by a marker."""
    kind = type(value)
    if kind is str or value is None or value is MISSING:
        return value
    if kind is bool:
        return (_BOOL, value)
    if kind is int or kind is float or kind is Decimal:
        return float(value)
    if kind is dict or kind is list:
        try:
            return (_PICKLED, pickle.dumps(value, 5))
        except Exception:  # noqa: BLE001 - anything unpicklable is compared by its structure
            pass
        if kind is dict:
            return (_DICT, tuple([(k, cache_key(v)) for k, v in value.items()]))
        return (_LIST, tuple([cache_key(v) for v in value]))
    return (_OTHER, kind, repr(value))


def _key(parts: list, paths: tuple, self_value: Any, root: Any) -> tuple:
    """``parts`` and ``cache_key(resolve(path))`` of each of ``paths`` (given
    as ``(is self, names)``), as a tuple: resolve and cache_key inlined,
    since keys are built for every place and computed value on every check."""
    append = parts.append
    for own, names in paths:
        value = self_value if own else root
        for name in names:  # resolve()
            if (type(value) is dict or isinstance(value, dict)) and name in value:
                value = value[name]
            else:
                value = MISSING
                break
        kind = type(value)  # cache_key(), its common cases first
        if kind is str or kind is float or value is MISSING or value is None:
            append(value)
        elif kind is bool:
            append((_BOOL, value))
        elif kind is int or kind is Decimal:
            append(float(value))
        else:
            append(cache_key(value))
    return tuple(parts)


#: a kept result of plain objects, lists and immutable scalars (``_plain_copy``): copied by ``copy_containers``
_COPY = object()
_IMMUTABLE = frozenset((str, int, float, bool, type(None), Decimal))


class _NotPlain(Exception):
    pass


_NOT_PLAIN = _NotPlain()


def _plain_copy(value: Any) -> Any:
    """A copy of the containers of a value made only of objects and lists
    (exactly) with string keys, holding immutable scalars — a copy of the
    whole; ``_NotPlain`` for anything else. One pass: checking first and
    copying then walked the estimate twice."""
    if type(value) is dict:
        out = {}
        for k, v in value.items():
            t = type(v)
            if t is dict or t is list:
                v = _plain_copy(v)
            elif t not in _IMMUTABLE or type(k) is not str:
                raise _NOT_PLAIN
            out[k] = v
        return out
    out = []
    append = out.append
    for v in value:
        t = type(v)
        if t is dict or t is list:
            v = _plain_copy(v)
        elif t not in _IMMUTABLE:
            raise _NOT_PLAIN
        append(v)
    return out


def _stored(value: Any) -> tuple:
    """A result as the cache keeps it: containers as a copy of their own
    (plain ones, see ``_plain_copy``) or pickled, so each hit gets its own copy
    (a computed value becomes part of the answers, which callers may change)."""
    kind = type(value)
    if kind is dict or kind is list:
        try:
            return (True, _plain_copy(value), _COPY)
        except _NotPlain:
            pass
    if isinstance(value, (dict, list)):
        return (True, value, pickle.dumps(value, 5))
    return (True, value, None)


def cheap(expression: Expression) -> bool:
    """Runs as a Python closure (``transpile``) or as a direct call of a
    function on one answer, and does not read a whole object: evaluating it
    costs about what building its cache key would."""
    return not expression.whole and (expression.fast is not None or expression.direct is not None)


@lru_cache(maxsize=8)
def _functions(today: date) -> dict:
    return functions(today)


class Evaluator:
    """Evaluates expressions for one check.

    An expression's result depends only on the values it reads and on the
    reference date, so it is kept per expression under exactly those (as CEL
    sees them): an unchanged answer is not evaluated again, in this check or
    a later one. Otherwise a CEL context rebuilds its whole environment
    whenever a variable changes, so each evaluation gets a small fresh context
    holding only the functions the expression calls and only the answers it
    reads (the whole object only when the expression passes it on, e.g.
    ``buergergeld_schaetzung(self)``)."""

    def __init__(self, root: dict, today: date):
        self.root = root
        self.today = today
        self.functions = _functions(today)
        self._root = Answer(root)

    def value(self, expression: Expression, self_value: Any) -> Any:
        """The expression's value, like :meth:`evaluate`; a cheap expression
        (``cheap``) runs as its Python closure without a cache look-up (its
        key would cost more than running it), the rest as :meth:`evaluate`."""
        if cheap(expression):
            if expression.fast is not None:
                try:
                    return from_cel(result(expression.fast({"self": Answer(self_value), "root": self._root,
                                                            "$f": self.functions})))
                except Exception:  # noqa: BLE001 - Fallback, or anything unforeseen: CEL decides as before
                    pass
            elif expression.direct[0] in self.functions:
                return self._call(expression, self_value)
        return self.evaluate(expression, self_value)

    def answered(self, expression: Expression, self_value: Any, known: dict | None = None) -> bool:
        """Every input the expression reads is present (rules on unanswered
        or irrelevant inputs do not fire). ``known``: the key parts of paths
        already read (``ExpressionGroup.outcomes``); MISSING stands for itself."""
        if known:
            return all((known[path] if path in known else resolve(path, self_value, self.root)) is not MISSING
                       for path in expression.reads)
        return _present(expression.read_paths, self_value, self.root)

    def key(self, expression: Expression, self_value: Any, known: dict | None = None) -> tuple:
        """What the expression's result depends on: the reference date and
        the values it is given. ``known``: key parts already computed, by
        path (a whole variable by ``(variable,)``)."""
        if not known and not expression.whole:
            return _key([self.today], expression.key_paths, self_value, self.root)
        known = known or {}
        parts: list = [self.today]
        for variable, value in (("self", self_value), ("root", self.root)):
            if variable in expression.whole:
                part = known.get((variable,), MISSING)
                parts.append(cache_key(self._whole(expression, variable, value)) if part is MISSING else part)
            elif variable in expression.variables:
                parts.extend(known[path] if path in known else cache_key(resolve(path, self_value, self.root))
                             for path in expression.mentions if path[0] == variable)
        return tuple(parts)

    def evaluate(self, expression: Expression, self_value: Any, shared: "_SharedContext | None" = None,
                 known: dict | None = None) -> Any:
        keying = expression.keying
        missing = keying.misses  # (skip > 0 only after misses: one look-up for an expression that hits)
        if missing and keying.skip > 0:  # its cache keeps missing: no key to build, nothing to keep (``Keying``)
            keying.skip -= 1
            return self._evaluate(expression, self_value, shared)
        cache = expression.results if _caching else {}  # uncached: the same work, nothing found
        key = self.key(expression, self_value, known)
        found = cache.get(key)
        if found is None:
            keying.missed()
            try:
                value = self._evaluate(expression, self_value, shared)
                found = _stored(value)
            except EvaluationError as exc:
                found = (False, str(exc), None)
            if len(cache) >= (WHOLE_CACHE_SIZE if expression.whole else CACHE_SIZE):
                cache.clear()
            cache[key] = found
            if found[0]:
                return value  # the kept copy is the cache's own: this one is the caller's
        elif missing:
            keying.misses = 0
        if not found[0]:
            raise EvaluationError(found[1])
        kept = found[2]
        if kept is None:
            return found[1]
        return copy_containers(found[1]) if kept is _COPY else pickle.loads(kept)

    def _evaluate(self, expression: Expression, self_value: Any, shared: "_SharedContext | None" = None) -> Any:
        if expression.direct is not None and expression.direct[0] in self.functions:
            return self._call(expression, self_value)
        if expression.fast is not None:
            try:
                return from_cel(result(expression.fast({"self": Answer(self_value), "root": self._root,
                                                        "$f": self.functions})))
            except Exception:  # noqa: BLE001 - Fallback, or anything unforeseen
                pass  # CEL decides (and words any error) as before
        if shared is not None:
            return from_cel(expression.evaluate(shared.get(self, self_value)))
        context = self.context(expression.calls, expression.variables, expression.whole, expression.mentions, self_value)
        return from_cel(expression.evaluate(context))

    def context(self, calls, variables, whole, paths, self_value: Any) -> "cel.Context":
        """A CEL context with these functions, and ``self``/``root`` holding
        only the answers at these paths (the whole object where it is read whole)."""
        context = cel.Context()
        for name in calls:
            function = self.functions.get(name)
            if function is not None:
                context.add_function(name, function)
        for variable, value in (("self", self_value), ("root", self.root)):
            if variable in variables:
                bound = value if variable in whole else _project(value, [p[1:] for p in paths if p[0] == variable])
                context.add_variable(variable, to_cel(bound))
        return context

    def _call(self, expression: Expression, self_value: Any) -> Any:
        """``f(self)``: the same values CEL would pass, without marshalling the
        application into the interpreter and back."""
        name, variable, path = expression.direct
        value = resolve((variable, *path), self_value, self.root)
        if value is MISSING:
            raise EvaluationError(f"KeyError: no such key: {'.'.join((variable, *path))}")
        function = self.functions[name]
        kind = type(value)
        try:
            if kind is str or kind is bool or kind is float or value is None:
                found = function(value)  # what to_cel and declared_part give for these: the value itself
            else:
                answer = getattr(function, "answer", None)
                if answer is not None:  # from_cel(function(x)) at once (``functions.PLUGIN_GROUP``)
                    return answer(to_cel(declared_part(function, value)))
                found = function(to_cel(declared_part(function, value)))
            kind = type(found)
            if kind is bool or kind is str or kind is int or found is None:
                return found  # what from_cel gives for these (an age, a check's verdict)
            return from_cel(found)
        except (TypeError, ValueError, LookupError, ArithmeticError) as exc:
            raise EvaluationError(f"RuntimeError: Function '{name}' error: {type(exc).__name__}: {exc}") from None

    def _whole(self, expression: Expression, variable: str, value: Any) -> Any:
        """What of a whole variable the expression can see: for ``f(self)``
        with a function that declares what it reads, only that."""
        direct = expression.direct
        if direct is not None and direct[1] == variable and not direct[2]:
            function = self.functions.get(direct[0])
            if function is not None:
                return declared_part(function, value)
        return value

    def quick_outcome(self, expression: Expression, self_value: Any) -> tuple | None:
        """:meth:`outcome` of a cheap expression, without cache keys."""
        for path in expression.reads:
            if resolve(path, self_value, self.root) is MISSING:
                return None
        try:
            return (True, self.value(expression, self_value))
        except EvaluationError as exc:
            return (False, str(exc))

    def outcome(self, expression: Expression, self_value: Any, shared: "_SharedContext | None" = None,
                known: dict | None = None) -> tuple | None:
        """None when an input is unanswered; else ``(True, value)`` or
        ``(False, reason)`` when the evaluation failed. ``shared``: the
        context of the expression's place, built once for all of them."""
        if not self.answered(expression, self_value, known):
            return None
        try:
            return (True, self.evaluate(expression, self_value, shared, known))
        except EvaluationError as exc:
            return (False, str(exc))

    def digest(self, expression: Expression, self_value: Any) -> str:
        """A fingerprint of the values an expression reads (for confirmations)."""
        values = [_jsonable(resolve(path, self_value, self.root)) for path in expression.reads]
        blob = json.dumps(values, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]

    def show(self, path: list[str], self_value: Any, lang: str, style: str | None = None) -> str:
        value = resolve(path, self_value, self.root)
        if value is MISSING or value is None:
            return "–"
        if isinstance(value, bool):
            return ("ja" if value else "nein") if lang == "de" else ("yes" if value else "no")
        if isinstance(value, (int, float, Decimal)):
            return show_number(value, lang, style)
        return str(value)


def show_number(value, lang: str, style: str | None = None) -> str:
    """A number in a message as the language writes it (Babel): 3.800 and
    2,3 in German, 3,800 and 2.3 in English; ``money``: 950,00 € / €950.00;
    ``percent`` (of a value in percent): 2,3 % / 2.3%."""
    from decimal import localcontext

    from babel.numbers import format_currency, format_decimal, format_percent

    locale = "de_DE" if lang == "de" else "en_GB"
    number = Decimal(str(value))
    with localcontext() as context:  # 29 typed digits exceed the default 28 (Babel's quantize would fail)
        context.prec = max(context.prec, abs(number.adjusted()) + 12 if number.is_finite() else 0)
        if style == "money":
            return format_currency(number, "EUR", locale=locale)
        if style == "percent":
            return format_percent(number / 100, "#,##0.## %" if lang == "de" else "#,##0.##%", locale=locale)
        if isinstance(value, int) or number == number.to_integral_value():
            return format_decimal(number, "#,##0", locale=locale)
        return format_decimal(number, "#,##0.00", locale=locale)


class ExpressionGroup:
    """The expressions evaluated on one object (the rules and document
    conditions of one place), whose outcomes are kept together under the
    values all of them read: one look-up per place when nothing it reads has
    changed, instead of one per expression."""

    def __init__(self, expressions: tuple[Expression, ...]):
        self.expressions = tuple(expressions)
        self.whole = frozenset().union(*(e.whole for e in self.expressions))
        self.paths = tuple(dict.fromkeys(p for e in self.expressions for p in e.mentions if p[0] not in self.whole))
        self.results: dict = {}
        # a CEL context converts all its variables on each run, so an expression that
        # reads a whole object (the application) keeps a context of its own
        interpreted = [e for e in self.expressions if (e.direct is None or e.direct[0] not in NAMES) and not e.whole]
        self.sharing = frozenset(id(e) for e in interpreted)
        self.calls = frozenset().union(*(e.calls for e in interpreted))
        self.variables = frozenset().union(*(e.variables for e in interpreted))
        self.bind_whole = frozenset().union(*(e.whole for e in interpreted))
        self.bind_paths = tuple(dict.fromkeys(p for e in interpreted for p in e.mentions if p[0] not in self.bind_whole))
        #: one CEL context for the place pays off only with two or more expressions in the interpreter
        self.share = len(interpreted) > 1
        #: every expression runs as a Python closure or a direct call (see ``cheap``)
        self.cheap = all(cheap(e) for e in self.expressions)
        #: per expression: the single names it reads of ``self`` (checked at once against
        #: the object's keys), every path it reads, those below ``self`` or under
        #: ``root`` (as ``(is self, names)``), and its closure
        self._plan = tuple(
            (e, frozenset(p[1] for p in e.reads if p[0] == "self" and len(p) == 2),
             tuple((p[0] == "self", p[1:]) for p in e.reads),
             tuple((p[0] == "self", p[1:]) for p in e.reads if p[0] != "self" or len(p) != 2), e.fast)
            for e in self.expressions)
        #: what :meth:`key` reads, in order: whole variables by ``(variable,)``, then each path
        self._labels = (*((v,) for v in ("self", "root") if v in self.whole), *self.paths)
        self._key_paths = tuple((p[0] == "self", p[1:]) for p in self.paths)
        #: whether :attr:`results` still pays for the place's key
        self.keying = Keying()

    def key(self, evaluator: Evaluator, self_value: Any) -> tuple:
        """What the place's outcomes depend on: the reference date and
        ``cache_key`` of each value in ``_labels`` (resolve and cache_key
        inlined: a place's key is built on every check)."""
        root = evaluator.root
        parts = [evaluator.today]
        whole = self.whole
        if whole:
            if "self" in whole:
                parts.append(cache_key(self_value))
            if "root" in whole:
                parts.append(cache_key(root))
        return _key(parts, self._key_paths, self_value, root)

    def _quick(self, evaluator: Evaluator, self_value: Any) -> tuple:
        """``outcomes`` of a cheap place: :meth:`Evaluator.quick_outcome` of
        each expression, inlined (a place's rules run on every check)."""
        return self._cheap(evaluator, self_value)[0]

    def _cheap(self, evaluator: Evaluator, self_value: Any) -> tuple[tuple, bool]:
        """:meth:`_quick`, and whether every outcome is ``comparable``."""
        root = evaluator.root
        env = {"self": Answer(self_value), "root": evaluator._root, "$f": evaluator.functions}
        keys = self_value.keys() if type(self_value) is dict else None
        found = []
        append = found.append
        signed = True
        for expression, names, reads, below, fast in self._plan:
            # every input present (rules on unanswered inputs do not fire)
            if keys is not None:
                if (names and not keys >= names) or (below and not _present(below, self_value, root)):
                    append(None)
                    continue
            elif not _present(reads, self_value, root):
                append(None)
                continue
            if fast is not None:
                try:
                    value = fast(env)
                    if value is True:
                        append(_HOLDS)
                    elif value is False:
                        append(_FAILS)
                    else:
                        append((True, from_cel(result(value))))
                        signed = False
                    continue
                except EvaluationError as exc:
                    append((False, str(exc)))
                    continue
                except Exception:  # noqa: BLE001 - Fallback, or anything unforeseen: CEL decides as before
                    pass
            outcome = evaluator.quick_outcome(expression, self_value)
            append(outcome)
            if signed and not comparable((outcome,)):
                signed = False
        return tuple(found), signed

    def fresh(self, evaluator: Evaluator, self_value: Any) -> tuple[tuple, bool]:
        """``Evaluator.outcome`` of each expression, in order, without the
        place's key (:attr:`keying` is off), and whether all are ``comparable``."""
        if self.cheap:
            return self._cheap(evaluator, self_value)
        shared = _SharedContext(self) if self.share else None
        found = tuple(evaluator.outcome(e, self_value, shared if id(e) in self.sharing else None)
                      for e in self.expressions)
        return found, comparable(found)

    def outcomes(self, evaluator: Evaluator, self_value: Any, key: tuple | None = None) -> tuple:
        """``Evaluator.outcome`` of each expression, in order; a place whose
        expressions are all cheap runs them as closures when its values are
        new (``_quick``). ``key``: :meth:`key`, when the caller has it."""
        return self.looked_up(evaluator, self_value, self.key(evaluator, self_value) if key is None else key)[0]

    def looked_up(self, evaluator: Evaluator, self_value: Any, key: tuple) -> tuple[tuple, bool]:
        """:meth:`outcomes` under the place's key, and whether all are ``comparable``."""
        found = self.results.get(key) if _caching else None
        if found is None:
            self.keying.missed()
            if self.cheap:
                found = self._cheap(evaluator, self_value)
            else:
                known = dict(zip(self._labels, key[1:]))  # key parts by path, reused by each expression's own key
                shared = _SharedContext(self) if self.share else None
                outcomes = tuple(evaluator.outcome(e, self_value, shared if id(e) in self.sharing else None, known)
                                 for e in self.expressions)
                found = (outcomes, comparable(outcomes))
            if len(self.results) >= (WHOLE_CACHE_SIZE if self.whole else CACHE_SIZE):
                self.results.clear()
            self.results[key] = found
        elif self.keying.misses:
            self.keying.misses = 0
        return found


#: the outcomes of an expression found true and false (shared: outcomes are compared, never changed)
_HOLDS, _FAILS = (True, True), (True, False)


def comparable(outcomes: tuple) -> bool:
    """Every outcome is None (unanswered), true or false, or a failure with
    its reason: such outcomes are equal exactly when they mean the same (the
    kind of a result matters: ``(True, 1) == (True, True)`` in Python), so
    what a place contributes can be kept by them (``engine._findings``)."""
    for outcome in outcomes:
        if outcome is not None:
            value = outcome[1]
            if not (value is True or value is False if outcome[0] is True else type(value) is str):
                return False
    return True


def _present(paths: tuple, self_value: Any, root: Any) -> bool:
    """Every one of these paths (as ``(is self, names)``) is answered."""
    for own, names in paths:
        value = self_value if own else root
        for name in names:
            if (type(value) is dict or isinstance(value, dict)) and name in value:
                value = value[name]
            else:
                return False
    return True


class _SharedContext:
    """One CEL context for all expressions of a place, built on first use:
    the functions any of them calls, and ``self``/``root`` holding what any
    of them reads (whole when one of them passes it on). An expression that
    reads only paths cannot tell the extra keys apart (reading the object
    as a whole makes it a ``whole`` reader), so each sees what it would in a
    context of its own."""

    def __init__(self, group: ExpressionGroup):
        self.group = group
        self.context = None

    def get(self, evaluator: Evaluator, self_value: Any) -> "cel.Context":
        if self.context is None:
            group = self.group
            self.context = evaluator.context(group.calls, group.variables, group.bind_whole, group.bind_paths, self_value)
        return self.context


def _jsonable(value: Any) -> Any:
    if value is MISSING:
        return {"$missing": True}
    if isinstance(value, Decimal):
        return str(value.normalize())
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(Decimal(str(value)).normalize())
    # inside a list or an object too: 1000 as posted (Decimal) and as stored (1000.0) are one value
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(item) for item in value]
    return value


__all__ = ["Computation", "DocumentRequirement", "EvaluationError", "Evaluator", "ExpressionError", "ExpressionGroup",
           "Rule", "SEVERITIES", "compile_checked", "resolve", "uncached"]
