"""The programme overview as its people use it: money per strategy area and year, KPIs against
targets, and the inline edits of a KPI whose errors show beside the field."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from services.programmes import service as programmes
from tenants.context import tenant_tx
from tests.web.auth.idp import Provider
from tests.web.browsing import in_municipality, new_person, new_tenant, open_site, post, text_of
from tests.web.projects.plp_pages import Plp, browser, field_error, new_plp

HX = {"HX-Request": "true"}


@pytest.fixture
async def site(settings, database, demo):
    async with open_site(settings, database, Provider(settings)) as site:
        yield site


@pytest.fixture
async def plp(settings, database, demo):
    return await new_plp(settings)


async def overview(plp: Plp):
    async with tenant_tx(plp.scope()):
        return await programmes.programme_overview(plp.programme_id)


def kpi_id(view, code: str) -> int:
    return next(k.id for k in view.kpis if k.code == code)


async def test_the_overview_shows_the_budget_per_strategy_area_and_year(site, plp):
    client = await browser(site, plp.owner)
    listed = text_of(await client.get(plp.base + "/programmes"))
    assert f"/programmes/{plp.programme_id}" in listed
    response = await client.get(f"{plp.base}/programmes/{plp.programme_id}")
    assert response.status_code == 200
    page = text_of(response)
    table = re.search(r'<table class="ds-table budget-table".*?</table>', page, re.S)[0]
    assert [y for y in ("2025", "2026", "2027") if f">{y}</th>" in table] == [
        "2025",
        "2026",
        "2027",
    ]
    tourism = re.search(r'<th scope="row">Reiseliv</th>(.*?)</tr>', table, re.S)[1]
    # 60 % of 1,000,000 a year, three years.
    assert re.findall(r'<td class="amount">([^<]+)</td>', tourism) == [
        "60\u00a0%",
        "600,000",
        "600,000",
        "600,000",
        "1,800,000",
    ]
    assert "3,000,000" in table  # the total


async def test_kpis_show_against_their_targets(site, plp):
    async with tenant_tx(plp.scope()):
        jobs = await programmes.kpi_id_by_code(plp.programme_id, "new_jobs")
        await programmes.set_kpi_target(jobs, 2026, Decimal(20), actor_person_id=plp.owner.id)
        await programmes.record_kpi_measurement(
            jobs,
            measured_on=date(2026, 6, 30),
            value=Decimal(5),
            source="Telling",
            actor_person_id=plp.owner.id,
        )
    client = await browser(site, plp.owner)
    page = text_of(await client.get(f"{plp.base}/programmes/{plp.programme_id}"))
    row = re.search(rf'<tr id="kpi-{jobs}">.*?</tr>', page, re.S)[0]
    assert "New jobs" in row and "(30 Jun 2026)" in row
    assert '<progress max="100" value="25"' in row and "25\u00a0%" in row


async def test_a_measurement_recorded_inline_swaps_the_kpis(site, plp):
    client = await browser(site, plp.officer)
    jobs = kpi_id(await overview(plp), "new_jobs")
    url = f"{plp.base}/programmes/{plp.programme_id}/kpis/{jobs}/measurements"
    form = {"measured_on": "2026-03-31", "value": "7", "source": "NAV"}
    swapped = await post(client, url, form, headers=HX)
    assert swapped.status_code == 200
    assert "<html" not in swapped.text and f'id="kpi-{jobs}"' in swapped.text
    assert "HX-Request" in swapped.headers["vary"]
    assert next(k for k in (await overview(plp)).kpis if k.id == jobs).latest_value == 7
    # Without htmx, the same form posts and comes back to the page.
    plain = await post(client, url, {**form, "value": "9"})
    assert plain.status_code == 303
    assert plain.headers["location"].endswith(f"/programmes/{plp.programme_id}#kpis")


@pytest.mark.parametrize(("lang", "message"), [("en", "Write a number."), ("nb", "Skriv et tall.")])
async def test_a_bad_target_is_shown_beside_the_field_and_changes_nothing(site, plp, lang, message):
    client = await browser(site, plp.officer, lang=lang)
    before = await overview(plp)
    jobs = kpi_id(before, "new_jobs")
    url = f"{plp.base}/programmes/{plp.programme_id}/kpis/{jobs}/targets"
    for headers in ({}, HX):
        response = await post(client, url, {"year": "2026", "target": "mange"}, headers=headers)
        assert response.status_code == 422
        assert field_error(response.text, f"target-{jobs}") == message
        assert 'value="mange"' in response.text  # what they wrote is kept
    assert await overview(plp) == before


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "The year is outside the programme's period."),
        ("nb", "Året er utenfor programperioden."),
    ],
)
async def test_a_target_outside_the_period_is_refused_beside_the_year(site, plp, lang, message):
    client = await browser(site, plp.officer, lang=lang)
    before = await overview(plp)
    jobs = kpi_id(before, "new_jobs")
    url = f"{plp.base}/programmes/{plp.programme_id}/kpis/{jobs}/targets"
    response = await post(client, url, {"year": "2031", "target": "10"})
    assert response.status_code == 422
    assert field_error(response.text, f"year-{jobs}") == message
    assert await overview(plp) == before


async def test_a_target_set_inline_is_saved(site, plp):
    client = await browser(site, plp.owner)
    jobs = kpi_id(await overview(plp), "new_jobs")
    url = f"{plp.base}/programmes/{plp.programme_id}/kpis/{jobs}/targets"
    assert (await post(client, url, {"year": "2027", "target": "40"})).status_code == 303
    assert next(k for k in (await overview(plp)).kpis if k.id == jobs).targets == {2027: 40}


async def test_a_viewer_reads_but_may_not_edit(site, plp, settings):
    viewer = await new_person(settings, "Lesar", seat=in_municipality(plp.tenant, "viewer"))
    client = await browser(site, viewer)
    page = await client.get(f"{plp.base}/programmes/{plp.programme_id}")
    assert page.status_code == 200 and "/measurements" not in page.text
    jobs = kpi_id(await overview(plp), "new_jobs")
    url = f"{plp.base}/programmes/{plp.programme_id}/kpis/{jobs}/targets"
    assert (await post(client, url, {"year": "2027", "target": "40"})).status_code == 403


async def test_another_municipalitys_programme_and_kpi_give_404(site, plp, settings):
    other = await new_tenant("Annakommune")
    stranger = await new_person(settings, "Framand", seat=in_municipality(other, "admin"))
    client = await browser(site, stranger)
    before = await overview(plp)
    jobs = kpi_id(before, "new_jobs")
    base = f"/k/{other.kommunenummer}/programmes/{plp.programme_id}"
    assert (await client.get(base, headers={"accept": "text/html"})).status_code == 404
    response = await post(client, f"{base}/kpis/{jobs}/targets", {"year": "2026", "target": "1"})
    assert response.status_code == 404
    # The owner's own programme with a KPI of another programme: not found either.
    mine = await new_plp(settings, "Eigenkommune")
    own = await browser(site, mine.owner)
    url = f"{mine.base}/programmes/{mine.programme_id}/kpis/{jobs}/targets"
    assert (await post(own, url, {"year": "2026", "target": "1"})).status_code == 404
    assert await overview(plp) == before
