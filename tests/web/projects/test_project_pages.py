"""The project pages as their people use them: the list and its filters, exports, a project's
timeline, the owner's decision, status reports and documents — and who may not do what."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests.web.auth.idp import Provider
from tests.web.browsing import (
    in_municipality,
    new_person,
    new_tenant,
    open_site,
    operator_rows,
    post,
    text_of,
)
from tests.web.projects.plp_pages import browser, field_error, new_plp, project_state

HX = {"HX-Request": "true"}


@pytest.fixture
async def site(settings, database, demo):
    async with open_site(settings, database, Provider(settings)) as site:
        yield site


@pytest.fixture
async def plp(settings, database, demo):
    return await new_plp(settings)


def titles_in(page: str) -> list[str]:
    return re.findall(r'<a class="ds-link" href="/k/\d{4}/projects/\d+">([^<]+)</a>', page)


# --- the list -----------------------------------------------------------------------------------


async def test_the_list_shows_every_project_and_flags_the_overdue_decision(site, plp):
    client = await browser(site, plp.owner)
    response = await client.get(plp.base + "/projects")
    assert response.status_code == 200
    page = text_of(response)
    assert sorted(titles_in(page)) == sorted(plp.titles.values())
    overdue_row = re.search(r'<tr class="overdue">.*?</tr>', page, re.S)[0]
    assert plp.titles["industry"] in overdue_row and "Overdue" in overdue_row
    assert page.count('class="overdue"') == 1


@pytest.mark.parametrize("area", ["²", "9" * 40, "-1", "1e3"])
async def test_a_filter_value_no_area_can_have_is_ignored_not_a_500(site, plp, area):
    client = await browser(site, plp.owner)
    for path in ("/projects", "/projects.csv"):
        answer = await client.get(plp.base + path, params={"strategy_area": area})
        assert answer.status_code == 200, (path, area)


async def test_filters_narrow_the_list_and_live_in_the_url(site, plp):
    client = await browser(site, plp.owner)
    query = f"phase=forstudie&strategy_area={plp.areas['Reiseliv']}"
    response = await client.get(f"{plp.base}/projects?{query}")
    page = text_of(response)
    assert titles_in(page) == [plp.titles["tourism"]]
    assert f'<option value="{plp.areas["Reiseliv"]}" selected>' in page
    assert '<option value="forstudie" selected>' in page
    assert f"/projects.csv?{query}" in page and f"/projects.xlsx?{query}" in page

    # htmx asks for the same URL: it gets the filter and the rows only, and pushes the URL.
    swapped = await client.get(f"{plp.base}/projects?status=awaiting_decision", headers=HX)
    assert swapped.status_code == 200
    assert "<html" not in swapped.text and 'hx-push-url="true"' in swapped.text
    assert titles_in(text_of(swapped)) == [plp.titles["industry"]]
    assert "HX-Request" in swapped.headers["vary"]
    # A boosted link, or a history restore, to the same URL gets the whole page.
    for header in ({"HX-Boosted": "true"}, {"HX-History-Restore-Request": "true"}):
        full = await client.get(f"{plp.base}/projects?status=active", headers={**HX, **header})
        assert "<html" in full.text


async def test_an_unknown_filter_value_filters_nothing(site, plp):
    client = await browser(site, plp.owner)
    response = await client.get(plp.base + "/projects?phase=bogus&strategy_area=x&status=")
    assert response.status_code == 200
    assert len(titles_in(text_of(response))) == 3


async def test_the_csv_export_holds_the_filtered_rows(site, plp):
    client = await browser(site, plp.owner)
    response = await client.get(f"{plp.base}/projects.csv?phase=forstudie")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Title", "Lead municipality", "Sub-project"]
    assert sorted(r[0] for r in rows[1:]) == sorted([plp.titles["tourism"], plp.titles["industry"]])
    industry = next(r for r in rows if r[0] == plp.titles["industry"])
    assert industry[2:4] == ["Pre-study", "Awaiting decision"]
    assert industry[5] == "300000" and industry[8] == "Yes"


async def test_the_xlsx_export_holds_the_filtered_rows(site, plp):
    client = await browser(site, plp.owner)
    response = await client.get(f"{plp.base}/projects.xlsx?status=active")
    assert response.status_code == 200
    assert "spreadsheetml" in response.headers["content-type"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Title"
    assert sorted(r[0] for r in rows[1:]) == sorted([plp.titles["tourism"], plp.titles["food"]])
    food = next(r for r in rows if r[0] == plp.titles["food"])
    assert food[5] == 800000  # a number Excel can sum, not text
    assert food[2] == "Pre-project"


# --- one project -------------------------------------------------------------------------------


async def test_the_project_page_shows_its_sub_projects_and_decision_points(site, plp):
    client = await browser(site, plp.owner)
    response = await client.get(f"{plp.base}/projects/{plp.projects['industry']}")
    assert response.status_code == 200
    page = text_of(response)
    timeline = re.search(r'<ol class="timeline">.*?</ol>', page, re.S)[0]
    steps = re.findall(r'<h3 class="ds-heading" data-size="xs">\s*([^<]+?)\s*<', timeline)
    assert steps == [
        "Funding decision",
        "Pre-study",
        "Decision point after pre-study",
        "Pre-project",
    ]
    assert "Overdue" in timeline and "Forstudien er ferdig." in timeline
    assert 'id="decide"' in page  # the owner may decide


async def test_a_non_owner_gets_no_decision_button_and_a_post_is_refused(site, plp):
    client = await browser(site, plp.officer)
    url = f"{plp.base}/projects/{plp.projects['industry']}"
    page = await client.get(url)
    assert page.status_code == 200 and 'id="decide"' not in page.text
    assert (await client.get(url + "/decision")).status_code == 403
    before = await project_state(plp, "industry")
    form = {
        "outcome": "go",
        "basis": "Eg meiner det",
        "decided_on": "2026-01-10",
        "approved_budget": "650000",
    }
    refused = await post(client, url + "/decision", form, headers={"accept": "text/html"})
    assert refused.status_code == 403
    assert await project_state(plp, "industry") == before


async def test_the_owner_records_go_and_the_project_moves_with_the_approved_budget(site, plp):
    client = await browser(site, plp.owner)
    url = f"{plp.base}/projects/{plp.projects['industry']}"
    dialog = await client.get(url + "/decision", headers=HX)
    assert dialog.status_code == 200 and "<dialog open" in dialog.text
    assert 'value="650000"' in dialog.text  # the planned pre-project's budget, to approve
    form = {
        "outcome": "go",
        "basis": "Sluttrapporten",
        "decided_on": "2026-01-10",
        "approved_budget": "700 000",
    }
    answer = await post(client, url + "/decision", form, headers=HX)
    assert answer.status_code == 200 and answer.headers["hx-redirect"] == url
    after = await project_state(plp, "industry")
    assert (after.summary.phase, after.summary.status) == ("forprosjekt", "active")
    assert after.summary.approved_budget == Decimal(700_000)
    page = text_of(await client.get(url))
    assert re.search(r'id="current-phase">Pre-project<', page)
    assert re.search(r'id="approved-budget">NOK 700,000<', page)


@pytest.mark.parametrize(
    ("lang", "message"), [("en", "Fill in this field."), ("nb", "Fyll ut dette feltet.")]
)
async def test_a_decision_without_a_basis_is_shown_beside_the_field(site, plp, lang, message):
    client = await browser(site, plp.owner, lang=lang)
    url = f"{plp.base}/projects/{plp.projects['industry']}/decision"
    before = await project_state(plp, "industry")
    form = {"outcome": "go", "basis": "", "decided_on": "2026-01-10", "approved_budget": "1"}
    response = await post(client, url, form)
    assert response.status_code == 422
    assert field_error(response.text, "basis") == message
    assert 'value="1"' in response.text  # what they wrote is kept
    assert await project_state(plp, "industry") == before


async def test_another_municipalitys_project_gives_404(site, plp, settings):
    other = await new_tenant("Annakommune")
    stranger = await new_person(settings, "Framand", seat=in_municipality(other, "admin"))
    client = await browser(site, stranger)
    before = await project_state(plp, "industry")
    for path in ("", "/decision"):
        url = f"/k/{other.kommunenummer}/projects/{plp.projects['industry']}{path}"
        assert (await client.get(url, headers={"accept": "text/html"})).status_code == 404
    form = {"outcome": "stop", "basis": "x", "decided_on": "2026-01-10"}
    url = f"/k/{other.kommunenummer}/projects/{plp.projects['industry']}/decision"
    assert (await post(client, url, form)).status_code == 404
    assert await project_state(plp, "industry") == before
    listed = text_of(await client.get(f"/k/{other.kommunenummer}/projects"))
    assert plp.titles["industry"] not in listed


# --- status reports and documents -----------------------------------------------------------------


async def test_a_status_report_is_saved_and_a_bad_amount_shown_beside_its_field(site, plp):
    client = await browser(site, plp.officer, lang="nb")
    url = f"{plp.base}/projects/{plp.projects['food']}/status-reports"
    form = {
        "period_start": "2026-01-01",
        "period_end": "2026-03-31",
        "progress": "Godt i gang",
        "spent": "mye",
        "planned": "200000",
        "kpi_new_jobs": "2",
    }
    refused = await post(client, url, form, headers=HX)
    assert refused.status_code == 422
    assert "<html" not in refused.text and 'id="report-form"' in refused.text
    assert field_error(refused.text, "spent") == "Skriv et beløp."
    # Every standard KPI has its field, named in the page's language, and keeps what was typed.
    assert re.search(r'name="kpi_new_jobs"[^>]*value="2"', refused.text)
    assert ">Nye arbeidsplasser<" in refused.text and 'name="kpi_new_businesses"' in refused.text
    assert (await project_state(plp, "food")).status_reports == []

    saved = await post(client, url, {**form, "spent": "150 000"})
    assert saved.status_code == 303
    [report] = (await project_state(plp, "food")).status_reports
    assert (report.spent, report.kpi_contributions) == (Decimal(150_000), {"new_jobs": 2})


async def test_a_status_report_takes_amounts_and_dates_as_norwegians_write_them(site, plp):
    client = await browser(site, plp.officer, lang="nn")
    url = f"{plp.base}/projects/{plp.projects['food']}/status-reports"
    form = {
        "period_start": "01.01.2026",
        "period_end": "31.03.2026",
        "progress": "Godt i gang",
        "spent": "1 200 000,50 kr",
        "planned": "1.500.000",
    }
    saved = await post(client, url, form)
    assert saved.status_code == 303
    [report] = (await project_state(plp, "food")).status_reports
    assert (report.spent, report.planned) == (Decimal("1200000.50"), Decimal(1_500_000))
    assert (report.period_start.isoformat(), report.period_end.isoformat()) == (
        "2026-01-01",
        "2026-03-31",
    )


PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "Upload a PDF, Word (.docx), Excel (.xlsx), PNG or JPEG file."),
        ("nb", "Last opp en PDF-, Word- (.docx), Excel- (.xlsx), PNG- eller JPEG-fil."),
    ],
)
async def test_a_renamed_exe_is_refused_beside_the_field(site, plp, lang, message):
    client = await browser(site, plp.officer, lang=lang)
    url = f"{plp.base}/projects/{plp.projects['food']}/documents"
    files = {"file": ("rapport.pdf", EXE, "application/pdf")}
    refused = await post(client, url, files=files)
    assert refused.status_code == 422
    assert field_error(refused.text, "file") == message
    assert (await project_state(plp, "food")).documents == []


async def test_a_pdf_is_stored_listed_and_downloaded(site, plp):
    client = await browser(site, plp.officer)
    url = f"{plp.base}/projects/{plp.projects['food']}/documents"
    saved = await post(client, url, files={"file": ("Mandat æøå.pdf", PDF, "application/pdf")})
    assert saved.status_code == 303
    [document] = (await project_state(plp, "food")).documents
    assert (document.name, document.size) == ("Mandat æøå.pdf", len(PDF))
    page = text_of(await client.get(f"{plp.base}/projects/{plp.projects['food']}"))
    assert "Mandat æøå.pdf" in page
    download = await client.get(f"{url}/{document.id}")
    assert download.status_code == 200 and download.content == PDF
    assert download.headers["content-type"] == "application/pdf"
    assert "attachment" in download.headers["content-disposition"]
    # Another project's page does not hand this document out.
    other = f"{plp.base}/projects/{plp.projects['tourism']}/documents/{document.id}"
    assert (await client.get(other)).status_code == 404


async def test_an_empty_upload_field_is_refused_beside_it(site, plp):
    client = await browser(site, plp.officer)
    url = f"{plp.base}/projects/{plp.projects['food']}/documents"
    refused = await post(client, url, files={"file": ("", b"", "application/octet-stream")})
    assert refused.status_code == 422
    assert field_error(refused.text, "file") == "Choose a file."


# --- the regional council ----------------------------------------------------------------------


async def test_the_council_reads_its_regional_projects_and_nothing_else(site, plp, settings):
    from services.projects import service as projects
    from services.projects.schemas import NewProject
    from services.tenancy import service as tenancy
    from tenants.context import Scope, tenant_tx

    partner = await new_tenant("Partnar")
    async with tenant_tx(Scope(operator=True)):
        await tenancy.add_to_region(plp.tenant.region_id, partner.id)
    async with tenant_tx(plp.scope()):
        regional = await projects.create_project(
            NewProject(
                title=f"Felles {plp.tenant.kommunenummer}",
                phase="forstudie",
                budget=Decimal(100_000),
                decided_on=date(2025, 3, 1),
                owner_person_id=plp.owner.id,
                cost_shares={
                    plp.tenant.kommunenummer: Decimal(60),
                    partner.kommunenummer: Decimal(40),
                },
            ),
            actor_person_id=plp.owner.id,
        )
    council = await new_person(
        settings,
        "Rådsmedlem",
        seat={"scope": "region", "role": "council_member", "region_id": plp.tenant.region_id},
    )
    client = await browser(site, council)
    base = f"/r/{plp.tenant.region_slug}/projects"
    listed = text_of(await client.get(base))
    assert f"Felles {plp.tenant.kommunenummer}" in listed
    assert plp.titles["food"] not in listed  # the municipality's own projects stay its own
    page = await client.get(f"{base}/{regional}")
    assert page.status_code == 200
    assert '<form method="post"' not in page.text.split('id="main"')[1]  # read only
    own = await client.get(f"{base}/{plp.projects['food']}", headers={"accept": "text/html"})
    assert own.status_code == 404
    assert not await operator_rows("select 1 from status_report where project_id = $1", regional)


async def test_a_participant_lists_a_regional_project_tied_to_the_leads_strategy_area(
    site, plp, settings
):
    """The lead's strategy area is the lead's own row: the participant sees the project
    without its area's name, and neither the list nor its area filter breaks on that."""
    from services.projects import service as projects
    from services.tenancy import service as tenancy
    from tenants.context import Scope, tenant_tx

    partner = await new_tenant("Deltakar")
    async with tenant_tx(Scope(operator=True)):
        await tenancy.add_to_region(plp.tenant.region_id, partner.id)
    async with tenant_tx(plp.scope()):
        for label in ("tourism", "industry"):  # two of the lead's areas
            await projects.set_cost_shares(
                plp.projects[label],
                {plp.tenant.kommunenummer: Decimal(70), partner.kommunenummer: Decimal(30)},
                actor_person_id=plp.owner.id,
            )
    admin = await new_person(settings, "Deltakaradmin", seat=in_municipality(partner, "admin"))
    client = await browser(site, admin)
    response = await client.get(f"/k/{partner.kommunenummer}/projects")
    assert response.status_code == 200
    assert plp.titles["tourism"] in text_of(response)
