"""CEL expressions: checked for safety, compiled once, evaluated many times.

The ``common-expression-language`` package has no cost limit, and very deep
nesting can crash it outside normal exceptions, so every expression is
checked against caps *before* it is compiled: length, bracket nesting, and
nesting of comprehension macros (``all``, ``exists``, ``exists_one``, ``map``,
``filter``). Compile and evaluation errors become :class:`ExpressionError`
and :class:`EvaluationError`; never Python ``eval``.

Answers are bound with one number type: every JSON number is a CEL ``double``
(so ``self.rent * 1.2`` works whether the rent was written 500 or 500.0);
write number literals with a decimal point (``1.0``) in arithmetic. Dates are
ISO strings ("2026-11-24"), which compare correctly with ``<``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable

import cel

from .errors import EvaluationError, ExpressionError

MAX_LENGTH = 1000
MAX_NESTING = 24
MAX_COMPREHENSION_NESTING = 2
MACROS = ("all", "exists", "exists_one", "map", "filter")

_STRING = re.compile(r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*\"""")
_BOUND = re.compile(r"\.(?:%s)\s*\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*," % "|".join(MACROS))
_REFERENCE = re.compile(r"(?<![\w.])(self|root)((?:\.[A-Za-z_][A-Za-z0-9_]*)+)")


def _strip_strings(source: str) -> str:
    return _STRING.sub(lambda m: "''", source)


def check_caps(source: str) -> None:
    """Refuse what could hang or crash the evaluator, before compiling."""
    if not isinstance(source, str) or not source.strip():
        raise ExpressionError("the expression is empty")
    if len(source) > MAX_LENGTH:
        raise ExpressionError(f"the expression is {len(source)} characters long; at most {MAX_LENGTH} are allowed")
    code = _strip_strings(source)
    depth = deepest = 0
    macro_stack: list[bool] = []  # per open parenthesis: does it open a macro call?
    macro_depth = deepest_macro = 0
    i = 0
    while i < len(code):
        ch = code[i]
        if ch in "([{":
            depth += 1
            deepest = max(deepest, depth)
            is_macro = ch == "(" and _opens_macro(code, i)
            macro_stack.append(is_macro)
            if is_macro:
                macro_depth += 1
                deepest_macro = max(deepest_macro, macro_depth)
        elif ch in ")]}":
            depth -= 1
            if depth < 0:
                raise ExpressionError("the expression closes a bracket it never opened")
            if macro_stack and macro_stack.pop():
                macro_depth -= 1
        i += 1
    if deepest > MAX_NESTING:
        raise ExpressionError(f"the expression nests {deepest} levels deep; at most {MAX_NESTING} are allowed")
    if deepest_macro > MAX_COMPREHENSION_NESTING:
        raise ExpressionError(f"the expression nests {deepest_macro} comprehensions (all/exists/map/filter); "
                              f"at most {MAX_COMPREHENSION_NESTING} are allowed")


def _opens_macro(code: str, paren: int) -> bool:
    head = code[:paren].rstrip()
    return any(head.endswith("." + name) for name in MACROS)


