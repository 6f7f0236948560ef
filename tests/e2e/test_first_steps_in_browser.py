"""In Chromium, with no demo municipality: the operator creates a region and a municipality and
invites its first admin; the admin follows the mailed link, sets the programme up, walks an
action plan to the county's grant, and takes a project from pre-study to its pre-project."""

import re
import secrets

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.mailbox import last_mail_to
from web.i18n import gettext
from web.projects.pages import NEXT_STEPS

pytestmark = pytest.mark.e2e

OPERATOR = "Henrik Solberg"


def log_in(page: Page, base: str, *, person: str = "", pid: str = "") -> None:
    page.goto(base + "/")
    page.get_by_role("link", name="Logg inn med ID-porten").click()
    if pid:
        page.locator("#custom_pid").fill(pid)
        page.locator("button[name=action][value=custom]").click()
    else:
        page.get_by_role("button", name=re.compile(person)).click()


def operator_onboards(page: Page, base: str, *, slug: str, kommunenummer: str, email: str):
    log_in(page, base, person=OPERATOR)
    expect(page).to_have_url(base + "/operator")
    regions = page.locator("form[action='/operator/regions']")
    regions.locator("[name=slug]").fill(slug)
    regions.locator("[name=name]").fill(f"Region {slug}")
    regions.locator("button[type=submit]").click()
    expect(page.get_by_role("heading", name=f"Region {slug}")).to_be_visible()

    municipalities = page.locator("form[action='/operator/municipalities']")
    municipalities.locator("[name=kommunenummer]").fill(kommunenummer)
    municipalities.locator("[name=name]").fill(f"Nyby {kommunenummer}")
    municipalities.locator("[name=maalform]").select_option("nb")
    municipalities.locator("[name=region]").select_option(slug)
    municipalities.locator("button[type=submit]").click()

    invite = page.locator(
        f"form[action='/operator/municipalities/{kommunenummer}/admin-invitations']"
    )
    invite.locator("[name=email]").fill(email)
    invite.locator("button[type=submit]").click()
    expect(page.locator(".invitation-link")).to_be_visible()
    page.context.clear_cookies()


def step_text(lang: str, step: str, phase: str) -> str:
    return gettext(lang, NEXT_STEPS[step], phase=gettext(lang, phase).lower())


