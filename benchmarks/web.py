"""The wizard under load: the real server, many simulated applicants over HTTP.

    .venv/bin/python -m benchmarks.web [--applicants 50] [--think 1.0] [--duration 40]

Starts the app the way production runs it — ``waitress-serve`` (one process,
as ``make run`` does) and ``gunicorn`` with 1, 2 and 4 forked worker processes
— on SQLite and, when Debian's PostgreSQL is installed, on a throwaway
PostgreSQL cluster (``tests/postgres.py``), and drives it with asyncio
applicants (aiohttp, one cookie jar per applicant, so real server-side
sessions and CSRF tokens). Each applicant opens the start page, starts a
Bürgergeld draft and goes through it like a browser would: it reads each page
it is sent to, fills in the answers of one of the form's example cases that is
valid today (read from ``forms/buergergeld/cases/`` at run time; nothing about
the sections or fields is hard-coded), sends an htmx live update
(``HX-Request: true``) for each answer a condition reads, adds list entries,
posts the section, uploads a PDF for the first required document, opens the
review page, confirms the warnings and submits; then starts over as a new
applicant. Between two actions it thinks for ``--think`` seconds (uniform
between half and one and a half times that).

Relaxed for the run, and said so in the output: rate limits are counted per
client address, and all applicants come from 127.0.0.1, so the server runs
behind "one proxy" (``FORMWERK_PROXIES=1``) and each applicant sends its own
``X-Forwarded-For`` address; the limits themselves are multiplied by
``FORMWERK_RATE_LIMIT_FACTOR=10`` (each applicant's address starts several
drafts an hour). Cookies are not ``Secure`` (plain HTTP on 127.0.0.1).

Printed per request kind: requests, throughput, p50/p95/p99 latency, errors,
and the p50/p99 as multiples of the start page's (the floor of the HTTP
stack, measured in the same run). Then the throughput of the same flow
without think time (saturation) on 1, 2 and 4 processes.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import contextlib
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from html import unescape
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SLUG = "buergergeld"
KINDS = ("start page (floor)", "page GET", "live update", "section POST", "upload", "review", "submit")
RELAXED = {"FORMWERK_PROXIES": "1", "FORMWERK_RATE_LIMIT_FACTOR": "10", "FORMWERK_SECURE_COOKIES": "0"}
MAX_POSTS_PER_SECTION = 12
MAX_UPDATES_PER_SECTION = 100


# -- the applications: the form's own example cases ------------------------------------------


def applications(today: date) -> list[dict]:
    """The answers of every Bürgergeld example case that is valid on ``today``
    and needs no pruning: what an applicant would really send."""
    from engine import compile_form, load_form_source

    folder = ROOT / "forms" / SLUG
    form = compile_form(load_form_source(folder))
    found = []
    for path in sorted((folder / "cases").glob("*.json")):
        answers = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal).get("answers")
        if not isinstance(answers, dict):
            continue
        outcome = form.check(answers, as_of=today)
        if outcome.valid and not outcome.pruned:
            found.append(answers)
    if not found:
        raise SystemExit(f"no example case of {SLUG} is valid on {today} without pruning")
    return found


MISSING = object()


def answer_at(answers: dict, pointer: str):
    value = answers
    for token in pointer.strip("/").split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(value, dict) and token in value:
            value = value[token]
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            return MISSING
    return value


def as_text(value) -> str:
    """An answer as an applicant types it (German decimal comma)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    return str(value)


# -- reading a page -----------------------------------------------------------------------------

_TAG = re.compile(r"<(input|select|textarea|button|form)\b([^>]*)>", re.I)
_ATTR = re.compile(r'([\w:-]+)(?:\s*=\s*(?:"([^"]*)"|\'([^\']*)\'))?')
DATE_PARTS = ("tag", "monat", "jahr")


@dataclass
class Page:
    csrf: str | None = None
    revision: str | None = None
    fields: dict[str, str] = field(default_factory=dict)  # name -> "date" | "checkbox" | "other"
    live: set[str] = field(default_factory=set)  # names whose change posts an htmx update
    present: list[str] = field(default_factory=list)
    confirm: list[str] = field(default_factory=list)
    actions: set[str] = field(default_factory=set)
    requirements: list[str] = field(default_factory=list)
    forms: list[str] = field(default_factory=list)
    hidden: list[tuple[str, str]] = field(default_factory=list)  # other hidden inputs a browser sends back


