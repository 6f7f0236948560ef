"""A municipality that is not in the demo starts its programme from pages: the programme itself,
its stage, funding, board (with the seat balance the method asks for), strategy areas (their
shares summed live) and KPIs; each refusal beside its field, in the user's language."""

from __future__ import annotations

from decimal import Decimal

import pytest

from services.programmes import service as programmes
from tenants.context import tenant_tx
from tests.web.auth.idp import Provider
from tests.web.browsing import new_tenant, open_site, post, text_of
from tests.web.programmes.blank_municipality import new_blank, overview, the_programme
from tests.web.projects.plp_pages import browser, field_error

NEW_PROGRAMME = {
    "name": "Omstilling Nykommune 2026–2029",
    "kind": "omstilling",
    "period_start": "2026",
    "period_end": "2029",
}


@pytest.fixture
async def site(settings, database, demo):
    async with open_site(settings, database, Provider(settings)) as site:
        yield site


@pytest.fixture
async def blank(settings, database, demo):
    return await new_blank(settings)


async def started(site, blank, **extra) -> tuple:
    """The admin starts the programme from a page; their browser and the programme's id."""
    client = await browser(site, blank.admin)
    created = await post(client, f"{blank.base}/programmes", {**NEW_PROGRAMME, **extra})
    assert created.status_code == 303, created.text
    programme_id = await the_programme(blank)
    assert created.headers["location"] == f"{blank.base}/programmes/{programme_id}/setup"
    return client, programme_id


async def test_a_municipality_without_a_programme_is_led_to_start_one(site, blank):
    client = await browser(site, blank.admin)
    home = text_of(await client.get(blank.base))
    assert f'href="{blank.base}/programmes/new"' in home
    listed = text_of(await client.get(f"{blank.base}/programmes"))
    assert "The municipality has no programme yet." in listed
    assert f'href="{blank.base}/programmes/new"' in listed
    form = await client.get(f"{blank.base}/programmes/new")
    assert form.status_code == 200 and blank.neighbour.name in text_of(form)


async def test_the_admin_starts_a_programme_and_sees_its_set_up_page(site, blank):
    client, programme_id = await started(site, blank)
    page = await client.get(f"{blank.base}/programmes/{programme_id}/setup")
    assert page.status_code == 200
    shown = text_of(page)
    assert "Set-up of Omstilling Nykommune 2026–2029" in shown
    for section in ("stage", "funding", "board", "strategy", "kpis"):  # drawn, not escaped
        assert f'<section aria-labelledby="{section}"' in page.text, section
    assert "&lt;" not in page.text
    assert "Move on to: Strategy and anchoring" in shown
    view = await overview(blank, programme_id)
    assert (view.kind, view.period_start, view.period_end, view.stage) == (
        "omstilling",
        2026,
        2029,
        "avklaring",
    )
    assert [k.code for k in view.kpis] == ["new_jobs", "secured_jobs", "new_businesses"]
    home = text_of(await client.get(blank.base))
    assert f"{blank.base}/programmes/{programme_id}" in home


async def test_a_regional_programme_names_its_neighbour(site, blank):
    client, programme_id = await started(site, blank, **{f"member-{blank.neighbour.id}": "on"})
    assert [m.id for m in (await overview(blank, programme_id)).members] == [blank.neighbour.id]
    setup = f"{blank.base}/programmes/{programme_id}/setup"
    assert (
        f'id="member-{blank.neighbour.id}" name="member-{blank.neighbour.id}" value="on" checked'
        in (await client.get(setup)).text
    )
    members = f"{blank.base}/programmes/{programme_id}/members"
    assert (await post(client, members, {})).status_code == 303  # this municipality alone again
    assert (await overview(blank, programme_id)).members == []
    stranger = await new_tenant("Framandkommune")
    refused = await post(client, members, {f"member-{stranger.id}": "on"})
    assert refused.status_code == 422
    assert "A regional programme is run with municipalities of the same region." in text_of(refused)
    assert (await overview(blank, programme_id)).members == []


