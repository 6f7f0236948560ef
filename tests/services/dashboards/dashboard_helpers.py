"""A municipality with a little of everything a dashboard counts, made through the use-cases."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from services.dashboards import service as dashboards
from services.dashboards.rules import region_figures
from services.programmes import service as programmes
from services.programmes.schemas import StrategyAreaInput
from tenants.context import Scope, connection, tenant_tx
from tests.services.projects.plp_helpers import new_kommune, new_project, new_region

AREAS = (("Reiseliv", "Reiseliv", 60), ("Industri", "Industri", 40))


@dataclass
class Place:
    """A municipality in a region of its own, with a programme of two strategy areas."""

    id: int
    owner: int
    region_id: int
    programme_id: int
    areas: list[int]

    def scope(self) -> Scope:
        return Scope(tenant_id=self.id, person_id=self.owner)


async def new_place(name: str = "Dashbordkommune", *, region_id: int | None = None) -> Place:
    kommune = await new_kommune(name)
    if region_id is None:
        region_id = await new_region(kommune.id)
    else:
        from services.tenancy import service as tenancy

        async with tenant_tx(Scope(operator=True)):
            await tenancy.add_to_region(region_id, kommune.id)
    async with tenant_tx(kommune.scope()):
        programme_id = await programmes.create_programme(
            name=f"Program {secrets.token_hex(3)}",
            kind="omstilling",
            period_start=2025,
            period_end=2030,
            actor_person_id=kommune.owner,
        )
        areas = await programmes.set_strategy_areas(
            programme_id,
            [StrategyAreaInput(nb, nn, Decimal(share)) for nb, nn, share in AREAS],
            actor_person_id=kommune.owner,
        )
    return Place(kommune.id, kommune.owner, region_id, programme_id, [a.id for a in areas])


async def fill(place: Place) -> int:
    """Funding, a KPI target and measurement, and a project in the first area; the project's id."""
    async with tenant_tx(place.scope()):
        await programmes.add_funding_line(
            place.programme_id,
            source="county",
            year=2026,
            amount=Decimal(1_000_000),
            actor_person_id=place.owner,
        )
        kpi = await programmes.kpi_id_by_code(place.programme_id, "new_jobs")
        await programmes.set_kpi_target(kpi, 2026, Decimal(10), actor_person_id=place.owner)
        await programmes.record_kpi_measurement(
            kpi,
            measured_on=date(2026, 3, 1),
            value=Decimal(4),
            source="SSB",
            actor_person_id=place.owner,
        )
    return await new_project(
        place.id,
        place.owner,
        budget="350000",
        decided_on=date(2026, 2, 1),
        programme_id=place.programme_id,
        strategy_area_id=place.areas[0],
    )


async def stored_rows(tenant_id: int) -> list[tuple]:
    """The municipality's figure rows, without the time they were computed."""
    async with tenant_tx(tenant_id):
        rows = await connection().fetch(
            "select slice, metric, subject, year, label, value from municipality_figure"
            " where tenant_id = app_tenant_id() order by 1, 2, 3, 4"
        )
    return [tuple(r) for r in rows]


async def stored_region_rows(region_id: int) -> list[tuple]:
    async with tenant_tx(Scope(region_id=region_id)):
        rows = await connection().fetch(
            "select municipality_id, slice, metric, subject, year, label, value from region_figure"
            " where region_id = app_region_id() order by 1, 2, 3, 4, 5"
        )
    return [tuple(r) for r in rows]


async def scratch_rows(tenant_id: int) -> list[tuple]:
    """What a full recompute from scratch would store, computed without storing anything."""
    async with tenant_tx(tenant_id):
        figures = await dashboards.compute_municipality(on=await dashboards.today())
    return sorted((f.slice, f.metric, f.subject, f.year, f.label, f.value) for f in figures)


async def scratch_region_rows(region_id: int, members: list[int]) -> list[tuple]:
    by_municipality = {}
    for municipality_id in members:
        async with tenant_tx(municipality_id):
            by_municipality[municipality_id] = await dashboards.compute_municipality(
                on=await dashboards.today()
            )
    return sorted(
        (r.municipality_id, f.slice, f.metric, f.subject, f.year, f.label, f.value)
        for r in region_figures(by_municipality, dashboards.slices())
        for f in [r.figure]
    )
