"""In Chromium: the bid form on an open page disappears when the bid deadline passes, and the page
says why, without a reload (web/static/js/tendering.js); the server would refuse the bid anyway."""

from __future__ import annotations

import secrets
from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from services.demo.tenders import ARNE
from services.tendering import service as tendering
from services.tendering.rules import AwardCriterion
from services.tendering.schemas import TenderDraft
from tenants.context import NOBODY, Scope, connection, tenant_tx
from tests.e2e.test_tender_in_browser import GRONG, JONAS_ORG, _person, in_database, log_in

pytestmark = pytest.mark.e2e

SECONDS_TO_DEADLINE = 20


async def _closing_tender(settings) -> int:
    """A published Grong tender whose bids close in a few seconds on the database's clock."""
    arne = await _person(settings, ARNE)
    async with tenant_tx(NOBODY):
        grong = await connection().fetchval(
            "select id from municipality where kommunenummer = $1", GRONG
        )
        now = await connection().fetchval("select clock_timestamp()")
    deadline = now + timedelta(seconds=SECONDS_TO_DEADLINE)
    async with tenant_tx(Scope(tenant_id=grong, person_id=arne)):
        tender = await tendering.create_tender(
            TenderDraft(
                title=f"Snart stengd {secrets.token_hex(2)}",
                description="Fristen går medan sida er open.",
                estimated_value=Decimal(100_000),
                award_criteria=[
                    AwardCriterion("Kvalitet", 60),
                    AwardCriterion("Pris", 40, is_price=True),
                ],
                qualification_requirements=[],
                questions_deadline=deadline - timedelta(seconds=5),
                bid_deadline=deadline,
            ),
            actor_person_id=arne,
        )
        await tendering.publish_tender(tender.id, actor_person_id=arne)
    return tender.id


def test_the_bid_form_disappears_when_the_deadline_passes_with_the_page_open(
    browser, product, settings
):
    base, issuer, _ = product
    tender_id = in_database(settings, lambda: _closing_tender(settings))
    page = browser.new_context(locale="nb-NO").new_page()
    page.set_default_timeout(15_000)
    log_in(page, base, issuer, "Jonas Hegre", f"/o/{JONAS_ORG}/tenders/{tender_id}")

    form = page.locator("form.bid-form")
    message = page.locator("[data-bid-closed]")
    expect(form).to_be_visible()
    expect(message).to_be_hidden()

    # No reload: the script sees the deadline pass on the server's clock.
    expect(form).to_be_hidden(timeout=(SECONDS_TO_DEADLINE + 10) * 1000)
    expect(message).to_be_visible()
    expect(message).to_have_attribute("role", "status")  # a screen reader hears it too
    page.context.close()
