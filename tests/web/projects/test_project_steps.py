"""A project's one next step, from its page: plan the next sub-project, close the running one with
its report, set the decision point, decide; who may take each step, and who may not."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest

from services.programmes import service as programmes
from services.projects import service as projects
from services.projects.schemas import NewProject
from services.tenancy import service as tenancy
from tenants.context import Scope, tenant_tx
from tests.web.auth.idp import Provider
from tests.web.browsing import (
    HTML,
    in_municipality,
    new_person,
    new_tenant,
    open_site,
    post,
    text_of,
)
from tests.web.projects.plp_pages import browser, field_error, new_plp, project_state

HX = {"HX-Request": "true"}
PLANNERS = "the project owner, sponsor or manager, a case officer or an admin"


@pytest.fixture
async def site(settings, database, demo):
    async with open_site(settings, database, Provider(settings)) as site:
        yield site


@pytest.fixture
async def plp(settings, database, demo):
    return await new_plp(settings)


def next_step(page: str) -> tuple[str, str | None]:
    """The step's text and who may take it, as the page says them."""
    text = re.search(r'id="next-step-text">([^<]*)<', page)[1]
    who = re.search(r'id="next-step-who">([^<]*)<', page)
    return text, who[1] if who else None


async def step_of(client, url: str) -> tuple[str, str | None]:
    response = await client.get(url)
    assert response.status_code == 200
    return next_step(text_of(response))


async def test_a_pre_study_walks_its_steps_to_the_pre_project_from_the_page(site, plp):
    officer = await browser(site, plp.officer)
    url = f"{plp.base}/projects/{plp.projects['tourism']}"
    assert await step_of(officer, url) == ("Plan the pre-project", f"who may take it: {PLANNERS}")
    page = text_of(await officer.get(url))
    assert 'action="' + url + '/plan"' in page

    plan = {
        "phase": "forprosjekt",
        "mandate": "Greie ut eit felles selskap",
        "plan": "Tre arbeidspakkar",
        "budget": "650 000",
        "period_start": "01.09.2026",
        "period_end": "31.05.2027",
    }
    assert (await post(officer, url + "/plan", plan)).status_code == 303
    assert await step_of(officer, url) == (
        "Close the pre-study with its closing report",
        f"who may take it: {PLANNERS}",
    )

    closed = await post(officer, url + "/close", {"closing_report": "Forstudien er ferdig."})
    assert closed.status_code == 303
    assert (await step_of(officer, url))[0] == (
        "Set the date of the decision point after the pre-study"
    )

    due = (date.today() + timedelta(days=10)).isoformat()
    answer = await post(officer, url + "/decision-point", {"due_date": due}, headers=HX)
    assert answer.status_code == 200 and answer.headers["hx-redirect"].startswith(url)
    step = await step_of(officer, url)
    assert step == ("Record the decision on the pre-project", "who may take it: the project owner")
    assert 'id="decide"' not in text_of(await officer.get(url))  # the officer does not decide
    assert 'id="not-yours"' in text_of(await officer.get(url))

    owner = await browser(site, plp.owner)
    assert 'id="decide"' in text_of(await owner.get(url))
    go = {"outcome": "go", "basis": "Sluttrapporten", "decided_on": date.today().isoformat()}
    assert (
        await post(owner, url + "/decision", {**go, "approved_budget": "650000"})
    ).status_code == 303
    after = await project_state(plp, "tourism")
    assert (after.summary.phase, after.summary.status) == ("forprosjekt", "active")
    assert after.summary.approved_budget == Decimal(650_000)
    assert (await step_of(owner, url))[0] == "Plan the main project"


async def test_the_planned_values_are_offered_again_and_can_be_rewritten(site, plp):
    officer = await browser(site, plp.officer)
    url = f"{plp.base}/projects/{plp.projects['industry']}"
    page = text_of(await officer.get(url))
    assert next_step(page)[0] == "Record the decision on the pre-project"
    sub = next(
        s for s in (await project_state(plp, "industry")).sub_projects if s.state == "planned"
    )
    assert sub.budget == Decimal(650_000)


