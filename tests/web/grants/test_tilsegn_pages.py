"""A tilsegn's state and its reports' approval on the pages, through the real app: the official
approves a report from the payment queue (or the case's money) and only then do its effects
count; a second approval is refused on the page; a viewer may not approve; the business sees
the tilsegn's state, and a tilsegn whose final payment is requested offers no more forms."""

from __future__ import annotations

from services.grants import service as grants
from tenants.context import tenant_tx
from tests.web.browsing import in_municipality, new_person, post, text_of
from tests.web.grants import test_money_pages as money_pages
from tests.web.grants.money_world import money_world, requested

# The money pages' own site (a fixture) and logged-in browser.
site, browser = money_pages.site, money_pages.browser


async def _report_of(w, payment_id: int) -> int:
    async with tenant_tx(w.municipality):
        seen = await grants.tilsegn(w.application_id, as_applicant=False)
    return next(p.report_id for p in seen.payments if p.id == payment_id)


async def test_the_official_approves_a_report_from_the_queue_once_and_a_viewer_may_not(
    site, settings
):
    w = await money_world(settings)
    payment_id = await requested(w, 40_000)
    report_id = await _report_of(w, payment_id)
    base = f"/k/{w.tenant.kommunenummer}/grants"
    viewer = await new_person(settings, "Lesar", seat=in_municipality(w.tenant, "viewer"))
    reader = await browser(site, viewer.pid)
    assert "Awaiting the municipality" in text_of(await reader.get(f"{base}/payments"))
    refused = await post(reader, f"{base}/reports/{report_id}/approval", {})
    assert refused.status_code == 403

    officer = await browser(site, w.admin.pid, "nn")
    queue = text_of(await officer.get(f"{base}/payments"))
    assert f'action="{base}/reports/{report_id}/approval"' in queue.replace("&#x2f;", "/")
    done = await post(officer, f"{base}/reports/{report_id}/approval", {})
    assert done.status_code == 303 and done.headers["location"].endswith(f"#report-{report_id}")
    async with tenant_tx(w.municipality):
        [report] = (await grants.tilsegn(w.application_id, as_applicant=False)).reports
    assert report.approved_at is not None
    again = await post(officer, f"{base}/reports/{report_id}/approval", {})
    assert again.status_code == 409
    assert "allereie" in text_of(again)  # "already", in nynorsk

    other = await money_world(settings)
    stranger = await browser(site, other.admin.pid)
    ask = await post(
        stranger, f"/k/{other.tenant.kommunenummer}/grants/reports/{report_id}/approval", {}
    )
    assert ask.status_code == 404


async def test_a_report_is_approved_from_the_cases_money_and_back_there(site, settings):
    w = await money_world(settings)
    async with tenant_tx(w.business):
        report_id = await grants.send_report(
            w.application_id, text="Status utan utbetaling.", person_id=w.applicant.id
        )
    officer = await browser(site, w.admin.pid)
    money = text_of(await officer.get(f"{w.case}/money"))
    assert "Approve the report" in money and "State of the tilsegn" in money and "Active" in money
    base = f"/k/{w.tenant.kommunenummer}/grants"
    done = await post(officer, f"{base}/reports/{report_id}/approval?back=money", {})
    assert done.status_code == 303 and done.headers["location"].endswith("/money#reports")
    assert "Approve the report" not in text_of(await officer.get(f"{w.case}/money"))


async def test_the_business_sees_its_tilsegns_state_and_no_forms_once_the_final_is_requested(
    site, settings
):
    w = await money_world(settings)
    business = await browser(site, w.applicant.pid)
    page = text_of(await business.get(f"{w.own}/payments"))
    assert "Active" in page and 'name="amount"' in page and "Send the status report" in page
    await requested(w, 50_000, "final")
    page = text_of(await business.get(f"{w.own}/payments"))
    assert "Final payment requested" in page
    assert 'name="amount"' not in page and "Send the status report" not in page
