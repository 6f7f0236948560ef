"""Use-cases of PLP projects: start, sub-projects, decision points, status reports, participants.

Each runs inside the caller's tenant_tx(), never opens its own, and appends what it changed
to the audit chain of the session's municipality in the same transaction. The lead
municipality (the project's tenant) does everything; a participant of a regional project
reads it and adds status reports and documents (their audit events go to the participant's
own chain, naming the project); the region's council only reads.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal

import asyncpg

from services.audit.service import record_change
from services.errors import N_, Conflict, InvalidInput, NotAllowed, NotFound
from services.outbox.service import emit
from services.projects.rules import (
    HUNDRED,
    DecisionOutcome,
    ProjectClosed,
    ProjectRole,
    ProjectState,
    ProjectStatus,
    SubProjectPhase,
    SubProjectState,
    apply_decision,
    check_subproject_transition,
    is_overdue,
    may_record_decision,
    next_phase,
    start_project,
    validate_cost_shares,
)
from services.projects.rules import reach_decision_point as _reach
from services.projects.schemas import (
    DecisionPointView,
    DocumentView,
    NewProject,
    ParticipantView,
    ProjectDetail,
    ProjectSummary,
    StatusReportInput,
    StatusReportView,
    SteeringMemberInput,
    SteeringMemberView,
    SubProjectView,
)
from tenants.context import connection

# A revised plan comes back to the owner after this long unless the decision says otherwise.
REVISE_DAYS = 30

# Every read names who may see the project, as the policies do, so a query that forgets
# the principal still shows nothing it should not (the policies being the second guard).
VISIBLE = (
    "(p.tenant_id = app_tenant_id() or p.region_id = app_region_id()"
    " or project_participant_is_me(p.tenant_id, p.id))"
)


class ProjectNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("project_not_found", N_("No such project."))


class LeadOnly(NotAllowed):
    def __init__(self) -> None:
        super().__init__(
            "project_lead_only", N_("Only the lead municipality may change this project.")
        )


class OwnerOnly(NotAllowed):
    def __init__(self) -> None:
        super().__init__(
            "decision_owner_only",
            N_(
                "Only the project owner, or the programme board when the owner has delegated"
                " to it, records a decision."
            ),
        )


def _text(value: str, field: str, limit: int = 300) -> str:
    value = value.strip()
    if not value or len(value) > limit:
        raise InvalidInput(f"{field}_required", N_("Fill in this field."), field=field)
    return value


def _state(project: asyncpg.Record) -> ProjectState:
    return ProjectState(
        SubProjectPhase(project["phase"]),
        ProjectStatus(project["status"]),
        project["approved_budget"],
    )


def _state_values(state: ProjectState) -> dict:
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
        if row["tenant_id"] != await db.fetchval("select app_tenant_id()"):
            raise LeadOnly()
        row = await db.fetchrow(
            "select * from project where tenant_id = app_tenant_id() and id = $1 for update",
            project_id,
        )
    return row


async def _person_name(person_id: int, field: str) -> str:
    """The name of a person of the session's municipality (one with a membership in it)."""
    name = await connection().fetchval(
        "select p.name from person p where p.id = $1 and exists (select 1 from membership m"
        " where m.person_id = p.id and m.municipality_id = app_tenant_id())",
        person_id,
    )
    if name is None:
        raise NotFound("person_not_found", N_("Choose a person of the municipality."), field=field)
    return name


async def _role_holder(person_id: int | None, name: str, field: str) -> tuple[int | None, str]:
    if person_id is not None:
        return person_id, name.strip() or await _person_name(person_id, field)
    return None, name.strip()


async def _check_programme_link(programme_id: int | None, strategy_area_id: int | None) -> None:
    db = connection()
    if programme_id is not None and not await db.fetchval(
        "select 1 from programme where tenant_id = app_tenant_id() and id = $1", programme_id
    ):
        raise NotFound("programme_not_found", N_("No such programme."), field="programme_id")
    if strategy_area_id is not None and not await db.fetchval(
        "select 1 from strategy_area where tenant_id = app_tenant_id() and id = $1"
        " and programme_id = $2",
        strategy_area_id,
        programme_id,
    ):
        raise InvalidInput(
            "strategy_area_not_found",
            N_("Choose one of the programme's strategy areas."),
            field="strategy_area_id",
        )


