"""Dashboard rollups: recompute a municipality's slice or a region's figures and upsert them; read them.

Two kinds of function live here. The reads (figures_for_municipality, figures_for_region,
the drill-down lists) run inside the caller's tenant_tx(), like every use-case. The
recomputes (recompute_municipality, recompute_region, refresh_everything) are the jobs a
worker runs: each opens its own transaction, because it is the boundary, as an actor is.

Nothing here bypasses row-level security. A municipality's figures are computed in its own
scope from what that scope may read (a sealed bid is no row there, so it is never counted);
a region's figures are computed from its members' figures, read member by member in each
one's own scope, and written in the region's scope. Every recompute replaces its slice with
what the rows say now (upsert, and delete what no longer exists), under a lock, so running
it twice, concurrently, or again after a crash, leaves the same figures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime

import msgspec

from services.dashboards.rules import (
    SLICES,
    AmountRow,
    AreaRow,
    Figure,
    KpiMeasurementRow,
    KpiTargetRow,
    ProjectRow,
    RegionFigureRow,
    TenderRow,
    programme_figures,
    project_figures,
    region_figures,
    tender_figures,
)
from services.errors import N_, InvalidInput
from tenants.context import Scope, connection, rescope, tenant_tx

# Overdue is judged by the Norwegian calendar day, whatever the server's zone.
TODAY = "select (now() at time zone 'Europe/Oslo')::date"


class Member(msgspec.Struct, frozen=True):
    id: int
    kommunenummer: str
    name: str


class MunicipalityFigures(msgspec.Struct, frozen=True):
    figures: list[Figure]
    computed_at: datetime | None


class RegionFigures(msgspec.Struct, frozen=True):
    members: list[Member]
    # municipality id (0 for the region as a whole) -> its figures
    figures: dict[int, list[Figure]]
    computed_at: datetime | None


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


def _check_slices(slices: Iterable[str]) -> tuple[str, ...]:
    chosen = tuple(s for s in SLICES if s in set(slices))
    if set(slices) - set(chosen):
        raise ValueError(f"unknown dashboard slices: {sorted(set(slices) - set(chosen))}")
    return chosen


# --- computing, inside the municipality's transaction ------------------------------------------


async def today() -> date:
    return await connection().fetchval(TODAY)


async def compute_municipality(slices: Iterable[str] = SLICES, *, on: date) -> list[Figure]:
    """The figures of these slices as the transaction's municipality's rows say now."""
    figures: list[Figure] = []
    for slice_ in _check_slices(slices):
        figures += await _COMPUTE[slice_](on)
    return sorted(figures)


def _rows(struct, records) -> list:
    return [struct(**dict(r)) for r in records]


async def _programmes(on: date) -> list[Figure]:
    db = connection()
    areas = await db.fetch(
        "select id, programme_id, name_nb, name_nn, share from strategy_area"
        " where tenant_id = app_tenant_id() order by id"
    )
    funding = await db.fetch(
        "select programme_id as key, year, sum(amount) as amount from funding_line"
        " where tenant_id = app_tenant_id() group by programme_id, year"
    )
    # Committed: the budget a go approved, in the year of that go; own projects only (a
    # regional project counts with its lead, so a region's sum counts it once).
    committed = await db.fetch(
        "select p.strategy_area_id as key, extract(year from d.decided_on)::int as year,"
        " sum(s.approved_budget) as amount from sub_project s"
        " join project p on p.tenant_id = s.tenant_id and p.id = s.project_id"
        " join decision_point d on d.tenant_id = s.tenant_id and d.id = s.go_decision_id"
        " where s.tenant_id = app_tenant_id() and p.tenant_id = app_tenant_id()"
        " and s.state <> 'planned' group by 1, 2"
    )
    spent = await db.fetch(
        "select p.strategy_area_id as key, extract(year from r.period_end)::int as year,"
        " sum(r.spent) as amount from status_report r"
        " join project p on p.tenant_id = r.tenant_id and p.id = r.project_id"
        " where r.tenant_id = app_tenant_id() and p.tenant_id = app_tenant_id() group by 1, 2"
    )
    targets = await db.fetch(
        "select k.code, k.name, t.year, t.target from kpi_target t"
        " join kpi k on k.tenant_id = t.tenant_id and k.id = t.kpi_id"
        " where t.tenant_id = app_tenant_id() order by k.id, t.year"
    )
    measurements = await db.fetch(
        "select distinct on (m.kpi_id, extract(year from m.measured_on)) m.kpi_id, k.code,"
        " k.name, m.measured_on, m.id, m.value from kpi_measurement m"
        " join kpi k on k.tenant_id = m.tenant_id and k.id = m.kpi_id"
        " where m.tenant_id = app_tenant_id()"
        " order by m.kpi_id, extract(year from m.measured_on), m.measured_on desc, m.id desc"
    )
    return programme_figures(
        _rows(AreaRow, areas),
        _rows(AmountRow, funding),
        _rows(AmountRow, committed),
        _rows(AmountRow, spent),
        _rows(KpiTargetRow, targets),
        _rows(KpiMeasurementRow, measurements),
    )


async def _projects(on: date) -> list[Figure]:
    db = connection()
    projects = await db.fetch(
        "select phase, status from project where tenant_id = app_tenant_id() order by id"
    )
    dues = await db.fetch(
        "select due_date from decision_point where tenant_id = app_tenant_id()"
        " and outcome is null"
    )
    return project_figures(_rows(ProjectRow, projects), [r["due_date"] for r in dues], on)


async def _tenders(on: date) -> list[Figure]:
    db = connection()
    tenders = await db.fetch(
        "select id, title, state, bid_deadline, opened_at, award_notified_at from tender"
        " where tenant_id = app_tenant_id() and state <> 'draft' order by id"
    )
    # Row-level security shows a municipality no bid of a tender before its opening; the
    # join says the same in the query, so the count cannot depend on the policy alone.
    bids = await db.fetch(
        "select b.tender_id, count(*) as n from bid b"
        " join tender t on t.tenant_id = b.tenant_id and t.id = b.tender_id"
        " where b.tenant_id = app_tenant_id() and t.opened_at is not null"
        " and b.withdrawn_at is null group by b.tender_id"
    )
    return tender_figures(_rows(TenderRow, tenders), {r["tender_id"]: r["n"] for r in bids})


_COMPUTE = {"programmes": _programmes, "projects": _projects, "tenders": _tenders}


async def _lock(name: str, *ids: int) -> datetime:
    """Queue on this rollup's lock; returns the time the figures are computed at.

    Taken before reading, so two recomputes of one slice never interleave: the later one
    reads what the earlier one could not have seen, and writes last.
    """
    key = ":".join(["dashboard", name, *map(str, ids)])
    await connection().execute("select pg_advisory_xact_lock(hashtextextended($1, 0))", key)
    return await connection().fetchval("select clock_timestamp()")


async def _store_municipality(slice_: str, figures: Sequence[Figure], at: datetime) -> None:
    db = connection()
    columns = [
        [f.metric for f in figures],
        [f.subject for f in figures],
        [f.year for f in figures],
        [f.label for f in figures],
        [f.value for f in figures],
    ]
    await db.execute(
        "insert into municipality_figure (tenant_id, slice, metric, subject, year, label, value,"
        " computed_at) select app_tenant_id(), $1, f.metric, f.subject, f.year, f.label, f.value,"
        " $7 from unnest($2::text[], $3::text[], $4::int[], $5::text[], $6::numeric[])"
        " as f (metric, subject, year, label, value)"
        " on conflict (tenant_id, slice, metric, subject, year) do update"
        " set label = excluded.label, value = excluded.value, computed_at = excluded.computed_at",
        slice_,
        *columns,
        at,
    )
    await db.execute(
        "delete from municipality_figure f where f.tenant_id = app_tenant_id() and f.slice = $1"
        " and not exists (select 1 from unnest($2::text[], $3::text[], $4::int[])"
        " as k (metric, subject, year)"
        " where k.metric = f.metric and k.subject = f.subject and k.year = f.year)",
        slice_,
        *columns[:3],
    )


async def recompute_here(slices: Iterable[str] = SLICES) -> list[Figure]:
    """Recompute and store these slices of the open transaction's municipality."""
    db = connection()
    tenant_id = await db.fetchval("select app_tenant_id()")
    if tenant_id is None:
        raise InvalidInput("no_municipality", N_("Only a municipality has these figures."))
    on = await today()
    stored: list[Figure] = []
    for slice_ in _check_slices(slices):
        at = await _lock(slice_, tenant_id)
        figures = await compute_municipality([slice_], on=on)
        await _store_municipality(slice_, figures, at)
        stored += figures
    return stored


