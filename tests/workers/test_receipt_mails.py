"""A bid sent, withdrawn and reconfirmed each becomes a receipt mail through the outbox and a real
Worker: to the person who did it, in their language, with the price, the files (name, size,
SHA-256), the time on the Norwegian clock and the receipt as a PDF; once each, and never in the
municipality's outbox (it must not learn who bid)."""

from __future__ import annotations

import hashlib
import io
import json
import re

import asyncpg
from pypdf import PdfReader

from services.files import FileInput
from services.tendering import service as tendering
from services.tendering.rules import OSLO
from tenants.context import tenant_tx
from tests.services.tendering.tendering_helpers import (
    SEALING_KEY,
    answers,
    new_business,
    new_buyer,
    new_key,
    published_tender,
)
from tests.workers.test_notice_mails import drain, mail_requests, set_own_address
from workers.actors.tendering import mail_bid_receipt

CV = b"Curriculum vitae: tjue aar i naeringsutvikling.\n" * 40  # 1 920 bytes


def pdf_text(message) -> tuple[str, str, PdfReader]:
    [attachment] = list(message.iter_attachments())
    reader = PdfReader(io.BytesIO(attachment.get_content()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return attachment.get_filename(), text, reader


async def receipt_events(settings, bid_id: int) -> list[dict]:
    """The bid's receipt events, as the relay sees them: they belong to no municipality, and the
    app reads back no event of no tenant, so the schema's owner looks."""
    owner = await asyncpg.connect(settings.owner_database_url)
    try:
        rows = await owner.fetch(
            "select id, tenant_id, payload::text as payload from outbox_event"
            " where kind = 'tendering.bid_receipt' and (payload->>'bid_id')::bigint = $1"
            " order by id",
            bid_id,
        )
    finally:
        await owner.close()
    assert {r["tenant_id"] for r in rows} <= {0}  # in no municipality's outbox
    return [{"id": r["id"], **json.loads(r["payload"])} for r in rows]


async def test_a_bid_sent_is_mailed_as_a_receipt_with_its_pdf_in_the_senders_language(
    stub, run_worker, inbox
):
    buyer = await new_buyer()
    tender_id = await published_tender(buyer)
    business = await new_business("Kvitteringa AS")
    sender = await set_own_address(business.person_id, "nn")
    async with tenant_tx(business.scope):
        receipt = await tendering.submit_bid(
            tender_id,
            person_id=business.person_id,
            idempotency_key=new_key(),
            price="412500",
            answers=answers(),
            documents=[FileInput("cv.txt", "text/plain", CV)],
            sealing_key=SEALING_KEY,
        )

    with run_worker(stub, threads=2):
        await drain(stub)

    [mail] = inbox.to(sender, receipts=True)
    assert mail["X-Samspel-Mail"] == "bid_received"
    assert mail["Content-Language"] == "nn"
    assert mail["Subject"].startswith("Kvittering")
    body = mail.get_body(("plain",)).get_content()
    received = receipt.received_at.astimezone(OSLO).strftime("%d.%m.%Y kl. %H.%M.%S")
    digest = hashlib.sha256(CV).hexdigest()
    price = "412\u00a0500\u00a0kr"  # Norwegian digit groups, held together
    for shown in (price, received, "cv.txt, 1,9\u00a0kB", digest, receipt.sha256):
        assert shown in body, shown
    assert "database" not in body and receipt.received_at.isoformat() not in body
    assert f"/bids/{receipt.bid_id}" in body

    name, text, reader = pdf_text(mail)
    assert name.endswith(f"-{receipt.bid_id}.pdf")
    assert re.search(r"412\s500\skr", text) and received in text and "cv.txt" in text
    assert reader.trailer["/Root"]["/Lang"] == "nn-NO"
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged
    assert reader.metadata.title.endswith(str(receipt.bid_id))

    # The municipality's outbox holds nothing of it: it must not count the bids.
    assert await mail_requests(buyer.tenant_id, "bid_received") == []


async def test_withdrawal_and_reconfirmation_are_mailed_once_each(
    settings, stub, run_worker, inbox
):
    buyer = await new_buyer()
    tender_id = await published_tender(buyer)
    business = await new_business("Attende AS")
    sender = await set_own_address(business.person_id, "en")
    async with tenant_tx(business.scope):
        first = await tendering.submit_bid(
            tender_id,
            person_id=business.person_id,
            idempotency_key=new_key(),
            price="300000",
            answers=answers(),
            sealing_key=SEALING_KEY,
        )
        await tendering.withdraw_bid(first.bid_id, person_id=business.person_id)
        second = await tendering.submit_bid(
            tender_id,
            person_id=business.person_id,
            idempotency_key=new_key(),
            price="290000",
            answers=answers(),
            sealing_key=SEALING_KEY,
        )
    async with tenant_tx(buyer.scope()):
        await tendering.add_document(
            tender_id,
            actor_person_id=buyer.officer,
            name="endring.pdf",
            media_type="application/pdf",
            content=b"%PDF-1.4 endra krav",
        )
    async with tenant_tx(business.scope):
        await tendering.reconfirm_bid(second.bid_id, person_id=business.person_id)

    events = await receipt_events(settings, second.bid_id)
    assert [e["what"] for e in events] == ["received", "reconfirmed"]
    last = events[-1]
    with run_worker(stub, threads=2):
        await drain(stub)
        # The relay delivers the reconfirmation's event again: no second mail.
        mail_bid_receipt.send(
            event_id=last["id"],
            kind="tendering.bid_receipt",
            tenant_id=None,
            payload={k: v for k, v in last.items() if k != "id"},
        )
        await drain(stub)

    receipts = [m for m in inbox.to(sender, receipts=True) if m not in inbox.to(sender)]
    subjects = sorted(m["Subject"] for m in receipts)
    assert len(subjects) == 4, subjects
    assert sum("has been received" in s for s in subjects) == 2
    assert sum("has been withdrawn" in s for s in subjects) == 1
    assert sum("has been reconfirmed" in s for s in subjects) == 1
    withdrawn = next(m for m in receipts if "withdrawn" in m["Subject"])
    body = withdrawn.get_body(("plain",)).get_content()
    assert "NOK 300,000" in body and re.search(r"Withdrawn: \d{1,2} \w{3} \d{4}, \d\d:\d\d:\d\d", body)
    reconfirmed = next(m for m in receipts if "reconfirmed" in m["Subject"])
    _, text, reader = pdf_text(reconfirmed)
    assert "NOK 290,000" in text and "Reconfirmed" in text
    assert reader.trailer["/Root"]["/Lang"] == "en"
