"""Every grant list downloads as CSV and XLSX from its own page (?format=), holding the rows the
page shows, with the page's filter: the municipality's queue by state, a call's ranking, the
board meetings, the payments, and the business's own applications. Another municipality's or
organisation's person gets no file."""

from __future__ import annotations

import re

import pytest

from services.grants import service as grants
from tenants.context import tenant_tx
from tests.web.auth.idp import Provider
from tests.web.browsing import in_municipality, new_person, new_tenant, open_site, text_of
from tests.web.grants.grant_routes import BoardWorld
from tests.web.grants.money_world import money_world, requested
from tests.web.grants.test_money_pages import _csv_rows, _xlsx_rows, browser

CSV = "text/csv; charset=utf-8"


@pytest.fixture
async def site(settings, database, demo):
    async with open_site(settings, database, Provider(settings)) as site:
        yield site


async def files(client, url: str) -> list[list[str]]:
    """The list at `url` as CSV and as XLSX: the same rows in both; the CSV's, heading first."""
    joiner = "&" if "?" in url else "?"
    as_csv = await client.get(f"{url}{joiner}format=csv")
    assert as_csv.status_code == 200 and as_csv.headers["content-type"] == CSV, as_csv.text[:200]
    assert "attachment" in as_csv.headers["content-disposition"]
    as_xlsx = await client.get(f"{url}{joiner}format=xlsx")
    assert as_xlsx.status_code == 200
    rows, sheet = _csv_rows(as_csv.content), _xlsx_rows(as_xlsx.content)
    as_text = [["" if cell is None else str(cell) for cell in row] for row in sheet]
    assert as_text == rows
    return rows


def shown(page: str, pattern: str) -> list[str]:
    return re.findall(pattern, page)


async def test_the_municipalitys_lists_download_with_the_rows_their_pages_show(site, settings):
    w = await BoardWorld().build(site, settings, meeting=True)
    async with tenant_tx(w.scope):
        await grants.rank_applications(
            w.call_id, ranks={w.application_id: (1, "Godt prosjekt.")}, actor_person_id=w.admin.id
        )
        await grants.gather_agenda(w.meeting_id, actor_person_id=w.admin.id)
    client = w.client
    queue_page = text_of(await client.get(w.base))
    cases = shown(queue_page, r'href="[^"]*/grants/applications/(\d+)">([^<]+)</a>')
    queue = await files(client, w.base)
    assert len(queue) - 1 == len(cases) == 1
    assert queue[1][0] == cases[0][1] and queue[1][1].startswith("Søkjar AS")
    assert queue[1][-1] == "200000"

    ranking_url = f"{w.base}/calls/{w.call_id}/ranking"
    ranking_page = text_of(await client.get(ranking_url))
    ranking = await files(client, ranking_url)
    assert [row[1] for row in ranking[1:]] == [t for _, t in cases]
    assert (
        ranking[1][0] == "1"
        and "Godt prosjekt." in ranking_page
        and ranking[1][4] == ("Godt prosjekt.")
    )

    meetings_page = text_of(await client.get(f"{w.base}/meetings"))
    meetings = await files(client, f"{w.base}/meetings")
    assert len(meetings) - 1 == len(shown(meetings_page, r'href="[^"]*/meetings/\d+"')) == 1
    assert meetings[1][1:] == ["Rådhuset", "Omstilling", "1", "1"]


async def test_the_payments_download_with_the_pages_filter(site, settings):
    w = await money_world(settings)
    first, second = await requested(w, 40_000), await requested(w, 30_000)
    async with tenant_tx(w.municipality):
        await grants.decide_payment(first, outcome="approved", actor_person_id=w.admin.id)
    officer = await browser(site, w.admin.pid)
    base = f"/k/{w.tenant.kommunenummer}/grants/payments"
    for query, expected in (("", {first, second}), ("?state=approved", {first})):
        page = text_of(await officer.get(base + query))
        cards = {
            int(n) for n in shown(page, r'<section class="ds-card payment" id="payment-(\d+)"')
        }
        assert cards == expected
        link = f"{base}?{query[1:]}&format=csv" if query else f"{base}?format=csv"
        assert f'href="{link}"' in page  # the download keeps the page's filter
        rows = await files(officer, base + query)
        assert len(rows) - 1 == len(cards)
        assert sorted(row[-1] for row in rows[1:]) == sorted(
            {first: "40000", second: "30000"}[p] for p in cards
        )


async def test_the_business_downloads_its_own_applications(site, settings):
    w = await money_world(settings)
    client = await browser(site, w.applicant.pid)
    base = f"/o/{w.organisasjonsnummer}/grants"
    page = text_of(await client.get(base))
    listed = shown(page, r'href="[^"]*/grants/applications/\d+">([^<]+)</a>')
    rows = await files(client, base)
    assert [row[0] for row in rows[1:]] == listed and rows[0][0] == "Application"
    assert rows[1][2] == "Granted"


async def test_another_municipality_or_organisation_gets_no_file(site, settings):
    w = await money_world(settings)
    other = await new_tenant("Nabokommune")
    stranger = await new_person(settings, "Nabo", seat=in_municipality(other, "admin"))
    their = await browser(site, stranger.pid)
    mine = f"/k/{w.tenant.kommunenummer}/grants"
    call_id = await grants_call_of(w)
    for url in (mine, f"{mine}/payments", f"{mine}/meetings", f"{mine}/calls/{call_id}/ranking"):
        for fmt in ("csv", "xlsx"):
            got = await their.get(f"{url}?format={fmt}")
            assert got.status_code in (403, 404), (url, got.status_code)
            assert "attachment" not in got.headers.get("content-disposition", "")
    # the ranking of A's call under B's own kommunenummer: not B's call
    got = await their.get(f"/k/{other.kommunenummer}/grants/calls/{call_id}/ranking?format=csv")
    assert got.status_code == 404
    business = await money_world(settings)
    other_business = await browser(site, business.applicant.pid)
    got = await other_business.get(f"/o/{w.organisasjonsnummer}/grants?format=csv")
    assert got.status_code in (403, 404)


async def grants_call_of(w) -> int:
    async with tenant_tx(w.municipality):
        [call] = await grants.list_calls()
    return call.id