def read_page(html: str) -> Page:
    page = Page()
    for tag, attrs in _TAG.findall(html):
        a = {m[1].lower(): unescape(m[2] or m[3] or "") for m in _ATTR.finditer(attrs)}
        tag = tag.lower()
        name = a.get("name", "")
        if tag == "form":
            page.forms.append(a.get("action", ""))
            continue
        if name == "csrf_token":
            page.csrf = a.get("value")
        elif name == "revision":
            page.revision = a.get("value")
        elif name == "present":
            page.present.append(a.get("value", ""))
        elif name == "confirm":
            page.confirm.append(a.get("value", ""))
        elif name == "action":
            page.actions.add(a.get("value", ""))
        elif name == "requirement":
            page.requirements.append(a.get("value", ""))
        elif tag == "input" and a.get("type") == "hidden" and name and not name.startswith("/"):
            page.hidden.append((name, a.get("value", "")))  # e.g. the hints already shown, the page's fingerprint
        elif name.startswith("/"):
            base, _, part = name.rpartition("-")
            if part in DATE_PARTS and base.startswith("/"):
                page.fields[base] = "date"
            else:
                page.fields.setdefault(name, "checkbox" if a.get("type") == "checkbox" else "other")
            if "hx-post" in a:
                page.live.add(name)
    return page


def fill(page: Page, answers: dict, only: set[str] | None = None) -> list[tuple[str, str]]:
    """The post a browser sends for this page with the case's answers typed in."""
    data = [("csrf_token", page.csrf or "")]
    if page.revision is not None:
        data.append(("revision", page.revision))
    data += [("present", p) for p in page.present]
    data += page.hidden
    data += [("confirm", c) for c in page.confirm]  # the applicant confirms every warning
    for name, kind in page.fields.items():
        if only is not None and name not in only:
            continue
        value = answer_at(answers, name)
        if value is MISSING or value is None:
            continue
        if kind == "date" and isinstance(value, str) and len(value) == 10:
            year, month, day = value.split("-")
            data += [(f"{name}-tag", str(int(day))), (f"{name}-monat", str(int(month))), (f"{name}-jahr", year)]
        elif isinstance(value, list):
            data += [(name, as_text(v)) for v in value if not isinstance(v, (dict, list))]
        elif kind == "checkbox" and value is False:
            continue
        elif not isinstance(value, dict):
            data.append((name, as_text(value)))
    return data


def missing_items(page: Page, answers: dict) -> str | None:
    """The first list on the page with fewer entries than the case has."""
    for action in sorted(page.actions):
        if action.startswith("add:"):
            pointer = action[4:]
            wanted = answer_at(answers, pointer)
            have = sum(1 for a in page.actions if a.startswith(f"remove:{pointer}/") and a.count("/") == pointer.count("/") + 1)
            if isinstance(wanted, list) and len(wanted) > have:
                return action
    return None


# -- measuring ----------------------------------------------------------------------------------


class Stats:
    def __init__(self):
        self.times: dict[str, list[float]] = {k: [] for k in KINDS}
        self.errors: dict[str, int] = dict.fromkeys(KINDS, 0)
        self.examples: dict[str, str] = {}
        self.completed = 0
        self.abandoned = 0
        self.started = time.perf_counter()
        self.ended = self.started

    def add(self, kind: str, seconds: float, error: str | None = None):
        self.times[kind].append(seconds)
        if error:
            self.errors[kind] += 1
            self.examples.setdefault(kind, error)


def quantile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(q * len(ordered) + 0.5)) - 1))]


class Flow(Exception):
    """The applicant cannot go on (an error already counted)."""


class TimeUp(Exception):
    """The run is over; the applicant leaves."""


