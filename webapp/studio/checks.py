"""Compile and lint a form's JSON text as the author wrote it, with every
finding placed at its line and column (for links into the editor)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from engine import FormSource, compile_form
from engine._loading import _form_number, parse_json
from engine.errors import FormError
from engine.lint import lint_source

from ..catalog import stored_base_uri
from .positions import Positions


@dataclass(frozen=True)
class Finding:
    severity: str  # error | warning
    code: str
    message: str
    pointer: str
    line: int
    col: int


@dataclass
class Checked:
    schema: dict | None
    findings: list[Finding] = field(default_factory=list)
    form: object | None = None  # the CompiledForm when it compiles without lint errors

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity != "error"]


def check_text(slug: str, text: str, files: dict | None = None) -> Checked:
    """Parse, lint and compile ``text``; never raises for a bad form."""
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return Checked(None, [Finding("error", "json-syntax", exc.msg, "", exc.lineno, exc.colno)])
    except (ValueError, RecursionError):
        pass  # parse_json below names the problem
    try:
        schema = parse_json(text, FormError, "the form", parse_float=_form_number)
    except FormError as exc:
        return Checked(None, [Finding("error", "json", str(exc), "", 1, 1)])
    if not isinstance(schema, dict):
        return Checked(None, [Finding("error", "root-not-object", "the form's root must be a JSON object", "", 1, 1)])
    source = FormSource(schema=schema, base_uri=stored_base_uri(slug), files=files or {})
    positions = Positions(text)
    try:
        raw = lint_source(source)
    except RecursionError:
        return Checked(schema, [Finding("error", "too-deep", "the form is nested too deeply", "", 1, 1)])
    except Exception as exc:  # lint must never take the studio down; say what it found
        return Checked(schema, [Finding("error", "lint-failed", f"{type(exc).__name__}: {exc}", "", 1, 1)])
    findings = []
    for f in raw:
        pointer = f.path if f.path.startswith("/") or not f.path else ""
        line, col = positions.line_col(pointer)
        findings.append(Finding(f.severity, f.code, f.message, f.path, line, col))
    checked = Checked(schema, findings)
    if not checked.errors:
        try:
            checked.form = compile_form(source)
        except (FormError, RecursionError) as exc:
            checked.findings.append(Finding("error", "does-not-compile", str(exc), "", 1, 1))
    return checked
