"""A supplier's bids: sent sealed with a receipt, withdrawn, reconfirmed, read back by the bidder.

These run in the bidding organisation's scope (Scope(organisation_id=…)), which sees its own
bids and no one else's. Nothing here enters the municipality's audit chain or outbox before
the opening: an event there would let the municipality count the bids. The bids enter the
chain at the opening, each with its receipt.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

import asyncpg
import msgspec

from services import inputs
from services.errors import N_, InvalidInput
from services.files import FileInput
from services.outbox.service import emit
from services.tendering.errors import (
    BidNotFound,
    InvalidTenderInput,
    NotAMember,
    OrganisationUnverified,
    StandingBidExists,
)
from services.tendering.receipts import BidReceiptView, file_of
from services.tendering.rules import check_bid_documents
from services.tendering.schemas import BidReceipt, OwnBidContent, OwnBidView
from services.tendering.sealing import (
    SealedBid,
    receipt_digest,
    seal,
    unseal_row,
)
from services.tendering.service._common import (
    bid_errors,
    criteria_of,
    load_public_tender,
    require_organisation_member,
)
from tenants.context import connection, current_scope, fetch_structs

_RECEIPT = (
    "select id as bid_id, tender_id, received_at, encode(receipt_sha256, 'hex') as sha256"
    " from bid where tenant_id = $1 and tender_id = $2 and organisation_id = app_organisation_id()"
    " and idempotency_key = $3"
)


def _price(price: Decimal | int | str) -> Decimal:
    """The price as typed (services.inputs reads it), above 0 and in øre."""
    try:
        value = inputs.amount(price, "price", above_zero=True)
    except InvalidInput as refused:
        raise InvalidTenderInput(
            f"bid_{refused.code}", refused.message, field="price", values=refused.values
        ) from None
    return value.quantize(Decimal("0.01"))


def _answers(criteria, answers: Mapping[str, str]) -> dict[str, str]:
    wanted = {c.name for c in criteria if not c.is_price}
    unknown = sorted(set(answers) - wanted)
    if unknown:
        raise InvalidTenderInput(
            "bid_answer_unknown_criterion",
            N_("Answer the tender's award criteria only."),
            field="answers",
        )
    missing = sorted(name for name in wanted if not str(answers.get(name, "")).strip())
    if missing:
        raise InvalidTenderInput(
            "bid_answer_missing", N_("Answer every award criterion."), field="answers"
        )
    return {name: str(answers[name]).strip() for name in sorted(wanted)}


async def submit_bid(
    tender_id: int,
    *,
    person_id: int,
    idempotency_key: str,
    price: Decimal | int | str,
    answers: Mapping[str, str],
    documents: Sequence[FileInput] = (),
    sealing_key: bytes,
) -> BidReceipt:
    """Send a sealed bid for the transaction's organisation; returns the receipt.

    The same idempotency key sent again (a retry, a double click, at the same moment on two
    connections) gives the first bid's receipt and no second bid. The database refuses a bid
    at or after the deadline by its own clock.
    """
    if current_scope.get().organisation_id is None:
        raise NotAMember()
    key = idempotency_key.strip()
    if not 16 <= len(key) <= 200:
        raise InvalidTenderInput(
            "bid_idempotency_key_invalid",
            N_("The form has expired; open it again."),
            field="idempotency_key",
        )
    organisation_id = await require_organisation_member(person_id)
    db = connection()
    if not await db.fetchval(
        "select verified_at is not null from organisation where id = app_organisation_id()"
    ):
        raise OrganisationUnverified()
    tender = await load_public_tender(tender_id)
    existing = await db.fetchrow(_RECEIPT, tender["tenant_id"], tender_id, key)
    if existing is not None:
        return BidReceipt(**dict(existing), duplicate=True)
    value = _price(price)
    given = _answers(criteria_of(tender), answers)
    check_bid_documents([(d.name, d.media_type, d.content) for d in documents])
    content = SealedBid(
        tenant_id=tender["tenant_id"],
        tender_id=tender_id,
        organisation_id=organisation_id,
        idempotency_key=key,
        price=value,
        answers=given,
        documents=[msgspec.structs.replace(d, name=d.name.strip()) for d in documents],
    )
    try:
        row = await db.fetchrow(
            "insert into bid (tenant_id, tender_id, organisation_id, submitted_by,"
            " idempotency_key, receipt_sha256, sealed_content, documents_version)"
            " values ($1, $2, app_organisation_id(), $3, $4, $5, $6, 0)"
            " on conflict do nothing"
            " returning id as bid_id, tender_id, received_at,"
            " encode(receipt_sha256, 'hex') as sha256",
            tender["tenant_id"],
            tender_id,
            person_id,
            key,
            receipt_digest(content),
            seal(sealing_key, content),
        )
    except asyncpg.PostgresError as error:
        raise bid_errors(error) from None
    if row is not None:
        await _receipt_mail(row["bid_id"], "received", organisation_id, person_id)
        return BidReceipt(**dict(row))
    # Someone was first: the same submission (its receipt), or a bid already standing.
    existing = await db.fetchrow(_RECEIPT, tender["tenant_id"], tender_id, key)
    if existing is None:
        raise StandingBidExists()
    return BidReceipt(**dict(existing), duplicate=True)


async def withdraw_bid(bid_id: int, *, person_id: int) -> OwnBidView:
    """Withdraw the organisation's bid before the deadline; a new one may then be sent."""
    return await _stamp_standing_bid(bid_id, "withdrawn_at", person_id=person_id)