async def create_project(new: NewProject, *, actor_person_id: int | None) -> int:
    """Start a funded project at forstudie or forprosjekt; the funding is its first go.

    The first sub-project starts at once with `new.budget` approved, recorded as a decided
    decision point. With cost shares the project is regional. Returns the project's id.
    """
    title = _text(new.title, "title")
    try:
        phase = SubProjectPhase(new.phase)
    except ValueError as error:
        raise InvalidInput("phase_invalid", N_("Choose a sub-project."), field="phase") from error
    state = start_project(phase, new.budget)
    owner_id, owner_name = await _role_holder(
        new.owner_person_id, new.owner_name, "owner_person_id"
    )
    if not owner_name:
        raise InvalidInput("owner_required", N_("Name the project owner."), field="owner_name")
    sponsor_id, sponsor_name = await _role_holder(
        new.sponsor_person_id, new.sponsor_name, "sponsor_person_id"
    )
    manager_id, manager_name = await _role_holder(
        new.manager_person_id, new.manager_name, "manager_person_id"
    )
    await _check_programme_link(new.programme_id, new.strategy_area_id)
    db = connection()
    project_id = await db.fetchval(
        "insert into project (tenant_id, title, description, programme_id, strategy_area_id,"
        " owner_person_id, owner_name, sponsor_person_id, sponsor_name, manager_person_id,"
        " manager_name, decisions_delegated_to_board, phase, status, approved_budget)"
        " values (app_tenant_id(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
        " returning id",
        title,
        new.description.strip(),
        new.programme_id,
        new.strategy_area_id,
        owner_id,
        owner_name,
        sponsor_id,
        sponsor_name,
        manager_id,
        manager_name,
        new.decisions_delegated_to_board,
        state.phase.value,
        state.status.value,
        state.approved_budget,
    )
    decision_id = await db.fetchval(
        "insert into decision_point (tenant_id, project_id, next_phase, due_date, outcome, basis,"
        " approved_budget, decided_on, decided_by, recorded_at)"
        " values (app_tenant_id(), $1, $2, $3, 'go', $4, $5, $3, $6, now()) returning id",
        project_id,
        phase.value,
        new.decided_on,
        new.funding_basis.strip() or "Finansieringsvedtak",
        state.approved_budget,
        actor_person_id,
    )
    await db.execute(
        "insert into sub_project (tenant_id, project_id, phase, state, mandate, plan, budget,"
        " approved_budget, go_decision_id, period_start, period_end)"
        " values (app_tenant_id(), $1, $2, 'active', $3, $4, $5, $5, $6, $7, $8)",
        project_id,
        phase.value,
        new.mandate.strip(),
        new.plan.strip(),
        state.approved_budget,
        decision_id,
        new.period_start,
        new.period_end,
    )
    for member in new.steering_group:
        await _add_steering_member(project_id, member)
    await record_change(
        actor_person_id=actor_person_id,
        action="create",
        entity="project",
        entity_id=project_id,
        new_values={
            "title": title,
            "owner": [owner_id, owner_name],
            "programme_id": new.programme_id,
            "strategy_area_id": new.strategy_area_id,
            **_state_values(state),
        },
    )
    if new.cost_shares:
        project = await project_row(project_id, lead=True)
        await _set_shares(project, new.cost_shares, actor_person_id)
    await emit("projects.created", {"project_id": project_id})
    return project_id


async def _add_steering_member(project_id: int, member: SteeringMemberInput) -> int:
    return await connection().fetchval(
        "insert into steering_group_member (tenant_id, project_id, name, represents, person_id)"
        " values (app_tenant_id(), $1, $2, $3, $4) returning id",
        project_id,
        _text(member.name, "name", 200),
        member.represents.strip(),
        member.person_id,
    )


