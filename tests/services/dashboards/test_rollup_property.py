"""For random sequences of changes made through the real use-cases, recomputing only what each
change's events name (as the actor does) leaves the same figures as a full recompute from scratch.

A use-case that changed a figure without emitting an event, or an event mapped to the wrong
slice or municipality, makes the two differ.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from services.dashboards import service as dashboards
from services.dashboards.rules import municipalities_of
from services.errors import DomainError
from services.programmes import service as programmes
from services.programmes.schemas import StrategyAreaInput
from services.projects import service as projects
from services.projects.schemas import NewProject, StatusReportInput
from services.tendering.schemas import TenderDraft
from services.tendering.service import cancel_tender, create_tender, publish_tender
from tenants.context import connection, tenant_tx
from tests.services.dashboards.dashboard_helpers import (
    new_place,
    scratch_region_rows,
    scratch_rows,
    stored_region_rows,
    stored_rows,
)
from tests.services.projects.plp_helpers import kommunenummer
from tests.services.tendering.tendering_helpers import CRITERIA, db_clock
from tests.services.tendering.tendering_helpers import new_person as new_member

pytestmark = pytest.mark.usefixtures("database")

YEARS = st.integers(2025, 2030)
AMOUNTS = st.integers(0, 3_000_000)
CODES = st.sampled_from(("new_jobs", "secured_jobs", "new_businesses"))
WHO = st.integers(0, 1)  # which of the region's two municipalities acts
PICK = st.integers(0, 3)  # which of its projects or tenders, modulo how many it has

STEPS = st.one_of(
    st.tuples(st.just("funding"), WHO, st.sampled_from(("county", "state", "business")), YEARS,
              AMOUNTS),
    st.tuples(st.just("target"), WHO, CODES, YEARS, st.integers(0, 200)),
    st.tuples(st.just("measure"), WHO, CODES, YEARS, st.integers(0, 200)),
    st.tuples(st.just("shares"), WHO, st.integers(1, 9)),
    st.tuples(st.just("project"), WHO, st.sampled_from((None, 0, 1)), AMOUNTS, YEARS),
    st.tuples(st.just("reach"), WHO, PICK, st.integers(-30, 30)),
    st.tuples(st.just("decide"), WHO, PICK, st.sampled_from(("go", "revise", "stop")), AMOUNTS),
    st.tuples(st.just("report"), WHO, PICK, AMOUNTS, YEARS),
    # Share one of its projects with the other municipality (100: take it back alone).
    st.tuples(st.just("regional"), WHO, PICK, st.sampled_from((100, 60, 1))),
    st.tuples(st.just("tender"), WHO),
    st.tuples(st.just("cancel"), WHO, PICK),
)


PROJECT_STEPS = ("reach", "decide", "report", "regional")


class World:
    def __init__(self, places) -> None:
        self.places = places
        self.projects: dict[int, list[int]] = {p.id: [] for p in places}
        self.tenders: dict[int, list[int]] = {p.id: [] for p in places}
        self.officers: dict[int, int] = {}
        self.numbers: dict[int, str] = {}


async def _apply(world: World, step: tuple) -> None:
    """One change through the use-cases, in its own transaction (refused ones roll back)."""
    kind, who, *args = step
    place = world.places[who]
    # Copies: what a refused (rolled-back) step made is not kept.
    own_projects, own_tenders = list(world.projects[place.id]), list(world.tenders[place.id])
    now = await db_clock()  # outside: it opens a transaction of its own
    async with tenant_tx(place.scope()):
        if kind == "funding":
            source, year, amount = args
            await programmes.add_funding_line(
                place.programme_id, source=source, year=year, amount=Decimal(amount),
                actor_person_id=place.owner,
            )
        elif kind in ("target", "measure"):
            code, year, value = args
            kpi = await programmes.kpi_id_by_code(place.programme_id, code)
            if kind == "target":
                await programmes.set_kpi_target(kpi, year, Decimal(value), actor_person_id=None)
            else:
                await programmes.record_kpi_measurement(
                    kpi, measured_on=date(year, 6, 1), value=Decimal(value), source="SSB",
                    actor_person_id=None,
                )
        elif kind == "shares":
            first = Decimal(args[0] * 10)
            await programmes.set_strategy_areas(
                place.programme_id,
                [
                    StrategyAreaInput(f"Område {first}", f"Område {first}", first, place.areas[0]),
                    StrategyAreaInput("Industri", "Industri", 100 - first, place.areas[1]),
                ],
                actor_person_id=None,
            )
        elif kind == "project" or kind in PROJECT_STEPS and not own_projects:
            # A step on a project, when there is none yet, starts one first.
            area, budget, year = args if kind == "project" else (0, 100_000, 2026)
            own_projects.append(
                await projects.create_project(
                    NewProject(
                        title=f"Prosjekt {secrets.token_hex(3)}",
                        phase="forstudie",
                        budget=Decimal(budget),
                        decided_on=date(year, 3, 1),
                        owner_person_id=place.owner,
                        programme_id=place.programme_id if area is not None else None,
                        strategy_area_id=place.areas[area] if area is not None else None,
                    ),
                    actor_person_id=place.owner,
                )
            )
        if kind in PROJECT_STEPS:
            project_id = own_projects[args[0] % len(own_projects)]
            if kind == "regional":
                other = world.places[1 - who]
                shares = {world.numbers[place.id]: Decimal(args[1])}
                if args[1] < 100:
                    shares[world.numbers[other.id]] = Decimal(100 - args[1])
                await projects.set_cost_shares(project_id, shares, actor_person_id=place.owner)
            elif kind == "reach":
                await projects.reach_decision_point(
                    project_id,
                    due_date=date.today() + timedelta(days=args[1]),
                    closing_report="Ferdig.",
                    actor_person_id=place.owner,
                )
            elif kind == "decide":
                await projects.record_decision(
                    project_id, outcome=args[1], basis="Vurdert.", decided_on=date(2026, 5, 1),
                    approved_budget=Decimal(args[2]), actor_person_id=place.owner,
                )
            else:
                await projects.add_status_report(
                    project_id,
                    StatusReportInput(
                        date(args[2], 1, 1), date(args[2], 6, 30), "Framdrift.",
                        Decimal(args[1]), Decimal(args[1]),
                    ),
                    actor_person_id=place.owner,
                )
        elif kind == "tender":
            officer = world.officers[place.id]
            tender = await create_tender(
                TenderDraft(
                    title=f"Konkurranse {secrets.token_hex(3)}",
                    description="",
                    estimated_value=Decimal(200_000),
                    award_criteria=CRITERIA,
                    qualification_requirements=[],
                    questions_deadline=now + timedelta(days=5),
                    bid_deadline=now + timedelta(days=10),
                ),
                actor_person_id=officer,
            )
            await publish_tender(tender.id, actor_person_id=officer)
            own_tenders.append(tender.id)
        elif kind == "cancel" and own_tenders:
            await cancel_tender(
                own_tenders[args[0] % len(own_tenders)],
                actor_person_id=world.officers[place.id],
                reason="Trekt.",
            )
    world.projects[place.id], world.tenders[place.id] = own_projects, own_tenders


async def _last_event(tenant_id: int) -> int:
    async with tenant_tx(tenant_id):
        return await connection().fetchval(
            "select coalesce(max(id), 0) from outbox_event where tenant_id = app_tenant_id()"
        )


async def _events_since(tenant_id: int, after: int) -> list:
    async with tenant_tx(tenant_id):
        return await connection().fetch(
            "select kind, payload::text as payload from outbox_event"
            " where tenant_id = app_tenant_id() and id > $1 order by id",
            after,
        )


async def _handle(events: list[tuple[int, str, dict]]) -> None:
    """What the dashboard actor does for each event, in order."""
    for tenant_id, kind, payload in events:
        if dashboards.slices_for(kind):
            await dashboards.refresh_municipalities_and_regions(
                municipalities_of(tenant_id, payload), dashboards.slices_for(kind)
            )


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(STEPS, min_size=1, max_size=8))
async def test_incremental_rollups_equal_a_full_recompute_from_scratch(steps):
    import json

    first = await new_place("Eigenskap A")
    second = await new_place("Eigenskap B", region_id=first.region_id)
    world = World([first, second])
    for place in world.places:
        world.officers[place.id] = await new_member("case_officer", municipality_id=place.id)
        world.numbers[place.id] = await kommunenummer(place.id)
    # The starting point is a full refresh, as the hourly job leaves it.
    for place in world.places:
        await dashboards.recompute_municipality(place.id)
    await dashboards.recompute_region(first.region_id)

    for step in steps:
        marks = {p.id: await _last_event(p.id) for p in world.places}
        try:
            await _apply(world, step)
        except DomainError:
            pass  # refused: rolled back, no event, no figure changed
        events = []
        for place in world.places:
            for r in await _events_since(place.id, marks[place.id]):
                events.append((place.id, r["kind"], json.loads(r["payload"])))
        event(f"{step[0]}: {'changed' if events else 'refused or no-op'}")
        await _handle(events)

        for place in world.places:
            assert await stored_rows(place.id) == await scratch_rows(place.id), step
        assert await stored_region_rows(first.region_id) == await scratch_region_rows(
            first.region_id, [first.id, second.id]
        ), step
