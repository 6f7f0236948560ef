"""Throwaway regions, persons and projects for the PLP tests, made through the use-cases."""

from __future__ import annotations

import secrets
from datetime import date
from decimal import Decimal

from services.projects import service as projects
from services.projects.schemas import NewProject, StatusReportInput
from services.tenancy import service as tenancy
from tenants.context import Scope, tenant_tx
from tests.tenants.helpers import new_municipality

OPERATOR = Scope(operator=True)
# A quarter's status report, as a project's officer sends it.
REPORT = StatusReportInput(
    period_start=date(2025, 4, 1),
    period_end=date(2025, 6, 30),
    progress="Intervju med tolv bedrifter.",
    spent=Decimal(100000),
    planned=Decimal(120000),
)


async def new_region(*municipalities: int) -> int:
    async with tenant_tx(OPERATOR):
        region_id = await tenancy.ensure_region(f"test-{secrets.token_hex(4)}", "Testregion")
        for municipality_id in municipalities:
            await tenancy.add_to_region(region_id, municipality_id)
    return region_id


async def new_person(
    name: str,
    *,
    municipality_id: int | None = None,
    role: str = "case_officer",
    region_id: int | None = None,
) -> int:
    async with tenant_tx(Scope(operator=True, pid_hash=secrets.token_bytes(32))):
        person_id = await tenancy.ensure_person(name, f"{secrets.token_hex(4)}@test.example", "nn")
        if municipality_id is not None:
            await tenancy.grant_membership(
                person_id, "municipality", role, municipality_id=municipality_id
            )
        if region_id is not None:
            await tenancy.grant_membership(
                person_id, "region", "council_member", region_id=region_id
            )
    return person_id


async def kommunenummer(municipality_id: int) -> str:
    async with tenant_tx(OPERATOR) as tx:
        return await tx.connection.fetchval(
            "select kommunenummer from municipality where id = $1", municipality_id
        )


async def new_project(
    lead: int, owner: int, *, phase: str = "forstudie", budget: str = "350000", **extra
) -> int:
    async with tenant_tx(Scope(tenant_id=lead, person_id=owner)):
        return await projects.create_project(
            NewProject(
                title=extra.pop("title", f"Prosjekt {secrets.token_hex(3)}"),
                phase=phase,
                budget=Decimal(budget),
                decided_on=extra.pop("decided_on", date(2025, 1, 15)),
                owner_person_id=owner,
                **extra,
            ),
            actor_person_id=owner,
        )


class Kommune:
    """A municipality for a test, with its owner-to-be (an admin) and a case officer."""

    def __init__(self, id: int, owner: int, officer: int) -> None:
        self.id, self.owner, self.officer = id, owner, officer

    def scope(self, person: int | None = None) -> Scope:
        return Scope(tenant_id=self.id, person_id=person or self.owner)


async def new_kommune(name: str = "Testkommune") -> Kommune:
    municipality_id = await new_municipality(name)
    owner = await new_person(f"Eigar {name}", municipality_id=municipality_id, role="admin")
    officer = await new_person(f"Sakshandsamar {name}", municipality_id=municipality_id)
    return Kommune(municipality_id, owner, officer)