class Applicant:
    def __init__(self, base: str, http: aiohttp.ClientSession, stats: Stats, answers: dict, think: float,
                 deadline: float, pdf: bytes):
        self.base, self.http, self.stats, self.answers = base, http, stats, answers
        self.think, self.deadline, self.pdf = think, deadline, pdf

    async def pause(self):
        if self.think:
            await asyncio.sleep(random.uniform(0.5, 1.5) * self.think)
        if time.perf_counter() > self.deadline:
            raise TimeUp

    async def request(self, kind: str, method: str, url: str, expect: tuple[int, ...], **kwargs) -> tuple[int, str, str]:
        t0 = time.perf_counter()
        try:
            async with self.http.request(method, url if url.startswith("http") else self.base + url,
                                         allow_redirects=False, **kwargs) as response:
                body = await response.text()
                status, location = response.status, response.headers.get("Location", "")
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            self.stats.add(kind, time.perf_counter() - t0, f"{type(exc).__name__}: {exc}")
            raise Flow from None
        error = None if status in expect else f"{method} {url.split('?')[0]} -> {status}"
        self.stats.add(kind, time.perf_counter() - t0, error)
        if error:
            raise Flow
        return status, body, location

    async def run(self):
        await self.prepare()
        await self.review_and_submit()
        self.stats.completed += 1

    async def prepare(self):
        """Everything up to the review: a complete draft with its document."""
        await self.request("start page (floor)", "GET", "/", (200,))
        await self.pause()
        _, html, _ = await self.request("page GET", "GET", f"/formulare/{SLUG}", (200,))
        await self.pause()
        _, _, url = await self.request("section POST", "POST", f"/antrag/{SLUG}/neu", (302,),
                                       data={"csrf_token": read_page(html).csrf or ""})
        while "/seite/" in url:
            url = await self.section(url)
        await self.documents()

    async def section(self, url: str) -> str:
        """Fill one section; returns where the server sends the applicant next."""
        _, html, _ = await self.request("page GET", "GET", url, (200,))
        page = read_page(html)
        sent: dict[str, object] = {}
        posts = updates = 0
        while posts < MAX_POSTS_PER_SECTION and updates < MAX_UPDATES_PER_SECTION:
            # a live update for the next answer a condition reads, as htmx posts it on change
            live = next((name for name in sorted(page.live)
                         if answer_at(self.answers, name) not in (MISSING, sent.get(name, MISSING))), None)
            if live is not None:
                sent[live] = answer_at(self.answers, live)
                updates += 1
                await self.pause()
                _, fragment, _ = await self.request("live update", "POST", url, (200,),
                                                    data=[*fill(page, self.answers), ("action", "refresh")],
                                                    headers={"HX-Request": "true", "HX-Target": "fields"})
                fresh = read_page(fragment)
                fresh.csrf = page.csrf
                page = fresh
                continue
            action = missing_items(page, self.answers) or "weiter"
            posts += 1
            await self.pause()
            status, html, location = await self.request("section POST", "POST", url, (200, 302),
                                                        data=[*fill(page, self.answers), ("action", action)])
            if status == 302 and action == "weiter":
                return location
            if status == 302:
                _, html, _ = await self.request("page GET", "GET", location.partition("#")[0], (200,))
            page = read_page(html)
        self.stats.add("section POST", 0.0, f"{url.rsplit('/', 1)[-1]}: not accepted after {posts} posts "
                                            f"and {updates} live updates")
        raise Flow

    async def documents(self):
        await self.pause()
        _, html, _ = await self.request("page GET", "GET", f"/antrag/{SLUG}/nachweise", (200,))
        page = read_page(html)
        if page.requirements:
            await self.pause()
            body = aiohttp.FormData()
            body.add_field("csrf_token", page.csrf or "")
            body.add_field("requirement", page.requirements[0])
            body.add_field("file", self.pdf, filename="nachweis.pdf", content_type="application/pdf")
            _, _, location = await self.request("upload", "POST", f"/antrag/{SLUG}/nachweise", (302,), data=body)
            await self.request("page GET", "GET", location, (200,))

    async def review_and_submit(self):
        await self.pause()
        _, html, _ = await self.request("review", "GET", f"/antrag/{SLUG}/pruefen", (200,))
        page = read_page(html)
        if page.confirm:
            await self.pause()
            data = [("csrf_token", page.csrf or ""), ("revision", page.revision or "")] + [("confirm", c) for c in page.confirm]
            await self.request("section POST", "POST", f"/antrag/{SLUG}/pruefen", (302,), data=data)
            _, html, _ = await self.request("review", "GET", f"/antrag/{SLUG}/pruefen", (200,))
        await self.pause()
        _, _, location = await self.request("submit", "POST", f"/antrag/{SLUG}/absenden", (302,),
                                            data={"csrf_token": read_page(html).csrf or ""})
        if "/eingang/" not in location:
            self.stats.add("submit", 0.0, f"submit sent the applicant to {location}")
            raise Flow
        await self.request("page GET", "GET", location, (200,))


