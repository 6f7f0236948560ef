"""The award by the rules: every bid's qualification is assessed before the evaluation ends, the
award never goes to an unchecked bid, and the notice keeps what each bidder is told (FOA § 25-1):
the winner, its scores per criterion, and the bidder's own beside them."""

from __future__ import annotations

from decimal import Decimal

import asyncpg
import pytest

from services.tendering.errors import QualificationNotAssessed, WinnerNotQualified
from services.tendering.service import (
    award_notices,
    complete_evaluation,
    confirm_opening,
    declare_interest,
    get_tender,
    notify_award,
    record_qualification,
    score_bid,
)
from tenants.context import NOBODY, tenant_tx
from tests.services.tendering.tendering_helpers import (
    SEALING_KEY,
    awarded_tender,
    sleep_until,
    tender_with_bids,
)

pytestmark = pytest.mark.usefixtures("database")


async def _scored(prices: list[str]):
    """Opened by two, declared, every bid scored; qualification not yet assessed."""
    buyer, tender_id, deadline, businesses, receipts = await tender_with_bids(prices)
    await sleep_until(deadline)
    for person in (buyer.officer, buyer.evaluator):
        async with tenant_tx(buyer.scope(person)):
            await confirm_opening(tender_id, person_id=person, sealing_key=SEALING_KEY)
    async with tenant_tx(buyer.scope(buyer.evaluator)):
        await declare_interest(
            tender_id, person_id=buyer.evaluator, role="evaluator", conflicted=False
        )
        for receipt in receipts:
            await score_bid(
                tender_id,
                receipt.bid_id,
                evaluator_id=buyer.evaluator,
                scores={"Kvalitet": 8, "Kompetanse": 6},
            )
    return buyer, tender_id, receipts


async def test_the_evaluation_is_not_completed_before_every_bid_is_assessed_for_qualification():
    buyer, tender_id, receipts = await _scored(["300000", "400000"])
    async with tenant_tx(buyer.scope(buyer.evaluator)):
        await record_qualification(
            tender_id, receipts[0].bid_id, actor_person_id=buyer.evaluator, qualified=True
        )
    with pytest.raises(QualificationNotAssessed) as refused:
        async with tenant_tx(buyer.scope(buyer.evaluator)):
            await complete_evaluation(tender_id, actor_person_id=buyer.evaluator)
    assert str(refused.value).endswith("Not assessed yet: Tilbydar 1 AS.")  # the one left
    async with tenant_tx(buyer.scope(buyer.evaluator)):
        assert (await get_tender(tender_id)).state == "opened"
        await record_qualification(
            tender_id, receipts[1].bid_id, actor_person_id=buyer.evaluator, qualified=True
        )
        ranked = await complete_evaluation(tender_id, actor_person_id=buyer.evaluator)
    assert len(ranked) == 2


async def test_an_award_to_a_bid_whose_qualification_was_never_assessed_is_refused(settings):
    buyer, tender_id, receipts = await _scored(["300000", "400000"])
    async with tenant_tx(buyer.scope(buyer.evaluator)):
        for receipt in receipts:
            await record_qualification(
                tender_id, receipt.bid_id, actor_person_id=buyer.evaluator, qualified=True
            )
        await complete_evaluation(tender_id, actor_person_id=buyer.evaluator)
    # A tender evaluated before the rule, as the schema's owner can still leave it:
    owner = await asyncpg.connect(settings.owner_database_url)
    try:
        await owner.execute("select set_config('app.tenant_id', $1, false)", str(buyer.tenant_id))
        cleared = await owner.execute(
            "update bid set qualified = null where tender_id = $1 and rank = 1", tender_id
        )
        assert cleared == "UPDATE 1"
    finally:
        await owner.close()
    with pytest.raises(WinnerNotQualified) as refused:
        async with tenant_tx(buyer.scope()):
            await notify_award(tender_id, actor_person_id=buyer.officer, reasons="Best.")
    assert "qualification requirements" in str(refused.value)
    async with tenant_tx(buyer.scope()):
        tender = await get_tender(tender_id)
        assert tender.state == "evaluated" and tender.award_outcome is None
        assert await award_notices(tender_id) == []


async def test_the_notice_keeps_the_winner_its_scores_and_each_bidders_own():
    buyer, tender_id, businesses, receipts, ranked, award = await awarded_tender()
    first, second, third = (r.bid_id for r in receipts)
    # What the public reads once the award is notified: the winner and its scores.
    async with tenant_tx(NOBODY):
        outcome = (await get_tender(tender_id)).award_outcome
    assert outcome is not None and outcome.bids == 3
    assert outcome.winner.organisation_name == "Tilbydar 1 AS"  # the second to bid (0-based)
    assert outcome.winner.price == Decimal("450000")
    assert outcome.winner.total == Decimal("89.67")
    assert outcome.winner.scores == {
        "Kvalitet": Decimal("9.00"),
        "Kompetanse": Decimal("9.00"),
        "Pris": Decimal("8.89"),
    }
    assert outcome.reasons == "Tildelt etter beste forhold mellom pris og kvalitet."
    # A losing bidder reads its own scores beside them, and nobody else's.
    async with tenant_tx(businesses[0].scope):
        (mine,) = await award_notices(tender_id)
    assert mine.bid_id == first and not mine.awarded
    assert mine.outcome.scores["Pris"] == Decimal("10.00") and mine.outcome.total == Decimal(
        "82.00"
    )
    assert mine.outcome.rank == 2
    # The bid that failed qualification is told why.
    async with tenant_tx(businesses[2].scope):
        (failed,) = await award_notices(tender_id)
    assert failed.bid_id == third and failed.outcome.qualified is False
    assert failed.outcome.qualification_reason == "Skatteattest manglar"
    assert failed.outcome.rank is None
    assert second == award.winning_bid_id
