"""The award: one notice to every bidder at once, the standstill, the contract, completion."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import msgspec

from infra.columns import database_now
from services.errors import N_
from services.outbox.service import emit
from services.tendering.errors import InvalidTenderInput, InvalidTenderState, WinnerNotQualified
from services.tendering.roles import MANAGERS
from services.tendering.rules import TenderState, check_contract_signing, standstill_end
from services.tendering.schemas import (
    AwardNoticeView,
    AwardOutcome,
    AwardView,
    BidOutcome,
    TenderView,
)
from services.tendering.service._common import (
    bid_outcome_of,
    db_now,
    json_value,
    load_tender,
    move_tender,
    require_member,
    tender_view,
)
from services.tendering.service.evaluation import opened_bids, ranking
from services.tendering.tables import AwardNotice, Bid
from tenants.context import connection
from tenants.rows import tenant

_NOTICE = (
    "select id, tender_id, bid_id, organisation_id, awarded, rank, total_score, reasons,"
    " standstill_ends_at, outcome from award_notice"
)


async def _outcomes(tender_id: int) -> dict[int, BidOutcome]:
    """Each standing bid as its notice tells it: the scores the ranking gave it, or why not."""
    scored = {int(r.bid_id): r for r in await ranking(tender_id)}
    outcomes = {}
    for b in await opened_bids(tender_id):
        if b.withdrawn:
            continue
        r = scored.get(b.bid_id)
        outcomes[b.bid_id] = BidOutcome(
            organisation_name=b.organisation_name,
            organisasjonsnummer=b.organisasjonsnummer,
            price=b.price,
            scores={k: v.quantize(Decimal("0.01")) for k, v in r.scores.items()} if r else {},
            total=r.total.quantize(Decimal("0.01")) if r else None,
            rank=r.rank if r else None,
            qualified=b.qualified if b.valid else False,
            qualification_reason=b.qualification_reason or b.rejection_reason,
        )
    return outcomes


def _plain(outcome: msgspec.Struct) -> str:
    return msgspec.json.encode(outcome).decode()


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
    first = (
        await Bid.select(Bid.id)
        .where((Bid.tenant_id == tenant()) & (Bid.tender_id == tender_id) & (Bid.rank == 1))
        .first()
    )
    winner = first["id"] if first else None
    outcomes = await _outcomes(tender_id)
    if winner is None or outcomes[winner].qualified is not True:
        # The evaluation checks every bid's qualification; a tender evaluated before that rule
        # (or a changed row) must still never be awarded unchecked.
        raise WinnerNotQualified(outcomes[winner].organisation_name if winner else "–")
    notified_at = await db.fetchval("select now()")
    ends_at = standstill_end(notified_at)
    outcome = AwardOutcome(winner=outcomes[winner], reasons=reasons.strip(), bids=len(outcomes))
    tender = await move_tender(
        tender,
        TenderState.AWARD_NOTIFIED,
        actor_person_id=actor_person_id,
        stamp="award_notified_at",
        extra={
            "winning_bid_id": winner,
            "standstill_ends_at": ends_at,
            "award_outcome": msgspec.to_builtins(outcome),
        },
    )
    rows = await db.fetch(
        "insert into award_notice (tenant_id, tender_id, bid_id, organisation_id, awarded, rank,"
        " total_score, reasons, standstill_ends_at, outcome)"
        " select b.tenant_id, b.tender_id, b.id, b.organisation_id, b.id = $2, b.rank,"
        " b.total_score, $3, $4, o.outcome::jsonb"
        " from bid b join unnest($5::bigint[], $6::text[]) as o(bid_id, outcome)"
        " on o.bid_id = b.id"
        " where b.tenant_id = app_tenant_id() and b.tender_id = $1 and b.withdrawn_at is null"
        " returning id, tender_id, bid_id, organisation_id, awarded, rank, total_score, reasons,"
        " standstill_ends_at, outcome",
        tender_id,
        winner,
        reasons.strip(),
        ends_at,
        list(outcomes),
        [_plain(o) for o in outcomes.values()],
    )
    notices = sorted((_notice(r) for r in rows), key=lambda n: n.bid_id)
    tender = await move_tender(tender, TenderState.STANDSTILL, actor_person_id=actor_person_id)
    await emit(
        "tendering.award_notified",
        {"tender_id": tender_id, "notice_ids": [n.id for n in notices]},
    )
    return AwardView(tender_id, winner, tender["award_notified_at"], ends_at, notices)


async def award_notices(tender_id: int) -> list[AwardNoticeView]:
    """The municipality's notices of a tender, or the organisation's own."""
    rows = await connection().fetch(_NOTICE + " where tender_id = $1 order by bid_id", tender_id)
    return [_notice(r) for r in rows]


def _notice(row) -> AwardNoticeView:
    return AwardNoticeView(**{**dict(row), "outcome": bid_outcome_of(row["outcome"])})


class AwardNoticeMail(msgspec.Struct, frozen=True):
    """What the mail of one award notice tells its bidder, read in the municipality's scope."""

    notice_id: int
    tender_id: int
    tender_title: str
    municipality_name: str
    organisation_id: int
    organisation_name: str
    organisasjonsnummer: str
    awarded: bool
    winner_name: str | None
    reasons: str
    standstill_ends_at: datetime
    submitted_by: int  # the person who sent the bid
    mailed: bool
    # What FOA § 25-1 asks the letter to tell: the winner's scores and the bidder's own beside
    # them (None for a notice sent before they were kept).
    winner: BidOutcome | None = None
    outcome: BidOutcome | None = None
    # The tender's criteria by name: weight (per cent), so the scores can say what each weighs.
    weights: dict[str, int] = {}