def sample_pdf() -> bytes:
    """A one-page scan-sized PDF that passes the upload inspection."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_metadata({"/Title": "Nachweis (Lastmessung)"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


async def drive(base: str, cases: list[dict], applicants: int, think: float, duration: float) -> Stats:
    """Applicants who go through the wizard again and again until ``duration`` is over."""
    stats = Stats()
    pdf = sample_pdf()
    deadline = time.perf_counter() + duration
    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=60)

    async def one(number: int):
        if think:
            await asyncio.sleep(random.uniform(0, think))  # arrive spread over the first think time
        round_ = 0
        while time.perf_counter() < deadline:
            round_ += 1
            address = f"10.{number // 250}.{number % 250}.{round_ % 250 + 1}"
            jar = aiohttp.CookieJar(unsafe=True)
            async with aiohttp.ClientSession(connector=connector, connector_owner=False, cookie_jar=jar,
                                             timeout=timeout, headers={"X-Forwarded-For": address}) as http:
                applicant = Applicant(base, http, stats, cases[(number + round_) % len(cases)], think, deadline, pdf)
                try:
                    await applicant.run()
                except Flow:
                    stats.abandoned += 1
                    await asyncio.sleep(think or 0.05)
                except TimeUp:
                    return

    async def visitor():
        """Someone who only opens the start page: the floor of the HTTP stack, all run long."""
        async with aiohttp.ClientSession(connector=connector, connector_owner=False, timeout=timeout) as http:
            applicant = Applicant(base, http, stats, {}, think or 0.05, deadline, pdf)
            with contextlib.suppress(TimeUp):
                while True:
                    await applicant.pause()
                    with contextlib.suppress(Flow):
                        await applicant.request("start page (floor)", "GET", "/", (200,))

    stats.started = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(applicants)), *(visitor() for _ in range(max(1, applicants // 10))))
    stats.ended = time.perf_counter()
    await connector.close()
    return stats


def run_async(coroutine):
    """``asyncio.run`` in a thread of its own: works where the caller's thread
    already runs an event loop (pytest after Playwright's sync API)."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


# -- in process: CPU per request kind, and a profile -------------------------------------------


class InProcess(Applicant):
    """The same applicant, sent through the Flask test client in this process
    and thread (no server, no think time), so the CPU time of each request is
    the app's own: ``time.thread_time`` around the request, by kind."""

    def __init__(self, client, stats: Stats, answers: dict, pdf: bytes, cpu: dict[str, list[float]], profiler=None,
                 profiled: str | None = None):
        super().__init__("", None, stats, answers, 0.0, float("inf"), pdf)
        self.client, self.cpu = client, cpu
        self.profiler, self.profiled = profiler, profiled  # profile the requests of one kind (None: all)

    async def pause(self):
        return None

    async def request(self, kind: str, method: str, url: str, expect: tuple[int, ...], **kwargs) -> tuple[int, str, str]:
        data, headers = kwargs.get("data"), kwargs.get("headers") or {}
        if isinstance(data, list):
            from werkzeug.datastructures import MultiDict

            data = MultiDict(data)
        headers = {**headers, "X-Forwarded-For": self.address}
        profiling = self.profiler is not None and kind == self.profiled
        if profiling:
            self.profiler.enable()
        t0, c0 = time.perf_counter(), time.thread_time()
        response = self.client.open(url, method=method, data=data, headers=headers)
        cpu = time.thread_time() - c0
        if profiling:
            self.profiler.disable()
        self.cpu.setdefault(kind, []).append(cpu)
        status, body, location = response.status_code, response.get_data(as_text=True), response.headers.get("Location", "")
        error = None if status in expect else f"{method} {url.split('?')[0]} -> {status}"
        self.stats.add(kind, time.perf_counter() - t0, error)
        if error:
            raise Flow
        return status, body, location

    async def documents(self):
        import io

        from werkzeug.datastructures import FileStorage, MultiDict

        _, html, _ = await self.request("page GET", "GET", f"/antrag/{SLUG}/nachweise", (200,))
        page = read_page(html)
        if page.requirements:
            body = MultiDict({"csrf_token": page.csrf or "", "requirement": page.requirements[0]})
            body.add("file", FileStorage(io.BytesIO(self.pdf), filename="nachweis.pdf", content_type="application/pdf"))
            _, _, location = await self.request("upload", "POST", f"/antrag/{SLUG}/nachweise", (302,), data=body)
            await self.request("page GET", "GET", location, (200,))


def in_process(rounds: int, profile: str | None = None, top: int = 40, dump: str | None = None,
               kind: str | None = None) -> dict[str, list[float]]:
    """Every example case through the whole Bürgergeld ``rounds`` times in
    this process (SQLite in a temporary folder); prints the CPU milliseconds
    per request kind (fastest round's median and the mean of all) and, with
    ``profile`` (a cProfile sort key), the profile of the last round (also
    written to ``dump`` for pstats or snakeviz); with ``kind``, of the
    requests of that kind only."""
    import cProfile
    import pstats
    import statistics

    sys.path.insert(0, str(ROOT))
    os.environ.update(RELAXED)
    from webapp import create_app
    from webapp.storage import upgrade

    cases = applications(date.today())
    pdf = sample_pdf()
    with tempfile.TemporaryDirectory(prefix="formwerk-profile-") as folder:
        app = create_app({"INSTANCE_PATH": folder, "DATABASE_URL": f"sqlite:///{folder}/bench.db",
                          "SECRET_KEY": "benchmark", "SESSION_COOKIE_SECURE": False,
                          "RATE_LIMIT_FACTOR": 1000, "PROXY_COUNT": 1})
        upgrade(app.extensions["formwerk.storage"].engine)
        app.extensions["formwerk.catalog"].publish_bundled(ROOT / "forms")
        by_round: list[dict[str, list[float]]] = []
        profiler = cProfile.Profile() if profile or dump else None
        for number in range(rounds + 1):  # round 0 warms the caches (compiled forms, templates)
            cpu: dict[str, list[float]] = {}
            stats = Stats()
            last = profiler is not None and number == rounds
            for index, answers in enumerate(cases):
                applicant = InProcess(app.test_client(), stats, answers, pdf, cpu, profiler if last and kind else None, kind)
                applicant.address = f"10.9.{number % 250}.{index % 250 + 1}"
                if last and not kind:
                    profiler.enable()
                asyncio.run(applicant.run())
                if last and not kind:
                    profiler.disable()
            if any(stats.errors.values()):
                raise SystemExit(f"errors in round {number}: {stats.examples}")
            if number:
                by_round.append(cpu)
        app.extensions["formwerk.storage"].engine.dispose()
    widths = (19, 8, 10, 10, 10)
    print(row(("kind", "requests", "best ms", "mean ms", "total ms"), widths))
    merged: dict[str, list[float]] = {}
    for kind in KINDS:
        rounds_of = [r[kind] for r in by_round if r.get(kind)]
        if not rounds_of:
            continue
        best = min(statistics.median(r) for r in rounds_of)
        every = [t for r in rounds_of for t in r]
        merged[kind] = every
        print(row((kind, len(rounds_of[0]), f"{best * 1e3:.2f}", f"{statistics.fmean(every) * 1e3:.2f}",
                   f"{sum(rounds_of[0]) * 1e3:.0f}"), widths))
    print(f"    per applicant: {min(sum(sum(v) for v in r.values()) for r in by_round) / len(cases) * 1e3:.0f} ms CPU "
          f"(fastest of {rounds} rounds, {len(cases)} example cases)")
    if profiler is not None and dump:
        profiler.dump_stats(dump)
    if profiler is not None and profile:
        pstats.Stats(profiler).sort_stats(profile).print_stats(top)
    return merged


# -- servers and databases ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_command(server: str, processes: int, port: int) -> list[str]:
    """How production runs the app: waitress (one process, threads) as ``make
    run`` does, or gunicorn forking ``processes`` workers with threads."""
    if server == "waitress":
        # waitress drops X-Forwarded-* unless it trusts the proxy (README, "HTTPS and proxies")
        return [str(BIN / "waitress-serve"), "--host", "127.0.0.1", "--port", str(port), "--threads", "8",
                "--trusted-proxy=127.0.0.1", "--trusted-proxy-headers=x-forwarded-for x-forwarded-proto",
                "--call", "webapp:create_app"]
    return [str(BIN / "gunicorn"), "--workers", str(processes), "--worker-class", "gthread", "--threads", "8",
            "--bind", f"127.0.0.1:{port}", "--graceful-timeout", "5", "--timeout", "120", "webapp:create_app()"]


@contextlib.contextmanager
def running_server(server: str, processes: int, database_url: str):
    port = free_port()
    env = {**os.environ, **RELAXED, "DATABASE_URL": database_url}
    log = tempfile.NamedTemporaryFile(prefix=f"formwerk-{server}-", suffix=".log", delete=False)
    proc = subprocess.Popen(server_command(server, processes, port), cwd=ROOT, env=env, stdout=log, stderr=log,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:  # ready when every worker answers (workers boot after the socket is bound)
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"{server} did not start:\n{Path(log.name).read_text(errors='replace')[-2000:]}")
            try:
                run_async(_warm(base, processes))
                break
            except (OSError, aiohttp.ClientError, asyncio.TimeoutError):
                time.sleep(0.5)
        yield base
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        text = Path(log.name).read_text(errors="replace")
        errors = [block for block in text.split("Traceback (most recent call last):")[1:]]
        if errors:
            last = [line for line in errors[0].strip().splitlines() if line.strip()][-1]
            print(f"    server log: {len(errors)} tracebacks, the first ends: {last[:300]} (log: {log.name})")
        else:
            os.unlink(log.name)


async def _warm(base: str, processes: int):
    """Every worker has loaded the app and compiled the forms before
    measuring: the Bürgergeld (its overview) and every published form (the
    start page, which every applicant opens first, lists them all)."""
    async with aiohttp.ClientSession() as http:
        for _ in range(8 * processes):
            for path in (f"/formulare/{SLUG}", "/"):
                async with http.get(f"{base}{path}") as response:
                    await response.read()


def init_db(database_url: str):
    subprocess.run([str(BIN / "flask"), "--app", "webapp", "init-db"], cwd=ROOT, check=True, capture_output=True,
                   env={**os.environ, "DATABASE_URL": database_url})


@contextlib.contextmanager
def databases(which: list[str]):
    """(name, URL) of each database asked for that is available here."""
    with contextlib.ExitStack() as stack:
        found = []
        if "sqlite" in which:
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="formwerk-bench-"))
            found.append(("SQLite", f"sqlite:///{folder}/bench.db"))
        if "postgresql" in which:
            sys.path.insert(0, str(ROOT))
            from tests.postgres import postgres_url

            try:
                found.append(("PostgreSQL", stack.enter_context(postgres_url())))
            except RuntimeError as exc:
                print(f"PostgreSQL skipped: {exc}")
        for _, url in found:
            init_db(url)
        yield found


