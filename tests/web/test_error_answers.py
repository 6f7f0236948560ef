"""The last resort: what no handler expected still gets a page in the reader's language (a browser)
or JSON (an API client), is logged once with its traceback and request id, and input the
database cannot store is the sender's 422, never a 500."""

from __future__ import annotations

import json

import httpx
import pytest
from litestar import Litestar, get

from tenants.context import NOBODY, connection, tenant_tx
from web.errors import internal_error_handler
from web.logs import configure_logging
from web.middleware import request_context_middleware
from web.templating import template_config

pytestmark = pytest.mark.usefixtures("database")


@get("/broken", opt={"public": True})
async def broken() -> str:
    raise RuntimeError("the bug nobody expected")


@get("/nul", opt={"public": True})
async def nul() -> str:
    async with tenant_tx(NOBODY):
        return await connection().fetchval("select $1::text", "Bedrift\x00 AS")


@get("/too-much", opt={"public": True})
async def too_much() -> str:
    async with tenant_tx(NOBODY):
        return str(await connection().fetchval("select $1::numeric(14, 2)", 10**13))


def app() -> Litestar:
    configure_logging()  # as create_app does: JSON lines, the traceback as text
    return Litestar(
        route_handlers=[broken, nul, too_much],
        template_config=template_config(),
        middleware=[request_context_middleware("nb")],
        exception_handlers={Exception: internal_error_handler},
        logging_config=None,
    )


async def get_page(path: str, **headers: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        return await client.get(path, headers=headers)


async def test_a_browser_gets_a_500_page_in_its_own_language():
    page = await get_page("/broken", accept="text/html", **{"accept-language": "nn"})
    assert page.status_code == 500
    assert page.headers["content-type"].startswith("text/html")
    assert '<html lang="nn"' in page.text
    assert "the bug nobody expected" not in page.text


async def test_an_api_client_gets_json_for_a_500():
    answer = await get_page("/broken", accept="application/json")
    assert answer.status_code == 500
    assert answer.json()["error"] == 500 and answer.json()["detail"]


async def test_a_500_is_logged_once_with_its_traceback_and_request_id(capsys):
    await get_page("/broken", accept="text/html", **{"x-request-id": "req-0123456789"})
    out = capsys.readouterr().out
    lines = [json.loads(line) for line in out.splitlines() if line]
    errors = [line for line in lines if line.get("level") == "error"]
    assert len(errors) == 1
    assert errors[0]["request_id"] == "req-0123456789"
    assert "RuntimeError: the bug nobody expected" in errors[0]["exception"]


@pytest.mark.parametrize("path", ["/nul", "/too-much"])
async def test_input_the_database_cannot_store_is_a_422(path):
    page = await get_page(path, accept="text/html")
    assert page.status_code == 422
    assert "kan ikke lagres" in page.text or "cannot be stored" in page.text
