"""What tendering adds to the dashboards: tenders open, in evaluation and awarded; bids per
opened tender and days from deadline to award, which a council reads only as counts and means."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal

import msgspec

from services.dashboards.rules import Figure, Slice, fig, mean
from services.dashboards.views import DashTable, MemberColumn, Table, of_slice
from services.errors import N_
from services.i18n import gettext
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


# --- tables -----------------------------------------------------------------------------------


def tender_table(figures: Sequence[Figure], lang: str, link: str | None = None) -> DashTable:
    t = DashTable(
        "tenders",
        gettext(lang, N_("Tenders")),
        [gettext(lang, N_("Figure")), gettext(lang, N_("Number"))],
    )
    values = {f.metric: f.value for f in of_slice(figures, "tenders") if f.subject == ""}
    names = (
        ("tenders_open", N_("Open for bids")),
        ("tenders_in_evaluation", N_("Closed for bids, in evaluation")),
        ("tenders_awarded", N_("Awarded")),
        ("tenders_opened", N_("Tenders with opened bids")),
        ("bids_received", N_("Bids in opened tenders")),
        ("bids_per_tender", N_("Bids per opened tender")),
        ("days_to_award", N_("Days from deadline to award, on average")),
    )
    for metric, name in names:
        if metric in values or metric.startswith("tenders_") and metric != "tenders_opened":
            t.add([gettext(lang, name), values.get(metric, 0)])
    return t


def bid_table(figures: Sequence[Figure], lang: str, link: str | None = None) -> DashTable | None:
    """Per opened tender (a municipality's own page only): its bids and days to award."""
    if not any(f.metric == "bids" for f in figures):
        return None
    t = DashTable(
        "bids",
        gettext(lang, N_("Bids per opened tender")),
        [gettext(lang, s) for s in (N_("Tender"), N_("Bids"), N_("Days from deadline to award"))],
    )
    tenders: dict[str, dict] = defaultdict(dict)
    for f in of_slice(figures, "tenders"):
        if f.metric in ("bids", "days_to_award"):
            tenders[f.subject][f.metric] = f.value
            tenders[f.subject]["title"] = f.label
    for _, v in sorted(tenders.items(), key=lambda kv: int(kv[0])):
        t.add([v["title"], v.get("bids"), v.get("days_to_award")])
    return t


TABLES = (Table("tenders", tender_table), Table("bids", bid_table))
MEMBER_COLUMNS = (
    MemberColumn("tenders_open", N_("Open for bids")),
    MemberColumn("tenders_awarded", N_("Awarded")),
    MemberColumn("bids_received", N_("Bids in opened tenders")),
)
