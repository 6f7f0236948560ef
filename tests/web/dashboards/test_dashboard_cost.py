"""A dashboard costs the same whatever the data behind it: the page reads the one piece the
worker wrote when it recomputed the figures (its charts and tables, in the reader's language),
with a fixed number of SQL statements, no figure read, no table built and no chart drawn.

Not timed: the statements are counted, at two sizes of the same municipality's data (2 projects
and 200) and of a region (one member, and three), and must be equal.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from contextlib import contextmanager

import asyncpg
import pytest
import redis

import services.projects.figures as project_figures
from services.dashboards import charts, versions, views
from services.dashboards import service as dashboards
from services.parts import figure_modules
from tenants.context import NOBODY, Scope, connection, current_scope, tenant_tx
from tenants.tables import Municipality
from tests.services.dashboards.dashboard_helpers import fill, new_place
from tests.services.projects.plp_helpers import kommunenummer, new_project
from tests.web.auth.idp import Provider
from tests.web.browsing import HTML, new_person, open_site, operator_rows

# What the worker stores and a page request never reads (it reads what was written from them).
_FIGURES = ("municipality_figure", "region_figure", "municipality_chart", "region_chart")
_METHODS = ("execute", "executemany", "fetch", "fetchrow", "fetchval", "fetchmany")


@contextmanager
def counted_statements(monkeypatch):
    """Every SQL statement sent on any connection meanwhile (BEGIN and COMMIT included); the
    tenant's settings written into a transaction's BEGIN read as '…', the same for any tenant."""
    sent: list[str] = []
    with monkeypatch.context() as patch:
        for name in _METHODS:
            original = getattr(asyncpg.Connection, name)

            def spy(self, query, *args, _original=original, **kwargs):
                sent.append(re.sub(r"'[0-9a-fon]*'", "'…'", " ".join(str(query).split()))[:90])
                return _original(self, query, *args, **kwargs)

            patch.setattr(asyncpg.Connection, name, spy)
        yield sent


@contextmanager
def no_drawing(monkeypatch):
    """Any chart drawn meanwhile fails the test."""

    def refuse(*_args, **_kwargs):
        raise AssertionError("a dashboard request drew a chart")

    with monkeypatch.context() as patch:
        patch.setattr(charts, "bars", refuse)
        for module in figure_modules():  # each part's charts call the `bars` they imported
            if hasattr(module, "bars"):
                patch.setattr(module, "bars", refuse)
        yield


@contextmanager
def no_table_built(monkeypatch):
    """Any dashboard table built meanwhile (to be written out, or exported) fails the test."""

    def refuse(*_args, **_kwargs):
        raise AssertionError("a dashboard request built a table")

    with monkeypatch.context() as patch:
        patch.setattr(views.DashTable, "__init__", refuse)
        yield


async def _grown(place, projects_wanted: int) -> None:
    """Projects up to `projects_wanted` (fill made one), then every figure and chart again."""
    for _ in range(projects_wanted - 1):
        await new_project(place.id, place.owner, programme_id=place.programme_id)
    await dashboards.refresh_municipalities_and_regions([place.id])


async def _count_projects(place) -> int:
    async with tenant_tx(place.scope()):
        return await connection().fetchval("select count(*) from project")


@pytest.fixture(scope="module")
async def two_sizes(settings, database, demo):
    small = await new_place("Litenkommune")
    await fill(small)
    await _grown(small, 2)
    big = await new_place("Storkommune")
    await fill(big)
    # Two more members in the big one's region, each with figures of its own.
    for name in ("Nabokommune", "Grannekommune"):
        neighbour = await new_place(name, region_id=big.region_id)
        await fill(neighbour)
        await dashboards.refresh_municipalities_and_regions([neighbour.id])
    await _grown(big, 200)
    assert (await _count_projects(small), await _count_projects(big)) == (2, 200)

    people = {}
    for label, place in (("small", small), ("big", big)):
        staff = await new_person(
            settings,
            f"Næringssjef {label}",
            seat={"scope": "municipality", "role": "viewer", "municipality_id": place.id},
        )
        council = await new_person(
            settings,
            f"Rådsmedlem {label}",
            seat={"scope": "region", "role": "council_member", "region_id": place.region_id},
        )
        slug = (await operator_rows("select slug from region where id = $1", place.region_id))[0]
        people[label] = (place, await kommunenummer(place.id), slug["slug"], staff, council)
    async with open_site(settings, database, Provider(settings)) as site:
        sized = {}
        for label, (place, nr, slug, staff, council) in people.items():
            sized[label] = {
                "place": place,
                "nr": nr,
                "slug": slug,
                "staff": await site.browser(staff.pid),
                "council": await site.browser(council.pid),
            }
        yield sized


async def _statements(monkeypatch, browser, path: str) -> list[str]:
    await browser.get(path, headers=HTML)  # warm: the first request of a browser may differ
    with (
        no_drawing(monkeypatch),
        no_table_built(monkeypatch),
        counted_statements(monkeypatch) as sent,
    ):
        response = await browser.get(path, headers=HTML)
    assert response.status_code == 200, response.text
    assert len(re.findall(r"<svg\b", response.text)) == 2, "the stored charts are on the page"
    assert 'class="ds-table"' in response.text, "the stored tables are on the page"
    assert not [s for s in sent if any(table in s for table in _FIGURES)], sent
    return sent


async def test_a_municipality_dashboard_reads_as_many_statements_for_200_projects_as_for_2(
    two_sizes, monkeypatch
):
    counts = {}
    for label, size in two_sizes.items():
        sent = await _statements(monkeypatch, size["staff"], f"/k/{size['nr']}/dashboard")
        counts[label] = Counter(sent)
    assert counts["small"] == counts["big"]
    # One statement, which sets the scope and reads the page with its version: no transaction.
    assert list(counts["big"]) == ["select * from stored_municipality_page($1, $2, $3)"]


async def test_a_region_dashboard_reads_as_many_statements_for_three_members_as_for_one(
    two_sizes, monkeypatch
):
    counts = {}
    for label, size in two_sizes.items():
        whole = await _statements(monkeypatch, size["council"], f"/r/{size['slug']}/dashboard")
        member = await _statements(
            monkeypatch, size["council"], f"/r/{size['slug']}/dashboard/k/{size['nr']}"
        )
        counts[label] = (Counter(whole), Counter(member))
    assert counts["small"] == counts["big"]
    # One statement, which sets the scope and reads the page with its version: no transaction.
    for page in counts["big"]:
        assert list(page) == ["select * from stored_region_page($1, $2, $3, $4)"], page


async def _poll_statements(monkeypatch, browser, path: str) -> list[str]:
    """What an open dashboard's poll costs while its figures stay as they were."""
    page = await browser.get(path, headers={"hx-request": "true"})
    poll = html.unescape(re.search(r'hx-get="([^"]+)"', page.text).group(1))
    with no_drawing(monkeypatch), counted_statements(monkeypatch) as sent:
        unchanged = await browser.get(poll, headers={"hx-request": "true"})
    assert (unchanged.status_code, unchanged.text) == (204, "")
    return sent


