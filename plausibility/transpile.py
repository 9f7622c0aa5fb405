"""CEL expressions of the common shapes as Python closures, with CEL's semantics.

Running a compiled CEL program costs little; handing it the answers costs a
lot: the library converts every bound variable on each run (some 20 µs for a
place's values, far more for a whole application). Most rules are simple —
paths compared with literals or with each other, ``!``, ``&&``, ``||``, the
ternary, ``has()``, ``size()``, ``in`` a list of literals, arithmetic, calls of
the form's functions, ``exists``/``all``/``map``/``filter`` over a list — so
:func:`transpile` turns such an expression, once when the form is compiled,
into a closure that reads the answers where they are.

The closure never *decides* anything CEL would decide differently: it returns a
value only where it knows CEL's value (measured against the library in
``tests/unit/test_transpile.py``, also with hypothesis over random values and
random expressions), and raises :class:`Fallback` everywhere else — a type
CEL would reject (``1.0 + 1``), a missing key, an index out of range, integer
overflow, a division by zero, a failing function, a type it does not know.
The caller then evaluates the expression with the CEL library as before, so
errors and their messages stay exactly CEL's. An expression outside the
supported grammar is not transpiled at all (:class:`Unsupported`).

Values follow ``expressions.to_cel``: every JSON number of the answers is a
CEL ``double``; literals keep their type (``15`` is an int, ``15.0`` a double).
The semantics of the library (``common-expression-language`` 0.10) that this
relies on, each checked by the tests:

- ``==``/``!=`` compare numbers across int and double by value, are false
  between other different types (``'a' == 1``, ``true == 1``, ``null == 'a'``);
- ``<`` etc. compare int and double by value, strings by code point, bools;
  anything else is an error;
- arithmetic needs operands of one type (``1.0 + 1`` is an error); int
  division truncates, int overflow is an error;
- ``&&``/``||`` absorb an error or a non-bool on one side when the other side
  decides (``false && x``, ``x || true``); ``!`` and ``?:`` need a bool;
- ``size`` of a string counts UTF-8 bytes;
- ``matches`` is an unanchored search with Rust's regex (``$`` is the very end).
"""

from __future__ import annotations

import operator
import re
from decimal import Decimal
from typing import Any, Callable

from .expressions import to_cel
from .functions import declared_part


class Unsupported(Exception):
    """The expression uses something the transpiler does not cover: CEL only."""


class Fallback(Exception):
    """At run time: the closure cannot vouch for CEL's result; ask CEL."""


_FALLBACK = Fallback()
_ABSENT = object()
INT_MIN, INT_MAX = -(2 ** 63), 2 ** 63 - 1
#: int and double compared or equated only where every int is exact as a double
_EXACT = 2 ** 53


def _fallback() -> Any:
    raise _FALLBACK


