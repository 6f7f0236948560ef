"""Tenders from draft to published: validation, the public list across municipalities,
questions answered for everyone without the asker, changed documents, cancellation."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from services.tenancy import service as tenancy
from services.tendering.errors import (
    InvalidTenderInput,
    NotAMember,
    QuestionsDeadlinePassed,
    TenderNotFound,
)
from services.tendering.rules import (
    AwardCriterion,
    CancellationReasonRequired,
    InvalidAwardCriteria,
    InvalidDocument,
    TenderState,
)
from services.tendering.schemas import TenderDraft
from services.tendering.service import (
    add_document,
    answer_question,
    ask_question,
    cancel_tender,
    clarifications,
    create_tender,
    get_tender,
    own_bids,
    published_tenders,
    questions,
    read_bid,
    reconfirm_bid,
    submit_bid,
)
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
    sleep_until,
)

pytestmark = pytest.mark.usefixtures("database")

PDF = b"%PDF-1.7\n% konkurransegrunnlag\n"


async def draft(buyer, **changes):
    now = await db_clock()
    values = dict(
        actor_person_id=buyer.officer,
        title="Forstudie reiseliv",
        description="",
        estimated_value=Decimal(1_500_000),
        award_criteria=CRITERIA,
        qualification_requirements=["Skatteattest"],
        questions_deadline=now + timedelta(days=7),
        bid_deadline=now + timedelta(days=14),
    )
    values.update(changes)
    actor = values.pop("actor_person_id")
    async with tenant_tx(buyer.scope()):
        return await create_tender(TenderDraft(**values), actor_person_id=actor)


async def test_a_tender_says_where_its_notice_must_go_and_checks_its_criteria():
    buyer = await new_buyer()
    tender = await draft(buyer)
    assert tender.state == "draft"
    assert tender.notice == "local_and_doffin"  # from 1 300 000 NOK Doffin too
    with pytest.raises(InvalidAwardCriteria):
        await draft(
            buyer,
            award_criteria=[
                AwardCriterion("Kvalitet", 60),
                AwardCriterion("Pris", 30, is_price=True),
            ],
        )


async def test_a_viewer_or_an_outsider_cannot_create_a_tender():
    buyer = await new_buyer()
    outsider = (await new_buyer()).officer
    with pytest.raises(NotAMember):
        await draft(buyer, actor_person_id=outsider)


async def test_a_draft_is_the_municipalitys_alone_and_the_public_list_shows_the_published():
    buyer, other = await new_buyer(), await new_buyer()
    hidden = await draft(buyer)
    shown = await published_tender(buyer)
    elsewhere = await published_tender(other)
    tomorrow = await db_clock() + timedelta(days=1)
    async with tenant_tx(NOBODY):
        listed = {t.id for t in await published_tenders()}
        with pytest.raises(TenderNotFound):
            await get_tender(hidden.id)
        kommunenummer = await connection().fetchval(
            "select kommunenummer from municipality where id = $1", buyer.tenant_id
        )
        only_buyer = {t.id for t in await published_tenders(kommunenummer=kommunenummer)}
        soon = {t.id for t in await published_tenders(deadline_before=tomorrow)}
    assert {shown, elsewhere} <= listed and hidden.id not in listed
    assert only_buyer == {shown}
    assert shown not in soon
    async with tenant_tx(other.scope()):
        with pytest.raises(TenderNotFound):
            await get_tender(hidden.id)


async def test_the_public_list_filters_by_region():
    buyer = await new_buyer()
    tender_id = await published_tender(buyer)
    async with tenant_tx(OPERATOR):
        slug = f"testregion-{tender_id}"
        region_id = await tenancy.ensure_region(slug, "Testregion")
        await tenancy.add_to_region(region_id, buyer.tenant_id)
    async with tenant_tx(NOBODY):
        found = await published_tenders(region_slug=slug)
    assert [t.id for t in found] == [tender_id]
    assert found[0].region_slugs == [slug]


async def test_a_question_is_answered_for_everyone_without_the_askers_name():
    buyer = await new_buyer()
    tender_id = await published_tender(buyer)
    asker, other = await new_business("Spør AS"), await new_business("Les AS")
    async with tenant_tx(asker.scope):
        question_id = await ask_question(
            tender_id, person_id=asker.person_id, question="Kan vi levere i konsortium?"
        )
    async with tenant_tx(buyer.scope()):
        [asked] = await questions(tender_id)
        assert asked.organisation_id == asker.organisation_id
        await answer_question(
            tender_id,
            actor_person_id=buyer.officer,
            question_id=question_id,
            answer="Ja, med ein hovudleverandør.",
        )
    async with tenant_tx(other.scope):
        [published] = await clarifications(tender_id)
        assert await questions(tender_id) == []  # others never see who asked
    assert published.question == "Kan vi levere i konsortium?"
    assert not hasattr(published, "organisation_id")


async def test_no_question_after_the_questions_deadline():
    buyer = await new_buyer()
    deadline = await db_clock() + timedelta(seconds=1)
    tender_id = await published_tender(buyer, bid_deadline=deadline)
    asker = await new_business()
    await sleep_until(deadline)
    with pytest.raises(QuestionsDeadlinePassed):
        async with tenant_tx(asker.scope):
            await ask_question(tender_id, person_id=asker.person_id, question="For seint?")


async def test_a_late_change_to_the_documents_moves_the_deadline_and_asks_for_reconfirmation():
    buyer = await new_buyer()
    deadline = await db_clock() + timedelta(days=3)  # inside the six days' window
    tender_id = await published_tender(buyer, bid_deadline=deadline)
    business = await new_business()
    async with tenant_tx(business.scope):
        receipt = await submit_bid(
            tender_id,
            person_id=business.person_id,
            idempotency_key=new_key(),
            price="250000",
            answers=answers(),
            sealing_key=SEALING_KEY,
        )
    async with tenant_tx(buyer.scope()):
        change = await add_document(
            tender_id,
            actor_person_id=buyer.officer,
            name="Tillegg 1.pdf",
            media_type="application/pdf",
            content=PDF,
        )
        with pytest.raises(InvalidDocument):
            await add_document(
                tender_id,
                actor_person_id=buyer.officer,
                name="virus.pdf",
                media_type="application/pdf",
                content=b"MZ\x90\x00",
            )
    assert change.deadline_moved and change.bid_deadline - deadline >= timedelta(days=3)
    assert change.documents_version == 2
    async with tenant_tx(business.scope):
        [before] = await own_bids(tender_id)
        after = await reconfirm_bid(receipt.bid_id, person_id=business.person_id)
    assert before.needs_reconfirmation and not after.needs_reconfirmation


async def test_a_tender_is_cancelled_only_with_a_reason():
    buyer = await new_buyer()
    tender_id = await published_tender(buyer)
    async with tenant_tx(buyer.scope()):
        with pytest.raises(CancellationReasonRequired):
            async with connection().transaction():
                await cancel_tender(tender_id, actor_person_id=buyer.officer, reason=" ")
        cancelled = await cancel_tender(
            tender_id, actor_person_id=buyer.officer, reason="Behovet fall bort."
        )
    assert cancelled.state == "cancelled" and cancelled.cancellation_reason == "Behovet fall bort."


async def test_a_draft_cancelled_before_it_was_published_stays_private():
    buyer = await new_buyer()
    never_published = await draft(buyer)
    published_then_cancelled = await published_tender(buyer)
    async with tenant_tx(buyer.scope()):
        for tender_id in (never_published.id, published_then_cancelled):
            await cancel_tender(
                tender_id, actor_person_id=buyer.officer, reason="Intern grunn: budsjettet sprakk."
            )
    every_state = [state.value for state in TenderState]
    async with tenant_tx(NOBODY):
        listed = {t.id for t in await published_tenders(states=every_state)}
        with pytest.raises(TenderNotFound):
            await get_tender(never_published.id)
        assert await clarifications(never_published.id) == []
        # A published tender that is cancelled stays public, with its cancellation.
        shown = await get_tender(published_then_cancelled)
    assert never_published.id not in listed and published_then_cancelled in listed
    assert shown.state == "cancelled"


# "1.999" is 1 999 kroner the Norwegian way (services.inputs); "1,999" is the decimal.
@pytest.mark.parametrize("price", ["0.001", "412500.005", "1,999", "0,005"])
async def test_a_price_with_more_than_two_decimals_is_refused_not_rounded(price):
    buyer = await new_buyer()
    tender_id = await published_tender(buyer)
    business = await new_business()
    async with tenant_tx(business.scope):
        with pytest.raises(InvalidTenderInput) as refused:
            await submit_bid(
                tender_id,
                person_id=business.person_id,
                idempotency_key=new_key(),
                price=price,
                answers=answers(),
                sealing_key=SEALING_KEY,
            )
        assert (refused.value.code, refused.value.field) == ("bid_price_too_many_decimals", "price")
        assert await own_bids(tender_id) == []
        kept = await submit_bid(
            tender_id,
            person_id=business.person_id,
            idempotency_key=new_key(),
            price="412500.50",
            answers=answers(),
            sealing_key=SEALING_KEY,
        )
        content = await read_bid(kept.bid_id, sealing_key=SEALING_KEY)
    assert str(content.price) == "412500.50"
