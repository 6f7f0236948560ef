"""The bid form knows its deadline: the page carries it for web/static/js/tendering.js, which hides
the form when it passes with the page open; drawn after the deadline, the page has no form at all
and says why (without JavaScript too); and the server refuses a late bid whatever the page showed."""

from __future__ import annotations

import html
import re
import secrets
from datetime import timedelta

import pytest

from services.tendering import service as tendering
from tenants.context import tenant_tx
from tests.web.auth.idp import Provider
from tests.web.browsing import HTML, open_site, post
from tests.web.tendering.tender_world import (
    bid,
    db_clock,
    new_business,
    new_buyer,
    new_tender,
    wait_for,
)

pytestmark = pytest.mark.usefixtures("demo")
EN = {**HTML, "accept-language": "en"}
PASSED = "The bid deadline has passed."


@pytest.fixture
async def site(settings, database, demo):
    async with open_site(settings, database, Provider(settings)) as site:
        yield site


def bid_window(page: str) -> str:
    """The part of the page the script watches: from its opening tag to the end of its section."""
    found = re.search(r'<div class="bid-window"[^>]*>.*?</section>', page, re.S)
    assert found, "no bid window on the page"
    return found.group(0)


def closed_message(window: str) -> str:
    found = re.search(r"<div[^>]*data-bid-closed[^>]*>", window)
    assert found, "no deadline message in the bid window"
    return found.group(0)


async def test_the_bid_form_carries_its_deadline_and_a_hidden_message_for_the_script(
    site, settings
):
    buyer = await new_buyer(settings)
    tender_id = await new_tender(buyer)
    business = await new_business(settings)
    browser = await site.browser(business.admin.pid)
    page = await browser.get(f"{business.base}/tenders/{tender_id}", headers=EN)
    assert page.status_code == 200
    async with tenant_tx(business.scope):
        deadline = (await tendering.get_tender(tender_id)).bid_deadline
    window = html.unescape(bid_window(page.text))
    assert f'data-bid-deadline="{deadline.isoformat()}"' in window
    assert "data-server-now=" in window
    assert re.search(r"<form[^>]*/bids\"[^>]*data-bid-open", window), "the form is not marked"
    assert " hidden" in closed_message(window)  # there, for the script to show
    assert PASSED in window
    assert '<script src="/static/js/tendering.js?v=' in html.unescape(page.text)


async def test_drawn_after_the_deadline_the_page_has_no_bid_form_and_says_so(site, settings):
    """The scheduler has not closed the tender yet: it is still published, but past its deadline."""
    buyer = await new_buyer(settings)
    deadline = await db_clock() + timedelta(seconds=1.5)
    tender_id = await new_tender(buyer, bid_deadline=deadline)
    business = await new_business(settings)
    standing = await new_business(settings, "Tidleg AS")
    await bid(settings, standing, tender_id, "1000")
    await wait_for(deadline)

    browser = await site.browser(business.admin.pid)
    page = await browser.get(f"{business.base}/tenders/{tender_id}", headers=EN)
    window = html.unescape(bid_window(page.text))
    assert "<form" not in window and "data-bid-open" not in window
    assert " hidden" not in closed_message(window) and PASSED in window

    # The one with a bid standing is told the same, and offered no withdrawal.
    early = await site.browser(standing.admin.pid)
    window = html.unescape(
        bid_window((await early.get(f"{standing.base}/tenders/{tender_id}", headers=EN)).text)
    )
    assert "/withdraw" not in window and PASSED in window

    # A bid sent from a page drawn earlier is refused by the server all the same.
    late = await post(
        browser,
        f"{business.base}/tenders/{tender_id}/bids",
        {
            "idempotency_key": secrets.token_urlsafe(24),
            "price": "1000",
            "answer:Kvalitet": "Sein",
            "answer:Kompetanse": "Sein",
        },
        headers=EN,
    )
    assert late.status_code == 409
    window = html.unescape(bid_window(late.text))
    assert "the bid was not received" in window and PASSED in window and "<form" not in window
    async with tenant_tx(business.scope):
        assert await tendering.own_bids(tender_id) == []
