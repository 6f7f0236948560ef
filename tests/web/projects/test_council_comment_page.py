"""The regional council comments on a regional project's status report from the project page."""

from __future__ import annotations

import html
from datetime import date
from decimal import Decimal

import pytest

from services.projects import service as projects
from services.projects.schemas import NewProject, StatusReportInput
from services.tenancy import service as tenancy
from tenants.context import Scope, tenant_tx
from tests.web.auth.idp import Provider
from tests.web.browsing import new_person, new_tenant, open_site, post, text_of
from tests.web.projects.plp_pages import browser, field_error, new_plp


@pytest.fixture
async def site(settings, database, demo):
    async with open_site(settings, database, Provider(settings)) as site:
        yield site


@pytest.fixture
async def regional(settings, database, demo):
    """A regional project of the PLP municipality and a partner, with one status report."""
    plp = await new_plp(settings)
    partner = await new_tenant("Partnar")
    async with tenant_tx(Scope(operator=True)):
        await tenancy.add_to_region(plp.tenant.region_id, partner.id)
    async with tenant_tx(plp.scope()):
        project_id = await projects.create_project(
            NewProject(
                title=f"Felles {plp.tenant.kommunenummer}",
                phase="forstudie",
                budget=Decimal(100_000),
                decided_on=date(2025, 3, 1),
                owner_person_id=plp.owner.id,
                cost_shares={
                    plp.tenant.kommunenummer: Decimal(60),
                    partner.kommunenummer: Decimal(40),
                },
            ),
            actor_person_id=plp.owner.id,
        )
        report_id = await projects.add_status_report(
            project_id,
            StatusReportInput(
                period_start=date(2025, 3, 1),
                period_end=date(2025, 5, 31),
                progress="Kartlegging ferdig.",
                spent=Decimal(30_000),
                planned=Decimal(40_000),
            ),
            actor_person_id=plp.owner.id,
        )
    council = await new_person(
        settings,
        "Rådsmedlem Randi",
        seat={"scope": "region", "role": "council_member", "region_id": plp.tenant.region_id},
    )
    return plp, project_id, report_id, council


async def test_the_council_comments_and_the_lead_reads_it_on_its_page(site, regional):
    plp, project_id, report_id, council = regional
    client = await browser(site, council)
    page = f"/r/{plp.tenant.region_slug}/projects/{project_id}"
    shown = await client.get(page)
    assert f'action="{page}/status-reports/{report_id}/comments"' in html.unescape(shown.text)

    empty = await post(client, f"{page}/status-reports/{report_id}/comments", {"body": " "})
    assert empty.status_code == 422
    assert field_error(empty.text, f"comment-{report_id}") == "Fill in this field."

    sent = await post(
        client, f"{page}/status-reports/{report_id}/comments", {"body": "Hugs fylket sin frist."}
    )
    assert sent.status_code == 303
    assert sent.headers["location"] == f"{page}#report-{report_id}"

    lead = await browser(site, plp.owner)
    seen = text_of(await lead.get(f"{plp.base}/projects/{project_id}"))
    assert "Hugs fylket sin frist." in seen and "Rådsmedlem Randi" in seen
    # Only the council has the form.
    assert "/comments" not in (await lead.get(f"{plp.base}/projects/{project_id}")).text


async def test_a_municipality_cannot_post_a_council_comment(site, regional):
    plp, project_id, report_id, _ = regional
    lead = await browser(site, plp.owner)
    refused = await post(
        lead,
        f"/r/{plp.tenant.region_slug}/projects/{project_id}/status-reports/{report_id}/comments",
        {"body": "Eiga ros"},
        headers={"accept": "text/html"},
    )
    assert refused.status_code in (403, 404)
