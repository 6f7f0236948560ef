"""The demo's grants in Grong, made through the use-cases: one fund of the Indre Namdal
programme's tourism area, one open call, and one submitted application from Fossli Rådgjeving.
Each thing is found again by its name on the next load, so loading twice changes nothing."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from services.demo.seed import Demo
from services.grants import service as grants
from services.grants.money_demo import load_money
from services.grants.schemas import CostLineInput, FinancingLineInput
from tenants.context import Scope, connection, tenant_tx
from tenants.identity import pid_hash

GRONG = "5045"
ARNE = "12076512345"  # Arne Lyngstad, Grong's admin
METTE, FOSSLI = "19047867890", "931782258"  # Mette Fossli, admin of Fossli Rådgjeving
FUND = "Næringsfond Indre Namdal – reiseliv"
AREA = "Reiseliv og opplevelser"
CALL = "Utlysing 2026: opplevingsturisme"
APPLICATION = "Guida kanoturar på Namsen"


async def load_grants(demo: Demo) -> dict[str, int]:
    grong, organisation = demo.ids[GRONG], demo.ids[FOSSLI]
    arne = await _person(Scope(tenant_id=grong, pid_hash=pid_hash(demo.pid_key, ARNE)))
    async with tenant_tx(Scope(tenant_id=grong, person_id=arne)):
        call_id = await _fund_and_call(arne)
    mette_scope = Scope(organisation_id=organisation, pid_hash=pid_hash(demo.pid_key, METTE))
    mette = await _person(mette_scope)
    async with tenant_tx(Scope(organisation_id=organisation, person_id=mette)):
        if not any(a.title == APPLICATION for a in await grants.own_applications()):
            await _apply(call_id, mette)
    await load_money(demo, grong, arne, call_id)
    async with tenant_tx(grong):
        return {
            "grant funds": len(await grants.list_funds()),
            "grant calls": len(await grants.list_calls()),
            "grant applications": len(await grants.case_queue()),
            "grant payments": len(await grants.payment_queue()),
        }


async def _person(scope: Scope) -> int:
    async with tenant_tx(scope):
        return await connection().fetchval("select id from person where pid_hash = app_pid_hash()")


async def _fund_and_call(actor: int) -> int:
    db = connection()
    fund_id = await db.fetchval(
        "select id from grant_fund where tenant_id = app_tenant_id() and name = $1", FUND
    )
    if fund_id is None:
        area = await db.fetchval(
            "select id from strategy_area where tenant_id = app_tenant_id() and name_nb = $1"
            " order by id limit 1",
            AREA,
        )
        fund_id = await grants.create_fund(
            name=FUND,
            strategy_area_id=area,
            max_share=Decimal(50),
            max_amount=Decimal(1_000_000),
            decision_limit=Decimal(500_000),
            actor_person_id=actor,
        )
    call_id = await db.fetchval(
        "select id from grant_call where tenant_id = app_tenant_id() and title = $1", CALL
    )
    if call_id is None:
        today = await db.fetchval("select (now() at time zone 'Europe/Oslo')::date")
        call_id = await grants.open_call(
            fund_id,
            title=CALL,
            description="Tilskot til nye opplevingsprodukt langs Namsen og i fjellet.",
            opens_on=today - timedelta(days=14),
            closes_on=today + timedelta(days=60),
            actor_person_id=actor,
        )
    return call_id


async def _apply(call_id: int, person_id: int) -> None:
    application_id = await grants.start_application(call_id, title=APPLICATION, person_id=person_id)
    await grants.save_application(
        application_id,
        title=APPLICATION,
        summary="Guida kanoturar med overnatting i lavvo for grupper frå inn- og utland.",
        project="Vi utviklar og testar tre produkt saman med to overnattingsverksemder.",
        effects="To nye årsverk og fleire gjestedøgn i Grong.",
        costs=[
            CostLineInput("Kanoar og utstyr", Decimal(180_000)),
            CostLineInput("Produktutvikling og sal", Decimal(220_000)),
        ],
        financing=[
            FinancingLineInput("this_fund", Decimal(200_000), "Søkt frå fondet"),
            FinancingLineInput("own", Decimal(120_000), "Eigeninnsats"),
            FinancingLineInput("loan", Decimal(80_000), "Lån i banken"),
        ],
        person_id=person_id,
    )
    await grants.submit_application(application_id, person_id=person_id)
