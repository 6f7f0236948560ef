"""A programme for one municipality in four: made and given its strategy areas through the
programme use-cases, then its funding, board, yearly action plans, KPI targets and ten years of
KPI measurements in bulk, in the municipality's scope."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from services.demo.national import World
from services.demo.national.bulk import insert_rows
from services.programmes.schemas import StrategyAreaInput
from services.programmes.service import create_programme, set_strategy_areas
from tenants.context import Scope, connection, tenant_tx

AREAS = (
    ("Reiseliv og opplevingar", "Reiseliv og opplevingar"),
    ("Landbruk og matforedling", "Landbruk og matforedling"),
    ("Tre og industri", "Tre og industri"),
    ("Helse og velferdsteknologi", "Helse og velferdsteknologi"),
    ("Stadutvikling og rekruttering", "Stadutvikling og rekruttering"),
)
SHARES = ((40, 30, 30), (30, 20, 20, 30), (30, 20, 20, 10, 20))
SOURCES = ("county", "state", "municipality", "business")
SEATS = ("politician", "politician", "business", "business", "business", "observer")
PLAN_STATES = ("draft", "board_approved", "municipality_approved", "county_granted")


async def load(world: World) -> None:
    rng = world.rng_for("programmes")
    year = world.today.year
    chosen = world.places[:: world.scale.programme_every]
    bar = world.progress("programmes", len(chosen))
    measurements = 0
    for place in chosen:
        scope = Scope(tenant_id=place.id, person_id=place.admin_id)
        async with tenant_tx(scope):
            if await connection().fetchval(
                "select exists (select 1 from programme where tenant_id = app_tenant_id())"
            ):
                bar.advance()  # a demo municipality with its own programme keeps it alone
                continue
            start = rng.randint(year - 8, year - 2)
            end = start + 5
            programme_id = await create_programme(
                name=f"Omstilling {place.name} {start}–{end}",
                kind=rng.choice(("omstilling", "naeringsutvikling")),
                period_start=start,
                period_end=end,
                actor_person_id=place.admin_id,
            )
            shares = rng.choice(SHARES)
            areas = await set_strategy_areas(
                programme_id,
                [
                    StrategyAreaInput(nb, nn, Decimal(share))
                    for (nb, nn), share in zip(AREAS, shares, strict=False)
                ],
                actor_person_id=place.admin_id,
            )
            area_ids = [a.id for a in areas]
            stage = "gjennomforing" if end >= year else "avslutning"
            await connection().execute(
                "update programme set stage = $2 where tenant_id = app_tenant_id() and id = $1",
                programme_id,
                stage,
            )
            measurements += await _details(world, rng, place, programme_id, area_ids, start, end)
        world.programmes[place.id] = (programme_id, area_ids, start, end)
        bar.advance()
    bar.close()
    world.counts["kpi_measurement"] = measurements


async def _details(world, rng, place, programme_id, area_ids, start, end) -> int:
    years = range(start, end + 1)
    budget = rng.randint(20, 60) * 1_000_000
    await insert_rows(
        "funding_line",
        {
            "tenant_id": "bigint",
            "programme_id": "bigint",
            "source": "text",
            "year": "int",
            "amount": "numeric",
        },  # fmt: skip
        [
            (place.id, programme_id, source, y, Decimal(budget * share // 100 // len(years)))
            for source, share in zip(SOURCES, (60, 20, 15, 5), strict=True)
            for y in years
        ],
    )
    await insert_rows(
        "board_member",
        {
            "tenant_id": "bigint",
            "programme_id": "bigint",
            "name": "text",
            "seat": "text",
            "term_start": "date",
        },  # fmt: skip
        [
            (place.id, programme_id, f"Styremedlem {i + 1} {place.name}", seat, date(start, 1, 1))
            for i, seat in enumerate(SEATS)
        ],
    )
    plans = await insert_rows(
        "action_plan",
        {"tenant_id": "bigint", "programme_id": "bigint", "year": "int", "state": "text"},
        [
            (place.id, programme_id, y, "county_granted" if y < world.today.year else "draft")
            for y in years
            if y <= world.today.year
        ],
        returning="id, year, state",
    )
    await insert_rows(
        "action_plan_goal",
        {
            "tenant_id": "bigint",
            "action_plan_id": "bigint",
            "strategy_area_id": "bigint",
            "goal": "text",
            "budget": "numeric",
        },  # fmt: skip
        [
            (place.id, p["id"], area, f"Mål for {p['year']}", Decimal(budget // 6 // len(area_ids)))
            for p in plans
            for area in area_ids
        ],
    )
    await insert_rows(
        "action_plan_step",
        {
            "tenant_id": "bigint",
            "action_plan_id": "bigint",
            "state": "text",
            "recorded_by": "bigint",
        },  # fmt: skip
        [
            (place.id, p["id"], state, place.admin_id)
            for p in plans
            for state in PLAN_STATES[: PLAN_STATES.index(p["state"]) + 1]
        ],
    )
    kpis = await connection().fetch(
        "select id, code from kpi where tenant_id = app_tenant_id() and programme_id = $1"
        " order by id",
        programme_id,
    )
    await insert_rows(
        "kpi_target",
        {"tenant_id": "bigint", "kpi_id": "bigint", "year": "int", "target": "numeric"},
        [(place.id, k["id"], y, Decimal(rng.randint(5, 40))) for k in kpis for y in years],
    )
    rows = []
    first = world.today.year - world.scale.kpi_years + 1
    for k in kpis:
        value = 0
        for y in range(first, world.today.year + 1):
            for quarter in range(4):
                measured_on = date(y, 3 * quarter + 1, 1) + timedelta(days=89)
                if measured_on > world.today:
                    break
                value += rng.randint(0, 4)
                rows.append((place.id, k["id"], measured_on, Decimal(value), "SSB",
                             place.officer_id))  # fmt: skip
    await insert_rows(
        "kpi_measurement",
        {
            "tenant_id": "bigint",
            "kpi_id": "bigint",
            "measured_on": "date",
            "value": "numeric",
            "source": "text",
            "recorded_by": "bigint",
        },  # fmt: skip
        rows,
    )
    return len(rows)
