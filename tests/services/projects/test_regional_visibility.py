"""A regional project is seen by its participants and its region's council, by PostgreSQL itself."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import asyncpg
import pytest

from services.errors import InvalidInput, NotAllowed
from services.programmes import service as programmes
from services.programmes.schemas import StrategyAreaInput
from services.projects import service as projects
from services.projects.schemas import StatusReportInput
from services.projects.service import LeadOnly, ProjectNotFound
from tenants.context import Scope, connection, tenant_tx
from tests.services.projects.plp_helpers import (
    kommunenummer,
    new_kommune,
    new_person,
    new_project,
    new_region,
)

pytestmark = pytest.mark.usefixtures("database")

SHARED_TABLES = ("project", "project_participant", "sub_project", "decision_point", "status_report")


@pytest.fixture
async def region():
    """A region of four municipalities; a regional project led by the first, shared by two more."""
    lead, a, b, outsider = [
        await new_kommune(n) for n in ("Leiar", "Deltakar A", "Deltakar B", "Utanfor")
    ]
    region_id = await new_region(lead.id, a.id, b.id, outsider.id)
    other_region = await new_region((await new_kommune("Annan region")).id)
    shares = {
        await kommunenummer(lead.id): Decimal(40),
        await kommunenummer(a.id): Decimal(30),
        await kommunenummer(b.id): Decimal(30),
    }
    project_id = await new_project(
        lead.id, lead.owner, title="Kompetanseløft test", cost_shares=shares
    )
    council = await new_person("Rådsmedlem", region_id=region_id)
    other_council = await new_person("Anna rådsmedlem", region_id=other_region)
    return {
        "lead": lead,
        "a": a,
        "b": b,
        "outsider": outsider,
        "region_id": region_id,
        "other_region": other_region,
        "project_id": project_id,
        "council": council,
        "other_council": other_council,
    }


async def rows_seen(scope: Scope, project_id: int) -> dict[str, int]:
    async with tenant_tx(scope):
        return {
            table: await connection().fetchval(
                f"select count(*) from {table} where "
                + ("id" if table == "project" else "project_id")
                + " = $1",
                project_id,
            )
            for table in SHARED_TABLES
        }


async def test_participants_see_the_project_and_every_participant(region):
    for key in ("lead", "a", "b"):
        kommune = region[key]
        seen = await rows_seen(kommune.scope(), region["project_id"])
        assert seen["project"] == 1 and seen["project_participant"] == 3, key
        assert seen["sub_project"] == 1 and seen["decision_point"] == 1, key
        async with tenant_tx(kommune.scope()):
            listed = await projects.list_projects()
            detail = await projects.get_project(region["project_id"])
        assert region["project_id"] in {p.id for p in listed}
        assert detail.access == ("lead" if key == "lead" else "participant")
        assert sum(p.cost_share for p in detail.participants) == 100


async def test_a_municipality_of_the_same_region_that_does_not_take_part_sees_nothing(region):
    outsider = region["outsider"]
    assert await rows_seen(outsider.scope(), region["project_id"]) == dict.fromkeys(
        SHARED_TABLES, 0
    )
    async with tenant_tx(outsider.scope()):
        assert region["project_id"] not in {p.id for p in await projects.list_projects()}
        with pytest.raises(ProjectNotFound):
            await projects.get_project(region["project_id"])


async def test_the_regions_council_sees_it_and_another_regions_council_does_not(region):
    council = Scope(region_id=region["region_id"], person_id=region["council"])
    seen = await rows_seen(council, region["project_id"])
    assert seen["project"] == 1 and seen["project_participant"] == 3
    async with tenant_tx(council):
        detail = await projects.get_project(region["project_id"])
        assert detail.access == "council"
        assert [p.id for p in await projects.list_projects()] == [region["project_id"]]
    other = Scope(region_id=region["other_region"], person_id=region["other_council"])
    assert await rows_seen(other, region["project_id"]) == dict.fromkeys(SHARED_TABLES, 0)


def _plan_nodes(node: dict):
    yield node
    for child in node.get("Plans", ()):
        yield from _plan_nodes(child)


async def test_who_else_sees_a_project_is_asked_once_per_statement_not_once_per_row(region):
    lead = region["lead"]
    for n in range(3):
        await new_project(lead.id, lead.owner, title=f"Lokalt {n}")
    council = Scope(region_id=region["region_id"], person_id=region["council"])
    for scope in (region["a"].scope(), council):
        async with tenant_tx(scope):
            for table in SHARED_TABLES:
                plan = await connection().fetchval(
                    f"explain (analyze, format json) select count(*) from {table}"
                )
                nodes = list(_plan_nodes(json.loads(plan)[0]["Plan"]))
                text = json.dumps(nodes)
                assert "project_participant_is_me" not in text, table
                assert "project_visible_to_me" not in text, table
                scans = [n for n in nodes if n["Node Type"] == "Function Scan"]
                assert scans, table
                assert all(n["Actual Loops"] <= 1 for n in scans), table


async def test_a_local_project_is_not_seen_by_the_council(region):
    lead = region["lead"]
    local = await new_project(lead.id, lead.owner, title="Lokalt")
    council = Scope(region_id=region["region_id"], person_id=region["council"])
    assert (await rows_seen(council, local))["project"] == 0
    assert (await rows_seen(region["a"].scope(), local))["project"] == 0


async def test_a_participant_adds_a_status_report_the_lead_then_sees(region):
    a = region["a"]
    report = StatusReportInput(
        period_start=date(2025, 1, 1),
        period_end=date(2025, 3, 31),
        progress="Kartlegging av kompetansebehov i tre bedrifter.",
        spent=Decimal(40000),
        planned=Decimal(50000),
        risks="Få deltakarar frå industrien.",
        kpi_contributions={"secured_jobs": Decimal(2)},
    )
    async with tenant_tx(a.scope(a.officer)):
        report_id = await projects.add_status_report(
            region["project_id"], report, actor_person_id=a.officer
        )
    async with tenant_tx(region["lead"].scope()):
        detail = await projects.get_project(region["project_id"])
    [seen] = [r for r in detail.status_reports if r.id == report_id]
    assert seen.reported_by_municipality == a.id
    assert seen.kpi_contributions == {"secured_jobs": Decimal(2)}


async def test_participants_and_the_council_cannot_change_the_project(region):
    a = region["a"]
    async with tenant_tx(a.scope()):
        with pytest.raises(LeadOnly):
            await projects.reach_decision_point(
                region["project_id"],
                due_date=date(2025, 6, 1),
                closing_report="x",
                actor_person_id=a.owner,
            )
    # Below the use-cases, the policies refuse the same: no row of the lead's changes.
    async with tenant_tx(a.scope()):
        updated = await connection().execute(
            "update project set title = 'Kapra' where id = $1", region["project_id"]
        )
        assert updated == "UPDATE 0"
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        async with tenant_tx(a.scope()):
            await connection().execute(
                "insert into project_participant (tenant_id, project_id, municipality_id,"
                " cost_share) values ($1, $2, $3, 10)",
                region["lead"].id,
                region["project_id"],
                region["outsider"].id,
            )
    council = Scope(region_id=region["region_id"], person_id=region["council"])
    async with tenant_tx(council):
        with pytest.raises(NotAllowed):
            await projects.add_status_report(
                region["project_id"],
                StatusReportInput(
                    period_start=date(2025, 1, 1),
                    period_end=date(2025, 1, 31),
                    progress="x",
                    spent=Decimal(0),
                    planned=Decimal(0),
                ),
                actor_person_id=region["council"],
            )


async def test_the_outsider_cannot_slip_a_status_report_in_below_the_use_case(region):
    outsider = region["outsider"]
    async with tenant_tx(region["lead"].scope()):
        sub_id = await connection().fetchval(
            "select id from sub_project where project_id = $1", region["project_id"]
        )
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        async with tenant_tx(outsider.scope()):
            await connection().execute(
                "insert into status_report (tenant_id, project_id, sub_project_id, period_start,"
                " period_end, progress, spent, planned, reported_by_municipality)"
                " values ($1, $2, $3, '2025-01-01', '2025-01-31', 'x', 0, 0, app_tenant_id())",
                region["lead"].id,
                region["project_id"],
                sub_id,
            )


async def test_a_participant_outside_the_region_is_refused(region):
    far = await kommunenummer((await new_kommune("Langt unna")).id)
    lead = region["lead"]
    async with tenant_tx(lead.scope()):
        with pytest.raises(InvalidInput) as refused:
            await projects.add_participant(
                region["project_id"], far, Decimal(10), actor_person_id=lead.owner
            )
    assert refused.value.code == "participants_not_in_region"


async def test_adding_a_participant_takes_its_share_from_the_lead(region):
    lead, outsider = region["lead"], region["outsider"]
    nr = await kommunenummer(outsider.id)
    async with tenant_tx(lead.scope()):
        await projects.add_participant(
            region["project_id"], nr, Decimal(10), actor_person_id=lead.owner
        )
        detail = await projects.get_project(region["project_id"])
    shares = {p.kommunenummer: p.cost_share for p in detail.participants}
    assert shares[nr] == 10 and shares[await kommunenummer(lead.id)] == 30
    assert (await rows_seen(outsider.scope(), region["project_id"]))["project"] == 1


async def test_the_lists_area_filter_names_the_readers_own_areas_that_a_project_names(region):
    lead = region["lead"]
    async with tenant_tx(lead.scope()):
        programme_id = await programmes.create_programme(
            name="Områdeprogram",
            kind="naeringsutvikling",
            period_start=2025,
            period_end=2028,
            actor_person_id=lead.owner,
        )
        used, _unused = await programmes.set_strategy_areas(
            programme_id,
            [
                StrategyAreaInput("Reiseliv", "Reiseliv", Decimal(60)),
                StrategyAreaInput("Industri", "Industri", Decimal(40)),
            ],
            actor_person_id=lead.owner,
        )
    shares = {
        await kommunenummer(lead.id): Decimal(50),
        await kommunenummer(region["a"].id): Decimal(50),
    }
    await new_project(
        lead.id,
        lead.owner,
        programme_id=programme_id,
        strategy_area_id=used.id,
        cost_shares=shares,
    )
    async with tenant_tx(lead.scope()):
        assert await projects.project_strategy_areas() == [(used.id, "Reiseliv", "Reiseliv")]
    # A participant sees the project but may not read the lead's areas: none to filter by.
    async with tenant_tx(region["a"].scope()):
        assert await projects.project_strategy_areas() == []
    council = Scope(region_id=region["region_id"], person_id=region["council"])
    async with tenant_tx(council):
        assert await projects.project_strategy_areas() == []
