"""Reading form definitions and answers from disk.

A form is either a single JSON file or a folder holding ``form.json``; other
``*.json`` files in that folder are resources the form may ``$ref`` by their
relative file name, and ``cases/*.json`` are its example cases.

Numbers are read as :class:`decimal.Decimal` in answers so that an amount such
as 1820.37 keeps its decimal value (``multipleOf: 0.01`` holds exactly). The
form's own numbers are read as :class:`JsonFloat`, a float that remembers the
text it was written as: the definition stays plain JSON for every client that
stores or serializes it, and compiling reads each number as the exact decimal
it was written as (:func:`exact_numbers`), so ``{"const": 2.5e22}`` accepts
``2.5e22`` and a ``minimum`` with 17 significant digits compares exactly.

``NaN``, ``Infinity``, numbers beyond a double's range, integers of more than
4,300 digits, lone surrogates and answers nested more deeply than
:data:`MAX_DEPTH` are unreadable input (:class:`AnswersError`), never echoed.
"""

from __future__ import annotations

import json
import re
import secrets
import sys
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urljoin

from .errors import AnswersError, FormError

FORM_FILE = "form.json"
CASES_DIR = "cases"
#: Deepest nesting of answers (objects and arrays) that is read.
MAX_DEPTH = 200
#: The meta-schema URI a form resource may name (or none at all).
DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"


class JsonFloat(float):
    """A number of a form definition: a float that keeps its exact text."""

    def __new__(cls, text):
        number = super().__new__(cls, text)
        number.text = text if isinstance(text, str) else repr(float(text))
        return number


class RootNotObject(FormError):
    """The form definition's root is not a JSON object."""


def exact_numbers(doc: Any) -> Any:
    """A copy of a document with every non-integer number as the exact Decimal
    it was written as (integers stay integers)."""
    if isinstance(doc, dict):
        return {k: exact_numbers(v) for k, v in doc.items()}
    if isinstance(doc, list):
        return [exact_numbers(v) for v in doc]
    if isinstance(doc, JsonFloat):
        return Decimal(doc.text)
    if isinstance(doc, float):
        return Decimal(repr(doc))
    return doc


def _reject_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


_NUMBER_LIMIT = Decimal("1.7976931348623157e308")
_SMALLEST = Decimal("2.2250738585072014e-308")


def _answer_number(text: str) -> Decimal:
    if len(text) < 300 and "e" not in text and "E" not in text:
        # the usual number (json's scanner hands over only JSON numbers): fewer than 300
        # digits and no exponent is within a double's range, and not below its smallest
        # normal magnitude unless it is 0 (called for every number with a fraction)
        return Decimal(text)
    # copy_abs and comparisons are exact and never trap (abs() rounds in the
    # current context: 1e999999999 raised decimal.Overflow, 1e-999999999 became 0)
    try:
        number = Decimal(text)
    except InvalidOperation:  # an exponent beyond what Decimal can hold at all
        raise ValueError(_outside(text)) from None
    magnitude = number.copy_abs()
    if magnitude > _NUMBER_LIMIT or (magnitude and magnitude < _SMALLEST):
        raise ValueError(_outside(text))
    return number


def _outside(text: str) -> str:
    return f"the number {text[:40]} is outside the range of numbers formwerk can write back"


def _form_number(text: str) -> JsonFloat:
    number = JsonFloat(text)
    if number in (float("inf"), float("-inf")):
        raise ValueError(f"the number {text[:40]} is outside the range of numbers formwerk can read")
    return number


@dataclass(frozen=True)
class FormSource:
    """A form definition as read from disk (or storage), before compiling.

    ``files`` are the other JSON documents of a form folder by file name; they
    are registered relative to the form's ``$id`` (or its own URI)."""

    schema: dict
    base_uri: str
    files: dict[str, Any] = field(default_factory=dict)
    folder: Path | None = None

    @property
    def root_uri(self) -> str:
        return self.schema["$id"] if isinstance(self.schema.get("$id"), str) else self.base_uri

    @property
    def resources(self) -> dict[str, Any]:
        """uri -> document for every other file of the form."""
        return {urljoin(self.root_uri, name): doc for name, doc in self.files.items()}

    @property
    def cases_dir(self) -> Path | None:
        if self.folder is None:
            return None
        cases = self.folder / CASES_DIR
        return cases if cases.is_dir() else None


