"""The deadline is judged by the database's clock, in the bid's own INSERT: a bid one second
before it is received, a bid at it is refused, whatever the application's clock says."""

from __future__ import annotations

from datetime import timedelta

import asyncpg
import pytest

from services.tendering.errors import BidDeadlinePassed, DeadlineNotPassed
from services.tendering.service import close_bids, submit_bid, withdraw_bid
from tenants.context import connection, tenant_tx
from tests.services.tendering.tendering_helpers import (
    SEALING_KEY,
    answers,
    db_clock,
    new_business,
    new_buyer,
    new_key,
    published_tender,
    sleep_until,
)

pytestmark = pytest.mark.usefixtures("database")


async def bid(business, tender_id: int):
    async with tenant_tx(business.scope):
        return await submit_bid(
            tender_id,
            person_id=business.person_id,
            idempotency_key=new_key(),
            price="420000",
            answers=answers(),
            sealing_key=SEALING_KEY,
        )


async def test_a_bid_one_second_before_the_deadline_is_received_and_one_at_it_refused():
    buyer = await new_buyer()
    deadline = await db_clock() + timedelta(seconds=2.5)
    tender_id = await published_tender(buyer, bid_deadline=deadline)
    early, late = await new_business("Tidleg AS"), await new_business("Sein AS")

    await sleep_until(deadline - timedelta(seconds=1))
    receipt = await bid(early, tender_id)
    assert deadline - timedelta(seconds=1) <= receipt.received_at < deadline

    await sleep_until(deadline)
    with pytest.raises(BidDeadlinePassed):
        await bid(late, tender_id)
    # Nor may the early bidder withdraw once the deadline has passed.
    with pytest.raises(BidDeadlinePassed):
        async with tenant_tx(early.scope):
            await withdraw_bid(receipt.bid_id, person_id=early.person_id)


async def test_the_database_sets_the_time_of_arrival_whatever_the_client_sends():
    buyer = await new_buyer()
    tender_id = await published_tender(buyer)
    business = await new_business()
    receipt = await bid(business, tender_id)
    async with tenant_tx(business.scope):
        db = connection()
        # The bidder's own row cannot be moved in time, nor its sealed content replaced.
        with pytest.raises(asyncpg.PostgresError, match="never changes"):
            async with db.transaction():
                await db.execute(
                    "update bid set received_at = received_at - interval '1 day' where id = $1",
                    receipt.bid_id,
                )
        stored = await db.fetchval("select received_at from bid where id = $1", receipt.bid_id)
    assert stored == receipt.received_at


async def test_the_bids_close_only_once_the_database_clock_reaches_the_deadline():
    buyer = await new_buyer()
    deadline = await db_clock() + timedelta(seconds=1.5)
    tender_id = await published_tender(buyer, bid_deadline=deadline)
    with pytest.raises(DeadlineNotPassed):
        async with tenant_tx(buyer.scope()):
            await close_bids(tender_id)
    await sleep_until(deadline)
    async with tenant_tx(buyer.scope()):
        closed = await close_bids(tender_id)
    assert closed.state == "bids_closed"
