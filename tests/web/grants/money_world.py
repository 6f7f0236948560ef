"""A municipality's tilsegn to a business, made through the use-cases by people who can log in,
for the money pages' tests and the route table's cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from services.grants import service as grants
from services.grants.schemas import PlanLine
from tenants.context import Scope, connection, tenant_tx
from tests.web.browsing import (
    Person,
    Tenant,
    in_municipality,
    new_organisation,
    new_person,
    new_tenant,
)

ACCOUNT = "1234.56.78903"


@dataclass
class MoneyWorld:
    tenant: Tenant
    admin: Person
    organisation_id: int
    organisasjonsnummer: str
    applicant: Person
    application_id: int

    @property
    def case(self) -> str:
        return f"/k/{self.tenant.kommunenummer}/grants/applications/{self.application_id}"

    @property
    def own(self) -> str:
        return f"/o/{self.organisasjonsnummer}/grants/applications/{self.application_id}"

    @property
    def municipality(self) -> Scope:
        return Scope(tenant_id=self.tenant.id, person_id=self.admin.id)

    @property
    def business(self) -> Scope:
        return Scope(organisation_id=self.organisation_id, person_id=self.applicant.id)


async def granted_application(
    tenant: Tenant,
    admin: Person,
    organisation_id: int,
    applicant: Person,
    *,
    asked: int = 200_000,
    decide: bool = True,
) -> int:
    """The business's application to a new fund of the municipality, assessed and (unless told
    otherwise) granted by its admin."""
    async with tenant_tx(Scope(tenant_id=tenant.id, person_id=admin.id)):
        fund_id = await grants.create_fund(
            name=f"Næringsfond, søknad på {asked // 1000} tusen",
            max_share=Decimal(50),
            max_amount=Decimal(10_000_000),
            decision_limit=Decimal(10_000_000),
            actor_person_id=admin.id,
        )
        today = await connection().fetchval("select (now() at time zone 'Europe/Oslo')::date")
        call_id = await grants.open_call(
            fund_id,
            title=f"Utlysing {tenant.kommunenummer}",
            description="",
            opens_on=today - timedelta(days=1),
            closes_on=today + timedelta(days=30),
            actor_person_id=admin.id,
        )
    async with tenant_tx(Scope(organisation_id=organisation_id, person_id=applicant.id)):
        application_id = await grants.start_application(
            call_id, title="Kanoturar", person_id=applicant.id
        )
        await grants.save_application(
            application_id,
            title="Kanoturar",
            summary="Guida turar.",
            project="Tre nye produkt.",
            effects="",
            costs=[PlanLine("Utstyr", Decimal(asked * 2))],
            financing=[
                PlanLine("", Decimal(asked), source="this_fund"),
                PlanLine("", Decimal(asked), source="own"),
            ],
            person_id=applicant.id,
        )
        await grants.submit_application(application_id, person_id=applicant.id)
    async with tenant_tx(Scope(tenant_id=tenant.id, person_id=admin.id)):
        await grants.assess_application(application_id, comment="Ok", actor_person_id=admin.id)
        if not decide:
            return application_id
        await grants.decide_application(
            application_id,
            outcome="granted",
            reporting_deadline=today + timedelta(days=200),
            actor_person_id=admin.id,
        )
    return application_id


async def money_world(settings, *, asked: int = 200_000) -> MoneyWorld:
    tenant = await new_tenant("Fondkommune")
    admin = await new_person(settings, "Admin", seat=in_municipality(tenant, "admin"))
    organisation_id, nr = await new_organisation("Søkjar AS")
    applicant = await new_person(
        settings,
        "Søkjar",
        seat={"scope": "organisation", "role": "admin", "organisation_id": organisation_id},
    )
    application_id = await granted_application(
        tenant, admin, organisation_id, applicant, asked=asked
    )
    return MoneyWorld(tenant, admin, organisation_id, nr, applicant, application_id)


async def requested(w: MoneyWorld, amount: int = 50_000, kind: str = "part") -> int:
    async with tenant_tx(w.business):
        return await grants.request_payment(
            w.application_id,
            kind=kind,
            amount=Decimal(amount),
            costs_incurred=Decimal(amount * 2),
            account_number=ACCOUNT,
            report="Vi er i rute.",
            person_id=w.applicant.id,
        )
