"""htmx swaps nothing for a 4xx or 5xx unless told: every error answer to an htmx request shows
its message, and a fragment's form stays where it is while the message goes to the page's
error region."""

from __future__ import annotations

import re

import pytest

from services.projects.rules import MAX_DOCUMENT_BYTES
from tests.web.auth.idp import Provider
from tests.web.browsing import open_site, post, text_of
from tests.web.projects.plp_pages import browser, new_plp

HX = {"HX-Request": "true", "HX-Target": "upload-form"}


@pytest.fixture
async def site(settings, database, demo):
    async with open_site(settings, database, Provider(settings)) as site:
        yield site


@pytest.fixture
async def plp(settings, database, demo):
    return await new_plp(settings)


async def test_an_upload_too_large_tells_the_htmx_form_why(site, plp):
    client = await browser(site, plp.officer, lang="nn")
    url = f"{plp.base}/projects/{plp.projects['food']}/documents"
    too_large = b"%PDF-1.4\n" + b"0" * (MAX_DOCUMENT_BYTES + 2 * 1024 * 1024)
    refused = await post(
        client, url, files={"file": ("stor.pdf", too_large, "application/pdf")}, headers=HX
    )
    assert refused.status_code == 413
    assert refused.headers["hx-retarget"] == "#htmx-error"
    assert refused.headers["hx-reswap"] == "innerHTML"
    assert 'role="alert"' in refused.text and "<html" not in refused.text
    assert re.search(r"<strong>\S", text_of(refused))


async def test_every_page_has_the_region_and_htmx_swaps_error_answers(site, plp):
    client = await browser(site, plp.officer)
    page = (await client.get(f"{plp.base}/projects")).text
    assert '<div id="htmx-error" aria-live="assertive">' in page
    config = re.search(r'<meta name="htmx-config" content=\'([^\']+)\'', page)[1]
    assert '{"code": "[45]..", "swap": true, "error": false}' in config
