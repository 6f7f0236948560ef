"""What projects add to the dashboards: running projects per PLP sub-project, those awaiting a
decision, decision points overdue; each municipality's part of the projects' money (the
programmes' slice shows it per strategy area); and the lists behind those figures."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal

import msgspec

from services.dashboards.charts import Chart, Drawn, bars
from services.dashboards.rules import Figure, Slice, fig
from services.dashboards.service import TODAY
from services.dashboards.views import DashTable, MemberColumn, Table, of_slice
from services.errors import N_
from services.i18n import gettext
from services.projects.rules import PHASE_NAMES, PHASE_ORDER, is_overdue, split_by_cost_shares
from services.projects.service._common import MINE
from tenants.context import connection, fetch_structs


class ProjectRow(msgspec.Struct, frozen=True):
    phase: str
    status: str


def project_figures(
    projects: Sequence[ProjectRow], open_decision_dues: Iterable[date], today: date
) -> list[Figure]:
    """Running projects per sub-project (closed ones apart), and decision points overdue today."""
    per_phase = {phase.value: 0 for phase in PHASE_ORDER}
    closed = awaiting = 0
    for p in projects:
        if p.status == "closed":
            closed += 1
            continue
        per_phase[p.phase] += 1
        awaiting += p.status == "awaiting_decision"
    overdue = sum(1 for due in open_decision_dues if is_overdue(due, today, decided=False))
    return [
        *(fig("projects", "projects", n, phase) for phase, n in per_phase.items()),
        fig("projects", "projects_awaiting_decision", awaiting),
        fig("projects", "projects_closed", closed),
        fig("projects", "decisions_overdue", overdue),
    ]


async def compute(on: date) -> list[Figure]:
    # A project is counted once, by its lead: the lead runs it and decides at its decision
    # points, so a regional project is one project in the region's sums, not one per
    # participant. Its money is shared instead (money_parts).
    projects = await fetch_structs(
        ProjectRow,
        "select phase, status from project where tenant_id = app_tenant_id() order by id",
    )
    dues = await connection().fetch(
        "select due_date from decision_point where tenant_id = app_tenant_id() and outcome is null"
    )
    return project_figures(projects, [r["due_date"] for r in dues], on)


# The events after which a project's phase, status, money, cost shares or decision points may
# differ. Each names in `municipality_ids` every municipality whose figures it changes: the
# lead and the participants of a regional project (see service/_common.emit_project_change).
PROJECT_CHANGES = frozenset(
    {
        "projects.created",
        "projects.cost_shares_set",
        "projects.sub_project_closed",
        "projects.decision_point_reached",
        "projects.decision_recorded",
        "projects.status_reported",
    }
)

SLICES = (Slice("projects", changed_by=PROJECT_CHANGES, compute=compute),)


# --- the projects' money, each municipality's part of it ----------------------------------------


class MoneyRow(msgspec.Struct, frozen=True):
    """A project's money of a year: a go's approved budget, or a status report's spending."""

    lead_id: int
    project_id: int
    strategy_area_id: int | None
    year: int
    amount: Decimal


class MoneyPart(msgspec.Struct, frozen=True):
    """The municipality's part of the projects' money in a year, per strategy area of its own
    (None: no area, or a regional project another municipality leads, whose areas are the
    lead's and not readable here)."""

    key: int | None
    year: int
    amount: Decimal


# (lead, project id) -> municipality id -> cost share in per cent, for each regional project.
CostShares = Mapping[tuple[int, int], Mapping[int, Decimal]]


def parts_of(me: int, rows: Sequence[MoneyRow], by_project: CostShares) -> list[MoneyPart]:
    """The municipality's part of each amount: all of its own local projects' money, and its
    cost share of each regional project's, split so the participants' parts sum to the amount."""
    sums: dict[tuple[int | None, int], Decimal] = defaultdict(Decimal)
    for r in rows:
        project_shares = by_project.get((r.lead_id, r.project_id))
        if project_shares:
            part = split_by_cost_shares(r.amount, project_shares).get(me, Decimal(0))
        else:
            part = r.amount if r.lead_id == me else Decimal(0)
        sums[(r.strategy_area_id if r.lead_id == me else None, r.year)] += part
    return [MoneyPart(key, year, amount) for (key, year), amount in sums.items()]


