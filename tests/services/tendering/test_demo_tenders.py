"""The demo's tenders: Meråker's published with two sealed bids, Grong's awarded and in its
standstill; loading the demo again leaves the same rows (and Meråker's deadline where it was)."""

from __future__ import annotations

from datetime import timedelta

import asyncpg
import pytest

from services.demo.seed import load_demo
from services.demo.tenders import GRONG_TITLE, MERAAKER_TITLE
from services.tendering.sealing import SEALING_KEY_PURPOSE

pytestmark = pytest.mark.usefixtures("database")

SNAPSHOT = {
    "tender": "select t.id, t.title, t.state, t.bid_deadline, t.standstill_ends_at,"
    " t.winning_bid_id from tender t where t.title = any($1)",
    "bid": "select b.id, b.received_at, b.receipt_sha256, b.price, b.rank from bid b"
    " join tender t on t.tenant_id = b.tenant_id and t.id = b.tender_id where t.title = any($1)"
    # The demo's own bids: a browser test may bid on the demo's open tender as a demo business.
    " and b.idempotency_key like 'demo-bid-%'",
    "award_notice": "select n.id, n.bid_id, n.awarded from award_notice n"
    " join tender t on t.tenant_id = n.tenant_id and t.id = n.tender_id where t.title = any($1)",
}


async def snapshot(settings) -> dict[str, list]:
    # Read as the superuser: the point is what the database holds, not what a scope sees.
    db = await asyncpg.connect(settings.database_url)
    try:
        titles = [MERAAKER_TITLE, GRONG_TITLE]
        return {k: sorted(tuple(r) for r in await db.fetch(q, titles)) for k, q in SNAPSHOT.items()}
    finally:
        await db.close()


async def test_the_demo_tenders_load_once_and_stay_the_same(settings):
    keys = settings.derived_key("pid"), settings.derived_key(SEALING_KEY_PURPOSE)
    await load_demo(*keys)
    first = await snapshot(settings)
    await load_demo(*keys)
    assert await snapshot(settings) == first

    tenders = {row[1]: row for row in first["tender"]}
    assert len(tenders) == 2
    meraaker, grong = tenders[MERAAKER_TITLE], tenders[GRONG_TITLE]
    assert meraaker[2] == "published"
    assert grong[2] == "standstill"
    assert grong[4] - grong[3] >= timedelta(days=10)
    assert len(first["bid"]) == 5
    sealed = [b for b in first["bid"] if b[3] is None]
    opened = [b for b in first["bid"] if b[3] is not None]
    assert len(sealed) == 2 and len(opened) == 3  # Meråker's sealed, Grong's opened
    assert sorted(b[4] for b in opened) == [1, 2, 3]
    assert len(first["award_notice"]) == 3
    assert sum(1 for n in first["award_notice"] if n[2]) == 1
