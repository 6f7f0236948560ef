"""A municipality that is not in the demo: its people, a neighbour in its region, no programme."""

from __future__ import annotations

from dataclasses import dataclass

from services.programmes import service as programmes
from services.tenancy import service as tenancy
from tenants.context import Scope, tenant_tx
from tests.web.browsing import OPERATOR, Person, Tenant, in_municipality, new_person, new_tenant


@dataclass
class Blank:
    tenant: Tenant
    neighbour: Tenant
    admin: Person
    officer: Person
    board: Person
    viewer: Person

    @property
    def base(self) -> str:
        return f"/k/{self.tenant.kommunenummer}"

    def scope(self) -> Scope:
        return Scope(tenant_id=self.tenant.id, person_id=self.admin.id)


async def new_blank(settings) -> Blank:
    tenant = await new_tenant("Nykommune")
    neighbour = await new_tenant("Grannekommune")
    async with tenant_tx(OPERATOR):  # the neighbour joins the first one's region too
        await tenancy.add_to_region(tenant.region_id, neighbour.id)
    people = {
        role: await new_person(settings, role.title(), seat=in_municipality(tenant, role))
        for role in ("admin", "case_officer", "board_member", "viewer")
    }
    return Blank(
        tenant,
        neighbour,
        people["admin"],
        people["case_officer"],
        people["board_member"],
        people["viewer"],
    )


async def overview(blank: Blank, programme_id: int):
    async with tenant_tx(blank.scope()):
        return await programmes.programme_overview(programme_id)


async def the_programme(blank: Blank) -> int:
    async with tenant_tx(blank.scope()):
        [found] = await programmes.list_programmes()
    return found.id
