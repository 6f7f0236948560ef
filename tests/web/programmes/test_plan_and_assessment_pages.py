"""A year's action plan drafted on its page with goals per strategy area, walked by the board, the
municipality and the county (each step with who and when); the yearly status assessment and the
final evaluation, whose recommendations stand beside the next year's plan."""

from __future__ import annotations

import re
from decimal import Decimal
from html import unescape as text_of_html

import pytest

from services.programmes import service as programmes
from services.programmes.schemas import GoalInput, ScoreInput, StrategyAreaInput
from tenants.context import tenant_tx
from tests.web.auth.idp import Provider
from tests.web.browsing import open_site, post, text_of
from tests.web.programmes.blank_municipality import new_blank, overview
from tests.web.projects.plp_pages import browser, field_error

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
async def site(settings, database, demo):
    async with open_site(settings, database, Provider(settings)) as site:
        yield site


@pytest.fixture
async def world(settings, database, demo):
    """A blank municipality whose admin has started a programme with two strategy areas."""
    blank = await new_blank(settings)
    async with tenant_tx(blank.scope()):
        programme_id = await programmes.create_programme(
            name="Omstilling 2026–2028",
            kind="omstilling",
            period_start=2026,
            period_end=2028,
            actor_person_id=blank.admin.id,
        )
        areas = await programmes.set_strategy_areas(
            programme_id,
            [
                StrategyAreaInput("Reiseliv", "Reiseliv", Decimal(70)),
                StrategyAreaInput("Industri", "Industri", Decimal(30)),
            ],
            actor_person_id=blank.admin.id,
        )
    blank.programme_id = programme_id
    blank.areas = [a.id for a in areas]
    blank.url = f"{blank.base}/programmes/{programme_id}"
    return blank


def goals(world, **extra) -> dict:
    tourism, industry = world.areas
    return {
        "year": "2026",
        f"goal-{tourism}": "20 nye overnattingsdøgn",
        f"measures-{tourism}": "Felles booking",
        f"budget-{tourism}": "700 000",
        f"goal-{industry}": "To nye bedrifter",
        f"budget-{industry}": "300 000",
        **extra,
    }


async def test_a_plan_is_drafted_and_walked_to_the_countys_grant(site, world):
    admin = await browser(site, world.admin)
    raw = (await admin.get(f"{world.url}/plans")).text
    assert '<section aria-labelledby="draft"' in raw and "&lt;" not in raw
    page = text_of_html(raw)
    assert "Draft the action plan for 2026" in page
    drafted = await post(admin, f"{world.url}/plans", goals(world))
    assert drafted.status_code == 303
    [plan] = (await overview(world, world.programme_id)).action_plans
    assert (plan.year, plan.state) == (2026, "draft")
    assert [(g.goal, g.budget) for g in plan.goals] == [
        ("20 nye overnattingsdøgn", 700_000),
        ("To nye bedrifter", 300_000),
    ]
    step = f"{world.url}/plans/{plan.id}/state"
    board = await browser(site, world.board)
    shown = text_of(await board.get(f"{world.url}/plans"))
    assert "Record the board's approval" in shown
    assert (await post(board, step, {"state": "board_approved"})).status_code == 303
    assert (await post(admin, step, {"state": "municipality_approved"})).status_code == 303
    officer = await browser(site, world.officer)
    assert (await post(officer, step, {"state": "county_granted"})).status_code == 303
    page = text_of(await admin.get(f"{world.url}/plans"))
    article = re.search(rf'<article[^>]*id="plan-{plan.id}".*?</article>', page, re.S)[0]
    assert "Granted by the county" in article
    for state, who in (
        ("Draft", world.admin),
        ("Approved by the board", world.board),
        ("Approved by the municipality", world.admin),
        ("Granted by the county", world.officer),
    ):
        assert re.search(rf"<li>{state}: {re.escape(who.name)}, <time", article), state
    assert "<form" not in article  # nothing left to record
    overview_page = text_of(await admin.get(world.url))
    assert "Granted by the county" in overview_page


async def test_a_step_out_of_turn_or_by_the_wrong_role_is_refused(site, world):
    admin = await browser(site, world.admin)
    assert (await post(admin, f"{world.url}/plans", goals(world))).status_code == 303
    [plan] = (await overview(world, world.programme_id)).action_plans
    step = f"{world.url}/plans/{plan.id}/state"
    skipped = await post(admin, step, {"state": "county_granted"})
    assert skipped.status_code == 409
    assert "An action plan cannot go from Draft to Granted by the county." in text_of(skipped)
    board = await browser(site, world.board)
    assert (await post(board, step, {"state": "board_approved"})).status_code == 303
    # The board does not approve for the municipality: its guard lets it in, its use-case not.
    refused = await post(board, step, {"state": "municipality_approved"})
    assert refused.status_code == 403
    viewer = await browser(site, world.viewer)
    assert (await post(viewer, step, {"state": "municipality_approved"})).status_code == 403
    assert (await post(viewer, f"{world.url}/plans", goals(world, year="2027"))).status_code == 403
    officer = await browser(site, world.officer)
    officer_page = text_of(await officer.get(f"{world.url}/plans"))
    assert "Record the municipality's approval" not in officer_page
    [plan] = (await overview(world, world.programme_id)).action_plans
    assert plan.state == "board_approved"


