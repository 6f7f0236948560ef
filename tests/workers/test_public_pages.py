"""The public's tender pages are kept per data version: answered 304 while unchanged, made
stale by the committed event that changes them (through the outbox relay), never holding a
tenant's private rows or a logged-in person's page."""

from __future__ import annotations

import html
import secrets
from datetime import timedelta
from decimal import Decimal

import asyncpg
import pytest
from dramatiq import Message

from services.tendering.schemas import TenderDraft
from services.tendering.service import create_tender
from tenants.context import tenant_tx
from tests.services.tendering.tendering_helpers import (
    CRITERIA,
    db_clock,
    new_buyer,
    published_tender,
)
from tests.web.auth.idp import Provider
from tests.web.browsing import HTML, new_person, open_site
from workers.actors.outbox import forget_public_pages, relay


async def _relay_public_changes(stub) -> int:
    """Relay what is committed; run the public pages' handler on what reached it."""
    await relay(stub)
    queue = stub.queues[forget_public_pages.queue_name]
    mine = [Message.decode(d) for d in list(queue.queue)]
    ran = 0
    for message in mine:
        if message.actor_name == forget_public_pages.actor_name:
            forget_public_pages.fn(**message.kwargs)
            ran += 1
    stub.flush_all()
    return ran


async def _draft(buyer, title: str) -> int:
    now = await db_clock()
    async with tenant_tx(buyer.scope()):
        tender = await create_tender(
            TenderDraft(
                title=title,
                description="Eit utkast ingen andre skal sjå.",
                estimated_value=Decimal(200_000),
                award_criteria=CRITERIA,
                qualification_requirements=["Skatteattest"],
                questions_deadline=now + timedelta(days=7),
                bid_deadline=now + timedelta(days=14),
            ),
            actor_person_id=buyer.officer,
        )
    return tender.id


@pytest.fixture
async def site(settings, database, stub):
    async with open_site(settings, database, Provider(settings)) as opened:
        yield opened


async def test_a_publish_makes_the_kept_list_stale_and_a_draft_never_shows(site, stub, settings):
    public = await site.browser()
    await _relay_public_changes(stub)  # whatever earlier tests left
    first = await public.get("/tenders", headers=HTML)
    assert first.status_code == 200
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "no-cache"
    assert "set-cookie" not in first.headers  # nobody's token or session in the public copy

    # Unchanged: a browser that has the page gets 304, and no page is made for it.
    again = await public.get("/tenders", headers={**HTML, "if-none-match": etag})
    assert (again.status_code, again.content) == (304, b"")

    # A municipality's draft is private: its event is no public change, and it never shows.
    buyer = await new_buyer()
    secret = f"Hemmeleg utkast {secrets.token_hex(3)}"
    await _draft(buyer, secret)
    assert await _relay_public_changes(stub) == 0
    kept = await public.get("/tenders", headers=HTML)
    assert kept.headers["etag"] == etag and secret not in html.unescape(kept.text)

    # A publish: until its event is relayed the kept page stands; then it is stale.
    tender_id = await published_tender(buyer)
    assert (await public.get("/tenders", headers={"if-none-match": etag})).status_code == 304
    assert await _relay_public_changes(stub) == 1
    fresh = await public.get("/tenders", headers={**HTML, "if-none-match": etag})
    assert fresh.status_code == 200 and fresh.headers["etag"] != etag
    assert secret not in html.unescape(fresh.text)
    # The list is paged: the new tender is on its municipality's first page whatever else is open.
    reader = await asyncpg.connect(settings.database_url)
    try:
        kommune = await reader.fetchval(
            "select kommunenummer from municipality where id = $1", buyer.tenant_id
        )
    finally:
        await reader.close()
    own = await public.get(f"/tenders?kommune={kommune}", headers=HTML)
    assert f"/tenders/{tender_id}" in html.unescape(own.text)
    assert secret not in html.unescape(own.text)
    # The API is paged too: the new tender is on one of its pages, following `next`.
    listed, page = [], "/api/v1/tenders"
    while page:
        body = (await public.get(page)).json()
        listed += [t["id"] for t in body["tenders"]]
        page = body["next"]
    assert tender_id in listed


async def test_a_logged_in_page_is_never_kept_nor_given_a_kept_one(site, stub, settings):
    public = await site.browser()
    await public.get("/tenders", headers=HTML)  # the public's copy is kept
    person = await new_person(settings, "Innlogga Lesar")
    reader = await site.browser(person.pid)
    own = await reader.get("/tenders", headers=HTML)
    assert own.status_code == 200
    assert own.headers["cache-control"] == "no-store" and "etag" not in own.headers
    assert person.name in html.unescape(own.text)
    # The person's forms still carry their token on a page that skips the CSRF middleware.
    assert reader.cookies.get("csrftoken") and reader.cookies["csrftoken"] in own.text
    after = await public.get("/tenders", headers=HTML)
    assert person.name not in html.unescape(after.text)
    assert "etag" in after.headers
