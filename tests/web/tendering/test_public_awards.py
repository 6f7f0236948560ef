"""The public list's latest awards: a page of them, the newest award notice first.

The country has years of award notices behind it; the first page of /tenders shows the latest
PAGE of them and no more, however many there are.
"""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

import pytest

from services.tendering.service import (
    complete_evaluation,
    confirm_opening,
    declare_interest,
    notify_award,
    record_qualification,
    score_bid,
    submit_bid,
)
from tenants.context import connection, tenant_tx
from tests.services.tendering.tendering_helpers import (
    OPERATOR,
    SEALING_KEY,
    answers,
    db_clock,
    new_business,
    new_buyer,
    new_key,
    published_tender,
    sleep_until,
)
from tests.web.browsing import HTML
from web.paging import PAGE

pytestmark = pytest.mark.usefixtures("demo")


async def _award(buyer, tender_id: int, bid_id: int) -> None:
    """Open, evaluate and award one tender with its one bid."""
    async with tenant_tx(buyer.scope()):
        await confirm_opening(tender_id, person_id=buyer.officer, sealing_key=SEALING_KEY)
    async with tenant_tx(buyer.scope(buyer.evaluator)):
        await confirm_opening(tender_id, person_id=buyer.evaluator, sealing_key=SEALING_KEY)
        await declare_interest(
            tender_id, person_id=buyer.evaluator, role="evaluator", conflicted=False
        )
        await score_bid(
            tender_id, bid_id, evaluator_id=buyer.evaluator, scores={"Kvalitet": 7, "Kompetanse": 7}
        )
        await record_qualification(tender_id, bid_id, actor_person_id=buyer.evaluator, qualified=True)
        await complete_evaluation(tender_id, actor_person_id=buyer.evaluator)
    async with tenant_tx(buyer.scope()):
        await notify_award(tender_id, actor_person_id=buyer.officer, reasons="Einaste tilbod.")


@pytest.fixture
async def more_awards_than_a_page():
    """One municipality with PAGE + 2 awarded tenders, awarded one after another."""
    buyer = await new_buyer()
    business = await new_business("Vinnar AS")
    deadline = await db_clock() + timedelta(seconds=3)
    tenders = await asyncio.gather(
        *(published_tender(buyer, bid_deadline=deadline) for _ in range(PAGE + 2))
    )
    bids = []
    for tender_id in tenders:
        async with tenant_tx(business.scope):
            receipt = await submit_bid(
                tender_id,
                person_id=business.person_id,
                idempotency_key=new_key(),
                price="300000",
                answers=answers(),
                sealing_key=SEALING_KEY,
            )
        bids.append(receipt.bid_id)
    await sleep_until(deadline)
    for tender_id, bid_id in zip(tenders, bids, strict=True):
        await _award(buyer, tender_id, bid_id)
    async with tenant_tx(OPERATOR):
        kommunenummer = await connection().fetchval(
            "select kommunenummer from municipality where id = $1", buyer.tenant_id
        )
    return kommunenummer, tenders


async def test_the_public_list_shows_the_latest_page_of_awards_newest_first(
    client, more_awards_than_a_page
):
    kommunenummer, tenders = more_awards_than_a_page
    page = await client.get(f"/tenders?kommune={kommunenummer}", headers=HTML)
    assert page.status_code == 200
    table = page.text.split('class="ds-table awarded-table"', 1)[1].split("</table>", 1)[0]
    shown = [int(n) for n in re.findall(r'href="/tenders/(\d+)"', table)]
    # The latest PAGE award notices, the last one first; the two oldest wait behind them.
    assert shown == list(reversed(tenders))[:PAGE]
    assert tenders[0] not in shown and tenders[1] not in shown
