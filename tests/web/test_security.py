"""Security headers on every answer: pages, routing's 404 and 405, static files, error pages."""

from __future__ import annotations

import dataclasses

import pytest
from litestar import get

from tests.web.browsing import HTML
from tests.web.conftest import serve
from web.app import create_app

JSON = {"accept": "application/json"}


def assert_secured(response, *, hsts: bool = False) -> None:
    csp = response.headers.get("content-security-policy", "")
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp, response.status_code
    assert response.headers.get("x-content-type-options") == "nosniff"
    assert response.headers.get("referrer-policy") == "same-origin"
    assert ("strict-transport-security" in response.headers) is hsts


@pytest.mark.parametrize("accept", [HTML, JSON])
async def test_a_path_that_is_not_there_answers_404_with_the_headers(client, accept):
    response = await client.get("/no/such/page", headers=accept)
    assert response.status_code == 404
    assert_secured(response)


async def test_a_method_the_route_does_not_take_answers_405_with_the_headers(client):
    response = await client.delete("/", headers=HTML)
    assert response.status_code == 405
    assert_secured(response)


async def test_a_static_file_carries_the_headers(client):
    response = await client.get("/static/vendor/htmx.min.js")
    assert response.status_code == 200
    assert_secured(response)
    missing = await client.get("/static/vendor/missing.js")
    assert missing.status_code == 404
    assert_secured(missing)


async def test_an_error_page_of_a_failing_route_carries_the_headers(settings, database, demo):
    @get("/test-only/fails", opt={"public": True})
    async def fails() -> str:
        raise RuntimeError("a bug")

    app = create_app(settings, database=database)
    app.register(fails)
    async with serve(app) as client:
        for accept in (HTML, JSON):
            response = await client.get("/test-only/fails", headers=accept)
            assert response.status_code == 500
            assert_secured(response)


async def test_under_https_every_answer_also_carries_hsts(settings, database, demo):
    https = dataclasses.replace(settings, base_url="https://testserver")
    async with serve(create_app(https, database=database)) as client:
        for response in (
            await client.get("/", headers=HTML),
            await client.get("/no/such/page", headers=HTML),
            await client.delete("/", headers=HTML),
            await client.get("/static/vendor/htmx.min.js"),
        ):
            assert_secured(response, hsts=True)
