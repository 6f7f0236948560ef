"""What the project use-cases share: the errors, who sees a project, its state, its sub-project."""

from __future__ import annotations

from typing import Any

import asyncpg

from infra.columns import database_now
from services.audit.service import record_change
from services.errors import N_, NotAllowed, NotFound
from services.outbox.service import emit
from services.projects.rules import (
    ProjectState,
    ProjectStatus,
    SubProjectPhase,
    SubProjectState,
    check_subproject_transition,
)
from services.projects.tables import ProjectParticipant, SubProject
from tenants.context import connection
from tenants.rows import tenant

# Every read names who may see the project, as the policies do, so a query that forgets
# the principal still shows nothing it should not (the policies being the second guard).
# Written as a set the project's key is in, never a call per row: the planner reads the set
# once (the lead's projects and its region's by their indexes, its participations through
# my_participations()) and fetches those projects by key, however many the country has.
VISIBLE = (
    "(p.tenant_id, p.id) in (select q.tenant_id, q.id from project q"
    " where q.tenant_id = app_tenant_id() or q.region_id = app_region_id()"
    " union all select s.tenant_id, s.project_id from my_participations() s)"
)
# The same projects as rows, for a read that wants many of them (a list, a count): the lead's
# and its region's read on their indexes, then the few it takes part in by key, less those
# already read (`is not true`: a setting left empty is null). Each project row is read once,
# where VISIBLE reads a key and then the row: on a list of 124 projects, 1.2 ms -> 0.7 ms.
VISIBLE_ROWS = (
    "(select * from project q where q.tenant_id = app_tenant_id() or q.region_id = app_region_id()"
    " union all select q.* from project q"
    " where (q.tenant_id, q.id) in (select s.tenant_id, s.project_id from my_participations() s)"
    " and (q.tenant_id = app_tenant_id() or q.region_id = app_region_id()) is not true)"
)
# The projects the session's municipality leads or takes part in: its work and its money,
# not what its region's council sees.
MINE = (
    "(p.tenant_id, p.id) in (select q.tenant_id, q.id from project q"
    " where q.tenant_id = app_tenant_id()"
    " union all select s.tenant_id, s.project_id from my_participations() s)"
)
# The same as rows, as VISIBLE_ROWS is to VISIBLE.
MINE_ROWS = (
    "(select * from project q where q.tenant_id = app_tenant_id()"
    " union all select q.* from project q"
    " where (q.tenant_id, q.id) in (select s.tenant_id, s.project_id from my_participations() s)"
    " and q.tenant_id is distinct from app_tenant_id())"
)


class ProjectNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("project_not_found", N_("No such project."))


class LeadOnly(NotAllowed):
    def __init__(self) -> None:
        super().__init__(
            "project_lead_only", N_("Only the lead municipality may change this project.")
        )


def state_of(project: asyncpg.Record) -> ProjectState:
    return ProjectState(
        SubProjectPhase(project["phase"]),
        ProjectStatus(project["status"]),
        project["approved_budget"],
    )


def state_values(state: ProjectState) -> dict:
    return {
        "phase": state.phase.value,
        "status": state.status.value,
        "approved_budget": state.approved_budget,
    }


async def project_row(project_id: int, *, lead: bool = False) -> asyncpg.Record:
    """The project, if this session sees it; with lead=True, locked, and only for the lead."""
    db = connection()
    row = await db.fetchrow(f"select p.* from project p where p.id = $1 and {VISIBLE}", project_id)
    if row is None:
        raise ProjectNotFound()
    if lead:
        if row["tenant_id"] != tenant():
            raise LeadOnly()
        row = await db.fetchrow(
            "select * from project where tenant_id = app_tenant_id() and id = $1 for update",
            project_id,
        )
    return row


async def current_sub_project(project: asyncpg.Record) -> dict[str, Any] | None:
    """The sub-project of the project's phase (a participant reads it from the lead's rows)."""
    return (
        await SubProject.select()
        .where(
            (SubProject.tenant_id == project["tenant_id"])
            & (SubProject.project_id == project["id"])
            & (SubProject.phase == project["phase"])
        )
        .first()
    )


async def start_sub_project(project_id: int, state: ProjectState, go_id: int, **plan: Any) -> None:
    """The sub-project a go decision starts, in the project's phase after it, active with the
    approved budget; `plan` adds the mandate, plan and period where the decision names them."""
    await SubProject.insert(
        SubProject(
            tenant_id=tenant(),
            project_id=project_id,
            phase=state.phase.value,
            state=SubProjectState.ACTIVE.value,
            budget=state.approved_budget,
            approved_budget=state.approved_budget,
            go_decision_id=go_id,
            **plan,
        )
    )


async def close_with_report(
    sub: dict[str, Any], closing_report: str | None, actor_person_id: int | None
) -> None:
    """Close one sub-project row with its closing report (the caller checks the project)."""
    report = (closing_report or "").strip()
    check_subproject_transition(
        SubProjectState(sub["state"]), SubProjectState.CLOSED, has_closing_report=bool(report)
    )
    await SubProject.update(
        {
            SubProject.state: SubProjectState.CLOSED.value,
            SubProject.closing_report: report,
            SubProject.closed_at: database_now(),
        }
    ).where((SubProject.tenant_id == tenant()) & (SubProject.id == sub["id"]))
    await record_change(
        actor_person_id=actor_person_id,
        action="close",
        entity="sub_project",
        entity_id=sub["id"],
        old_values={"state": sub["state"]},
        new_values={"state": "closed", "closing_report": report},
    )


async def participant_ids(project: asyncpg.Record) -> list[int]:
    """The municipalities that take part in a regional project (none for a local one)."""
    return (
        await ProjectParticipant.select(ProjectParticipant.municipality_id)
        .where(
            (ProjectParticipant.tenant_id == project["tenant_id"])
            & (ProjectParticipant.project_id == project["id"])
        )
        .output(as_list=True)
    )


async def emit_project_change(kind: str, project: asyncpg.Record, *also: int) -> None:
    """An event about a project that names every municipality whose figures it changes: the
    lead, each participant (which counts its cost share), and `also` (one that just left)."""
    lead = project["tenant_id"]
    others = {*await participant_ids(project), *also} - {lead}
    await emit(
        kind,
        {
            "project_id": project["id"],
            "lead_municipality_id": lead,
            "municipality_ids": [lead, *sorted(others)],
        },
    )