class Answer:
    """A container of the answers as CEL would see it after ``to_cel``,
    without converting it: numbers inside are read as doubles when reached."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


def norm(value: Any) -> Any:
    """An answer value as CEL sees it (``to_cel``), containers wrapped."""
    kind = type(value)
    if kind is str or kind is float or kind is bool or value is None:
        return value
    if kind is int or kind is Decimal:
        return float(value)
    if kind is dict or kind is list:
        return Answer(value)
    raise _FALLBACK


def to_native(value: Any) -> Any:
    """A value as the CEL library hands it to a function or returns it."""
    kind = type(value)
    if kind is Answer:
        return to_cel(value.value)
    if kind is list:
        return [to_native(v) for v in value]
    if kind is dict:
        return {k: to_native(v) for k, v in value.items()}
    return value


def _native_result(value: Any) -> Any:
    """A function's result as the interpreter would go on with it: the value
    itself, once every part of it is of a kind the interpreter has (checked,
    not copied: nothing changes a closure's values, and ``result`` hands them
    to ``from_cel``, which copies)."""
    kind = type(value)
    if kind is bool or kind is str or kind is float or value is None:
        return value
    if kind is int:
        if INT_MIN <= value <= INT_MAX:
            return value
        raise _FALLBACK
    if kind is list:
        for item in value:
            kind = type(item)
            if not (kind is str or kind is float or kind is bool or item is None):
                _native_result(item)
        return value
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str:
                raise _FALLBACK
            kind = type(item)
            if not (kind is str or kind is float or kind is bool or item is None):
                _native_result(item)
        return value
    raise _FALLBACK


def _has_answers(value: Any) -> bool:
    """Whether a list or map holds an ``Answer`` anywhere (``to_native`` has
    something to convert)."""
    for item in (value.values() if type(value) is dict else value):
        kind = type(item)
        if kind is Answer or ((kind is list or kind is dict) and _has_answers(item)):
            return True
    return False


# -- tokens ------------------------------------------------------------------------

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<double>(?:[0-9]+\.[0-9]+(?:[eE][+-]?[0-9]+)?|[0-9]+[eE][+-]?[0-9]+|\.[0-9]+(?:[eE][+-]?[0-9]+)?))
  | (?P<int>[0-9]+)(?![0-9A-Za-z_.])
  | (?P<string>'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>&&|\|\||==|!=|<=|>=|[-+*/%!<>?:.,()\[\]{}])
""", re.VERBOSE)
_ESCAPES = {"\\": "\\", "'": "'", '"': '"', "n": "\n", "t": "\t", "r": "\r", "`": "`", "?": "?"}
RESERVED = {"as", "break", "const", "continue", "else", "for", "function", "if", "import", "let", "loop",
            "package", "namespace", "return", "var", "void", "while", "in"}


def _tokens(source: str) -> list[tuple[str, Any]]:
    found, at = [], 0
    while at < len(source):
        match = _TOKEN.match(source, at)
        if match is None:
            raise Unsupported(f"cannot read {source[at:at + 10]!r}")
        at = match.end()
        kind = match.lastgroup
        text = match[kind]
        if kind == "space":
            continue
        if kind == "int":
            value = int(text)
            if value > INT_MAX:
                raise Unsupported("integer literal out of range")
            found.append(("lit", value))
        elif kind == "double":
            found.append(("lit", float(text)))
        elif kind == "string":
            found.append(("lit", _unquote(text[1:-1])))
        elif kind == "ident":
            if text in ("true", "false"):
                found.append(("lit", text == "true"))
            elif text == "null":
                found.append(("lit", None))
            elif text == "in":
                found.append(("op", "in"))
            elif text in RESERVED:
                raise Unsupported(f"reserved word {text}")
            else:
                found.append(("ident", text))
        else:
            found.append(("op", text))
    found.append(("end", None))
    return found


def _unquote(body: str) -> str:
    out, i = [], 0
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            nxt = body[i + 1]
            if nxt not in _ESCAPES:
                raise Unsupported("escape sequence")
            out.append(_ESCAPES[nxt])
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


# -- parsing into a small tree ---------------------------------------------------------
# nodes: ("lit", v) ("var", name) ("sel", obj, field) ("index", obj, key) ("call", name, target|None, args)
# ("has", sel-node) ("list", items) ("map0",) ("not", x) ("neg", x) ("bin", op, a, b) ("and", a, b)
# ("or", a, b) ("cond", c, a, b) ("macro", name, target, var, body)

MACROS = ("all", "exists", "map", "filter")


