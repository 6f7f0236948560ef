"""The demo's grants in Grong, made through the use-cases: one fund of the Indre Namdal
programme's tourism area, one open call, and three applications in different states: one
submitted from Fossli Rådgjeving, one granted by the official (a tilsegn with its conditions,
reporting deadline and letter) and one above the officials' limit, recommended to the board
and on the agenda of a board meeting with its attendance and habilitet recorded, waiting for
the votes. On the tilsegn, a part payment paid, with its status report (money_demo.py). Each
thing is found again by its name on the next load, so loading twice changes nothing."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from services.demo.seed import Demo
from services.grants import service as grants
from services.grants.money_demo import load_money
from services.grants.schemas import PlanLine
from tenants.context import Scope, connection, tenant_tx
from tenants.identity import pid_hash

GRONG = "5045"
ARNE = "12076512345"  # Arne Lyngstad, Grong's admin
METTE, FOSSLI = "19047867890", "931782258"  # Mette Fossli, admin of Fossli Rådgjeving
FUND = "Næringsfond Indre Namdal – reiseliv"
AREA = "Reiseliv og opplevelser"
CALL = "Utlysing 2026: opplevingsturisme"
APPLICATION = "Guida kanoturar på Namsen"
LISE, NAERINGSHAGE = "02039156789", "922817340"  # Lise Berg, admin of Namdal Næringshage
TILSEGN = "Vinterpakke for Namsskogan"
TO_THE_BOARD = "Opplevingsbase ved Tunnsjøen"
CONFLICTED = "Per Inge Kvam"  # the board member who owns shares in the applicant


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
    lise_scope = Scope(
        organisation_id=demo.ids[NAERINGSHAGE], pid_hash=pid_hash(demo.pid_key, LISE)
    )
    lise = await _person(lise_scope)
    async with tenant_tx(Scope(organisation_id=demo.ids[NAERINGSHAGE], person_id=lise)):
        mine = {a.title: a.id for a in await grants.own_applications()}
        granted = mine.get(TILSEGN) or await _submit(call_id, lise, TILSEGN, WINTER)
        to_board = mine.get(TO_THE_BOARD) or await _submit(call_id, lise, TO_THE_BOARD, BASE)
    async with tenant_tx(Scope(tenant_id=grong, person_id=arne)):
        await _grant(granted, arne)
        await _to_the_board(to_board, arne)
    await load_money(demo, grong, arne, granted)
    async with tenant_tx(grong):
        return {
            "grant funds": len(await grants.list_funds()),
            "grant calls": len(await grants.list_calls()),
            "grant applications": len(await grants.case_queue()),
            "grant board meetings": len(await grants.list_meetings()),
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
            PlanLine("Kanoar og utstyr", Decimal(180_000)),
            PlanLine("Produktutvikling og sal", Decimal(220_000)),
        ],
        financing=[
            PlanLine("Søkt frå fondet", Decimal(200_000), source="this_fund"),
            PlanLine("Eigeninnsats", Decimal(120_000), source="own"),
            PlanLine("Lån i banken", Decimal(80_000), source="loan"),
        ],
        person_id=person_id,
    )
    await grants.submit_application(application_id, person_id=person_id)


# (summary, project, costs, this fund, own funds): Lise's two applications.
WINTER = (
    "Vinterpakke med skuter, truger og overnatting for grupper i Namsskogan.",
    "Produktutvikling saman med to overnattingsstader og sal til turoperatørar.",
    Decimal(400_000),
    Decimal(150_000),
)
BASE = (
    "Ein ny base for padling og fjellturar ved Tunnsjøen.",
    "Naust, kajakkar og utstyr; opning sommaren 2027.",
    Decimal(1_400_000),
    Decimal(650_000),
)


async def _submit(call_id: int, person_id: int, title: str, plan: tuple) -> int:
    summary, project, cost, asked = plan
    application_id = await grants.start_application(call_id, title=title, person_id=person_id)
    await grants.save_application(
        application_id,
        title=title,
        summary=summary,
        project=project,
        effects="Eitt til to nye årsverk.",
        costs=[PlanLine("Investering og utvikling", cost)],
        financing=[
            PlanLine("Søkt frå fondet", asked, source="this_fund"),
            PlanLine("Eigne midlar", cost - asked, source="own"),
        ],
        person_id=person_id,
    )
    await grants.submit_application(application_id, person_id=person_id)
    return application_id


async def _grant(application_id: int, actor: int) -> None:
    """The official grants it under delegation: a tilsegn with terms and its letter."""
    if (await grants.case(application_id)).application.state != "submitted":
        return
    await grants.assess_application(
        application_id, comment="Godt forankra i reiselivsstrategien.", actor_person_id=actor
    )
    today = await connection().fetchval("select (now() at time zone 'Europe/Oslo')::date")
    await grants.decide_application(
        application_id,
        outcome="granted",
        conditions="Prosjektet startar innan tre månader.\nOffentleg omtale nemner fondet.",
        reporting_deadline=today + timedelta(days=365),
        actor_person_id=actor,
    )


async def _to_the_board(application_id: int, actor: int) -> None:
    """Above the limit: assessed, recommended, habilitet recorded, on a meeting's agenda."""
    if (await grants.case(application_id)).application.state != "submitted":
        return
    await grants.assess_application(
        application_id, comment="Stort og godt prosjekt; over grensa.", actor_person_id=actor
    )
    await grants.recommend_application(
        application_id,
        recommendation="granted",
        reason="Passar satsingsområdet og har god eigenfinansiering.",
        actor_person_id=actor,
    )
    programme_id = (await grants.case(application_id)).fund.programme_id
    board = await grants.board_of(programme_id)
    for member in board:
        if member.seat != "observer":
            await grants.declare_member(
                application_id,
                board_member_id=member.id,
                conflicted=member.name == CONFLICTED,
                note="Eig aksjar i søkjaren." if member.name == CONFLICTED else "",
                actor_person_id=actor,
            )
    today = await connection().fetchval("select (now() at time zone 'Europe/Oslo')::date")
    meeting_id = await grants.create_meeting(
        programme_id, held_on=today + timedelta(days=7), place="Grong rådhus", actor_person_id=actor
    )
    await grants.record_attendance(
        meeting_id, member_ids=[m.id for m in board], actor_person_id=actor
    )
