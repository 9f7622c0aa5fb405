"""Print formwerk's performance against python-jsonschema, measured in one run.

(a) checking a complete application (relevance, pruning, validation and
    messages) vs. bare python-jsonschema ``iter_errors`` on the same schema and
    data — target: at least 5x faster;
(b) ``formwerk check --batch`` throughput vs. a python-jsonschema loop;
(c) cost per check on generated forms of ~300, ~1,200 and ~4,800 questions —
    target: linear growth (log-log slope <= 1.15).
"""

from __future__ import annotations

import argparse
import io
import json
import math
import statistics
import time
from decimal import Decimal
from pathlib import Path

from engine import FormSource, compile_form, load_form_source
from engine.cli import main as cli_main
from engine.form import INLINE_BASE_URI
from engine.reference import reference_validator

from .generated import generated_form

ROOT = Path(__file__).resolve().parents[1]


def per_call(fn, min_time: float) -> float:
    """Median seconds per call over 5 rounds of about ``min_time / 5`` each."""
    fn()  # warm caches
    n, start = 1, time.perf_counter()
    while time.perf_counter() - start < min_time / 25:
        fn()
        n += 1
    rounds = []
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        rounds.append((time.perf_counter() - t0) / n)
    return statistics.median(rounds)


def bundled_cases() -> list[tuple[str, FormSource, list[dict]]]:
    """Each bundled form with the answers of all its example cases."""
    found = []
    for folder in sorted((ROOT / "forms").iterdir()):
        if not (folder / "form.json").exists():
            continue
        answers = [json.loads(path.read_text(), parse_float=Decimal)["answers"]
                   for path in sorted((folder / "cases").glob("*.json"))]
        found.append((folder.name, load_form_source(folder), answers))
    return found


def most_complete(form, candidates: list[dict]) -> dict | None:
    """The largest application that is valid and needs no pruning: one as it is sent."""
    sent = [a for a in candidates if (o := form.check(a)).valid and not o.pruned]
    return max(sent, key=lambda a: len(json.dumps(a, default=str)), default=None)


PLAUSIBILITY_KEYWORDS = ("x-rules", "x-compute", "x-documents")


def without_plausibility(schema):
    """The same schema without rules, computed values and documents: what the
    engine itself does (relevance, pruning, validation, messages)."""
    if isinstance(schema, dict):
        return {k: without_plausibility(v) for k, v in schema.items()
                if k not in PLAUSIBILITY_KEYWORDS and not (k == "readOnly" and "x-compute" in schema)}
    if isinstance(schema, list):
        return [without_plausibility(v) for v in schema]
    return schema


def computed_names(schema, found=None):
    found = set() if found is None else found
    if isinstance(schema, dict):
        for name, sub in (schema.get("properties") or {}).items():
            if isinstance(sub, dict) and "x-compute" in sub:
                found.add(name)
        for v in schema.values():
            computed_names(v, found)
    elif isinstance(schema, list):
        for v in schema:
            computed_names(v, found)
    return found


def strip_keys(value, names):
    if isinstance(value, dict):
        return {k: strip_keys(v, names) for k, v in value.items() if k not in names}
    if isinstance(value, list):
        return [strip_keys(v, names) for v in value]
    return value


def row(cells, widths):
    return "  ".join(str(c).rjust(w) if i else str(c).ljust(w) for i, (c, w) in enumerate(zip(cells, widths)))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--time", type=float, default=1.0, help="seconds of measurement per figure (default 1)")
    args = parser.parse_args(argv)

    print("(a) check of a complete application vs. bare python-jsonschema iter_errors")
    print("    'engine' = the same schema without x-rules/x-compute/x-documents: relevance, pruning, validation, messages;")
    print("    'with plausibility' adds the form's CEL rules, computed values and document conditions")
    widths = (26, 12, 16, 14, 9)
    print(row(("form", "part", "formwerk µs", "jsonschema µs", "speed-up"), widths))
    for name, source, cases in bundled_cases():
        plain = FormSource(schema=without_plausibility(source.schema), base_uri=source.base_uri, files=source.files)
        computed = computed_names(source.schema)
        for part, src, candidates in (("engine", plain, [strip_keys(a, computed) for a in cases]),
                                      ("with plausibility", source, cases)):
            form = compile_form(src)
            data = most_complete(form, candidates)
            if data is None:
                continue
            reference = reference_validator(src)
            ours = per_call(lambda: form.check(data), args.time)
            theirs = per_call(lambda: list(reference.iter_errors(data)), args.time)
            print(row((name, part, f"{ours * 1e6:.0f}", f"{theirs * 1e6:.0f}", f"{theirs / ours:.1f}x"), widths))
    for size in (300, 1200):
        schema, answers = generated_form(size)
        source = FormSource(schema=schema, base_uri=INLINE_BASE_URI)
        form, reference = compile_form(source), reference_validator(source)
        ours = per_call(lambda: form.check(answers), args.time)
        theirs = per_call(lambda: list(reference.iter_errors(answers)), args.time)
        print(row((f"generated-{size}", "engine", f"{ours * 1e6:.0f}", f"{theirs * 1e6:.0f}", f"{theirs / ours:.1f}x"), widths))

    print()
    print("(b) batch throughput, applications per second (one process, form compiled once)")
    name, source, cases = bundled_cases()[0]
    answers = most_complete(compile_form(source), cases)
    lines = 2000
    batch = "\n".join(json.dumps(answers, default=float) for _ in range(lines)) + "\n"
    folder = str(ROOT / "forms" / name)
    t0 = time.perf_counter()
    out = io.StringIO()
    cli_main(["check", folder, "--batch", "-"], stdin=io.StringIO(batch), stdout=out)
    ours = lines / (time.perf_counter() - t0)
    assert out.getvalue().count("\n") == lines
    reference = reference_validator(source)
    t0 = time.perf_counter()
    for line in batch.splitlines():
        list(reference.iter_errors(json.loads(line, parse_float=Decimal)))
    theirs = lines / (time.perf_counter() - t0)
    widths = (26, 14, 16, 9)
    print(row(("form", "formwerk /s", "jsonschema /s", "ratio"), widths))
    print(row((name, f"{ours:.0f}", f"{theirs:.0f}", f"{ours / theirs:.1f}x"), widths))

    print()
    print("(c) cost per check by form size (complete answers)")
    widths = (12, 14, 12, 16)
    print(row(("questions", "formwerk µs", "µs/question", "jsonschema µs"), widths))
    sizes, costs = [], []
    for size in (300, 1200, 4800):
        schema, answers = generated_form(size)
        source = FormSource(schema=schema, base_uri=INLINE_BASE_URI)
        form = compile_form(source)
        questions = len(form.check(answers).relevant)
        ours = per_call(lambda: form.check(answers), args.time)
        reference = reference_validator(source)
        theirs = per_call(lambda: list(reference.iter_errors(answers)), args.time)
        sizes.append(questions)
        costs.append(ours)
        print(row((questions, f"{ours * 1e6:.0f}", f"{ours / questions * 1e6:.2f}", f"{theirs * 1e6:.0f}"), widths))
    slope = (math.log(costs[-1]) - math.log(costs[0])) / (math.log(sizes[-1]) - math.log(sizes[0]))
    print(f"log-log slope of cost against questions: {slope:.2f} (target <= 1.15)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