async def set_steering_group(
    project_id: int, members: list[SteeringMemberInput], *, actor_person_id: int | None
) -> None:
    """Replace the steering group."""
    await project_row(project_id, lead=True)
    db = connection()
    before = [
        dict(r)
        for r in await db.fetch(
            "select name, represents, person_id from steering_group_member"
            " where tenant_id = app_tenant_id() and project_id = $1 order by id",
            project_id,
        )
    ]
    await db.execute(
        "delete from steering_group_member where tenant_id = app_tenant_id() and project_id = $1",
        project_id,
    )
    for member in members:
        await _add_steering_member(project_id, member)
    await record_change(
        actor_person_id=actor_person_id,
        action="set",
        entity="steering_group",
        entity_id=project_id,
        old_values=before,
        new_values=[_fields(m) for m in members],
    )


def _fields(struct) -> dict:
    return {f: getattr(struct, f) for f in struct.__struct_fields__}


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
    await connection().execute(
        "update project set decisions_delegated_to_board = $2"
        " where tenant_id = app_tenant_id() and id = $1",
        project_id,
        delegated,
    )
    await record_change(
        actor_person_id=actor_person_id,
        action="delegate",
        entity="project",
        entity_id=project_id,
        old_values={"delegated_to_board": project["decisions_delegated_to_board"]},
        new_values={"delegated_to_board": delegated},
    )


async def plan_sub_project(
    project_id: int,
    phase: str,
    *,
    mandate: str,
    plan: str,
    budget: Decimal,
    period_start: date | None = None,
    period_end: date | None = None,
    actor_person_id: int | None,
) -> int:
    """Write (or rewrite) the next sub-project's mandate, plan and budget for the owner to decide.

    It stays planned until a go starts it; returns its id.
    """
    project = await project_row(project_id, lead=True)
    state = _state(project)
    if state.status == ProjectStatus.CLOSED:
        raise ProjectClosed()
    if phase != getattr(next_phase(state.phase), "value", None):
        raise InvalidInput(
            "subproject_not_next",
            N_("Only the next sub-project can be planned."),
            field="phase",
        )
    budget = Decimal(budget)
    if not budget.is_finite() or budget < 0:
        raise InvalidInput("budget_invalid", N_("Write an amount of 0 or more."), field="budget")
    sub_id = await connection().fetchval(
        "insert into sub_project (tenant_id, project_id, phase, mandate, plan, budget,"
        " period_start, period_end) values (app_tenant_id(), $1, $2, $3, $4, $5, $6, $7)"
        " on conflict (tenant_id, project_id, phase) do update set mandate = excluded.mandate,"
        " plan = excluded.plan, budget = excluded.budget, period_start = excluded.period_start,"
        " period_end = excluded.period_end where sub_project.state = 'planned' returning id",
        project_id,
        phase,
        mandate.strip(),
        plan.strip(),
        budget,
        period_start,
        period_end,
    )
    if sub_id is None:
        raise Conflict("subproject_started", N_("This sub-project has already started."))
    await record_change(
        actor_person_id=actor_person_id,
        action="plan",
        entity="sub_project",
        entity_id=sub_id,
        new_values={
            "project_id": project_id,
            "phase": phase,
            "mandate": mandate.strip(),
            "plan": plan.strip(),
            "budget": budget,
            "period": [period_start, period_end],
        },
    )
    return sub_id


async def _current_sub_project(project: asyncpg.Record) -> asyncpg.Record:
    return await connection().fetchrow(
        "select * from sub_project where tenant_id = $1 and project_id = $2 and phase = $3",
        project["tenant_id"],
        project["id"],
        project["phase"],
    )


