"""The own board of a fund without a programme (a municipality's næringsfond), from the board
meetings page through the real app: the municipality names its members from its own people and
calls a meeting of that board; a person of another municipality, a bad date, a viewer and
another municipality's official are refused."""

from __future__ import annotations

from decimal import Decimal

from services.grants import service as grants
from tenants.context import Scope, connection, tenant_tx
from tests.web.browsing import in_municipality, new_person, new_tenant, post, text_of
from tests.web.grants import test_money_pages as money_pages

# The money pages' own site (a fixture) and logged-in browser.
site, browser = money_pages.site, money_pages.browser
error_beside = money_pages.error_beside


async def _fund_world(settings):
    tenant = await new_tenant("Fondstyrekommune")
    officer = await new_person(
        settings, "Siri Sakshandsamar", seat=in_municipality(tenant, "case_officer")
    )
    member = await new_person(settings, "Ola Næringsliv", seat=in_municipality(tenant, "viewer"))
    async with tenant_tx(Scope(tenant_id=tenant.id, person_id=officer.id)):
        fund_id = await grants.create_fund(
            name="Kommunalt næringsfond",
            max_share=Decimal(50),
            max_amount=Decimal(500_000),
            decision_limit=Decimal(100_000),
            actor_person_id=officer.id,
        )
        today = await connection().fetchval("select (now() at time zone 'Europe/Oslo')::date")
    return tenant, officer, member, fund_id, today


async def _members(tenant, fund_id) -> list[str]:
    async with tenant_tx(Scope(tenant_id=tenant.id)):
        return [m.name for m in await grants.board_of(None, fund_id)]


async def test_the_municipality_names_the_funds_board_and_calls_its_meeting(site, settings):
    tenant, officer, member, fund_id, today = await _fund_world(settings)
    meetings = f"/k/{tenant.kommunenummer}/grants/meetings"
    official = await browser(site, officer.pid)
    home = text_of(await official.get(f"/k/{tenant.kommunenummer}/grants"))
    assert f"meetings#fund-{fund_id}" in home.replace("&#x2f;", "/")
    page = text_of(await official.get(meetings))
    assert "Kommunalt næringsfond" in page and "The fund's board has no members yet." in page
    assert f'<option value="{member.id}">{member.name}</option>' in page
    assert "Call a meeting of the fund&#x27;s board" not in page  # no members, no meeting

    named = await post(
        official,
        f"{meetings}/funds/{fund_id}/members",
        {"person_id": str(member.id), "seat": "business", "term_start": today.isoformat()},
    )
    assert named.status_code == 303 and named.headers["location"].endswith(f"#fund-{fund_id}")
    assert await _members(tenant, fund_id) == [member.name]
    page = text_of(await official.get(meetings))
    assert "The board member is named." in page and "Call the meeting" in page

    undated = await post(
        official, f"{meetings}/funds/{fund_id}/meetings", {"held_on": "", "place": "Rådhuset"}
    )
    assert undated.status_code == 422
    assert error_beside(text_of(undated), f"fund-{fund_id}-meeting-held_on")

    called = await post(
        official,
        f"{meetings}/funds/{fund_id}/meetings",
        {"held_on": today.isoformat(), "place": "Rådhuset"},
    )
    assert called.status_code == 303, called.text
    minutes = text_of(await official.get(called.headers["location"]))
    assert "Kommunalt næringsfond" in minutes and member.name in minutes
    assert "Kommunalt næringsfond" in text_of(await official.get(meetings))


async def test_a_stranger_a_viewer_and_another_municipality_cannot_touch_the_funds_board(
    site, settings
):
    tenant, officer, member, fund_id, today = await _fund_world(settings)
    meetings = f"/k/{tenant.kommunenummer}/grants/meetings"
    naming = {"seat": "business", "term_start": today.isoformat()}
    official = await browser(site, officer.pid)

    other_tenant, other_officer, stranger, other_fund, _ = await _fund_world(settings)
    refused = await post(
        official, f"{meetings}/funds/{fund_id}/members", {**naming, "person_id": str(stranger.id)}
    )
    assert refused.status_code == 404  # only the municipality's own people are offered
    assert "Choose one of the municipality's people." in text_of(refused)
    unchosen = await post(official, f"{meetings}/funds/{fund_id}/members", naming)
    assert unchosen.status_code == 422
    assert error_beside(text_of(unchosen), f"fund-{fund_id}-person_id")

    viewer = await browser(site, member.pid)
    assert "Add a board member" not in text_of(await viewer.get(meetings))
    forbidden = await post(
        viewer, f"{meetings}/funds/{fund_id}/members", {**naming, "person_id": str(member.id)}
    )
    assert forbidden.status_code == 403

    elsewhere = await browser(site, other_officer.pid)
    theirs = f"/k/{other_tenant.kommunenummer}/grants/meetings/funds/{fund_id}"
    ask = await post(elsewhere, f"{theirs}/members", {**naming, "person_id": str(member.id)})
    assert ask.status_code == 404
    called = await post(
        elsewhere, f"{theirs}/meetings", {"held_on": today.isoformat(), "place": "Inntrengar"}
    )
    assert called.status_code == 404
    assert await _members(tenant, fund_id) == []
