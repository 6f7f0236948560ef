"""Throwaway municipalities with a fund and an open call, and businesses that apply, for grants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from services.grants import service as grants
from services.grants.schemas import PlanLine
from services.programmes import service as programmes
from services.programmes.schemas import StrategyAreaInput
from tenants.context import Scope, connection, tenant_tx
from tests.services.tendering.tendering_helpers import Business, new_business, new_person
from tests.tenants.helpers import new_municipality

COSTS = [PlanLine("Utstyr", Decimal(300_000)), PlanLine("Marknad", Decimal(100_000))]
FINANCING = [
    PlanLine("Søkt", Decimal(200_000), source="this_fund"),
    PlanLine("Eigeninnsats", Decimal(200_000), source="own"),
]


@dataclass
class Fund:
    tenant_id: int
    officer: int
    fund_id: int
    call_id: int

    @property
    def scope(self) -> Scope:
        return Scope(tenant_id=self.tenant_id, person_id=self.officer)


async def today() -> date:
    async with tenant_tx(Scope()):
        return await connection().fetchval("select (now() at time zone 'Europe/Oslo')::date")


async def new_fund(
    *,
    max_share: int = 50,
    max_amount: int = 1_000_000,
    decision_limit: int = 500_000,
    opens_in: int = -1,
    closes_in: int = 30,
) -> Fund:
    tenant = await new_municipality("Fondkommune")
    officer = await new_person("case_officer", municipality_id=tenant)
    day = await today()
    async with tenant_tx(Scope(tenant_id=tenant, person_id=officer)):
        fund_id = await grants.create_fund(
            name="Næringsfond",
            max_share=Decimal(max_share),
            max_amount=Decimal(max_amount),
            decision_limit=Decimal(decision_limit),
            actor_person_id=officer,
        )
        call_id = await grants.open_call(
            fund_id,
            title="Utlysing",
            description="",
            opens_on=day + timedelta(days=opens_in),
            closes_on=day + timedelta(days=closes_in),
            actor_person_id=officer,
        )
    return Fund(tenant, officer, fund_id, call_id)


async def draft(fund: Fund, business: Business | None = None, **plans) -> tuple[Business, int]:
    """A business's draft under the fund's call, written whole (COSTS and FINANCING unless told)."""
    business = business or await new_business()
    async with tenant_tx(business.scope):
        application_id = await grants.start_application(
            fund.call_id, title="Kanoturar", person_id=business.person_id
        )
        await grants.save_application(
            application_id,
            title="Kanoturar",
            summary="Guida turar.",
            project="Tre nye produkt.",
            effects="To årsverk.",
            costs=plans.get("costs", COSTS),
            financing=plans.get("financing", FINANCING),
            person_id=business.person_id,
        )
    return business, application_id


async def submitted(fund: Fund, **plans) -> tuple[Business, int]:
    business, application_id = await draft(fund, **plans)
    async with tenant_tx(business.scope):
        await grants.submit_application(application_id, person_id=business.person_id)
    return business, application_id


@dataclass
class Board:
    fund: Fund
    programme_id: int
    members: list[int]


async def new_board_fund(*, decision_limit: int = 100_000, asks_for: tuple[str, ...] = ()) -> Board:
    """A fund of a programme's strategy area whose board (three members) decides above the limit."""
    tenant = await new_municipality("Styrekommune")
    officer = await new_person("case_officer", municipality_id=tenant)
    day = await today()
    async with tenant_tx(Scope(tenant_id=tenant, person_id=officer)):
        programme_id = await programmes.create_programme(
            name="Omstilling",
            kind="omstilling",
            period_start=2025,
            period_end=2030,
            actor_person_id=officer,
        )
        areas = await programmes.set_strategy_areas(
            programme_id,
            [StrategyAreaInput("Reiseliv", "Reiseliv", Decimal(100))],
            actor_person_id=officer,
        )
        members = [
            await programmes.add_board_member(
                programme_id, name=name, seat=seat, term_start=day, actor_person_id=officer
            )
            for name, seat in (
                ("Astrid Leiar", "politician"),
                ("Bjørn Bonde", "business"),
                ("Cecilie Kafé", "business"),
            )
        ]
        fund_id = await grants.create_fund(
            name="Omstillingsfond",
            strategy_area_id=areas[0].id,
            max_share=Decimal(50),
            max_amount=Decimal(1_000_000),
            decision_limit=Decimal(decision_limit),
            asks_for=asks_for,
            actor_person_id=officer,
        )
        call_id = await grants.open_call(
            fund_id,
            title="Utlysing",
            description="",
            opens_on=day - timedelta(days=1),
            closes_on=day + timedelta(days=30),
            actor_person_id=officer,
        )
    return Board(Fund(tenant, officer, fund_id, call_id), programme_id, members)
