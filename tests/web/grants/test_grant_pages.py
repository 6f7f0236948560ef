"""Grants from pages, through the real app: the municipality sets up a fund and opens a call, the
call is listed publicly, a business writes and submits an application (locked, with a receipt),
and the official assesses it with the computed figures and grants it, or leaves it to the board."""

from __future__ import annotations

import re

import pytest

from tests.web.auth.idp import Provider, log_in
from tests.web.browsing import (
    in_municipality,
    new_organisation,
    new_person,
    new_tenant,
    open_site,
    post,
    text_of,
)
from web.i18n import COOKIE as LANGUAGE_COOKIE

TODAY_AND_ON = {"opens_on": "01.01.2020", "closes_on": "31.12.2099"}


@pytest.fixture
async def site(settings, database, demo):
    async with open_site(settings, database, Provider(settings)) as site:
        yield site


async def english(site, pid: str | None = None):
    """A browser that reads the pages in English, logged in as pid when given."""
    client = await site.browser()
    client.cookies.set(LANGUAGE_COOKIE, "en", domain="testserver.local")
    if pid is not None:
        response = await log_in(client, site.provider, pid)
        assert response.status_code == 303, response.text
    return client


async def municipality(site, settings, limit: str = "500 000"):
    """A fresh municipality whose admin set up a fund and opened a call from the grant page."""
    tenant = await new_tenant("Fondkommune")
    admin = await new_person(settings, "Admin", seat=in_municipality(tenant, "admin"))
    client = await english(site, admin.pid)
    base = f"/k/{tenant.kommunenummer}/grants"
    fund = {
        "name": "Næringsfond",
        "strategy_area_id": "",
        "max_share": "50",
        "max_amount": "1 000 000",
        "decision_limit": limit,
    }
    made = await post(client, f"{base}/funds", fund)
    assert made.status_code == 303, made.text
    page = text_of(await client.get(base))
    fund_id = re.search(r'<option value="(\d+)">Næringsfond</option>', page)[1]
    title = f"Utlysing {tenant.kommunenummer}"
    opened = await post(
        client, f"{base}/calls", {"fund_id": fund_id, "title": title, **TODAY_AND_ON}
    )
    assert opened.status_code == 303, opened.text
    return client, base, title


async def applicant(site, settings):
    organisation_id, nr = await new_organisation("Søkjar AS")
    person = await new_person(
        settings,
        "Søkjar",
        seat={"scope": "organisation", "role": "admin", "organisation_id": organisation_id},
    )
    return await english(site, person.pid), f"/o/{nr}/grants"


PLANS = {
    "title": "Kanoturar",
    "summary": "Guida turar på Namsen.",
    "project": "Tre nye produkt.",
    "effects": "To årsverk.",
    "cost_description-0": "Utstyr",
    "cost_amount-0": "300 000",
    "cost_description-1": "Marknad",
    "cost_amount-1": "100 000",
    "fin_source-0": "this_fund",
    "fin_description-0": "Søkt",
    "fin_amount-0": "200 000",
    "fin_source-1": "own",
    "fin_description-1": "Eigeninnsats",
    "fin_amount-1": "150 000",
}


async def applied(site, settings, title: str) -> tuple:
    """The business starts an application under the call, and submits it once it balances."""
    client, base = await applicant(site, settings)
    page = text_of(await client.get(base))
    call_id = re.search(rf'id="call-(\d+)">{re.escape(title)}<', page)[1]
    started = await post(client, f"{base}/calls/{call_id}/applications", {"title": "Kanoturar"})
    assert started.status_code == 303, started.text
    own = started.headers["location"]
    unbalanced = await post(client, f"{own}/submit", PLANS)
    assert unbalanced.status_code == 422
    assert "must equal the cost plan" in text_of(unbalanced)
    assert 'value="150 000"' in text_of(unbalanced)  # the form again, as typed
    sent = await post(client, f"{own}/submit", {**PLANS, "fin_amount-1": "200 000"})
    assert sent.status_code == 303, sent.text
    return client, own


async def test_a_call_opened_from_the_page_is_listed_publicly_beside_the_tenders(site, settings):
    _, _, title = await municipality(site, settings)
    anyone = await english(site)
    listed = await anyone.get("/grants")
    assert listed.status_code == 200
    assert title in text_of(listed) and "50 % of the cost" in text_of(listed)
    assert "Utlysing 2026: opplevingsturisme" in text_of(listed)  # the demo's call
    assert 'href="/grants"' in (await anyone.get("/")).text


