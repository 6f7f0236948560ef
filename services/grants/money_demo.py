"""The demo's grant cases beyond the submitted one (services/grants/demo.py): Namdal Næringshage's
application in assessment, and Fossli Rådgjeving's tilsegn with a part payment paid and a status
report. Made through the use-cases; found again by title, so loading twice changes nothing."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from services.demo.seed import Demo
from services.grants import service as grants
from services.grants.schemas import CostLineInput, FinancingLineInput
from tenants.context import Scope, connection, tenant_tx
from tenants.identity import pid_hash

LISE, HAGE = "02039156789", "922817340"  # Lise Berg, admin of Namdal Næringshage
METTE, FOSSLI = "19047867890", "931782258"
IN_ASSESSMENT = "Vinterfiske og nordlys på Tunnsjøen"
GRANTED = "Lokalmat-opplevingar i Grong"
ACCOUNT = "12345678903"


async def _person(demo: Demo, pid: str, **scope) -> int:
    async with tenant_tx(Scope(pid_hash=pid_hash(demo.pid_key, pid), **scope)):
        return await connection().fetchval("select id from person where pid_hash = app_pid_hash()")


async def _applied(demo: Demo, pid: str, number: str, call_id: int, title: str, asked: int) -> int:
    """The organisation's submitted application of this title (made now if it is not there)."""
    organisation = demo.ids[number]
    person = await _person(demo, pid, organisation_id=organisation)
    async with tenant_tx(Scope(organisation_id=organisation, person_id=person)):
        found = [a for a in await grants.own_applications() if a.title == title]
        if found:
            return found[0].id
        application_id = await grants.start_application(call_id, title=title, person_id=person)
        await grants.save_application(
            application_id,
            title=title,
            summary=f"{title}: eit nytt heilårsprodukt for gjester frå inn- og utland.",
            project="Vi utviklar, testar og sel produktet saman med lokale partnarar.",
            effects="Eitt nytt årsverk og fleire gjestedøgn.",
            costs=[
                CostLineInput("Utstyr og produktutvikling", Decimal(asked)),
                CostLineInput("Marknadsføring og sal", Decimal(asked)),
            ],
            financing=[
                FinancingLineInput("this_fund", Decimal(asked), "Søkt frå fondet"),
                FinancingLineInput("own", Decimal(asked), "Eigeninnsats og eigne midlar"),
            ],
            person_id=person,
        )
        await grants.submit_application(application_id, person_id=person)
    return application_id


async def load_money(demo: Demo, grong: int, arne: int, call_id: int) -> None:
    assessed = await _applied(demo, LISE, HAGE, call_id, IN_ASSESSMENT, 150_000)
    granted = await _applied(demo, METTE, FOSSLI, call_id, GRANTED, 120_000)
    async with tenant_tx(Scope(tenant_id=grong, person_id=arne)):
        for application_id in (assessed, granted):
            if (await grants.case(application_id)).application.state == "submitted":
                await grants.assess_application(
                    application_id,
                    comment="Godt forankra i reiselivsstrategien; realistisk finansiering.",
                    actor_person_id=arne,
                )
        if (await grants.case(granted)).application.state == "in_assessment":
            today = await connection().fetchval("select (now() at time zone 'Europe/Oslo')::date")
            # Sixty days on: the first reminder goes out on the day the demo is loaded.
            await grants.decide_application(
                granted,
                outcome="granted",
                conditions="Sluttrapport med rekneskap stadfesta av revisor.",
                reporting_deadline=today + timedelta(days=60),
                actor_person_id=arne,
            )
    await _part_payment(demo, grong, arne, granted)


async def _part_payment(demo: Demo, grong: int, arne: int, application_id: int) -> None:
    organisation = demo.ids[FOSSLI]
    mette = await _person(demo, METTE, organisation_id=organisation)
    async with tenant_tx(Scope(organisation_id=organisation, person_id=mette)):
        if (await grants.tilsegn(application_id, as_applicant=True)).payments:
            return
        payment_id = await grants.request_payment(
            application_id,
            kind="part",
            amount=Decimal(40_000),
            costs_incurred=Decimal(95_000),
            account_number=ACCOUNT,
            report="Menyen er klar og dei to første gruppene har vore på besøk.",
            kpi_effects={"new_jobs": Decimal(1)},
            person_id=mette,
        )
    async with tenant_tx(Scope(tenant_id=grong, person_id=arne)):
        for outcome in ("approved", "paid"):
            await grants.decide_payment(payment_id, outcome=outcome, actor_person_id=arne)
        # What the worker does when it hears of the report, done here so the demo's KPIs hold
        # it from the start; the worker then finds it counted.
        report_id = (await grants.tilsegn(application_id, as_applicant=False)).payments[0].report_id
        await grants.count_report_effects(report_id)


