"""A changed tender, a published clarification and a new tender become mails through the outbox
and a real Worker: to the bidders, askers and followers only, in their language, once each, and
never in the municipality's own outbox (it must not learn who bid)."""

from __future__ import annotations

import re
import secrets

from services.tenancy import service as tenancy
from services.tendering import service as tendering
from services.tendering.service import follows
from tenants.context import connection, tenant_tx
from tests.services.tendering.tendering_helpers import (
    OPERATOR,
    SEALING_KEY,
    answers,
    awarded_tender,
    new_business,
    new_buyer,
    new_key,
    published_tender,
)
from tests.workers.test_notice_mails import (
    drain,
    mail_requests,
    new_person,
    set_own_address,
)
from workers.actors.tendering import mail_bids_to_reconfirm


async def bid(business, tender_id: int) -> int:
    async with tenant_tx(business.scope):
        receipt = await tendering.submit_bid(
            tender_id,
            person_id=business.person_id,
            idempotency_key=new_key(),
            price="400000",
            answers=answers(),
            sealing_key=SEALING_KEY,
        )
    return receipt.bid_id


async def orgnr(business) -> str:
    async with tenant_tx(OPERATOR):
        return await connection().fetchval(
            "select organisasjonsnummer from organisation where id = $1", business.organisation_id
        )


async def test_a_changed_tender_asks_every_bidder_to_reconfirm_once_in_their_language(
    stub, run_worker, inbox
):
    buyer = await new_buyer()
    tender_id = await published_tender(buyer)
    first, second, onlooker = [await new_business(f"Bedrift {n} AS") for n in range(3)]
    senders = [
        await set_own_address(b.person_id, lang) for b, lang in ((first, "nn"), (second, "en"))
    ]
    stranger = await set_own_address(onlooker.person_id, "nb")
    _, member = await new_person("nb", "member", organisation_id=first.organisation_id)
    for b in (first, second):
        await bid(b, tender_id)
    async with tenant_tx(buyer.scope()):
        change = await tendering.add_document(
            tender_id,
            actor_person_id=buyer.officer,
            name="endring.pdf",
            media_type="application/pdf",
            content=b"%PDF-1.4 endra krav",
        )

    with run_worker(stub, threads=2):
        await drain(stub)
        # The relay delivers the event again: no second mail.
        mail_bids_to_reconfirm.send(
            event_id=0,
            kind="tendering.documents_changed",
            tenant_id=buyer.tenant_id,
            payload={"tender_id": tender_id, "documents_version": change.documents_version},
        )
        await drain(stub)

    assert inbox.to(stranger, member) == []  # no bid, or not the sender nor an admin
    got = {m["To"]: m for m in inbox.to(*senders)}
    assert len(inbox.to(*senders)) == 2
    assert got[senders[0]]["Content-Language"] == "nn"
    assert got[senders[1]]["Content-Language"] == "en"
    assert got[senders[1]]["Subject"].startswith("Reconfirm your bid for Prosjektleiing")
    assert "reconfirm the bid before the deadline" in got[senders[1]].get_content()
    assert f"/o/{await orgnr(first)}/tenders/{tender_id}" in got[senders[0]].get_content()
    assert f"/o/{await orgnr(second)}/tenders/{tender_id}" in got[senders[1]].get_content()
    # The requests are not in the municipality's outbox: it cannot see who bid.
    assert await mail_requests(buyer.tenant_id, "bid_to_reconfirm") == []


async def test_a_reconfirmed_or_withdrawn_bid_is_not_asked_again(stub, run_worker, inbox):
    buyer = await new_buyer()
    tender_id = await published_tender(buyer)
    kept, withdrawn = [await new_business(f"Bedrift {n} AS") for n in range(2)]
    addresses = [await set_own_address(b.person_id, "nb") for b in (kept, withdrawn)]
    await bid(kept, tender_id)
    gone = await bid(withdrawn, tender_id)
    async with tenant_tx(withdrawn.scope):
        await tendering.withdraw_bid(gone, person_id=withdrawn.person_id)
    async with tenant_tx(buyer.scope()):
        await tendering.add_document(
            tender_id,
            actor_person_id=buyer.officer,
            name="endring.pdf",
            media_type="application/pdf",
            content=b"%PDF-1.4 endra krav",
        )

    with run_worker(stub, threads=2):
        await drain(stub)

    assert [m["To"] for m in inbox.to(*addresses)] == [addresses[0]]