# --- the jobs: each its own transaction ---------------------------------------------------------


async def recompute_municipality(tenant_id: int, slices: Iterable[str] = SLICES) -> None:
    """Recompute a municipality's slices in its own scope, all in one transaction."""
    async with tenant_tx(tenant_id):
        await recompute_here(slices)


async def regions_of(tenant_id: int) -> list[int]:
    async with tenant_tx(Scope()):
        rows = await connection().fetch(
            "select region_id from region_member where municipality_id = $1 order by region_id",
            tenant_id,
        )
    return [r["region_id"] for r in rows]


async def recompute_region(region_id: int) -> None:
    """Recompute a region's figures from its members' figures.

    One transaction, scoped in turn to each member (to read that member's figures, and
    nothing else of it) and to the region (to write): the region's lock is held from before
    the first read to the commit, so a later run always writes last and from newer figures.
    """
    async with tenant_tx(Scope(region_id=region_id)):
        at = await _lock("region", region_id)
        members = await _members()
        by_municipality: dict[int, list[Figure]] = {}
        for member in members:
            await rescope(Scope(tenant_id=member.id))
            by_municipality[member.id] = (await figures_for_municipality()).figures
        await rescope(Scope(region_id=region_id))
        await _store_region(region_figures(by_municipality), at)


