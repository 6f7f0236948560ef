"""The tender pages that keep a tender going: a draft changed until it is published, a signed
contract marked completed, the homes' links to tenders, and following a municipality or region."""

from __future__ import annotations

import html

import pytest

from services.tendering import service as tendering
from services.tendering.service import follows
from tenants.context import tenant_tx
from tests.web.auth.idp import Provider
from tests.web.browsing import HTML, open_site, post, text_of
from tests.web.tendering.tender_world import (
    awarded_tender,
    end_standstill,
    new_business,
    new_buyer,
    new_tender,
)
from tests.web.tendering.test_tender_pages import editor_form

pytestmark = pytest.mark.usefixtures("demo")
EN = {**HTML, "accept-language": "en"}


@pytest.fixture
async def site(settings, database, demo):
    async with open_site(settings, database, Provider(settings)) as site:
        yield site


async def test_a_draft_is_changed_in_the_editor_and_refused_once_published(site, settings):
    buyer = await new_buyer(settings)
    officer = await site.browser(buyer.officer.pid)
    tender_id = await new_tender(buyer, publish=False, title="Fyrste utkast")
    edit = f"{buyer.base}/{tender_id}/edit"

    page = await officer.get(f"{buyer.base}/{tender_id}", headers=EN)
    assert f"{tender_id}/edit" in html.unescape(page.text)
    editor = await officer.get(edit, headers=EN)
    assert editor.status_code == 200
    assert 'value="Fyrste utkast"' in editor.text and "Change the draft" in text_of(editor)

    bad = await post(officer, edit, await editor_form(**{"weight-1": "30"}), headers=EN)
    assert bad.status_code == 422 and "The weights sum to 90, not 100." in text_of(bad)
    changed = await post(officer, edit, await editor_form(title="Betre tittel"), headers=EN)
    assert changed.status_code == 303, changed.text
    assert changed.headers["location"] == f"{buyer.base}/{tender_id}"
    async with tenant_tx(buyer.scope()):
        tender = await tendering.get_tender(tender_id)
        assert tender.title == "Betre tittel" and tender.state == "draft"
        assert [c.name for c in tender.award_criteria] == ["Kvalitet", "Pris"]
        await tendering.publish_tender(tender_id, actor_person_id=buyer.officer.id)

    assert (await officer.get(edit, headers=EN)).status_code == 409
    late = await post(officer, edit, await editor_form(title="For seint"), headers=EN)
    assert late.status_code == 409
    assert "The tender's state does not allow this." in text_of(late)
    async with tenant_tx(buyer.scope()):
        assert (await tendering.get_tender(tender_id)).title == "Betre tittel"
    protocol = await officer.get(f"{buyer.base}/{tender_id}/protocol", headers=EN)
    assert "changed the draft" in text_of(protocol)


async def test_an_evaluator_may_not_change_a_draft(site, settings):
    buyer = await new_buyer(settings)
    evaluator = await site.browser(buyer.evaluator.pid)
    tender_id = await new_tender(buyer, publish=False)
    edit = f"{buyer.base}/{tender_id}/edit"
    assert (await evaluator.get(edit, headers=EN)).status_code in (403, 404)
    refused = await post(evaluator, edit, await editor_form(), headers=EN)
    assert refused.status_code in (403, 404)


async def test_a_signed_contract_is_marked_completed(site, settings):
    buyer = await new_buyer(settings)
    officer = await site.browser(buyer.officer.pid)
    tender_id = await awarded_tender(settings, buyer)
    here = f"{buyer.base}/{tender_id}"
    # Not yet signed: completing is refused, the page says why.
    early = await post(officer, here + "/complete", {}, headers=EN)
    assert early.status_code == 409
    await end_standstill(settings, tender_id)
    assert (await post(officer, here + "/contract", {}, headers=EN)).status_code == 303
    signed = await officer.get(here, headers=EN)
    assert "Mark the contract completed" in text_of(signed)

    done = await post(officer, here + "/complete", {}, headers=EN)
    assert done.status_code == 303
    page = await officer.get(here, headers=EN)
    assert "The tender was completed" in text_of(page)
    assert "Mark the contract completed" not in text_of(page)
    async with tenant_tx(buyer.scope()):
        assert (await tendering.get_tender(tender_id)).state == "completed"


async def test_the_homes_link_to_the_tenders(site, settings):
    buyer = await new_buyer(settings)
    business = await new_business(settings)
    officer = await site.browser(buyer.officer.pid)
    supplier = await site.browser(business.admin.pid)
    home = html.unescape((await officer.get(f"/k/{buyer.tenant.kommunenummer}", headers=EN)).text)
    assert f'href="{buyer.base}"' in home
    own = html.unescape((await supplier.get(business.base, headers=EN)).text)
    for link in (f"{business.base}/bids", "/tenders", f"{business.base}/follows"):
        assert f'href="{link}"' in own
    assert (await supplier.get(business.base + "/follows", headers=EN)).status_code == 200


async def test_an_organisation_follows_a_municipality_from_the_listing_and_stops(site, settings):
    buyer = await new_buyer(settings)
    business = await new_business(settings)
    supplier = await site.browser(business.admin.pid)
    nr = buyer.tenant.kommunenummer
    listing = await supplier.get("/tenders", params={"kommune": nr}, headers=EN)
    assert "Follow the municipality" in text_of(listing)
    # Anyone not acting for an organisation sees no button.
    anonymous = await (await site.browser()).get("/tenders", params={"kommune": nr}, headers=EN)
    assert "Follow the municipality" not in text_of(anonymous)

    followed = await post(
        supplier,
        business.base + "/follows",
        {"kommune": nr, "back": f"/tenders?kommune={nr}"},
        headers=EN,
    )
    assert followed.status_code == 303
    assert followed.headers["location"] == f"/tenders?kommune={nr}"
    again = await supplier.get("/tenders", params={"kommune": nr}, headers=EN)
    assert "Stop following" in text_of(again)
    page = await supplier.get(business.base + "/follows", headers=EN)
    assert f"({nr})" in text_of(page)

    elsewhere = await post(
        supplier, business.base + "/follows/remove", {"kommune": nr, "back": "https://evil.example"}
    )
    assert elsewhere.headers["location"] == business.base + "/follows"
    async with tenant_tx(business.scope):
        assert await follows.follows() == []


async def test_following_nothing_is_refused_with_a_reason(site, settings):
    business = await new_business(settings)
    supplier = await site.browser(business.admin.pid)
    refused = await post(supplier, business.base + "/follows", {}, headers=EN)
    assert refused.status_code == 422
    assert "Choose a municipality or a region." in text_of(refused)
    unknown = await post(supplier, business.base + "/follows", {"kommune": "0000"}, headers=EN)
    assert unknown.status_code == 404
