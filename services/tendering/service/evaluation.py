"""Evaluation of the opened bids: conflicts of interest, qualification, scores and the ranking."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from piccolo.columns.combination import Where

from services.errors import N_
from services.outbox.service import emit
from services.tendering.errors import (
    BidNotFound,
    ConflictOfInterest,
    InvalidTenderInput,
    InvalidTenderState,
    QualificationNotAssessed,
)
from services.tendering.roles import DECLARED_AS, EVALUATORS, MANAGERS
from services.tendering.rules import Bid, InvalidScore, RankedBid, TenderState, rank_bids
from services.tendering.schemas import OpenedBidView
from services.tendering.service._common import (
    audit,
    criteria_of,
    json_value,
    load_tender,
    move_tender,
    require_member,
)
from services.tendering.tables import Bid as BidRow
from services.tendering.tables import BidScore, TenderDeclaration
from tenants.context import connection
from tenants.rows import tenant


async def declare_interest(
    tender_id: int, *, person_id: int, role: str, conflicted: bool, note: str = ""
) -> None:
    """Habilitet: an evaluator or board member declares, per tender, whether they are
    disqualified by a conflict of interest; one who is takes no part in the evaluation."""
    await require_member(person_id, EVALUATORS)
    if role not in DECLARED_AS:
        raise InvalidTenderInput("declaration_role_invalid", N_("Choose a role."), field="role")
    if conflicted and not note.strip():
        raise InvalidTenderInput(
            "declaration_reason_required",
            N_("Say what the conflict of interest is."),
            field="note",
        )
    await load_tender(tender_id)
    await connection().execute(
        "insert into tender_declaration (tenant_id, tender_id, person_id, role, conflicted, note)"
        " values (app_tenant_id(), $1, $2, $3, $4, $5)"
        " on conflict (tenant_id, tender_id, person_id) do update set role = excluded.role,"
        " conflicted = excluded.conflicted, note = excluded.note, declared_at = now()",
        tender_id,
        person_id,
        role,
        conflicted,
        note.strip(),
    )
    await audit(
        "interest_declared",
        tender_id,
        person_id,
        {"person_id": person_id, "role": role, "conflicted": conflicted, "note": note.strip()},
    )


async def _opened(tender_id: int, *, lock: bool = False):
    tender = await load_tender(tender_id, lock=lock)
    if tender["state"] != TenderState.OPENED:
        raise InvalidTenderState(tender["state"])
    return tender


def _valid_bids(tender_id: int) -> Where:
    """The tender's bids that stand (not withdrawn) and were found valid at the opening."""
    return (
        (BidRow.tenant_id == tenant())
        & (BidRow.tender_id == tender_id)
        & BidRow.withdrawn_at.is_null()
        & BidRow.valid.eq(True)
    )


async def _valid_bid(tender_id: int, bid_id: int) -> None:
    if not await BidRow.exists().where(_valid_bids(tender_id) & (BidRow.id == bid_id)):
        raise BidNotFound()


async def record_qualification(
    tender_id: int, bid_id: int, *, actor_person_id: int, qualified: bool, reason: str = ""
) -> None:
    """Pass or fail the qualification requirements; a failure needs its reason."""
    await require_member(actor_person_id, EVALUATORS)
    await _opened(tender_id)
    await _valid_bid(tender_id, bid_id)
    if not qualified and not reason.strip():
        raise InvalidTenderInput(
            "qualification_reason_required",
            N_("Say which requirement the bid fails, and why."),
            field="reason",
        )
    await BidRow.update(
        {BidRow.qualified: qualified, BidRow.qualification_reason: reason.strip() or None}
    ).where((BidRow.tenant_id == tenant()) & (BidRow.id == bid_id))
    await audit(
        "qualification_recorded",
        tender_id,
        actor_person_id,
        {"bid_id": bid_id, "qualified": qualified, "reason": reason.strip()},
    )


async def score_bid(
    tender_id: int,
    bid_id: int,
    *,
    evaluator_id: int,
    scores: Mapping[str, Decimal | int | str],
    note: str = "",
) -> None:
    """One evaluator's scores (0–10) for a bid's criteria other than price, which is computed.

    Only an evaluator who has declared no conflict of interest for this tender may score.
    """
    await require_member(evaluator_id, EVALUATORS)
    tender = await _opened(tender_id)
    free = await TenderDeclaration.exists().where(
        (TenderDeclaration.tenant_id == tenant())
        & (TenderDeclaration.tender_id == tender_id)
        & (TenderDeclaration.person_id == evaluator_id)
        & TenderDeclaration.conflicted.eq(False)
    )
    if not free:
        raise ConflictOfInterest()
    await _valid_bid(tender_id, bid_id)
    judged = {c.name for c in criteria_of(tender) if not c.is_price}
    if not scores or set(scores) - judged:
        raise InvalidScore(
            N_("Scores are given for %(criteria)s."),
            values={"criteria": ", ".join(sorted(judged))},
        )
    for criterion, raw in scores.items():
        score = _score(raw)
        if score is None or not (score.is_finite() and 0 <= score <= 10):
            raise InvalidScore(N_("A score is from 0 to 10, not %(score)s."), values={"score": raw})
        await connection().execute(
            "insert into bid_score (tenant_id, tender_id, bid_id, evaluator_id, criterion, score,"
            " note) values (app_tenant_id(), $1, $2, $3, $4, $5, $6)"
            " on conflict (tenant_id, bid_id, evaluator_id, criterion) do update"
            " set score = excluded.score, note = excluded.note, scored_at = now()",
            tender_id,
            bid_id,
            evaluator_id,
            criterion,
            score,
            note.strip(),
        )
    await audit(
        "bid_scored",
        tender_id,
        evaluator_id,
        {"bid_id": bid_id, "scores": {k: str(v) for k, v in scores.items()}},
    )