class _Parser:
    def __init__(self, source: str):
        self.tokens = _tokens(source)
        self.at = 0

    def peek(self, value=None) -> bool:
        kind, text = self.tokens[self.at]
        return kind == "op" and text == value

    def take(self, value: str) -> None:
        if not self.peek(value):
            raise Unsupported(f"expected {value}")
        self.at += 1

    def parse(self):
        node = self.expr()
        if self.tokens[self.at][0] != "end":
            raise Unsupported("trailing input")
        return node

    def expr(self):
        cond = self.binary(0)
        if self.peek("?"):
            self.at += 1
            yes = self.binary(0)
            self.take(":")
            return ("cond", cond, yes, self.expr())
        return cond

    LEVELS = (("||",), ("&&",), ("==", "!=", "<", "<=", ">", ">=", "in"), ("+", "-"), ("*", "/", "%"))

    def binary(self, level: int):
        if level == len(self.LEVELS):
            return self.unary()
        node = self.binary(level + 1)
        while True:
            kind, text = self.tokens[self.at]
            if kind != "op" or text not in self.LEVELS[level]:
                return node
            self.at += 1
            right = self.binary(level + 1)
            if text == "&&":
                node = ("and", node, right)
            elif text == "||":
                node = ("or", node, right)
            else:
                node = ("bin", text, node, right)

    def unary(self):
        if self.peek("!"):
            self.at += 1
            return ("not", self.unary())
        if self.peek("-"):
            self.at += 1
            kind, value = self.tokens[self.at]
            if kind == "lit" and type(value) in (int, float) and not self._continues(self.at + 1):
                self.at += 1
                if type(value) is int and value > INT_MAX:
                    raise Unsupported("integer literal out of range")
                return ("lit", -value)
            return ("neg", self.unary())
        return self.member()

    def _continues(self, at: int) -> bool:
        kind, text = self.tokens[at]
        return kind == "op" and text in (".", "[")

    def member(self):
        node = self.primary()
        while True:
            if self.peek("."):
                self.at += 1
                kind, name = self.tokens[self.at]
                if kind != "ident":
                    raise Unsupported("member name")
                self.at += 1
                if self.peek("("):
                    self.at += 1
                    if name in MACROS or name == "exists_one":
                        node = self.macro(name, node)
                    else:
                        node = ("call", name, node, self.args(")"))
                else:
                    node = ("sel", node, name)
            elif self.peek("["):
                self.at += 1
                key = self.expr()
                self.take("]")
                node = ("index", node, key)
            else:
                return node

    def macro(self, name: str, target):
        if name not in MACROS:
            raise Unsupported(f"macro {name}")
        kind, var = self.tokens[self.at]
        if kind != "ident":
            raise Unsupported("macro variable")
        self.at += 1
        self.take(",")
        body = self.expr()
        self.take(")")
        return ("macro", name, target, var, body)

    def args(self, close: str) -> list:
        items = []
        if self.peek(close):
            self.at += 1
            return items
        while True:
            items.append(self.expr())
            if self.peek(","):
                self.at += 1
                continue
            self.take(close)
            return items

    def primary(self):
        kind, value = self.tokens[self.at]
        if kind == "lit":
            self.at += 1
            return ("lit", value)
        if kind == "ident":
            self.at += 1
            if self.peek("("):
                self.at += 1
                if value == "has":
                    arg = self.expr()
                    self.take(")")
                    if arg[0] != "sel":
                        raise Unsupported("has() needs a field selection")
                    return ("has", arg)
                return ("call", value, None, self.args(")"))
            return ("var", value)
        if kind == "op" and value == "(":
            self.at += 1
            node = self.expr()
            self.take(")")
            return node
        if kind == "op" and value == "[":
            self.at += 1
            return ("list", self.args("]"))
        if kind == "op" and value == "{":
            self.at += 1
            self.take("}")
            return ("map0",)
        raise Unsupported(f"unexpected {value!r}")


# -- semantics ---------------------------------------------------------------------------

_NUMBERS = (int, float)


def _numeric_pair(a, b) -> bool:
    ta, tb = type(a), type(b)
    if ta not in _NUMBERS or tb not in _NUMBERS:
        return False
    if ta is not tb and ((ta is int and abs(a) > _EXACT) or (tb is int and abs(b) > _EXACT)):
        raise _FALLBACK
    return True


def equal(a, b) -> bool:
    ta, tb = type(a), type(b)
    if ta is tb and (ta is str or ta is bool or ta is float or ta is int or a is None):
        return a == b
    if _numeric_pair(a, b):
        return a == b
    containers = (ta is Answer or ta is list or ta is dict) + (tb is Answer or tb is list or tb is dict)
    if containers == 2:
        raise _FALLBACK  # CEL's deep equality of lists and maps is not reproduced
    return False  # different types (a container and a scalar included): CEL says false