_DIRECT_CALL = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\(\s*(self|root)((?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*\)\s*$")
_HAS = re.compile(r"\bhas\(\s*((?:self|root)(?:\.[A-Za-z_][A-Za-z0-9_]*)+)\s*\)")


def optional_references(source: str) -> tuple[tuple[str, ...], ...]:
    """Paths the expression tests with ``has(…)``: it handles their absence itself."""
    return tuple(dict.fromkeys(tuple(m[1].split(".")) for m in _HAS.finditer(_strip_strings(source))))


def references(source: str) -> tuple[tuple[str, ...], ...]:
    """The answer paths an expression reads: ``self.a.b`` -> ("self", "a", "b")."""
    found = []
    for match in _REFERENCE.finditer(_strip_strings(source)):
        path = (match[1], *match[2].split(".")[1:])
        # `self.items.all(…)` reads self.items; drop a trailing macro or method name
        while len(path) > 1 and path[-1] in (*MACROS, "size", "contains", "startsWith", "endsWith", "matches"):
            path = path[:-1]
        if path not in found:
            found.append(path)
    return tuple(found)


#: a cache that missed this many times in a row stops keying (``Keying``) ...
MISS_STREAK = 32
#: ... and then builds a key (to look up and to keep) on every PROBE-th evaluation only
PROBE = 16


class Keying:
    """Whether a cache (an expression's or a place's) still pays for its keys.

    A key costs about what evaluating a cheap place does, and far more for a
    value read whole (the estimate's seven sections are pickled, its result
    copied to be kept): a cache that keeps missing — a batch of different
    applications, ``uncached`` — only adds that cost. After ``MISS_STREAK``
    misses in a row its owner evaluates without a key; every ``PROBE``-th
    evaluation still builds one, looks it up and keeps the result, and the
    first hit switches keying on again. Any hit resets the streak, so the
    wizard's repeated checks (mostly hits) keep their caches. Results are the
    same either way: only what is kept differs. The counts are not locked:
    a lost update between threads only shifts when keying switches (owners
    test ``skip > 0``, so two threads taking the last skip leave keying on)."""

    __slots__ = ("misses", "skip")

    def __init__(self):
        #: misses in a row
        self.misses = 0
        #: evaluations left without a key before the next probe
        self.skip = 0

    def missed(self) -> None:
        self.misses += 1
        if self.misses >= MISS_STREAK:
            self.skip = PROBE - 1


@dataclass(frozen=True)
class Expression:
    """A compiled, safety-checked CEL expression."""

    source: str
    program: Any
    #: every answer path the expression mentions (lint checks they exist)
    mentions: tuple[tuple[str, ...], ...]
    #: the paths that must be answered for it to run: mentions not guarded by has()
    reads: tuple[tuple[str, ...], ...]
    #: the functions it calls (bound per evaluation, nothing else)
    calls: frozenset[str] = frozenset()
    #: variables it uses as a whole (``f(self)``), not only through paths
    whole: frozenset[str] = frozenset()
    #: the variables it uses at all
    variables: frozenset[str] = frozenset()
    #: ``(function, variable, path)`` when the whole expression is one call
    #: like ``f(self)`` or ``f(self.a.b)``: evaluated without the interpreter
    direct: tuple[str, str, tuple[str, ...]] | None = None
    #: results by what they depend on (``Evaluator.key``); filled as checks run
    results: dict = field(default_factory=dict, compare=False, hash=False, repr=False)
    #: whether ``results`` still pays for its keys (``rules.Keying``)
    keying: Keying = field(default_factory=Keying, compare=False, hash=False, repr=False)
    #: the expression as a Python closure with CEL's semantics (``transpile``),
    #: or None when it uses something the transpiler does not cover
    fast: Callable | None = field(default=None, compare=False, hash=False, repr=False)
    #: the paths its key reads when it reads no whole variable, in the key's
    #: order (``self`` then ``root``), as ``(is self, names below it)``
    key_paths: tuple = field(init=False, compare=False, hash=False, repr=False)
    #: ``reads`` as ``(is self, names below it)``
    read_paths: tuple = field(init=False, compare=False, hash=False, repr=False)

    def __post_init__(self):
        object.__setattr__(self, "key_paths", tuple(
            (variable == "self", p[1:]) for variable in ("self", "root") if variable in self.variables
            for p in self.mentions if p[0] == variable))
        object.__setattr__(self, "read_paths", tuple((p[0] == "self", p[1:]) for p in self.reads))

    def evaluate(self, context: "cel.Context") -> Any:
        try:
            return self.program.execute(context)
        except (TypeError, ValueError, LookupError, RuntimeError, ArithmeticError) as exc:
            raise EvaluationError(f"{type(exc).__name__}: {exc}") from None


def compile_expression(source: str, functions: dict[str, Callable] | None = None) -> Expression:
    """Check the caps, compile, and check that every function it calls exists."""
    check_caps(source)
    try:
        program = cel.compile(source)
    except ValueError as exc:
        raise ExpressionError(f"the expression does not compile: {str(exc).splitlines()[0][:300]}") from None
    except BaseException as exc:  # the parser can panic on pathological input
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        raise ExpressionError(f"the expression cannot be compiled: {type(exc).__name__}") from None
    if functions is not None:
        unknown = sorted(set(program.functions()) - set(functions) - BUILTIN_FUNCTIONS)
        if unknown:
            raise ExpressionError(f"the expression calls unknown function(s): {', '.join(unknown)}")
        bound = set(_BOUND.findall(_strip_strings(source)))
        variables = set(program.variables()) - {"self", "root"} - bound
        if variables:
            raise ExpressionError(f"the expression reads unknown variable(s): {', '.join(sorted(variables))} "
                                  "(use self.… for this object and root.… for the whole application)")
    mentions = references(source)
    optional = optional_references(source)
    reads = tuple(p for p in mentions if not any(p[:len(o)] == o for o in optional))
    code = _strip_strings(source)
    whole = frozenset(v for v in ("self", "root") if re.search(rf"(?<![\w.]){v}(?![\w.])", code))
    call = _DIRECT_CALL.match(source)
    direct = (call[1], call[2], tuple(call[3].split(".")[1:]) if call[3] else ()) if call else None
    fast = None
    if functions is not None:
        from .transpile import Unsupported, transpile

        try:
            fast = transpile(source, frozenset(functions))
        except (Unsupported, RecursionError):
            fast = None
    return Expression(source, program, mentions, reads, frozenset(program.functions()),
                      whole, frozenset(program.variables()) & {"self", "root"}, direct, fast=fast)


# CEL's standard functions and operators, as the library names them.
BUILTIN_FUNCTIONS = frozenset({
    "_&&_", "_||_", "!_", "-_", "_+_", "_-_", "_*_", "_/_", "_%_", "_==_", "_!=_", "_<_", "_<=_",
    "_>_", "_>=_", "_?_:_", "_[_]", "@in", "@not_strictly_false", "size", "has", "int", "uint",
    "double", "string", "bytes", "bool", "type", "dyn", "duration", "timestamp", "matches",
    "contains", "startsWith", "endsWith", "all", "exists", "exists_one", "map", "filter", "max",
    "min", "getFullYear", "getMonth", "getDate", "getDayOfMonth", "getDayOfWeek", "getDayOfYear",
    "getHours", "getMinutes", "getSeconds", "getMilliseconds", "trim", "lowerAscii", "upperAscii",
})


def to_cel(value: Any) -> Any:
    """Bind an answer for CEL: every number becomes a double (see module doc)."""
    kind = type(value)
    if kind is dict:  # the common types inline: this runs over whole applications
        return {k: v if (t := type(v)) is str or t is bool or t is float or v is None else
                float(v) if t is int or t is Decimal else to_cel(v) for k, v in value.items()}
    if kind is list:
        return [v if (t := type(v)) is str or t is bool or t is float or v is None else
                float(v) if t is int or t is Decimal else to_cel(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float, Decimal)):
        return float(value)
    if isinstance(value, dict):
        return {k: to_cel(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_cel(v) for v in value]
    return value


def _exact(value: float) -> Decimal:
    if value != value or value in (_INF, -_INF):
        raise EvaluationError("the expression produced a number that is not finite")
    exact = Decimal(repr(value))
    if value and type(value) is float:  # not 0.0 or -0.0: equal as keys, not as Decimals
        if len(_EXACT) >= 4096:
            _EXACT.clear()
        _EXACT[value] = exact
    return exact


_INF = float("inf")
#: the Decimals of doubles seen before (Decimal(repr(x)) costs some 0.75 µs; an
#: estimate has a few dozen amounts, mostly the same rates and limits); only
#: doubles are looked up, and Decimals are immutable, so they are shared
_EXACT: dict[float, Decimal] = {}


def from_cel(value: Any) -> Any:
    """A CEL result as an answer value: doubles become exact Decimals, whole
    doubles stay numbers that JSON prints without a fraction when integral."""
    kind = type(value)
    if kind is dict:  # the common types inline (an estimate has some 150 values)
        return {str(k): v if (t := type(v)) is str or t is bool or t is int or v is None else
                (_EXACT.get(v) or _exact(v)) if t is float else from_cel(v) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [v if (t := type(v)) is str or t is bool or t is int or v is None else
                (_EXACT.get(v) or _exact(v)) if t is float else from_cel(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, (str, int)):
        return value
    if kind is float:
        return _EXACT.get(value) or _exact(value)
    if isinstance(value, float):
        return _exact(value)
    if isinstance(value, dict):
        return {str(k): from_cel(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [from_cel(v) for v in value]
    return value


def copy_containers(value: Any) -> Any:
    """A copy of every dict and list (exactly those types) of a JSON value;
    scalars are shared (they are immutable). Faster than ``copy.deepcopy``
    and than unpickling, which also rebuilds every Decimal."""
    if type(value) is dict:
        return {k: copy_containers(v) if (t := type(v)) is dict or t is list else v for k, v in value.items()}
    if type(value) is list:
        return [copy_containers(v) if (t := type(v)) is dict or t is list else v for v in value]
    return value
