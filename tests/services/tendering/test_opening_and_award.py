"""After the deadline two people open the bids; evaluators score them; the award notice goes to
every bidder at once and starts a standstill of at least ten days before any contract."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from services.tendering.errors import (
    ConflictOfInterest,
    DeadlineNotPassed,
    SameOpener,
)
from services.tendering.rules import StandstillNotOver
from services.tendering.service import (
    award_notices,
    confirm_opening,
    declare_interest,
    opened_bids,
    own_bids,
    score_bid,
    sign_contract,
    tender_protocol,
)
from tenants.context import connection, tenant_tx
from tests.services.tendering.tendering_helpers import (
    SEALING_KEY,
    awarded_tender,
    new_person,
    sleep_until,
    tender_with_bids,
)

pytestmark = pytest.mark.usefixtures("database")


async def test_the_opening_needs_the_deadline_and_two_different_people():
    buyer, tender_id, deadline, _, receipts = await tender_with_bids(["100000", "200000"])
    with pytest.raises(DeadlineNotPassed):
        async with tenant_tx(buyer.scope()):
            await confirm_opening(tender_id, person_id=buyer.officer, sealing_key=SEALING_KEY)
    await sleep_until(deadline)
    async with tenant_tx(buyer.scope()):
        first = await confirm_opening(tender_id, person_id=buyer.officer, sealing_key=SEALING_KEY)
        # One confirmation opens nothing: the bids stay out of sight.
        assert (
            await connection().fetchval("select count(*) from bid where tender_id = $1", tender_id)
            == 0
        )
    assert not first.completed and first.bids == []
    with pytest.raises(SameOpener):
        async with tenant_tx(buyer.scope()):
            await confirm_opening(tender_id, person_id=buyer.officer, sealing_key=SEALING_KEY)
    async with tenant_tx(buyer.scope(buyer.evaluator)):
        opening = await confirm_opening(
            tender_id, person_id=buyer.evaluator, sealing_key=SEALING_KEY
        )
        bids = await opened_bids(tender_id)
    assert opening.completed
    assert (opening.first_person_id, opening.second_person_id) == (buyer.officer, buyer.evaluator)
    assert [b.bid_id for b in opening.bids] == [r.bid_id for r in receipts]
    assert [b.sha256 for b in opening.bids] == [r.sha256 for r in receipts]
    assert sorted(b.price for b in bids) == [Decimal("100000.00"), Decimal("200000.00")]
    assert all(b.answers["Kvalitet"].startswith("Svar frå") for b in bids)


async def test_an_evaluator_must_declare_no_conflict_of_interest_before_scoring():
    buyer, tender_id, deadline, _, receipts = await tender_with_bids(["100000"])
    await sleep_until(deadline)
    board_member = await new_person("board_member", municipality_id=buyer.tenant_id)
    async with tenant_tx(buyer.scope()):
        await confirm_opening(tender_id, person_id=buyer.officer, sealing_key=SEALING_KEY)
    async with tenant_tx(buyer.scope(board_member)):
        await confirm_opening(tender_id, person_id=board_member, sealing_key=SEALING_KEY)
        with pytest.raises(ConflictOfInterest):
            await score_bid(
                tender_id, receipts[0].bid_id, evaluator_id=board_member, scores={"Kvalitet": 5}
            )
        await declare_interest(
            tender_id,
            person_id=board_member,
            role="board_member",
            conflicted=True,
            note="Bror til dagleg leiar hos tilbydaren",
        )
        with pytest.raises(ConflictOfInterest):
            await score_bid(
                tender_id, receipts[0].bid_id, evaluator_id=board_member, scores={"Kvalitet": 5}
            )


async def test_the_weighted_total_ranks_the_qualified_bids_with_price_against_the_lowest():
    buyer, tender_id, businesses, receipts, ranked, award = await awarded_tender()
    first, second, third = (r.bid_id for r in receipts)
    # The third bid failed qualification: it neither ranks nor sets the lowest price.
    assert [int(r.bid_id) for r in ranked] == [second, first]
    # first: 50*8/10 + 20*6/10 + 30*10/10 = 40 + 12 + 30 = 82
    # second: 50*9/10 + 20*9/10 + 30*(400000/450000) = 45 + 18 + 26.67 = 89.67
    assert ranked[0].total.quantize(Decimal("0.01")) == Decimal("89.67")
    assert ranked[1].total == Decimal(82)
    async with tenant_tx(buyer.scope()):
        bids = {b.bid_id: b for b in await opened_bids(tender_id)}
    assert bids[third].qualified is False
    assert bids[third].qualification_reason == "Skatteattest manglar"
    assert (bids[second].rank, bids[first].rank, bids[third].rank) == (1, 2, None)


async def test_the_award_notice_goes_to_every_bidder_at_once_and_starts_the_standstill():
    buyer, tender_id, businesses, receipts, ranked, award = await awarded_tender()
    assert award.winning_bid_id == receipts[1].bid_id
    assert award.standstill_ends_at - award.award_notified_at >= timedelta(days=10)
    assert sorted(n.bid_id for n in award.notices) == sorted(r.bid_id for r in receipts)
    assert [n.awarded for n in award.notices] == [
        n.bid_id == receipts[1].bid_id for n in award.notices
    ]
    async with tenant_tx(buyer.scope()):
        db = connection()
        sent_at = await db.fetch(
            "select distinct created_at from award_notice where tender_id = $1", tender_id
        )
        events = await db.fetch(
            "select payload from outbox_event where kind = 'tendering.award_notified'"
            " and (payload ->> 'tender_id')::bigint = $1",
            tender_id,
        )
        state = await db.fetchval("select state from tender where id = $1", tender_id)
    assert len(sent_at) == 1  # one transaction: all at once
    assert len(events) == 1
    assert state == "standstill"
    # Each bidder reads its own notice and no other.
    async with tenant_tx(businesses[0].scope):
        mine = await award_notices(tender_id)
        assert [b.bid_id for b in await own_bids(tender_id)] == [receipts[0].bid_id]
    assert [(n.bid_id, n.awarded) for n in mine] == [(receipts[0].bid_id, False)]


async def test_the_contract_cannot_be_signed_during_the_standstill():
    buyer, tender_id, *_ = await awarded_tender()
    with pytest.raises(StandstillNotOver):
        async with tenant_tx(buyer.scope()):
            await sign_contract(tender_id, actor_person_id=buyer.officer)


async def test_the_protocol_lists_what_happened_in_order():
    buyer, tender_id, *_ = await awarded_tender()
    async with tenant_tx(buyer.scope()):
        events = await tender_protocol(tender_id)
    actions = [e.action for e in events]
    assert actions[:5] == [
        "tender.created",
        "tender.published",
        "tender.bids_closed",
        "tender.opening_confirmed",
        "tender.opened",
    ]
    assert actions[-3:] == ["tender.evaluated", "tender.award_notified", "tender.standstill"]
    assert "tender.opening_completed" in actions and "tender.bid_scored" in actions
    assert [e.seq for e in events] == sorted(e.seq for e in events)
    completed = next(e for e in events if e.action == "tender.opening_completed")
    assert len(completed.values["bids"]) == 3
