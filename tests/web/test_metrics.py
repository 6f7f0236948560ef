"""/metrics is for the operators: only with their bearer token, and no counter moves for a bid."""

from __future__ import annotations

import dataclasses
import re

import pytest

from tests.web.auth.idp import Provider
from tests.web.browsing import HTML, ensure_csrf, open_site, post
from tests.web.tendering.tender_world import new_business, new_buyer, new_tender

TOKEN = "operators-metrics-token-0123456789abcdef"
BEARER = {"authorization": f"Bearer {TOKEN}"}

pytestmark = pytest.mark.usefixtures("demo")


async def test_without_the_setting_nobody_gets_metrics(client):
    await client.get("/health/live")
    for headers in ({}, BEARER):
        response = await client.get("/metrics", headers=headers)
        assert response.status_code == 404
        assert "samspel_requests_total" not in response.text


async def test_anonymous_and_wrong_tokens_get_404_and_the_operators_token_gets_metrics(
    client_with,
):
    async with client_with(metrics_token=TOKEN) as client:
        await client.get("/")
        await client.get("/health/live")
        wrong = [
            {},
            {"authorization": "Bearer " + TOKEN[:-1] + "X"},
            {"authorization": "Basic " + TOKEN},
            {"authorization": TOKEN},
        ]
        for headers in wrong:
            response = await client.get("/metrics", headers=headers)
            assert response.status_code == 404, headers
            assert "samspel_requests_total" not in response.text
        scrape = await client.get("/metrics", headers=BEARER)
    assert scrape.status_code == 200
    assert 'samspel_requests_total{app_name="samspel",method="GET",path="/"' in scrape.text
    # A probe every few seconds is the load balancer's to count, not a timer of ours.
    assert 'path="/health/live"' not in scrape.text


def _series(scrape: str) -> list[str]:
    return sorted(line for line in scrape.splitlines() if line.startswith("samspel_"))


async def test_a_sealed_bid_moves_no_counter_and_names_no_bid_route(settings, database):
    with_token = dataclasses.replace(settings, metrics_token=TOKEN)
    async with open_site(with_token, database, Provider(with_token)) as site:
        tender_id = await new_tender(await new_buyer(settings), title="Telt anbod")
        business = await new_business(settings)
        browser = await site.browser(business.admin.pid)
        page = await browser.get(f"{business.base}/tenders/{tender_id}", headers=HTML)
        key = re.search(r'name="idempotency_key" value="([^"]+)"', page.text)[1]
        form = {
            "idempotency_key": key,
            "price": "412 500",
            "answer:Kvalitet": "Vi har gjort dette før.",
            "answer:Kompetanse": "To seniorrådgjevarar.",
        }
        await ensure_csrf(browser)  # now, so nothing but the bid happens between the scrapes
        before = (await site.first.get("/metrics", headers=BEARER)).text

        sent = await post(browser, f"{business.base}/tenders/{tender_id}/bids", form)
        assert sent.status_code == 303, sent.text
        assert (await browser.get(sent.headers["location"], headers=HTML)).status_code == 200
        assert (await browser.get(f"{business.base}/bids", headers=HTML)).status_code == 200

        after = (await site.first.get("/metrics", headers=BEARER)).text
    assert _series(after) == _series(before)
    # Nothing of a business's side of a tender, from this test or any other before it.
    paths = set(re.findall(r'path="([^"]*)"', after))
    bidding = re.compile(r"^/o/[^/]+/(tenders|bids)(/|$)|^/tenders/[^/]+/bid$")
    assert paths and not [path for path in paths if bidding.match(path)]


def _value(scrape: str, series: str) -> float:
    found = re.search(re.escape(series) + r" ([0-9.e+]+)", scrape)
    return float(found.group(1)) if found else 0.0


async def test_each_request_moves_its_counter_and_its_timer_once_and_leaves_none_in_progress(client_with):
    labels = 'app_name="samspel",method="GET",path="/",status_code="200"'
    async with client_with(metrics_token=TOKEN) as client:
        before = (await client.get("/metrics", headers=BEARER)).text
        for _ in range(3):
            assert (await client.get("/")).status_code == 200
        after = (await client.get("/metrics", headers=BEARER)).text
    for series in (
        f"samspel_requests_total{{{labels}}}",
        f"samspel_request_duration_seconds_count{{{labels}}}",
    ):
        assert _value(after, series) - _value(before, series) == 3, series
    in_progress = (
        'samspel_requests_in_progress{app_name="samspel",method="GET",path="/",status_code="200"}'
    )
    assert _value(after, in_progress) == 0
    assert f"samspel_requests_error_total{{{labels}}}" not in after