def _polled(two_sizes, settings) -> list[tuple[object, str, str]]:
    """(browser, dashboard, the Redis key of its version) of each dashboard of the big place."""
    big = two_sizes["big"]
    municipality = versions.municipality_key(settings.app_database_url, big["nr"])
    region = versions.region_key(settings.app_database_url, big["slug"])
    return [
        (big["staff"], f"/k/{big['nr']}/dashboard", municipality),
        (big["council"], f"/r/{big['slug']}/dashboard", region),
        (big["council"], f"/r/{big['slug']}/dashboard/k/{big['nr']}", region),
    ]


async def test_a_poll_of_an_unchanged_dashboard_reads_no_sql_at_all(
    two_sizes, monkeypatch, settings
):
    # The recompute kept each version in Redis, which the poll reads with its session.
    for browser, path, _key in _polled(two_sizes, settings):
        assert await _poll_statements(monkeypatch, browser, path) == []


async def test_a_poll_that_finds_another_version_in_redis_asks_the_database(
    two_sizes, monkeypatch, settings
):
    kept = redis.Redis.from_url(settings.redis_url)
    for browser, path, key in _polled(two_sizes, settings):
        stored = kept.get(key)
        kept.set(key, "not-the-stored-version")
        try:
            sent = await _poll_statements(monkeypatch, browser, path)
            # BEGIN with the scope, the version, COMMIT (the connection goes back as it is).
            assert len(sent) <= 3, sent
            assert [s for s in sent if "dashboard" in s and "version" in s], sent
            assert not [s for s in sent if any(table in s for table in _FIGURES)], sent
            # Only a recompute writes over a version kept there.
            assert kept.get(key) == b"not-the-stored-version"
        finally:
            kept.set(key, stored)
    kept.close()


async def test_a_poll_that_finds_no_version_in_redis_asks_the_database_and_keeps_it(
    two_sizes, monkeypatch, settings
):
    kept = redis.Redis.from_url(settings.redis_url)
    for browser, path, key in _polled(two_sizes, settings):
        stored = kept.get(key)
        kept.delete(key)
        sent = await _poll_statements(monkeypatch, browser, path)
        assert [s for s in sent if "dashboard" in s and "version" in s], sent
        assert kept.get(key) == stored, "the database's version, for the next poll"
        assert await _poll_statements(monkeypatch, browser, path) == []
    kept.close()


