"""A tilsegn's money from its pages, through the real app: the business requests payments and
sends reports (a bad field is the form again, 422, the error beside it in nynorsk), the
municipality approves, pays, rejects and claws back, sees state aid against the ceiling, and
downloads its lists and the yearly statistics as CSV and XLSX that read back."""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from services.grants import service as grants
from tenants.context import tenant_tx
from tests.web.auth.idp import Provider, log_in
from tests.web.browsing import in_municipality, new_person, new_tenant, open_site, post, text_of
from tests.web.grants.money_world import ACCOUNT, granted_application, money_world, requested
from tests.web.test_route_table import OPERATOR_PID
from web.i18n import COOKIE as LANGUAGE_COOKIE

PDF = b"%PDF-1.4\n% a receipt\n"


@pytest.fixture
async def site(settings, database, demo):
    async with open_site(settings, database, Provider(settings)) as site:
        yield site


async def browser(site, pid: str, lang: str = "en"):
    client = await site.browser()
    client.cookies.set(LANGUAGE_COOKIE, lang, domain="testserver.local")
    response = await log_in(client, site.provider, pid)
    assert response.status_code == 303, response.text
    return client


def error_beside(page: str, field: str) -> str:
    found = re.search(rf'id="error-{re.escape(field)}"[^>]*>([^<]+)<', page)
    assert found, f"no error beside {field}"
    return found[1]


REQUEST = {
    "kind": "part",
    "amount": "50 000",
    "costs_incurred": "120 000",
    "account_number": ACCOUNT,
    "report": "Halvvegs: utstyret er kjøpt.",
    "effect-new_jobs": "1",
}


async def test_a_payment_request_with_a_bad_account_number_is_the_form_again_in_nynorsk(
    site, settings
):
    w = await money_world(settings)
    client = await browser(site, w.applicant.pid, "nn")
    refused = await post(
        client,
        f"{w.own}/payments",
        {**REQUEST, "account_number": "1234.56.78904", "amount": "9 999 999"},
        files={"documents": ("kvittering.pdf", PDF, "application/pdf")},
    )
    assert refused.status_code == 422, refused.text
    page = text_of(refused)
    assert error_beside(page, "account_number") == (
        "Eit kontonummer er elleve siffer, det siste eit gyldig kontrollsiffer."
    )
    assert 'value="1234.56.78904"' in page  # the form again, as typed
    async with tenant_tx(w.business):
        assert (await grants.tilsegn(w.application_id, as_applicant=True)).payments == []


async def test_a_request_above_the_tilsegn_is_refused_beside_the_amount(site, settings):
    w = await money_world(settings)
    client = await browser(site, w.applicant.pid, "nn")
    refused = await post(client, f"{w.own}/payments", {**REQUEST, "amount": "200 001"})
    assert refused.status_code == 409, refused.text
    assert "200\u00a0000" in error_beside(text_of(refused), "amount")


async def test_the_business_requests_a_part_payment_with_an_attachment_and_it_is_locked(
    site, settings
):
    w = await money_world(settings)
    client = await browser(site, w.applicant.pid)
    sent = await post(
        client,
        f"{w.own}/payments",
        REQUEST,
        files={"documents": ("kvittering.pdf", PDF, "application/pdf")},
    )
    assert sent.status_code == 303, sent.text
    page = text_of(await client.get(sent.headers["location"]))
    assert "The payment request is sent" in page and "kvittering.pdf" in page
    assert "Sent, awaiting the municipality" in page
    # The municipality downloads the attachment as it was sent.
    officer = await browser(site, w.admin.pid)
    money = text_of(await officer.get(f"{w.case}/money"))
    link = re.search(r'href="([^"]+/attachments/\d+)"', money.replace("&#x2f;", "/"))[1]
    got = await officer.get(link)
    assert got.status_code == 200 and got.content == PDF


