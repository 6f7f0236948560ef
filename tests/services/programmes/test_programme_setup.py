"""Setting a programme up as its people do: a regional programme names its neighbours, each
step of an action plan keeps who took it and when, and a role the method does not give is refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from services.errors import InvalidInput, NotAllowed
from services.programmes import service as programmes
from services.programmes.schemas import GoalInput, ScoreInput, StrategyAreaInput
from tenants.context import Scope, tenant_tx
from tests.services.projects.plp_helpers import new_person, new_region
from tests.tenants.helpers import new_municipality

pytestmark = pytest.mark.usefixtures("database")


async def programme_of(tenant: int, actor: int, **extra) -> int:
    async with tenant_tx(Scope(tenant_id=tenant, person_id=actor)):
        programme_id = await programmes.create_programme(
            name="Omstilling 2026–2029",
            kind="omstilling",
            period_start=2026,
            period_end=2029,
            actor_person_id=actor,
            **extra,
        )
        await programmes.set_strategy_areas(
            programme_id,
            [
                StrategyAreaInput("Reiseliv", "Reiseliv", Decimal(50)),
                StrategyAreaInput("Industri", "Industri", Decimal(50)),
            ],
            actor_person_id=actor,
        )
    return programme_id


async def test_a_regional_programme_names_municipalities_of_its_own_region():
    owner_place, neighbour, stranger = (
        await new_municipality("Eigar"),
        await new_municipality("Granne"),
        await new_municipality("Framand"),
    )
    await new_region(owner_place, neighbour)
    await new_region(stranger)
    admin = await new_person("Admin", municipality_id=owner_place, role="admin")
    scope = Scope(tenant_id=owner_place, person_id=admin)
    async with tenant_tx(scope):
        assert [m.id for m in await programmes.neighbours()] == [neighbour]
        with pytest.raises(InvalidInput) as refused:
            await programmes.create_programme(
                name="Regional",
                kind="naeringsutvikling",
                period_start=2026,
                period_end=2029,
                member_municipality_ids=[neighbour, stranger],
                actor_person_id=admin,
            )
        assert refused.value.field == "members"
    programme_id = await programme_of(owner_place, admin, member_municipality_ids=[neighbour])
    async with tenant_tx(scope):
        overview = await programmes.programme_overview(programme_id)
        assert [m.id for m in overview.members] == [neighbour]
        with pytest.raises(InvalidInput):
            await programmes.set_programme_members(programme_id, [stranger], actor_person_id=admin)
        assert await programmes.set_programme_members(programme_id, [], actor_person_id=admin) == []
        assert (await programmes.programme_overview(programme_id)).members == []


async def test_each_step_of_an_action_plan_is_kept_with_who_and_when():
    tenant = await new_municipality()
    admin = await new_person("Næringssjef", municipality_id=tenant, role="admin")
    board = await new_person("Styreleiar", municipality_id=tenant, role="board_member")
    officer = await new_person("Sekretær", municipality_id=tenant, role="case_officer")
    programme_id = await programme_of(tenant, admin)
    async with tenant_tx(Scope(tenant_id=tenant, person_id=admin)):
        area = (await programmes.programme_overview(programme_id)).strategy_areas[0].id
        plan_id = await programmes.create_action_plan(
            programme_id, 2026, [GoalInput(area, "Fleire gjester")], actor_person_id=officer
        )
        with pytest.raises(NotAllowed):  # the secretariat does not approve for the board
            await programmes.move_action_plan(plan_id, "board_approved", actor_person_id=officer)
        await programmes.move_action_plan(plan_id, "board_approved", actor_person_id=board)
        with pytest.raises(NotAllowed):  # nor does the board for the municipality
            await programmes.move_action_plan(
                plan_id, "municipality_approved", actor_person_id=board
            )
        await programmes.move_action_plan(plan_id, "municipality_approved", actor_person_id=admin)
        await programmes.move_action_plan(plan_id, "county_granted", actor_person_id=officer)
        [plan] = (await programmes.programme_overview(programme_id)).action_plans
    assert plan.state == "county_granted" and plan.next_states == []
    assert [(s.state, s.recorded_by) for s in plan.steps] == [
        ("draft", "Sekretær"),
        ("board_approved", "Styreleiar"),
        ("municipality_approved", "Næringssjef"),
        ("county_granted", "Sekretær"),
    ]
    assert all(s.recorded_at is not None for s in plan.steps)


async def test_a_plan_without_goals_is_refused():
    tenant = await new_municipality()
    admin = await new_person("Admin", municipality_id=tenant, role="admin")
    programme_id = await programme_of(tenant, admin)
    async with tenant_tx(Scope(tenant_id=tenant, person_id=admin)):
        with pytest.raises(InvalidInput) as refused:
            await programmes.create_action_plan(programme_id, 2026, [], actor_person_id=admin)
    assert refused.value.field == "goals"


@pytest.mark.parametrize("role", ["viewer", "evaluator", "board_member"])
async def test_only_the_managers_set_a_programme_up(role):
    tenant = await new_municipality()
    admin = await new_person("Admin", municipality_id=tenant, role="admin")
    other = await new_person("Annan", municipality_id=tenant, role=role)
    programme_id = await programme_of(tenant, admin)
    async with tenant_tx(Scope(tenant_id=tenant, person_id=other)):
        overview = await programmes.programme_overview(programme_id)
        refused = [
            programmes.create_programme(
                name="Anna",
                kind="omstilling",
                period_start=2026,
                period_end=2027,
                actor_person_id=other,
            ),
            programmes.add_funding_line(
                programme_id, source="county", year=2026, amount=Decimal(1), actor_person_id=other
            ),
            programmes.move_programme_stage(
                programme_id, "strategi_og_forankring", actor_person_id=other
            ),
            programmes.set_kpi_baseline(overview.kpis[0].id, Decimal(3), actor_person_id=other),
            programmes.record_status_assessment(
                programme_id,
                kind="yearly",
                year=2026,
                scores=[ScoreInput(a.id, 4) for a in overview.strategy_areas],
                recommendations="",
                actor_person_id=other,
            ),
        ]
        for attempt in refused:
            with pytest.raises(NotAllowed):
                await attempt
