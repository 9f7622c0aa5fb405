"""A throwaway PostgreSQL cluster for the storage tests.

Uses ``FORMWERK_TEST_POSTGRES_URL`` when set (a server someone else runs);
otherwise starts Debian's PostgreSQL with a fresh data directory on
127.0.0.1 and a free port, and stops it when the tests end. initdb refuses to
run as root, so as root the cluster runs as the ``postgres`` user."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager


def _binary(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def postgres_url():
    """Yield a SQLAlchemy URL of an empty PostgreSQL database."""
    given = os.environ.get("FORMWERK_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    if not initdb or not pg_ctl:
        raise RuntimeError("PostgreSQL is not installed: run `make test`, which installs Debian's postgresql")
    as_user: list[str] = []
    workdir = tempfile.mkdtemp(prefix="formwerk-pg-")
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(workdir, user.pw_uid, user.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    data = os.path.join(workdir, "data")
    port = _free_port()
    run = lambda *cmd: subprocess.run([*as_user, *cmd], check=True, capture_output=True, text=True)  # noqa: E731
    run(initdb, "-D", data, "-U", "formwerk", "--auth=trust", "-E", "UTF8", "--locale=C")
    run(pg_ctl, "-D", data, "-l", os.path.join(workdir, "log"), "-w", "-t", "60",
        "-o", f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off", "start")
    try:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={port} user=formwerk dbname=postgres", autocommit=True) as conn:
            conn.execute("CREATE DATABASE formwerk_test")
        yield f"postgresql+psycopg://formwerk@127.0.0.1:{port}/formwerk_test"
    finally:
        subprocess.run([*as_user, pg_ctl, "-D", data, "-m", "fast", "-w", "stop"], capture_output=True)
        shutil.rmtree(workdir, ignore_errors=True)
