"""What a check returns: issues and the outcome object every client reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ._loading import to_jsonable

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Issue:
    """One finding, attributed to the most specific location (a JSON pointer)."""

    path: str
    code: str
    message: str
    severity: str = "error"
    rule: str | None = None
    params: dict = field(default_factory=dict, compare=False, hash=False)

    def to_json(self) -> dict:
        return {"path": self.path, "code": self.code, "message": self.message,
                "severity": self.severity, "rule": self.rule}


@dataclass(frozen=True)
class Outcome:
    """The result of checking answers against a compiled form.

    ``answers`` are the pruned answers; ``relevant`` the pointers of the
    questions that apply (document order); ``pruned`` the answers removed
    because they no longer apply."""

    valid: bool
    relevant: tuple[str, ...]
    pruned: tuple[str, ...]
    answers: dict
    errors: tuple[Issue, ...]
    warnings: tuple[Issue, ...] = ()
    computed: dict = field(default_factory=dict)

    def errors_at(self, pointer: str) -> list[Issue]:
        return [e for e in self.errors if e.path == pointer]

    def to_json(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "relevant": list(self.relevant),
            "pruned": list(self.pruned),
            "answers": to_jsonable(self.answers),
            "errors": [e.to_json() for e in self.errors],
            "warnings": [w.to_json() for w in self.warnings],
            "computed": to_jsonable(self.computed),
        }
