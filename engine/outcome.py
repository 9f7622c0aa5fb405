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
    #: every pointer a rule's finding is shown at (``path`` is the first)
    fields: tuple[str, ...] = ()
    #: for a warning: the token an applicant's confirmation must carry
    confirmation: str | None = None
    confirmed: bool = False

    def to_json(self) -> dict:
        data = {"path": self.path, "code": self.code, "message": self.message,
                "severity": self.severity, "rule": self.rule}
        if self.fields:
            data["fields"] = list(self.fields)
        if self.confirmation is not None:
            data["confirmation"] = self.confirmation
            data["confirmed"] = self.confirmed
        return data


@dataclass(frozen=True)
class RequiredDocument:
    """A document the answers call for, at the object location that asks for it."""

    id: str
    path: str
    title: str
    description: str | None
    accept: tuple[str, ...]
    max_size: int

    @property
    def key(self) -> str:
        return f"{self.id}@{self.path}"

    def to_json(self) -> dict:
        return {"id": self.id, "path": self.path, "title": self.title, "description": self.description,
                "accept": list(self.accept), "maxSize": self.max_size}


@dataclass(frozen=True)
class Outcome:
    """The result of checking answers against a compiled form.

    ``answers`` are the pruned answers; ``relevant`` the pointers of the
    questions that apply (document order); ``pruned`` the answers removed
    because they no longer apply.

    ``answers`` is read-only: a check never changes the answers it is given,
    and to stay cheap it hands back the very objects of them that pruning and
    computed values left as they were (copy on write: only the containers
    that changed, and those on the way to them, are new). Changing
    ``outcome.answers`` in place can therefore change the caller's answers;
    copy it first (``copy.deepcopy``) to edit it."""

    valid: bool
    relevant: tuple[str, ...]
    pruned: tuple[str, ...]
    answers: dict
    errors: tuple[Issue, ...]
    warnings: tuple[Issue, ...] = ()
    computed: dict = field(default_factory=dict)
    documents: tuple[RequiredDocument, ...] = ()

    @property
    def unconfirmed(self) -> tuple[Issue, ...]:
        """Warnings the applicant has not confirmed yet."""
        return tuple(w for w in self.warnings if w.severity == "warning" and not w.confirmed)

    @property
    def can_submit(self) -> bool:
        """No error, and every warning confirmed."""
        return self.valid and not self.unconfirmed

    def errors_at(self, pointer: str) -> list[Issue]:
        return [e for e in self.errors if e.path == pointer]

    def to_json(self, exact: bool = False) -> dict[str, Any]:
        """The contract's JSON object. ``exact`` keeps the answers' decimals as
        :class:`~decimal.Decimal` for :func:`engine._loading.dump_json`
        (the CLI writes them back exactly); otherwise they become floats."""
        return self.json_with(to_jsonable(self.answers, exact), to_jsonable(self.computed, exact))

    def json_with(self, answers: Any, computed: Any, relevant: Any = None, documents: Any = None) -> dict[str, Any]:
        """:meth:`to_json` with the given values in place of the answers and
        the computed values (and, when given, of the relevant questions and
        the documents): the CLI's writer hands in the outcome's own, or text it
        has already written (``engine/_output.py``); every other key as
        ``to_json`` has it, in the same order."""
        return {
            "valid": self.valid,
            "relevant": list(self.relevant) if relevant is None else relevant,
            "pruned": list(self.pruned),
            "answers": answers,
            "errors": [e.to_json() for e in self.errors],
            "warnings": [w.to_json() for w in self.warnings],
            "computed": computed,
            "documents": [d.to_json() for d in self.documents] if documents is None else documents,
            "unconfirmed": [w.confirmation for w in self.unconfirmed],
        }
