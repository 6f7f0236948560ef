"""The award: one notice to every bidder at once, the standstill, the contract, completion."""

from __future__ import annotations

from services.errors import N_
from services.outbox.service import emit
from services.tendering.errors import InvalidTenderInput, InvalidTenderState
from services.tendering.rules import TenderState, check_contract_signing, standstill_end
from services.tendering.schemas import AwardNoticeView, AwardView, TenderView
from services.tendering.service._common import (
    MANAGERS,
    db_now,
    load_tender,
    move_tender,
    require_member,
    tender_view,
)
from tenants.context import connection

_NOTICE = (
    "select id, tender_id, bid_id, organisation_id, awarded, rank, total_score, reasons,"
    " standstill_ends_at from award_notice"
)


async def notify_award(tender_id: int, *, actor_person_id: int, reasons: str) -> AwardView:
    """Award to the best-ranked bid: a notice with the reasons to every bidder in this one
    transaction (the outbox event carries them to the mail part), and the standstill starts."""
    await require_member(actor_person_id, MANAGERS)
    if not reasons.strip():
        raise InvalidTenderInput(
            "award_reasons_required", N_("Give the reasons for the award."), field="reasons"
        )
    tender = await load_tender(tender_id, lock=True)
    if tender["state"] != TenderState.EVALUATED:
        raise InvalidTenderState(tender["state"])
    db = connection()
    winner = await db.fetchval(
        "select id from bid where tenant_id = app_tenant_id() and tender_id = $1 and rank = 1",
        tender_id,
    )
    notified_at = await db.fetchval("select now()")
    ends_at = standstill_end(notified_at)
    tender = await move_tender(
        tender,
        TenderState.AWARD_NOTIFIED,
        actor_person_id=actor_person_id,
        stamp="award_notified_at",
        extra={"winning_bid_id": winner, "standstill_ends_at": ends_at},
    )
    rows = await db.fetch(
        "insert into award_notice (tenant_id, tender_id, bid_id, organisation_id, awarded, rank,"
        " total_score, reasons, standstill_ends_at)"
        " select tenant_id, tender_id, id, organisation_id, id = $2, rank, total_score, $3, $4"
        " from bid where tenant_id = app_tenant_id() and tender_id = $1 and withdrawn_at is null"
        " returning id, tender_id, bid_id, organisation_id, awarded, rank, total_score, reasons,"
        " standstill_ends_at",
        tender_id,
        winner,
        reasons.strip(),
        ends_at,
    )
    notices = sorted((AwardNoticeView(**dict(r)) for r in rows), key=lambda n: n.bid_id)
    tender = await move_tender(tender, TenderState.STANDSTILL, actor_person_id=actor_person_id)
    await emit(
        "tendering.award_notified",
        {"tender_id": tender_id, "notice_ids": [n.id for n in notices]},
    )
    return AwardView(tender_id, winner, tender["award_notified_at"], ends_at, notices)


async def award_notices(tender_id: int) -> list[AwardNoticeView]:
    """The municipality's notices of a tender, or the organisation's own."""
    rows = await connection().fetch(_NOTICE + " where tender_id = $1 order by bid_id", tender_id)
    return [AwardNoticeView(**dict(r)) for r in rows]


async def sign_contract(tender_id: int, *, actor_person_id: int) -> TenderView:
    """Standstill → contract signed, only once the standstill has ended (database clock)."""
    await require_member(actor_person_id, MANAGERS)
    tender = await load_tender(tender_id, lock=True)
    if tender["state"] != TenderState.STANDSTILL:
        raise InvalidTenderState(tender["state"])
    check_contract_signing(await db_now(), tender["standstill_ends_at"])
    row = await move_tender(
        tender,
        TenderState.CONTRACT_SIGNED,
        actor_person_id=actor_person_id,
        stamp="contract_signed_at",
    )
    await emit("tendering.contract_signed", {"tender_id": tender_id})
    return tender_view(row)


async def complete_tender(tender_id: int, *, actor_person_id: int) -> TenderView:
    await require_member(actor_person_id, MANAGERS)
    tender = await load_tender(tender_id, lock=True)
    row = await move_tender(
        tender, TenderState.COMPLETED, actor_person_id=actor_person_id, stamp="completed_at"
    )
    await emit("tendering.completed", {"tender_id": tender_id})
    return tender_view(row)