async def money_parts() -> tuple[list[MoneyPart], list[MoneyPart]]:
    """The municipality's part of what the projects have committed (budgets approved by a go,
    in the year of the go) and spent (status reports, in the year their period ends)."""
    db = connection()
    me = await db.fetchval("select app_tenant_id()")
    committed = await fetch_structs(
        MoneyRow,
        "select p.tenant_id as lead_id, p.id as project_id, p.strategy_area_id,"
        " extract(year from d.decided_on)::int as year, sum(s.approved_budget) as amount"
        " from project p join sub_project s on s.tenant_id = p.tenant_id and s.project_id = p.id"
        " join decision_point d on d.tenant_id = s.tenant_id and d.id = s.go_decision_id"
        f" where s.state <> 'planned' and {MINE} group by 1, 2, 3, 4",
    )
    spent = await fetch_structs(
        MoneyRow,
        "select p.tenant_id as lead_id, p.id as project_id, p.strategy_area_id,"
        " extract(year from r.period_end)::int as year, sum(r.spent) as amount"
        " from project p join status_report r on r.tenant_id = p.tenant_id and r.project_id = p.id"
        f" where {MINE} group by 1, 2, 3, 4",
    )
    shares: dict[tuple[int, int], dict[int, Decimal]] = defaultdict(dict)
    for r in await db.fetch(
        "select pp.tenant_id, pp.project_id, pp.municipality_id, pp.cost_share"
        " from project_participant pp join project p"
        " on p.tenant_id = pp.tenant_id and p.id = pp.project_id"
        f" where {MINE}"
    ):
        shares[(r["tenant_id"], r["project_id"])][r["municipality_id"]] = r["cost_share"]
    return (
        parts_of(me, committed, shares),
        parts_of(me, spent, shares),
    )


def project_chart(figures: Sequence[Figure], lang: str) -> Drawn | None:
    """Running projects per sub-project, in the PLP's order; bars across, for the names' length."""
    counts = {f.subject: f.value for f in figures if f.metric == "projects"}
    phases = [phase.value for phase in PHASE_ORDER]
    if not any(counts.get(p) for p in phases):
        return None  # no running project: empty bars on a 0-1 axis would say nothing
    return bars(
        gettext(lang, N_("Running projects per sub-project")),
        [gettext(lang, PHASE_NAMES[p]) for p in phases],
        [(gettext(lang, N_("Projects")), [float(counts.get(p, 0)) for p in phases])],
        lang,
        money=False,
        horizontal=True,
    )


CHARTS = (Chart("projects", "projects", project_chart),)


# --- the lists behind the figures, read inside the caller's transaction -------------------------


class OverdueDecision(msgspec.Struct, frozen=True):
    project_id: int
    project_title: str
    next_phase: str | None
    due_date: date


class PhaseProject(msgspec.Struct, frozen=True):
    id: int
    title: str
    phase: str
    status: str
    approved_budget: object


async def overdue_decisions() -> list[OverdueDecision]:
    """The list behind "decision points overdue": the municipality's own projects' open ones."""
    return await fetch_structs(
        OverdueDecision,
        "select d.project_id, p.title as project_title, d.next_phase, d.due_date"
        " from decision_point d join project p on p.tenant_id = d.tenant_id and p.id = d.project_id"
        f" where d.tenant_id = app_tenant_id() and d.outcome is null and d.due_date < ({TODAY})"
        " order by d.due_date, p.title",
    )


async def projects_in_phase(phase: str) -> list[PhaseProject]:
    """The list behind "projects per sub-project": the municipality's running ones in it."""
    return await fetch_structs(
        PhaseProject,
        "select id, title, phase, status, approved_budget from project"
        " where tenant_id = app_tenant_id() and phase = $1 and status <> 'closed'"
        " order by title, id",
        phase,
    )


# --- tables -----------------------------------------------------------------------------------


def project_table(figures: Sequence[Figure], lang: str, link: str | None = None) -> DashTable:
    """Running projects per sub-project, awaiting a decision, closed, decision points overdue.

    `link` (a municipality's own dashboard) leads from a figure to the list behind it.
    """
    t = DashTable(
        "projects",
        gettext(lang, N_("Projects per sub-project and decision points")),
        [gettext(lang, N_("Figure")), gettext(lang, N_("Number"))],
    )
    values = {(f.metric, f.subject): f.value for f in of_slice(figures, "projects")}
    for phase in PHASE_ORDER:
        t.add(
            [gettext(lang, PHASE_NAMES[phase.value]), values.get(("projects", phase.value), 0)],
            f"{link}/projects/{phase.value}" if link else None,
        )
    t.add(
        [
            gettext(lang, N_("Awaiting a decision")),
            values.get(("projects_awaiting_decision", ""), 0),
        ]
    )
    t.add([gettext(lang, N_("Closed")), values.get(("projects_closed", ""), 0)])
    t.add(
        [gettext(lang, N_("Decision points overdue")), values.get(("decisions_overdue", ""), 0)],
        f"{link}/overdue" if link else None,
    )
    return t


TABLES = (Table("projects", project_table),)
MEMBER_COLUMNS = (
    MemberColumn("projects", N_("Running projects"), summed=True),  # over every sub-project
    MemberColumn("decisions_overdue", N_("Decision points overdue")),
)
