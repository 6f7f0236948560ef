"""The dashboard pages: the council's region, a member's breakdown, a municipality's own with the
lists behind its figures; refreshed by htmx; every table exported as CSV and XLSX."""

from __future__ import annotations

import html
import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from services.dashboards import pages
from services.dashboards import service as dashboards
from services.projects import service as projects
from tenants.context import Scope, connection, tenant_tx
from tests.services.dashboards.dashboard_helpers import fill, new_place
from tests.services.projects.plp_helpers import kommunenummer
from tests.web.auth.idp import Provider
from tests.web.browsing import HTML, new_person, open_site, operator_rows, text_of


@pytest.fixture(scope="module")
async def dashboard(settings, database, demo):
    place = await new_place("Grafkommune")
    project_id = await fill(place)
    async with tenant_tx(place.scope()):
        await projects.reach_decision_point(
            project_id, due_date=date(2026, 1, 5), closing_report="Ferdig.", actor_person_id=None
        )
    await dashboards.refresh_municipalities_and_regions([place.id])
    nr = await kommunenummer(place.id)
    slug = (await operator_rows("select slug from region where id = $1", place.region_id))[0]
    council = await new_person(
        settings,
        "Rådsmedlem",
        seat={"scope": "region", "role": "council_member", "region_id": place.region_id},
    )
    staff = await new_person(
        settings,
        "Næringssjef",
        seat={"scope": "municipality", "role": "viewer", "municipality_id": place.id},
    )
    other = await new_place("Framand")
    stranger = await new_person(
        settings,
        "Framand rådsmedlem",
        seat={"scope": "region", "role": "council_member", "region_id": other.region_id},
    )
    async with open_site(settings, database, Provider(settings)) as site:
        yield {
            "place": place,
            "nr": nr,
            "slug": slug["slug"],
            "council": await site.browser(council.pid),
            "staff": await site.browser(staff.pid),
            "stranger": await site.browser(stranger.pid),
        }


def svgs(page: str) -> list[str]:
    return re.findall(r"<svg\b.*?</svg>", page, re.S)


async def test_a_council_member_sees_the_region_dashboard_with_charts_and_a_stamp(dashboard):
    response = await dashboard["council"].get(f"/r/{dashboard['slug']}/dashboard", headers=HTML)
    assert response.status_code == 200, response.text
    page = text_of(response)
    assert "Grafkommune" in page
    assert "Reiseliv" in page
    assert re.search(r"<time>\d\d\.\d\d\.\d{4} kl\. \d\d\.\d\d\.\d\d</time>", page)
    assert 'hx-trigger="every 2s"' in response.text
    assert "samspel:stored-dashboard" not in response.text, "the stored part stands in its mark"
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    charts = svgs(response.text)
    assert len(charts) == 2
    for svg in charts:
        assert "<script" not in svg and "<style" not in svg and " style=" not in svg
    # The drill-down to the member's breakdown, and nothing of the municipality's lists.
    assert f'href="/r/{dashboard["slug"]}/dashboard/k/{dashboard["nr"]}"' in page
    assert "/overdue" not in page and "/projects/" not in page


