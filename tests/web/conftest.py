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
from web.app import create_app


@pytest.fixture(scope="session")
async def demo(database, settings):
    await load_demo(settings.derived_key("pid"))


@asynccontextmanager
async def serve(app):
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
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