async def test_the_municipality_approves_pays_and_rejects_from_the_queue(site, settings):
    w = await money_world(settings)
    first, second = await requested(w, 40_000), await requested(w, 30_000)
    officer = await browser(site, w.admin.pid, "nn")
    queue = f"/k/{w.tenant.kommunenummer}/grants/payments"
    assert "Vi er i rute." in text_of(await officer.get(queue))
    for outcome in ("approved", "paid"):
        done = await post(officer, f"{queue}/{first}/decision", {"outcome": outcome})
        assert done.status_code == 303, done.text
    no_reason = await post(officer, f"{queue}/{second}/decision", {"outcome": "rejected"})
    assert no_reason.status_code == 422
    assert error_beside(text_of(no_reason), f"reason-{second}") == "Fyll ut dette feltet."
    rejected = await post(
        officer, f"{queue}/{second}/decision", {"outcome": "rejected", "reason": "Manglar bilag."}
    )
    assert rejected.status_code == 303
    async with tenant_tx(w.municipality):
        seen = await grants.tilsegn(w.application_id, as_applicant=False)
    assert [p.state for p in seen.payments] == ["paid", "rejected"]
    assert seen.paid == 40_000
    paid_only = text_of(await officer.get(f"{queue}?state=paid"))
    assert f'id="payment-{first}"' in paid_only and f'id="payment-{second}"' not in paid_only


async def test_a_clawback_from_the_case_and_the_state_aid_beside_it(site, settings):
    w = await money_world(settings)
    payment_id = await requested(w, 40_000)
    officer = await browser(site, w.admin.pid)
    queue = f"/k/{w.tenant.kommunenummer}/grants/payments"
    for outcome in ("approved", "paid"):
        await post(officer, f"{queue}/{payment_id}/decision", {"outcome": outcome})
    too_much = await post(officer, f"{w.case}/clawbacks", {"amount": "40 001", "reason": "Brot."})
    assert too_much.status_code == 409
    taken = await post(officer, f"{w.case}/clawbacks", {"amount": "10 000", "reason": "Brot."})
    assert taken.status_code == 303, taken.text
    page = text_of(await officer.get(f"{w.case}/money"))
    assert "State aid (de minimis)" in page and "Within the de minimis ceiling." in page
    assert "EUR 300" in page and "Clawback" in page


async def test_a_viewer_may_not_decide_and_another_municipality_sees_nothing(site, settings):
    w = await money_world(settings)
    payment_id = await requested(w)
    viewer = await new_person(settings, "Lesar", seat=in_municipality(w.tenant, "viewer"))
    client = await browser(site, viewer.pid)
    queue = f"/k/{w.tenant.kommunenummer}/grants/payments"
    assert (await client.get(queue)).status_code == 200
    refused = await post(client, f"{queue}/{payment_id}/decision", {"outcome": "approved"})
    assert refused.status_code == 403
    other = await money_world(settings)
    stranger = await browser(site, other.admin.pid)
    mine = f"/k/{other.tenant.kommunenummer}/grants"
    assert (await stranger.get(f"{mine}/applications/{w.application_id}/money")).status_code == 404
    ask = await post(stranger, f"{mine}/payments/{payment_id}/decision", {"outcome": "approved"})
    assert ask.status_code == 404


async def test_the_business_sends_a_status_report_and_a_bad_effect_is_refused(site, settings):
    w = await money_world(settings)
    client = await browser(site, w.applicant.pid, "nn")
    bad = await post(client, f"{w.own}/reports", {"text": "Status.", "effect-new_jobs": "mange"})
    assert bad.status_code == 422
    assert error_beside(text_of(bad), "report-effects") == "Skriv eit tal."
    sent = await post(client, f"{w.own}/reports", {"text": "Status.", "effect-new_jobs": "2"})
    assert sent.status_code == 303, sent.text
    assert "Status." in text_of(await client.get(f"{w.own}/payments"))


