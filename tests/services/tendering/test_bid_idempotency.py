"""The same submission sent twice — a double click, a retry, two connections at once — makes
one bid, and both answers carry the same receipt."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from services.tendering.service import own_bids, submit_bid
from tenants.context import connection, tenant_tx
from tests.services.tendering.tendering_helpers import (
    SEALING_KEY,
    answers,
    new_business,
    new_buyer,
    new_key,
    published_tender,
)

pytestmark = pytest.mark.usefixtures("database")


async def send(
    business,
    tender_id: int,
    key: str,
    *,
    inserted: asyncio.Event | None = None,
    hold: asyncio.Event | None = None,
):
    async with tenant_tx(business.scope):
        receipt = await submit_bid(
            tender_id,
            person_id=business.person_id,
            idempotency_key=key,
            price="399000",
            answers=answers(),
            sealing_key=SEALING_KEY,
        )
        if inserted is not None:
            inserted.set()
        if hold is not None:
            await hold.wait()  # keep the transaction open while the twin arrives
        return receipt


async def test_the_same_submission_sent_twice_in_a_row_makes_one_bid():
    tender_id = await published_tender(await new_buyer())
    business = await new_business()
    key = new_key()
    first = await send(business, tender_id, key)
    second = await send(business, tender_id, key)
    assert (second.bid_id, second.received_at, second.sha256) == (
        first.bid_id,
        first.received_at,
        first.sha256,
    )
    assert (first.duplicate, second.duplicate) == (False, True)


async def test_the_same_submission_sent_twice_at_once_on_two_connections_makes_one_bid(settings):
    tender_id = await published_tender(await new_buyer())
    business = await new_business()
    key = new_key()
    inserted, release = asyncio.Event(), asyncio.Event()

    async def twin():
        await inserted.wait()  # the first bid is in, not yet committed
        return await send(business, tender_id, key)

    async def commit_first_once_the_twin_waits_for_it():
        watcher = await asyncpg.connect(settings.database_url)
        try:
            for _ in range(200):
                # Only this run's database: another run or a `make run` may be bidding too.
                waiting = await watcher.fetchval(
                    "select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
                    " and query like 'insert into bid%' and datname = current_database()"
                )
                if waiting:
                    break
                await asyncio.sleep(0.02)
        finally:
            await watcher.close()
        release.set()
        return waiting

    first, second, waited = await asyncio.gather(
        send(business, tender_id, key, inserted=inserted, hold=release),
        twin(),
        commit_first_once_the_twin_waits_for_it(),
    )
    assert waited == 1  # the twin's insert really queued behind the first, uncommitted one
    assert first.bid_id == second.bid_id
    assert first.sha256 == second.sha256
    assert sorted([first.duplicate, second.duplicate]) == [False, True]
    async with tenant_tx(business.scope):
        assert len(await own_bids(tender_id)) == 1
        assert (
            await connection().fetchval("select count(*) from bid where tender_id = $1", tender_id)
            == 1
        )


async def test_two_submissions_racing_with_different_keys_leave_one_standing_bid():
    tender_id = await published_tender(await new_buyer())
    business = await new_business()
    results = await asyncio.gather(
        send(business, tender_id, new_key()),
        send(business, tender_id, new_key()),
        return_exceptions=True,
    )
    receipts = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(receipts) == 1
    assert [type(e).__name__ for e in refused] == ["StandingBidExists"]
