"""In Chromium: a business in the demo (Fossli Rådgjeving) applies to Grong's open grant call from
its home, its plans balanced, and submits; Grong's admin takes the case into assessment, sees the
share and the amount computed from the plans, and grants it; the business sees it granted."""

import re
import secrets

import pytest
from playwright.sync_api import expect

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


def test_a_business_applies_and_grongs_admin_grants_it(page, browser, product):
    base, issuer, _ = product
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
    officer.locator("main").get_by_role("link", name=nb("Grants"), exact=True).click()
    expect(officer).to_have_url(base + "/k/5045/grants")
    officer.get_by_role("link", name=title).click()
    expect(officer.get_by_role("heading", level=1)).to_have_text(title)
    officer.locator("#field-comment").fill("Godt forankra i strategien.")
    officer.get_by_role("button", name=nb("Take into assessment")).click()
    facts = officer.locator("dl.facts")
    expect(facts).to_contain_text("50,00 %")
    expect(facts).to_contain_text("150")
    officer.locator("form[action$='/decision'] button").first.click()
    expect(officer.locator(".ds-alert[data-color='success']")).to_be_visible()

    page.goto(own)
    expect(page.locator(".ds-alert[data-color='success']")).to_contain_text("150")
    officer.context.close()
