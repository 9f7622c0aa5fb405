"""Durability under SIGKILL (short version; benchmarks/durability.py runs
the long one): a real waitress server process on SQLite and on PostgreSQL,
concurrent applicants sending, the server killed and restarted several times;
every acknowledged submission is stored exactly once and every hash verifies."""

import pytest

from tests.postgres import postgres_url
from tests.security.durability import run


def check(report):
    assert not report.errors, report.errors[:10]
    assert report.kills == 4
    assert len(report.acknowledged) >= 10, f"only {len(report.acknowledged)} submissions in {report.seconds:.0f} s"
    assert report.stored >= len(report.acknowledged)


def test_sqlite_survives_sigkill(tmp_path):
    check(run(f"sqlite:///{tmp_path / 'durability.db'}", applicants=6, kills=4, seconds=15))


@pytest.fixture(scope="module")
def pg_url():
    with postgres_url() as url:
        yield url


def test_postgresql_survives_sigkill(pg_url):
    check(run(pg_url, applicants=6, kills=4, seconds=15))