@pytest.mark.parametrize(
    ("lang", "name", "period"),
    [
        ("en", "Fill in this field.", "The period ends in or after the year it starts."),
        ("nn", "Fyll ut dette feltet.", "Perioden sluttar i eller etter året han startar."),
    ],
)
async def test_a_programme_with_errors_comes_back_with_them_beside_the_fields(
    site, blank, lang, name, period
):
    client = await browser(site, blank.admin, lang=lang)
    refused = await post(
        client,
        f"{blank.base}/programmes",
        {**NEW_PROGRAMME, "name": " ", "period_end": "2020"},
    )
    assert refused.status_code == 422
    assert field_error(refused.text, "name") == name
    refused = await post(
        client, f"{blank.base}/programmes", {**NEW_PROGRAMME, "period_end": "2020"}
    )
    assert refused.status_code == 422
    assert field_error(refused.text, "period_end") == period
    assert 'value="2020"' in refused.text
    refused = await post(
        client, f"{blank.base}/programmes", {**NEW_PROGRAMME, "period_start": "snart"}
    )
    assert refused.status_code == 422 and field_error(refused.text, "period_start")
    async with tenant_tx(blank.scope()):
        assert await programmes.list_programmes() == []


async def test_funding_lines_are_added_per_source_and_year(site, blank):
    client, programme_id = await started(site, blank)
    url = f"{blank.base}/programmes/{programme_id}/funding"
    line = {"source": "county", "year": "2026", "amount": "1 200 000"}
    added = await post(client, url, line)
    assert added.status_code == 303
    assert added.headers["location"].endswith("/setup#funding")
    boosted = await post(client, url, {**line, "year": "2027"}, headers={"HX-Request": "true"})
    # To the page already shown, at an anchor: htmx must load it again, not only scroll.
    assert boosted.headers["hx-redirect"].endswith("/setup#funding")
    assert boosted.headers["hx-refresh"] == "true"
    again = await post(client, url, line)
    assert again.status_code == 409
    assert "This source already has a line for this year." in text_of(again)
    bad = await post(client, url, {**line, "year": "2027", "amount": "mykje"})
    assert bad.status_code == 422
    assert field_error(bad.text, "funding-amount") == "Write an amount."
    view = await overview(blank, programme_id)
    assert [(f.source, f.year, f.amount) for f in view.funding_lines] == [
        ("county", 2026, Decimal(1_200_000)),
        ("county", 2027, Decimal(1_200_000)),
    ]


async def test_the_board_shows_the_seat_balance_the_method_asks_for(site, blank):
    client, programme_id = await started(site, blank)
    url = f"{blank.base}/programmes/{programme_id}/board"
    for name, seat in (("Ordførar Ås", "politician"), ("Dagleg leiar Berg", "business")):
        member = {"name": name, "seat": seat, "term_start": "01.01.2026", "term_end": "31.12.2027"}
        assert (await post(client, url, member)).status_code == 303
    page = text_of(await client.get(f"{blank.base}/programmes/{programme_id}/setup"))
    assert "Politician: 1 of 2 seats" in page and "Business: 1 of 3 seats" in page
    assert "Ordførar Ås" in page
    bad = await post(
        client,
        url,
        {"name": "Tidleg", "seat": "observer", "term_start": "i fjor", "term_end": "2025-01-01"},
    )
    assert bad.status_code == 422
    assert field_error(bad.text, "board-term_start") == "Write a valid date."
    backwards = await post(
        client,
        url,
        {
            "name": "Baklengs",
            "seat": "observer",
            "term_start": "2026-01-01",
            "term_end": "2025-01-01",
        },
    )
    assert backwards.status_code == 422
    assert field_error(backwards.text, "board-term_end") == "The term ends after it starts."
    assert len((await overview(blank, programme_id)).board) == 2