# -- report -------------------------------------------------------------------------------------


def row(cells, widths):
    return "  ".join(str(c).rjust(w) if i else str(c).ljust(w) for i, (c, w) in enumerate(zip(cells, widths)))


def report(stats: Stats) -> None:
    seconds = stats.ended - stats.started
    widths = (19, 8, 7, 8, 8, 8, 7, 10, 10)
    print(row(("kind", "requests", "per s", "p50 ms", "p95 ms", "p99 ms", "errors", "p50/floor", "p99/floor"), widths))
    floor = stats.times["start page (floor)"]
    f50, f99 = quantile(floor, 0.5), quantile(floor, 0.99)
    for kind in KINDS:
        times = stats.times[kind]
        if not times:
            continue
        p50, p95, p99 = (quantile(times, q) for q in (0.5, 0.95, 0.99))
        print(row((kind, len(times), f"{len(times) / seconds:.1f}", f"{p50 * 1e3:.1f}", f"{p95 * 1e3:.1f}",
                   f"{p99 * 1e3:.1f}", stats.errors[kind], f"{p50 / f50:.1f}x", f"{p99 / f99:.1f}x"), widths))
    total = sum(len(t) for t in stats.times.values())
    print(f"    {total / seconds:.1f} requests/s, {stats.completed} applications submitted "
          f"({stats.completed / seconds * 60:.1f}/min), {stats.abandoned} abandoned after an error")
    for kind, example in stats.examples.items():
        print(f"    first error of {kind}: {example}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.web", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--applicants", type=int, default=50, help="concurrent applicants (default 50)")
    parser.add_argument("--think", type=float, default=1.0, help="seconds between an applicant's actions (default 1)")
    parser.add_argument("--duration", type=float, default=150.0,
                        help="seconds per load run (default 150: an application takes some 60 requests; 0 skips them)")
    parser.add_argument("--saturation", type=float, default=60.0,
                        help="seconds per saturation run without think time on 1, 2, 4 processes (0: skip)")
    parser.add_argument("--db", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql")
    parser.add_argument("--in-process", type=int, default=0, metavar="ROUNDS",
                        help="instead: CPU ms per request kind, every example case through the Flask test client "
                             "ROUNDS times (no server, no think time)")
    parser.add_argument("--profile", metavar="SORT", help="with --in-process: cProfile of the last round, by SORT "
                                                             "(e.g. cumulative, tottime)")
    parser.add_argument("--profile-file", metavar="PATH", help="with --in-process: write that profile to PATH")
    parser.add_argument("--profile-kind", metavar="KIND", choices=KINDS,
                        help="with --in-process: profile only the requests of this kind (e.g. 'live update')")
    args = parser.parse_args(argv)
    if args.in_process:
        in_process(args.in_process, args.profile, dump=args.profile_file, kind=args.profile_kind)
        return 0
    cases = applications(date.today())
    print(f"(d) the wizard under load: {args.applicants} applicants, think time {args.think:g} s, "
          f"{args.duration:g} s per run, {len(cases)} Bürgergeld example cases valid today; {os.cpu_count()} cores, "
          "load generator on the same machine")
    print(f"    relaxed for the run: {' '.join(f'{k}={v}' for k, v in RELAXED.items())} "
          "(one X-Forwarded-For address per applicant, limits x10)")
    with databases(args.db.split(",")) as found:
        for name, url in found if args.duration else ():
            runs = [("waitress", 1)] + ([("gunicorn", 2)] if name == "PostgreSQL" else [])
            for server, processes in runs:
                print()
                print(f"{name}, {server}, {processes} process{'es' if processes > 1 else ''}:")
                with running_server(server, processes, url) as base:
                    report(asyncio.run(drive(base, cases, args.applicants, args.think, args.duration)))
        if args.saturation:
            scale = [entry for entry in found if entry[0] == "PostgreSQL"] or found[:1]
            for name, url in scale:
                print()
                print(f"{name}, saturation (no think time, {2 * (os.cpu_count() or 2) * 4} applicants, "
                      f"{args.saturation:g} s): throughput by worker processes (gunicorn)")
                widths = (10, 12, 14, 12, 14)
                print(row(("processes", "requests/s", "submitted/min", "errors", "section p99 ms"), widths))
                for processes in (1, 2, 4):
                    with running_server("gunicorn", processes, url) as base:
                        stats = asyncio.run(drive(base, cases, 2 * (os.cpu_count() or 2) * 4, 0.0, args.saturation))
                    seconds = stats.ended - stats.started
                    print(row((processes, f"{sum(map(len, stats.times.values())) / seconds:.1f}",
                               f"{stats.completed / seconds * 60:.1f}", sum(stats.errors.values()),
                               f"{quantile(stats.times['section POST'], 0.99) * 1e3:.0f}"), widths))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
