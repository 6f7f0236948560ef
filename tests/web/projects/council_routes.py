"""The regional council's routes' cases for tests/web/test_route_table.py: CSRF attempts, and
asks for another region's projects and reports. The route table wraps them in its own Attempt
and Ask."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from services.demo.data import PERSONS
from services.projects import service as projects
from services.projects.schemas import NewProject, StatusReportInput
from services.tenancy import service as tenancy
from tenants.context import tenant_tx
from tests.web.browsing import OPERATOR, new_person, new_tenant, operator_rows
from tests.web.projects.plp_pages import new_plp

COMMENTS = "/r/{region_slug:str}/projects/{project_id:int}/status-reports/{report_id:int}/comments"
COUNCIL_INVITATIONS = "/operator/regions/{region_slug:str}/council-invitations"
REGION_INVITATIONS = "/r/{region_slug:str}/council-invitations"


async def regional_report(settings) -> tuple:
    """A regional project of a new municipality and a partner, its status report, a council."""
    plp = await new_plp(settings)
    partner = await new_tenant("Partnar")
    async with tenant_tx(OPERATOR):
        await tenancy.add_to_region(plp.tenant.region_id, partner.id)
    async with tenant_tx(plp.scope()):
        project_id = await projects.create_project(
            NewProject(
                title="Felles",
                phase="forstudie",
                budget=Decimal(100_000),
                decided_on=date(2025, 3, 1),
                owner_person_id=plp.owner.id,
                cost_shares={plp.tenant.kommunenummer: Decimal(50), partner.kommunenummer: 50},
            ),
            actor_person_id=plp.owner.id,
        )
        report_id = await projects.add_status_report(
            project_id,
            StatusReportInput(
                period_start=date(2025, 3, 1),
                period_end=date(2025, 5, 31),
                progress="Godt i gang.",
                spent=Decimal(1),
                planned=Decimal(1),
            ),
            actor_person_id=plp.owner.id,
        )
    council = await new_person(
        settings,
        "Rådsmedlem",
        seat={"scope": "region", "role": "council_member", "region_id": plp.tenant.region_id},
    )
    return plp, project_id, report_id, council


async def csrf_comment(site, settings):
    plp, project_id, report_id, council = await regional_report(settings)
    client = await site.browser(council.pid)

    async def probe():
        async with tenant_tx(plp.scope()):
            return await projects.council_comments(project_id)

    path = f"/r/{plp.tenant.region_slug}/projects/{project_id}/status-reports/{report_id}/comments"
    return client, path, {"body": "CSRF"}, probe, None


async def csrf_council_invitation(site, settings):
    tenant = await new_tenant()
    client = await site.browser(OPERATOR_PID)

    async def probe():
        return await operator_rows(
            "select count(*) as n from invitation where region_id = $1", tenant.region_id
        )

    path = f"/operator/regions/{tenant.region_slug}/council-invitations"
    return client, path, {"email": "raad@test.example"}, probe, None


async def csrf_region_invitation(site, settings):
    tenant = await new_tenant()
    admin = await new_person(
        settings,
        "Rådsadmin",
        seat={"scope": "region", "role": "admin", "region_id": tenant.region_id},
    )
    client = await site.browser(admin.pid)

    async def probe():
        return await operator_rows(
            "select count(*) as n from invitation where region_id = $1", tenant.region_id
        )

    path = f"/r/{tenant.region_slug}/council-invitations"
    return client, path, {"email": "raad@test.example"}, probe, None


OPERATOR_PID = next(p.pid for p in PERSONS if p.name == "Henrik Solberg")

CSRF = {
    ("POST", COMMENTS): csrf_comment,
    ("POST", COUNCIL_INVITATIONS): csrf_council_invitation,
    ("POST", REGION_INVITATIONS): csrf_region_invitation,
}


def _council(slug_of: str, project_of: str) -> Callable[[Any], dict]:
    def values(w) -> dict:
        return {
            "region_slug": getattr(w, slug_of).region_slug,
            "project_id": w.extra[project_of].projects["industry"],
            "report_id": 1,
        }

    return values


# (label, who, values, status, data): A's council comments on B's project under A's own region
# (row-level security hides it) and under B's region (the guard refuses); A's admin is no council.
CROSS = {
    ("POST", COMMENTS): [
        ("A's region, B's project", "council_a", _council("a", "plp_b"), 404, {"body": "x"}),
        ("B's region and project", "council_a", _council("b", "plp_b"), 404, {"body": "x"}),
        ("A municipality's admin", "admin_a", _council("a", "plp_a"), 404, {"body": "x"}),
    ],
    ("POST", REGION_INVITATIONS): [
        (
            "B's region",
            "council_a",
            lambda w: {"region_slug": w.b.region_slug},
            404,
            {"email": "x@test.example"},
        ),
    ],
    ("POST", COUNCIL_INVITATIONS): [
        (
            "Not the operator",
            "admin_a",
            lambda w: {"region_slug": w.a.region_slug},
            404,
            {"email": "x@test.example"},
        ),
    ],
}
