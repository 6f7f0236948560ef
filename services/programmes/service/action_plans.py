"""Yearly action plans: goals per strategy area, approved by the board, the municipality, the county."""

from __future__ import annotations

from services import inputs
from services.audit.service import record_change
from services.errors import N_, Conflict, InvalidInput, NotFound, required_text
from services.programmes.roles import MANAGERS, PLAN_STEPS
from services.programmes.rules import ActionPlanState, check_action_plan_transition
from services.programmes.schemas import GoalInput
from services.programmes.service._common import (
    amount_of,
    check_year,
    programme_row,
    require_role,
    strategy_areas,
)
from services.programmes.tables import ActionPlan, ActionPlanGoal, ActionPlanStep
from tenants.rows import insert_once, tenant


async def _record_step(plan_id: int, state: ActionPlanState, actor_person_id: int | None) -> None:
    """Who took the plan to `state`, and when (the database's clock)."""
    await ActionPlanStep.insert(
        ActionPlanStep(
            tenant_id=tenant(),
            action_plan_id=plan_id,
            state=state.value,
            recorded_by=actor_person_id,
        )
    )


async def create_action_plan(
    programme_id: int, year: int, goals: list[GoalInput], *, actor_person_id: int | None
) -> int:
    """A draft action plan for one year, with goals per strategy area; returns its id."""
    programme = await programme_row(programme_id)
    await require_role(actor_person_id, MANAGERS)
    check_year(programme, year)
    areas = {a.id for a in await strategy_areas(programme_id)}
    if any(goal.strategy_area_id not in areas for goal in goals):
        raise InvalidInput(
            "strategy_area_not_found",
            N_("Choose one of the programme's strategy areas."),
            field="strategy_area_id",
        )
    plan_id = await insert_once(
        ActionPlan(tenant_id=tenant(), programme_id=programme_id, year=year),
        (ActionPlan.tenant_id, ActionPlan.programme_id, ActionPlan.year),
        Conflict("action_plan_exists", N_("This year already has an action plan."), field="year"),
    )
    if not goals:  # after the year's check: a second plan for a year is the conflict it is
        raise InvalidInput(
            "action_plan_goals_missing", N_("Give the plan at least one goal."), field="goals"
        )
    await _record_step(plan_id, ActionPlanState.DRAFT, actor_person_id)
    for goal in goals:
        await ActionPlanGoal.insert(
            ActionPlanGoal(
                tenant_id=tenant(),
                action_plan_id=plan_id,
                strategy_area_id=goal.strategy_area_id,
                goal=required_text(goal.goal, "goal", 2000),
                measures=goal.measures.strip(),
                budget=amount_of(goal.budget, "budget"),
            )
        )
    await record_change(
        actor_person_id=actor_person_id,
        action="create",
        entity="action_plan",
        entity_id=plan_id,
        new_values={
            "programme_id": programme_id,
            "year": year,
            "state": ActionPlanState.DRAFT.value,
            "goals": [
                {"strategy_area_id": g.strategy_area_id, "goal": g.goal, "budget": g.budget}
                for g in goals
            ],
        },
    )
    return plan_id


async def move_action_plan(action_plan_id: int, state: str, *, actor_person_id: int | None) -> str:
    """Board approval, municipal approval, the county's grant (or the board taking it back)."""
    this_plan = (ActionPlan.tenant_id == tenant()) & (ActionPlan.id == action_plan_id)
    row = await ActionPlan.select(ActionPlan.state).where(this_plan).lock_rows().first()
    if row is None:
        raise NotFound("action_plan_not_found", N_("No such action plan."))
    current = ActionPlanState(row["state"])
    target = inputs.choice(ActionPlanState, state, "state", N_("Choose a state."))
    await require_role(actor_person_id, PLAN_STEPS[target.value])
    check_action_plan_transition(current, target)
    await ActionPlan.update({ActionPlan.state: target.value}).where(this_plan)
    await _record_step(action_plan_id, target, actor_person_id)
    await record_change(
        actor_person_id=actor_person_id,
        action="move_state",
        entity="action_plan",
        entity_id=action_plan_id,
        old_values={"state": current.value},
        new_values={"state": target.value},
    )
    return target.value
