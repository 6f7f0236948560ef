"""A regional project's money counts in each participant's dashboard by its cost share, and in
the region's sums once; the events of the project recompute every participant, and nobody else."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from services.dashboards import service as dashboards
from services.dashboards.rules import WHOLE_REGION, municipalities_of
from services.projects import service as projects
from services.projects.schemas import StatusReportInput
from tenants.context import connection, tenant_tx
from tests.services.dashboards.dashboard_helpers import (
    Place,
    new_place,
    scratch_rows,
    stored_region_rows,
    stored_rows,
)
from tests.services.projects.plp_helpers import kommunenummer, new_project

pytestmark = pytest.mark.usefixtures("database")

YEAR = 2026


def money(rows: list[tuple], metric: str) -> dict[str, Decimal]:
    """A municipality's stored money of YEAR per strategy area (subject)."""
    return {r[2]: r[-1] for r in rows if r[:2] == ("programmes", metric) and r[3] == YEAR}


def region_total(rows: list[tuple], metric: str) -> Decimal:
    """The region's own sum of a metric in YEAR, over every strategy area."""
    return sum(
        (r[-1] for r in rows if r[0] == WHOLE_REGION and r[1:3] == ("programmes", metric)
         and r[4] == YEAR),
        Decimal(0),
    )


async def _last_events(places: list[Place]) -> dict[int, int]:
    marks = {}
    for place in places:
        async with tenant_tx(place.id):
            marks[place.id] = await connection().fetchval(
                "select coalesce(max(id), 0) from outbox_event where tenant_id = app_tenant_id()"
            )
    return marks


async def handle_events_since(marks: dict[int, int]) -> None:
    """What the dashboard actor does with each event written since the marks, in order."""
    for tenant_id, after in marks.items():
        async with tenant_tx(tenant_id):
            events = await connection().fetch(
                "select kind, payload::text as payload from outbox_event"
                " where tenant_id = app_tenant_id() and id > $1 order by id",
                after,
            )
        for e in events:
            if dashboards.slices_for(e["kind"]):
                await dashboards.refresh_municipalities_and_regions(
                    municipalities_of(tenant_id, json.loads(e["payload"])),
                    dashboards.slices_for(e["kind"]),
                )


@pytest.fixture
async def sixty_forty():
    """Lead 60 %, partner 40 % of a 500 kNOK pre-study; a third member of the region apart.
    Every figure is computed first, as the hourly job leaves them."""
    lead = await new_place("Leiarkommune")
    partner = await new_place("Partnarkommune", region_id=lead.region_id)
    third = await new_place("Tredjekommune", region_id=lead.region_id)
    places = [lead, partner, third]
    await dashboards.refresh_municipalities_and_regions([p.id for p in places])
    before_third = await stored_rows(third.id)
    marks = await _last_events(places)
    project_id = await new_project(
        lead.id,
        lead.owner,
        budget="500000",
        decided_on=date(YEAR, 2, 1),
        programme_id=lead.programme_id,
        strategy_area_id=lead.areas[0],
        cost_shares={
            await kommunenummer(lead.id): Decimal(60),
            await kommunenummer(partner.id): Decimal(40),
        },
    )
    # The partner reports spending on the lead's project.
    async with tenant_tx(partner.scope()):
        await projects.add_status_report(
            project_id,
            StatusReportInput(
                period_start=date(YEAR, 3, 1),
                period_end=date(YEAR, 6, 30),
                progress="Kartlegging i fire bedrifter.",
                spent=Decimal("100000.01"),
                planned=Decimal(120000),
            ),
            actor_person_id=partner.owner,
        )
    await handle_events_since(marks)
    return lead, partner, third, project_id, before_third


async def test_a_sixty_forty_project_counts_by_share_in_each_participant_and_once_in_the_region(
    sixty_forty,
):
    lead, partner, third, _, before_third = sixty_forty
    lead_rows, partner_rows = await stored_rows(lead.id), await stored_rows(partner.id)

    # The lead counts its share in the project's strategy area; the partner, to whom the
    # lead's areas are not its own, counts its share with no strategy area.
    assert money(lead_rows, "committed") == {"Reiseliv": Decimal("300000.00")}
    assert money(partner_rows, "committed") == {"": Decimal("200000.00")}
    # 100 000.01 split 60/40 to the øre: the left-over øre goes to one of them, not to both.
    assert money(lead_rows, "spent") == {"Reiseliv": Decimal("60000.01")}
    assert money(partner_rows, "spent") == {"": Decimal("40000.00")}
    # The project is counted once, by the lead that runs it.
    assert ("projects", "projects", "forstudie", 0, "", Decimal(1)) in lead_rows
    assert ("projects", "projects", "forstudie", 0, "", Decimal(0)) in partner_rows

    region = await stored_region_rows(lead.region_id)
    assert region_total(region, "committed") == Decimal("500000.00")
    assert region_total(region, "spent") == Decimal("100000.01")
    assert (WHOLE_REGION, "projects", "projects", "forstudie", 0, "", Decimal(1)) in region

    # The third member of the region sees nothing of it, and the events did not touch it.
    assert await stored_rows(third.id) == before_third
    assert money(before_third, "committed") == money(before_third, "spent") == {}
    for place in (lead, partner, third):
        assert await stored_rows(place.id) == await scratch_rows(place.id)


async def test_changing_the_shares_moves_both_participants_and_not_the_region(sixty_forty):
    lead, partner, third, project_id, before_third = sixty_forty
    marks = await _last_events([lead, partner, third])
    shares = {await kommunenummer(lead.id): Decimal(70), await kommunenummer(partner.id): Decimal(30)}
    async with tenant_tx(lead.scope()):
        await projects.set_cost_shares(project_id, shares, actor_person_id=lead.owner)
    await handle_events_since(marks)

    assert money(await stored_rows(lead.id), "committed") == {"Reiseliv": Decimal("350000.00")}
    assert money(await stored_rows(partner.id), "committed") == {"": Decimal("150000.00")}
    assert money(await stored_rows(partner.id), "spent") == {"": Decimal("30000.00")}
    region = await stored_region_rows(lead.region_id)
    assert region_total(region, "committed") == Decimal("500000.00")
    assert region_total(region, "spent") == Decimal("100000.01")
    assert await stored_rows(third.id) == before_third


async def test_a_participant_that_leaves_the_project_no_longer_counts_any_of_it(sixty_forty):
    lead, partner, third, project_id, _ = sixty_forty
    marks = await _last_events([lead, partner, third])
    alone = {await kommunenummer(lead.id): Decimal(100)}
    async with tenant_tx(lead.scope()):
        await projects.set_cost_shares(project_id, alone, actor_person_id=lead.owner)
    await handle_events_since(marks)

    assert money(await stored_rows(lead.id), "committed") == {"Reiseliv": Decimal("500000.00")}
    assert money(await stored_rows(partner.id), "committed") == {}
    assert money(await stored_rows(partner.id), "spent") == {}
    assert await stored_rows(partner.id) == await scratch_rows(partner.id)
    region = await stored_region_rows(lead.region_id)
    assert region_total(region, "committed") == Decimal("500000.00")
