"""Durability under SIGKILL: a real server process (waitress, as ``make run``
serves the app), concurrent applicants filling in and sending the
Terminanfrage, and the server killed with SIGKILL and restarted several
times. Afterwards every acknowledged submission must be stored exactly once,
with the applicant's own answers, and every stored data hash must verify.

An applicant whose request fails (connection refused or reset while the
server is down) retries it once the server is back, as a browser user would
reload; a submission whose response was lost leads, on retry, to the receipt.

``python -m tests.security.durability serve PORT`` is the server process
(its configuration comes from the environment); :func:`run` drives one trial.
Used by tests/security/test_durability.py (short) and
benchmarks/durability.py (long).
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
SLUG = "terminanfrage"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


# -- the server process ----------------------------------------------------------------


def serve(port: int) -> None:
    """Serve the app with waitress on 127.0.0.1:port (8 threads, as `make run`)."""
    from waitress import serve as waitress_serve

    from webapp import create_app

    app = create_app({"INSTANCE_PATH": os.environ["FORMWERK_TEST_INSTANCE"], "DATABASE_URL": os.environ["DATABASE_URL"],
                      "SECRET_KEY": "durability-test", "SESSION_COOKIE_SECURE": False, "RATE_LIMIT_FACTOR": 0})
    waitress_serve(app, host="127.0.0.1", port=port, threads=8, _quiet=True)


class Server:
    """Starts, kills (SIGKILL) and restarts the server process."""

    def __init__(self, database_url: str, instance: Path):
        self.port = _free_port()
        self.env = {**os.environ, "DATABASE_URL": database_url, "FORMWERK_TEST_INSTANCE": str(instance),
                    "PYTHONPATH": str(ROOT)}
        self.process: subprocess.Popen | None = None
        self.kills = 0

    def start(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "tests.security.durability", "serve", str(self.port)],
                                        cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"server exited: {self.process.stderr.read().decode(errors='replace')[-2000:]}")
                time.sleep(0.05)
        raise RuntimeError("server did not start")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.process.stderr.close()
        self.kills += 1

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        if self.process:
            self.process.stderr.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- one applicant -------------------------------------------------------------------


class Down(Exception):
    """The server did not answer (killed, restarting)."""


@dataclass
class Browser:
    port: int
    cookie: str | None = None

    def request(self, method: str, path: str, data: dict | None = None) -> tuple[int, str, str]:
        """(status, Location, body); raises :class:`Down` when the server is away."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": f"session={self.cookie}"} if self.cookie else {}
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
        except (OSError, http.client.HTTPException) as exc:
            raise Down(str(exc)) from exc
        finally:
            connection.close()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith("session="):
                self.cookie = value.split(";", 1)[0].split("=", 1)[1] or None
        if response.status >= 500:
            raise AssertionError(f"{method} {path}: {response.status}")
        return response.status, response.getheader("Location") or "", text


def _retrying(call, stop: threading.Event, patience: float = 60):
    """Call until the server answers (it may be restarting)."""
    deadline = time.monotonic() + patience
    while True:
        try:
            return call()
        except Down:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@dataclass
class Acknowledged:
    reference: str
    name: str
    retried: bool


def applicant(port: int, number: int, rounds_until: float, stop: threading.Event, out: list, errors: list) -> None:
    """Fill in and send Terminanfragen until time is up."""
    rng = random.Random(number)
    round_ = 0
    while time.monotonic() < rounds_until and not stop.is_set():
        round_ += 1
        name = f"Person{number}x{round_}"
        browser = Browser(port)
        try:
            _, _, html = _retrying(lambda: browser.request("GET", f"/formulare/{SLUG}"), stop)
            token = CSRF.search(html).group(1)
            status, location, _ = _retrying(lambda: browser.request("POST", f"/antrag/{SLUG}/neu", {"csrf_token": token}), stop)
            if status != 302 or "/seite/" not in location:
                continue  # the session was lost with a kill before it was stored: start again
            pages = [
                ("anliegen", {"/anliegen/grund": "erstantrag"}),
                ("termin", {"/termin/kanal": "telefon"}),
                ("termin", {"/termin/kanal": "telefon", "/termin/rufnummer": "030 1234567", "/termin/zeitfenster": "vormittag",
                            "present": "/termin/zeitfenster"}),
                ("unterstuetzung", {"/unterstuetzung/bedarf": "false"}),
                ("kontakt", {"/kontakt/vorname": name, "/kontakt/nachname": "Beispiel", "/kontakt/einwilligung": "true",
                             "present": "/kontakt/einwilligung"}),
            ]
            lost = False
            for section, answers in pages:
                data = {"csrf_token": token, "action": "weiter", **answers}
                status, location, _ = _retrying(lambda: browser.request("POST", f"/antrag/{SLUG}/seite/{section}", data), stop)
                if status == 302 and location.endswith(f"/formulare/{SLUG}"):
                    lost = True  # the draft's session row was not stored before a kill
                    break
                if rng.random() < 0.1:
                    time.sleep(rng.random() * 0.05)
            if lost:
                continue
            retried = False
            while True:
                try:
                    status, location, _ = browser.request("POST", f"/antrag/{SLUG}/absenden", {"csrf_token": token})
                except Down:
                    retried = True  # the response was lost: like a browser user, send again
                    time.sleep(0.1)
                    continue
                break
            hops = 0
            while status == 302 and not location.startswith("/eingang/") and hops < 3:
                hops += 1
                status, location, _ = _retrying(lambda: browser.request("GET", location), stop)
            if not location.startswith("/eingang/FW-"):
                if location.endswith("/pruefen"):
                    errors.append(f"{name}: not sendable ({location})")
                continue
            reference = location.rsplit("/", 1)[1]
            status, _, receipt = _retrying(lambda: browser.request("GET", location), stop)
            if status != 200 or reference not in receipt:
                errors.append(f"{name}: receipt {status}")
                continue
            out.append(Acknowledged(reference, name, retried))
        except Down as exc:
            errors.append(f"{name}: server away too long ({exc})")
        except Exception as exc:  # noqa: BLE001 - reported, and the trial fails
            errors.append(f"{name}: {type(exc).__name__}: {exc}")