def _ordered(a, b) -> None:
    ta, tb = type(a), type(b)
    if (ta is tb and ta in (str, bool)) or _numeric_pair(a, b):
        return
    raise _FALLBACK


def _int(value: int) -> int:
    if INT_MIN <= value <= INT_MAX:
        return value
    raise _FALLBACK


def _add(a, b):
    ta, tb = type(a), type(b)
    if ta is not tb:
        raise _FALLBACK
    if ta is float or ta is str:
        return a + b
    if ta is int:
        return _int(a + b)
    raise _FALLBACK


def _sub(a, b):
    ta = type(a)
    if ta is not type(b):
        raise _FALLBACK
    if ta is float:
        return a - b
    if ta is int:
        return _int(a - b)
    raise _FALLBACK


def _mul(a, b):
    ta = type(a)
    if ta is not type(b):
        raise _FALLBACK
    if ta is float:
        return a * b
    if ta is int:
        return _int(a * b)
    raise _FALLBACK


def _div(a, b):
    ta = type(a)
    if ta is not type(b) or not b:
        raise _FALLBACK  # a mix, or division by zero (an error for ints, inf or NaN for doubles)
    if ta is float:
        return a / b
    if ta is int:
        q = abs(a) // abs(b)
        return _int(q if (a < 0) == (b < 0) else -q)
    raise _FALLBACK


def _mod(a, b):
    if type(a) is not int or type(b) is not int or not b:
        raise _FALLBACK
    r = abs(a) % abs(b)
    return -r if a < 0 else r


def _lt(a, b):
    kind = type(a)
    if kind is type(b) and (kind is float or kind is str):  # what _ordered() admits at once
        return a < b
    _ordered(a, b)
    return a < b


def _le(a, b):
    kind = type(a)
    if kind is type(b) and (kind is float or kind is str):  # what _ordered() admits at once
        return a <= b
    _ordered(a, b)
    return a <= b


def _gt(a, b):
    kind = type(a)
    if kind is type(b) and (kind is float or kind is str):  # what _ordered() admits at once
        return a > b
    _ordered(a, b)
    return a > b


def _ge(a, b):
    kind = type(a)
    if kind is type(b) and (kind is float or kind is str):  # what _ordered() admits at once
        return a >= b
    _ordered(a, b)
    return a >= b


def _ne(a, b):
    return not equal(a, b)


def _in(a, container):
    kind = type(container)
    if kind is list:
        return any(equal(a, item) for item in container)
    if kind is Answer and type(container.value) is list:
        return any(equal(a, norm(item)) for item in container.value)
    if type(a) is str and (kind is dict or (kind is Answer and type(container.value) is dict)):
        return a in (container if kind is dict else container.value)
    raise _FALLBACK


_BINARY = {"+": _add, "-": _sub, "*": _mul, "/": _div, "%": _mod, "==": equal, "!=": _ne, "<": _lt,
           "<=": _le, ">": _gt, ">=": _ge, "in": _in}


def _select(obj, name: str):
    kind = type(obj)
    if kind is Answer:
        raw = obj.value
        if type(raw) is dict and name in raw:
            return norm(raw[name])
        raise _FALLBACK
    if kind is dict and name in obj:
        return obj[name]
    raise _FALLBACK


def _has(obj, name: str) -> bool:
    kind = type(obj)
    if kind is Answer and type(obj.value) is dict:
        return name in obj.value
    if kind is dict:
        return name in obj
    raise _FALLBACK


def _index(obj, key):
    kind = type(obj)
    raw = obj.value if kind is Answer else obj
    if type(raw) is list:
        if type(key) is not int or not 0 <= key < len(raw):
            raise _FALLBACK
        return norm(raw[key]) if kind is Answer else raw[key]
    if type(raw) is dict:
        if type(key) is not str or key not in raw:
            raise _FALLBACK
        return norm(raw[key]) if kind is Answer else raw[key]
    raise _FALLBACK


