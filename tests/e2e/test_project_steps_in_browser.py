"""In Chromium: the kommunedirektør starts a project from its page, watches the cost shares summed
as they are typed, then follows the one next step the page shows, to a go into the pre-project."""

import re
import secrets

import pytest
from playwright.sync_api import expect

from web.i18n import gettext
from web.projects.pages import NEXT_STEPS

pytestmark = pytest.mark.e2e


def step_text(step: str, phase: str) -> str:
    return gettext("nb", NEXT_STEPS[step], phase=gettext("nb", phase).lower())


def test_a_project_is_started_and_walked_to_its_pre_project_from_the_page(page, product):
    base, issuer, _ = product
    page.goto(base + "/")
    page.get_by_role("link", name="Logg inn med ID-porten").click()
    page.get_by_role("button", name=re.compile("Arne Lyngstad")).click()
    expect(page).to_have_url(base + "/k/5045")

    page.goto(base + "/k/5045/projects")
    page.locator("#new-project").click()
    expect(page).to_have_url(base + "/k/5045/projects/new")
    title = f"Forstudie: Nettbutikk for lokalmat {secrets.token_hex(3)}"
    page.locator("#field-title").fill(title)
    page.locator("#field-budget").fill("250 000")
    page.locator("#field-decided_on").fill("2026-01-15")

    # The sum is the server's, fetched by htmx as the shares are typed.
    page.locator("#participant-1").select_option(label="Namsskogan")
    page.locator("#share-0").fill("60")
    page.locator("#share-1").fill("30")
    expect(page.locator("#share-sum strong")).to_have_attribute("data-sum", "90")
    expect(page.locator("#share-sum")).to_contain_text(gettext("nb", "must be 100"))
    page.locator("#share-1").fill("40")
    expect(page.locator("#share-sum strong")).to_have_attribute("data-sum", "100")
    # …and back to a project of Grong's own, so the demo's regional figures stay as they are.
    page.locator("#participant-1").select_option(value="")
    page.locator("#share-1").fill("")
    page.locator("#share-0").fill("100")
    page.get_by_role("button", name=gettext("nb", "Start the project")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page).to_have_url(re.compile(r"/k/5045/projects/\d+$"))
    expect(page.locator("#next-step-text")).to_have_text(step_text("plan", "Pre-project"))
    page.locator("#field-mandate").fill("Bygg nettbutikken saman med fem produsentar.")
    page.locator("#field-budget").fill("600000")
    page.locator("#step-form button[type=submit]").click()

    expect(page.locator("#next-step-text")).to_have_text(step_text("close", "Pre-study"))
    page.locator("#field-closing_report").fill("Fem produsentar vil vere med.")
    page.locator("#step-form button[type=submit]").click()

    expect(page.locator("#next-step-text")).to_have_text(step_text("decision_point", "Pre-study"))
    page.locator("#step-form button[type=submit]").click()  # the proposed date

    expect(page.locator("#next-step-text")).to_have_text(step_text("decide", "Pre-project"))
    page.locator("#decide").click()
    dialog = page.locator("dialog#decision-dialog")
    expect(dialog.locator("#field-approved_budget")).to_have_value("600000")  # the plan's
    dialog.locator("#outcome-go").check()
    dialog.locator("#field-basis").fill("Sluttrapporten frå forstudien.")
    dialog.locator("button[type=submit]").click()

    expect(page.locator("#current-phase")).to_have_text(gettext("nb", "Pre-project"))
    expect(page.locator("#approved-budget")).to_have_text(re.compile(r"^600\s000\skr$"))
    expect(page.locator("#next-step-text")).to_have_text(step_text("plan", "Main project"))

    # A boosted form (no hx-post of its own) comes back to the page with what it saved.
    page.locator("#steering summary").click()
    page.locator("#steering-name-0").fill("Kari Bonde")
    page.locator("#steering-represents-0").fill("Produsentane")
    page.get_by_role("button", name=gettext("nb", "Save the steering group")).click()
    expect(page.locator("#steering ul")).to_contain_text("Kari Bonde, Produsentane")