async def test_a_recompute_keeps_the_stored_version_in_redis(two_sizes, settings):
    kept = redis.Redis.from_url(settings.redis_url)
    big = two_sizes["big"]
    place = big["place"]
    before = [kept.get(key) for _browser, _path, key in _polled(two_sizes, settings)]
    await dashboards.refresh_municipalities_and_regions([place.id])
    async with tenant_tx(place.scope()):
        municipality = await dashboards.municipality_version()
    async with tenant_tx(Scope(region_id=place.region_id)):
        region = await dashboards.region_version()
    after = [kept.get(key) for _browser, _path, key in _polled(two_sizes, settings)]
    kept.close()
    assert after == [municipality.encode(), region.encode(), region.encode()]
    assert after != before, "a recompute moves the version (its time is in it)"


async def test_a_version_kept_in_redis_tells_nobody_outside_the_dashboard_anything(
    two_sizes, settings
):
    big, small = two_sizes["big"], two_sizes["small"]
    kept = redis.Redis.from_url(settings.redis_url)
    for _browser, path, key in _polled(two_sizes, settings):
        poll = f"{path}?v={kept.get(key).decode()}"
        # Another region's council member and another municipality's staff: as for any
        # place their membership does not cover, 404, whatever version they guess.
        for stranger in (small["council"], small["staff"]):
            answer = await stranger.get(poll, headers={"hx-request": "true"})
            assert answer.status_code == 404, (path, answer.status_code)
    kept.close()
    assert big["nr"] != small["nr"]


async def test_a_recompute_whose_figures_did_not_move_draws_no_chart(two_sizes, monkeypatch):
    place = two_sizes["small"]["place"]
    with no_drawing(monkeypatch):
        await dashboards.refresh_municipalities_and_regions([place.id])
    # A change to what a chart shows draws that chart again, in every language.
    await new_project(place.id, place.owner, programme_id=place.programme_id)
    drawn: Counter[str] = Counter()
    with monkeypatch.context() as patch:
        original = charts.bars

        def spy(*args, **kwargs):
            drawn[args[3]] += 1  # the language
            return original(*args, **kwargs)

        patch.setattr(project_figures, "bars", spy)
        await dashboards.refresh_municipalities_and_regions([place.id])
    # The projects chart of the municipality, drawn once in each language. The region's copy of
    # its member's chart (and, with one member, of the region's sums) has the same figures, so
    # it is that very drawing, read from the member rather than drawn again.
    assert drawn == {"nb": 1, "nn": 1, "en": 1}
    projects_chart = "select lang, svg from {} where chart = 'projects' and {} order by lang"
    async with tenant_tx(place.scope()):
        own = await connection().fetch(
            projects_chart.format("municipality_chart", "tenant_id = app_tenant_id()")
        )
    async with tenant_tx(Scope(region_id=place.region_id)):
        member = await connection().fetch(
            projects_chart.format("region_chart", "municipality_id = $1"), place.id
        )
    assert len(own) == 3 and [tuple(r) for r in member] == [tuple(r) for r in own]


async def test_a_page_read_in_one_statement_sees_only_what_its_scope_may_see(two_sizes):
    """The statement sets the reader's scope itself (migrations/0006): row-level security
    filters its read as in a transaction, and the connection goes back to the pool bare."""
    big, small = two_sizes["big"]["place"], two_sizes["small"]["place"]
    token = current_scope.set(big.scope())
    try:
        own = await dashboards.stored_municipality_page("nb")
        async with tenant_tx(big.scope()):
            assert own == await dashboards.municipality_page("nb")
    finally:
        current_scope.reset(token)
    for scope in (small.scope(), Scope(region_id=big.region_id), NOBODY):
        token = current_scope.set(scope)
        try:
            other = await dashboards.stored_municipality_page("nb")
        finally:
            current_scope.reset(token)
        assert other is None or other.body != own.body, scope
    token = current_scope.set(Scope(region_id=small.region_id))
    try:  # another region's council, asking for one of the big region's members
        assert await dashboards.stored_region_page(two_sizes["big"]["nr"], "nb") is None
        assert (await dashboards.stored_region_page(None, "nb")) is not None
    finally:
        current_scope.reset(token)
    # The pool's connections carry no scope on: each setting ended with its statement.
    engine = Municipality._meta.db
    for _ in range(engine.pool.get_size()):
        async with engine.pool.acquire() as con:
            assert await con.fetchval("select app_tenant_id()") is None
            assert await con.fetchval("select app_region_id()") is None
