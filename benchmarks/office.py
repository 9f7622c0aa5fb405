"""The office under a realistic load of cases: 100,000 applications.

    .venv/bin/python -m benchmarks.office [--rows 100000] [--db sqlite|postgresql|both] [--requests 200]

Fills a fresh database (SQLite file, and a throwaway PostgreSQL cluster when
PostgreSQL is installed) with applications spread over two offices, their
teams, every status, 90 days of arrivals, names, estimates and flags; then,
signed in as a team lead and as a caseworker, requests through the app
(Flask's test client, so the whole view runs: scoping, query, template):

- the inbox's first page, unfiltered and with filters (status, flag, free text),
- opening a case (the eAkte page),

and, in the same run, a bare indexed ``SELECT`` of the same rows as the
floor. It prints p50 and p95 per request kind and the ratio to the floor.
Target: p95 under 150 ms for both pages on both databases (2-core machine).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from contextlib import ExitStack
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert, select, text

ROOT = Path(__file__).resolve().parents[1]
SURNAMES = ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
            "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun",
            "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Krause", "Meier", "Lehmann", "Özdemir",
            "Yılmaz", "Kaya", "Nowak", "Kowalski", "Ivanova", "Popescu", "Abdi", "Haddad", "Nguyen", "Albers"]
GIVEN = ["Anna", "Lena", "Mia", "Sofia", "Emma", "Lukas", "Leon", "Paul", "Jonas", "Elias", "Fatma", "Mehmet",
         "Olena", "Piotr", "Amina", "Omar", "Thi", "Maria", "Peter", "Sabine"]
STATUSES = [("eingegangen", 30), ("in_bearbeitung", 25), ("unterlagen_nachgefordert", 10), ("entscheidungsreif", 5),
            ("entschieden", 10), ("abgeschlossen", 18), ("zurueckgenommen", 2)]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def fill(app, rows: int, seed: int = 7) -> dict:
    """Insert ``rows`` applications (with drafts and a first status event)."""
    from tests.staff import create_offices, first_valid_case
    from webapp.office.models import CaseEvent
    from webapp.office.search import ApplicationWord, words
    from webapp.storage import Application, Draft

    made = create_offices(app)
    storage = app.extensions["formwerk.storage"]
    published = app.extensions["formwerk.catalog"].get("buergergeld")
    answers, _ = first_valid_case()
    answers_text = json.dumps(answers, ensure_ascii=False, sort_keys=True)
    rng = random.Random(seed)
    states = [s for s, w in STATUSES for _ in range(w)]
    now = datetime.now(timezone.utc)
    teams = {"nord": [made.team[("nord", "A-K")], made.team[("nord", "L-Z")]], "sued": [made.team[("sued", "A-Z")]]}
    staff = {"nord": [made.staff["caseworker_a"], made.staff["caseworker_a2"], None, None],
             "sued": [made.staff["caseworker_b"], None]}
    chunk = 5000
    with storage.engine.begin() as conn:
        first_draft = (conn.execute(text("SELECT COALESCE(MAX(id), 0) FROM drafts")).scalar() or 0) + 1
        first_app = (conn.execute(text("SELECT COALESCE(MAX(id), 0) FROM applications")).scalar() or 0) + 1
    references = []
    for start in range(0, rows, chunk):
        drafts, applications, events, name_words = [], [], [], []
        for i in range(start, min(rows, start + chunk)):
            office = "nord" if rng.random() < 0.6 else "sued"
            surname, given = rng.choice(SURNAMES), rng.choice(GIVEN)
            team = teams[office][0] if office == "sued" or surname[0].upper() <= "K" else teams[office][1]
            received = now - timedelta(minutes=rng.randrange(0, 90 * 24 * 60))
            status = rng.choice(states)
            reference = f"FW-{received:%Y%m%d}-{i:08X}"
            references.append(reference)
            draft_id, app_id = first_draft + i, first_app + i
            drafts.append(dict(id=draft_id, form_version_id=published.id, token_hash=f"{i:064x}", answers="{}",
                               confirmations="[]", visited="[]", created_at=received, updated_at=received,
                               expires_at=received + timedelta(days=30), submitted=True))
            missing = rng.choice([0, 0, 0, 1, 2])
            warnings = rng.choice([0, 0, 1])
            applications.append(dict(
                id=app_id, reference=reference, draft_id=draft_id, form_version_id=published.id, answers=answers_text,
                findings="[]", confirmations="[]", data_hash="0" * 64, status_token_hash=f"{i:064x}", status=status,
                submitted_at=received, office_id=made.office[office], team_id=team,
                assignee_id=rng.choice(staff[office]), lock_version=0, applicant_name=f"{surname}, {given}",
                search_text=f"{reference} {surname}, {given} {given} {surname}".lower(), postcode="10115",
                notify_email=None, household_size=rng.randint(1, 5),
                estimate=Decimal(rng.randint(0, 250000)) / 100, confirmed_warnings=warnings,
                missing_documents=missing, complete=missing == 0 and warnings == 0,
                request_deadline=(date.today() + timedelta(days=rng.randint(-10, 14))) if status == "unterlagen_nachgefordert" else None,
                acknowledged_at=None, updated_at=received))
            events.append(dict(application_id=app_id, at=received, actor="applicant", from_status=None,
                               to_status="eingegangen", comment=""))
            name_words.extend(dict(application_id=app_id, word=w) for w in words(f"{surname}, {given}"))
        with storage.engine.begin() as conn:
            conn.execute(insert(Draft.__table__), drafts)
            conn.execute(insert(Application.__table__), applications)
            conn.execute(insert(CaseEvent.__table__), events)
            conn.execute(insert(ApplicationWord.__table__), name_words)
    with storage.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT setval(pg_get_serial_sequence('drafts', 'id'), (SELECT MAX(id) FROM drafts))"))
            conn.execute(text("SELECT setval(pg_get_serial_sequence('applications', 'id'), (SELECT MAX(id) FROM applications))"))
            conn.execute(text("ANALYZE"))
        else:
            conn.execute(text("ANALYZE"))
    return {"offices": made, "references": references}


def timed(fn, n: int) -> list[float]:
    fn()  # warm up
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def measure(url: str, rows: int, n: int) -> list[tuple[str, list[float], list[float]]]:
    from tests.conftest import make_app
    from tests.staff import login
    from webapp.storage import Application

    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(Path(tmp), DATABASE_URL=url)
        t0 = time.perf_counter()
        filled = fill(app, rows)
        print(f"  filled {rows:,} applications in {time.perf_counter() - t0:.1f} s")
        made, references = filled["offices"], filled["references"]
        storage = app.extensions["formwerk.storage"]
        lead, worker = app.test_client(), app.test_client()
        assert login(lead, made.email["teamlead_a"]).status_code == 302
        assert login(worker, made.email["caseworker_a"]).status_code == 302
        nord = made.office["nord"]
        rng = random.Random(3)
        with storage.reader() as db:
            nord_refs = db.scalars(select(Application.reference).where(Application.office_id == nord)
                                   .order_by(Application.id).limit(5000)).all()

        def page(client, query=""):
            def go():
                response = client.get("/amt/faelle" + query)
                assert response.status_code == 200, response.status_code
            return go

        def open_case():
            response = lead.get(f"/amt/faelle/{rng.choice(nord_refs)}")
            assert response.status_code == 200, response.status_code

        def bare_page(where: str, params: dict):
            sql = text("SELECT id, reference, submitted_at, applicant_name, household_size, estimate, status, "
                       "assignee_id, missing_documents, confirmed_warnings, complete FROM applications "
                       f"WHERE office_id = :office {where} ORDER BY submitted_at DESC LIMIT 25")

            def go():
                with storage.engine.connect() as conn:
                    conn.execute(sql, {"office": nord, **params}).all()
            return go

        def bare_case():
            with storage.engine.connect() as conn:
                conn.execute(text("SELECT * FROM applications WHERE reference = :r"), {"r": rng.choice(nord_refs)}).all()

        results = []
        for label, fn, floor in (
            ("inbox, team lead, first page", page(lead), bare_page("", {})),
            ("inbox, caseworker (own team)", page(worker), bare_page("AND team_id = :team", {"team": made.team[("nord", "A-K")]})),
            ("inbox, status filter", page(lead, "?status=in_bearbeitung"), bare_page("AND status = :s", {"s": "in_bearbeitung"})),
            ("inbox, free text 'müller'", page(lead, "?q=m%C3%BCller"), bare_page("AND id IN (SELECT application_id FROM application_words WHERE word >= :q AND word < :q2)", {"q": "muller", "q2": "muller\U0010ffff"})),
            ("open a case (eAkte)", open_case, bare_case),
        ):
            results.append((label, timed(fn, n), timed(floor, n)))
        storage.engine.dispose()
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.office", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--requests", type=int, default=200, help="requests per kind (default 200)")
    args = parser.parse_args(argv)
    with ExitStack() as stack:
        targets = []
        if args.db in ("sqlite", "both"):
            folder = stack.enter_context(tempfile.TemporaryDirectory())
            targets.append(("SQLite", f"sqlite:///{folder}/office.db"))
        if args.db in ("postgresql", "both"):
            from tests.postgres import postgres_url

            try:
                targets.append(("PostgreSQL", stack.enter_context(postgres_url())))
            except RuntimeError as exc:
                print(f"PostgreSQL skipped: {exc}")
        worst = 0.0
        for name, url in targets:
            print(f"\n{name}, {args.rows:,} applications, {args.requests} requests per kind")
            print(f"  {'request':34} {'p50 ms':>8} {'p95 ms':>8}   {'bare SELECT p50/p95 ms':>24}   {'ratio p95':>9}")
            for label, times, floor in measure(url, args.rows, args.requests):
                p50, p95 = statistics.median(times), percentile(times, 0.95)
                f50, f95 = statistics.median(floor), percentile(floor, 0.95)
                worst = max(worst, p95)
                print(f"  {label:34} {p50:8.1f} {p95:8.1f}   {f50:11.2f} / {f95:10.2f}   {p95 / f95:8.1f}x")
        print(f"\nworst p95: {worst:.1f} ms (target < 150 ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