def test_a_new_municipality_is_onboarded_and_runs_its_first_programme_and_project(page, product):
    base, _, _ = product
    lang = "nb"

    def t(message: str, **values) -> str:
        return gettext(lang, message, **values)

    slug = f"nyregion-{secrets.token_hex(2)}"
    kommunenummer = f"9{secrets.randbelow(1000):03d}"
    email = f"admin-{kommunenummer}@nyby.example"
    operator_onboards(page, base, slug=slug, kommunenummer=kommunenummer, email=email)

    # The invitation, as the worker would mail it, carries the one-time link.
    mail = last_mail_to(email)
    assert f"Nyby {kommunenummer}" in mail["subject"]
    link = re.search(r"http\S+/invitations/\S+", mail["body"]).group(0)

    page.goto(link)
    page.locator("main a[href^='/auth/login?next=/invitations/']").click()
    page.locator("#custom_pid").fill(f"{secrets.randbelow(10**11):011d}")
    page.locator("button[name=action][value=custom]").click()
    page.locator("#field-name").fill("Nora Nyby")
    page.locator("#field-email").fill(email)
    page.locator("form button[type=submit]").click()
    page.locator("form[action^='/invitations/'] button[type=submit]").click()
    expect(page).to_have_url(base + "/me")

    home = f"/k/{kommunenummer}"
    page.goto(base + home)
    page.get_by_role("link", name=t("Start the municipality's programme")).click()
    name = f"Omstilling Nyby {secrets.token_hex(2)}"
    page.locator("#field-name").fill(name)
    page.locator("#field-kind").select_option("naeringsutvikling")
    page.locator("#field-period_start").fill("2026")
    page.locator("#field-period_end").fill("2029")
    page.get_by_role("button", name=t("Start the programme")).click()
    expect(page).to_have_url(re.compile(rf"{home}/programmes/\d+/setup"))

    page.locator("#field-funding-amount").fill("2 000 000")
    page.get_by_role("button", name=t("Add the line")).click()
    expect(page.locator("#funding ~ table")).to_contain_text("2 000 000")

    for member, seat in (("Ola Ordfører", "politician"), ("Siri Sagbruk", "business")):
        page.locator("#field-board-name").fill(member)
        page.locator("#field-board-seat").select_option(seat)
        page.locator("#field-board-term_start").fill("2026-01-01")
        page.get_by_role("button", name=t("Add the member")).click()
        expect(page.locator("#board ~ table")).to_contain_text(member)

    page.locator("#field-name_nb-0").fill("Reiseliv")
    page.locator("#field-name_nn-0").fill("Reiseliv")
    page.locator("#field-share-0").fill("70")
    page.locator("#field-name_nb-1").fill("Industri")
    page.locator("#field-name_nn-1").fill("Industri")
    page.locator("#field-share-1").fill("30")
    expect(page.locator("#share-sum")).to_contain_text("100 %")
    page.get_by_role("button", name=t("Save the strategy areas")).click()
    expect(page.locator("#field-name_nb-1")).to_have_value("Industri")

    page.locator("#field-kpi-name").fill("Gjestedøgn")
    page.locator("#field-kpi-unit").fill("antall")
    page.locator("#field-kpi-baseline").fill("0")
    page.get_by_role("button", name=t("Add the KPI")).click()
    expect(page.locator("#kpis ~ ul")).to_contain_text("Gjestedøgn")

    page.get_by_role("link", name=t("Action plans"), exact=True).first.click()
    page.get_by_label(t("Goal")).first.fill("Fem nye reiselivsbedrifter")
    page.get_by_role("button", name=t("Save the draft")).click()
    plan = page.locator("article.action-plan")
    expect(plan).to_contain_text(t("Draft"))
    for state in ("board_approved", "municipality_approved", "county_granted"):
        plan.locator(f"form:has(input[name=state][value={state}]) button").click()
    expect(plan.locator("h3 .ds-tag")).to_have_text(t("Granted by the county"))

    page.goto(base + home + "/projects/new")
    title = f"Forstudie: Nyby hotell {secrets.token_hex(2)}"
    page.locator("#field-title").fill(title)
    page.locator("#phase-forstudie").check()
    page.locator("#field-owner").select_option(label="Nora Nyby")
    page.locator("#field-budget").fill("150 000")
    page.locator("#field-decided_on").fill("2026-02-01")
    page.get_by_role("button", name=t("Start the project")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)

    expect(page.locator("#next-step-text")).to_have_text(step_text(lang, "plan", "Pre-project"))
    page.locator("#field-mandate").fill("Finn en hotellaktør og en tomt.")
    page.locator("#field-budget").fill("400000")
    page.locator("#step-form button[type=submit]").click()
    expect(page.locator("#next-step-text")).to_have_text(step_text(lang, "close", "Pre-study"))
    page.locator("#field-closing_report").fill("To aktører er interessert.")
    page.locator("#step-form button[type=submit]").click()
    expect(page.locator("#next-step-text")).to_have_text(
        step_text(lang, "decision_point", "Pre-study")
    )
    page.locator("#step-form button[type=submit]").click()
    expect(page.locator("#next-step-text")).to_have_text(step_text(lang, "decide", "Pre-project"))
    page.locator("#decide").click()
    dialog = page.locator("dialog#decision-dialog")
    dialog.locator("#outcome-go").check()
    dialog.locator("#field-basis").fill("Sluttrapporten fra forstudien.")
    dialog.locator("button[type=submit]").click()

    expect(page.locator("#current-phase")).to_have_text(t("Pre-project"))
    expect(page.locator("#approved-budget")).to_have_text(re.compile(r"^400\s000$"))
