"""Starting a PLP project from its page: the roles, the steering group, the strategy area, a
regional project's cost shares summed as they are typed — and who may not start one."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

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
from tests.web.projects.plp_pages import browser, field_error, new_plp

HX = {"HX-Request": "true"}


@pytest.fixture
async def site(settings, database, demo):
    async with open_site(settings, database, Provider(settings)) as site:
        yield site


@pytest.fixture
async def plp(settings, database, demo):
    return await new_plp(settings)


async def rows_of(plp, sql: str, *args) -> list[dict]:
    """Rows as the lead municipality sees them, through row-level security."""
    async with tenant_tx(plp.scope()) as tx:
        return [dict(r) for r in await tx.connection.fetch(sql, *args)]


async def projects_titled(plp, title: str) -> list[dict]:
    return await rows_of(plp, "select * from project where title = $1", title)


def form_for(plp, title: str, **extra) -> dict:
    return {
        "title": title,
        "phase": "forstudie",
        "programme": str(plp.programme_id),
        "strategy_area": str(plp.areas["Industri"]),
        "budget": "350 000",
        "decided_on": "15.01.2026",
        "owner": str(plp.owner.id),
        "manager_name": "Rådgjevar AS",
        "mandate": "Finn ut om det er grunnlag",
        "steering-name-0": "Kari Nordmann",
        "steering-represents-0": "Næringslivet",
        "share-0": "100",
        **extra,
    }


async def test_the_list_offers_new_project_to_a_case_officer_and_not_to_an_evaluator(
    site, plp, settings
):
    officer = await browser(site, plp.officer)
    page = text_of(await officer.get(plp.base + "/projects"))
    assert f'href="{plp.base}/projects/new"' in page

    evaluator = await new_person(
        settings, "Vurderar", seat=in_municipality(plp.tenant, "evaluator")
    )
    client = await browser(site, evaluator)
    page = text_of(await client.get(plp.base + "/projects"))
    assert "/projects/new" not in page
    assert (await client.get(plp.base + "/projects/new", headers=HTML)).status_code == 403
    refused = await post(client, plp.base + "/projects", form_for(plp, "Ikkje lov"), headers=HTML)
    assert refused.status_code == 403
    assert await projects_titled(plp, "Ikkje lov") == []


async def test_a_case_officer_starts_a_pre_study_with_its_roles_and_steering_group(site, plp):
    client = await browser(site, plp.officer)
    blank = text_of(await client.get(plp.base + "/projects/new"))
    assert 'value="forprosjekt"' in blank  # a mature idea may start at the pre-project
    assert plp.owner.name in blank and "Industri" in blank

    title = f"Ny forstudie {plp.tenant.kommunenummer}"
    answer = await post(client, plp.base + "/projects", form_for(plp, title))
    assert answer.status_code == 303, answer.text
    [row] = await projects_titled(plp, title)
    assert answer.headers["location"] == f"{plp.base}/projects/{row['id']}"
    assert (row["phase"], row["status"], row["approved_budget"]) == (
        "forstudie",
        "active",
        Decimal(350_000),
    )
    assert (row["owner_person_id"], row["manager_name"]) == (plp.owner.id, "Rådgjevar AS")
    assert (row["programme_id"], row["strategy_area_id"]) == (
        plp.programme_id,
        plp.areas["Industri"],
    )
    assert row["region_id"] is None  # the lead alone at 100 %: a project of its own
    page = text_of(await client.get(answer.headers["location"]))
    assert "Kari Nordmann, Næringslivet" in page and "Rådgjevar AS" in page


async def test_a_mature_idea_starts_at_the_pre_project(site, plp):
    client = await browser(site, plp.officer)
    title = f"Moden idé {plp.tenant.kommunenummer}"
    answer = await post(client, plp.base + "/projects", form_for(plp, title, phase="forprosjekt"))
    assert answer.status_code == 303
    [row] = await projects_titled(plp, title)
    assert row["phase"] == "forprosjekt"


@pytest.mark.parametrize(
    ("lang", "budget", "decided", "owner"),
    [
        ("en", "Write an amount.", "Write a valid date.", "Name the project owner."),
        ("nb", "Skriv et beløp.", "Skriv en gyldig dato.", None),
    ],
)
async def test_bad_values_are_shown_beside_their_fields_and_nothing_is_saved(
    site, plp, lang, budget, decided, owner
):
    client = await browser(site, plp.officer, lang=lang)
    title = f"Feil {lang} {plp.tenant.kommunenummer}"
    form = form_for(plp, title, budget="mykje", decided_on="32.13.2026", owner="")
    refused = await post(client, plp.base + "/projects", form, headers=HX)
    assert refused.status_code == 422
    assert "<html" not in refused.text  # the editor alone, swapped in place
    assert field_error(refused.text, "budget") == budget
    assert field_error(refused.text, "decided_on") == decided
    if owner:
        assert field_error(refused.text, "owner") == owner
    else:
        assert field_error(refused.text, "owner")  # translated by the lead's catalogue
    assert f'value="{title}"' in text_of(refused)  # what they wrote is kept
    assert await projects_titled(plp, title) == []


async def test_a_strategy_area_of_no_programme_is_refused_beside_it(site, plp):
    client = await browser(site, plp.officer)
    title = f"Utan program {plp.tenant.kommunenummer}"
    refused = await post(client, plp.base + "/projects", form_for(plp, title, programme=""))
    assert refused.status_code == 422
    assert (
        field_error(refused.text, "strategy_area")
        == "Choose one of the programme's strategy areas."
    )
    assert await projects_titled(plp, title) == []


# --- a regional project ---------------------------------------------------------------------------


async def with_partner(plp):
    partner = await new_tenant("Partnar")
    async with tenant_tx(Scope(operator=True)):
        await tenancy.add_to_region(plp.tenant.region_id, partner.id)
    return partner


async def test_the_sum_of_the_cost_shares_is_shown_as_they_are_typed(site, plp):
    partner = await with_partner(plp)
    client = await browser(site, plp.officer)
    editor = text_of(await client.get(plp.base + "/projects/new"))
    assert partner.name in editor  # a municipality of the region may take part
    assert 'hx-get="' + plp.base + '/projects/new/shares"' in editor
    query = {"share-0": "60", "participant-1": partner.kommunenummer, "share-1": "30"}
    summed = await client.get(plp.base + "/projects/new/shares", params=query, headers=HX)
    assert summed.status_code == 200 and "<html" not in summed.text
    assert re.search(r'data-sum="90"', summed.text) and "must be 100" in summed.text
    summed = await client.get(
        plp.base + "/projects/new/shares", params={**query, "share-1": "40"}, headers=HX
    )
    assert 'data-sum="100"' in summed.text and "must be 100" not in summed.text


async def test_a_regional_project_is_started_with_its_participants_and_shares(site, plp):
    partner = await with_partner(plp)
    client = await browser(site, plp.officer)
    title = f"Felles {plp.tenant.kommunenummer}"
    shares = {"share-0": "60,5", "participant-1": partner.kommunenummer, "share-1": "39,5"}
    answer = await post(client, plp.base + "/projects", form_for(plp, title, **shares))
    assert answer.status_code == 303, answer.text
    [row] = await projects_titled(plp, title)
    assert row["region_id"] == plp.tenant.region_id
    stored = await rows_of(
        plp,
        "select municipality_id, cost_share from project_participant where project_id = $1"
        " order by cost_share desc",
        row["id"],
    )
    assert [(r["municipality_id"], r["cost_share"]) for r in stored] == [
        (plp.tenant.id, Decimal("60.5")),
        (partner.id, Decimal("39.5")),
    ]


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "The cost shares sum to 90 %, not 100 %."),
        ("nn", None),
    ],
)
async def test_cost_shares_not_summing_to_100_are_refused_beside_them(site, plp, lang, message):
    partner = await with_partner(plp)
    client = await browser(site, plp.officer, lang=lang)
    title = f"Skeiv {lang} {plp.tenant.kommunenummer}"
    shares = {"share-0": "60", "participant-1": partner.kommunenummer, "share-1": "30"}
    refused = await post(client, plp.base + "/projects", form_for(plp, title, **shares))
    assert refused.status_code == 422
    shown = field_error(refused.text, "cost_shares")
    assert shown and "90" in shown
    if message:
        assert shown == message
    assert f'value="{partner.kommunenummer}" selected' in refused.text
    assert await projects_titled(plp, title) == []
