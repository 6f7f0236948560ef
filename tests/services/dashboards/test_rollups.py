"""Rollups recompute and upsert: twice, or again after a crash, they leave the same rows; a sealed
bid is never counted, and a council reads its region's figures and no municipality's."""

from __future__ import annotations

import asyncio
from datetime import date
from decimal import Decimal

import pytest

from services.dashboards import service as dashboards
from services.programmes import service as programmes
from services.tendering.service import confirm_opening
from tenants.context import Scope, connection, tenant_tx
from tests.services.dashboards.dashboard_helpers import (
    fill,
    new_place,
    scratch_region_rows,
    scratch_rows,
    stored_region_rows,
    stored_rows,
)
from tests.services.projects.plp_helpers import new_region
from tests.services.tendering.tendering_helpers import SEALING_KEY, sleep_until, tender_with_bids

pytestmark = pytest.mark.usefixtures("database")


class Crash(Exception):
    pass


def figure(rows: list[tuple], metric: str, subject: str = "", year: int = 0) -> Decimal | None:
    found = [r[-1] for r in rows if r[1:4] == (metric, subject, year)]
    return found[0] if found else None


async def test_a_rollup_run_twice_leaves_the_same_rows_with_a_later_computed_at():
    place = await new_place()
    await fill(place)
    await dashboards.refresh_municipalities_and_regions([place.id])
    first = await stored_rows(place.id)
    first_region = await stored_region_rows(place.region_id)
    async with tenant_tx(place.id):
        stamp = (await dashboards.figures_for_municipality()).computed_at

    await dashboards.refresh_municipalities_and_regions([place.id])

    assert await stored_rows(place.id) == first == await scratch_rows(place.id)
    assert await stored_region_rows(place.region_id) == first_region
    async with tenant_tx(place.id):
        assert (await dashboards.figures_for_municipality()).computed_at > stamp
    # The figures themselves: 60 % of 1 MNOK in 2026, the go's 350 kNOK, a KPI against target.
    assert figure(first, "budget", "Reiseliv", 2026) == Decimal("600000.00")
    assert figure(first, "budget", "Industri", 2026) == Decimal("400000.00")
    assert figure(first, "committed", "Reiseliv", 2026) == Decimal("350000.00")
    assert figure(first, "kpi_target", "new_jobs", 2026) == Decimal("10.00")
    assert figure(first, "kpi_value", "new_jobs", 2026) == Decimal("4.00")
    assert figure(first, "projects", "forstudie") == Decimal(1)


async def test_a_recompute_that_dies_halfway_leaves_the_old_rows_and_a_rerun_the_right_ones(
    monkeypatch,
):
    place = await new_place()
    await fill(place)
    await dashboards.recompute_municipality(place.id)
    before = await stored_rows(place.id)
    async with tenant_tx(place.scope()):
        await programmes.add_funding_line(
            place.programme_id,
            source="state",
            year=2027,
            amount=Decimal(500_000),
            actor_person_id=place.owner,
        )

    store = dashboards._store_municipality
    stored: list[str] = []

    async def store_then_die(slice_, figures, at):
        await store(slice_, figures, at)
        stored.append(slice_)
        if slice_ == "projects":  # programmes and projects written, tenders not yet
            raise Crash

    monkeypatch.setattr(dashboards, "_store_municipality", store_then_die)
    with pytest.raises(Crash):
        await dashboards.recompute_municipality(place.id)
    assert stored == ["programmes", "projects"]
    assert await stored_rows(place.id) == before  # nothing half-written survived

    monkeypatch.setattr(dashboards, "_store_municipality", store)
    await dashboards.recompute_municipality(place.id)
    after = await stored_rows(place.id)
    assert after == await scratch_rows(place.id)
    assert figure(after, "budget", "Reiseliv", 2027) == Decimal("300000.00")
    await dashboards.recompute_municipality(place.id)
    assert await stored_rows(place.id) == after


async def test_a_region_recompute_that_dies_before_it_writes_is_rerun_to_the_same_rows(
    monkeypatch,
):
    first = await new_place("Fyrste")
    second = await new_place("Andre", region_id=first.region_id)
    for place in (first, second):
        await fill(place)
        await dashboards.recompute_municipality(place.id)
    store = dashboards._store_region

    async def die(rows, at):
        raise Crash

    monkeypatch.setattr(dashboards, "_store_region", die)
    with pytest.raises(Crash):
        await dashboards.recompute_region(first.region_id)
    assert await stored_region_rows(first.region_id) == []
    monkeypatch.setattr(dashboards, "_store_region", store)
    await dashboards.recompute_region(first.region_id)
    await dashboards.recompute_region(first.region_id)
    rows = await stored_region_rows(first.region_id)
    assert rows == await scratch_region_rows(first.region_id, [first.id, second.id])
    whole = [r[1:] for r in rows if r[0] == 0]
    assert figure(whole, "budget", "Reiseliv", 2026) == Decimal("1200000.00")
    assert figure(whole, "projects", "forstudie") == Decimal(2)