def _csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def _xlsx_rows(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


async def test_the_statistics_and_the_lists_download_as_csv_and_xlsx_that_read_back(
    site, settings
):
    w = await money_world(settings, asked=150_000)
    payment_id = await requested(w, 50_000)
    async with tenant_tx(w.municipality):
        for outcome in ("approved", "paid"):
            await grants.decide_payment(payment_id, outcome=outcome, actor_person_id=w.admin.id)
    officer = await browser(site, w.admin.pid, "nn")
    base = f"/k/{w.tenant.kommunenummer}/grants"
    page = text_of(await officer.get(f"{base}/statistics"))
    assert w.organisasjonsnummer in page
    got = await officer.get(f"{base}/statistics?format=csv")
    rows = _csv_rows(got.content)
    assert rows[0][:3] == ["Kommune", "Kommunenummer", "Føremål"]
    assert rows[1][6] == w.organisasjonsnummer and rows[1][-2:] == ["150000", "50000"]
    sheet = _xlsx_rows((await officer.get(f"{base}/statistics?format=xlsx")).content)
    assert sheet[1][6] == w.organisasjonsnummer and sheet[1][-2:] == [150000, 50000]
    payments = _csv_rows((await officer.get(f"{base}/payments?format=csv")).content)
    assert payments[1][2] == w.organisasjonsnummer and payments[1][-1] == "50000"
    queue = _xlsx_rows((await officer.get(f"{base}?format=xlsx")).content)
    assert queue[1][0] == "Kanoturar"


async def test_the_operator_sets_the_exchange_rate_and_a_bad_one_is_refused_in_nynorsk(site):
    client = await browser(site, OPERATOR_PID, "nn")
    bad = await post(client, "/operator/exchange-rate", {"nok_per_eur": "0,5"})
    assert bad.status_code == 422
    assert error_beside(text_of(bad), "nok_per_eur").startswith("Skriv kronene for éin euro")
    good = await post(client, "/operator/exchange-rate", {"nok_per_eur": "11,75"})
    assert good.status_code == 303, good.text
    page = text_of(await client.get("/operator/exchange-rate"))
    assert "Henrik Solberg" in page


def test_the_dashboards_grant_table_holds_applied_granted_and_paid_per_area_and_year():
    from decimal import Decimal

    from services.dashboards.rules import fig
    from services.grants.figures import grant_table

    figures = [
        fig("grants", "grants_applied", 300_000, "Reiseliv og opplevelser", 2026, "Reiseliv og opplevingar"),
        fig("grants", "grants_granted", 150_000, "Reiseliv og opplevelser", 2026, "Reiseliv og opplevingar"),
        fig("grants", "grants_paid", 50_000, "", 2026, ""),
    ]
    table = grant_table(figures, "nn")
    assert table.rows == [
        ["Reiseliv og opplevingar", 2026, Decimal(300_000), Decimal(150_000), Decimal(0)],
        ["Kommunen sitt eige næringsfond", 2026, Decimal(0), Decimal(0), Decimal(50_000)],
    ]


async def test_the_regions_council_downloads_its_members_statistics(site, settings):
    w = await money_world(settings, asked=120_000)
    council = await new_person(
        settings,
        "Rådet",
        seat={"scope": "region", "role": "council_member", "region_id": w.tenant.region_id},
    )
    client = await browser(site, council.pid, "nb")
    base = f"/r/{w.tenant.region_slug}/grants/statistics"
    assert w.organisasjonsnummer in text_of(await client.get(base))
    rows = _csv_rows((await client.get(f"{base}?format=csv")).content)
    assert rows[0][2] == "Formål" and rows[1][6] == w.organisasjonsnummer
    sheet = _xlsx_rows((await client.get(f"{base}?format=xlsx")).content)
    assert sheet[1][1] == w.tenant.kommunenummer and sheet[1][-2] == 120000


async def test_a_grant_past_the_de_minimis_ceiling_is_refused_on_the_case_with_the_reason(
    site, settings
):
    w = await money_world(settings, asked=3_400_000)  # the business has had NOK 3.4 million
    other = await new_tenant("Nabokommune")
    admin = await new_person(settings, "Admin", seat=in_municipality(other, "admin"))
    application_id = await granted_application(
        other, admin, w.organisation_id, w.applicant, asked=200_000, decide=False
    )
    officer = await browser(site, admin.pid, "nn")
    case = f"/k/{other.kommunenummer}/grants/applications/{application_id}"
    page = text_of(await officer.get(f"{case}/money"))
    assert "Dette tilskotet ville gått over taket" in page
    assert "3\u00a0400\u00a0000\u00a0kr" in page
    refused = await post(officer, f"{case}/decision", {"outcome": "granted"})
    assert refused.status_code == 409
    assert "Avslått etter reglane om bagatellmessig støtte" in text_of(refused)
    assert "125\u00a0000" in text_of(refused)  # what may still be granted, at 11.75 NOK/EUR


async def test_a_clawback_without_an_amount_is_the_form_again_in_nynorsk(site, settings):
    w = await money_world(settings)
    officer = await browser(site, w.admin.pid, "nn")
    refused = await post(officer, f"{w.case}/clawbacks", {"amount": "mykje", "reason": ""})
    assert refused.status_code == 422
    assert error_beside(text_of(refused), "amount") == "Skriv eit beløp."


async def test_only_the_operator_reaches_the_exchange_rate(site, settings):
    w = await money_world(settings)
    admin = await browser(site, w.admin.pid)
    assert (await admin.get("/operator/exchange-rate")).status_code == 404
    refused = await post(admin, "/operator/exchange-rate", {"nok_per_eur": "1"})
    assert refused.status_code == 404