async def _close_sub_project(
    sub: asyncpg.Record, closing_report: str | None, actor_person_id: int | None
) -> None:
    report = (closing_report or "").strip()
    check_subproject_transition(
        SubProjectState(sub["state"]), SubProjectState.CLOSED, has_closing_report=bool(report)
    )
    await connection().execute(
        "update sub_project set state = 'closed', closing_report = $2, closed_at = now()"
        " where tenant_id = app_tenant_id() and id = $1",
        sub["id"],
        report,
    )
    await record_change(
        actor_person_id=actor_person_id,
        action="close",
        entity="sub_project",
        entity_id=sub["id"],
        old_values={"state": sub["state"]},
        new_values={"state": "closed", "closing_report": report},
    )


async def close_sub_project(
    project_id: int, closing_report: str, *, actor_person_id: int | None
) -> None:
    """Close the running sub-project with its closing report.

    Closing drift, the last sub-project, closes the project; otherwise the owner's decision
    point follows (reach_decision_point).
    """
    project = await project_row(project_id, lead=True)
    if project["status"] == ProjectStatus.CLOSED:
        raise ProjectClosed()
    await _close_sub_project(await _current_sub_project(project), closing_report, actor_person_id)
    await emit("projects.sub_project_closed", {"project_id": project_id})
    if next_phase(SubProjectPhase(project["phase"])) is None:
        await connection().execute(
            "update project set status = 'closed', closed_at = now()"
            " where tenant_id = app_tenant_id() and id = $1",
            project_id,
        )
        await record_change(
            actor_person_id=actor_person_id,
            action="close",
            entity="project",
            entity_id=project_id,
            old_values={"status": project["status"]},
            new_values={"status": "closed"},
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
    before = _state(project)
    after = _reach(before)
    sub = await _current_sub_project(project)
    if sub["state"] != SubProjectState.CLOSED:
        await _close_sub_project(sub, closing_report, actor_person_id)
    db = connection()
    point_id = await db.fetchval(
        "insert into decision_point (tenant_id, project_id, after_phase, next_phase, due_date)"
        " values (app_tenant_id(), $1, $2, $3, $4) returning id",
        project_id,
        before.phase.value,
        next_phase(before.phase).value,
        due_date,
    )
    await db.execute(
        "update project set status = $2 where tenant_id = app_tenant_id() and id = $1",
        project_id,
        after.status.value,
    )
    await record_change(
        actor_person_id=actor_person_id,
        action="reach_decision_point",
        entity="project",
        entity_id=project_id,
        old_values=_state_values(before),
        new_values={**_state_values(after), "decision_point_id": point_id, "due_date": due_date},
    )
    await emit("projects.decision_point_reached", {"project_id": project_id})
    return point_id


async def _actor_roles(project: asyncpg.Record, actor_person_id: int | None, on: date) -> set[str]:
    roles: set[str] = set()
    if actor_person_id is None:
        return roles
    if project["owner_person_id"] == actor_person_id:
        roles.add(ProjectRole.PROSJEKTEIGAR)
    if project["sponsor_person_id"] == actor_person_id:
        roles.add(ProjectRole.PROSJEKTANSVARLEG)
    if project["manager_person_id"] == actor_person_id:
        roles.add(ProjectRole.PROSJEKTLEIAR)
    # A voting seat on the programme's board, in its term on the decision's date.
    if project["programme_id"] is not None and await connection().fetchval(
        "select 1 from board_member where tenant_id = app_tenant_id() and programme_id = $1"
        " and person_id = $2 and seat <> 'observer' and term_start <= $3"
        " and (term_end is null or term_end >= $3)",
        project["programme_id"],
        actor_person_id,
        on,
    ):
        roles.add(ProjectRole.PROGRAMSTYRE)
    return roles


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
    try:
        decision = DecisionOutcome(outcome)
    except ValueError as error:
        raise InvalidInput("outcome_invalid", N_("Choose an outcome."), field="outcome") from error
    project = await project_row(project_id, lead=True)
    roles = await _actor_roles(project, actor_person_id, decided_on)
    if not may_record_decision(roles, project["decisions_delegated_to_board"]):
        raise OwnerOnly()
    basis = _text(basis, "basis", 10000)
    if decision == DecisionOutcome.GO_WITH_CONDITIONS and not conditions.strip():
        raise InvalidInput(
            "conditions_required", N_("Write the conditions of the go."), field="conditions"
        )
    before = _state(project)
    db = connection()
    planned = None
    following = next_phase(before.phase)
    if following is not None:
        planned = await db.fetchrow(
            "select * from sub_project where tenant_id = app_tenant_id() and project_id = $1"
            " and phase = $2",
            project_id,
            following.value,
        )
    if approved_budget is None and planned is not None:
        approved_budget = planned["budget"]
    after = apply_decision(before, decision, approved_budget if decision in _GOES else None)
    point = await db.fetchrow(
        "select * from decision_point where tenant_id = app_tenant_id() and project_id = $1"
        " and outcome is null for update",
        project_id,
    )
    if point is None:  # a stop while a sub-project runs: its decision point is now
        point = await db.fetchrow(
            "insert into decision_point (tenant_id, project_id, after_phase, due_date)"
            " values (app_tenant_id(), $1, $2, $3) returning *",
            project_id,
            before.phase.value,
            decided_on,
        )
    decided_as = (
        ProjectRole.PROSJEKTEIGAR
        if ProjectRole.PROSJEKTEIGAR in roles
        else ProjectRole.PROGRAMSTYRE
    )
    await db.execute(
        "update decision_point set outcome = $2, basis = $3, conditions = $4, approved_budget = $5,"
        " decided_on = $6, decided_by = $7, decided_as = $8, recorded_at = now()"
        " where tenant_id = app_tenant_id() and id = $1",
        point["id"],
        decision.value,
        basis,
        conditions.strip(),
        after.approved_budget if decision in _GOES else None,
        decided_on,
        actor_person_id,
        decided_as.value,
    )
    if decision in _GOES:
        await _start_next(project_id, after, point["id"], planned)
    elif decision == DecisionOutcome.REVISE:
        await db.execute(
            "insert into decision_point (tenant_id, project_id, after_phase, next_phase, due_date)"
            " values (app_tenant_id(), $1, $2, $3, $4)",
            project_id,
            point["after_phase"],
            point["next_phase"],
            next_due_date or decided_on + timedelta(days=REVISE_DAYS),
        )
    else:
        await _stop(project, basis, actor_person_id)
    await db.execute(
        "update project set phase = $2, status = $3, approved_budget = $4,"
        " closed_at = case when $3 = 'closed' then now() end"
        " where tenant_id = app_tenant_id() and id = $1",
        project_id,
        after.phase.value,
        after.status.value,
        after.approved_budget,
    )
    await record_change(
        actor_person_id=actor_person_id,
        action="record_decision",
        entity="project",
        entity_id=project_id,
        old_values=_state_values(before),
        new_values={
            **_state_values(after),
            "decision_point_id": point["id"],
            "outcome": decision.value,
            "basis": basis,
            "conditions": conditions.strip(),
            "decided_on": decided_on,
            "decided_as": decided_as.value,
        },
    )
    await emit("projects.decision_recorded", {"project_id": project_id})
    return after


_GOES = (DecisionOutcome.GO, DecisionOutcome.GO_WITH_CONDITIONS)


async def _start_next(
    project_id: int, after: ProjectState, go_id: int, planned: asyncpg.Record | None
) -> None:
    db = connection()
    if planned is None:
        await db.execute(
            "insert into sub_project (tenant_id, project_id, phase, state, budget,"
            " approved_budget, go_decision_id) values (app_tenant_id(), $1, $2, 'active', $3, $3, $4)",
            project_id,
            after.phase.value,
            after.approved_budget,
            go_id,
        )
    else:
        await db.execute(
            "update sub_project set state = 'active', approved_budget = $2, go_decision_id = $3"
            " where tenant_id = app_tenant_id() and id = $1",
            planned["id"],
            after.approved_budget,
            go_id,
        )


async def _stop(project: asyncpg.Record, basis: str, actor_person_id: int | None) -> None:
    # Nothing is left running: a sub-project still open is closed, the stop's basis being
    # its closing report unless it already had one.
    sub = await _current_sub_project(project)
    if sub is not None and sub["state"] == SubProjectState.ACTIVE:
        await _close_sub_project(sub, sub["closing_report"] or basis, actor_person_id)


async def add_status_report(
    project_id: int, report: StatusReportInput, *, actor_person_id: int | None
) -> int:
    """A status report for a period of the current sub-project, by the lead or a participant."""
    project = await project_row(project_id)
    db = connection()
    me = await db.fetchval("select app_tenant_id()")
    if me is None:
        raise NotAllowed(
            "status_report_not_allowed", N_("Only the project's municipalities report.")
        )
    if project["status"] == ProjectStatus.CLOSED:
        raise ProjectClosed()
    progress = _text(report.progress, "progress", 10000)
    if report.period_end < report.period_start:
        raise InvalidInput(
            "period_invalid", N_("The period ends after it starts."), field="period_end"
        )
    spent, planned = Decimal(report.spent), Decimal(report.planned)
    if min(spent, planned) < 0:
        raise InvalidInput("amount_invalid", N_("Write an amount of 0 or more."), field="spent")
    sub = await _current_sub_project(project)
    contributions = {code: str(Decimal(v)) for code, v in report.kpi_contributions.items()}
    report_id = await db.fetchval(
        "insert into status_report (tenant_id, project_id, sub_project_id, period_start,"
        " period_end, progress, spent, planned, risks, kpi_contributions,"
        " reported_by_municipality, reported_by)"
        " values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, app_tenant_id(), $11)"
        " returning id",
        project["tenant_id"],
        project_id,
        sub["id"],
        report.period_start,
        report.period_end,
        progress,
        spent,
        planned,
        report.risks.strip(),
        json.dumps(contributions),
        actor_person_id,
    )
    await record_change(
        actor_person_id=actor_person_id,
        action="add",
        entity="status_report",
        entity_id=report_id,
        new_values={
            "project_id": project_id,
            "lead_municipality_id": project["tenant_id"],
            "phase": project["phase"],
            "period": [report.period_start, report.period_end],
            "spent": spent,
            "planned": planned,
            "kpi_contributions": contributions,
        },
    )
    # A participant reports on the lead's project: the lead's figures change.
    await emit(
        "projects.status_reported",
        {"project_id": project_id, "lead_municipality_id": project["tenant_id"]},
    )
    return report_id


async def _municipalities(kommunenummer: list[str]) -> dict[str, int]:
    rows = await connection().fetch(
        "select kommunenummer, id from municipality where kommunenummer = any($1::text[])",
        kommunenummer,
    )
    found = {r["kommunenummer"]: r["id"] for r in rows}
    missing = sorted(set(kommunenummer) - set(found))
    if missing:
        raise NotFound(
            "municipality_not_found", N_("No municipality has this number."), field="cost_shares"
        )
    return found


async def _region_of(project: asyncpg.Record, municipality_ids: set[int]) -> int:
    """The region every participant belongs to: the project's, or the first that holds them all."""
    rows = await connection().fetch(
        "select region_id from region_member where municipality_id = any($1::bigint[])"
        " group by region_id having count(*) = $2 order by region_id",
        list(municipality_ids),
        len(municipality_ids),
    )
    regions = [r["region_id"] for r in rows]
    if project["region_id"] is not None and project["region_id"] in regions:
        return project["region_id"]
    if not regions or project["region_id"] is not None:
        raise InvalidInput(
            "participants_not_in_region",
            N_("Every participant must belong to the project's region."),
            field="cost_shares",
        )
    return regions[0]


async def _set_shares(
    project: asyncpg.Record, shares: Mapping[str, Decimal], actor_person_id: int | None
) -> None:
    lead = await connection().fetchval(
        "select kommunenummer from municipality where id = $1", project["tenant_id"]
    )
    shares = {nr.strip(): Decimal(share) for nr, share in shares.items()}
    validate_cost_shares(shares, lead)
    ids = await _municipalities(list(shares))
    db = connection()
    before = {
        r["kommunenummer"]: r["cost_share"]
        for r in await db.fetch(
            "select m.kommunenummer, pp.cost_share from project_participant pp join municipality m"
            " on m.id = pp.municipality_id where pp.tenant_id = app_tenant_id()"
            " and pp.project_id = $1",
            project["id"],
        )
    }
    regional = len(shares) > 1
    region_id = await _region_of(project, set(ids.values())) if regional else None
    await db.execute(
        "delete from project_participant where tenant_id = app_tenant_id() and project_id = $1"
        " and not municipality_id = any($2::bigint[])",
        project["id"],
        list(ids.values()) if regional else [],
    )
    if regional:
        for nr, share in shares.items():
            await db.execute(
                "insert into project_participant (tenant_id, project_id, municipality_id,"
                " cost_share) values (app_tenant_id(), $1, $2, $3) on conflict"
                " (tenant_id, project_id, municipality_id) do update set cost_share = $3",
                project["id"],
                ids[nr],
                share,
            )
    await db.execute(
        "update project set region_id = $2 where tenant_id = app_tenant_id() and id = $1",
        project["id"],
        region_id,
    )
    await record_change(
        actor_person_id=actor_person_id,
        action="set_cost_shares",
        entity="project",
        entity_id=project["id"],
        old_values={"region_id": project["region_id"], "cost_shares": before},
        new_values={"region_id": region_id, "cost_shares": shares if regional else {}},
    )


async def set_cost_shares(
    project_id: int, shares: Mapping[str, Decimal], *, actor_person_id: int | None
) -> None:
    """Set who takes part (kommunenummer -> per cent, the lead included; together 100 %).

    Participants must all belong to one region, whose council then sees the project; the
    lead alone at 100 % makes the project local again.
    """
    project = await project_row(project_id, lead=True)
    await _set_shares(project, shares, actor_person_id)


async def add_participant(
    project_id: int, kommunenummer: str, cost_share: Decimal, *, actor_person_id: int | None
) -> None:
    """Add a participant whose share is taken from the lead's; the lead keeps a share above 0."""
    project = await project_row(project_id, lead=True)
    shares = {p.kommunenummer: p.cost_share for p in await _participants(project)}
    lead = await connection().fetchval(
        "select kommunenummer from municipality where id = $1", project["tenant_id"]
    )
    shares = shares or {lead: HUNDRED}
    if kommunenummer in shares:
        raise Conflict(
            "participant_exists", N_("This municipality already takes part."), field="kommunenummer"
        )
    shares[lead] -= Decimal(cost_share)
    shares[kommunenummer] = Decimal(cost_share)
    await _set_shares(project, shares, actor_person_id)


def _overdue(due: date | None, today: date | None, decided: bool) -> bool:
    return due is not None and today is not None and is_overdue(due, today, decided)


_SUMMARY = f"""
    select p.id, p.tenant_id as lead_municipality_id, m.kommunenummer as lead_kommunenummer,
           m.name as lead_name, p.title, p.phase, p.status, p.approved_budget, p.programme_id,
           p.strategy_area_id, sa.name_nn as strategy_area_name, p.region_id is not null as regional,
           p.region_id, p.owner_name,
           (select min(d.due_date) from decision_point d where d.tenant_id = p.tenant_id
              and d.project_id = p.id and d.outcome is null) as next_decision_due
    from project p
    join municipality m on m.id = p.tenant_id
    left join strategy_area sa on sa.tenant_id = p.tenant_id and sa.id = p.strategy_area_id
    where {VISIBLE}
"""


def _summary(row: asyncpg.Record, today: date | None) -> ProjectSummary:
    values = dict(row)
    values["decision_overdue"] = _overdue(values["next_decision_due"], today, False)
    return ProjectSummary(**values)


async def list_projects(
    *,
    phase: str | None = None,
    strategy_area_id: int | None = None,
    status: str | None = None,
    regional: bool | None = None,
    today: date | None = None,
) -> list[ProjectSummary]:
    """The projects this session sees (its own, those it takes part in, its region's),
    filtered; `today` flags overdue decision points."""
    rows = await connection().fetch(
        _SUMMARY
        + " and ($1::text is null or p.phase = $1) and ($2::bigint is null or p.strategy_area_id = $2)"
        " and ($3::text is null or p.status = $3)"
        " and ($4::boolean is null or (p.region_id is not null) = $4)"
        " order by p.status = 'closed', p.title, p.id",
        phase,
        strategy_area_id,
        status,
        regional,
    )
    return [_summary(r, today) for r in rows]


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


async def _participants(project: asyncpg.Record) -> list[ParticipantView]:
    rows = await connection().fetch(
        "select m.id as municipality_id, m.kommunenummer, m.name, pp.cost_share,"
        " m.id = pp.tenant_id as lead from project_participant pp join municipality m"
        " on m.id = pp.municipality_id where pp.tenant_id = $1 and pp.project_id = $2"
        " order by pp.cost_share desc, m.name",
        project["tenant_id"],
        project["id"],
    )
    return [ParticipantView(**dict(r)) for r in rows]


async def project_id_by_title(title: str) -> int | None:
    """The session's own project of that title (the demo finds its projects again by it)."""
    return await connection().fetchval(
        "select id from project where tenant_id = app_tenant_id() and title = $1 order by id"
        " limit 1",
        title,
    )


async def get_project(project_id: int, *, today: date | None = None) -> ProjectDetail:
    """Everything about one project this session sees."""
    db = connection()
    row = await db.fetchrow(_SUMMARY + " and p.id = $1", project_id)
    if row is None:
        raise ProjectNotFound()
    project = await project_row(project_id)
    key = (project["tenant_id"], project_id)
    me = await db.fetchval("select app_tenant_id()")
    access = (
        "lead"
        if me == project["tenant_id"]
        else "participant"
        if me is not None and await db.fetchval("select project_participant_is_me($1, $2)", *key)
        else "council"
    )
    where = " where tenant_id = $1 and project_id = $2"
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
        access=access,
        steering_group=[
            SteeringMemberView(**dict(r))
            for r in await db.fetch(
                "select id, name, represents, person_id from steering_group_member"
                + where
                + " order by id",
                *key,
            )
        ],
        participants=await _participants(project),
        sub_projects=[
            SubProjectView(**dict(r))
            for r in await db.fetch(
                "select id, phase, state, mandate, plan, budget, approved_budget, period_start,"
                " period_end, closing_report from sub_project"
                + where
                + " order by array_position(array['forstudie','forprosjekt','hovudprosjekt',"
                "'drift'], phase)",
                *key,
            )
        ],
        decision_points=[
            _decision_view(r, today)
            for r in await db.fetch(
                "select d.*, $3::text as project_title from decision_point d"
                " where d.tenant_id = $1 and d.project_id = $2 order by d.id",
                *key,
                project["title"],
            )
        ],
        status_reports=[
            StatusReportView(
                **{
                    **dict(r),
                    "kpi_contributions": {
                        k: Decimal(v) for k, v in json.loads(r["kpi_contributions"]).items()
                    },
                }
            )
            for r in await db.fetch(
                "select r.id, r.sub_project_id, sp.phase, r.period_start, r.period_end, r.progress,"
                " r.spent, r.planned, r.risks, r.kpi_contributions, r.reported_by_municipality,"
                " r.reported_by, r.created_at from status_report r join sub_project sp"
                " on sp.tenant_id = r.tenant_id and sp.id = r.sub_project_id"
                " where r.tenant_id = $1 and r.project_id = $2 order by r.period_start, r.id",
                *key,
            )
        ],
        documents=[
            DocumentView(**{**dict(r), "sha256": r["sha256"].hex()})
            for r in await db.fetch(
                "select id, name, content_type, size, sha256, uploaded_at from document"
                + where
                + " order by uploaded_at, id",
                *key,
            )
        ],
    )
