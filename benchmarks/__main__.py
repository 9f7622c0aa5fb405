"""Print formwerk's performance against python-jsonschema, measured in one run.

(a) checking a complete application (relevance, pruning, validation and
    messages; then with the form's rules, computed values and document
    conditions) vs. bare python-jsonschema ``iter_errors`` on the same schema
    and data — target: at least 5x faster;
(b) ``formwerk check --batch`` throughput vs. a python-jsonschema loop over
    the same lines — target: at least 5x faster;
(c) cost per check on generated forms of ~300, ~1,200 and ~4,800 questions,
    through the API and through the CLI — target: linear growth (log-log
    slope <= 1.15);
(d) the wizard under load over HTTP (``benchmarks/web.py``).

Plausibility results are kept by the values each expression reads, so a
repeated check of the same answers (what the wizard does on almost every
step) costs less than a check of new ones; "new answers" rows measure every
expression evaluated afresh (``plausibility.rules.uncached``).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from engine import FormSource, compile_form, load_form_source
from engine.cli import main as cli_main
from engine.form import INLINE_BASE_URI
from engine.reference import reference_validator
from plausibility.rules import uncached

from .generated import generated_form

ROOT = Path(__file__).resolve().parents[1]


def paired(ours, theirs, min_time: float) -> tuple[float, float | None]:
    """Seconds per call of both, their rounds alternating (so a busy moment of
    the machine hits both), the fastest round of each."""
    calls = {}
    for name, fn in (("ours", ours), ("theirs", theirs)):
        if fn is None:
            continue
        fn()  # warm caches
        n, start = 1, time.perf_counter()
        while time.perf_counter() - start < min_time / 35:
            fn()
            n += 1
        calls[name] = (fn, n)
    best = dict.fromkeys(calls, math.inf)
    for _ in range(7):
        for name, (fn, n) in calls.items():
            t0 = time.perf_counter()
            for _ in range(n):
                fn()
            best[name] = min(best[name], (time.perf_counter() - t0) / n)
    return best["ours"], best.get("theirs")


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


def _cli_seconds(form: str, batch: str, lines: int) -> float:
    # standard streams as the installed CLI has them: UTF-8 text over a binary buffer
    # (results go to the buffer as bytes; a StringIO would make it decode them)
    stdin = io.TextIOWrapper(io.BytesIO(batch.encode("utf-8")), encoding="utf-8")
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)
    t0 = time.perf_counter()
    cli_main(["check", form, "--batch", "-"], stdin=stdin, stdout=out)
    seconds = time.perf_counter() - t0
    out.flush()
    assert out.buffer.getvalue().count(b"\n") == lines
    return seconds


def batch_rate(form: str, batch: str, lines: int) -> float:
    """Applications per second through ``formwerk check --batch -`` (JSON Lines
    in and out), without loading and compiling the form: the time of a
    one-line batch is subtracted."""
    one = batch[:batch.index("\n") + 1]
    return (lines - 1) / max(1e-9, _cli_seconds(form, batch, lines) - _cli_seconds(form, one, 1))


def reference_rate(reference, batch: str) -> float:
    t0 = time.perf_counter()
    n = 0
    for line in batch.splitlines():
        list(reference.iter_errors(json.loads(line, parse_float=Decimal)))
        n += 1
    return n / (time.perf_counter() - t0)


def slope(sizes, costs) -> float:
    return (math.log(costs[-1]) - math.log(costs[0])) / (math.log(sizes[-1]) - math.log(sizes[0]))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--time", type=float, default=1.0, help="seconds of measurement per figure (default 1)")
    parser.add_argument("--web", type=float, default=150.0,
                        help="seconds per load run of table (d) (default 150; 0 skips the table)")
    args = parser.parse_args(argv)

    print("(a) check of a complete application vs. bare python-jsonschema iter_errors")
    print("    'engine' = the same schema without x-rules/x-compute/x-documents: relevance, pruning, validation, messages;")
    print("    'with plausibility' adds the form's CEL rules, computed values and document conditions (repeated check:")
    print("    results kept by the values read); 'new answers' evaluates every expression afresh")
    widths = (26, 18, 12, 14, 9)
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
            ours, theirs = paired(lambda: form.check(data), lambda: list(reference.iter_errors(data)), args.time)
            print(row((name, part, f"{ours * 1e6:.0f}", f"{theirs * 1e6:.0f}", f"{theirs / ours:.1f}x"), widths))
            if part == "with plausibility":
                with uncached():
                    ours, theirs = paired(lambda: form.check(data), lambda: list(reference.iter_errors(data)), args.time)
                print(row((name, "  new answers", f"{ours * 1e6:.0f}", f"{theirs * 1e6:.0f}", f"{theirs / ours:.1f}x"), widths))
    for size in (300, 1200):
        schema, answers = generated_form(size)
        source = FormSource(schema=schema, base_uri=INLINE_BASE_URI)
        form, reference = compile_form(source), reference_validator(source)
        ours, theirs = paired(lambda: form.check(answers), lambda: list(reference.iter_errors(answers)), args.time)
        print(row((f"generated-{size}", "engine", f"{ours * 1e6:.0f}", f"{theirs * 1e6:.0f}", f"{theirs / ours:.1f}x"), widths))

    print()
    print("(b) formwerk check --batch (JSON Lines in and out, with plausibility, form compiled once) vs. a")
    print("    python-jsonschema loop parsing and validating the same lines; applications per second, one process")
    widths = (26, 14, 12, 16, 9)
    print(row(("form", "lines", "formwerk /s", "jsonschema /s", "ratio"), widths))
    for name, source, cases in bundled_cases():
        answers = most_complete(compile_form(source), cases)
        if answers is None:
            continue
        lines = 500
        batch = "\n".join(json.dumps(answers, default=float) for _ in range(lines)) + "\n"
        folder = str(ROOT / "forms" / name)
        reference = reference_validator(source)
        for label, mode in (("repeated", contextlib.nullcontext), ("new answers", uncached)):
            ours = theirs = 0.0
            for _ in range(3):  # alternating; the best of each
                theirs = max(theirs, reference_rate(reference, batch))
                with mode():
                    ours = max(ours, batch_rate(folder, batch, lines))
            print(row((name, label, f"{ours:.0f}", f"{theirs:.0f}", f"{ours / theirs:.1f}x"), widths))

    print()
    print("(c) cost per check by form size (complete answers), through the API and through formwerk check --batch")
    widths = (10, 10, 12, 10, 12, 14)
    print(row(("questions", "API µs", "µs/question", "CLI µs", "µs/question", "jsonschema µs"), widths))
    sizes, costs, cli_costs = [], [], []
    with tempfile.TemporaryDirectory() as folder:
        for size in (300, 1200, 4800):
            schema, answers = generated_form(size)
            source = FormSource(schema=schema, base_uri=INLINE_BASE_URI)
            form = compile_form(source)
            questions = len(form.check(answers).relevant)
            reference = reference_validator(source)
            ours, theirs = paired(lambda: form.check(answers), lambda: list(reference.iter_errors(answers)), args.time)
            path = Path(folder) / f"generated-{size}.json"
            path.write_text(json.dumps(schema), encoding="utf-8")
            lines = max(20, int(60000 / size))
            batch = "\n".join(json.dumps(answers, default=float) for _ in range(lines)) + "\n"
            cli = 1 / batch_rate(str(path), batch, lines)
            sizes.append(questions)
            costs.append(ours)
            cli_costs.append(cli)
            print(row((questions, f"{ours * 1e6:.0f}", f"{ours / questions * 1e6:.2f}", f"{cli * 1e6:.0f}",
                       f"{cli / questions * 1e6:.2f}", f"{theirs * 1e6:.0f}"), widths))
    print(f"log-log slope of cost against questions: API {slope(sizes, costs):.2f}, CLI {slope(sizes, cli_costs):.2f} "
          "(target <= 1.15)")

    if args.web:
        print()
        from . import web

        web.main(["--duration", str(args.web)])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
