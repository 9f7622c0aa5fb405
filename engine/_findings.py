"""Plausibility on settled answers: rules (``x-rules``) become findings,
document requirements (``x-documents``) the list of documents to upload.

Both sit on object locations; the relevance walk records those it visits
(``walk.sites``), so rules on irrelevant parts of the form never run."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from plausibility.rules import CACHE_SIZE, WHOLE_CACHE_SIZE, DocumentRequirement, Evaluator, ExpressionGroup, Rule, caching

from ._graph import escape_token
from ._relevance import Walk
from .outcome import Issue, RequiredDocument


@dataclass(frozen=True)
class NodeExtras:
    rules: tuple[Rule, ...] = ()
    documents: tuple[DocumentRequirement, ...] = ()
    #: the rules' expressions, then the document conditions: evaluated, and
    #: their outcomes kept, together (one look-up per place and check)
    group: ExpressionGroup = field(init=False, compare=False, repr=False)
    #: what the place contributes, by the group's key, pointer and languages (``_site``)
    kept: dict = field(init=False, compare=False, repr=False)
    #: the same, by the outcomes themselves (``comparable`` ones), pointer and languages:
    #: new values mostly give outcomes seen before (every rule holds), whose
    #: findings and documents need not be assembled again
    assembled: dict = field(init=False, compare=False, repr=False)

    def __post_init__(self):
        expressions = [r.expression for r in self.rules] + [d.when for d in self.documents if d.when is not None]
        object.__setattr__(self, "group", ExpressionGroup(tuple(expressions)))
        object.__setattr__(self, "kept", {})
        object.__setattr__(self, "assembled", {})


def _absolute(pointer: str, relative: str) -> str:
    return pointer + relative if relative else pointer


def confirmation_token(rule: Rule, pointer: str, digest: str) -> str:
    """What an applicant confirms: this rule, at this place, for these values."""
    return f"{rule.id}@{pointer}#{digest}"


def evaluate(walk: Walk, answers: dict, today: date, lang: str, default_lang: str,
             confirmations: frozenset[str]) -> tuple[list[Issue], list[Issue], list[RequiredDocument], list[tuple[str, str]]]:
    """Findings (errors, warnings and infos), required documents, and failures."""
    if not walk.sites:
        return [], [], [], []
    evaluator = Evaluator(answers, today)
    errors: list[Issue] = []
    warnings: list[Issue] = []
    documents: list[RequiredDocument] = []
    failures: list[tuple[str, str]] = []
    keep = caching()
    for pointer, obj, extras in walk.sites:
        for node_extras in extras:
            group = node_extras.group
            keying = group.keying
            missing = keying.misses  # (skip > 0 only after misses: one look-up for a place that hits)
            if missing and keying.skip > 0:  # the place keeps missing: evaluated without its key (``Keying``)
                keying.skip -= 1
                site = _assembled(node_extras, *group.fresh(evaluator, obj), pointer, lang, default_lang)
            else:
                key = group.key(evaluator, obj)
                kept = node_extras.kept
                site_key = (key, pointer, lang, default_lang)
                site = kept.get(site_key) if keep else None
                if site is None:
                    site = _assembled(node_extras, *group.looked_up(evaluator, obj, key), pointer, lang, default_lang)
                    if len(kept) >= (WHOLE_CACHE_SIZE if group.whole else CACHE_SIZE):
                        kept.clear()
                    kept[site_key] = site
                elif missing:
                    keying.misses = 0
            falsified, site_documents, site_failures = site
            for rule, fields in falsified:
                message = rule.message(lang, default_lang, evaluator, obj)
                token = confirmation_token(rule, pointer, evaluator.digest(rule.expression, obj))
                issue = Issue(fields[0], "rule", message, rule.severity, rule.id, fields=fields,
                              confirmation=token if rule.severity == "warning" else None,
                              confirmed=rule.severity == "warning" and token in confirmations)
                (errors if rule.severity == "error" else warnings).append(issue)
            if site_documents:
                documents.extend(site_documents)
            if site_failures:
                failures.extend(site_failures)
    return errors, warnings, documents, failures


def _assembled(node_extras: NodeExtras, outcomes: tuple, comparable: bool, pointer: str, lang: str,
               default_lang: str) -> tuple:
    """``_site``, kept by the outcomes when they are ``comparable`` (the
    site depends on nothing else: a message and a confirmation token are
    made per check from the values)."""
    if not comparable:
        return _site(node_extras, outcomes, pointer, lang, default_lang)
    assembled = node_extras.assembled
    by = (outcomes, pointer, lang, default_lang)
    site = assembled.get(by)
    if site is None:
        site = _site(node_extras, outcomes, pointer, lang, default_lang)
        if len(assembled) >= CACHE_SIZE:
            assembled.clear()
        assembled[by] = site
    return site


def _site(node_extras: NodeExtras, outcomes: tuple, pointer: str, lang: str, default_lang: str) -> tuple:
    """What one place contributes, given its outcomes: the rules found false
    with their fields (worded per check: a message and a confirmation token
    show the values exactly, which the key holds only as CEL sees them), the
    required documents, and the failures. Kept by the place's key, so an
    unchanged place is not assembled again."""
    falsified: list[tuple[Rule, tuple[str, ...]]] = []
    documents: list[RequiredDocument] = []
    failures: list[tuple[str, str]] = []
    for rule, outcome in zip(node_extras.rules, outcomes):
        if outcome is None or outcome[1] is True:
            continue  # unanswered, or holds
        fields = tuple(_absolute(pointer, f) for f in rule.fields) or (pointer,)
        holds = _truth(outcome, fields[0], f"rule {rule.id!r}", failures)  # a failure: at the rule's field
        if holds is False:
            falsified.append((rule, fields))
    conditions = iter(outcomes[len(node_extras.rules):])
    for doc in node_extras.documents:
        if doc.when is not None and _truth(next(conditions), pointer, f"document {doc.id!r}", failures) is not True:
            continue
        documents.append(RequiredDocument(
            id=doc.id, path=pointer, title=doc.text(doc.titles, lang, default_lang) or doc.id,
            description=doc.text(doc.descriptions, lang, default_lang),
            accept=doc.accept, max_size=doc.max_size))
    return tuple(falsified), tuple(documents), tuple(failures)


def _truth(outcome: tuple | None, pointer: str, what: str, failures: list) -> bool | None:
    """True or False; None when an input is unanswered or the evaluation
    failed (recorded in ``failures``)."""
    if outcome is None:
        return None
    evaluated, value = outcome
    if not evaluated:
        failures.append((pointer, f"{what}: {value}"))
        return None
    if not isinstance(value, bool):
        failures.append((pointer, f"{what} gave {value!r}, not true or false"))
        return None
    return value


def failure_issues(failures: list[tuple[str, str]], lang: str) -> list[Issue]:
    text = {"de": "Diese Angaben konnten nicht vollständig geprüft werden (Fehler im Formular). Bitte wenden Sie sich an Ihr Jobcenter.",
            "en": "These answers could not be fully checked (a fault in the form). Please contact your Jobcenter."}
    return [Issue(pointer, "rule-error", text.get(lang, text["de"]), "error", None, {"detail": detail})
            for pointer, detail in failures]


__all__ = ["NodeExtras", "confirmation_token", "escape_token", "evaluate", "failure_issues"]
