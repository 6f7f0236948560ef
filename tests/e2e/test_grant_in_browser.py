"""In Chromium: a business in the demo (Fossli Rådgjeving) applies to Grong's open grant call from
its home, its plans balanced, and submits; Grong's admin takes the case into assessment, sees the
share and the amount computed from the plans, and grants it; the business sees it granted, then
requests the final payment with its final report and the effects achieved; Grong approves and
pays it, and the programme's KPI actuals and the region's dashboard move (through the workers)."""

import re
import secrets
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.e2e.servers import running_product
from web.i18n import gettext

pytestmark = pytest.mark.e2e


def nb(message: str, **values) -> str:
    return gettext("nb", message, **values)


def log_in(page, base: str, issuer: str, name: str, home: str) -> None:
    page.goto(base + "/")
    page.get_by_role("link", name="Logg inn med ID-porten").click()
    expect(page).to_have_url(re.compile("^" + re.escape(issuer) + "/authorize"))
    page.get_by_role("button", name=re.compile(name)).click()
    expect(page).to_have_url(base + home)


@pytest.fixture(scope="module")
def product_with_workers(tmp_path_factory, migrated):
    """The product with its worker and scheduler: a report's effects and the dashboards follow."""
    with running_product(tmp_path_factory.mktemp("grants"), workers=True) as urls:
        yield urls


def new_jobs_now(officer, base: str) -> Decimal | None:
    """The programme's latest measured "new jobs", as its overview shows it."""
    officer.goto(base + "/k/5045/programmes")
    officer.get_by_role("link", name="Omstilling Indre Namdal 2025–2030").first.click()
    row = officer.locator("table.kpi-table tr", has_text=nb("New jobs"))
    cell = row.locator("td").nth(1).inner_text()
    found = re.match(r"[\d\s\u00a0]+(,\d+)?", cell)
    if not found or not found[0].strip():
        return None
    return Decimal(re.sub(r"\s", "", found[0]).replace(",", "."))


def final_payment_moves_the_kpis_and_the_region(
    page, officer, browser, base: str, issuer: str, own: str, title: str, amount: str, paid: str
) -> None:
    """The business requests the final payment with its report; Grong approves and pays it."""
    jobs_before = new_jobs_now(officer, base)
    page.goto(own)
    page.get_by_role("link", name=nb("Payments and reports")).click()
    expect(page).to_have_url(own + "/payments")
    page.locator("#field-kind").select_option("final")
    page.locator("#field-amount").fill(amount)
    page.locator("#field-costs_incurred").fill("1 300 000")
    page.locator("#field-account_number").fill("1234.56.78904")
    page.locator("#field-report").fill("Ferdig: tre nye årsverk og 400 gjestedøgn.")
    page.locator("#field-effect-new_jobs").fill("3")
    page.get_by_role("button", name=nb("Send the payment request")).click()
    # A wrong check digit: the form again, the error beside the account number, nothing sent.
    expect(page.locator("#error-account_number")).to_be_visible()
    expect(page.locator("#field-report")).to_have_value("Ferdig: tre nye årsverk og 400 gjestedøgn.")
    page.locator("#field-account_number").fill("1234.56.78903")
    page.get_by_role("button", name=nb("Send the payment request")).click()
    expect(page.locator(".ds-alert[data-color='success']")).to_be_visible()
    expect(page.locator("#payments ~ div table")).to_contain_text(nb("Final payment"))
    expect(page.locator("#field-amount")).to_have_count(0)  # no more requests after the final

    officer.goto(base + "/k/5045/grants/payments")
    line = officer.locator("section.payment", has_text=title)
    line.get_by_role("button", name=nb("Approve")).click()
    line = officer.locator("section.payment", has_text=title)
    expect(line).to_contain_text(nb("Approved"))
    line.get_by_role("button", name=nb("Record as paid")).click()
    expect(officer.locator("section.payment", has_text=title)).to_contain_text(nb("Paid"))

    # The report's effects reach the programme's KPIs through the outbox and the worker.
    expected = (jobs_before or Decimal(0)) + 3
    for _ in range(30):
        if new_jobs_now(officer, base) == expected:
            break
        officer.wait_for_timeout(1000)
    assert new_jobs_now(officer, base) == expected

    council = browser.new_context(locale="nb-NO").new_page()
    council.set_default_timeout(15_000)
    log_in(council, base, issuer, "Marit Aune", "/r/indre-namdal")
    council.goto(base + "/r/indre-namdal/dashboard")
    grants = council.locator('table[data-table="grants"]')
    expect(grants).to_contain_text(re.compile(paid), timeout=45_000)
    council.context.close()


