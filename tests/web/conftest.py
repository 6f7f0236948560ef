"""A client for the whole app in the test's own event loop, sharing the suite's database pool.

Litestar's AsyncTestClient runs the app in a thread with its own loop; the suite's asyncpg
pool belongs to the session loop, so the app is driven through httpx's ASGI transport here.
"""

from __future__ import annotations

import dataclasses
from contextlib import asynccontextmanager

import httpx
import pytest
from asgi_lifespan import LifespanManager

from services.demo.seed import load_demo
from services.tendering.sealing import SEALING_KEY_PURPOSE
from web.app import create_app


@pytest.fixture(scope="session")
async def demo(database, settings):
    await load_demo(settings.derived_key("pid"), settings.derived_key(SEALING_KEY_PURPOSE))


@asynccontextmanager
async def serve(app):
    async with LifespanManager(app) as manager:

        async def per_request_state(scope, receive, send):
            # As uvicorn does: each request gets its own copy of the lifespan state. asgi-lifespan
            # hands every request the same dict, and Litestar caches a request's parsed headers
            # and cookies in it, so the next request would see the first one's.
            await app(
                {**scope, "state": dict(manager._state)},  # noqa: SLF001
                receive,
                send,
            )

        transport = httpx.ASGITransport(app=per_request_state)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client


@pytest.fixture
async def client(settings, database, demo):
    async with serve(create_app(settings, database=database)) as client:
        yield client


@pytest.fixture
def client_with(settings, database, demo):
    """A client of an app built from these settings with some values changed."""

    def build(**changes):
        return serve(create_app(dataclasses.replace(settings, **changes), database=database))

    return build
