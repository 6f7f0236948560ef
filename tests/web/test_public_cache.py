"""A burst of the public at a page nobody has kept yet (a new data version, an expired copy)
makes the page once in a process, not once a request; what is not the public's page is never
shared that way."""

from __future__ import annotations

import asyncio
import secrets

import pytest

from tests.web.auth.idp import Provider
from tests.web.browsing import HTML, open_site
from tests.web.dashboards.test_dashboard_cost import counted_statements

BURST = 8


@pytest.fixture
async def site(settings, database):
    async with open_site(settings, database, Provider(settings)) as opened:
        yield opened


async def _burst(site, monkeypatch, path: str, burst: int = BURST) -> tuple[list, int]:
    """The answers to `burst` requests sent at once, and how many transactions made them."""
    public = await site.browser()
    with counted_statements(monkeypatch) as sent:
        answers = await asyncio.gather(*(public.get(path, headers=HTML) for _ in range(burst)))
    return answers, sum(1 for s in sent if s.startswith("BEGIN"))


def _new_address(path: str) -> str:
    """`path` at an address no earlier request used: nothing is kept under it."""
    return f"{path}?burst={secrets.token_hex(8)}"


async def test_a_burst_at_a_page_not_kept_yet_makes_it_once(site, monkeypatch):
    _, one_page = await _burst(site, monkeypatch, _new_address("/tenders"), burst=1)
    assert one_page >= 1
    answers, transactions = await _burst(site, monkeypatch, _new_address("/tenders"))
    assert [a.status_code for a in answers] == [200] * BURST
    assert len({a.content for a in answers}) == 1
    assert len({a.headers["etag"] for a in answers}) == 1
    assert transactions == one_page


async def test_an_answer_that_is_not_the_publics_page_is_made_for_each_request(site, monkeypatch):
    # A tender that does not exist: 404, never kept, so no request waits for another's.
    missing = f"/tenders/{2**62}"
    _, one_page = await _burst(site, monkeypatch, _new_address(missing), burst=1)
    assert one_page >= 1
    answers, transactions = await _burst(site, monkeypatch, _new_address(missing))
    assert [a.status_code for a in answers] == [404] * BURST
    assert transactions == BURST * one_page
