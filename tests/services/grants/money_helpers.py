"""A tilsegn to pay against: a fund (optionally under a programme's strategy area, whose KPIs
a report's effects move), a business's application, assessed and granted by the official."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from services.grants import service as grants
from services.grants.schemas import PlanLine
from services.programmes import service as programmes
from services.programmes.schemas import StrategyAreaInput
from tenants.context import Scope, connection, tenant_tx
from tests.services.grants.grant_helpers import Fund, draft, new_fund, today
from tests.services.tendering.tendering_helpers import Business

ACCOUNT = "12345678903"  # 1234.56.78903: a valid check digit


@dataclass
class Tilsegn:
    fund: Fund
    business: Business
    application_id: int
    amount: Decimal


async def with_programme(fund: Fund) -> int:
    """Put the fund under a new programme's strategy area; returns the programme's id."""
    async with tenant_tx(fund.scope):
        programme_id = await programmes.create_programme(
            name="Omstilling Fonddal",
            kind="omstilling",
            period_start=2025,
            period_end=2030,
            actor_person_id=None,
        )
        areas = await programmes.set_strategy_areas(
            programme_id,
            [StrategyAreaInput("Reiseliv og opplevelser", "Reiseliv og opplevingar", Decimal(100))],
            actor_person_id=None,
        )
        await connection().execute(
            "update grant_fund set programme_id = $2, strategy_area_id = $3"
            " where tenant_id = app_tenant_id() and id = $1",
            fund.fund_id,
            programme_id,
            areas[0].id,
        )
    return programme_id


def plans(asked: int) -> dict:
    return {
        "costs": [PlanLine("Utstyr", Decimal(asked * 2))],
        "financing": [
            PlanLine("", Decimal(asked), source="this_fund"),
            PlanLine("", Decimal(asked), source="own"),
        ],
    }


async def grant(fund: Fund, application_id: int, deadline: date | None = None) -> None:
    """The official assesses and grants; the tilsegn's reporting deadline as given (or in a year)."""
    due = deadline or (await today()) + timedelta(days=365)
    async with tenant_tx(fund.scope):
        await grants.assess_application(application_id, comment="Ok", actor_person_id=fund.officer)
        await grants.decide_application(
            application_id,
            outcome="granted",
            reporting_deadline=due,
            actor_person_id=fund.officer,
        )


async def new_tilsegn(
    fund: Fund | None = None, *, asked: int = 200_000, business: Business | None = None, **kw
) -> Tilsegn:
    fund = fund or await new_fund(decision_limit=10_000_000, max_amount=10_000_000)
    business, application_id = await draft(fund, business, **plans(asked))
    async with tenant_tx(business.scope):
        await grants.submit_application(application_id, person_id=business.person_id)
    await grant(fund, application_id, kw.get("deadline"))
    return Tilsegn(fund, business, application_id, Decimal(asked))


async def request(t: Tilsegn, amount: int, kind: str = "part", **extra) -> int:
    async with tenant_tx(t.business.scope):
        return await grants.request_payment(
            t.application_id,
            kind=kind,
            amount=Decimal(amount),
            costs_incurred=Decimal(amount * 2),
            account_number=extra.pop("account_number", ACCOUNT),
            report=extra.pop("report", "Vi er i rute."),
            person_id=t.business.person_id,
            **extra,
        )


async def decide(t: Tilsegn, payment_id: int, outcome: str, reason: str = "") -> str:
    async with tenant_tx(t.fund.scope):
        return await grants.decide_payment(
            payment_id, outcome=outcome, reason=reason, actor_person_id=t.fund.officer
        )


async def kpi_actuals(fund: Fund, programme_id: int) -> dict[str, Decimal]:
    """The programme's KPIs by code, each at its latest measured value (those measured)."""
    async with tenant_tx(fund.scope):
        rows = await connection().fetch(
            "select k.code, (select m.value from kpi_measurement m where m.tenant_id = k.tenant_id"
            " and m.kpi_id = k.id order by m.measured_on desc, m.id desc limit 1) as value"
            " from kpi k where k.tenant_id = app_tenant_id() and k.programme_id = $1",
            programme_id,
        )
    return {r["code"]: r["value"] for r in rows if r["value"] is not None}


def business_scope(t: Tilsegn) -> Scope:
    return t.business.scope