def _size(value) -> int:
    kind = type(value)
    if kind is str:
        return len(value.encode("utf-8"))
    if kind is list or kind is dict:
        return len(value)
    if kind is Answer:
        return len(value.value)
    raise _FALLBACK


def _double(value) -> float:
    kind = type(value)
    if kind is float:
        return value
    if kind is int:
        return float(value)
    raise _FALLBACK


def _to_int(value) -> int:
    kind = type(value)
    if kind is int:
        return value
    if kind is float and -(2.0 ** 62) < value < 2.0 ** 62:
        return int(value)
    raise _FALLBACK


def _elements(value) -> list:
    kind = type(value)
    if kind is list:
        return value
    if kind is Answer and type(value.value) is list:
        return [norm(v) for v in value.value]
    raise _FALLBACK


def _string_method(name: str):
    def method(target, argument):
        if type(target) is not str or type(argument) is not str:
            raise _FALLBACK
        if name == "contains":
            return argument in target
        if name == "startsWith":
            return target.startswith(argument)
        return target.endswith(argument)
    return method


_SAFE_PATTERN = re.compile(r"^(?:[A-Za-z0-9 _,:;'\"@#&=<>/-]|\[\^?(?:[A-Za-z0-9 _.,:;@#&=/]|\\[.\-/])*?"
                           r"(?:[A-Za-z0-9]-[A-Za-z0-9](?:[A-Za-z0-9 _.,:;@#&=/]|\\[.\-/])*)*\]|"
                           r"\\[.\-/+*?()\[\]{}^$|\\]|[\^$.?*+]|\{[0-9]+(?:,[0-9]*)?\}|\(\?:|[()|])*$")


def _regex(pattern: str) -> re.Pattern:
    """A pattern whose meaning is the same in Rust's regex and Python's re
    (ASCII literals and classes, quantifiers, groups, anchors), with ``$``
    meaning the very end as in Rust; anything else is not transpiled."""
    if not _SAFE_PATTERN.match(pattern):
        raise Unsupported(f"pattern {pattern!r}")
    out, in_class, i = [], False, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if ch == "[":
            in_class = True
        elif ch == "]":
            in_class = False
        elif ch == "$" and not in_class:
            ch = r"\Z"
        out.append(ch)
        i += 1
    try:
        return re.compile("".join(out))
    except re.error as exc:
        raise Unsupported(f"pattern {pattern!r}: {exc}") from None


# -- closures ------------------------------------------------------------------------------
# Each compiled node is ``fn(env) -> value`` where ``env`` maps variable names to
# values (``self``/``root`` wrapped as Answer) and ``env["$f"]`` is the function table.