async def test_a_fund_with_a_share_that_is_not_a_number_is_refused_beside_the_field(site, settings):
    client, base, _ = await municipality(site, settings)
    refused = await post(
        client,
        f"{base}/funds",
        {"name": "Anna", "max_share": "halve", "max_amount": "0", "decision_limit": "1"},
    )
    assert refused.status_code == 422
    shown = text_of(refused)
    assert 'id="error-max_share"' in shown and 'id="error-max_amount"' in shown


async def test_a_business_applies_and_the_official_assesses_and_grants_from_pages(site, settings):
    official, base, title = await municipality(site, settings)
    business, own = await applied(site, settings, title)
    mine = text_of(await business.get(own))
    assert "Submitted" in mine and re.search(r"[0-9a-f]{64}", mine)
    assert 'name="summary"' not in mine  # locked: no form any more
    again = await post(business, own, PLANS)
    assert again.status_code == 409
    assert "can no longer be changed" in text_of(again)

    queue = text_of(await official.get(base))
    case_path = re.search(rf'href="({re.escape(base)}/applications/\d+)">Kanoturar<', queue)[1]
    case = text_of(await official.get(case_path))
    assert "Computed from the plans" in case
    assert "50\u00a0%" in case and "50.00" not in case  # a share reads as a share
    assert "The official decides" in case
    assessed = await post(
        official, f"{case_path}/assessment", {"comment": "Godt prosjekt.", "conflicted": "no"}
    )
    assert assessed.status_code == 303
    granted = await post(
        official,
        f"{case_path}/decision",
        {"outcome": "granted", "reporting_deadline": "31.12.2099", "conditions": "Rapport."},
    )
    assert granted.status_code == 303, granted.text
    assert "Granted" in text_of(await business.get(own))


async def test_above_the_officials_limit_the_page_says_the_board_decides(site, settings):
    official, base, title = await municipality(site, settings, limit="100 000")
    _, own = await applied(site, settings, title)
    queue = text_of(await official.get(base))
    case_path = re.search(rf'href="({re.escape(base)}/applications/\d+)">Kanoturar<', queue)[1]
    await post(official, f"{case_path}/assessment", {"comment": "Stort.", "conflicted": "no"})
    case = text_of(await official.get(case_path))
    assert "The board decides this application" in case
    assert 'name="outcome" value="granted"' not in case
    refused = await post(
        official,
        f"{case_path}/decision",
        {"outcome": "granted", "reporting_deadline": "31.12.2099"},
    )
    assert refused.status_code == 409
    assert 'name="recommendation"' in case
    rejected = await post(official, f"{case_path}/decision", {"outcome": "rejected", "reason": "x"})
    assert rejected.status_code == 409
    unreasoned = await post(official, f"{case_path}/recommendation", {"recommendation": "granted"})
    assert unreasoned.status_code == 422
    assert 'id="error-recommendation_reason"' in text_of(unreasoned)


async def test_the_demo_shows_grongs_fund_call_and_the_submitted_application(site):
    arne = await english(site, "12076512345")  # Grong's admin
    queue = text_of(await arne.get("/k/5045/grants"))
    assert "Næringsfond Indre Namdal – reiseliv" in queue
    assert "Omstilling Indre Namdal 2025–2030: Reiseliv og opplevelser" in queue
    case_path = re.search(r'href="(/k/5045/grants/applications/\d+)">Guida kanoturar', queue)[1]
    case = text_of(await arne.get(case_path))
    assert "Fossli Rådgjeving" in case and "Take into assessment" in case
    mette = await english(site, "19047867890")  # Fossli Rådgjeving's admin
    mine = text_of(await mette.get("/o/931782258/grants"))
    assert "Guida kanoturar på Namsen" in mine and "Utlysing 2026: opplevingsturisme" in mine


async def test_a_decision_that_is_neither_grant_nor_reject_is_refused_on_the_page(site, settings):
    official, base, title = await municipality(site, settings)
    await applied(site, settings, title)
    queue = text_of(await official.get(base))
    case_path = re.search(rf'href="({re.escape(base)}/applications/\d+)">Kanoturar<', queue)[1]
    await post(official, f"{case_path}/assessment", {"comment": "Ok.", "conflicted": "no"})
    refused = await post(official, f"{case_path}/decision", {"outcome": "maybe"})
    assert refused.status_code == 422
    assert "Choose to grant or to reject." in text_of(refused)