@pytest.mark.parametrize(
    ("lang", "budget", "mandate"),
    [
        ("en", "Write an amount.", "Fill in this field."),
        ("nb", "Skriv et beløp.", "Fyll ut dette feltet."),
    ],
)
async def test_a_bad_plan_is_shown_beside_its_fields_and_nothing_is_saved(
    site, plp, lang, budget, mandate
):
    client = await browser(site, plp.officer, lang=lang)
    url = f"{plp.base}/projects/{plp.projects['tourism']}"
    form = {"phase": "forprosjekt", "mandate": "", "plan": "Noko", "budget": "mykje"}
    refused = await post(client, url + "/plan", form, headers=HX)
    assert refused.status_code == 422
    assert "<html" not in refused.text and 'id="next-step"' in refused.text
    assert field_error(refused.text, "budget") == budget
    assert field_error(refused.text, "mandate") == mandate
    assert 'value="mykje"' in refused.text
    assert len((await project_state(plp, "tourism")).sub_projects) == 1


async def test_closing_without_a_report_is_refused_beside_it(site, plp):
    client = await browser(site, plp.officer, lang="nb")
    url = f"{plp.base}/projects/{plp.projects['food']}"
    refused = await post(client, url + "/close", {"closing_report": "  "})
    assert refused.status_code == 422
    assert field_error(refused.text, "closing_report") == "Fyll ut dette feltet."
    [sub] = (await project_state(plp, "food")).sub_projects
    assert sub.state == "active"


async def test_a_bad_decision_date_is_refused_beside_it(site, plp):
    client = await browser(site, plp.officer)
    url = f"{plp.base}/projects/{plp.projects['food']}"
    assert (await post(client, url + "/close", {"closing_report": "Ferdig"})).status_code == 303
    refused = await post(client, url + "/decision-point", {"due_date": "31.02.2026"})
    assert refused.status_code == 422
    assert field_error(refused.text, "due_date") == "Write a valid date."
    assert (await project_state(plp, "food")).summary.status == "active"


async def test_an_evaluator_sees_the_step_but_may_not_take_it(site, plp, settings):
    evaluator = await new_person(
        settings, "Vurderar", seat=in_municipality(plp.tenant, "evaluator")
    )
    client = await browser(site, evaluator)
    url = f"{plp.base}/projects/{plp.projects['tourism']}"
    page = text_of(await client.get(url))
    assert next_step(page) == ("Plan the pre-project", f"who may take it: {PLANNERS}")
    assert 'id="step-form"' not in page and 'id="not-yours"' in page
    before = await project_state(plp, "tourism")
    form = {"phase": "forprosjekt", "mandate": "M", "budget": "1"}
    assert (await post(client, url + "/plan", form, headers=HTML)).status_code == 403
    assert (
        await post(client, url + "/close", {"closing_report": "x"}, headers=HTML)
    ).status_code == 403
    assert await project_state(plp, "tourism") == before


async def test_the_project_manager_may_plan_whatever_their_role(site, plp, settings):
    manager = await new_person(settings, "Leiar", seat=in_municipality(plp.tenant, "viewer"))
    async with tenant_tx(plp.scope()):
        project_id = await projects.create_project(
            NewProject(
                title=f"Med leiar {plp.tenant.kommunenummer}",
                phase="forstudie",
                budget=Decimal(100_000),
                decided_on=date(2026, 1, 1),
                owner_person_id=plp.owner.id,
                manager_person_id=manager.id,
            ),
            actor_person_id=plp.owner.id,
        )
    client = await browser(site, manager)
    url = f"{plp.base}/projects/{project_id}"
    assert 'id="step-form"' in text_of(await client.get(url))
    assert (await post(client, url + "/close", {"closing_report": "Ferdig"})).status_code == 303