def _read_json(path: Path, error: type[Exception], what: str, **kwargs) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{what} not found: {path}") from None
    except IsADirectoryError:
        raise error(f"{what} is a folder, expected a JSON file: {path}") from None
    except UnicodeDecodeError as exc:
        raise error(f"{what} {path} is not valid UTF-8 (byte {exc.start})") from None
    except OSError as exc:
        raise error(f"{what} cannot be read: {path}: {exc.strerror or exc}") from None
    return parse_json(text, error, f"{what} {path}", **kwargs)


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def parse_json(text: str, error: type[Exception], what: str, decoder: json.JSONDecoder | None = None,
               **kwargs) -> Any:
    """Strict JSON (RFC 8259): no NaN/Infinity, no lone surrogates, integers
    of at most 4,300 digits. Every failure is ``error`` with one line.
    ``decoder``: a prebuilt ``json.JSONDecoder`` (with ``parse_constant``
    rejecting constants) instead of building one from ``kwargs`` per call, as
    ``json.loads`` does, for the answers of every ``--batch`` line."""
    kwargs.setdefault("parse_constant", _reject_constant)
    try:
        if decoder is not None and type(text) is str and not text.startswith("\ufeff"):
            value = decoder.decode(text)  # what json.loads does with a str, minus building the decoder
        else:
            value = json.loads(text, **kwargs)
    except json.JSONDecodeError as exc:
        raise error(f"{what} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except RecursionError:
        raise error(f"{what} is nested too deeply") from None
    except (ValueError, ArithmeticError) as exc:  # NaN, Infinity, 1e400, an integer of 5000 digits
        if "integer string conversion" in str(exc):
            limit = sys.get_int_max_str_digits()
            raise error(f"{what} cannot be read: it has an integer of more than {limit} digits") from None
        raise error(f"{what} cannot be read: {_one_line(exc)}") from None
    if _SURROGATE_ESCAPE.search(text) and _has_lone_surrogate(value):
        raise error(f"{what} contains a lone surrogate (\\ud800-\\udfff), which is not a character")
    return value


def _one_line(exc: BaseException) -> str:
    text = str(exc).split("; use sys.")[0].split(": Consider")[0]  # drop Python's hint about sys.set_int_max_str_digits
    return " ".join(text.split())


def _has_lone_surrogate(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            stack.extend(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def depth_exceeds(value: Any, limit: int) -> bool:
    """Is ``value`` nested (objects and arrays) more than ``limit`` levels deep?

    Walked level by level, containers only (the answers of a large form have
    thousands of values and a few levels)."""
    if limit < 1:
        return True
    level = [value] if type(value) is dict or type(value) is list else []
    for _ in range(limit):  # level: the containers ``depth`` levels deep, 1 .. limit
        if not level:
            return False
        level = [item for container in level
                 for item in (container.values() if type(container) is dict else container)
                 if type(item) is dict or type(item) is list]
    return bool(level)


def _max_brackets(text: str) -> int:
    """An upper bound of the nesting depth of a JSON text (counts brackets,
    strings included), to skip the exact depth check for ordinary answers."""
    return text.count("{") + text.count("[")


def load_form_source(path: str | Path) -> FormSource:
    """Read a form file or form folder. Raises :class:`FormError`."""
    path = Path(path)
    folder = None
    if path.is_dir():
        folder = path
        path = path / FORM_FILE
    schema = _read_json(path, FormError, "form definition", parse_float=_form_number)
    if not isinstance(schema, dict):
        raise RootNotObject(f"form definition {path}: its root must be a JSON object (a schema with "
                            f"properties), found {_json_type(schema)}")
    files = {}
    if folder is not None:
        for other in _resource_files(folder):
            try:
                files[other.relative_to(folder).as_posix()] = _read_json(other, FormError, "form resource",
                                                                        parse_float=_form_number)
            except FormError:
                continue  # an unreadable file beside the form is not part of it; a $ref to it says so
    return FormSource(schema=schema, base_uri=path.resolve().as_uri(), files=files, folder=folder)


#: At most this many JSON files of a form folder are read as its resources.
MAX_RESOURCE_FILES = 500


def _resource_files(folder: Path) -> list[Path]:
    """The JSON documents a form in ``folder`` may ``$ref``: every ``*.json``
    below the folder (``parts/adresse.json`` is referenced by that relative
    path), except the form itself, its example cases (``cases/``) and hidden
    folders; bounded by :data:`MAX_RESOURCE_FILES`."""
    found = []
    for other in sorted(folder.rglob("*.json")):
        parts = other.relative_to(folder).parts
        if parts == (FORM_FILE,) or parts[0] == "cases" or any(p.startswith(".") for p in parts):
            continue
        if len(found) == MAX_RESOURCE_FILES:
            raise FormError(f"form folder {folder} holds more than {MAX_RESOURCE_FILES} JSON files")
        found.append(other)
    return found


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float, Decimal)):
        return "a number"
    return {str: "a string", list: "an array", dict: "an object"}.get(type(value), type(value).__name__)


def parse_answers(text: str | bytes, what: str = "answers") -> dict:
    """Parse answers JSON text (or UTF-8 bytes); numbers with a fraction become
    Decimal. Raises :class:`AnswersError` with a one-line reason."""
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise AnswersError(f"{what} is not valid UTF-8 (byte {exc.start})") from None
    answers = parse_json(text, AnswersError, what, decoder=_ANSWERS_DECODER, parse_float=_answer_number)
    if not isinstance(answers, dict):
        raise AnswersError(f"{what} must be a JSON object, got {_json_type(answers)}")
    if _max_brackets(text) > MAX_DEPTH and depth_exceeds(answers, MAX_DEPTH):
        raise AnswersError(f"{what} is nested too deeply (more than {MAX_DEPTH} levels)")
    return answers


_ANSWERS_DECODER = json.JSONDecoder(parse_float=_answer_number, parse_constant=_reject_constant)


def load_answers(path: str | Path) -> dict:
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise AnswersError(f"answers file not found: {path}") from None
    except IsADirectoryError:
        raise AnswersError(f"answers file is a folder, expected a JSON file: {path}") from None
    except OSError as exc:
        raise AnswersError(f"answers file cannot be read: {path}: {exc.strerror}") from None
    return parse_answers(data, f"answers file {path}")


def iter_cases(source: FormSource) -> Iterator[tuple[str, dict | FormError]]:
    """Yield ``(name, case)`` for each example case of a form folder; a case
    file that cannot be read yields its :class:`FormError` instead, so that
    the other cases still run."""
    cases_dir = source.cases_dir
    if cases_dir is None:
        return
    for path in sorted(cases_dir.glob("*.json")):
        try:
            case = _read_json(path, FormError, "example case", parse_float=_answer_number)
            if not isinstance(case, dict) or not isinstance(case.get("answers"), dict):
                raise FormError(f"example case {path} must be an object with an 'answers' object")
            if depth_exceeds(case["answers"], MAX_DEPTH):
                raise FormError(f"example case {path}: its answers are nested too deeply (more than {MAX_DEPTH} levels)")
        except FormError as exc:
            yield path.stem, exc
            continue
        yield path.stem, case


def to_jsonable(value: Any, exact: bool = False) -> Any:
    """Turn Decimals back into JSON numbers: floats (shortest repr that
    round-trips), or kept as Decimal with ``exact`` for :func:`dump_json`.
    A float that is not finite (a computation that overflowed) becomes null."""
    if isinstance(value, dict):
        return {k: to_jsonable(v, exact) for k, v in value.items()}
    if isinstance(value, list):
        return [to_jsonable(v, exact) for v in value]
    if isinstance(value, Decimal):
        if exact and value.is_finite():
            return value
        number = float(value)
        # beyond a double (never read as an answer): keep the exact text rather than print Infinity
        return number if number not in (float("inf"), float("-inf")) and number == number else str(value)
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return None
    return value


def dump_json(value: Any) -> str:
    """JSON text (RFC 8259, json's default separators ``", "`` and ``": "``) of a
    jsonable value whose Decimals are written exactly as the decimals they are
    (``2.5E+22``, ``0.10000000000000001``), for messages and lint; the CLI's
    output is compact JSON (``engine/_output.py``).

    Written by the standard library's ``json.dumps(value, ensure_ascii=False)``;
    each finite Decimal is marked as a string and its ``str`` put back after (a
    Decimal's text is a JSON number: 2.5E+22, -0.5, 1E-7). A number that is not
    finite (float or Decimal) raises ValueError or TypeError, any other value that
    is not JSON (bytes, sets, objects) TypeError; :func:`to_jsonable` turns the
    former into what JSON can hold."""
    numbers: list[str] = []

    def mark(o: Any) -> str:
        if isinstance(o, Decimal) and o.is_finite():
            numbers.append(str(o))
            return f"{_MARK}{len(numbers) - 1}"
        raise TypeError(f"{type(o).__name__} is not JSON")

    text = json.dumps(value, ensure_ascii=False, allow_nan=False, default=mark)
    if numbers:
        text = _MARKED.sub(lambda m: numbers[int(m.group(1))], text)
    return _escape_line_breaks(text)


#: the start of a marked Decimal: NUL (written \u0000) and a token no answer can know
_MARK = "\x00" + secrets.token_hex(8) + "-"
_MARKED = re.compile('"' + re.escape(json.dumps(_MARK)[1:-1]) + r'(\d+)"')


#: characters that JSON leaves raw inside strings but that many readers take as the end
#: of a line (Python's str.splitlines, JavaScript before ES2019): escaped, so a result
#: is one line whatever the answers contain (``--batch`` prints one result a line)
_LINE_BREAKS = {"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"}


def _escape_line_breaks(text: str) -> str:
    for char, escape in _LINE_BREAKS.items():
        if char in text:
            text = text.replace(char, escape)
    return text
