"""In Chromium: a business in the demo (Fossli Rådgjeving) applies to Grong's open grant call with
more than the officials may grant, two files attached at once, its plans balanced, and submits;
Grong's admin assesses it (declaring no conflict) and recommends it to the board, records the
board members' habilitet (one has a conflict), calls a board meeting, records who attended and
the votes; the board grants it, the minutes say who left, the business sees its tilsegn, and
the tilsegn letter (nynorsk, Mette's language) is in the mailbox as a PDF. Then the business
requests the final payment with its final report and the effects achieved; Grong approves and
pays it and approves the report, and only then do the programme's KPI actuals move; the
region's dashboard follows (through the workers)."""

import re
import secrets
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.e2e.mailbox import last_mail_to
from tests.e2e.servers import running_product
from web.i18n import gettext

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n% budsjett\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 1500
CONFLICTED = "Per Inge Kvam"


def nb(message: str, **values) -> str:
    return gettext("nb", message, **values)


def log_in(page, base: str, issuer: str, name: str, home: str) -> None:
    page.goto(base + "/")
    page.get_by_role("link", name="Logg inn med ID-porten").click()
    expect(page).to_have_url(re.compile("^" + re.escape(issuer) + "/authorize"))
    page.get_by_role("button", name=re.compile(name)).click()
    expect(page).to_have_url(base + home)


def apply_above_the_limit(page, base: str, title: str) -> str:
    """Mette starts, writes, attaches and submits; returns the application's own page."""
    page.get_by_role("link", name=nb("Grants: open calls and your applications")).click()
    expect(page).to_have_url(base + "/o/931782258/grants")
    call = page.locator("section.ds-card", has_text="Utlysing 2026: opplevingsturisme")
    call.get_by_label(nb("The project's title")).fill(title)
    call.get_by_role("button", name=nb("Start an application")).click()
    expect(page).to_have_url(re.compile(r"/o/931782258/grants/applications/\d+$"))
    own = page.url
    page.locator("#field-attachments").set_input_files(
        [
            {"name": "budsjett.pdf", "mimeType": "application/pdf", "buffer": PDF},
            {"name": "kart.png", "mimeType": "image/png", "buffer": PNG},
        ]
    )
    page.get_by_role("button", name=nb("Upload the files")).click()
    expect(page.locator("main")).to_contain_text("budsjett.pdf")
    expect(page.locator("main")).to_contain_text("kart.png")

    page.locator("#field-summary").fill("Ein ny base for padling og fjellturar ved Tunnsjøen.")
    page.locator("#field-project").fill("Vi byggjer naust og kjøper kajakkar og utstyr.")
    page.locator("#field-cost_description-0").fill("Naust og utstyr")
    page.locator("#field-cost_amount-0").fill("1 300 000")
    # Enter in a field saves the draft as its save button does: the typed line kept, and the
    # same number of blank lines after it (the add-a-line button would have made one more).
    blank = page.locator("[id^='field-cost_description-'][value='']")
    blank_lines = blank.count()
    page.locator("#field-cost_amount-0").press("Enter")
    expect(page.locator("#draft")).to_contain_text(nb("The draft is saved."))
    expect(page.locator("#field-cost_description-0")).to_have_value("Naust og utstyr")
    expect(blank).to_have_count(blank_lines)
    expect(page.locator("#field-cost_amount-0")).to_have_value("1 300 000")
    page.locator("#field-fin_source-0").select_option("this_fund")
    page.locator("#field-fin_amount-0").fill("600 000")
    page.locator("#field-fin_source-1").select_option("own")
    page.locator("#field-fin_amount-1").fill("600 000")
    page.get_by_role("button", name=nb("Submit the application")).click()
    # Not balanced: the form again, with what was typed and the reason beside the plan.
    expect(page.locator("#error-financing")).to_be_visible()
    expect(page.locator("#field-fin_amount-1")).to_have_value("600 000")
    page.locator("#field-fin_amount-1").fill("700 000")
    page.get_by_role("button", name=nb("Submit the application")).click()
    expect(page.locator("main")).to_contain_text(re.compile(r"[0-9a-f]{64}"))
    expect(page.locator("#field-summary")).to_have_count(0)
    expect(page.locator("#field-attachments")).to_have_count(0)  # locked with the draft
    return own


