"""The regional council comments on a regional project's status report; only its own region's."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import asyncpg
import pytest

from services.errors import InvalidInput, NotFound
from services.projects import service as projects
from services.projects.schemas import StatusReportInput
from services.projects.service import CouncilOnly
from tenants.context import Scope, connection, tenant_tx
from tests.services.projects.plp_helpers import (
    kommunenummer,
    new_kommune,
    new_person,
    new_project,
    new_region,
)

pytestmark = pytest.mark.usefixtures("database")


@pytest.fixture
async def reported():
    """A regional project of two municipalities with one status report, and two councils."""
    lead, partner, outsider = [await new_kommune(n) for n in ("Leiar", "Partnar", "Utanfor")]
    region_id = await new_region(lead.id, partner.id, outsider.id)
    other_region = await new_region((await new_kommune("Annan")).id)
    shares = {
        await kommunenummer(lead.id): Decimal(50),
        await kommunenummer(partner.id): Decimal(50),
    }
    project_id = await new_project(lead.id, lead.owner, cost_shares=shares)
    async with tenant_tx(lead.scope(lead.officer)):
        report_id = await projects.add_status_report(
            project_id,
            StatusReportInput(
                period_start=date(2025, 1, 1),
                period_end=date(2025, 3, 31),
                progress="Tre bedrifter kartlagde.",
                spent=Decimal(10000),
                planned=Decimal(20000),
            ),
            actor_person_id=lead.officer,
        )
    council = await new_person("Rådsmedlem Rita", region_id=region_id)
    stranger = await new_person("Framand rådsmedlem", region_id=other_region)
    return {
        "lead": lead,
        "partner": partner,
        "outsider": outsider,
        "project_id": project_id,
        "report_id": report_id,
        "council": Scope(region_id=region_id, person_id=council),
        "council_id": council,
        "stranger": Scope(region_id=other_region, person_id=stranger),
    }


async def test_the_council_comments_and_the_projects_municipalities_read_it(reported):
    async with tenant_tx(reported["council"]):
        await projects.comment_on_status_report(
            reported["project_id"],
            reported["report_id"],
            "  Godt arbeid; hugs rapporten til fylket.  ",
            actor_person_id=reported["council_id"],
        )
    for who in ("lead", "partner"):
        async with tenant_tx(reported[who].scope()):
            comments = await projects.council_comments(reported["project_id"])
        [comment] = comments[reported["report_id"]]
        assert comment.body == "Godt arbeid; hugs rapporten til fylket."
        assert comment.author == "Rådsmedlem Rita"
    async with tenant_tx(reported["outsider"].scope()):
        assert await projects.council_comments(reported["project_id"]) == {}


async def test_an_empty_comment_is_refused_beside_its_field(reported):
    async with tenant_tx(reported["council"]):
        with pytest.raises(InvalidInput) as refused:
            await projects.comment_on_status_report(
                reported["project_id"], reported["report_id"], "   ", actor_person_id=None
            )
    assert refused.value.field == "body"


async def test_a_municipality_and_another_regions_council_may_not_comment(reported):
    async with tenant_tx(reported["lead"].scope()):
        with pytest.raises(CouncilOnly):
            await projects.comment_on_status_report(
                reported["project_id"], reported["report_id"], "Eiga ros", actor_person_id=None
            )
    async with tenant_tx(reported["stranger"]):
        with pytest.raises(projects.ProjectNotFound):
            await projects.comment_on_status_report(
                reported["project_id"], reported["report_id"], "Innblanding", actor_person_id=None
            )
    # Below the use-case, the policy refuses the same row.
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        async with tenant_tx(reported["lead"].scope()):
            await connection().execute(
                "insert into status_report_comment"
                " (tenant_id, project_id, status_report_id, region_id, body)"
                " select tenant_id, id, $2, region_id, 'x' from project where id = $1",
                reported["project_id"],
                reported["report_id"],
            )


async def test_a_comment_names_a_report_of_the_project(reported):
    async with tenant_tx(reported["council"]):
        with pytest.raises(NotFound):
            await projects.comment_on_status_report(
                reported["project_id"], reported["report_id"] + 10_000, "?", actor_person_id=None
            )
