"""The grant actions that change one part of a page answer htmx in place: the ranking, a board
member's habilitet, the meeting's attendance and votes, one more plan line in a draft, and a
payment's approval each come back as the changed part alone (no page around it) with the new
state and a confirmation in it, or with the errors beside the fields (422); without JavaScript the
same action is Post/Redirect/Get to the page."""

from __future__ import annotations

import re

import pytest

from services.grants import service as grants
from tenants.context import tenant_tx
from tests.web.auth.idp import Provider
from tests.web.browsing import open_site, post, text_of
from tests.web.grants.grant_routes import PLANS, BoardWorld, _applicant
from tests.web.grants.money_world import money_world, requested
from tests.web.grants.test_money_pages import browser
from web.i18n import COOKIE as LANGUAGE_COOKIE

HTMX = {"hx-request": "true", "hx-current-url": "http://testserver.local/"}


@pytest.fixture
async def site(settings, database, demo):
    async with open_site(settings, database, Provider(settings)) as site:
        yield site


def english(client):
    client.cookies.set(LANGUAGE_COOKIE, "en", domain="testserver.local")
    return client


def fragment(answer, part_id: str) -> str:
    """The answer's text, checked to be the part with `part_id` alone, not a page around it."""
    page = text_of(answer)
    assert "<html" not in page and "<body" not in page, page[:300]
    assert re.match(rf'\s*(<!--.*?-->\s*)?<\w+[^>]* id="{part_id}"', page, re.S), page[:300]
    return page


async def test_the_ranking_is_saved_in_place_and_a_bad_rank_is_refused_there(site, settings):
    w = await BoardWorld().build(site, settings, recommend=False)
    english(w.client)
    path = f"{w.base}/calls/{w.call_id}/ranking"
    saved = await post(
        w.client,
        path,
        {f"rank-{w.application_id}": "1", f"comment-{w.application_id}": "Best."},
        headers=HTMX,
    )
    assert saved.status_code == 200, saved.text
    part = fragment(saved, "ranking")
    assert "The ranking is saved." in part and "Best." in part
    refused = await post(w.client, path, {f"rank-{w.application_id}": "first"}, headers=HTMX)
    assert refused.status_code == 422
    assert 'class="ds-error-summary"' in fragment(refused, "ranking")
    without_js = await post(w.client, path, {f"rank-{w.application_id}": "2"})
    assert without_js.status_code == 303 and without_js.headers["location"] == path
    async with tenant_tx(w.tenant.id):
        [ranked] = await grants.call_ranking(w.call_id)
    assert (ranked.rank, ranked.rank_comment) == (2, "")


async def test_a_board_members_declaration_is_recorded_in_place(site, settings):
    w = await BoardWorld().build(site, settings)
    english(w.client)
    path = f"{w.base}/applications/{w.application_id}/habilitet"
    refused = await post(w.client, path, {"board_member_id": str(w.member)}, headers=HTMX)
    assert refused.status_code == 422
    assert 'href="#member-conflicted-no"' in fragment(refused, "habilitet")
    recorded = await post(
        w.client,
        path,
        {"board_member_id": str(w.member), "conflicted": "yes", "note": "Eigar."},
        headers=HTMX,
    )
    assert recorded.status_code == 200, recorded.text
    part = fragment(recorded, "habilitet")
    assert "The declaration is recorded." in part and "Yes: Eigar." in part
    again = await post(w.client, path, {"board_member_id": str(w.member), "conflicted": "no"})
    assert again.status_code == 303
    assert again.headers["location"].endswith(f"/applications/{w.application_id}#habilitet")


async def test_the_meetings_attendance_and_votes_update_its_minutes_in_place(site, settings):
    w = await BoardWorld().build(site, settings, meeting=True)
    english(w.client)
    async with tenant_tx(w.scope):
        await grants.declare_member(
            w.application_id, board_member_id=w.member, conflicted=False, actor_person_id=w.admin.id
        )
    meeting = f"{w.base}/meetings/{w.meeting_id}"
    gathered = await post(w.client, f"{meeting}/agenda", {}, headers=HTMX)
    assert gathered.status_code == 200, gathered.text
    assert "Case 1: Kanoturar" in fragment(gathered, "minutes")
    present = await post(
        w.client, f"{meeting}/attendance", {f"present-{w.member}": "on"}, headers=HTMX
    )
    assert present.status_code == 200, present.text
    assert "The attendance is recorded." in fragment(present, "minutes")
    case = f"{meeting}/cases/{w.application_id}"
    no_vote = await post(w.client, case, {"reporting_deadline": "31.12.2099"}, headers=HTMX)
    assert no_vote.status_code == 422
    assert f'href="#votes-{w.application_id}"' in fragment(no_vote, "minutes")
    voted = await post(
        w.client,
        case,
        {f"vote-{w.member}": "granted", "reporting_deadline": "31.12.2099"},
        headers=HTMX,
    )
    assert voted.status_code == 200, voted.text
    part = fragment(voted, "minutes")
    assert "The board's decision is recorded." in part and "Decision: granted" in part
    assert "Styreleiar: for granting" in part


async def test_one_more_plan_line_saves_the_draft_in_place_and_without_javascript(site, settings):
    client, base, _, application_id, probe, _ = await _applicant(site, settings, draft=True)
    english(client)
    path = f"{base}/applications/{application_id}"
    typed = {**PLANS, "cost_description-1": "Marknad", "cost_amount-1": "100 000", "more": "costs"}
    more = await post(client, path, typed, headers=HTMX)
    assert more.status_code == 200, more.text
    part = fragment(more, "draft")
    assert "The draft is saved." in part and 'value="Marknad"' in part
    # the two saved cost lines, two blank ones below them, and the one asked for
    assert 'id="field-cost_description-4"' in part
    assert 'id="field-cost_description-5"' not in part
    assert 'id="field-fin_source-4"' not in part
    assert [line.description for line in (await probe()).costs] == ["Utstyr", "Marknad"]
    refused = await post(client, path, {**typed, "cost_amount-1": "mykje"}, headers=HTMX)
    assert refused.status_code == 422
    assert 'href="#field-cost_description-0"' in fragment(refused, "draft")
    without_js = await post(client, path, {**PLANS, "more": "financing"})
    assert without_js.status_code == 303
    assert without_js.headers["location"] == f"{path}?more=financing#plan-financing"
    page = text_of(await client.get(without_js.headers["location"]))
    assert 'id="field-fin_source-4"' in page and 'id="field-fin_source-5"' not in page


async def test_a_payment_is_approved_in_place_and_its_card_offers_the_next_step(site, settings):
    w = await money_world(settings)
    payment_id = await requested(w, 40_000)
    officer = await browser(site, w.admin.pid)
    decision = f"/k/{w.tenant.kommunenummer}/grants/payments/{payment_id}/decision"
    no_reason = await post(officer, decision, {"outcome": "rejected"}, headers=HTMX)
    assert no_reason.status_code == 422
    assert f'href="#field-reason-{payment_id}"' in fragment(no_reason, f"payment-{payment_id}")
    approved = await post(officer, decision, {"outcome": "approved"}, headers=HTMX)
    assert approved.status_code == 200, approved.text
    card = fragment(approved, f"payment-{payment_id}")
    assert "The payment request is decided." in card and "Record as paid" in card
    paid = await post(officer, decision, {"outcome": "paid"})
    assert paid.status_code == 303
    assert paid.headers["location"].endswith(f"/grants/payments#payment-{payment_id}")
