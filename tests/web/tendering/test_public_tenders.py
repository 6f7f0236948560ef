"""The public listing of published tenders, as pages and JSON, its filters, and the OCDS export."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.tendering import service as tendering
from services.tendering.rules import OSLO
from tenants.context import tenant_tx
from tests.services.tendering.tendering_helpers import awarded_tender
from tests.web.browsing import HTML, text_of
from tests.web.tendering.tender_world import db_clock, new_buyer, new_tender, opened_tender
from web.paging import PAGE

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture
async def two_buyers(settings):
    """Two municipalities in two regions: one with a published tender and a draft, one with a
    published tender whose deadline is further away."""
    first, second = await new_buyer(settings, "Fyrste"), await new_buyer(settings, "Andre")
    now = await db_clock()
    first.tenders["open"] = await new_tender(first, title="Fyrste open konkurranse")
    first.tenders["draft"] = await new_tender(first, publish=False, title="Hemmeleg utkast")
    second.tenders["later"] = await new_tender(
        second, title="Andre open konkurranse", bid_deadline=now + timedelta(days=40)
    )
    return first, second


async def test_the_listing_needs_no_login_and_never_shows_drafts(client, two_buyers):
    first, second = two_buyers

    # The list is paged by deadline and the whole run's tenders share it: each buyer's own
    # tenders are looked for where its municipality's are listed.
    async def page_of(kommune: str) -> str:
        page = await client.get("/tenders", params={"kommune": kommune}, headers=HTML)
        assert page.status_code == 200
        return text_of(page)

    shown = await page_of(first.tenant.kommunenummer)
    assert "Fyrste open konkurranse" in shown and "Hemmeleg utkast" not in shown
    assert "Andre open konkurranse" in await page_of(second.tenant.kommunenummer)
    assert "Vidareføring av næringsutviklingsarbeidet 2026–2029" in await page_of("5034")  # Meråker

    async def ids_of(kommune: str) -> set[int]:
        answer = await client.get("/api/v1/tenders", params={"kommune": kommune})
        return {t["id"] for t in answer.json()["tenders"]}

    assert await ids_of(first.tenant.kommunenummer) == {first.tenders["open"]}  # not the draft
    assert await ids_of(second.tenant.kommunenummer) == {second.tenders["later"]}
    listed = (await client.get("/api/v1/tenders")).json()
    # A page of them (the count is of all): the API pages as the list does.
    assert len(listed["tenders"]) <= listed["count"]
    assert listed["next"] is None or len(listed["tenders"]) == PAGE
    assert all(t["state"] == "published" for t in listed["tenders"])


async def test_the_filters_choose_by_municipality_region_and_deadline(client, two_buyers):
    first, second = two_buyers
    api = "/api/v1/tenders"

    async def ids(query: dict) -> set[int]:
        response = await client.get(api, params=query)
        assert response.status_code == 200, response.text
        return {t["id"] for t in response.json()["tenders"]}

    assert await ids({"kommune": first.tenant.kommunenummer}) == {first.tenders["open"]}
    assert await ids({"region": second.tenant.region_slug}) == {second.tenders["later"]}
    soon = (await db_clock() + timedelta(days=20)).astimezone(OSLO).date().isoformat()
    # With each buyer's municipality too: the run's other tenders page the list by deadline.
    mine, theirs = first.tenant.kommunenummer, second.tenant.kommunenummer
    assert await ids({"deadline_before": soon, "kommune": mine}) == {first.tenders["open"]}
    assert await ids({"deadline_before": soon, "kommune": theirs}) == set()
    assert await ids({"deadline_from": soon, "kommune": theirs}) == {second.tenders["later"]}
    assert await ids({"deadline_from": soon, "kommune": mine}) == set()

    # The page takes the same filters, and keeps them in its form.
    page = await client.get(
        "/tenders", params={"kommune": first.tenant.kommunenummer}, headers=HTML
    )
    shown = text_of(page)
    assert "Fyrste open konkurranse" in shown and "Andre open konkurranse" not in shown
    assert f'value="{first.tenant.kommunenummer}" selected' in shown
    # An htmx request of the filter form gets the list fragment only, and the answer varies by it.
    fragment = await client.get(
        "/tenders",
        params={"region": second.tenant.region_slug},
        headers={**HTML, "hx-request": "true"},
    )
    assert "HX-Request" in [v.strip() for v in fragment.headers["vary"].split(",")]
    assert "<html" not in fragment.text and "Andre open konkurranse" in text_of(fragment)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"kommune": "50x4"}, "kommune"),
        ({"deadline_from": "i morgon"}, "deadline_from"),
        ({"deadline_before": "2026-13-45"}, "deadline_before"),
        ({"region": "<script>"}, "region"),
    ],
)
async def test_a_bad_filter_is_refused_with_its_reason(client, query, field):
    response = await client.get("/api/v1/tenders", params=query, headers={"accept-language": "en"})
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == field and body["detail"] and body["error"].startswith("filter_")

    page = await client.get("/tenders", params=query, headers={**HTML, "accept-language": "en"})
    assert page.status_code == 422
    assert f'id="error-{field}"' in page.text
    assert body["detail"] in text_of(page)


async def test_the_public_tender_page_shows_a_published_tender_and_hides_a_draft(
    client, two_buyers
):
    first, _ = two_buyers
    page = await client.get(f"/tenders/{first.tenders['open']}", headers=HTML)
    assert page.status_code == 200
    assert "Fyrste open konkurranse" in text_of(page) and "Kvalitet" in text_of(page)
    draft = await client.get(f"/tenders/{first.tenders['draft']}", headers=HTML)
    assert draft.status_code == 404
    assert "Hemmeleg utkast" not in text_of(draft)


async def test_the_ocds_release_package_of_an_awarded_tender(client):
    _, tender_id, *_ = await awarded_tender()
    response = await client.get(f"/api/v1/tenders/{tender_id}/ocds")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    package = response.json()
    [release] = package["releases"]
    assert package["version"] == "1.1"
    assert release["tag"] == ["award"]
    assert release["tender"]["numberOfTenderers"] == 3
    [award] = release["awards"]
    assert award["status"] == "pending"  # in its standstill
    assert award["value"] == {"amount": 450000.0, "currency": "NOK"}


async def test_ocds_of_a_draft_or_an_unknown_tender_is_404(client, two_buyers):
    first, _ = two_buyers
    draft = await client.get(f"/api/v1/tenders/{first.tenders['draft']}/ocds")
    assert draft.status_code == 404
    assert "Hemmeleg utkast" not in draft.text
    assert (await client.get("/api/v1/tenders/987654321/ocds")).status_code == 404
    published = await client.get(f"/api/v1/tenders/{first.tenders['open']}/ocds")
    assert published.status_code == 200
    assert published.json()["releases"][0]["tag"] == ["tender"]


async def test_an_opened_tender_publishes_no_bid_before_its_award_notice(client, settings):
    buyer = await new_buyer(settings, "Opningskommune")
    tender_id, _ = await opened_tender(settings, buyer, prices=("410000", "390000"))
    response = await client.get(f"/api/v1/tenders/{tender_id}/ocds")
    assert response.status_code == 200, response.text
    text = response.text
    assert "410000" not in text and "390000" not in text
    [release] = response.json()["releases"]
    assert "bids" not in release and "awards" not in release


async def test_a_draft_cancelled_before_publishing_stays_private_reason_and_all(client, settings):
    buyer = await new_buyer(settings, "Angrande")
    tender_id = await new_tender(buyer, publish=False, title="Avlyst utkast")
    reason = "Intern grunn: rådmannen sa nei."
    async with tenant_tx(buyer.scope()):
        await tendering.cancel_tender(tender_id, actor_person_id=buyer.officer.id, reason=reason)

    page = await client.get(f"/tenders/{tender_id}", headers=HTML)
    assert page.status_code == 404
    assert "Avlyst utkast" not in page.text and reason not in page.text
    ocds = await client.get(f"/api/v1/tenders/{tender_id}/ocds")
    assert ocds.status_code == 404 and reason not in ocds.text
    listing = await client.get("/tenders", headers=HTML)
    assert "Avlyst utkast" not in listing.text and reason not in listing.text
    api = (await client.get("/api/v1/tenders")).json()
    assert tender_id not in {t["id"] for t in api["tenders"]}
