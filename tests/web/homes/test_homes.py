"""Each audience's home lists what needs doing now and links to every area it has."""

from __future__ import annotations

import html
from datetime import date, timedelta

import pytest

from services.projects import service as projects
from tenants.context import tenant_tx
from tests.web.auth.idp import Provider
from tests.web.browsing import new_person, open_site, text_of
from tests.web.projects.council_routes import regional_report
from tests.web.projects.plp_pages import browser, new_plp
from tests.web.tendering.tender_world import (
    Buyer,
    bid,
    db_clock,
    new_business,
    new_tender,
    wait_for,
)


@pytest.fixture
async def site(settings, database, demo):
    async with open_site(settings, database, Provider(settings)) as site:
        yield site


def section(page: str, id_: str) -> str:
    """The text of the element with this id, up to the end of its list."""
    start = page.index(f'id="{id_}"')
    return html.unescape(page[start : page.index("</ul>", start)])


async def test_the_municipalitys_home_lists_the_decision_due_and_every_area(site, settings):
    plp = await new_plp(settings)
    client = await browser(site, plp.owner)
    page = (await client.get(plp.base)).text
    due = section(page, "decisions-due")
    async with tenant_tx(plp.scope()):
        industry = await projects.get_project(plp.projects["industry"])
    assert industry.summary.title in due and "Overdue" in due
    assert plp.titles["tourism"] not in due  # no decision point set yet
    areas = section(page, "areas-heading")
    for area in ("programmes", "projects", "tenders", "dashboard", "members"):
        assert f'href="{plp.base}/{area}"' in areas, area


async def test_a_tender_past_its_deadline_waits_on_the_home_to_be_opened(site, settings):
    plp = await new_plp(settings)
    buyer = Buyer(plp.tenant, plp.owner, plp.officer)
    deadline = await db_clock() + timedelta(seconds=2)
    waiting = await new_tender(buyer, bid_deadline=deadline, title="Opnast snart")
    await new_tender(buyer, title="Framleis open")
    await bid(settings, await new_business(settings), waiting, "100000")
    await wait_for(deadline)
    client = await browser(site, plp.owner)
    to_open = section((await client.get(plp.base)).text, "bids-to-open")
    assert "Opnast snart" in to_open and "Framleis open" not in to_open
    assert f'href="{plp.base}/tenders/{waiting}"' in to_open


async def test_a_project_without_a_report_for_a_quarter_is_due(settings, database, demo):
    plp = await new_plp(settings)
    async with tenant_tx(plp.scope()):
        now, none = await projects.status_reports_due(date.today())
        later, total = await projects.status_reports_due(date.today() + timedelta(days=100))
    assert (now, none) == ([], 0)
    assert plp.projects["tourism"] in {r.project_id for r in later} and total == len(later)
    # A project awaiting its decision reports no more until it goes on.
    assert plp.projects["industry"] not in {r.project_id for r in later}


async def test_the_councils_home_lists_its_members_and_regional_projects(site, settings):
    plp, project_id, _, council = await regional_report(settings)
    client = await browser(site, council)
    page = (await client.get(f"/r/{plp.tenant.region_slug}")).text
    assert council.name in section(page, "council-members")
    projects_table = html.unescape(page[page.index('id="regional-projects"') :])
    assert f'href="/r/{plp.tenant.region_slug}/projects/{project_id}"' in projects_table
    assert plp.titles["food"] not in page  # the lead's own projects are not the council's


async def test_the_organisations_home_lists_open_tenders_and_its_areas(site, settings):
    business = await new_business(settings)
    buyer_plp = await new_plp(settings)
    open_one = await new_tender(
        Buyer(buyer_plp.tenant, buyer_plp.owner, buyer_plp.officer), title="Open for bod"
    )
    client = await site.browser(business.admin.pid)
    page = text_of(await client.get(business.base, headers={"accept-language": "en"}))
    raw = html.unescape((await client.get(business.base)).text)
    assert "Open for bod" in page
    assert f'href="{business.base}/tenders/{open_one}"' in raw
    assert f'href="{business.base}/bids"' in raw


async def test_a_person_without_a_role_sees_breadcrumbs_home(site, settings):
    person = await new_person(settings, "Utan rolle")
    client = await browser(site, person)
    page = html.unescape((await client.get("/me")).text)
    crumbs = page[
        page.index('class="breadcrumbs"') : page.index("</nav>", page.index('class="breadcrumbs"'))
    ]
    assert 'href="/"' in crumbs and 'aria-current="page"' in crumbs