async def test_another_municipality_gets_404_for_every_step(site, plp, settings):
    other = await new_tenant("Annakommune")
    stranger = await new_person(settings, "Framand", seat=in_municipality(other, "admin"))
    client = await browser(site, stranger)
    before = await project_state(plp, "tourism")
    base = f"/k/{other.kommunenummer}/projects/{plp.projects['tourism']}"
    for path, form in (
        ("/plan", {"phase": "forprosjekt", "mandate": "M", "budget": "1"}),
        ("/close", {"closing_report": "x"}),
        ("/decision-point", {"due_date": "2027-01-01"}),
        ("/delegation", {"delegated": "on"}),
        ("/steering-group", {"steering-name-0": "X"}),
    ):
        assert (await post(client, base + path, form, headers=HTML)).status_code == 404
    assert await project_state(plp, "tourism") == before


# --- the owner's decisions, and their delegation to the board ------------------------------------


async def test_the_owner_delegates_to_the_board_and_a_board_member_may_then_decide(
    site, plp, settings
):
    member = await new_person(
        settings, "Styremedlem", seat=in_municipality(plp.tenant, "board_member")
    )
    async with tenant_tx(plp.scope()):
        await programmes.add_board_member(
            plp.programme_id,
            name=member.name,
            seat="business",
            term_start=date(2025, 1, 1),
            person_id=member.id,
            actor_person_id=plp.owner.id,
        )
    url = f"{plp.base}/projects/{plp.projects['industry']}"
    board = await browser(site, member)
    assert 'id="decide"' not in text_of(await board.get(url))

    officer = await browser(site, plp.officer)
    assert 'id="delegation-form"' not in text_of(await officer.get(url))
    refused = await post(officer, url + "/delegation", {"delegated": "on"}, headers=HTML)
    assert refused.status_code == 403

    owner = await browser(site, plp.owner)
    assert 'id="delegation-form"' in text_of(await owner.get(url))
    assert (await post(owner, url + "/delegation", {"delegated": "on"})).status_code == 303
    assert (await project_state(plp, "industry")).decisions_delegated_to_board
    page = text_of(await board.get(url))
    assert next_step(page) == (
        "Record the decision on the pre-project",
        "who may take it: the project owner, or the programme board by delegation",
    )
    assert 'id="decide"' in page
    go = {
        "outcome": "go",
        "basis": "Styret",
        "decided_on": date.today().isoformat(),
        "approved_budget": "650000",
    }
    assert (await post(board, url + "/decision", go)).status_code == 303
    assert (await project_state(plp, "industry")).summary.phase == "forprosjekt"


async def test_a_project_outside_a_programme_cannot_delegate_and_says_why(site, plp):
    async with tenant_tx(plp.scope()):
        project_id = await projects.create_project(
            NewProject(
                title=f"Utan program {plp.tenant.kommunenummer}",
                phase="forstudie",
                budget=Decimal(1),
                decided_on=date(2026, 1, 1),
                owner_person_id=plp.owner.id,
            ),
            actor_person_id=plp.owner.id,
        )
    owner = await browser(site, plp.owner)
    url = f"{plp.base}/projects/{project_id}"
    refused = await post(owner, url + "/delegation", {"delegated": "on"})
    assert refused.status_code == 409
    assert field_error(refused.text, "delegated") == (
        "Only a project of a programme can delegate to its board."
    )


async def test_a_stopped_project_says_nothing_follows(site, plp):
    owner = await browser(site, plp.owner)
    url = f"{plp.base}/projects/{plp.projects['food']}"
    stop = {"outcome": "stop", "basis": "Ikkje grunnlag", "decided_on": date.today().isoformat()}
    assert (await post(owner, url + "/decision", stop)).status_code == 303
    text, who = await step_of(owner, url)
    assert (text, who) == ("The project is closed; nothing follows.", None)
    assert 'id="step-form"' not in text_of(await owner.get(url))