def test_a_business_applies_and_grongs_admin_grants_it(page, browser, product_with_workers):
    base, issuer, _ = product_with_workers
    title = f"Fjellsykkel i Grong {secrets.token_hex(2)}"
    log_in(page, base, issuer, "Mette Fossli", "/o/931782258")
    page.get_by_role("link", name=nb("Grants: open calls and your applications")).click()
    expect(page).to_have_url(base + "/o/931782258/grants")
    call = page.locator("section.ds-card", has_text="Utlysing 2026: opplevingsturisme")
    call.get_by_label(nb("The project's title")).fill(title)
    call.get_by_role("button", name=nb("Start an application")).click()
    expect(page).to_have_url(re.compile(r"/o/931782258/grants/applications/\d+$"))
    own = page.url

    page.locator("#field-summary").fill("Utleige og guiding av fjellsyklar.")
    page.locator("#field-project").fill("Vi kjøper syklar og lagar tre turpakkar.")
    page.locator("#field-cost_description-0").fill("Syklar")
    page.locator("#field-cost_amount-0").fill("300 000")
    page.locator("#field-fin_source-0").select_option("this_fund")
    page.locator("#field-fin_amount-0").fill("150 000")
    page.locator("#field-fin_source-1").select_option("own")
    page.locator("#field-fin_amount-1").fill("100 000")
    page.get_by_role("button", name=nb("Submit the application")).click()
    # Not balanced: the form again, with what was typed and the reason beside the plan.
    expect(page.locator("#error-financing")).to_be_visible()
    expect(page.locator("#field-fin_amount-1")).to_have_value("100 000")
    page.locator("#field-fin_amount-1").fill("150 000")
    page.get_by_role("button", name=nb("Submit the application")).click()
    expect(page.locator("main")).to_contain_text(re.compile(r"[0-9a-f]{64}"))
    expect(page.locator("#field-summary")).to_have_count(0)

    officer = browser.new_context(locale="nb-NO").new_page()
    officer.set_default_timeout(15_000)
    log_in(officer, base, issuer, "Arne Lyngstad", "/k/5045")
    officer.get_by_role("link", name=nb("Grants"), exact=True).click()
    expect(officer).to_have_url(base + "/k/5045/grants")
    officer.get_by_role("link", name=title).click()
    expect(officer.get_by_role("heading", level=1)).to_have_text(title)
    officer.locator("#field-comment").fill("Godt forankra i strategien.")
    officer.locator("#conflicted-no").check()
    officer.get_by_role("button", name=nb("Take into assessment")).click()
    facts = officer.locator("dl.facts")
    expect(facts).to_contain_text("50,00 %")
    expect(facts).to_contain_text("150")
    officer.locator("#field-reporting_deadline").fill("2028-06-30")
    officer.locator("form[action$='/decision'] button").first.click()
    expect(officer.locator(".ds-alert[data-color='success']")).to_be_visible()

    page.goto(own)
    expect(page.locator(".ds-alert[data-color='success']")).to_contain_text("150")
    # Paid in 2026 in Reiseliv: the demo's part payment of 40 000 and this one's 150 000.
    final_payment_moves_the_kpis_and_the_region(
        page, officer, browser, base, issuer, own, title, "150 000", r"190\s000"
    )
    officer.context.close()