async def test_a_clarification_is_mailed_to_every_organisation_that_asked_or_bid(
    stub, run_worker, inbox
):
    buyer = await new_buyer()
    tender_id = await published_tender(buyer)
    asker, bidder, onlooker = [await new_business(f"Bedrift {n} AS") for n in range(3)]
    asking, bidding, looking = [
        await set_own_address(b.person_id, lang)
        for b, lang in ((asker, "en"), (bidder, "nb"), (onlooker, "nb"))
    ]
    async with tenant_tx(asker.scope):
        question = await tendering.ask_question(
            tender_id, person_id=asker.person_id, question="Kan vi levere i to delar?"
        )
    await bid(bidder, tender_id)
    async with tenant_tx(buyer.scope()):
        await tendering.answer_question(
            tender_id,
            actor_person_id=buyer.officer,
            answer="Ja, i inntil to delleveransar.",
            question_id=question,
        )

    with run_worker(stub, threads=2):
        await drain(stub)

    assert inbox.to(looking) == []
    got = {m["To"]: m for m in inbox.to(asking, bidding)}
    assert len(inbox.to(asking, bidding)) == 2
    assert got[asking]["Subject"].startswith("A clarification of Prosjektleiing")
    assert got[asking]["Content-Language"] == "en" and got[bidding]["Content-Language"] == "nb"
    for mail in got.values():
        assert "Kan vi levere i to delar?" in mail.get_content()
        assert "Ja, i inntil to delleveransar." in mail.get_content()
    assert await mail_requests(buyer.tenant_id, "clarification_published") == []


async def test_followers_of_the_municipality_or_its_region_hear_of_a_new_tender(
    stub, run_worker, inbox
):
    buyer = await new_buyer()
    slug = f"region-{secrets.token_hex(3)}"
    async with tenant_tx(OPERATOR):
        region = await tenancy.ensure_region(slug, "Testregion")
        await tenancy.add_to_region(region, buyer.tenant_id)
        kommunenummer = await connection().fetchval(
            "select kommunenummer from municipality where id = $1", buyer.tenant_id
        )
    elsewhere = await new_buyer()
    async with tenant_tx(OPERATOR):
        other = await connection().fetchval(
            "select kommunenummer from municipality where id = $1", elsewhere.tenant_id
        )
    of_municipality, of_region, of_other = [await new_business(f"Følgjar {n} AS") for n in range(3)]
    targets = ({"kommunenummer": kommunenummer}, {"region_slug": slug}, {"kommunenummer": other})
    for business, target in zip((of_municipality, of_region, of_other), targets, strict=True):
        async with tenant_tx(business.scope):
            await follows.follow(person_id=business.person_id, **target)
            await follows.follow(person_id=business.person_id, **target)  # once is enough
    addresses = [
        await set_own_address(b.person_id, lang)
        for b, lang in ((of_municipality, "nn"), (of_region, "en"), (of_other, "nb"))
    ]
    _, colleague = await new_person("nb", "member", organisation_id=of_region.organisation_id)

    tender_id = await published_tender(buyer)
    with run_worker(stub, threads=2):
        await drain(stub)

    assert inbox.to(addresses[2]) == []
    got = {m["To"]: m for m in inbox.to(addresses[0], addresses[1], colleague)}
    assert len(inbox.to(addresses[0], addresses[1], colleague)) == 3
    assert got[addresses[0]]["Content-Language"] == "nn"
    assert got[addresses[1]]["Subject"].startswith("Testkommune has published a tender")
    assert f"/tenders/{tender_id}" in got[colleague].get_content()


async def test_the_losing_bidder_reads_the_chosen_bids_scores_beside_its_own(
    stub, run_worker, inbox
):
    buyer, tender_id, businesses, receipts, ranked, award = await awarded_tender()
    losers = [
        b for b, r in zip(businesses, receipts, strict=True) if r.bid_id != award.winning_bid_id
    ]
    address = await set_own_address(losers[0].person_id, "en")

    with run_worker(stub, threads=2):
        await drain(stub)

    (mail,) = inbox.to(address)
    body = mail.get_content().replace("\r\n", "\n")
    assert "The chosen bid's scores beside yours (0–10 per criterion, total 0–100):" in body
    assert re.search(r"^Kvalitet \(50 %\): \d+\.\d\d – yours (\d+\.\d\d|–)$", body, re.M)
    assert re.search(r"^Price: NOK [\d,]+ – yours NOK [\d,]+$", body, re.M)
    assert re.search(r"^Total: \d+\.\d\d – yours (\d+\.\d\d|–)$", body, re.M)
    assert "(KOFA)" in body
