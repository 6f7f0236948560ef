"""Rate limits: a burst of logins from one address, or of forms from one person, is answered with
a clear 429 page that says when to try again, and nobody else is held back by it."""

from __future__ import annotations

import dataclasses
from contextlib import AsyncExitStack, asynccontextmanager

import pytest

from tests.web.auth.idp import Provider
from tests.web.browsing import HTML, Site, new_person, post, text_of
from tests.web.conftest import serve
from web.app import create_app
from web.ratelimit import STORE

LIMIT = 5


@asynccontextmanager
async def limited_site(settings, database):
    settings = dataclasses.replace(settings, rate_limit_per_minute=LIMIT)
    provider = Provider(settings)
    app = create_app(settings, database=database, oidc_transport=provider.transport)
    async with serve(app) as first:
        await app.stores.get(STORE).delete_all()  # this run's earlier counts
        async with AsyncExitStack() as stack:
            yield Site(first, provider, stack)


@pytest.fixture
async def site(settings, database, demo):
    async with limited_site(settings, database) as site:
        yield site


async def test_too_many_logins_from_one_address_get_a_429_page_with_retry_after(site):
    browser = await site.browser()
    answers = [
        (await browser.get("/auth/login", headers=HTML)).status_code for _ in range(LIMIT + 1)
    ]
    assert answers[:LIMIT] == [302] * LIMIT
    refused = await browser.get("/auth/login", headers=HTML)
    assert refused.status_code == 429
    assert "For mange forespørsler. Vent litt og prøv igjen." in text_of(refused)
    assert int(refused.headers["retry-after"]) > 0


async def test_one_person_sending_too_many_forms_does_not_hold_back_another(site, settings):
    first, second = await new_person(settings), await new_person(settings)
    hasty = await site.browser(first.pid)  # two logins: four counted at the login address
    calm = await site.browser(second.pid)
    statuses = [
        (await post(hasty, "/me/active", {"membership": "0"}, headers=HTML)).status_code
        for _ in range(LIMIT + 1)
    ]
    assert 429 not in statuses[:LIMIT]
    assert statuses[LIMIT] == 429
    assert (await post(calm, "/me/active", {"membership": "0"}, headers=HTML)).status_code != 429