async def award_notice_mail(notice_id: int) -> AwardNoticeMail | None:
    """One of the municipality's award notices, with what its mail needs; None if not its own."""
    row = await connection().fetchrow(
        "select n.id as notice_id, n.tender_id, t.title as tender_title,"
        " m.name as municipality_name, n.organisation_id, o.name as organisation_name,"
        " o.organisasjonsnummer, n.awarded, n.reasons, n.standstill_ends_at,"
        " b.submitted_by, n.mailed_at is not null as mailed,"
        " t.award_outcome -> 'winner' as winner, n.outcome, t.award_criteria,"
        " (select wo.name from award_notice w join organisation wo on wo.id = w.organisation_id"
        "  where w.tenant_id = n.tenant_id and w.tender_id = n.tender_id and w.awarded"
        "  limit 1) as winner_name"
        " from award_notice n"
        " join tender t on t.tenant_id = n.tenant_id and t.id = n.tender_id"
        " join bid b on b.tenant_id = n.tenant_id and b.id = n.bid_id"
        " join municipality m on m.id = n.tenant_id"
        " join organisation o on o.id = n.organisation_id"
        " where n.tenant_id = app_tenant_id() and n.id = $1",
        notice_id,
    )
    if row is None:
        return None
    values = dict(row)
    criteria = values.pop("award_criteria")
    criteria = json_value(criteria) or []
    values["weights"] = {c["name"]: int(c["weight"]) for c in criteria}
    values["winner"], values["outcome"] = (
        bid_outcome_of(values["winner"]),
        bid_outcome_of(values["outcome"]),
    )
    return AwardNoticeMail(**values)


async def mark_award_notice_mailed(notice_id: int) -> bool:
    """Claim the notice's mails for this transaction; False when they were requested before.

    The row stays locked until the transaction ends, so of two concurrent claims one wins."""
    claimed = (
        await AwardNotice.update({AwardNotice.mailed_at: database_now()})
        .where(
            (AwardNotice.tenant_id == tenant())
            & (AwardNotice.id == notice_id)
            & AwardNotice.mailed_at.is_null()
        )
        .returning(AwardNotice.id)
    )
    return bool(claimed)


class StandstillEnded(msgspec.Struct, frozen=True):
    tender_id: int
    tender_title: str
    standstill_ends_at: datetime
    municipality_name: str
    kommunenummer: str
    maalform: str


async def ended_standstills() -> list[tuple[int, int]]:
    """(tenant_id, tender_id) of tenders whose standstill has ended and whose municipality has
    not been told yet, in every municipality: the scheduler tells each in its tenant's scope."""
    rows = await connection().fetch(
        "select tenant_id, id from public_tenders() where state = 'standstill'"
        " and standstill_ends_at <= clock_timestamp() and standstill_end_mailed_at is null"
        " order by standstill_ends_at"
    )
    return [(r["tenant_id"], r["id"]) for r in rows]


async def claim_standstill_end(tender_id: int) -> StandstillEnded | None:
    """Mark that the municipality is told its standstill has ended (database clock); None when
    it was told before, or the tender is no longer in a standstill that has ended."""
    row = await connection().fetchrow(
        "update tender t set standstill_end_mailed_at = now() from municipality m"
        " where t.tenant_id = app_tenant_id() and t.id = $1 and m.id = t.tenant_id"
        " and t.state = 'standstill' and t.standstill_ends_at <= clock_timestamp()"
        " and t.standstill_end_mailed_at is null"
        " returning t.id as tender_id, t.title as tender_title, t.standstill_ends_at,"
        " m.name as municipality_name, m.kommunenummer, m.maalform",
        tender_id,
    )
    return StandstillEnded(**dict(row)) if row else None


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
