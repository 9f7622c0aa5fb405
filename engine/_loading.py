"""Reading form definitions and answers from disk.

A form is either a single JSON file or a folder holding ``form.json``; other
``*.json`` files in that folder are resources the form may ``$ref`` by their
relative file name, and ``cases/*.json`` are its example cases.

Numbers are read as :class:`decimal.Decimal` in answers so that an amount such
as 1820.37 keeps its decimal value (``multipleOf: 0.01`` holds exactly).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urljoin

from .errors import AnswersError, FormError

FORM_FILE = "form.json"
CASES_DIR = "cases"


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
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{what} cannot be read: {path}: {exc}") from None
    return parse_json(text, error, f"{what} {path}", **kwargs)


def parse_json(text: str, error: type[Exception], what: str, **kwargs) -> Any:
    try:
        return json.loads(text, **kwargs)
    except json.JSONDecodeError as exc:
        raise error(f"{what} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except RecursionError:
        raise error(f"{what} is nested too deeply") from None


def load_form_source(path: str | Path) -> FormSource:
    """Read a form file or form folder. Raises :class:`FormError`."""
    path = Path(path)
    folder = None
    if path.is_dir():
        folder = path
        path = path / FORM_FILE
    schema = _read_json(path, FormError, "form definition")
    if not isinstance(schema, dict):
        raise FormError(f"form definition {path} is not a JSON Schema object (its root must be an object)")
    files = {}
    if folder is not None:
        for other in sorted(folder.glob("*.json")):
            if other.name != FORM_FILE:
                files[other.name] = _read_json(other, FormError, "form resource")
    return FormSource(schema=schema, base_uri=path.resolve().as_uri(), files=files, folder=folder)


def parse_answers(text: str, what: str = "answers") -> dict:
    """Parse answers JSON text; numbers with a fraction become Decimal."""
    answers = parse_json(text, AnswersError, what, parse_float=Decimal)
    if not isinstance(answers, dict):
        raise AnswersError(f"{what} must be a JSON object, got {type(answers).__name__ if answers is not None else 'null'}")
    return answers


def load_answers(path: str | Path) -> dict:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AnswersError(f"answers file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise AnswersError(f"answers file cannot be read: {path}: {exc}") from None
    return parse_answers(text, f"answers file {path}")


def iter_cases(source: FormSource) -> Iterator[tuple[str, dict]]:
    """Yield ``(name, case)`` for each example case of a form folder."""
    cases_dir = source.cases_dir
    if cases_dir is None:
        return
    for path in sorted(cases_dir.glob("*.json")):
        case = _read_json(path, FormError, "example case", parse_float=Decimal)
        if not isinstance(case, dict) or not isinstance(case.get("answers"), dict):
            raise FormError(f"example case {path} must be an object with an 'answers' object")
        yield path.stem, case


def to_jsonable(value: Any) -> Any:
    """Turn Decimals back into JSON numbers (shortest repr that round-trips)."""
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        number = float(value)
        # beyond a double (1e999999): keep the exact text rather than print Infinity, which is not JSON
        return number if number not in (float("inf"), float("-inf")) and number == number else str(value)
    return value
