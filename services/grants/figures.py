"""What grants add to the dashboards: applied, granted and paid per strategy area and year (NOK),
per municipality; the region's sums follow from its members' (services/dashboards)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import msgspec

from services.dashboards.rules import Figure, Slice, fig, structs
from services.dashboards.views import PerAreaAndYear, Table
from services.errors import N_
from tenants.context import connection


class GrantMoneyRow(msgspec.Struct, frozen=True):
    """Money of a year under a strategy area ('' for a næringsfond outside any programme)."""

    metric: str  # applied, granted, paid
    area_nb: str
    area_nn: str
    year: int
    amount: Decimal
    count: int


def grant_figures(rows: Sequence[GrantMoneyRow]) -> list[Figure]:
    """Per metric, strategy area and year: the amount (NOK) and, beside it, how many."""
    sums: dict[tuple[str, str, int], list] = defaultdict(lambda: [Decimal(0), 0])
    labels: dict[str, str] = {}
    for r in rows:
        cell = sums[(r.metric, r.area_nb, r.year)]
        cell[0] += r.amount
        cell[1] += r.count
        labels[r.area_nb] = r.area_nn
    figures = []
    for (metric, area, year), (amount, count) in sums.items():
        label = labels.get(area, area)
        figures.append(fig("grants", f"grants_{metric}", amount, area, year, label))
        figures.append(fig("grants", f"grants_{metric}_count", count, area, year, label))
    return figures


_AREA = (
    " from grant_application a"
    " join grant_call c on c.tenant_id = a.tenant_id and c.id = a.call_id"
    " join grant_fund f on f.tenant_id = c.tenant_id and f.id = c.fund_id"
    " left join strategy_area s on s.tenant_id = f.tenant_id and s.id = f.strategy_area_id"
)
_YEAR = "extract(year from {} at time zone 'Europe/Oslo')::int"


async def compute(on: date) -> list[Figure]:
    db = connection()
    area = "coalesce(s.name_nb, '') as area_nb, coalesce(s.name_nn, '') as area_nn"
    applied = await db.fetch(
        f"select 'applied' as metric, {area}, {_YEAR.format('a.submitted_at')} as year,"
        " coalesce(sum((select sum(l.amount) from grant_financing_line l"
        " where l.tenant_id = a.tenant_id and l.application_id = a.id"
        " and l.source = 'this_fund')), 0) as amount, count(*)::int as count"
        f"{_AREA} where a.tenant_id = app_tenant_id() and a.submitted_at is not null"
        " group by 2, 3, 4"
    )
    granted = await db.fetch(
        f"select 'granted' as metric, {area}, {_YEAR.format('a.decided_at')} as year,"
        " sum(a.granted_amount) as amount, count(*)::int as count"
        f"{_AREA} where a.tenant_id = app_tenant_id() and a.state = 'granted' group by 2, 3, 4"
    )
    paid = await db.fetch(
        f"select 'paid' as metric, {area},"
        f" {_YEAR.format('coalesce(p.paid_at, p.requested_at)')} as year,"
        " sum(p.amount) as amount, count(*)::int as count"
        f"{_AREA} join grant_payment_request p on p.tenant_id = a.tenant_id"
        " and p.application_id = a.id where a.tenant_id = app_tenant_id()"
        " and (p.state = 'paid' or p.kind = 'clawback') group by 2, 3, 4"
    )
    return grant_figures(structs(GrantMoneyRow, [*applied, *granted, *paid]))


# The events after which an application's or a payment's money may differ. An organisation's
# events carry lead_municipality_id, so they recompute the granting municipality's figures.
GRANT_CHANGES = frozenset(
    {
        "grants.application_submitted",
        "grants.application_assessed",
        "grants.application_granted",
        "grants.application_rejected",
        "grants.payment_requested",
        "grants.payment_approved",
        "grants.payment_paid",
        "grants.payment_rejected",
        "grants.clawback_recorded",
    }
)

SLICES = (Slice("grants", changed_by=GRANT_CHANGES, compute=compute),)


# --- tables -----------------------------------------------------------------------------------

grant_table = PerAreaAndYear(
    "grants",
    N_("Grants applied for, granted and paid per strategy area and year (NOK)"),
    "grants",
    {
        "grants_applied": N_("Applied for"),
        "grants_granted": N_("Granted"),
        "grants_paid": N_("Paid"),
    },
    N_("The municipality's own business fund"),
).table


TABLES = (Table("grants", grant_table),)
