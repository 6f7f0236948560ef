"""In Chromium: the owner records "go" at the pre-study's decision point, and the project moves
to the pre-project with the budget approved in the dialog."""

import re

import pytest
from playwright.sync_api import expect

from services.demo.programmes import TOURISM
from web.i18n import gettext

pytestmark = pytest.mark.e2e


def test_the_owner_records_go_and_the_project_moves_to_the_pre_project(page, product):
    base, issuer, _ = product
    page.goto(base + "/")
    page.get_by_role("link", name="Logg inn med ID-porten").click()
    expect(page).to_have_url(re.compile("^" + re.escape(issuer) + "/authorize"))
    page.get_by_role("button", name=re.compile("Arne Lyngstad")).click()
    expect(page).to_have_url(base + "/k/5045")

    page.goto(base + "/k/5045/projects?status=awaiting_decision")
    page.get_by_role("link", name=TOURISM).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TOURISM)
    expect(page.locator("#current-phase")).to_have_text(gettext("nb", "Pre-study"))

    page.locator("#decide").click()  # htmx loads the dialog into the page
    dialog = page.locator("dialog#decision-dialog")
    expect(dialog).to_be_visible()
    expect(page).to_have_url(re.compile(r"/k/5045/projects/\d+$"))  # still the project page
    dialog.locator("#outcome-go").check()
    dialog.locator("#field-basis").fill("Sluttrapporten frå forstudien; ni verksemder er med.")
    dialog.locator("#field-approved_budget").fill("700000")
    dialog.locator("button[type=submit]").click()

    expect(page.locator("dialog#decision-dialog")).to_have_count(0)
    expect(page.locator("#current-phase")).to_have_text(gettext("nb", "Pre-project"))
    expect(page.locator("#current-status")).to_have_text(gettext("nb", "Running"))
    expect(page.locator("#approved-budget")).to_have_text(re.compile(r"^700\s000\skr$"))
    timeline = page.locator("ol.timeline")
    expect(timeline).to_contain_text(gettext("nb", "Go"))
    expect(timeline).to_contain_text("ni verksemder er med")