# -- a trial ---------------------------------------------------------------------------


@dataclass
class Report:
    acknowledged: list[Acknowledged] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    kills: int = 0
    stored: int = 0
    seconds: float = 0.0

    @property
    def retried(self) -> int:
        return sum(1 for a in self.acknowledged if a.retried)


def run(database_url: str, *, applicants: int = 12, kills: int = 4, seconds: float = 25.0) -> Report:
    """One trial; returns the report after checking the database."""
    from webapp.catalog import Catalog
    from webapp.storage import Storage, upgrade

    workdir = Path(tempfile.mkdtemp(prefix="formwerk-durability-"))
    storage = Storage(database_url)  # migrate and publish the one form once
    upgrade(storage.engine)
    Catalog(storage).publish_folder(ROOT / "forms" / SLUG)
    storage.engine.dispose()
    server = Server(database_url, workdir / "instance")
    server.start()
    report = Report()
    stop = threading.Event()
    began = time.monotonic()
    until = began + seconds
    threads = [threading.Thread(target=applicant, args=(server.port, n, until, stop, report.acknowledged, report.errors))
               for n in range(applicants)]
    for thread in threads:
        thread.start()
    try:
        interval = seconds / (kills + 1)
        for _ in range(kills):
            time.sleep(interval * random.uniform(0.6, 1.2))
            server.kill()
            time.sleep(random.uniform(0.05, 0.4))
            server.start()
        for thread in threads:
            thread.join(timeout=seconds + 120)
    finally:
        stop.set()
        server.stop()
    report.kills = server.kills
    report.seconds = time.monotonic() - began
    verify(database_url, report)
    return report


def verify(database_url: str, report: Report) -> None:
    """Every acknowledged submission exactly once, with its own answers, and
    every stored data hash verifies (AssertionError otherwise)."""
    from sqlalchemy import select

    from webapp.drafts import dumps, loads
    from webapp.storage import Application, FormVersion, Storage

    storage = Storage(database_url)
    try:
        with storage.reader() as db:
            rows = db.scalars(select(Application)).all()
            versions = {v.id: v for v in db.scalars(select(FormVersion)).all()}
    finally:
        storage.engine.dispose()
    report.stored = len(rows)
    by_reference: dict[str, list] = {}
    for row in rows:
        by_reference.setdefault(row.reference, []).append(row)
        version = versions[row.form_version_id]
        record = {"form": version.slug, "version": version.version, "content_hash": version.content_hash,
                  "answers": loads(row.answers), "confirmations": loads(row.confirmations)}
        digest = hashlib.sha256(dumps(record).encode("utf-8")).hexdigest()
        assert digest == row.data_hash, f"{row.reference}: stored hash does not verify"
    names = {}
    for row in rows:
        name = json.loads(row.answers)["kontakt"]["vorname"]
        assert name not in names, f"{name} stored twice ({names[name]}, {row.reference})"
        names[name] = row.reference
    for ack in report.acknowledged:
        assert len(by_reference.get(ack.reference, [])) == 1, f"{ack.reference} stored {len(by_reference.get(ack.reference, []))} times"
        assert names.get(ack.name) == ack.reference, f"{ack.reference} does not hold {ack.name}'s answers"


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "serve":
        serve(int(sys.argv[2]))
    else:
        print("usage: python -m tests.security.durability serve PORT", file=sys.stderr)
        sys.exit(2)
