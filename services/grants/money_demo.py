"""The demo's money on a tilsegn (services/grants/demo.py grants it): Namdal Næringshage's part
payment, requested with a status report, approved and paid, the report approved and so its
effects counted into the programme's KPIs. Made through the use-cases; found again, so
loading twice changes nothing."""

from __future__ import annotations

from decimal import Decimal

from services.demo.seed import Demo
from services.grants import service as grants
from tenants.context import Scope, connection, tenant_tx
from tenants.identity import pid_hash

LISE, NAERINGSHAGE = "02039156789", "922817340"  # Lise Berg, admin of Namdal Næringshage
ACCOUNT = "12345678903"


async def load_money(demo: Demo, grong: int, arne: int, application_id: int) -> None:
    """A part payment on the tilsegn, paid, with its status report's effects counted."""
    organisation = demo.ids[NAERINGSHAGE]
    async with tenant_tx(Scope(organisation_id=organisation, pid_hash=pid_hash(demo.pid_key, LISE))):
        lise = await connection().fetchval("select id from person where pid_hash = app_pid_hash()")
    async with tenant_tx(Scope(organisation_id=organisation, person_id=lise)):
        if (await grants.tilsegn(application_id, as_applicant=True)).payments:
            return
        payment_id = await grants.request_payment(
            application_id,
            kind="part",
            amount=Decimal(40_000),
            costs_incurred=Decimal(95_000),
            account_number=ACCOUNT,
            report="Pakkane er klare og dei to første gruppene har vore på besøk.",
            kpi_effects={"new_jobs": Decimal(1)},
            person_id=lise,
        )
    async with tenant_tx(Scope(tenant_id=grong, person_id=arne)):
        for outcome in ("approved", "paid"):
            await grants.decide_payment(payment_id, outcome=outcome, actor_person_id=arne)
        # Arne approves the status report: its effects count in the programme's KPIs.
        report_id = (await grants.tilsegn(application_id, as_applicant=False)).payments[0].report_id
        await grants.approve_report(report_id, actor_person_id=arne)