async def test_htmx_polling_gets_the_figures_fragment_only(dashboard):
    response = await dashboard["council"].get(
        f"/r/{dashboard['slug']}/dashboard", headers={"hx-request": "true"}
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="figures"')
    assert "<html" not in response.text


async def test_a_poll_of_unchanged_figures_gets_nothing_and_a_change_gets_the_fragment(dashboard):
    council, path = dashboard["council"], f"/r/{dashboard['slug']}/dashboard"
    first = await council.get(path, headers={"hx-request": "true"})
    poll = html.unescape(re.search(r'hx-get="([^"]+)"', first.text).group(1))
    assert poll.startswith(path + "?v=")
    unchanged = await council.get(poll, headers={"hx-request": "true"})
    assert (unchanged.status_code, unchanged.text) == (204, "")
    # A full page load is never short-cut, whatever it carries.
    assert (await council.get(poll, headers=HTML)).status_code == 200

    place = dashboard["place"]
    async with tenant_tx(place.scope()):
        await dashboards.recompute_here()  # same values, a newer "computed at"
    await dashboards.refresh_municipalities_and_regions([place.id])
    moved = await council.get(poll, headers={"hx-request": "true"})
    assert moved.status_code == 200
    assert moved.text.lstrip().startswith('<div id="figures"')


async def test_the_council_drills_down_to_a_member_and_no_further(dashboard):
    council, slug, nr = dashboard["council"], dashboard["slug"], dashboard["nr"]
    response = await council.get(f"/r/{slug}/dashboard/k/{nr}", headers=HTML)
    assert response.status_code == 200
    page = text_of(response)
    assert "Grafkommune" in page and "Reiseliv" in page
    assert (await council.get(f"/k/{nr}/dashboard", headers=HTML)).status_code == 404
    assert (await council.get(f"/k/{nr}/dashboard/overdue", headers=HTML)).status_code == 404


async def test_someone_outside_the_region_gets_404(dashboard):
    slug, nr = dashboard["slug"], dashboard["nr"]
    for path in (f"/r/{slug}/dashboard", f"/r/{slug}/dashboard/k/{nr}"):
        assert (await dashboard["stranger"].get(path, headers=HTML)).status_code == 404
        assert (await dashboard["staff"].get(path, headers=HTML)).status_code == 404


async def test_municipality_staff_see_their_figures_and_the_lists_behind_them(dashboard):
    staff, nr = dashboard["staff"], dashboard["nr"]
    page = text_of(await staff.get(f"/k/{nr}/dashboard", headers=HTML))
    assert f'href="/k/{nr}/dashboard/overdue"' in page
    assert f'href="/k/{nr}/dashboard/projects/forstudie"' in page
    overdue = await staff.get(f"/k/{nr}/dashboard/overdue", headers=HTML)
    assert overdue.status_code == 200
    assert "05.01.2026" in text_of(overdue)  # the page writes the day; the export keeps ISO
    running = await staff.get(f"/k/{nr}/dashboard/projects/forstudie", headers=HTML)
    assert running.status_code == 200
    assert "/k/" + nr + "/projects/" in text_of(running)
    assert (await staff.get(f"/k/{nr}/dashboard/projects/nothing", headers=HTML)).status_code == 404


def csv_rows(body: bytes) -> list[list[str]]:
    return [line.split(";") for line in body.decode("utf-8-sig").strip().split("\r\n")]


def xlsx_rows(body: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(body)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize(
    "who,path,table,expected",
    [
        ("council", "/r/{slug}/dashboard", "municipalities", ["Grafkommune", "1000000", "350000"]),
        ("council", "/r/{slug}/dashboard", "money", ["Reiseliv", "2026", "600000", "350000"]),
        ("council", "/r/{slug}/dashboard", "kpis", ["New jobs", "2026", "10", "4"]),
        ("council", "/r/{slug}/dashboard", "projects", ["Pre-study", "1"]),
        ("council", "/r/{slug}/dashboard", "tenders", ["Open for bids", "0"]),
        ("staff", "/k/{nr}/dashboard", "money", ["Industri", "2026", "400000", "0", "0"]),
        ("staff", "/k/{nr}/dashboard", "kpis", ["New jobs", "2026", "10", "4"]),
        ("staff", "/k/{nr}/dashboard", "projects", ["Decision points overdue", "1"]),
        ("staff", "/k/{nr}/dashboard", "tenders", ["Awarded", "0"]),
        ("staff", "/k/{nr}/dashboard", "overdue", ["2026-01-05"]),
        ("staff", "/k/{nr}/dashboard", "projects-forstudie", ["350000"]),
    ],
)
async def test_every_table_exports_as_csv_and_xlsx_with_its_rows(
    dashboard, who, path, table, expected
):
    client = dashboard[who]
    base = path.format(slug=dashboard["slug"], nr=dashboard["nr"]) + "/export/" + table
    headers = {"accept-language": "en"}
    csv_response = await client.get(base + "?format=csv", headers=headers)
    assert csv_response.status_code == 200, csv_response.text
    assert csv_response.headers["content-type"].startswith("text/csv")
    assert "attachment" in csv_response.headers["content-disposition"]
    rows = csv_rows(csv_response.content)
    assert any(all(cell in row for cell in expected) for row in rows[1:]), rows
    xlsx = await client.get(base + "?format=xlsx", headers=headers)
    assert xlsx.status_code == 200
    sheet = [[("" if v is None else str(v)) for v in row] for row in xlsx_rows(xlsx.content)]
    assert sheet == rows


async def test_an_unknown_table_or_format_is_404(dashboard):
    staff, nr = dashboard["staff"], dashboard["nr"]
    assert (await staff.get(f"/k/{nr}/dashboard/export/secrets?format=csv")).status_code == 404
    assert (await staff.get(f"/k/{nr}/dashboard/export/money?format=pdf")).status_code == 404


async def test_a_dashboard_before_any_figure_says_so(settings, database, demo):
    place = await new_place("Tomkommune")
    staff = await new_person(
        settings,
        "Ny",
        seat={"scope": "municipality", "role": "viewer", "municipality_id": place.id},
    )
    async with open_site(settings, database, Provider(settings)) as site:
        client = await site.browser(staff.pid)
        page = text_of(await client.get(f"/k/{await kommunenummer(place.id)}/dashboard"))
    assert "Not computed yet" in page or "Ikkje rekna ut" in page or "Ikke beregnet" in page
    async with tenant_tx(Scope(tenant_id=place.id)):
        assert (await dashboards.figures_for_municipality()).figures == []


async def test_a_dashboard_the_worker_has_not_written_yet_is_written_for_the_request_alone(
    dashboard,
):
    """As before the first recompute, after an upgrade that changed how pages are written, or
    after a recompute that wrote none: the page is written from the stored figures and charts
    for this request, and not kept."""
    place, nr, slug = dashboard["place"], dashboard["nr"], dashboard["slug"]
    stored = {
        "municipality_page": (place.scope(), "tenant_id = app_tenant_id()"),
        "region_page": (Scope(region_id=place.region_id), "region_id = app_region_id()"),
    }

    async def rows(table: str, change: str = "") -> int:
        """How many of the place's pages of this layout the table holds, after `change`."""
        scope, mine = stored[table]
        async with tenant_tx(scope):
            if change:
                await connection().execute(change.format(table=table, mine=mine))
            return await connection().fetchval(
                f"select count(*) from {table} where {mine} and layout = $1 and body <> 'older'",
                pages.LAYOUT,
            )

    # The municipality's page as written for another version of its figures (by a release that
    # wrote none since); the region's in an older layout.
    await rows(
        "municipality_page", "update {table} set version = 'v0', body = 'older' where {mine}"
    )
    await rows("region_page", "update {table} set layout = 'older', body = 'older' where {mine}")
    assert [await rows(t) for t in stored] == [0, 0]
    try:
        for who, path, shown in (
            ("staff", f"/k/{nr}/dashboard", f'href="/k/{nr}/dashboard/overdue"'),
            ("council", f"/r/{slug}/dashboard", f'href="/r/{slug}/dashboard/k/{nr}"'),
            ("council", f"/r/{slug}/dashboard/k/{nr}", 'data-table="projects"'),
        ):
            response = await dashboard[who].get(path, headers=HTML)
            assert response.status_code == 200, response.text
            assert shown in text_of(response) and len(svgs(response.text)) == 2
            assert "older" not in response.text
            assert "<time>" in response.text
        assert (await dashboard["council"].get(f"/r/{slug}/dashboard/k/0000")).status_code == 404
        assert [await rows(t) for t in stored] == [0, 0]
    finally:
        await dashboards.refresh_municipalities_and_regions([place.id])
    assert [await rows(t) for t in stored] == [3, 6]
