"""The demo's programme and projects: as DOMAIN.md tells them, and the same after a second load."""

from __future__ import annotations

from decimal import Decimal

import pytest

from services.demo.programmes import GRONG, LIERNE, NAMSSKOGAN, PROGRAMME, ROYRVIK
from services.demo.seed import load_demo
from services.programmes import service as programmes
from services.projects import service as projects
from tenants.context import Scope, connection, tenant_tx

pytestmark = pytest.mark.usefixtures("database")

# A participant also sees the lead's shared rows: count each row at its own tenant only.
OWN = " where tenant_id = app_tenant_id()"
TABLES = {
    "programme": "select name, kind, stage from programme",
    "funding_line": "select source, year, amount from funding_line",
    "strategy_area": "select name_nb, name_nn, share from strategy_area",
    "board_member": "select name, seat from board_member",
    "kpi_target": "select kpi_id, year, target from kpi_target",
    "kpi_measurement": "select kpi_id, value, source from kpi_measurement",
    "action_plan": "select year, state from action_plan",
    "project": "select title, phase, status, approved_budget from project" + OWN,
    "sub_project": "select project_id, phase, state, approved_budget from sub_project" + OWN,
    "decision_point": "select project_id, outcome, due_date from decision_point" + OWN,
    "project_participant": "select project_id, municipality_id, cost_share from project_participant"
    + OWN,
    "audit_event": "select seq, hash from audit_event",
}


async def ids_of(*kommunenummer: str) -> dict[str, int]:
    async with tenant_tx(Scope(operator=True)):
        rows = await connection().fetch(
            "select kommunenummer, id from municipality where kommunenummer = any($1::text[])",
            list(kommunenummer),
        )
    return {r["kommunenummer"]: r["id"] for r in rows}


async def snapshot(tenants: dict[str, int]) -> dict:
    result = {}
    for nr, tenant in tenants.items():
        async with tenant_tx(tenant):
            for table, sql in TABLES.items():
                rows = await connection().fetch(sql)
                result[nr, table] = sorted((tuple(r) for r in rows), key=repr)
    return result


async def test_the_demo_programme_and_projects_load_once(settings):
    key = settings.derived_key("pid")
    await load_demo(key)
    tenants = await ids_of(GRONG, NAMSSKOGAN, ROYRVIK, LIERNE)
    first = await snapshot(tenants)
    await load_demo(key)
    assert await snapshot(tenants) == first

    async with tenant_tx(tenants[GRONG]):
        overview = await programmes.programme_overview(
            await programmes.programme_id_by_name(PROGRAMME)
        )
        grong_projects = {p.title: p for p in await projects.list_projects()}
    assert overview.total_budget == 48_000_000
    assert overview.budget_by_source == {
        "county": 36_000_000,
        "municipality": 9_000_000,
        "business": 3_000_000,
    }
    assert [a.share for a in overview.strategy_areas] == [30, 20, 20, 10, 20]
    assert {k.code: k.targets[2030] for k in overview.kpis} == {
        "new_jobs": 120,
        "secured_jobs": 80,
        "new_businesses": 25,
    }
    meat = grong_projects["Forprosjekt: Lokal foredling av kjøt og vilt, Grong"]
    assert (meat.phase, meat.approved_budget, meat.owner_name) == (
        "forprosjekt",
        900_000,
        "Arne Lyngstad",
    )
    assert grong_projects["Kompetanseløft industri"].regional

    async with tenant_tx(tenants[ROYRVIK]):
        [shared] = await projects.list_projects()
        detail = await projects.get_project(shared.id)
    assert shared.title == "Kompetanseløft industri"
    assert {p.kommunenummer: p.cost_share for p in detail.participants} == {
        GRONG: Decimal(40),
        NAMSSKOGAN: Decimal(20),
        ROYRVIK: Decimal(20),
        LIERNE: Decimal(20),
    }

    async with tenant_tx(tenants[LIERNE]):
        study = {p.title: p for p in await projects.list_projects()}[
            "Forstudie: Samla destinasjonsselskap Lierne–Røyrvik"
        ]
    assert (study.status, study.approved_budget) == ("awaiting_decision", 350_000)
    async with tenant_tx(tenants[NAMSSKOGAN]):
        station = {p.title: p for p in await projects.list_projects()}[
            "Hovudprosjekt: Næringsareal Namsskogan stasjon"
        ]
    assert (station.phase, station.approved_budget) == ("hovudprosjekt", 6_500_000)
