"""A project's life: its start on funding, its roles and steering group, its sub-projects planned and closed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from infra.columns import database_now
from services import inputs
from services.audit.service import record_change
from services.errors import N_, Conflict, InvalidInput, NotFound, required_text
from services.programmes.tables import Programme, StrategyArea
from services.projects.rules import (
    DecisionOutcome,
    ProjectClosed,
    ProjectState,
    ProjectStatus,
    SubProjectPhase,
    next_phase,
    start_project,
)
from services.projects.schemas import NewProject, SteeringMemberInput
from services.projects.service._common import (
    close_with_report,
    current_sub_project,
    emit_project_change,
    project_row,
    start_sub_project,
    state_of,
    state_values,
)
from services.projects.service.participants import write_cost_shares
from services.projects.service.permissions import require_creator, require_planner
from services.projects.tables import DecisionPoint, Project, SteeringGroupMember
from tenants.context import connection
from tenants.rows import insert_row, tenant

# (person id or None, name) of the owner, the sponsor and the manager.
RoleHolder = tuple[int | None, str]


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


async def _role_holder(person_id: int | None, name: str, field: str) -> RoleHolder:
    if person_id is not None:
        return person_id, name.strip() or await _person_name(person_id, field)
    return None, name.strip()


async def _role_holders(new: NewProject) -> tuple[RoleHolder, RoleHolder, RoleHolder]:
    """The owner (who must be named), the sponsor and the manager of a new project."""
    owner = await _role_holder(new.owner_person_id, new.owner_name, "owner_person_id")
    if not owner[1]:
        raise InvalidInput("owner_required", N_("Name the project owner."), field="owner_name")
    sponsor = await _role_holder(new.sponsor_person_id, new.sponsor_name, "sponsor_person_id")
    manager = await _role_holder(new.manager_person_id, new.manager_name, "manager_person_id")
    return owner, sponsor, manager


async def _check_programme_link(programme_id: int | None, strategy_area_id: int | None) -> None:
    if programme_id is not None and not await Programme.exists().where(
        (Programme.tenant_id == tenant()) & (Programme.id == programme_id)
    ):
        raise NotFound("programme_not_found", N_("No such programme."), field="programme_id")
    if strategy_area_id is not None and not await StrategyArea.exists().where(
        (StrategyArea.tenant_id == tenant())
        & (StrategyArea.id == strategy_area_id)
        & (StrategyArea.programme_id == programme_id)
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
    await require_creator(actor_person_id)
    title = required_text(new.title, "title")
    phase = inputs.choice(SubProjectPhase, new.phase, "phase", N_("Choose a sub-project."))
    state = start_project(phase, new.budget)
    owner, sponsor, manager = await _role_holders(new)
    await _check_programme_link(new.programme_id, new.strategy_area_id)
    project_id = await insert_row(
        Project(
            tenant_id=tenant(),
            title=title,
            description=new.description.strip(),
            programme_id=new.programme_id,
            strategy_area_id=new.strategy_area_id,
            owner_person_id=owner[0],
            owner_name=owner[1],
            sponsor_person_id=sponsor[0],
            sponsor_name=sponsor[1],
            manager_person_id=manager[0],
            manager_name=manager[1],
            decisions_delegated_to_board=new.decisions_delegated_to_board,
            phase=state.phase.value,
            status=state.status.value,
            approved_budget=state.approved_budget,
        )
    )
    await _start_funded_sub_project(project_id, new, state, actor_person_id)
    for member in new.steering_group:
        await _add_steering_member(project_id, member)
    await record_change(
        actor_person_id=actor_person_id,
        action="create",
        entity="project",
        entity_id=project_id,
        new_values={
            "title": title,
            "owner": list(owner),
            "programme_id": new.programme_id,
            "strategy_area_id": new.strategy_area_id,
            **state_values(state),
        },
    )
    project = await project_row(project_id, lead=True)
    if new.cost_shares:
        await write_cost_shares(project, new.cost_shares, actor_person_id)
    await emit_project_change("projects.created", project)
    return project_id


async def _start_funded_sub_project(
    project_id: int, new: NewProject, state: ProjectState, actor_person_id: int | None
) -> None:
    """The funding decision, recorded as a decided go, and the first sub-project it starts."""
    decision_id = await insert_row(
        DecisionPoint(
            tenant_id=tenant(),
            project_id=project_id,
            next_phase=state.phase.value,
            due_date=new.decided_on,
            outcome=DecisionOutcome.GO.value,
            basis=new.funding_basis.strip() or "Finansieringsvedtak",
            approved_budget=state.approved_budget,
            decided_on=new.decided_on,
            decided_by=actor_person_id,
            recorded_at=database_now(),
        )
    )
    await start_sub_project(
        project_id,
        state,
        decision_id,
        mandate=new.mandate.strip(),
        plan=new.plan.strip(),
        period_start=new.period_start,
        period_end=new.period_end,
    )


async def _add_steering_member(project_id: int, member: SteeringMemberInput) -> int:
    return await insert_row(
        SteeringGroupMember(
            tenant_id=tenant(),
            project_id=project_id,
            name=required_text(member.name, "name", 200),
            represents=member.represents.strip(),
            person_id=member.person_id,
        )
    )


async def set_steering_group(
    project_id: int, members: list[SteeringMemberInput], *, actor_person_id: int | None
) -> None:
    """Replace the steering group."""
    await require_planner(await project_row(project_id, lead=True), actor_person_id)
    this_group = (SteeringGroupMember.tenant_id == tenant()) & (
        SteeringGroupMember.project_id == project_id
    )
    before = (
        await SteeringGroupMember.select(
            SteeringGroupMember.name, SteeringGroupMember.represents, SteeringGroupMember.person_id
        )
        .where(this_group)
        .order_by(SteeringGroupMember.id)
    )
    await SteeringGroupMember.delete().where(this_group)
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


def _plannable_budget(state: ProjectState, phase: str, budget: Decimal) -> Decimal:
    """The budget of a plan for `phase`, if the project is open and `phase` comes next."""
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
    return budget


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
    await require_planner(project, actor_person_id)
    budget = _plannable_budget(state_of(project), phase, budget)
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


async def close_sub_project(
    project_id: int, closing_report: str, *, actor_person_id: int | None
) -> None:
    """Close the running sub-project with its closing report.

    Closing drift, the last sub-project, closes the project; otherwise the owner's decision
    point follows (reach_decision_point).
    """
    project = await project_row(project_id, lead=True)
    await require_planner(project, actor_person_id)
    if project["status"] == ProjectStatus.CLOSED:
        raise ProjectClosed()
    await close_with_report(await current_sub_project(project), closing_report, actor_person_id)
    await emit_project_change("projects.sub_project_closed", project)
    if next_phase(SubProjectPhase(project["phase"])) is None:
        await Project.update(
            {Project.status: ProjectStatus.CLOSED.value, Project.closed_at: database_now()}
        ).where((Project.tenant_id == tenant()) & (Project.id == project_id))
        await record_change(
            actor_person_id=actor_person_id,
            action="close",
            entity="project",
            entity_id=project_id,
            old_values={"status": project["status"]},
            new_values={"status": "closed"},
        )
