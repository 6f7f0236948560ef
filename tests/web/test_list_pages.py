"""Long lists come a page at a time, by keyset, with their filters in the URL: the public tender
list, a municipality's projects and its tenders. Every row is on exactly one page."""

from __future__ import annotations

import html
import re

import pytest

import web.paging
import web.projects.controller
import web.tendering.municipality.editor
import web.tendering.public
from tests.services.projects.plp_helpers import kommunenummer, new_kommune, new_project
from tests.services.tendering.tendering_helpers import Buyer, published_tender
from tests.web.auth.idp import Provider
from tests.web.browsing import HTML, new_person, open_site

SMALL_PAGE = 3


@pytest.fixture
def small_pages(monkeypatch):
    for module in (
        web.paging,
        web.tendering.public,
        web.projects.controller,
        web.tendering.municipality.editor,
    ):
        monkeypatch.setattr(module, "PAGE", SMALL_PAGE)


def ids(page: str, pattern: str) -> list[int]:
    return [int(n) for n in re.findall(pattern, html.unescape(page))]


def next_link(page: str) -> str | None:
    found = re.search(r'<nav class="list-pages".*?</nav>', html.unescape(page), re.S)
    if not found:
        return None
    links = dict(
        (text, href)
        for href, text in re.findall(r'href="([^"]+)"[^>]*>([^<]+)</a>', found.group(0))
    )
    return links.get("Next page") or links.get("Neste side")


async def walk(browser, first: str, pattern: str, headers=HTML) -> list[list[int]]:
    """Every page of a list from its first, following its 'next page' links."""
    pages, url = [], first
    while url:
        response = await browser.get(url, headers=headers)
        assert response.status_code == 200, response.text
        pages.append(ids(response.text, pattern))
        url = next_link(response.text)
        assert len(pages) < 20, "the pages never end"
    return pages


@pytest.fixture
async def world(settings, database, demo):
    kommune = await new_kommune("Sidekommune")
    nr = await kommunenummer(kommune.id)
    buyer = Buyer(kommune.id, kommune.officer, kommune.officer)
    tenders = [await published_tender(buyer) for _ in range(SMALL_PAGE * 2 + 1)]
    projects = [await new_project(kommune.id, kommune.owner) for _ in range(SMALL_PAGE + 2)]
    staff = await new_person(
        settings,
        "Sidelesar",
        seat={"scope": "municipality", "role": "case_officer", "municipality_id": kommune.id},
    )
    async with open_site(settings, database, Provider(settings)) as site:
        yield {
            "nr": nr,
            "tenders": tenders,
            "projects": projects,
            "public": await site.browser(),
            "staff": await site.browser(staff.pid),
        }


async def test_the_public_list_pages_through_a_municipalitys_tenders_with_its_filter(
    world, small_pages
):
    pages = await walk(world["public"], f"/tenders?kommune={world['nr']}", r'href="/tenders/(\d+)"')
    assert [len(p) for p in pages] == [3, 3, 1]
    assert sorted(sum(pages, [])) == sorted(world["tenders"])
    first = (await world["public"].get(f"/tenders?kommune={world['nr']}", headers=HTML)).text
    count = re.search(r'class="ds-paragraph list-count"[^>]*>([^<]*)<', html.unescape(first))
    assert count and count.group(1).strip().startswith("7 "), "the count is of every page"
    # The next page keeps the filter in its URL, and htmx gets the list's fragment for it.
    link = next_link(first)
    assert f"kommune={world['nr']}" in link and "after=" in link
    fragment = await world["public"].get(link, headers={"hx-request": "true"})
    assert fragment.text.lstrip().startswith("<") and "<html" not in fragment.text
    assert len(ids(fragment.text, r'href="/tenders/(\d+)"')) == 3


async def test_a_municipalitys_projects_and_tenders_come_a_page_at_a_time(world, small_pages):
    nr = world["nr"]
    projects = await walk(world["staff"], f"/k/{nr}/projects", rf'href="/k/{nr}/projects/(\d+)"')
    assert [len(p) for p in projects] == [3, 2]
    assert sorted(sum(projects, [])) == sorted(world["projects"])
    tenders = await walk(world["staff"], f"/k/{nr}/tenders", rf'href="/k/{nr}/tenders/(\d+)"')
    assert [len(p) for p in tenders] == [3, 3, 1]
    assert sorted(sum(tenders, [])) == sorted(world["tenders"])
    # The state filter is in the URL and holds on every page.
    drafts = await walk(world["staff"], f"/k/{nr}/tenders?state=draft", r'/tenders/(\d+)"')
    assert sum(drafts, []) == []


async def test_a_broken_page_key_shows_the_first_page(world, small_pages):
    response = await world["public"].get(
        f"/tenders?kommune={world['nr']}&after=not-a-key", headers=HTML
    )
    assert response.status_code == 200
    assert len(ids(response.text, r'href="/tenders/(\d+)"')) == 3
