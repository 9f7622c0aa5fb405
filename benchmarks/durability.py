"""Durability under SIGKILL, the long run: more applicants, more kills, longer
trials, on SQLite and on PostgreSQL (a throwaway cluster from tests/postgres.py,
or FORMWERK_TEST_POSTGRES_URL).

    .venv/bin/python -m benchmarks.durability [--applicants 30] [--kills 20] [--seconds 180] [--db sqlite|postgresql|both]

Prints, per database, the submissions acknowledged (and how many of them had
to be retried after a lost response), the applications stored, the kills and
the time; exits 1 when any acknowledged submission is missing, stored twice,
holds someone else's answers or fails its hash (tests/security/durability.py
checks each).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.postgres import postgres_url  # noqa: E402
from tests.security.durability import run  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.durability", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--applicants", type=int, default=30)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=180)
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args(argv)
    failed = False
    print(f"{'database':<12} {'acknowledged':>12} {'retried':>8} {'stored':>7} {'kills':>6} {'seconds':>8}  result")
    for db in (("sqlite", "postgresql") if args.db == "both" else (args.db,)):
        try:
            if db == "sqlite":
                report = run(f"sqlite:///{tempfile.mkdtemp()}/durability.db", applicants=args.applicants,
                             kills=args.kills, seconds=args.seconds)
            else:
                with postgres_url() as url:
                    report = run(url, applicants=args.applicants, kills=args.kills, seconds=args.seconds)
            result = "ok" if not report.errors else f"{len(report.errors)} applicant errors: {report.errors[:3]}"
            failed |= bool(report.errors)
            print(f"{db:<12} {len(report.acknowledged):>12} {report.retried:>8} {report.stored:>7} {report.kills:>6} "
                  f"{report.seconds:>8.0f}  {result}")
        except AssertionError as exc:
            failed = True
            print(f"{db:<12} FAILED: {exc}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