async def test_strategy_areas_are_saved_when_their_shares_make_100(site, blank):
    client, programme_id = await started(site, blank)
    base = f"{blank.base}/programmes/{programme_id}"
    rows = {
        "name_nb-0": "Reiseliv og opplevelser",
        "name_nn-0": "Reiseliv og opplevingar",
        "share-0": "60",
        "name_nb-1": "Tre og industri",
        "name_nn-1": "Tre og industri",
        "share-1": "30",
    }
    live = await client.get(f"{base}/strategy/sum", params=rows, headers={"HX-Request": "true"})
    assert live.status_code == 200 and "90\u00a0%" in text_of(live) and "must be 100" in live.text
    refused = await post(client, f"{base}/strategy", rows)
    assert refused.status_code == 422
    assert "sum to 90 %, not 100 %" in text_of(refused)
    assert 'value="Tre og industri"' in refused.text
    nameless = await post(client, f"{base}/strategy", {**rows, "name_nn-1": "", "share-1": "40"})
    assert nameless.status_code == 422
    assert field_error(nameless.text, "name_nn-1") == "Fill in this field."
    saved = await post(client, f"{base}/strategy", {**rows, "share-1": "40"})
    assert saved.status_code == 303
    areas = (await overview(blank, programme_id)).strategy_areas
    assert [(a.name_nn, a.share) for a in areas] == [
        ("Reiseliv og opplevingar", 60),
        ("Tre og industri", 40),
    ]
    page = text_of(await client.get(f"{base}/setup"))
    assert f'name="id-0" value="{areas[0].id}"' in page and "100\u00a0%" in page


async def test_the_stage_moves_one_step_forward(site, blank):
    client, programme_id = await started(site, blank)
    url = f"{blank.base}/programmes/{programme_id}/stage"
    assert (await post(client, url, {"stage": "strategi_og_forankring"})).status_code == 303
    skipped = await post(client, url, {"stage": "avslutning"})
    assert skipped.status_code == 409
    assert (await overview(blank, programme_id)).stage == "strategi_og_forankring"


async def test_the_programme_adds_its_own_kpi_and_sets_a_baseline(site, blank):
    client, programme_id = await started(site, blank)
    base = f"{blank.base}/programmes/{programme_id}"
    added = await post(client, f"{base}/kpis", {"name": "Nye lærlingar", "baseline": "4"})
    assert added.status_code == 303
    view = await overview(blank, programme_id)
    own = next(k for k in view.kpis if not k.standard)
    assert (own.code, own.name, own.baseline) == ("nye_laerlingar", "Nye lærlingar", 4)
    twice = await post(client, f"{base}/kpis", {"name": "Nye lærlingar"})
    assert twice.status_code == 409
    assert field_error(twice.text, "kpi-name") == "The programme has a KPI with this code."
    jobs = next(k for k in view.kpis if k.code == "new_jobs")
    assert (
        await post(client, f"{base}/kpis/{jobs.id}/baseline", {"baseline": "12"})
    ).status_code == 303
    bad = await post(client, f"{base}/kpis/{jobs.id}/baseline", {"baseline": "tolv"})
    assert bad.status_code == 422
    assert field_error(bad.text, f"baseline-{jobs.id}") == "Write a number."
    jobs = next(k for k in (await overview(blank, programme_id)).kpis if k.code == "new_jobs")
    assert jobs.baseline == 12


@pytest.mark.parametrize("who", ["viewer", "board"])
async def test_who_does_not_manage_the_programme_may_not_set_it_up(site, blank, who):
    _, programme_id = await started(site, blank)
    client = await browser(site, getattr(blank, who))
    base = f"{blank.base}/programmes/{programme_id}"
    page = await client.get(f"{base}/setup")
    assert page.status_code == 200 and f'action="{base}/funding"' not in text_of(page)
    assert (await client.get(f"{blank.base}/programmes/new")).status_code == 403
    attempts = {
        f"{blank.base}/programmes": NEW_PROGRAMME,
        f"{base}/funding": {"source": "county", "year": "2026", "amount": "1"},
        f"{base}/board": {"name": "X", "seat": "observer", "term_start": "2026-01-01"},
        f"{base}/strategy": {"name_nb-0": "A", "name_nn-0": "A", "share-0": "100"},
        f"{base}/stage": {"stage": "strategi_og_forankring"},
        f"{base}/kpis": {"name": "Eigen"},
        f"{base}/members": {f"member-{blank.neighbour.id}": "on"},
    }
    for url, form in attempts.items():
        assert (await post(client, url, form)).status_code == 403, url
    view = await overview(blank, programme_id)
    assert (view.funding_lines, view.board, view.strategy_areas, view.stage) == (
        [],
        [],
        [],
        "avklaring",
    )
