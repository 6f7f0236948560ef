"""PLP in the database: who decides, what a go starts, what a stop ends, what is overdue."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import asyncpg
import pytest

from services.audit.service import verify_chain
from services.errors import InvalidInput
from services.programmes import service as programmes
from services.programmes.schemas import StrategyAreaInput
from services.projects import service as projects
from services.projects.rules import (
    ClosingReportRequired,
    NotAtDecisionPoint,
    ProjectClosed,
    SubProjectNotRunning,
)
from services.projects.schemas import NewProject
from services.projects.service import OwnerOnly
from tenants.context import connection, tenant_tx
from tests.services.projects.plp_helpers import REPORT, new_kommune, new_person, new_project

pytestmark = pytest.mark.usefixtures("database")



async def at_decision_point(kommune, project_id: int, due: date = date(2025, 6, 1)) -> int:
    async with tenant_tx(kommune.scope()):
        return await projects.reach_decision_point(
            project_id,
            due_date=due,
            closing_report="Forstudien viser marknad for eit felles selskap.",
            actor_person_id=kommune.owner,
        )


async def decide(kommune, project_id: int, person: int, outcome: str = "go", **extra):
    async with tenant_tx(kommune.scope(person)):
        return await projects.record_decision(
            project_id,
            outcome=outcome,
            basis=extra.pop("basis", "Sluttrapporten og styringsgruppa si tilråding."),
            decided_on=extra.pop("decided_on", date(2025, 6, 1)),
            actor_person_id=person,
            **extra,
        )


async def events(tenant: int, entity: str, entity_id: int) -> list[asyncpg.Record]:
    async with tenant_tx(tenant):
        return await connection().fetch(
            "select actor_person_id, action, old_values, new_values from audit_event"
            " where entity = $1 and entity_id = $2 order by seq",
            entity,
            str(entity_id),
        )


async def test_a_project_starts_at_forstudie_or_forprosjekt_with_its_budget_approved_by_a_go():
    k = await new_kommune()
    mature = await new_project(k.id, k.owner, phase="forprosjekt", budget="900000")
    async with tenant_tx(k.scope()):
        detail = await projects.get_project(mature)
    [sub] = detail.sub_projects
    [funding] = detail.decision_points
    assert (sub.phase, sub.state, sub.approved_budget) == ("forprosjekt", "active", 900000)
    assert (funding.outcome, funding.approved_budget) == ("go", 900000)
    assert detail.summary.owner_name == "Eigar Testkommune"
    with pytest.raises(InvalidInput) as refused:
        await new_project(k.id, k.owner, phase="hovudprosjekt")
    assert refused.value.code == "project_starting_phase_invalid"


async def test_only_the_owner_records_a_decision_and_a_case_officer_is_refused():
    k = await new_kommune()
    project_id = await new_project(k.id, k.owner)
    await at_decision_point(k, project_id)
    with pytest.raises(OwnerOnly):
        await decide(k, project_id, k.officer, approved_budget=Decimal(900000))
    state = await decide(k, project_id, k.owner, approved_budget=Decimal(900000))
    assert (state.phase, state.status, state.approved_budget) == ("forprosjekt", "active", 900000)


async def test_the_board_decides_only_when_the_owner_has_delegated_to_it():
    k = await new_kommune()
    board_person = await new_person("Styreleiar", municipality_id=k.id, role="board_member")
    observer = await new_person("Observatør", municipality_id=k.id, role="board_member")
    async with tenant_tx(k.scope()):
        programme_id = await programmes.create_programme(
            name="Omstilling test",
            kind="omstilling",
            period_start=2025,
            period_end=2030,
            actor_person_id=k.owner,
        )
        for person, seat in ((board_person, "politician"), (observer, "observer")):
            await programmes.add_board_member(
                programme_id,
                name="Styremedlem",
                seat=seat,
                person_id=person,
                term_start=date(2025, 1, 1),
                actor_person_id=k.owner,
            )
    project_id = await new_project(k.id, k.owner, programme_id=programme_id)
    await at_decision_point(k, project_id)
    with pytest.raises(OwnerOnly):
        await decide(k, project_id, board_person, approved_budget=Decimal(1))
    async with tenant_tx(k.scope()):
        await projects.set_decision_delegation(project_id, True, actor_person_id=k.owner)
    with pytest.raises(OwnerOnly):
        await decide(k, project_id, observer, approved_budget=Decimal(1))
    state = await decide(k, project_id, board_person, approved_budget=Decimal(500000))
    assert state.phase == "forprosjekt"
    async with tenant_tx(k.scope()):
        detail = await projects.get_project(project_id)
    assert detail.decision_points[-1].decided_as == "programstyre"


async def test_no_sub_project_starts_without_a_go():
    k = await new_kommune()
    project_id = await new_project(k.id, k.owner)
    async with tenant_tx(k.scope()):
        await projects.plan_sub_project(
            project_id,
            "forprosjekt",
            mandate="Greie ut eit felles destinasjonsselskap.",
            plan="Tre arbeidspakkar.",
            budget=Decimal(800000),
            actor_person_id=k.owner,
        )
        # A go needs a decision point: the owner cannot skip the forstudie's end.
        with pytest.raises(NotAtDecisionPoint):
            await projects.record_decision(
                project_id,
                outcome="go",
                basis="Vi vil vidare.",
                decided_on=date(2025, 3, 1),
                actor_person_id=k.owner,
            )
    await at_decision_point(k, project_id)
    state = await decide(
        k, project_id, k.owner, outcome="revise", basis="Planen må konkretiserast."
    )
    assert (state.phase, state.status) == ("forstudie", "awaiting_decision")
    async with tenant_tx(k.scope()):
        detail = await projects.get_project(project_id)
        # Not even below the use-cases: the database refuses a running sub-project without a go.
        with pytest.raises(asyncpg.CheckViolationError):
            async with connection().transaction():
                await connection().execute(
                    "update sub_project set state = 'active' where project_id = $1"
                    " and phase = 'forprosjekt'",
                    project_id,
                )
    assert {s.phase: s.state for s in detail.sub_projects} == {
        "forstudie": "closed",
        "forprosjekt": "planned",
    }
    assert [d.outcome for d in detail.decision_points] == ["go", "revise", None]
    assert detail.summary.next_decision_due == date(2025, 7, 1)


async def test_a_go_approves_the_next_budget_planned_or_given():
    k = await new_kommune()
    project_id = await new_project(k.id, k.owner)
    async with tenant_tx(k.scope()):
        await projects.plan_sub_project(
            project_id,
            "forprosjekt",
            mandate="M",
            plan="P",
            budget=Decimal(800000),
            actor_person_id=k.owner,
        )
    await at_decision_point(k, project_id)
    state = await decide(
        k, project_id, k.owner, outcome="go_with_conditions", conditions="Med Lierne"
    )
    assert state.approved_budget == 800000
    async with tenant_tx(k.scope()):
        detail = await projects.get_project(project_id)
    forprosjekt = detail.sub_projects[1]
    assert (forprosjekt.state, forprosjekt.approved_budget) == ("active", 800000)
    assert detail.summary.approved_budget == 800000
    # The next go approves the amount the owner gives.
    await at_decision_point(k, project_id, date(2026, 1, 10))
    state = await decide(k, project_id, k.owner, approved_budget=Decimal(6500000))
    assert (state.phase, state.approved_budget) == ("hovudprosjekt", 6500000)


async def test_a_stop_closes_the_project_and_nothing_more_can_be_recorded():
    k = await new_kommune()
    project_id = await new_project(k.id, k.owner)
    # A stop may come while the sub-project runs: it is closed, never left running.
    state = await decide(k, project_id, k.owner, outcome="stop", basis="Marknaden er borte.")
    assert state.status == "closed"
    async with tenant_tx(k.scope()):
        detail = await projects.get_project(project_id)
        assert detail.sub_projects[0].state == "closed" and detail.closed_at is not None
        with pytest.raises(ProjectClosed):
            await projects.add_status_report(project_id, REPORT, actor_person_id=k.owner)
        with pytest.raises(ProjectClosed):
            await projects.reach_decision_point(
                project_id, due_date=date(2025, 9, 1), actor_person_id=k.owner
            )
    with pytest.raises(ProjectClosed):
        await decide(k, project_id, k.owner, approved_budget=Decimal(1))


async def test_a_running_sub_project_is_closed_with_its_closing_report():
    k = await new_kommune()
    project_id = await new_project(k.id, k.owner)
    async with tenant_tx(k.scope()):
        with pytest.raises(ClosingReportRequired):
            await projects.reach_decision_point(
                project_id, due_date=date(2025, 6, 1), actor_person_id=k.owner
            )
    async with tenant_tx(k.scope()):
        await projects.close_sub_project(project_id, "Sluttrapport.", actor_person_id=k.owner)
        point = await projects.reach_decision_point(
            project_id, due_date=date(2025, 6, 1), actor_person_id=k.owner
        )
        with pytest.raises(SubProjectNotRunning):
            await projects.reach_decision_point(
                project_id, due_date=date(2025, 6, 1), actor_person_id=k.owner
            )
    assert point > 0


async def test_decision_points_past_their_date_are_flagged():
    k = await new_kommune()
    late = await new_project(k.id, k.owner, title="Sein")
    on_time = await new_project(k.id, k.owner, title="I tide")
    await at_decision_point(k, late, date(2025, 5, 1))
    await at_decision_point(k, on_time, date(2025, 8, 1))
    async with tenant_tx(k.scope()):
        overdue = await projects.overdue_decision_points(date(2025, 6, 1))
        listed = {p.id: p for p in await projects.list_projects(today=date(2025, 6, 1))}
    assert [(d.project_id, d.overdue) for d in overdue] == [(late, True)]
    assert listed[late].decision_overdue and not listed[on_time].decision_overdue
    await decide(k, late, k.owner, approved_budget=Decimal(1))
    async with tenant_tx(k.scope()):
        assert await projects.overdue_decision_points(date(2025, 6, 1)) == []


async def test_the_list_filters_by_phase_strategy_area_and_status():
    k = await new_kommune()
    async with tenant_tx(k.scope()):
        programme_id = await programmes.create_programme(
            name="Filterprogram",
            kind="naeringsutvikling",
            period_start=2025,
            period_end=2028,
            actor_person_id=k.owner,
        )
        areas = await programmes.set_strategy_areas(
            programme_id,
            [
                StrategyAreaInput(
                    "Reiseliv og opplevelser", "Reiseliv og opplevingar", Decimal(60)
                ),
                StrategyAreaInput("Industri", "Industri", Decimal(40)),
            ],
            actor_person_id=k.owner,
        )
    tourism, industry = areas[0].id, areas[1].id
    a = await new_project(k.id, k.owner, programme_id=programme_id, strategy_area_id=tourism)
    b = await new_project(
        k.id, k.owner, phase="forprosjekt", programme_id=programme_id, strategy_area_id=industry
    )
    c = await new_project(k.id, k.owner)
    await decide(k, c, k.owner, outcome="stop", basis="Lagt ned.")
    async with tenant_tx(k.scope()):
        assert [p.id for p in await projects.list_projects(phase="forprosjekt")] == [b]
        assert [p.id for p in await projects.list_projects(strategy_area_id=tourism)] == [a]
        assert [p.id for p in await projects.list_projects(status="closed")] == [c]
        assert {p.id for p in await projects.list_projects(status="active")} == {a, b}
        [listed] = await projects.list_projects(strategy_area_id=tourism)
    # Each page names the area in its own language.
    assert listed.strategy_area("nb") == "Reiseliv og opplevelser"
    assert listed.strategy_area("nn") == "Reiseliv og opplevingar"


async def test_every_change_is_in_the_audit_chain_with_actor_old_and_new():
    k = await new_kommune()
    project_id = await new_project(k.id, k.owner)
    await at_decision_point(k, project_id)
    await decide(k, project_id, k.owner, approved_budget=Decimal(900000))
    async with tenant_tx(k.scope(k.officer)):
        await projects.add_status_report(project_id, REPORT, actor_person_id=k.officer)
    chain = await events(k.id, "project", project_id)
    assert [e["action"] for e in chain] == ["create", "reach_decision_point", "record_decision"]
    decision = chain[-1]
    assert decision["actor_person_id"] == k.owner
    assert '"phase": "forstudie"' in decision["old_values"]
    assert '"phase": "forprosjekt"' in decision["new_values"]
    assert '"900000' in decision["new_values"]
    async with tenant_tx(k.id):
        entities = [
            r["entity"]
            for r in await connection().fetch("select entity from audit_event order by seq")
        ]
    assert entities == ["project", "sub_project", "project", "project", "status_report"]
    report = await verify_chain(k.id)
    assert report.intact and report.events == 5


async def test_an_owner_of_another_municipality_is_refused():
    k, other = await new_kommune(), await new_kommune("Annan")
    async with tenant_tx(k.scope()):
        with pytest.raises(Exception) as refused:
            await projects.create_project(
                NewProject(
                    title="Lånt eigar",
                    phase="forstudie",
                    budget=Decimal(1),
                    decided_on=date(2025, 1, 1),
                    owner_person_id=other.owner,
                ),
                actor_person_id=k.owner,
            )
    assert refused.value.code == "person_not_found"