async def _bid_figures_anywhere(tenant_id: int, region_id: int, tender_id: int) -> dict:
    async with tenant_tx(tenant_id):
        own = await connection().fetch(
            "select metric, value from municipality_figure where tenant_id = app_tenant_id()"
            " and slice = 'tenders' and (subject = $1 or metric like 'bid%')",
            str(tender_id),
        )
    async with tenant_tx(Scope(region_id=region_id)):
        region = await connection().fetch(
            "select municipality_id, metric, value from region_figure"
            " where region_id = app_region_id() and metric in ('bids', 'bids_received',"
            " 'bids_per_tender', 'tenders_opened')"
        )
    return {
        "municipality": {r["metric"]: r["value"] for r in own},
        "region": {(r["municipality_id"], r["metric"]): r["value"] for r in region},
    }


async def test_a_sealed_bid_is_counted_nowhere_until_its_tender_is_opened():
    buyer, tender_id, deadline, _, _ = await tender_with_bids(["400000", "450000"], seconds=2)
    region_id = await new_region(buyer.tenant_id)
    await dashboards.refresh_municipalities_and_regions([buyer.tenant_id])
    sealed = {
        "municipality": {},
        "region": {
            (m, metric): Decimal(0)
            for m in (0, buyer.tenant_id)
            for metric in ("bids_received", "tenders_opened")
        },
    }
    assert await _bid_figures_anywhere(buyer.tenant_id, region_id, tender_id) == sealed
    async with tenant_tx(buyer.tenant_id):
        open_now = await connection().fetchval(
            "select value from municipality_figure where tenant_id = app_tenant_id()"
            " and metric = 'tenders_open'"
        )
    assert open_now == 1

    await sleep_until(deadline)
    async with tenant_tx(buyer.scope()):  # the first opener: the bids are closed, not opened
        await confirm_opening(tender_id, person_id=buyer.officer, sealing_key=SEALING_KEY)
    await dashboards.refresh_municipalities_and_regions([buyer.tenant_id])
    assert await _bid_figures_anywhere(buyer.tenant_id, region_id, tender_id) == sealed

    async with tenant_tx(buyer.scope(buyer.evaluator)):
        await confirm_opening(tender_id, person_id=buyer.evaluator, sealing_key=SEALING_KEY)
    await dashboards.refresh_municipalities_and_regions([buyer.tenant_id])
    opened = await _bid_figures_anywhere(buyer.tenant_id, region_id, tender_id)
    assert opened["municipality"] == {"bids": 2}
    assert opened["region"][(0, "bids_received")] == 2
    assert opened["region"][(buyer.tenant_id, "bids_per_tender")] == 2
    assert (0, "bids") not in opened["region"]  # per-tender counts stay with the municipality


async def test_a_council_reads_its_region_figures_and_no_municipality_figure():
    place = await new_place()
    await fill(place)
    await dashboards.refresh_municipalities_and_regions([place.id])
    other = await new_place("Annan")
    await dashboards.refresh_municipalities_and_regions([other.id])
    async with tenant_tx(Scope(region_id=place.region_id)):
        region = await dashboards.figures_for_region()
        seen = await connection().fetchval("select count(*) from municipality_figure")
    assert seen == 0
    assert [m.id for m in region.members] == [place.id]
    assert set(region.figures) == {0, place.id}
    async with tenant_tx(place.id):
        assert (await dashboards.figures_for_region()).figures == {}
        mine = await connection().fetchval(
            "select count(distinct tenant_id) from municipality_figure"
        )
    assert mine == 1


async def test_the_lists_behind_the_figures_are_the_municipalitys_own():
    place = await new_place()
    project_id = await fill(place)
    from services.projects import figures as project_lists
    from services.projects import service as projects

    async with tenant_tx(place.scope()):
        await projects.reach_decision_point(
            project_id, due_date=date(2026, 1, 5), closing_report="Ferdig.", actor_person_id=None
        )
        overdue = await project_lists.overdue_decisions()
        running = await project_lists.projects_in_phase("forstudie")
    assert [d.project_id for d in overdue] == [project_id]
    assert [p.id for p in running] == [project_id]
    await dashboards.recompute_municipality(place.id)
    assert figure(await stored_rows(place.id), "decisions_overdue") == 1


async def test_a_full_refresh_runs_two_recomputes_side_by_side_and_every_one_once():
    running, most, done = 0, 0, []

    async def recompute(id_: int) -> None:
        nonlocal running, most
        running += 1
        most = max(most, running)
        await asyncio.sleep(0.001 * (id_ % 3))
        done.append(id_)
        running -= 1

    await dashboards._each(range(20), recompute, 2)
    assert sorted(done) == list(range(20)) and most == 2