@pytest.mark.parametrize(
    ("lang", "budget", "goal"),
    [
        ("en", "Write an amount.", "Fill in this field."),
        ("nn", "Skriv eit beløp.", "Fyll ut dette feltet."),
    ],
)
async def test_a_draft_with_errors_shows_them_beside_the_goals(site, world, lang, budget, goal):
    tourism, industry = world.areas
    admin = await browser(site, world.admin, lang=lang)
    form = goals(world, **{f"budget-{tourism}": "mykje", f"goal-{industry}": ""})
    refused = await post(admin, f"{world.url}/plans", form)
    assert refused.status_code == 422
    assert field_error(refused.text, f"budget-{tourism}") == budget
    assert field_error(refused.text, f"goal-{industry}") == goal
    assert "20 nye overnattingsdøgn" in text_of(refused)
    assert (await overview(world, world.programme_id)).action_plans == []


async def test_the_recommendations_stand_beside_the_next_years_plan(site, world):
    admin = await browser(site, world.admin)
    tourism, industry = world.areas
    recorded = await post(
        admin,
        f"{world.url}/assessments",
        {
            "kind": "yearly",
            "year": "2026",
            "assessor": "Prosessleiar Dahl",
            f"score-{tourism}": "5",
            f"comment-{tourism}": "God framdrift",
            f"score-{industry}": "2",
            "summary": "Eit godt første år.",
            "recommendations": "Styrk industrisatsinga i 2027.",
        },
        files={"documents": ("rapport.pdf", PDF, "application/pdf")},
    )
    assert recorded.status_code == 303, recorded.text
    [assessment] = (await overview(world, world.programme_id)).assessments
    assert {s.strategy_area_id: s.score for s in assessment.scores} == {tourism: 5, industry: 2}
    raw = (await admin.get(f"{world.url}/assessments")).text
    assert '<section aria-labelledby="recorded"' in raw and "&lt;" not in raw
    page = text_of_html(raw)
    assert "Styrk industrisatsinga i 2027." in page and "God framdrift" in page
    link = re.search(r'href="([^"]*/assessments/\d+/documents/\d+)"', page)[1]
    downloaded = await admin.get(link)
    assert downloaded.status_code == 200 and downloaded.content == PDF
    plans = text_of(await admin.get(f"{world.url}/plans", params={"year": "2027"}))
    beside = re.search(r'<aside class="ds-alert recommendations".*?</aside>', plans, re.S)[0]
    assert "status assessment 2026" in beside and "Styrk industrisatsinga i 2027." in beside
    assert "Scored 2 of 6 in 2026" in plans


async def test_an_assessment_must_score_every_area_and_take_only_documents(site, world):
    admin = await browser(site, world.admin)
    tourism, industry = world.areas
    form = {"kind": "yearly", "year": "2026", f"score-{tourism}": "9", f"score-{industry}": "3"}
    refused = await post(admin, f"{world.url}/assessments", form)
    assert refused.status_code == 422
    assert field_error(refused.text, f"yearly-score-{tourism}") == "A score is 1 to 6."
    missing = await post(admin, f"{world.url}/assessments", {**form, f"score-{tourism}": ""})
    assert missing.status_code == 422
    assert "Score every strategy area." in text_of(missing)
    not_a_pdf = await post(
        admin,
        f"{world.url}/assessments",
        {**form, f"score-{tourism}": "4"},
        files={"documents": ("virus.pdf", b"MZ not a pdf", "application/pdf")},
    )
    assert not_a_pdf.status_code == 422
    assert field_error(not_a_pdf.text, "yearly-documents") == (
        "Upload a PDF, Word (.docx), Excel (.xlsx), PNG or JPEG file."
    )
    assert (await overview(world, world.programme_id)).assessments == []


async def test_the_final_evaluation_is_recorded_once(site, world):
    admin = await browser(site, world.admin)
    final = {"kind": "final", "year": "2028", "assessor": "Evaluator AS", "summary": "Nådde måla."}
    assert (await post(admin, f"{world.url}/assessments", final)).status_code == 303
    page = text_of(await admin.get(f"{world.url}/assessments"))
    assert "Final evaluation 2028" in page and "Record the final evaluation" not in page
    again = await post(admin, f"{world.url}/assessments", final)
    assert again.status_code == 409
    assert "This assessment has already been recorded." in text_of(again)
    viewer = await browser(site, world.viewer)
    assert (
        await post(viewer, f"{world.url}/assessments", {**final, "year": "2027"})
    ).status_code == 403


async def test_another_programmes_plan_is_not_found_here(site, world):
    async with tenant_tx(world.scope()):
        other = await programmes.create_programme(
            name="Eit anna program",
            kind="naeringsutvikling",
            period_start=2026,
            period_end=2027,
            actor_person_id=world.admin.id,
        )
        [area] = await programmes.set_strategy_areas(
            other, [StrategyAreaInput("Alt", "Alt", Decimal(100))], actor_person_id=world.admin.id
        )
        plan = await programmes.create_action_plan(
            other, 2026, [GoalInput(area.id, "Mål")], actor_person_id=world.admin.id
        )
        await programmes.record_status_assessment(
            other,
            kind="yearly",
            year=2026,
            scores=[ScoreInput(area.id, 3)],
            recommendations="",
            actor_person_id=world.admin.id,
        )
    admin = await browser(site, world.admin)
    moved = await post(admin, f"{world.url}/plans/{plan}/state", {"state": "board_approved"})
    assert moved.status_code == 404
