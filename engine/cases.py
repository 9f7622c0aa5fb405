"""Example cases of a form folder (``cases/*.json``), run by ``formwerk test``.

A case is ``{"answers": {...}, "as_of": "YYYY-MM-DD"?, "expect": {...}}``
where ``expect`` may give ``valid``, ``relevant`` and ``pruned`` (sets of
pointers), ``error_paths`` (set of pointers of the errors) and ``errors``
(a list of ``{"path", "code"}`` that must each be reported), ``warnings``
(``{"path", "rule"}``), ``documents`` (``{"id", "path"}`` that must be
required) and ``relevant_includes`` (pointers that must be relevant),
``relevant_excludes_prefixes`` (no relevant pointer at or under these),
``values`` (pointer -> expected value in the settled answers,
e.g. a computed estimate; numbers compare by decimal value).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ._loading import FormSource, iter_cases
from .errors import FormError
from .form import compile_form, value_at


@dataclass
class CaseResult:
    name: str
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _set_diff(key: str, want: set, have: set) -> list[str]:
    if want == have:
        return []
    return [f"{key}: missing {sorted(want - have)}, unexpected {sorted(have - want)}"]


def run_case(form, name: str, case: dict | FormError) -> CaseResult:
    result = CaseResult(name)
    if isinstance(case, FormError):  # an unreadable case file: reported, the others still run
        result.problems.append(str(case))  # the reason already says "example case … cannot be read"
        return result
    expect = case.get("expect") or {}
    as_of = case.get("as_of")
    if not isinstance(expect, dict):
        result.problems.append("'expect' must be an object")
        return result
    try:
        when = date.fromisoformat(as_of) if as_of else None
    except (TypeError, ValueError):
        result.problems.append(f"'as_of' must be a date YYYY-MM-DD, got {as_of!r}")
        return result
    try:
        outcome = form.check(case["answers"], lang=case.get("lang"), as_of=when)
    except Exception as exc:  # a case must never take the runner down
        result.problems.append(f"check failed: {type(exc).__name__}: {exc}")
        return result
    try:
        _compare(expect, outcome, result)
    except (TypeError, AttributeError, ValueError) as exc:  # e.g. "relevant": 5
        result.problems.append(f"'expect' is malformed ({type(exc).__name__}: {exc}): valid, relevant, pruned and "
                               f"error_paths take a boolean or lists of pointers, errors, warnings and documents "
                               f"lists of objects, values an object")
    return result


def _compare(expect: dict, outcome, result: CaseResult) -> None:
    if "valid" in expect and outcome.valid != expect["valid"]:
        result.problems.append(f"valid: expected {expect['valid']}, got {outcome.valid}")
    for key in ("relevant", "pruned"):
        if key in expect:
            result.problems += _set_diff(key, set(expect[key]), set(getattr(outcome, key)))
    missing = [p for p in expect.get("relevant_includes") or () if p not in outcome.relevant]
    if missing:
        result.problems.append(f"relevant: missing {missing}")
    for prefix in expect.get("relevant_excludes_prefixes") or ():
        shown = [p for p in outcome.relevant if p == prefix or p.startswith(prefix + "/")]
        if shown:
            result.problems.append(f"relevant: {prefix} should not apply, got {shown}")
    if "error_paths" in expect:
        result.problems += _set_diff("error paths", set(expect["error_paths"]), {e.path for e in outcome.errors})
    for want in expect.get("errors") or ():
        if not any(e.path == want.get("path") and e.code == want.get("code", e.code) for e in outcome.errors):
            result.problems.append(f"expected error {want} not reported")
    for pointer, want in (expect.get("values") or {}).items():
        have = value_at(outcome.answers, pointer)
        if not _same_number_or_value(have, want):
            result.problems.append(f"value at {pointer}: expected {want!r}, got {have!r}")
    for want in expect.get("documents") or ():
        if not any(d.id == want.get("id") and d.path == want.get("path", d.path) for d in outcome.documents):
            result.problems.append(f"expected document {want} not required")
    for want in expect.get("warnings") or ():
        if not any(w.path == want.get("path") and w.rule == want.get("rule", w.rule) for w in outcome.warnings):
            result.problems.append(f"expected warning {want} not reported")


def _same_number_or_value(have, want) -> bool:
    from decimal import Decimal

    numbers = (int, float, Decimal)
    if isinstance(have, numbers) and isinstance(want, numbers) and not isinstance(have, bool) and not isinstance(want, bool):
        return Decimal(str(have)) == Decimal(str(want))
    return have == want


def run_cases(source: FormSource) -> list[CaseResult]:
    return run_cases_with_coverage(source)[0]


def run_cases_with_coverage(source: FormSource, form=None) -> tuple[list[CaseResult], list[str], int]:
    """Run the cases and report which conditional branches none of them took:
    ``(results, pointers of branches never taken, number of branches)``.
    ``form``: the source already compiled."""
    from ._relevance import branches

    form = form if form is not None else compile_form(source)
    taken: set = set()
    form.relevance.coverage = taken
    try:
        results = [run_case(form, name, case) for name, case in iter_cases(source)]
    finally:
        form.relevance.coverage = None
    every = branches(form.relevance, form.graph.nodes())
    missed = [pointer for key, pointer in every if key not in taken]
    return results, missed, len(every)
