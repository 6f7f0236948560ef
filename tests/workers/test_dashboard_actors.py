"""A committed change reaches its dashboards through the relay and a real Worker; the periodic jobs run."""

from __future__ import annotations

import asyncio
from datetime import date
from decimal import Decimal

import pendulum

from services.dashboards.rules import WHOLE_REGION
from services.programmes import service as programmes
from services.projects import service as projects
from tenants.context import connection, tenant_tx
from tests.services.dashboards.dashboard_helpers import (
    fill,
    new_place,
    scratch_region_rows,
    scratch_rows,
    stored_region_rows,
    stored_rows,
)
from tests.services.projects.plp_helpers import kommunenummer, new_project
from tests.services.tendering.tendering_helpers import sleep_until, tender_with_bids
from workers.actors.dashboards import recompute_dashboards
from workers.actors.outbox import relay_outbox
from workers.actors.tendering import close_due_tenders
from workers.scheduler import periodic_actors


def touched(rows: list[tuple]) -> list[tuple]:
    """The slices a programme's and a project's events recompute (no tender changed here)."""
    return [r for r in rows if r[0] in ("programmes", "projects")]


async def _drain(stub) -> None:
    relay_outbox.send()
    await asyncio.to_thread(stub.join, relay_outbox.queue_name, fail_fast=True)
    await asyncio.to_thread(stub.join, recompute_dashboards.queue_name, fail_fast=True)


async def test_a_committed_change_updates_the_municipality_and_region_figures(stub, run_worker):
    place = await new_place()
    await fill(place)
    # The worker binds the tables to its own pool while it runs: the test reads in between.
    with run_worker(stub, threads=2):
        await _drain(stub)
    assert await stored_rows(place.id) == touched(await scratch_rows(place.id))
    async with tenant_tx(place.scope()):
        kpi = await programmes.kpi_id_by_code(place.programme_id, "new_jobs")
        await programmes.record_kpi_measurement(
            kpi,
            measured_on=pendulum.date(2026, 9, 1),
            value=Decimal(7),
            source="Næringsregisteret",
            actor_person_id=place.owner,
        )
    with run_worker(stub, threads=2):
        await _drain(stub)
    rows = await stored_rows(place.id)
    # A repeat of an event (a relay that died before marking it) changes nothing.
    with run_worker(stub, threads=2):
        recompute_dashboards.send(
            event_id=0, kind="programmes.kpi_measured", tenant_id=place.id, payload={}
        )
        await asyncio.to_thread(stub.join, recompute_dashboards.queue_name, fail_fast=True)
    assert await stored_rows(place.id) == rows == touched(await scratch_rows(place.id))
    assert (
        "programmes",
        "kpi_value",
        "new_jobs",
        2026,
        "Nye arbeidsplassar",
        Decimal("7.00"),
    ) in rows
    region = await stored_region_rows(place.region_id)
    expected = await scratch_region_rows(place.region_id, [place.id])
    assert [r for r in region if r[1] != "tenders"] == [r for r in expected if r[1] != "tenders"]
    assert (0, "programmes", "kpi_value", "new_jobs", 2026) in [r[:5] for r in region]


def committed(rows: list[tuple]) -> dict[str, Decimal]:
    return {r[2]: r[-1] for r in rows if r[:2] == ("programmes", "committed")}


async def test_a_regional_projects_events_reach_every_participant_and_the_region_once(
    stub, run_worker
):
    lead = await new_place("Leiar")
    partner = await new_place("Partnar", region_id=lead.region_id)
    third = await new_place("Tredje", region_id=lead.region_id)
    lead_nr, partner_nr = await kommunenummer(lead.id), await kommunenummer(partner.id)
    project_id = await new_project(
        lead.id,
        lead.owner,
        budget="500000",
        decided_on=date(2026, 2, 1),
        programme_id=lead.programme_id,
        strategy_area_id=lead.areas[0],
        cost_shares={lead_nr: Decimal(60), partner_nr: Decimal(40)},
    )
    with run_worker(stub, threads=2):
        await _drain(stub)
    assert committed(await stored_rows(lead.id)) == {"Reiseliv": Decimal("300000.00")}
    assert committed(await stored_rows(partner.id)) == {"": Decimal("200000.00")}
    # The third member of the region takes no part: nothing of the project counts there.
    assert committed(await stored_rows(third.id)) == {}

    async with tenant_tx(lead.scope()):
        await projects.set_cost_shares(
            project_id, {lead_nr: Decimal(25), partner_nr: Decimal(75)}, actor_person_id=lead.owner
        )
    with run_worker(stub, threads=2):
        await _drain(stub)
    assert committed(await stored_rows(lead.id)) == {"Reiseliv": Decimal("125000.00")}
    assert committed(await stored_rows(partner.id)) == {"": Decimal("375000.00")}
    region = await stored_region_rows(lead.region_id)
    assert sum(r[-1] for r in region if r[0] == WHOLE_REGION and r[2] == "committed") == 500000
    for place in (lead, partner):
        assert await stored_rows(place.id) == touched(await scratch_rows(place.id))


async def test_the_minute_job_closes_a_tender_whose_deadline_passed(stub, run_worker):
    buyer, tender_id, deadline, _, _ = await tender_with_bids(["300000"], seconds=1)
    await sleep_until(deadline)
    with run_worker(stub):
        close_due_tenders.send()
        await asyncio.to_thread(stub.join, close_due_tenders.queue_name, fail_fast=True)
        await _drain(stub)
    async with tenant_tx(buyer.tenant_id):
        state = await connection().fetchval("select state from tender where id = $1", tender_id)
        figures = await connection().fetch(
            "select metric, subject, value from municipality_figure"
            " where tenant_id = app_tenant_id() and slice = 'tenders' and value <> 0"
        )
    assert state == "bids_closed"
    # Closed is not opened: the dashboard shows a tender in evaluation and no bid count.
    assert [(r["metric"], r["value"]) for r in figures] == [("tenders_in_evaluation", 1)]


def test_the_scheduler_sends_the_dashboard_refresh_hourly_and_the_tender_closing_every_minute(
    stub,
):
    specs = {a.actor_name: a.options["periodic"] for a in periodic_actors(stub)}
    noon = pendulum.datetime(2026, 3, 2, 12, 0, tz="Europe/Oslo")
    refresh, closing = specs["refresh_all_dashboards"], specs["close_due_tenders"]
    assert [m for m in range(60) if refresh.validate(noon.add(minutes=m))] == [5]
    assert all(closing.validate(noon.add(minutes=m)) for m in range(60))
