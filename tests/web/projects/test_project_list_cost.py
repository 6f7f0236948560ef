"""The project list costs the same statements for three projects as for a page and more: the
filtered set is counted and paged in one statement, and its names are translated once a table.
Not timed: the statements are counted before and after the municipality grows."""

from __future__ import annotations

import html
import re
from collections import Counter

import pytest

from tests.services.projects.plp_helpers import new_project
from tests.web.auth.idp import Provider
from tests.web.browsing import open_site
from tests.web.dashboards.test_dashboard_cost import counted_statements
from tests.web.projects.plp_pages import browser, new_plp
from web.paging import PAGE

MORE = PAGE + 5  # projects added, beside the three new_plp makes


@pytest.fixture
async def site(settings, database, demo):
    async with open_site(settings, database, Provider(settings)) as site:
        yield site


async def _statements(monkeypatch, client, path: str, **headers) -> tuple[Counter, str]:
    await client.get(path, headers=headers)  # warm: the first request of a browser may differ
    with counted_statements(monkeypatch) as sent:
        response = await client.get(path, headers=headers)
    assert response.status_code == 200, response.text
    return Counter(sent), html.unescape(response.text)


async def test_the_list_reads_as_many_statements_for_a_page_and_more_as_for_three(
    site, settings, monkeypatch
):
    plp = await new_plp(settings)
    client = await browser(site, plp.owner)
    path = f"{plp.base}/projects"
    few, _ = await _statements(monkeypatch, client, path)
    fragment_few, _ = await _statements(
        monkeypatch, client, f"{path}?phase=forstudie", **{"hx-request": "true"}
    )

    for n in range(MORE):
        await new_project(plp.tenant.id, plp.owner.id, title=f"Prosjekt {n:03}")
    many, page = await _statements(monkeypatch, client, path)
    fragment_many, fragment = await _statements(
        monkeypatch, client, f"{path}?phase=forstudie", **{"hx-request": "true"}
    )

    assert (many, fragment_many) == (few, fragment_few)
    # BEGIN, the scope, the areas, the page with its count, COMMIT, the connection's reset.
    assert sum(many.values()) <= 6, many
    total = MORE + 3
    assert f"{total} projects" in page and len(re.findall(r"<tr", page)) == PAGE + 1
    assert f"{total - 1} projects" in fragment  # the food project is a pre-project
    # The last page counts all the filter finds, not only what is left after its cursor.
    following = re.search(r'href="([^"]*after=[^"]*)"', page).group(1)
    last = html.unescape((await client.get(following)).text)
    assert f"{total} projects" in last and len(re.findall(r"<tr", last)) == total - PAGE + 1