async def test_operation_closed_with_its_report_closes_the_project(site, plp):
    async with tenant_tx(plp.scope()):
        project_id = await projects.create_project(
            NewProject(
                title=f"I drift {plp.tenant.kommunenummer}",
                phase="forprosjekt",
                budget=Decimal(1),
                decided_on=date(2024, 1, 1),
                owner_person_id=plp.owner.id,
            ),
            actor_person_id=plp.owner.id,
        )
        for _next in ("hovudprosjekt", "drift"):
            await projects.reach_decision_point(
                project_id,
                due_date=date(2025, 1, 1),
                closing_report="Ferdig",
                actor_person_id=plp.owner.id,
            )
            await projects.record_decision(
                project_id,
                outcome="go",
                basis="Ja",
                decided_on=date(2025, 1, 1),
                approved_budget=Decimal(1),
                actor_person_id=plp.owner.id,
            )
    client = await browser(site, plp.officer)
    url = f"{plp.base}/projects/{project_id}"
    assert (await step_of(client, url))[0] == "Close the operation with its closing report"
    assert (
        await post(client, url + "/close", {"closing_report": "Driftsrapport"})
    ).status_code == 303
    assert (await step_of(client, url))[0] == "The project is closed; nothing follows."


# --- the steering group --------------------------------------------------------------------------


async def test_a_case_officer_replaces_the_steering_group(site, plp):
    client = await browser(site, plp.officer)
    url = f"{plp.base}/projects/{plp.projects['food']}"
    assert 'id="steering-form"' in text_of(await client.get(url))
    form = {
        "steering-name-0": "Ola Nordmann",
        "steering-represents-0": "Bøndene",
        "steering-name-1": "Kari Nordmann",
    }
    assert (await post(client, url + "/steering-group", form)).status_code == 303
    group = (await project_state(plp, "food")).steering_group
    assert [(m.name, m.represents) for m in group] == [
        ("Ola Nordmann", "Bøndene"),
        ("Kari Nordmann", ""),
    ]
    assert "Ola Nordmann, Bøndene" in text_of(await client.get(url))


# --- the participants of a regional project ------------------------------------------------------


async def test_a_case_officer_makes_a_project_regional_and_back(site, plp):
    partner = await new_tenant("Partnar")
    async with tenant_tx(Scope(operator=True)):
        await tenancy.add_to_region(plp.tenant.region_id, partner.id)
    client = await browser(site, plp.officer)
    url = f"{plp.base}/projects/{plp.projects['food']}"
    page = text_of(await client.get(url))
    assert 'id="shares-form"' in page and partner.name in page

    shares = {"share-0": "70", "participant-1": partner.kommunenummer, "share-1": "30"}
    assert (await post(client, url + "/cost-shares", shares)).status_code == 303
    food = await project_state(plp, "food")
    assert {(p.kommunenummer, p.cost_share) for p in food.participants} == {
        (plp.tenant.kommunenummer, Decimal(70)),
        (partner.kommunenummer, Decimal(30)),
    }
    assert food.summary.regional

    refused = await post(client, url + "/cost-shares", {**shares, "share-1": "20"}, headers=HTML)
    assert refused.status_code == 422
    assert field_error(refused.text, "cost_shares") == "The cost shares sum to 90 %, not 100 %."
    assert len((await project_state(plp, "food")).participants) == 2

    alone = {"share-0": "100"}
    assert (await post(client, url + "/cost-shares", alone)).status_code == 303
    food = await project_state(plp, "food")
    assert food.participants == [] and not food.summary.regional


async def test_an_evaluator_may_not_change_the_participants(site, plp, settings):
    evaluator = await new_person(
        settings, "Vurderar", seat=in_municipality(plp.tenant, "evaluator")
    )
    client = await browser(site, evaluator)
    url = f"{plp.base}/projects/{plp.projects['food']}"
    assert 'id="shares-form"' not in text_of(await client.get(url))
    refused = await post(client, url + "/cost-shares", {"share-0": "100"}, headers=HTML)
    assert refused.status_code == 403