def _score(raw: Decimal | int | str) -> Decimal | None:
    """A score as given, or None for what is not a number at all ("31.02.2026", "")."""
    try:
        return Decimal(str(raw).replace(",", "."))
    except InvalidOperation:
        return None


async def ranking(tender_id: int) -> list[RankedBid]:
    """The qualified, valid bids ranked by weighted total (rules.rank_bids)."""
    tender = await load_tender(tender_id)
    rows = await BidRow.select(BidRow.id, BidRow.price, BidRow.qualified).where(
        _valid_bids(tender_id)
    )
    scores: dict[int, dict[str, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    for s in (
        await BidScore.select(BidScore.bid_id, BidScore.criterion, BidScore.score)
        .where((BidScore.tenant_id == tenant()) & (BidScore.tender_id == tender_id))
        .order_by(BidScore.evaluator_id)
    ):
        scores[s["bid_id"]][s["criterion"]].append(s["score"])
    bids = [
        Bid(
            bid_id=str(r["id"]),
            price=r["price"],
            evaluator_scores={k: tuple(v) for k, v in scores[r["id"]].items()},
            qualified=r["qualified"] is not False,
        )
        for r in rows
    ]
    return rank_bids(criteria_of(tender), bids)


async def complete_evaluation(tender_id: int, *, actor_person_id: int) -> list[RankedBid]:
    """Opened → evaluated, with each bid's total and rank; unsuccessful if none qualified."""
    await require_member(actor_person_id, MANAGERS + EVALUATORS)
    tender = await _opened(tender_id, lock=True)
    unassessed = await connection().fetch(
        "select o.name from bid b join organisation o on o.id = b.organisation_id"
        " where b.tenant_id = app_tenant_id() and b.tender_id = $1 and b.withdrawn_at is null"
        " and b.valid and b.qualified is null order by b.received_at, b.id",
        tender_id,
    )
    if unassessed:
        raise QualificationNotAssessed([r["name"] for r in unassessed])
    ranked = await ranking(tender_id)
    for entry in ranked:
        await BidRow.update(
            {BidRow.total_score: entry.total.quantize(Decimal("0.0001")), BidRow.rank: entry.rank}
        ).where((BidRow.tenant_id == tenant()) & (BidRow.id == int(entry.bid_id)))
    summary = [
        {
            "bid_id": int(r.bid_id),
            "rank": r.rank,
            "total": str(r.total.quantize(Decimal("0.01"))),
            "scores": {k: str(v.quantize(Decimal("0.01"))) for k, v in r.scores.items()},
        }
        for r in ranked
    ]
    await audit("ranked", tender_id, actor_person_id, {"ranking": summary})
    target = TenderState.EVALUATED if ranked else TenderState.UNSUCCESSFUL
    await move_tender(
        tender,
        target,
        actor_person_id=actor_person_id,
        stamp="evaluated_at" if ranked else None,
    )
    await emit(f"tendering.{target.value}", {"tender_id": tender_id})
    return ranked


async def opened_bids(tender_id: int) -> list[OpenedBidView]:
    """The bids of an opened tender with what was unsealed and what the evaluation found."""
    rows = await connection().fetch(
        "select b.id as bid_id, b.organisation_id, o.organisasjonsnummer,"
        " o.name as organisation_name, b.received_at, encode(b.receipt_sha256, 'hex') as sha256,"
        " b.price, b.answers, b.documents, b.valid, b.rejection_reason, b.qualified,"
        " b.qualification_reason, b.total_score, b.rank, b.withdrawn_at is not null as withdrawn"
        " from bid b join organisation o on o.id = b.organisation_id"
        " where b.tenant_id = app_tenant_id() and b.tender_id = $1"
        " order by b.rank nulls last, b.received_at, b.id",
        tender_id,
    )
    return [
        OpenedBidView(
            **{
                **dict(r),
                "answers": json_value(r["answers"]) or {},
                "documents": json_value(r["documents"]) or [],
            }
        )
        for r in rows
    ]
