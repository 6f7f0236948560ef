"""A draft changed until it is published, a signed contract completed, organisations following
municipalities and regions, and who the mails before the opening go to (never the municipality's
to know)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.errors import InvalidInput, NotFound
from services.tendering import service as tendering
from services.tendering.errors import InvalidTenderInput, InvalidTenderState, NotAMember
from services.tendering.rules import InvalidTenderTransition
from services.tendering.schemas import TenderDraft
from services.tendering.service import follows, notices
from tenants.context import NOBODY, connection, tenant_tx
from tests.services.tendering.tendering_helpers import (
    CRITERIA,
    OPERATOR,
    SEALING_KEY,
    answers,
    db_clock,
    new_business,
    new_buyer,
    new_key,
    published_tender,
)

pytestmark = pytest.mark.usefixtures("database")


async def draft(buyer) -> int:
    now = await db_clock()
    async with tenant_tx(buyer.scope()):
        tender = await tendering.create_tender(
            TenderDraft(
                title="Utkast",
                description="",
                estimated_value="200000",
                award_criteria=CRITERIA,
                qualification_requirements=[],
                questions_deadline=now + timedelta(days=5),
                bid_deadline=now + timedelta(days=10),
            ),
            actor_person_id=buyer.officer,
        )
    return tender.id


async def change(buyer, tender_id: int, person_id: int | None = None, **more):
    now = await db_clock()
    values = {
        "title": "Endra tittel",
        "description": "Ny skildring.",
        "estimated_value": "1500000",
        "award_criteria": CRITERIA,
        "qualification_requirements": ["Skatteattest", " "],
        "questions_deadline": now + timedelta(days=6),
        "bid_deadline": now + timedelta(days=12),
        **more,
    }
    async with tenant_tx(buyer.scope(person_id)):
        return await tendering.update_tender(
            tender_id, TenderDraft(**values), actor_person_id=person_id or buyer.officer
        )


async def test_a_draft_is_changed_and_its_notice_follows_the_new_value():
    buyer = await new_buyer()
    tender_id = await draft(buyer)
    changed = await change(buyer, tender_id)
    assert changed.title == "Endra tittel" and changed.state == "draft"
    assert changed.notice == "local_and_doffin"  # 1 500 000 is above the national threshold
    assert changed.qualification_requirements == ["Skatteattest"]


async def test_a_bad_change_is_refused_and_leaves_the_draft_as_it_was():
    buyer = await new_buyer()
    tender_id = await draft(buyer)
    with pytest.raises(InvalidTenderInput):
        await change(buyer, tender_id, title="  ")
    async with tenant_tx(buyer.scope()):
        assert (await tendering.get_tender(tender_id)).title == "Utkast"


async def test_a_published_tender_is_no_longer_changed_in_the_editor():
    buyer = await new_buyer()
    tender_id = await published_tender(buyer)
    with pytest.raises(InvalidTenderState):
        await change(buyer, tender_id)


async def test_an_evaluator_or_another_municipality_cannot_change_a_draft():
    buyer, other = await new_buyer(), await new_buyer()
    tender_id = await draft(buyer)
    with pytest.raises(NotAMember):
        await change(buyer, tender_id, buyer.evaluator)
    with pytest.raises(NotFound):
        await change(other, tender_id)


async def test_only_a_signed_contract_is_completed():
    buyer = await new_buyer()
    tender_id = await published_tender(buyer)
    async with tenant_tx(buyer.scope()):
        with pytest.raises(InvalidTenderTransition):
            await tendering.complete_tender(tender_id, actor_person_id=buyer.officer)


async def test_an_organisation_sees_and_ends_only_its_own_follows():
    buyer = await new_buyer()
    async with tenant_tx(OPERATOR):
        kommunenummer = await connection().fetchval(
            "select kommunenummer from municipality where id = $1", buyer.tenant_id
        )
    mine, theirs = [await new_business() for _ in range(2)]
    for business in (mine, theirs):
        async with tenant_tx(business.scope):
            await follows.follow(person_id=business.person_id, kommunenummer=kommunenummer)
    async with tenant_tx(mine.scope):
        assert [f.kommunenummer for f in await follows.follows()] == [kommunenummer]
        await follows.unfollow(person_id=mine.person_id, kommunenummer=kommunenummer)
        assert await follows.follows() == []
        with pytest.raises(InvalidInput):
            await follows.follow(person_id=mine.person_id)
        with pytest.raises(NotFound):
            await follows.follow(person_id=mine.person_id, region_slug="finst-ikkje")
    async with tenant_tx(theirs.scope):
        assert len(await follows.follows()) == 1
    async with tenant_tx(buyer.scope()):  # the municipality does not see who follows it
        assert await connection().fetchval("select count(*) from tender_follow") == 0


async def test_who_bid_is_told_only_to_the_mail_jobs_never_to_the_municipality():
    buyer = await new_buyer()
    tender_id = await published_tender(buyer)
    business = await new_business()
    async with tenant_tx(business.scope):
        await tendering.submit_bid(
            tender_id,
            person_id=business.person_id,
            idempotency_key=new_key(),
            price="100000",
            answers=answers(),
            sealing_key=SEALING_KEY,
        )
    for scope in (buyer.scope(), business.scope):
        async with tenant_tx(scope):
            found = await notices.organisations_to_mail(buyer.tenant_id, tender_id, "clarification")
            assert found == []
    async with tenant_tx(NOBODY):
        found = await notices.organisations_to_mail(buyer.tenant_id, tender_id, "clarification")
        assert found == [business.organisation_id]
        # Nothing to reconfirm until the documents change.
        assert await notices.organisations_to_mail(buyer.tenant_id, tender_id, "reconfirm") == []


async def test_an_organisation_is_claimed_once_per_mail():
    buyer = await new_buyer()
    tender_id = await published_tender(buyer)
    business = await new_business()
    async with tenant_tx(business.scope):
        assert await notices.claim_tender_mail(buyer.tenant_id, tender_id, "published")
        assert not await notices.claim_tender_mail(buyer.tenant_id, tender_id, "published")
        assert await notices.claim_tender_mail(buyer.tenant_id, tender_id, "reconfirm:2")