def _compile(node, functions: frozenset[str], bound: frozenset[str]) -> Callable:
    kind = node[0]
    if kind == "lit":
        value = node[1]
        return lambda env: value
    if kind == "var":
        name = node[1]
        if name not in bound and name not in ("self", "root"):
            raise Unsupported(f"variable {name}")
        return lambda env: env[name]
    if kind == "sel":
        path = _path(node)
        if path is not None and path[0] in ("self", "root") and path[0] not in bound:
            return _path_reader(path)
        target = _compile(node[1], functions, bound)
        name = node[2]
        return lambda env: _select(target(env), name)
    if kind == "has":
        target = _compile(node[1][1], functions, bound)
        name = node[1][2]
        return lambda env: _has(target(env), name)
    if kind == "index":
        target, key = _compile(node[1], functions, bound), _compile(node[2], functions, bound)
        return lambda env: _index(target(env), key(env))
    if kind == "list":
        items = [_compile(n, functions, bound) for n in node[1]]
        return lambda env: [item(env) for item in items]
    if kind == "map0":
        return lambda env: {}
    if kind == "not":
        inner = _compile(node[1], functions, bound)

        def negate(env):
            value = inner(env)
            if type(value) is not bool:
                raise _FALLBACK
            return not value
        return negate
    if kind == "neg":
        inner = _compile(node[1], functions, bound)

        def minus(env):
            value = inner(env)
            kind_ = type(value)
            if kind_ is float:
                return -value
            if kind_ is int:
                return _int(-value)
            raise _FALLBACK
        return minus
    if kind == "and":
        left, right = _compile(node[1], functions, bound), _compile(node[2], functions, bound)

        def both(env):
            a = left(env)
            if a is False:
                return False
            if a is not True:
                raise _FALLBACK  # CEL may still decide it by the right side: let it
            b = right(env)
            if type(b) is not bool:
                raise _FALLBACK
            return b
        return both
    if kind == "or":
        left, right = _compile(node[1], functions, bound), _compile(node[2], functions, bound)

        def either(env):
            a = left(env)
            if a is True:
                return True
            if a is not False:
                raise _FALLBACK
            b = right(env)
            if type(b) is not bool:
                raise _FALLBACK
            return b
        return either
    if kind == "cond":
        test, yes, no = (_compile(n, functions, bound) for n in node[1:])

        def choose(env):
            c = test(env)
            if c is True:
                return yes(env)
            if c is False:
                return no(env)
            raise _FALLBACK
        return choose
    if kind == "bin":
        op = _BINARY[node[1]]
        left, right = _compile(node[2], functions, bound), _compile(node[3], functions, bound)
        if node[1] in _COMPARE and node[3][0] == "lit":
            return _compare_literal(node[1], left, node[3][1])
        return lambda env: op(left(env), right(env))
    if kind == "macro":
        return _macro(node, functions, bound)
    if kind == "call":
        return _call(node, functions, bound)
    raise Unsupported(kind)


_COMPARE = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt,
            ">=": operator.ge}


def _compare_literal(op: str, left: Callable, literal: Any) -> Callable:
    """``x <op> literal``: where ``x`` is of the kind the general operator
    would compare directly (a string with a string; a double with a double or
    an int exact as a double), Python's operator, else the general one
    (``_BINARY``): the same value either way, with less work for the common case."""
    general = _BINARY[op]
    kind = type(literal)
    if kind is str:
        same = str
    elif kind is float or (kind is int and abs(literal) <= _EXACT):
        same = float
    else:
        return lambda env: general(left(env), literal)
    compare = _COMPARE[op]

    def compare_literal(env):
        value = left(env)
        if type(value) is same:
            return compare(value, literal)
        return general(value, literal)
    return compare_literal


def _path(node) -> tuple[str, ...] | None:
    names = []
    while node[0] == "sel":
        names.append(node[2])
        node = node[1]
    if node[0] != "var":
        return None
    return (node[1], *reversed(names))


def _path_reader(path: tuple[str, ...]) -> Callable:
    variable, names = path[0], path[1:]
    if len(names) == 1:
        name = names[0]

        def read1(env):
            raw = env[variable].value
            if type(raw) is dict:
                value = raw.get(name, _ABSENT)
                if value is not _ABSENT:  # norm(), its common cases inlined
                    kind = type(value)
                    if kind is str or kind is float or kind is bool or value is None:
                        return value
                    return norm(value)
            raise _FALLBACK
        return read1

    def read(env):
        raw = env[variable].value
        for name in names:
            if type(raw) is not dict or name not in raw:
                raise _FALLBACK
            raw = raw[name]
        return norm(raw)
    return read


def _macro(node, functions, bound) -> Callable:
    _, name, target_node, var, body_node = node
    target = _compile(target_node, functions, bound)
    body = _compile(body_node, functions, bound | {var})

    def run(env):
        items = _elements(target(env))
        scope = dict(env)
        if name == "map":
            out = []
            for item in items:
                scope[var] = item
                out.append(body(scope))
            return out
        if name == "filter":
            out = []
            for item in items:
                scope[var] = item
                keep = body(scope)
                if type(keep) is not bool:
                    raise _FALLBACK
                if keep:
                    out.append(item)
            return out
        decided = name == "exists"  # exists: the first true decides; all: the first false
        for item in items:
            scope[var] = item
            result = body(scope)
            if type(result) is not bool:
                raise _FALLBACK
            if result is decided:
                return decided
        return not decided
    return run


