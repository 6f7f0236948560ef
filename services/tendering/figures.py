"""What tendering adds to the dashboards: tenders open, in evaluation and awarded; bids per
opened tender and days from deadline to award, which a council reads only as counts and means."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal

import msgspec

from services.dashboards.rules import Figure, Slice, fig, mean
from tenants.context import connection, fetch_structs

OPEN_STATES = frozenset({"published"})
EVALUATION_STATES = frozenset({"bids_closed", "opened", "evaluated"})
AWARDED_STATES = frozenset({"award_notified", "standstill", "contract_signed", "completed"})

# Per-tender figures stay with the municipality: the region gets their aggregates only.
PER_TENDER = frozenset({"bids", "days_to_award"})


class TenderRow(msgspec.Struct, frozen=True):
    id: int
    title: str
    state: str
    bid_deadline: datetime
    opened_at: datetime | None
    award_notified_at: datetime | None


def tender_figures(tenders: Sequence[TenderRow], bids: Mapping[int, int]) -> list[Figure]:
    """`bids` holds the standing bids of opened tenders only: before its opening a tender has
    no bid figure at all, not even a zero, whatever `bids` says."""
    counts = {"tenders_open": 0, "tenders_in_evaluation": 0, "tenders_awarded": 0}
    figures = []
    for t in tenders:
        if t.state in OPEN_STATES:
            counts["tenders_open"] += 1
        elif t.state in EVALUATION_STATES:
            counts["tenders_in_evaluation"] += 1
        elif t.state in AWARDED_STATES:
            counts["tenders_awarded"] += 1
        if t.opened_at is not None:
            figures.append(fig("tenders", "bids", bids.get(t.id, 0), str(t.id), 0, t.title))
        if t.award_notified_at is not None:
            days = Decimal((t.award_notified_at - t.bid_deadline).total_seconds()) / 86400
            figures.append(fig("tenders", "days_to_award", days, str(t.id), 0, t.title))
    return [*(fig("tenders", metric, n) for metric, n in counts.items()), *figures]


def tender_aggregates(figures: Iterable[Figure]) -> list[Figure]:
    bids = [f.value for f in figures if f.metric == "bids"]
    days = [f.value for f in figures if f.metric == "days_to_award"]
    out = [fig("tenders", "tenders_opened", len(bids)), fig("tenders", "bids_received", sum(bids))]
    if bids:
        out.append(fig("tenders", "bids_per_tender", mean(bids)))
    if days:
        out.append(fig("tenders", "days_to_award", mean(days)))
    return out


async def compute(on: date) -> list[Figure]:
    tenders = await fetch_structs(
        TenderRow,
        "select id, title, state, bid_deadline, opened_at, award_notified_at from tender"
        " where tenant_id = app_tenant_id() and state <> 'draft' order by id",
    )
    # Row-level security shows a municipality no bid of a tender before its opening; the
    # join says the same in the query, so the count cannot depend on the policy alone.
    bids = await connection().fetch(
        "select b.tender_id, count(*) as n from bid b"
        " join tender t on t.tenant_id = b.tenant_id and t.id = b.tender_id"
        " where b.tenant_id = app_tenant_id() and t.opened_at is not null"
        " and b.withdrawn_at is null group by b.tender_id"
    )
    return tender_figures(tenders, {r["tender_id"]: r["n"] for r in bids})


# Tendering emits nothing when a bid is sent or withdrawn (a bid is sealed until the opening),
# so no event here lets a municipality's figures move before its tender is opened.
SLICES = (
    Slice(
        "tenders",
        changed_by=frozenset(
            {
                "tendering.published",
                "tendering.bids_closed",
                "tendering.opened",
                "tendering.evaluated",
                "tendering.unsuccessful",
                "tendering.award_notified",
                "tendering.contract_signed",
                "tendering.completed",
                "tendering.cancelled",
            }
        ),
        compute=compute,
        private=PER_TENDER,
        summarise=tender_aggregates,
    ),
)