async def reconfirm_bid(bid_id: int, *, person_id: int) -> OwnBidView:
    """Confirm the bid stands against the tender's changed documents, before the deadline."""
    return await _stamp_standing_bid(bid_id, "reconfirmed_at", person_id=person_id)


async def _stamp_standing_bid(bid_id: int, column: str, *, person_id: int) -> OwnBidView:
    """Stamp the organisation's standing bid by the database's clock; the bid's trigger refuses
    it after the deadline or once the tender no longer takes bids."""
    assert column in ("withdrawn_at", "reconfirmed_at")
    organisation_id = await require_organisation_member(person_id)
    try:
        row = await connection().fetchrow(
            f"update bid set {column} = clock_timestamp() where id = $1"
            " and organisation_id = app_organisation_id() and withdrawn_at is null returning id",
            bid_id,
        )
    except asyncpg.PostgresError as error:
        raise bid_errors(error) from None
    if row is None:
        raise BidNotFound()
    await _receipt_mail(bid_id, column.removesuffix("_at"), organisation_id, person_id)
    return await own_bid(bid_id)


BID_RECEIPT = "tendering.bid_receipt"


async def _receipt_mail(bid_id: int, what: str, organisation_id: int, person_id: int) -> None:
    """Ask for the receipt mail to the person who acted. The event is the organisation's (in
    no municipality's outbox) and carries ids only: the price stays sealed."""
    await emit(
        BID_RECEIPT,
        {
            "bid_id": bid_id,
            "what": what,
            "organisation_id": organisation_id,
            "person_id": person_id,
        },
    )


async def bid_receipt(bid_id: int, *, sealing_key: bytes) -> BidReceiptView:
    """The organisation's own receipt for one of its bids: price, files, times, checksums."""
    bid = await own_bid(bid_id)
    content = await read_bid(bid_id, sealing_key=sealing_key)
    db = connection()
    tender = await db.fetchrow(
        "select t.title, m.name as municipality_name from public_tender($1) t"
        " join municipality m on m.id = t.tenant_id",
        bid.tender_id,
    )
    organisation = await db.fetchval(
        "select name from organisation where id = app_organisation_id()"
    )
    return BidReceiptView(
        bid_id=bid_id,
        tender_id=bid.tender_id,
        tender_title=tender["title"],
        municipality_name=tender["municipality_name"],
        organisation_name=organisation,
        received_at=bid.received_at,
        sha256=bid.sha256,
        price=content.price,
        files=[file_of(d.name, d.content) for d in content.documents],
        withdrawn_at=bid.withdrawn_at,
        reconfirmed_at=bid.reconfirmed_at,
    )


_OWN = """
    select b.id as bid_id, b.tenant_id, b.tender_id, b.received_at,
           encode(b.receipt_sha256, 'hex') as sha256, b.withdrawn_at, b.reconfirmed_at,
           (b.withdrawn_at is null and b.documents_version < t.documents_version
            and t.state = 'published') as needs_reconfirmation
    from bid b cross join lateral public_tender(b.tender_id) t
    where b.organisation_id = app_organisation_id()
"""


async def own_bid(bid_id: int) -> OwnBidView:
    row = await connection().fetchrow(_OWN + " and b.id = $1", bid_id)
    if row is None:
        raise BidNotFound()
    return OwnBidView(**dict(row))


async def own_bids(tender_id: int | None = None) -> list[OwnBidView]:
    """The organisation's bids, newest first; those to reconfirm say so."""
    return await fetch_structs(
        OwnBidView,
        _OWN + " and ($1::bigint is null or b.tender_id = $1) order by b.received_at desc",
        tender_id,
    )


async def read_bid(bid_id: int, *, sealing_key: bytes) -> OwnBidContent:
    """The content of a bid the transaction may see: its own organisation's, or, after the
    opening, its municipality's. The key comes from the caller's settings."""
    row = await connection().fetchrow(
        "select id, tenant_id, tender_id, organisation_id, idempotency_key, sealed_content"
        " from bid where id = $1",
        bid_id,
    )
    if row is None:
        raise BidNotFound()
    content = unseal_row(sealing_key, row)
    return OwnBidContent(
        bid_id=bid_id,
        price=content.price,
        answers=content.answers,
        documents=content.documents,
    )
