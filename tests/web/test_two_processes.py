"""Two app server processes on one PostgreSQL: the state that must be shared
(sessions, drafts, the one-submission rule) lives in the database, so a draft
sent to both processes at the same moment becomes exactly one application.

The servers are real (waitress, as ``make run`` starts it) and the applicant
is the load benchmark's (``benchmarks/web.py``): it fills in a Bürgergeld
example case over HTTP on the first process, then sends it to both."""

from __future__ import annotations

import asyncio
import math
from datetime import date

import aiohttp
from sqlalchemy import create_engine, func, select

from benchmarks import web
from tests.postgres import postgres_url
from webapp.storage import Application, Draft


async def _fill_then_send_to_both(first: str, second: str) -> list[tuple[int, str]]:
    case = web.applications(date.today())[0]
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True),
                                     headers={"X-Forwarded-For": "10.9.9.9"}) as http:
        applicant = web.Applicant(first, http, web.Stats(), case, 0.0, math.inf, web.sample_pdf())
        await applicant.prepare()
        async with http.get(f"{first}/antrag/{web.SLUG}/pruefen") as response:
            assert response.status == 200
            csrf = web.read_page(await response.text()).csrf

        async def send(base: str) -> tuple[int, str]:
            async with http.post(f"{base}/antrag/{web.SLUG}/absenden", data={"csrf_token": csrf},
                                 allow_redirects=False) as response:
                await response.read()
                return response.status, response.headers.get("Location", "")

        sent = await asyncio.gather(send(first), send(second), send(first), send(second))
        assert not any(applicant.stats.errors.values()), applicant.stats.examples
        return sent


def test_a_draft_sent_to_two_processes_at_once_is_one_application():
    with postgres_url() as url:
        web.init_db(url)
        with web.running_server("waitress", 1, url) as first, web.running_server("waitress", 1, url) as second:
            sent = web.run_async(_fill_then_send_to_both(first, second))
        assert all(status == 302 for status, _ in sent), sent
        # every answer leads to the receipt: directly, or through the draft's receipt route
        assert all("/eingang" in location for _, location in sent), sent
        engine = create_engine(url)
        try:
            with engine.connect() as db:
                assert db.scalar(select(func.count()).select_from(Application)) == 1
                assert db.scalar(select(func.count()).select_from(Draft).where(Draft.submitted.is_(True))) == 1
        finally:
            engine.dispose()
