"""Programmes in the database: funding, strategy areas, board, action plans, KPIs, assessments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from services.audit.service import verify_chain
from services.errors import Conflict
from services.programmes import service as programmes
from services.programmes.rules import InvalidActionPlanTransition, SharesNotHundred
from services.programmes.schemas import GoalInput, ScoreInput, StrategyAreaInput
from tenants.context import Scope, connection, tenant_tx
from tests.tenants.helpers import new_municipality

pytestmark = pytest.mark.usefixtures("database")

ACTOR = None  # the tests act as no particular person; the chain records None


async def new_programme(tenant: int) -> int:
    async with tenant_tx(tenant):
        programme_id = await programmes.create_programme(
            name="Omstilling Testdal 2025–2030",
            kind="omstilling",
            period_start=2025,
            period_end=2030,
            actor_person_id=ACTOR,
        )
        for source, amount in (("county", 6000000), ("municipality", 1500000)):
            await programmes.add_funding_line(
                programme_id,
                source=source,
                year=2025,
                amount=Decimal(amount),
                actor_person_id=ACTOR,
            )
        await programmes.add_funding_line(
            programme_id, source="county", year=2026, amount=Decimal(2500000), actor_person_id=ACTOR
        )
        await programmes.set_strategy_areas(
            programme_id,
            [
                StrategyAreaInput(
                    "Reiseliv og opplevelser", "Reiseliv og opplevingar", Decimal(70)
                ),
                StrategyAreaInput("Tre og industri", "Tre og industri", Decimal(30)),
            ],
            actor_person_id=ACTOR,
        )
    return programme_id


async def test_the_overview_splits_the_budget_by_source_year_and_strategy_area():
    tenant = await new_municipality()
    programme_id = await new_programme(tenant)
    async with tenant_tx(tenant):
        overview = await programmes.programme_overview(programme_id)
    assert overview.total_budget == 10000000
    assert overview.budget_by_source == {"county": 8500000, "municipality": 1500000}
    assert overview.budget_by_year == {2025: 7500000, 2026: 2500000}
    tourism = overview.strategy_areas[0]
    assert (tourism.name_nn, tourism.budget_total) == ("Reiseliv og opplevingar", 7000000)
    assert tourism.budget_by_year == {2025: 5250000, 2026: 1750000}
    assert [k.code for k in overview.kpis] == ["new_jobs", "secured_jobs", "new_businesses"]
    assert overview.stage == "avklaring" and overview.next_stages == ["strategi_og_forankring"]


async def test_strategy_shares_must_make_100_and_areas_in_use_cannot_go():
    tenant = await new_municipality()
    programme_id = await new_programme(tenant)
    async with tenant_tx(tenant):
        with pytest.raises(SharesNotHundred):
            await programmes.set_strategy_areas(
                programme_id,
                [
                    StrategyAreaInput("A", "A", Decimal(60)),
                    StrategyAreaInput("B", "B", Decimal(30)),
                ],
                actor_person_id=ACTOR,
            )
        areas = (await programmes.programme_overview(programme_id)).strategy_areas
        plan_id = await programmes.create_action_plan(
            programme_id,
            2025,
            [GoalInput(areas[1].id, "To nye industribedrifter")],
            actor_person_id=ACTOR,
        )
        with pytest.raises(Conflict):
            await programmes.set_strategy_areas(
                programme_id,
                [StrategyAreaInput("Alt", "Alt", Decimal(100), id=areas[0].id)],
                actor_person_id=ACTOR,
            )
        # Swapping shares and renaming keeps the ids the goals refer to.
        after = await programmes.set_strategy_areas(
            programme_id,
            [
                StrategyAreaInput("Industri", "Industri", Decimal(50), id=areas[1].id),
                StrategyAreaInput("Reiseliv", "Reiseliv", Decimal(50), id=areas[0].id),
            ],
            actor_person_id=ACTOR,
        )
    assert [a.id for a in after] == [areas[1].id, areas[0].id]
    assert plan_id > 0


async def test_an_action_plan_moves_from_draft_to_the_countys_grant_and_not_back():
    tenant = await new_municipality()
    programme_id = await new_programme(tenant)
    async with tenant_tx(tenant):
        area = (await programmes.programme_overview(programme_id)).strategy_areas[0]
        plan_id = await programmes.create_action_plan(
            programme_id,
            2025,
            [GoalInput(area.id, "Samla destinasjonsselskap", budget=Decimal(350000))],
            actor_person_id=ACTOR,
        )
        for state in ("board_approved", "municipality_approved", "county_granted"):
            assert await programmes.move_action_plan(plan_id, state, actor_person_id=ACTOR) == state
        with pytest.raises(InvalidActionPlanTransition):
            await programmes.move_action_plan(plan_id, "draft", actor_person_id=ACTOR)
        with pytest.raises(Conflict):
            await programmes.create_action_plan(programme_id, 2025, [], actor_person_id=ACTOR)
        [plan] = (await programmes.programme_overview(programme_id)).action_plans
    assert plan.state == "county_granted" and plan.goals[0].budget == 350000


async def test_kpis_have_targets_per_year_and_measurements_with_their_source():
    tenant = await new_municipality()
    programme_id = await new_programme(tenant)
    async with tenant_tx(tenant):
        jobs = await programmes.kpi_id_by_code(programme_id, "new_jobs")
        await programmes.set_kpi_target(jobs, 2025, Decimal(20), actor_person_id=ACTOR)
        await programmes.set_kpi_target(jobs, 2025, Decimal(24), actor_person_id=ACTOR)
        await programmes.record_kpi_measurement(
            jobs,
            measured_on=date(2025, 12, 31),
            value=Decimal(12),
            source="SSB, tabell 07979",
            actor_person_id=ACTOR,
        )
        tourists = await programmes.add_kpi(
            programme_id,
            code="guest_nights",
            name="Gjestedøgn",
            baseline=Decimal(10000),
            actor_person_id=ACTOR,
        )
        kpis = {k.code: k for k in (await programmes.programme_overview(programme_id)).kpis}
    assert kpis["new_jobs"].targets == {2025: 24}
    assert kpis["new_jobs"].progress == Decimal("0.5")
    assert kpis["new_jobs"].latest_source == "SSB, tabell 07979"
    assert kpis["guest_nights"].id == tourists and not kpis["guest_nights"].standard


async def test_a_yearly_assessment_scores_every_area_and_the_final_evaluation_comes_once():
    tenant = await new_municipality()
    programme_id = await new_programme(tenant)
    async with tenant_tx(tenant):
        areas = (await programmes.programme_overview(programme_id)).strategy_areas
        await programmes.record_status_assessment(
            programme_id,
            kind="yearly",
            year=2025,
            scores=[ScoreInput(a.id, 4) for a in areas],
            recommendations="Styrk industrisatsinga.",
            actor_person_id=ACTOR,
        )
        await programmes.record_status_assessment(
            programme_id,
            kind="final",
            year=2030,
            scores=[],
            recommendations="Vidareføring.",
            actor_person_id=ACTOR,
        )
        with pytest.raises(Conflict):
            await programmes.record_status_assessment(
                programme_id,
                kind="final",
                year=2029,
                scores=[],
                recommendations="",
                actor_person_id=ACTOR,
            )
        assessments = (await programmes.programme_overview(programme_id)).assessments
    assert [(a.kind, len(a.scores)) for a in assessments] == [("yearly", 2), ("final", 0)]


async def test_programmes_are_the_owning_municipalitys_alone_and_every_change_is_chained():
    tenant, other = await new_municipality(), await new_municipality("Annan")
    programme_id = await new_programme(tenant)
    async with tenant_tx(Scope(tenant_id=other)):
        assert await programmes.list_programmes() == []
        assert await connection().fetchval("select count(*) from strategy_area") == 0
    async with tenant_tx(tenant):
        await programmes.move_programme_stage(
            programme_id, "strategi_og_forankring", actor_person_id=ACTOR
        )
        actions = [
            (r["entity"], r["action"])
            for r in await connection().fetch("select entity, action from audit_event order by seq")
        ]
    assert actions == [
        ("programme", "create"),
        ("funding_line", "add"),
        ("funding_line", "add"),
        ("funding_line", "add"),
        ("strategy_areas", "set"),
        ("programme", "move_stage"),
    ]
    assert (await verify_chain(tenant)).intact
