"""A tilsegn ended from the pages, through the real app: the business withdraws its active
tilsegn from its application's page (a reason is asked first), the municipality cancels one from
the case's money page, refused while a payment request waits; another municipality's official
and a viewer may not cancel."""

from __future__ import annotations

from services.grants import service as grants
from tenants.context import tenant_tx
from tests.web.browsing import in_municipality, new_person, post, text_of
from tests.web.grants import test_money_pages as money_pages
from tests.web.grants.money_world import money_world, requested

# The money pages' own site (a fixture) and logged-in browser.
site, browser = money_pages.site, money_pages.browser
error_beside = money_pages.error_beside


async def _state(w) -> str:
    async with tenant_tx(w.municipality):
        return (await grants.tilsegn(w.application_id, as_applicant=False)).tilsegn_state


async def test_the_business_withdraws_its_active_tilsegn_from_its_applications_page(site, settings):
    w = await money_world(settings)
    business = await browser(site, w.applicant.pid)
    page = text_of(await business.get(w.own))
    assert "Withdraw the tilsegn" in page
    assert f'action="{w.own}/tilsegn/withdrawal"' in page.replace("&#x2f;", "/")

    blank = await post(business, f"{w.own}/tilsegn/withdrawal", {"reason": " "})
    assert blank.status_code == 422
    assert error_beside(text_of(blank), "withdraw-reason")
    assert await _state(w) == "active"

    done = await post(
        business, f"{w.own}/tilsegn/withdrawal", {"reason": "Prosjektet er lagt ned."}
    )
    assert done.status_code == 303 and done.headers["location"].endswith("#tilsegn")
    assert await _state(w) == "withdrawn"
    after = text_of(await business.get(w.own))
    assert "The tilsegn is withdrawn." in after and "Withdraw the tilsegn" not in after
    assert "Withdrawn by the applicant" in after  # the application says what became of it
    again = await post(business, f"{w.own}/tilsegn/withdrawal", {"reason": "Ein gong til."})
    assert again.status_code == 409


async def test_the_municipality_cancels_a_tilsegn_but_not_while_a_request_waits(site, settings):
    w = await money_world(settings)
    payment_id = await requested(w, 40_000)
    officer = await browser(site, w.admin.pid)
    money = text_of(await officer.get(f"{w.case}/money"))
    assert "Cancel the tilsegn" in money

    refused = await post(officer, f"{w.case}/tilsegn/cancellation", {"reason": "Vilkår er brotne."})
    assert refused.status_code == 409
    assert "Payment requests wait for a decision" in text_of(refused)
    assert await _state(w) == "active"

    async with tenant_tx(w.municipality):
        await grants.decide_payment(
            payment_id, outcome="rejected", reason="Manglar kvittering.", actor_person_id=w.admin.id
        )
    done = await post(officer, f"{w.case}/tilsegn/cancellation", {"reason": "Vilkår er brotne."})
    assert done.status_code == 303 and done.headers["location"].endswith("/money#tilsegn")
    assert await _state(w) == "cancelled"
    after = text_of(await officer.get(f"{w.case}/money"))
    assert "Cancelled by the municipality" in after and "Vilkår er brotne." in after
    assert "Yes, cancel the tilsegn" not in after


async def test_a_viewer_and_another_municipality_may_not_cancel_a_tilsegn(site, settings):
    w = await money_world(settings)
    viewer = await new_person(settings, "Lesar", seat=in_municipality(w.tenant, "viewer"))
    reader = await browser(site, viewer.pid)
    assert "Cancel the tilsegn" not in text_of(await reader.get(f"{w.case}/money"))
    refused = await post(reader, f"{w.case}/tilsegn/cancellation", {"reason": "Nei."})
    assert refused.status_code == 403

    other = await money_world(settings)
    stranger = await browser(site, other.admin.pid)
    path = f"/k/{other.tenant.kommunenummer}/grants/applications/{w.application_id}"
    ask = await post(stranger, f"{path}/tilsegn/cancellation", {"reason": "Inntrengar."})
    assert ask.status_code == 404
    assert await _state(w) == "active"
