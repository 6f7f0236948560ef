"""Redis down: public pages work, pages that need a session and logging in answer 503 with
Retry-After in the person's language, and all comes back by itself when Redis does.

Redis here is always real: a closed port, or the suite's Redis behind a TCP link the test cuts.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from urllib.parse import urlsplit

import pytest

from services.demo.data import PERSONS
from tests.web.auth.idp import Provider
from tests.web.browsing import HTML, open_site
from tests.web.test_security import assert_secured
from web.auth.sessions import COOKIE
from web.unavailable import RETRY_AFTER_SECONDS

CLOSED_PORT = "redis://127.0.0.1:1/0"  # nothing listens on port 1: refused at once
CASE_OFFICER = next(p for p in PERSONS if p.name == "Ingrid Støen")  # Meråker, 5034
EN = {**HTML, "accept-language": "en"}
NN = {**HTML, "accept-language": "nn"}

pytestmark = pytest.mark.usefixtures("demo")


def assert_unavailable_page(response, lang: str) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"] == str(RETRY_AFTER_SECONDS)
    assert response.headers["content-type"].startswith("text/html")
    assert f'<html lang="{lang}"' in response.text
    assert_secured(response)


async def test_with_redis_unreachable_public_pages_still_work(client_with):
    async with client_with(redis_url=CLOSED_PORT) as client:
        assert (await client.get("/", headers=HTML)).status_code == 200
        assert (await client.get("/tenders", headers=HTML)).status_code == 200
        # A cookie from before the outage does not break a public page either.
        client.cookies.set(COOKIE, "a-session-from-before")
        assert (await client.get("/", headers=HTML)).status_code == 200


async def test_with_redis_unreachable_login_answers_503_in_the_persons_language(client_with):
    async with client_with(redis_url=CLOSED_PORT) as client:
        assert_unavailable_page(await client.get("/auth/login", headers=EN), "en")
        assert_unavailable_page(await client.get("/auth/login", headers=NN), "nn")
        api = await client.get("/auth/login", headers={"accept": "application/json"})
    assert api.status_code == 503 and api.json()["error"] == "unavailable"
    assert api.headers["retry-after"] == str(RETRY_AFTER_SECONDS)


async def test_with_redis_unreachable_a_logged_in_page_answers_503_not_a_login(client_with):
    async with client_with(redis_url=CLOSED_PORT) as client:
        client.cookies.set(COOKIE, "a-session-from-before")
        assert_unavailable_page(await client.get("/k/5034", headers=NN), "nn")
        assert_unavailable_page(await client.get("/me", headers=EN), "en")


class RedisLink:
    """A TCP path to the suite's real Redis that the test cuts and restores, as an outage would."""

    def __init__(self, redis_url: str) -> None:
        parts = urlsplit(redis_url)
        self.target = (parts.hostname or "127.0.0.1", parts.port or 6379)
        self.path = parts.path
        self.port = 0
        self.server: asyncio.Server | None = None
        self.pipes: set[asyncio.Task] = set()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}{self.path}"

    async def open(self) -> None:
        # The same port again after a cut, so the app's client needs no new address.
        self.server = await asyncio.start_server(self._connect, "127.0.0.1", self.port)
        self.port = self.server.sockets[0].getsockname()[1]

    async def cut(self) -> None:
        """New connections are refused and live ones are dropped."""
        self.server.close()
        for pipe in list(self.pipes):
            pipe.cancel()
        await asyncio.gather(*self.pipes, return_exceptions=True)
        await self.server.wait_closed()

    async def _connect(self, client_r, client_w) -> None:
        server_r, server_w = await asyncio.open_connection(*self.target)
        for reader, writer in ((client_r, server_w), (server_r, client_w)):
            task = asyncio.ensure_future(self._pump(reader, writer, (client_w, server_w)))
            self.pipes.add(task)
            task.add_done_callback(self.pipes.discard)

    @staticmethod
    async def _pump(reader, writer, both) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            for each in both:
                with contextlib.suppress(Exception):
                    each.close()


async def test_a_redis_outage_gives_503_and_the_same_session_works_again_without_a_restart(
    settings, database
):
    link = RedisLink(settings.redis_url)
    await link.open()
    linked = dataclasses.replace(settings, redis_url=link.url)
    try:
        async with open_site(linked, database, Provider(linked)) as site:
            officer = await site.browser(CASE_OFFICER.pid)
            assert (await officer.get("/k/5034", headers=HTML)).status_code == 200

            await link.cut()
            assert_unavailable_page(await officer.get("/k/5034", headers=NN), "nn")
            assert (await officer.get("/", headers=HTML)).status_code == 200
            assert_unavailable_page(await site.first.get("/auth/login", headers=EN), "en")
            ready = await site.first.get("/health/ready")
            assert ready.status_code == 503 and ready.json()["down"] == ["redis"]

            await link.open()
            back = await officer.get("/k/5034", headers=HTML)
            assert back.status_code == 200 and "Meråker" in back.text
            assert (await site.first.get("/auth/login")).status_code == 302
    finally:
        await link.cut()
