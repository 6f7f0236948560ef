"""Who may take a project's steps, as the use-cases themselves refuse them: a case officer or an
admin starts a project; the planners plan, close and set the decision point; the owner delegates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from services.errors import NotAllowed
from services.programmes import service as programmes
from services.projects import service as projects
from services.projects.schemas import NewProject, SteeringMemberInput
from services.projects.service import CreatorsOnly, MyPart, PlannersOnly
from tenants.context import tenant_tx
from tests.services.projects.plp_helpers import (
    kommunenummer,
    new_kommune,
    new_person,
    new_project,
    new_region,
)

pytestmark = pytest.mark.usefixtures("database")


async def project_row(kommune, project_id: int) -> dict:
    async with tenant_tx(kommune.scope()) as tx:
        return dict(await tx.connection.fetchrow("select * from project where id = $1", project_id))


@pytest.mark.parametrize("role", ["evaluator", "viewer", "board_member"])
async def test_only_a_case_officer_or_an_admin_starts_a_project(role):
    k = await new_kommune()
    person = await new_person("Ikkje sakshandsamar", municipality_id=k.id, role=role)
    with pytest.raises(CreatorsOnly):
        async with tenant_tx(k.scope(person)):
            await projects.create_project(
                NewProject(
                    title="Ikkje lov",
                    phase="forstudie",
                    budget=Decimal(1),
                    decided_on=date(2026, 1, 1),
                    owner_person_id=person,
                ),
                actor_person_id=person,
            )
    async with tenant_tx(k.scope()) as tx:
        assert await tx.connection.fetchval("select count(*) from project") == 0


async def test_a_case_officer_starts_a_project(database):
    k = await new_kommune()
    async with tenant_tx(k.scope(k.officer)):
        project_id = await projects.create_project(
            NewProject(
                title="Lov",
                phase="forstudie",
                budget=Decimal(1),
                decided_on=date(2026, 1, 1),
                owner_person_id=k.owner,
            ),
            actor_person_id=k.officer,
        )
    assert (await project_row(k, project_id))["owner_person_id"] == k.owner


async def test_an_evaluator_may_not_plan_close_or_set_the_decision_point():
    k = await new_kommune()
    project_id = await new_project(k.id, k.owner)
    evaluator = await new_person("Vurderar", municipality_id=k.id, role="evaluator")
    before = await project_row(k, project_id)
    steps = (
        lambda: projects.plan_sub_project(
            project_id,
            "forprosjekt",
            mandate="M",
            plan="P",
            budget=Decimal(1),
            actor_person_id=evaluator,
        ),
        lambda: projects.close_sub_project(project_id, "Ferdig", actor_person_id=evaluator),
        lambda: projects.reach_decision_point(
            project_id,
            due_date=date(2026, 6, 1),
            closing_report="Ferdig",
            actor_person_id=evaluator,
        ),
        lambda: projects.set_steering_group(
            project_id, [SteeringMemberInput("X")], actor_person_id=evaluator
        ),
        lambda: projects.set_cost_shares(project_id, {}, actor_person_id=evaluator),
    )
    for step in steps:
        with pytest.raises(PlannersOnly):
            async with tenant_tx(k.scope(evaluator)):
                await step()
    assert await project_row(k, project_id) == before


async def test_the_project_manager_plans_whatever_their_municipal_role():
    k = await new_kommune()
    manager = await new_person("Leiar", municipality_id=k.id, role="viewer")
    project_id = await new_project(k.id, k.owner, manager_person_id=manager)
    async with tenant_tx(k.scope(manager)):
        await projects.plan_sub_project(
            project_id,
            "forprosjekt",
            mandate="M",
            plan="P",
            budget=Decimal(5),
            actor_person_id=manager,
        )
        await projects.reach_decision_point(
            project_id,
            due_date=date(2026, 6, 1),
            closing_report="Ferdig",
            actor_person_id=manager,
        )
    assert (await project_row(k, project_id))["status"] == "awaiting_decision"


async def test_what_each_person_may_do_on_a_project():
    k = await new_kommune()
    evaluator = await new_person("Vurderar", municipality_id=k.id, role="evaluator")
    board = await new_person("Styremedlem", municipality_id=k.id, role="board_member")
    async with tenant_tx(k.scope()):
        programme_id = await programmes.create_programme(
            name="Omstilling",
            kind="omstilling",
            period_start=2025,
            period_end=2027,
            actor_person_id=k.owner,
        )
        await programmes.add_board_member(
            programme_id,
            name="Styremedlem",
            seat="politician",
            term_start=date(2025, 1, 1),
            person_id=board,
            actor_person_id=k.owner,
        )
    project_id = await new_project(
        k.id, k.owner, programme_id=programme_id, decisions_delegated_to_board=True
    )
    today = date.today()
    parts = {}
    for name, person in (
        ("owner", k.owner),
        ("officer", k.officer),
        ("evaluator", evaluator),
        ("board", board),
    ):
        async with tenant_tx(k.scope(person)):
            parts[name] = await projects.my_part(project_id, person, today)
    assert parts == {
        "owner": MyPart(plan=True, decide=True, delegate=True),
        "officer": MyPart(plan=True),
        "evaluator": MyPart(),
        "board": MyPart(decide=True),
    }


async def test_a_participant_may_take_no_step_of_the_leads_project():
    lead, partner = await new_kommune("Leiar"), await new_kommune("Partnar")
    await new_region(lead.id, partner.id)
    shares = {
        await kommunenummer(lead.id): Decimal(50),
        await kommunenummer(partner.id): Decimal(50),
    }
    project_id = await new_project(lead.id, lead.owner, cost_shares=shares)
    async with tenant_tx(partner.scope()):
        assert await projects.my_part(project_id, partner.owner, date.today()) == MyPart()
    with pytest.raises(NotAllowed):
        async with tenant_tx(partner.scope()):
            await projects.close_sub_project(project_id, "Ferdig", actor_person_id=partner.owner)