def _call(node, functions, bound) -> Callable:
    _, name, target_node, arg_nodes = node
    args = [_compile(n, functions, bound) for n in arg_nodes]
    target = _compile(target_node, functions, bound) if target_node is not None else None
    if name == "size" and len(args) + (target is not None) == 1:
        inner = target or args[0]
        return lambda env: _size(inner(env))
    if target is None and len(args) == 1 and name in ("double", "int"):
        convert = _double if name == "double" else _to_int
        inner = args[0]
        return lambda env: convert(inner(env))
    if name == "matches" and len(args) + (target is not None) == 2:
        subject, pattern_node = (target, arg_nodes[0]) if target is not None else (args[0], arg_nodes[1])
        if pattern_node[0] != "lit" or type(pattern_node[1]) is not str:
            raise Unsupported("matches() with a computed pattern")
        search = _regex(pattern_node[1]).search

        def matches(env):
            text = subject(env)
            if type(text) is not str:
                raise _FALLBACK
            return search(text) is not None
        return matches
    if name in ("contains", "startsWith", "endsWith") and target is not None and len(args) == 1:
        method, arg = _string_method(name), args[0]
        return lambda env: method(target(env), arg(env))
    if target is not None or name not in functions:
        raise Unsupported(f"function {name}")
    if not args:
        return lambda env: _invoke(env["$f"], name, ())
    if len(args) == 1:
        only = args[0]

        def call1(env):  # _invoke() of one argument, inlined (most calls have one)
            value = only(env)
            function = env["$f"].get(name)
            if function is None:
                raise _FALLBACK
            kind = type(value)
            if kind is Answer:
                value = to_cel(declared_part(function, value.value))
            elif kind is list or kind is dict:
                value = to_native(value)
            try:
                found = function(value)
            except Exception:
                raise _FALLBACK from None  # CEL reports the failure in its own words
            kind = type(found)
            if kind is bool or kind is str or kind is float or found is None:
                return found
            return _verified(found)
        return call1
    return lambda env: _invoke(env["$f"], name, [a(env) for a in args])


def _invoke(table: dict, name: str, args) -> Any:
    function = table.get(name)
    if function is None:
        raise _FALLBACK
    values = [a if type(a) not in (Answer, list, dict) else
              to_cel(declared_part(function, a.value)) if type(a) is Answer else to_native(a) for a in args] \
        if args else args
    try:
        found = function(*values)
    except Exception:
        raise _FALLBACK from None  # CEL reports the failure in its own words
    kind = type(found)
    if kind is bool or kind is str or kind is float or found is None:
        return found
    return _verified(found)


#: the last function result :func:`_verified` found native: it holds no ``Answer``
#: (a function is handed converted values and never sees one), so :func:`result`
#: need not look inside it again (an estimate has some 100 values)
_NATIVE: Any = None


def _verified(found: Any) -> Any:
    """:func:`_native_result` of a function's result, remembered for :func:`result`."""
    global _NATIVE
    _NATIVE = _native_result(found)
    return found


def transpile(source: str, functions: frozenset[str]) -> Callable[[dict], Any]:
    """A closure ``fn(env)`` for the expression, or :class:`Unsupported`.
    ``functions``: the names of the form's functions (resolved per call
    through ``env["$f"]``, so the reference date stays per check)."""
    return _compile(_Parser(source).parse(), frozenset(functions), frozenset())


def result(value: Any) -> Any:
    """The closure's value as the library would return it to Python (for
    ``from_cel``, which copies it: a list or map without answers in it is
    handed on as it is, not copied twice)."""
    kind = type(value)
    if kind is Answer:
        return to_native(value)
    if kind is list or kind is dict:
        if value is _NATIVE:
            return value
        return to_native(value) if _has_answers(value) else value
    return value


__all__ = ["Answer", "Fallback", "Unsupported", "norm", "result", "transpile"]
