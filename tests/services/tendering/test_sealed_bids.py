"""A bid is sealed until the opening: the municipality neither reads nor counts it, other
bidders never see it, and a dump of the database shows no price and no answer."""

from __future__ import annotations

import asyncpg
import pytest

from services.tendering.errors import BidNotFound, StandingBidExists
from services.tendering.sealing import SealBroken
from services.tendering.service import own_bids, read_bid, submit_bid, withdraw_bid
from tenants.context import NOBODY, connection, tenant_tx
from tests.services.tendering.tendering_helpers import (
    SEALING_KEY,
    answers,
    new_business,
    new_buyer,
    new_key,
    published_tender,
)

pytestmark = pytest.mark.usefixtures("database")

SECRET_ANSWER = "Vår hemmelege metode: kvalitetsstyring etter Fossli-modellen"


async def two_bids():
    buyer = await new_buyer()
    tender_id = await published_tender(buyer)
    first, second = await new_business("Første AS"), await new_business("Andre AS")
    receipts = {}
    for business, price in ((first, "987654.32"), (second, "876543.21")):
        async with tenant_tx(business.scope):
            receipts[business.organisation_id] = await submit_bid(
                tender_id,
                person_id=business.person_id,
                idempotency_key=new_key(),
                price=price,
                answers=answers(SECRET_ANSWER),
                sealing_key=SEALING_KEY,
            )
    return buyer, tender_id, first, second, receipts


async def test_the_municipality_sees_no_bid_rows_and_cannot_count_them_before_the_opening():
    buyer, tender_id, *_ = await two_bids()
    async with tenant_tx(buyer.scope()):
        db = connection()
        assert await db.fetchval("select count(*) from bid where tender_id = $1", tender_id) == 0
        assert await db.fetchval("select count(*) from bid") == 0
        assert await db.fetch("select * from bid where tenant_id = app_tenant_id()") == []
        # Nor can it touch them: an update finds nothing, an insert is refused.
        assert (
            await db.execute("update bid set rank = 1 where tender_id = $1", tender_id)
            == "UPDATE 0"
        )
        with pytest.raises(asyncpg.PostgresError, match="row-level security"):
            async with db.transaction():
                await db.execute(
                    "insert into bid (tenant_id, tender_id, organisation_id, submitted_by,"
                    " idempotency_key, receipt_sha256, sealed_content, documents_version)"
                    " select app_tenant_id(), $1, id, 1, repeat('x', 20), sha256(''), '', 1"
                    " from organisation limit 1",
                    tender_id,
                )
        # The audit chain and the outbox say nothing of bids either.
        events = await db.fetch(
            "select action from audit_event where entity = 'tender' and entity_id = $1",
            str(tender_id),
        )
        assert [e["action"] for e in events] == ["tender.created", "tender.published"]
        assert (
            await db.fetchval("select count(*) from outbox_event where kind like 'tendering.bid%'")
            == 0
        )


async def test_the_public_sees_no_bid_rows():
    _, tender_id, *_ = await two_bids()
    async with tenant_tx(NOBODY):
        assert (
            await connection().fetchval("select count(*) from bid where tender_id = $1", tender_id)
            == 0
        )


async def test_a_bidding_organisation_sees_its_own_bid_and_no_other():
    _, tender_id, first, second, receipts = await two_bids()
    async with tenant_tx(first.scope):
        rows = await connection().fetch("select id, organisation_id from bid")
        mine = await own_bids(tender_id)
        content = await read_bid(receipts[first.organisation_id].bid_id, sealing_key=SEALING_KEY)
        with pytest.raises(BidNotFound):
            await read_bid(receipts[second.organisation_id].bid_id, sealing_key=SEALING_KEY)
    assert [(r["id"], r["organisation_id"]) for r in rows] == [
        (receipts[first.organisation_id].bid_id, first.organisation_id)
    ]
    assert [b.bid_id for b in mine] == [receipts[first.organisation_id].bid_id]
    assert str(content.price) == "987654.32"
    assert content.answers["Kvalitet"] == SECRET_ANSWER


async def test_a_dump_before_the_deadline_shows_no_price_and_no_answer(settings):
    _, tender_id, *_ = await two_bids()
    superuser = await asyncpg.connect(settings.database_url)
    try:
        rows = await superuser.fetch("select * from bid where tender_id = $1", tender_id)
    finally:
        await superuser.close()
    assert len(rows) == 2
    for row in rows:
        assert row["price"] is None and row["answers"] is None and row["documents"] is None
        dump = b"".join(v if isinstance(v, bytes) else str(v).encode() for v in row.values())
        for secret in ("987654", "876543", SECRET_ANSWER, "hemmelege", "Kvalitet"):
            assert secret.encode() not in dump


async def test_the_seal_opens_only_with_the_key_of_its_own_tender():
    _, tender_id, first, _, receipts = await two_bids()
    async with tenant_tx(first.scope):
        with pytest.raises(SealBroken):
            await read_bid(receipts[first.organisation_id].bid_id, sealing_key=b"w" * 32)


async def test_a_bidder_withdraws_and_sends_a_new_bid_before_the_deadline():
    _, tender_id, first, _, receipts = await two_bids()
    async with tenant_tx(first.scope):
        with pytest.raises(StandingBidExists):
            async with connection().transaction():
                await submit_bid(
                    tender_id,
                    person_id=first.person_id,
                    idempotency_key=new_key(),
                    price="100000",
                    answers=answers(),
                    sealing_key=SEALING_KEY,
                )
        withdrawn = await withdraw_bid(
            receipts[first.organisation_id].bid_id, person_id=first.person_id
        )
        again = await submit_bid(
            tender_id,
            person_id=first.person_id,
            idempotency_key=new_key(),
            price="100000",
            answers=answers(),
            sealing_key=SEALING_KEY,
        )
        standing = [b.bid_id for b in await own_bids(tender_id) if b.withdrawn_at is None]
    assert withdrawn.withdrawn_at is not None
    assert standing == [again.bid_id]
