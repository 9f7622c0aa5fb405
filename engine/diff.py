"""Compare two versions of a form in words, and report what moving answers
from the old version to the new one would cost.

:func:`diff` lists sections, questions, conditions (when a question is asked,
from :mod:`engine.explain`), rules, documents, computed values and texts
(labels, hints, options, in every language of either version) that were added,
removed or changed. :func:`migration_report` runs the engine's own pruning on
answers kept under the old version and says which answers each would lose
under the new one. ``formwerk diff OLD NEW`` prints the first.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable

from ._loading import to_jsonable
from .explain import EACH, Explanation, _Words, explain
from .form import CompiledForm, escape_token

WORDS = {
    "de": {
        ("section", "added"): "Neuer Abschnitt „{label}“ ({where})",
        ("section", "removed"): "Abschnitt „{label}“ ({where}) entfernt",
        ("question", "added"): "Neue Frage „{label}“ ({where}): {detail}",
        ("question", "removed"): "Frage „{label}“ ({where}) entfernt",
        ("condition", "changed"): "Bedingung von „{label}“ ({where}) geändert: vorher {old}; jetzt {new}",
        ("rule", "added"): "Neue Regel {where}: {detail}",
        ("rule", "removed"): "Regel {where} entfernt",
        ("rule", "changed"): "Regel {where} geändert ({detail})",
        ("document", "added"): "Neue Unterlage {where}: {detail}",
        ("document", "removed"): "Unterlage {where} entfernt",
        ("document", "changed"): "Unterlage {where} geändert ({detail})",
        ("computed", "added"): "Neuer berechneter Wert {where}",
        ("computed", "removed"): "Berechneter Wert {where} entfernt",
        ("computed", "changed"): "Berechnung von {where} geändert",
        ("text", "changed"): "Text von „{label}“ ({where}, {detail}) geändert: „{old}“ → „{new}“",
        ("text", "added"): "Text von „{label}“ ({where}, {detail}) ergänzt: „{new}“",
        ("text", "removed"): "Text von „{label}“ ({where}, {detail}) entfernt: „{old}“",
        ("answer", "changed"): "Erwartete Antwort auf „{label}“ ({where}) geändert: vorher {old}; jetzt {new}",
        "none": "Keine Unterschiede.",
    },
    "en": {
        ("section", "added"): "New section “{label}” ({where})",
        ("section", "removed"): "Section “{label}” ({where}) removed",
        ("question", "added"): "New question “{label}” ({where}): {detail}",
        ("question", "removed"): "Question “{label}” ({where}) removed",
        ("condition", "changed"): "Condition of “{label}” ({where}) changed: before {old}; now {new}",
        ("rule", "added"): "New rule {where}: {detail}",
        ("rule", "removed"): "Rule {where} removed",
        ("rule", "changed"): "Rule {where} changed ({detail})",
        ("document", "added"): "New document {where}: {detail}",
        ("document", "removed"): "Document {where} removed",
        ("document", "changed"): "Document {where} changed ({detail})",
        ("computed", "added"): "New computed value {where}",
        ("computed", "removed"): "Computed value {where} removed",
        ("computed", "changed"): "Computation of {where} changed",
        ("text", "changed"): "Text of “{label}” ({where}, {detail}) changed: “{old}” → “{new}”",
        ("text", "added"): "Text of “{label}” ({where}, {detail}) added: “{new}”",
        ("text", "removed"): "Text of “{label}” ({where}, {detail}) removed: “{old}”",
        ("answer", "changed"): "Expected answer to “{label}” ({where}) changed: before {old}; now {new}",
        "none": "No differences.",
    },
}


@dataclass(frozen=True)
class Change:
    what: str  # section | question | condition | answer | rule | document | computed | text
    how: str  # added | removed | changed
    where: str  # pointer or id
    text: str  # the sentence

    def to_json(self) -> dict:
        return {"what": self.what, "how": self.how, "where": self.where, "text": self.text}


@dataclass
class FormDiff:
    lang: str
    changes: list[Change] = field(default_factory=list)

    def of(self, what: str) -> list[Change]:
        return [c for c in self.changes if c.what == what]

    def text(self) -> str:
        if not self.changes:
            return WORDS[self.lang]["none"] + "\n"
        return "".join(f"{'+' if c.how == 'added' else '-' if c.how == 'removed' else '~'} {c.text}\n"
                       for c in self.changes)

    def to_json(self) -> dict:
        return {"lang": self.lang, "changes": [c.to_json() for c in self.changes]}


def _extras(form: CompiledForm, keyword: str) -> dict[str, dict]:
    """``x-rules``/``x-documents`` of every subschema, by id (with the schema location)."""
    found: dict[str, dict] = {}
    for node in form.graph.nodes():
        raw = node.raw if isinstance(node.raw, dict) else {}
        for entry in raw.get(keyword) or ():
            if isinstance(entry, dict) and "id" in entry:
                found.setdefault(str(entry["id"]), {**entry, "@where": node.pointer or "/"})
    return found


def _computed(form: CompiledForm) -> dict[str, str]:
    return {node.pointer: node.raw["x-compute"] for node in form.graph.nodes()
            if isinstance(node.raw, dict) and isinstance(node.raw.get("x-compute"), str)}


def _dump(value: Any) -> str:
    return json.dumps(to_jsonable(value), ensure_ascii=False, sort_keys=True)


def _texts(words: _Words, pointer: str) -> dict[str, str]:
    """The texts of a question in one language: label, hint, option labels."""
    described = words.field(pointer)
    if described is None:
        return {}
    found = {"title": described.label, "description": described.hint or ""}
    for key, text in described.options.items():
        found[f"option {key}"] = text
    return {k: v for k, v in found.items() if v}


def diff(old: CompiledForm, new: CompiledForm, lang: str | None = None) -> FormDiff:
    """What changed from ``old`` to ``new``, in words (``lang``: de or en)."""
    lang = lang if lang in WORDS else "de"
    words = WORDS[lang]
    result = FormDiff(lang)

    def add(what: str, how: str, where: str, **values) -> None:
        values.setdefault("where", where)
        result.changes.append(Change(what, how, where, words[(what, how)].format(**values)))

    before, after = explain(old, lang), explain(new, lang)
    old_items = {i.pointer: i for i in before.items()}
    new_items = {i.pointer: i for i in after.items()}
    for pointer, item in new_items.items():
        if pointer not in old_items:
            kind = "section" if item.kind == "section" else "question"
            add(kind, "added", pointer or "/", label=item.label, detail=item.asked)
    for pointer, item in old_items.items():
        if pointer not in new_items:
            add("section" if item.kind == "section" else "question", "removed", pointer or "/", label=item.label)
    for pointer, item in new_items.items():
        was = old_items.get(pointer)
        if was is not None and was.asked != item.asked:  # `asked` includes what hides it (properties: false)
            add("condition", "changed", pointer or "/", label=item.label, old=was.asked, new=item.asked)
    _diff_extras(old, new, lang, add)
    _diff_texts(old, new, before, after, add)
    return result


def _diff_extras(old: CompiledForm, new: CompiledForm, lang: str, add) -> None:
    for keyword, what, describe in (("x-rules", "rule", lambda e: e.get("rule", "")),
                                    ("x-documents", "document", lambda e: _text(e.get("title"), lang))):
        a, b = _extras(old, keyword), _extras(new, keyword)
        for ident in b.keys() - a.keys():
            add(what, "added", ident, detail=describe(b[ident]))
        for ident in a.keys() - b.keys():
            add(what, "removed", ident)
        for ident in sorted(a.keys() & b.keys()):
            changed = [key for key in sorted(a[ident].keys() | b[ident].keys() - {"@where"})
                       if key != "@where" and _dump(a[ident].get(key)) != _dump(b[ident].get(key))]
            if a[ident]["@where"] != b[ident]["@where"]:
                changed.append("Ort" if lang == "de" else "location")
            if changed:
                add(what, "changed", ident, detail=", ".join(changed))
    a, b = _computed(old), _computed(new)
    for where in sorted(b.keys() - a.keys()):
        add("computed", "added", where)
    for where in sorted(a.keys() - b.keys()):
        add("computed", "removed", where)
    for where in sorted(a.keys() & b.keys()):
        if a[where] != b[where]:
            add("computed", "changed", where)


def _text(texts: Any, lang: str) -> str:
    if isinstance(texts, dict):
        return str(texts.get(lang) or next(iter(texts.values()), ""))
    return str(texts or "")


def _diff_texts(old: CompiledForm, new: CompiledForm, before: Explanation, after: Explanation, add) -> None:
    from .explain import _Walker

    languages = list(dict.fromkeys((*old.languages, *new.languages)))
    walkers = []
    for form in (old, new):
        walker = _Walker(form)
        walker.walk(form.graph.root, "", None, (id(form.graph.root),))
        walkers.append(walker)
    common = [i for i in after.items() if before.item(i.pointer) is not None and i.pointer]
    old_words, new_words = _Words(old, walkers[0], old.default_lang), _Words(new, walkers[1], new.default_lang)
    for item in common:  # what a question accepts: type, options and constraints (minLength, enum, ...)
        a, b = _accepts(old_words.field(item.pointer)), _accepts(new_words.field(item.pointer))
        if a is not None and b is not None and a != b:
            add("answer", "changed", item.pointer, label=item.label, old=_describe(a, b), new=_describe(b, a))
    for lang in languages:
        old_words, new_words = _Words(old, walkers[0], lang), _Words(new, walkers[1], lang)
        for item in common:
            a, b = _texts(old_words, item.pointer), _texts(new_words, item.pointer)
            for key in list(dict.fromkeys((*a, *b))):
                detail = f"{key}, {lang}"
                if key not in a:
                    add("text", "added", item.pointer, label=item.label, detail=detail, new=b[key])
                elif key not in b:
                    add("text", "removed", item.pointer, label=item.label, detail=detail, old=a[key])
                elif a[key] != b[key]:
                    add("text", "changed", item.pointer, label=item.label, detail=detail, old=a[key], new=b[key])


def _accepts(field) -> dict | None:
    if field is None:
        return None
    return {"type": field.type, "values": list(field.values),
            **{k: v for k, v in sorted(field.constraints.items())}}


def _describe(this: dict, other: dict) -> str:
    """The parts of ``this`` that differ from ``other``, e.g. ``minLength 3, type integer``."""
    parts = [f"{key} {_dump(this[key]) if key in this and this[key] not in (None, []) else '—'}"
             for key in sorted(set(this) | set(other)) if this.get(key) != other.get(key)]
    return ", ".join(parts)


# -- migration of answers -------------------------------------------------------------


_INDEX = re.compile(r"/\d+(?=/|$)")


def template(pointer: str) -> str:
    """``/kinder/2/name`` → ``/kinder/*/name`` (to count the same question across entries)."""
    return _INDEX.sub(f"/{EACH}", pointer)


@dataclass
class Loss:
    pointer: str  # template
    label: str
    drafts: int


@dataclass
class MigrationReport:
    total: int
    affected: int
    losses: list[Loss]
    #: draft id -> the pointers of the answers it would lose
    per_draft: dict[Any, list[str]]

    def to_json(self) -> dict:
        return {"total": self.total, "affected": self.affected,
                "losses": [{"pointer": l.pointer, "label": l.label, "drafts": l.drafts} for l in self.losses]}


def migrate_answers(old: CompiledForm, new: CompiledForm, answers: dict, as_of: date | None = None,
                    ) -> tuple[dict, list[str]]:
    """The answers as they are under ``new`` (pruned there, unknown keys
    dropped) and the pointers of the answers that were lost on the way."""
    kept = old.check(copy.deepcopy(answers), as_of=as_of).answers
    outcome = new.check(copy.deepcopy(kept), as_of=as_of)
    lost = list(outcome.pruned)
    moved = copy.deepcopy(outcome.answers)
    for issue in outcome.errors:
        if issue.code == "unknown":
            _remove(moved, issue.path)
            lost.append(issue.path)
    if lost and any(i.code == "unknown" for i in outcome.errors):
        moved = new.check(moved, as_of=as_of).answers  # a dropped key may switch off more
    return moved, sorted(dict.fromkeys(lost))


def _remove(answers: dict, pointer: str) -> None:
    from .form import split_pointer

    tokens = split_pointer(pointer)
    holder: Any = answers
    for token in tokens[:-1]:
        if isinstance(holder, dict):
            holder = holder.get(token)
        elif isinstance(holder, list) and token.isdigit() and int(token) < len(holder):
            holder = holder[int(token)]
        else:
            return
    if isinstance(holder, dict) and tokens:
        holder.pop(tokens[-1], None)


def migration_report(old: CompiledForm, new: CompiledForm, drafts: Iterable[tuple[Any, dict]],
                     lang: str | None = None, as_of: date | None = None) -> MigrationReport:
    """For each ``(draft id, answers)`` kept under ``old``: which answers
    would be lost if it moved to ``new``, counted per question."""
    counts: dict[str, set] = {}
    labels: dict[str, str] = {}
    per_draft: dict[Any, list[str]] = {}
    total = 0
    for ident, answers in drafts:
        total += 1
        _, lost = migrate_answers(old, new, answers, as_of)
        per_draft[ident] = lost
        for pointer in lost:
            key = template(pointer)
            counts.setdefault(key, set()).add(ident)
            labels.setdefault(key, old.label_for(pointer, lang))
    losses = sorted((Loss(p, labels[p], len(ids)) for p, ids in counts.items()), key=lambda l: (-l.drafts, l.pointer))
    return MigrationReport(total, sum(1 for lost in per_draft.values() if lost), losses, per_draft)


__all__ = ["Change", "FormDiff", "Loss", "MigrationReport", "diff", "escape_token", "migrate_answers",
           "migration_report", "template"]
