"""The tender API answers a page at a time, as the public list does: by deadline, PAGE at most,
with how many there are in all and the address of the next page."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from tenants.context import connection, tenant_tx
from tests.services.tendering.tendering_helpers import (
    OPERATOR,
    db_clock,
    new_buyer,
    published_tender,
)
from web.paging import PAGE

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture
async def more_tenders_than_a_page():
    """One municipality with PAGE + 3 open tenders, a day's deadline apart, later than any
    other test's tender (so they come last on the unfiltered list the other tests read)."""
    buyer = await new_buyer()
    now = await db_clock()
    tenders = await asyncio.gather(
        *(
            published_tender(buyer, bid_deadline=now + timedelta(days=400 + n))
            for n in range(PAGE + 3)
        )
    )
    async with tenant_tx(OPERATOR):
        kommunenummer = await connection().fetchval(
            "select kommunenummer from municipality where id = $1", buyer.tenant_id
        )
    return kommunenummer, list(tenders)


async def test_the_api_lists_open_tenders_a_page_at_a_time(client, more_tenders_than_a_page):
    kommunenummer, tenders = more_tenders_than_a_page
    first = (await client.get("/api/v1/tenders", params={"kommune": kommunenummer})).json()
    assert first["count"] == PAGE + 3
    assert [t["id"] for t in first["tenders"]] == tenders[:PAGE]
    assert first["next"].startswith(f"/api/v1/tenders?kommune={kommunenummer}&after=")
    second = (await client.get(first["next"])).json()
    assert second["count"] == PAGE + 3
    assert [t["id"] for t in second["tenders"]] == tenders[PAGE:]
    assert second["next"] is None


async def test_a_broken_page_address_is_the_first_page(client, more_tenders_than_a_page):
    kommunenummer, tenders = more_tenders_than_a_page
    answer = await client.get(
        "/api/v1/tenders", params={"kommune": kommunenummer, "after": "not-ours"}
    )
    assert answer.status_code == 200
    assert [t["id"] for t in answer.json()["tenders"]] == tenders[:PAGE]
