"""A municipality's home costs the same however much the municipality has done: each list of what
needs doing shows its first few and how many there are in all, read by a fixed number of
statements. Not timed: the statements are counted before and after the municipality grows."""

from __future__ import annotations

import html
import re
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pytest

from services.projects import service as projects
from services.projects.schemas import NewProject
from tenants.context import tenant_tx
from tests.web.auth.idp import Provider
from tests.web.browsing import open_site
from tests.web.dashboards.test_dashboard_cost import counted_statements
from tests.web.homes.test_homes import section
from tests.web.projects.plp_pages import browser, new_plp
from tests.web.tendering.tender_world import Buyer, new_tender
from web.municipality.controller import FIRST

GROWN = FIRST + 7  # decision points overdue after growing, beside the one new_plp makes


@pytest.fixture
async def site(settings, database, demo):
    async with open_site(settings, database, Provider(settings)) as site:
        yield site


async def _statements(monkeypatch, client, path: str) -> tuple[Counter, str]:
    await client.get(path)  # warm: the first request of a browser may differ
    with counted_statements(monkeypatch) as sent:
        response = await client.get(path)
    assert response.status_code == 200, response.text
    return Counter(sent), response.text


async def _at_a_decision_point(plp, n: int) -> None:
    """A pre-study with its pre-project planned, at its decision point, overdue by n days."""
    async with tenant_tx(plp.scope()):
        project_id = await projects.create_project(
            NewProject(
                title=f"Forstudie {n:02}",
                phase="forstudie",
                budget=Decimal(100_000),
                decided_on=date(2025, 3, 1),
                owner_person_id=plp.owner.id,
            ),
            actor_person_id=plp.owner.id,
        )
        await projects.plan_sub_project(
            project_id,
            "forprosjekt",
            mandate="Vidare",
            plan="Plan",
            budget=Decimal(200_000),
            actor_person_id=plp.owner.id,
        )
        await projects.reach_decision_point(
            project_id,
            due_date=date.today() - timedelta(days=30 + n),
            closing_report="Ferdig.",
            actor_person_id=plp.owner.id,
        )


async def test_the_home_reads_as_many_statements_for_many_projects_and_tenders_as_for_few(
    site, settings, monkeypatch
):
    plp = await new_plp(settings)
    client = await browser(site, plp.owner)
    few, page = await _statements(monkeypatch, client, plp.base)
    assert "The 1 most urgent" not in page  # all of one shown: no link to the rest

    for n in range(GROWN):
        await _at_a_decision_point(plp, n)
    buyer = Buyer(plp.tenant, plp.owner, plp.officer)
    for n in range(8):
        await new_tender(buyer, title=f"Anbod {n}")
    many, page = await _statements(monkeypatch, client, plp.base)

    assert many == few
    # BEGIN, the scope, the programmes, the decisions, the tenders, the reports, COMMIT, the
    # connection's reset.
    assert sum(many.values()) <= 8, many
    due = section(page, "decisions-due")
    assert len(re.findall(r"<li>", due)) == FIRST
    assert "Forstudie 11" in due and "Forstudie 00" not in due  # the longest overdue first
    rest = html.unescape(page[page.index('id="decisions-due"') :])
    assert f"The {FIRST} most urgent of {GROWN + 1}." in rest
    assert f'href="{plp.base}/projects?status=awaiting_decision"' in rest