def assess_and_recommend(officer, base: str, title: str) -> str:
    officer.locator("main").get_by_role("link", name=nb("Grants"), exact=True).click()
    expect(officer).to_have_url(base + "/k/5045/grants")
    officer.get_by_role("link", name=title).click()
    expect(officer.get_by_role("heading", level=1)).to_have_text(title)
    case = officer.url
    expect(officer.locator("main")).to_contain_text("budsjett.pdf")
    officer.locator("#field-comment").fill("Godt forankra i reiselivsstrategien.")
    officer.locator("#conflicted-no").check()
    officer.get_by_role("button", name=nb("Take into assessment")).click()
    facts = officer.locator("dl.facts")
    expect(facts).to_contain_text("46,15 %")
    expect(facts).to_contain_text("600")
    expect(officer.locator("main")).to_contain_text(nb("Recommend to the board"))
    officer.locator("#field-recommendation").select_option("granted")
    officer.locator("#field-recommendation_reason").fill("Passar fondet og satsingsområdet.")
    officer.get_by_role("button", name=nb("Recommend to the board")).click()
    expect(officer.locator("main")).to_contain_text(nb("The official's recommendation"))
    for member in ("Ola Tangen", "Kari Bjørnstad", CONFLICTED, "Hanne Sandvik", "Jon Egil Formo"):
        officer.locator("#field-board_member_id").select_option(label=member)
        if member == CONFLICTED:
            officer.locator("#member-conflicted-yes").check()
            officer.locator("#field-member-note").fill("Eig aksjar i søkjaren.")
        else:
            officer.locator("#member-conflicted-no").check()
        officer.get_by_role("button", name=nb("Record the declaration")).click()
        row = officer.locator("main tr", has_text=member)
        expect(row).to_contain_text(nb("Yes") if member == CONFLICTED else nb("No"))
    return case


def board_grants(officer, base: str, title: str) -> None:
    officer.goto(base + "/k/5045/grants/meetings")
    officer.locator("#field-programme_id").select_option(label="Omstilling Indre Namdal 2025–2030")
    officer.locator("#field-held_on").fill("2026-12-03")
    officer.locator("#field-place").fill("Grong rådhus")
    officer.get_by_role("button", name=nb("Call the meeting")).click()
    expect(officer).to_have_url(re.compile(r"/k/5045/grants/meetings/\d+$"))
    for present in officer.locator("input[name^='present-']").all():
        present.check()
    officer.get_by_role("button", name=nb("Record the attendance")).click()
    expect(officer.locator("input[name^='present-']").last).to_be_checked()
    case = officer.locator("section.case", has_text=title)
    expect(case).to_contain_text(
        nb("%(name)s: conflict of interest, does not vote", name=CONFLICTED)
    )
    for select in case.locator("select[name^='vote-']").all():
        select.select_option("granted")
    case.get_by_label(nb("Conditions of the tilsegn")).fill(
        "Rapport kvart halvår.\nOffentleg omtale nemner fondet."
    )
    case.get_by_label(nb("Reporting deadline")).fill("2028-06-30")
    case.get_by_role("button", name=nb("Record the board's decision")).click()
    case = officer.locator("section.case", has_text=title)
    expect(case).to_contain_text(nb("Decision: granted"))
    expect(case).to_contain_text(
        nb(
            "%(name)s declared a conflict of interest and left the meeting during the case.",
            name=CONFLICTED,
        )
    )


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
    """The business requests the final payment with its report; Grong approves and pays it, and
    approves the report."""
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
    line.get_by_role("button", name=nb("Approve"), exact=True).click()
    line = officer.locator("section.payment", has_text=title)
    expect(line).to_contain_text(nb("Approved"))
    line.get_by_role("button", name=nb("Record as paid")).click()
    expect(officer.locator("section.payment", has_text=title)).to_contain_text(nb("Paid"))
    # The final report's effects count only once Grong has approved the report.
    assert new_jobs_now(officer, base) == jobs_before
    officer.goto(base + "/k/5045/grants/payments")
    line = officer.locator("section.payment", has_text=title)
    line.get_by_role("button", name=nb("Approve the report")).click()
    expect(officer.locator("section.payment", has_text=title)).to_contain_text(
        nb("Report approved")
    )

    # The report's effects reach the programme's KPIs, and the dashboards follow its event.
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


def test_a_business_applies_and_the_board_grants_it_in_a_meeting(
    page, browser, product_with_workers
):
    base, issuer, _ = product_with_workers
    title = f"Opplevingsbase ved Tunnsjøen {secrets.token_hex(2)}"
    log_in(page, base, issuer, "Mette Fossli", "/o/931782258")
    own = apply_above_the_limit(page, base, title)

    officer = browser.new_context(locale="nb-NO").new_page()
    officer.set_default_timeout(15_000)
    log_in(officer, base, issuer, "Arne Lyngstad", "/k/5045")
    assess_and_recommend(officer, base, title)
    board_grants(officer, base, title)

    page.goto(own)
    expect(page.locator(".ds-alert[data-color='success']")).to_contain_text("600")
    expect(page.locator("main")).to_contain_text("30.06.2028")
    letter = page.locator("a[href*='/letters/']")
    expect(letter).to_have_count(1)

    mail = last_mail_to("mette@fossli.example")
    assert title in mail["subject"] and mail["language"] == "nn"
    [attached] = mail["attachments"]
    assert attached["type"] == "application/pdf" and attached["head"] == "%PDF-"
    assert attached["name"].endswith(".pdf") and attached["size"] > 1000
    # Paid in 2026 in Reiseliv: the demo's part payment of 40 000 and this final one of 600 000.
    final_payment_moves_the_kpis_and_the_region(
        page, officer, browser, base, issuer, own, title, "600 000", r"640\s000"
    )
    officer.context.close()
