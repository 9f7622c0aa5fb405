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


def complete_applications() -> list[tuple[str, FormSource, dict]]:
    """Each bundled form with its most complete valid example case (one that
    needs no pruning: an application as it is sent)."""
    found = []
    for folder in sorted((ROOT / "forms").iterdir()):
        if not (folder / "form.json").exists():
            continue
        source = load_form_source(folder)
        best = None
        for case_file in sorted((folder / "cases").glob("*.json")):
            case = json.loads(case_file.read_text(), parse_float=Decimal)
            expect = case.get("expect", {})
            if expect.get("valid") and not expect.get("pruned") and (best is None or len(json.dumps(case["answers"], default=str)) > len(json.dumps(best, default=str))):
                best = case["answers"]
        if best is not None:
            found.append((folder.name, source, best))
    return found


def row(cells, widths):
    return "  ".join(str(c).rjust(w) if i else str(c).ljust(w) for i, (c, w) in enumerate(zip(cells, widths)))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--time", type=float, default=1.0, help="seconds of measurement per figure (default 1)")
    args = parser.parse_args(argv)

    print("(a) check of a complete application vs. bare python-jsonschema iter_errors")
    widths = (26, 14, 16, 9)
    print(row(("form", "formwerk µs", "jsonschema µs", "speed-up"), widths))
    for name, source, answers in complete_applications():
        form = compile_form(source)
        reference = reference_validator(source)
        ours = per_call(lambda: form.check(answers), args.time)
        theirs = per_call(lambda: list(reference.iter_errors(answers)), args.time)
        print(row((name, f"{ours * 1e6:.0f}", f"{theirs * 1e6:.0f}", f"{theirs / ours:.1f}x"), widths))
    for size in (300, 1200):
        schema, answers = generated_form(size)
        source = FormSource(schema=schema, base_uri=INLINE_BASE_URI)
        form, reference = compile_form(source), reference_validator(source)
        ours = per_call(lambda: form.check(answers), args.time)
        theirs = per_call(lambda: list(reference.iter_errors(answers)), args.time)
        print(row((f"generated-{size}", f"{ours * 1e6:.0f}", f"{theirs * 1e6:.0f}", f"{theirs / ours:.1f}x"), widths))

    print()
    print("(b) batch throughput, applications per second (one process, form compiled once)")
    name, source, answers = complete_applications()[0]
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
