"""The owner's decision points: reached when a sub-project is done, decided go, revise or stop."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import asyncpg

from infra.columns import database_now
from services import inputs
from services.audit.service import record_change
from services.errors import N_, Conflict, InvalidInput, NotAllowed, required_text
from services.projects.rules import (
    DecisionOutcome,
    ProjectRole,
    ProjectState,
    ProjectStatus,
    SubProjectPhase,
    SubProjectState,
    apply_decision,
    may_record_decision,
    next_phase,
)
from services.projects.rules import reach_decision_point as _reach
from services.projects.service._common import (
    close_with_report,
    current_sub_project,
    emit_project_change,
    project_row,
    start_sub_project,
    state_of,
    state_values,
)
from services.projects.service.permissions import project_roles, require_planner
from services.projects.tables import DecisionPoint, Project, SubProject
from tenants.rows import insert_row, tenant

# A revised plan comes back to the owner after this long unless the decision says otherwise.
REVISE_DAYS = 30

_GOES = (DecisionOutcome.GO, DecisionOutcome.GO_WITH_CONDITIONS)


class OwnerOnly(NotAllowed):
    def __init__(self) -> None:
        super().__init__(
            "decision_owner_only",
            N_(
                "Only the project owner, or the programme board when the owner has delegated"
                " to it, records a decision."
            ),
        )


async def set_decision_delegation(
    project_id: int, delegated: bool, *, actor_person_id: int | None
) -> None:
    """The owner delegates decisions at decision points to the programme board, or takes them back."""
    project = await project_row(project_id, lead=True)
    if actor_person_id is None or project["owner_person_id"] != actor_person_id:
        raise NotAllowed("delegation_owner_only", N_("Only the project owner may delegate."))
    if delegated and project["programme_id"] is None:
        raise Conflict(
            "delegation_without_programme",
            N_("Only a project of a programme can delegate to its board."),
            field="delegated",
        )
    await Project.update({Project.decisions_delegated_to_board: delegated}).where(
        (Project.tenant_id == tenant()) & (Project.id == project_id)
    )
    await record_change(
        actor_person_id=actor_person_id,
        action="delegate",
        entity="project",
        entity_id=project_id,
        old_values={"delegated_to_board": project["decisions_delegated_to_board"]},
        new_values={"delegated_to_board": delegated},
    )


async def reach_decision_point(
    project_id: int,
    *,
    due_date: date,
    closing_report: str | None = None,
    actor_person_id: int | None,
) -> int:
    """The running sub-project is done: close it (if still open) and set the owner's decision date.

    Returns the decision point's id.
    """
    project = await project_row(project_id, lead=True)
    await require_planner(project, actor_person_id)
    before = state_of(project)
    after = _reach(before)
    sub = await current_sub_project(project)
    if sub["state"] != SubProjectState.CLOSED:
        await close_with_report(sub, closing_report, actor_person_id)
    point_id = await insert_row(
        DecisionPoint(
            tenant_id=tenant(),
            project_id=project_id,
            after_phase=before.phase.value,
            next_phase=next_phase(before.phase).value,
            due_date=due_date,
        )
    )
    await _save_state(
        project_id,
        before,
        after,
        action="reach_decision_point",
        details={"decision_point_id": point_id, "due_date": due_date},
        actor_person_id=actor_person_id,
    )
    await emit_project_change("projects.decision_point_reached", project)
    return point_id


async def _deciding_as(
    project: asyncpg.Record, actor_person_id: int | None, on: date
) -> ProjectRole:
    """The role in which the actor may decide: as the owner, else as the delegated board."""
    roles = await project_roles(project, actor_person_id, on)
    if not may_record_decision(roles, project["decisions_delegated_to_board"]):
        raise OwnerOnly()
    return (
        ProjectRole.PROSJEKTEIGAR
        if ProjectRole.PROSJEKTEIGAR in roles
        else ProjectRole.PROGRAMSTYRE
    )


async def record_decision(
    project_id: int,
    *,
    outcome: str,
    basis: str,
    decided_on: date,
    approved_budget: Decimal | None = None,
    conditions: str = "",
    next_due_date: date | None = None,
    actor_person_id: int | None,
) -> ProjectState:
    """The owner's (or the delegated board's) decision at the project's decision point.

    go / go_with_conditions start the next sub-project with its budget approved (the given
    amount, else the planned sub-project's budget); revise sends it back and opens a new
    decision point (due `next_due_date`, else in 30 days); stop closes the project at any
    time. Returns the project's state after the decision.
    """
    decision = inputs.choice(DecisionOutcome, outcome, "outcome", N_("Choose an outcome."))
    project = await project_row(project_id, lead=True)
    decided_as = await _deciding_as(project, actor_person_id, decided_on)
    basis = required_text(basis, "basis", 10000)
    conditions = conditions.strip()
    if decision == DecisionOutcome.GO_WITH_CONDITIONS and not conditions:
        raise InvalidInput(
            "conditions_required", N_("Write the conditions of the go."), field="conditions"
        )
    before = state_of(project)
    planned = await _planned_sub_project(project_id, before.phase)
    if approved_budget is None and planned is not None:
        approved_budget = planned["budget"]
    after = apply_decision(before, decision, approved_budget if decision in _GOES else None)
    point = await _open_decision_point(project_id, before.phase, decided_on)
    await _write_decision(
        point["id"],
        decision,
        after,
        basis=basis,
        conditions=conditions,
        decided_on=decided_on,
        decided_by=actor_person_id,
        decided_as=decided_as,
    )
    revise_due = next_due_date or decided_on + timedelta(days=REVISE_DAYS)
    await _carry_out(decision, project, after, point, planned, basis, revise_due, actor_person_id)
    await _save_state(
        project_id,
        before,
        after,
        action="record_decision",
        details={
            "decision_point_id": point["id"],
            "outcome": decision.value,
            "basis": basis,
            "conditions": conditions,
            "decided_on": decided_on,
            "decided_as": decided_as.value,
        },
        actor_person_id=actor_person_id,
    )
    await emit_project_change("projects.decision_recorded", project)
    return after


async def _planned_sub_project(project_id: int, phase: SubProjectPhase) -> dict[str, Any] | None:
    """The sub-project planned to follow `phase`, if the owner has planned one."""
    following = next_phase(phase)
    if following is None:
        return None
    return (
        await SubProject.select()
        .where(
            (SubProject.tenant_id == tenant())
            & (SubProject.project_id == project_id)
            & (SubProject.phase == following.value)
        )
        .first()
    )


async def _open_decision_point(
    project_id: int, phase: SubProjectPhase, decided_on: date
) -> dict[str, Any]:
    """The project's undecided decision point, locked; made on the spot for a stop mid-way."""
    point = (
        await DecisionPoint.select()
        .where(
            (DecisionPoint.tenant_id == tenant())
            & (DecisionPoint.project_id == project_id)
            & DecisionPoint.outcome.is_null()
        )
        .lock_rows()
        .first()
    )
    if point is None:  # a stop while a sub-project runs: its decision point is now
        [point] = await DecisionPoint.insert(
            DecisionPoint(
                tenant_id=tenant(),
                project_id=project_id,
                after_phase=phase.value,
                due_date=decided_on,
            )
        ).returning(*DecisionPoint.all_columns())
    return point


async def _write_decision(
    point_id: int,
    decision: DecisionOutcome,
    after: ProjectState,
    *,
    basis: str,
    conditions: str,
    decided_on: date,
    decided_by: int | None,
    decided_as: ProjectRole,
) -> None:
    await DecisionPoint.update(
        {
            DecisionPoint.outcome: decision.value,
            DecisionPoint.basis: basis,
            DecisionPoint.conditions: conditions,
            DecisionPoint.approved_budget: after.approved_budget if decision in _GOES else None,
            DecisionPoint.decided_on: decided_on,
            DecisionPoint.decided_by: decided_by,
            DecisionPoint.decided_as: decided_as.value,
            DecisionPoint.recorded_at: database_now(),
        }
    ).where((DecisionPoint.tenant_id == tenant()) & (DecisionPoint.id == point_id))


async def _carry_out(
    decision: DecisionOutcome,
    project: asyncpg.Record,
    after: ProjectState,
    point: dict[str, Any],
    planned: dict[str, Any] | None,
    basis: str,
    revise_due: date,
    actor_person_id: int | None,
) -> None:
    """What the decision sets going: the next sub-project, a new decision point, or the stop."""
    if decision in _GOES:
        await _start_next(project["id"], after, point["id"], planned)
    elif decision == DecisionOutcome.REVISE:
        await _reopen(point, revise_due)
    else:
        await _stop(project, basis, actor_person_id)


async def _start_next(
    project_id: int, after: ProjectState, go_id: int, planned: dict[str, Any] | None
) -> None:
    """The sub-project the go starts: the planned one, else one made now with the approved budget."""
    if planned is None:
        await start_sub_project(project_id, after, go_id)
    else:
        await SubProject.update(
            {
                SubProject.state: SubProjectState.ACTIVE.value,
                SubProject.approved_budget: after.approved_budget,
                SubProject.go_decision_id: go_id,
            }
        ).where((SubProject.tenant_id == tenant()) & (SubProject.id == planned["id"]))


async def _reopen(point: dict[str, Any], due_date: date) -> None:
    """A revise: the same decision comes back to the owner at a new decision point."""
    await DecisionPoint.insert(
        DecisionPoint(
            tenant_id=tenant(),
            project_id=point["project_id"],
            after_phase=point["after_phase"],
            next_phase=point["next_phase"],
            due_date=due_date,
        )
    )


async def _stop(project: asyncpg.Record, basis: str, actor_person_id: int | None) -> None:
    # Nothing is left running: a sub-project still open is closed, the stop's basis being
    # its closing report unless it already had one.
    sub = await current_sub_project(project)
    if sub is not None and sub["state"] == SubProjectState.ACTIVE:
        await close_with_report(sub, sub["closing_report"] or basis, actor_person_id)


async def _save_state(
    project_id: int,
    before: ProjectState,
    after: ProjectState,
    *,
    action: str,
    details: dict,
    actor_person_id: int | None,
) -> None:
    """The project's state moves from `before` to `after`: written, and audited as `action`
    with the details of the step that moved it."""
    closed = after.status == ProjectStatus.CLOSED
    await Project.update(
        {
            Project.phase: after.phase.value,
            Project.status: after.status.value,
            Project.approved_budget: after.approved_budget,
            Project.closed_at: database_now() if closed else None,
        }
    ).where((Project.tenant_id == tenant()) & (Project.id == project_id))
    await record_change(
        actor_person_id=actor_person_id,
        action=action,
        entity="project",
        entity_id=project_id,
        old_values=state_values(before),
        new_values={**state_values(after), **details},
    )