async def _store_region(rows: Sequence[RegionFigureRow], at: datetime) -> None:
    db = connection()
    columns = [
        [r.municipality_id for r in rows],
        [r.figure.slice for r in rows],
        [r.figure.metric for r in rows],
        [r.figure.subject for r in rows],
        [r.figure.year for r in rows],
        [r.figure.label for r in rows],
        [r.figure.value for r in rows],
    ]
    await db.execute(
        "insert into region_figure (region_id, municipality_id, slice, metric, subject, year,"
        " label, value, computed_at) select app_region_id(), f.m, f.slice, f.metric, f.subject,"
        " f.year, f.label, f.value, $8 from unnest($1::bigint[], $2::text[], $3::text[],"
        " $4::text[], $5::int[], $6::text[], $7::numeric[])"
        " as f (m, slice, metric, subject, year, label, value)"
        " on conflict (region_id, municipality_id, slice, metric, subject, year) do update"
        " set label = excluded.label, value = excluded.value, computed_at = excluded.computed_at",
        *columns,
        at,
    )
    await db.execute(
        "delete from region_figure f where f.region_id = app_region_id()"
        " and not exists (select 1 from unnest($1::bigint[], $2::text[], $3::text[], $4::text[],"
        " $5::int[]) as k (m, slice, metric, subject, year) where k.m = f.municipality_id"
        " and k.slice = f.slice and k.metric = f.metric and k.subject = f.subject"
        " and k.year = f.year)",
        *columns[:5],
    )


async def refresh_municipality_and_regions(tenant_id: int, slices: Iterable[str]) -> None:
    """What a change event leads to: the municipality's slices, then each of its regions."""
    await recompute_municipality(tenant_id, slices)
    for region_id in await regions_of(tenant_id):
        await recompute_region(region_id)


async def refresh_everything() -> tuple[int, int]:
    """Every municipality's every slice, then every region; returns how many of each."""
    async with tenant_tx(Scope()):
        municipalities = [r["id"] for r in await connection().fetch("select id from municipality")]
        regions = [r["id"] for r in await connection().fetch("select id from region")]
    for municipality_id in municipalities:
        await recompute_municipality(municipality_id)
    for region_id in regions:
        await recompute_region(region_id)
    return len(municipalities), len(regions)


# --- reads, inside the caller's transaction -----------------------------------------------------


def _figure(r) -> Figure:
    return Figure(r["slice"], r["metric"], r["subject"], r["year"], r["label"], r["value"])


async def figures_for_municipality() -> MunicipalityFigures:
    """The transaction's municipality's stored figures, and when the oldest was computed."""
    rows = await connection().fetch(
        "select slice, metric, subject, year, label, value, computed_at from municipality_figure"
        " where tenant_id = app_tenant_id() order by slice, metric, subject, year"
    )
    return MunicipalityFigures(
        [_figure(r) for r in rows], min((r["computed_at"] for r in rows), default=None)
    )


async def _members() -> list[Member]:
    rows = await connection().fetch(
        "select m.id, m.kommunenummer, m.name from region_member rm"
        " join municipality m on m.id = rm.municipality_id"
        " where rm.region_id = app_region_id() order by m.name"
    )
    return _rows(Member, rows)


async def figures_for_region() -> RegionFigures:
    """The transaction's region's figures: its sums (key 0) and each member's aggregates."""
    rows = await connection().fetch(
        "select municipality_id, slice, metric, subject, year, label, value, computed_at"
        " from region_figure where region_id = app_region_id()"
        " order by municipality_id, slice, metric, subject, year"
    )
    figures: dict[int, list[Figure]] = defaultdict(list)
    for r in rows:
        figures[r["municipality_id"]].append(_figure(r))
    return RegionFigures(
        await _members(), dict(figures), min((r["computed_at"] for r in rows), default=None)
    )


async def overdue_decisions() -> list[OverdueDecision]:
    """The list behind "decision points overdue": the municipality's own projects' open ones."""
    rows = await connection().fetch(
        "select d.project_id, p.title as project_title, d.next_phase, d.due_date"
        " from decision_point d join project p on p.tenant_id = d.tenant_id and p.id = d.project_id"
        f" where d.tenant_id = app_tenant_id() and d.outcome is null and d.due_date < ({TODAY})"
        " order by d.due_date, p.title"
    )
    return _rows(OverdueDecision, rows)


async def projects_in_phase(phase: str) -> list[PhaseProject]:
    """The list behind "projects per sub-project": the municipality's running ones in it."""
    rows = await connection().fetch(
        "select id, title, phase, status, approved_budget from project"
        " where tenant_id = app_tenant_id() and phase = $1 and status <> 'closed'"
        " order by title, id",
        phase,
    )
    return _rows(PhaseProject, rows)
