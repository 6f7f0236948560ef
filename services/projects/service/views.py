"""The reads: the project list with its filters, overdue decision points, one project in full."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import asyncpg

from services.projects.rules import (
    ProjectState,
    ProjectStatus,
    SubProjectPhase,
    SubProjectState,
    is_overdue,
    next_phase,
    next_step,
    step_takers,
)
from services.projects.schemas import (
    DecisionPointView,
    DocumentView,
    MunicipalityChoice,
    ProjectDetail,
    ProjectSummary,
    StatusReportView,
    SteeringMemberView,
    StrategyAreaChoice,
    SubProjectView,
)
from services.projects.service._common import (
    VISIBLE,
    VISIBLE_ROWS,
    ProjectNotFound,
    project_row,
)
from services.projects.service.council import council_comments
from services.projects.service.participants import participants_of
from services.projects.tables import Project
from tenants.context import connection, fetch_structs
from tenants.rows import tenant

# A project's own rows, by (lead tenant_id, project id).
_OF_PROJECT = " where tenant_id = $1 and project_id = $2"


def _overdue(due: date | None, today: date | None, decided: bool) -> bool:
    return due is not None and today is not None and is_overdue(due, today, decided)


_COLUMNS = """
    select p.id, p.tenant_id as lead_municipality_id, m.kommunenummer as lead_kommunenummer,
           m.name as lead_name, p.title, p.phase, p.status, p.approved_budget, p.programme_id,
           p.strategy_area_id, sa.name_nb as strategy_area_nb,
           sa.name_nn as strategy_area_nn, p.region_id is not null as regional,
           p.region_id, p.owner_name,
           (select min(d.due_date) from decision_point d where d.tenant_id = p.tenant_id
              and d.project_id = p.id and d.outcome is null) as next_decision_due"""
_JOINS = """
    join municipality m on m.id = p.tenant_id
    left join strategy_area sa on sa.tenant_id = p.tenant_id and sa.id = p.strategy_area_id"""
_SUMMARY = f"{_COLUMNS} from project p{_JOINS} where {VISIBLE}"
# The list's filters: $1 a phase, $2 a strategy area, $3 a status, $4 regional or not.
_FILTERS = (
    " and ($1::text is null or p.phase = $1) and ($2::bigint is null or p.strategy_area_id = $2)"
    " and ($3::text is null or p.status = $3)"
    " and ($4::boolean is null or (p.region_id is not null) = $4)"
)
# A page of the visible projects the filters choose, and how many they choose on all pages:
# the projects are read once, counted, sorted (running ones first, then by title) and cut to
# $8 rows from just past $5-$7, the key of the row before; only the page's rows are then
# joined to their municipality, area and next decision.
_PAGE = (
    f"{_COLUMNS}, p.total from (select * from (select p.*, p.status = 'closed' as closed,"
    f" count(*) over () as total from {VISIBLE_ROWS} p where true{_FILTERS}) p"
    " where ($5::boolean is null or (p.closed, p.title, p.id) > ($5, $6::text, $7::bigint))"
    f" order by p.closed, p.title, p.id limit $8) p{_JOINS}"
    " order by p.closed, p.title, p.id"
)


def _summary(row: asyncpg.Record, today: date | None) -> ProjectSummary:
    values = dict(row)
    values.pop("total", None)
    values["decision_overdue"] = _overdue(values["next_decision_due"], today, False)
    return ProjectSummary(**values)


async def list_projects(
    *,
    phase: str | None = None,
    strategy_area_id: int | None = None,
    status: str | None = None,
    regional: bool | None = None,
    today: date | None = None,
    after: tuple[bool, str, int] | None = None,
    limit: int | None = None,
) -> list[ProjectSummary]:
    """The projects this session sees (its own, those it takes part in, its region's),
    filtered; `today` flags overdue decision points. Running ones first, then by title: a page
    is `limit` of them from just past `after`, the (closed, title, id) of the last row before."""
    closed, title, project_id = after if after else (None, None, None)
    filters = (phase, strategy_area_id, status, regional)
    rows = await connection().fetch(_PAGE, *filters, closed, title, project_id, limit)
    return [_summary(r, today) for r in rows]


async def project_page(
    *,
    today: date | None = None,
    after: tuple[bool, str, int] | None = None,
    limit: int,
    **filters: Any,
) -> tuple[list[ProjectSummary], int]:
    """A page of list_projects (with its filters), and how many projects the filters find on
    all its pages, in one statement (a cursor past the last row counts again on its own)."""
    closed, title, project_id = after if after else (None, None, None)
    chosen = [filters.get(name) for name in ("phase", "strategy_area_id", "status", "regional")]
    rows = await connection().fetch(_PAGE, *chosen, closed, title, project_id, limit)
    if not rows:
        return [], await _count_projects(**filters) if after else 0
    return [_summary(r, today) for r in rows], rows[0]["total"]


async def _count_projects(
    *,
    phase: str | None = None,
    strategy_area_id: int | None = None,
    status: str | None = None,
    regional: bool | None = None,
) -> int:
    """How many projects list_projects finds with these filters, on all its pages."""
    return await connection().fetchval(
        f"select count(*) from {VISIBLE_ROWS} p where true{_FILTERS}",
        phase,
        strategy_area_id,
        status,
        regional,
    )


async def project_strategy_areas() -> list[tuple[int, str, str]]:
    """The strategy areas (id, bokmål name, nynorsk name) of the projects this session sees and
    whose area it may read: the list's filter. A session reads only its own municipality's
    areas, and sees every project its municipality leads: so these are its areas that one of
    its projects names, found from the few areas rather than from every visible project."""
    rows = await connection().fetch(
        "select sa.id, sa.name_nb, sa.name_nn from strategy_area sa"
        " where sa.tenant_id = app_tenant_id() and exists (select from project p"
        " where p.tenant_id = sa.tenant_id and p.strategy_area_id = sa.id) order by 1"
    )
    return [(r["id"], r["name_nb"], r["name_nn"]) for r in rows]


async def overdue_decision_points(today: date) -> list[DecisionPointView]:
    """Open decision points past their due date, of the projects this session sees."""
    rows = await connection().fetch(
        "select d.*, p.title as project_title from decision_point d join project p"
        f" on p.tenant_id = d.tenant_id and p.id = d.project_id where {VISIBLE}"
        " and d.outcome is null and d.due_date < $1 order by d.due_date, d.id",
        today,
    )
    return [_decision_view(r, today) for r in rows]


def _decision_view(row: asyncpg.Record, today: date | None) -> DecisionPointView:
    return DecisionPointView(
        id=row["id"],
        project_id=row["project_id"],
        project_title=row["project_title"],
        after_phase=row["after_phase"],
        next_phase=row["next_phase"],
        due_date=row["due_date"],
        outcome=row["outcome"],
        conditions=row["conditions"],
        basis=row["basis"],
        approved_budget=row["approved_budget"],
        decided_on=row["decided_on"],
        decided_by=row["decided_by"],
        decided_as=row["decided_as"],
        overdue=_overdue(row["due_date"], today, row["outcome"] is not None),
    )


async def project_id_by_title(title: str) -> int | None:
    """The session's own project of that title (the demo finds its projects again by it)."""
    row = (
        await Project.select(Project.id)
        .where((Project.tenant_id == tenant()) & (Project.title == title))
        .order_by(Project.id)
        .first()
    )
    return row["id"] if row else None


async def get_project(project_id: int, *, today: date | None = None) -> ProjectDetail:
    """Everything about one project this session sees."""
    row = await connection().fetchrow(_SUMMARY + " and p.id = $1", project_id)
    if row is None:
        raise ProjectNotFound()
    project = await project_row(project_id)
    key = (project["tenant_id"], project_id)
    sub_projects = await _sub_projects(key)
    step = _next_step(project, sub_projects)
    return ProjectDetail(
        summary=_summary(row, today),
        description=project["description"],
        owner_person_id=project["owner_person_id"],
        sponsor_person_id=project["sponsor_person_id"],
        sponsor_name=project["sponsor_name"],
        manager_person_id=project["manager_person_id"],
        manager_name=project["manager_name"],
        decisions_delegated_to_board=project["decisions_delegated_to_board"],
        closed_at=project["closed_at"],
        access=await _access(key),
        steering_group=await _steering_group(key),
        participants=await participants_of(project),
        sub_projects=sub_projects,
        decision_points=await _decision_points(key, project["title"], today),
        status_reports=await _status_reports(key),
        documents=await _documents(key),
        next_step=step.value,
        step_takers=step_takers(step, project["decisions_delegated_to_board"]).value,
        council_comments=await council_comments(project_id) if project["region_id"] else {},
    )


def _next_step(project: asyncpg.Record, sub_projects: list[SubProjectView]):
    phase = SubProjectPhase(project["phase"])
    state = ProjectState(phase, ProjectStatus(project["status"]), project["approved_budget"])
    by_phase = {s.phase: s for s in sub_projects}
    current = by_phase.get(phase.value)
    following = next_phase(phase)
    return next_step(
        state,
        SubProjectState(current.state) if current else None,
        following is not None and following.value in by_phase,
    )


async def participant_candidates() -> list[MunicipalityChoice]:
    """The municipalities sharing a region with the session's municipality, itself included."""
    return await fetch_structs(
        MunicipalityChoice,
        "select distinct m.kommunenummer, m.name from municipality m join region_member rm"
        " on rm.municipality_id = m.id where rm.region_id in (select region_id from"
        " region_member where municipality_id = app_tenant_id()) order by m.name",
    )


async def _access(key: tuple[int, int]) -> str:
    """How this session sees the project: as its lead, a participant or the region's council."""
    me = tenant()
    if me == key[0]:
        return "lead"
    if me is not None and await connection().fetchval(
        "select project_participant_is_me($1, $2)", *key
    ):
        return "participant"
    return "council"


async def _steering_group(key: tuple[int, int]) -> list[SteeringMemberView]:
    return await fetch_structs(
        SteeringMemberView,
        "select id, name, represents, person_id from steering_group_member"
        + _OF_PROJECT
        + " order by id",
        *key,
    )


async def _sub_projects(key: tuple[int, int]) -> list[SubProjectView]:
    return await fetch_structs(
        SubProjectView,
        "select id, phase, state, mandate, plan, budget, approved_budget, period_start,"
        " period_end, closing_report from sub_project"
        + _OF_PROJECT
        + " order by array_position(array['forstudie','forprosjekt','hovudprosjekt',"
        "'drift'], phase)",
        *key,
    )


async def _decision_points(
    key: tuple[int, int], title: str, today: date | None
) -> list[DecisionPointView]:
    rows = await connection().fetch(
        "select d.*, $3::text as project_title from decision_point d"
        " where d.tenant_id = $1 and d.project_id = $2 order by d.id",
        *key,
        title,
    )
    return [_decision_view(r, today) for r in rows]


async def _status_reports(key: tuple[int, int]) -> list[StatusReportView]:
    rows = await connection().fetch(
        "select r.id, r.sub_project_id, sp.phase, r.period_start, r.period_end, r.progress,"
        " r.spent, r.planned, r.risks, r.kpi_contributions, r.reported_by_municipality,"
        " r.reported_by, r.created_at from status_report r join sub_project sp"
        " on sp.tenant_id = r.tenant_id and sp.id = r.sub_project_id"
        " where r.tenant_id = $1 and r.project_id = $2 order by r.period_start, r.id",
        *key,
    )
    return [
        StatusReportView(
            **{
                **dict(r),
                "kpi_contributions": {
                    k: Decimal(v) for k, v in json.loads(r["kpi_contributions"]).items()
                },
            }
        )
        for r in rows
    ]


async def _documents(key: tuple[int, int]) -> list[DocumentView]:
    rows = await connection().fetch(
        "select id, name, content_type, size, sha256, uploaded_at from document"
        + _OF_PROJECT
        + " order by uploaded_at, id",
        *key,
    )
    return [DocumentView(**{**dict(r), "sha256": r["sha256"].hex()}) for r in rows]


async def strategy_area_choices() -> list[StrategyAreaChoice]:
    """The strategy areas of the session's programmes, which a new project may belong to."""
    return await fetch_structs(
        StrategyAreaChoice,
        "select sa.id, sa.programme_id, p.name as programme_name, sa.name_nb, sa.name_nn"
        " from strategy_area sa join programme p on p.tenant_id = sa.tenant_id"
        " and p.id = sa.programme_id where sa.tenant_id = app_tenant_id()"
        " order by p.period_start desc, p.name, sa.position, sa.id",
    )
