"""In Chromium: Meråker has no programme in the demo; its case officer starts one from the
municipality's home, types the strategy areas while the server sums their shares live, and
drafts the first year's action plan."""

import re
import secrets

import pytest
from playwright.sync_api import expect

from web.i18n import gettext

pytestmark = pytest.mark.e2e


def nb(message: str, **values) -> str:
    return gettext("nb", message, **values)


def test_a_case_officer_starts_meraakers_programme_and_drafts_its_first_plan(page, product):
    base, issuer, _ = product
    page.goto(base + "/")
    page.get_by_role("link", name="Logg inn med ID-porten").click()
    expect(page).to_have_url(re.compile("^" + re.escape(issuer) + "/authorize"))
    page.get_by_role("button", name=re.compile("Ingrid Støen")).click()
    expect(page).to_have_url(base + "/k/5034")

    page.get_by_role("link", name=nb("Start the municipality's programme")).click()
    expect(page).to_have_url(base + "/k/5034/programmes/new")
    name = f"Næringsutvikling Meråker {secrets.token_hex(2)}"
    page.locator("#field-name").fill(name)
    page.locator("#field-kind").select_option("naeringsutvikling")
    page.locator("#field-period_start").fill("2026")
    page.locator("#field-period_end").fill("2029")
    page.get_by_role("button", name=nb("Start the programme")).click()
    expect(page).to_have_url(re.compile(r"/k/5034/programmes/\d+/setup"))
    expect(page.get_by_role("heading", level=1)).to_have_text(nb("Set-up of %(name)s", name=name))

    print(page.url)
    open("/tmp/prog-setup.html", "w").write(page.content())
    total = page.locator("#share-sum")
    page.locator("#field-name_nb-0").fill("Reiseliv og opplevelser")
    page.locator("#field-name_nn-0").fill("Reiseliv og opplevingar")
    page.locator("#field-share-0").fill("60")
    expect(total).to_contain_text("60 %")
    expect(total).to_contain_text(nb("must be 100"))
    page.locator("#field-name_nb-1").fill("Tre og industri")
    page.locator("#field-name_nn-1").fill("Tre og industri")
    page.locator("#field-share-1").fill("40")
    expect(total).to_contain_text("100 %")
    expect(total).to_contain_text(nb("OK"))
    page.get_by_role("button", name=nb("Save the strategy areas")).click()
    # Saved, the page is drawn again: the two areas, then two empty rows for new ones.
    expect(page.locator("#field-name_nb-3")).to_have_count(1)
    expect(page.locator("#field-name_nn-1")).to_have_value("Tre og industri")

    page.get_by_role("link", name=nb("Action plans"), exact=True).first.click()
    expect(
        page.get_by_role(
            "heading", level=2, name=nb("Draft the action plan for %(year)s", year=2026)
        )
    ).to_be_visible()
    page.get_by_label(nb("Goal")).first.fill("Ti nye overnattingsbedrifter")
    page.get_by_role("button", name=nb("Save the draft")).click()
    plan = page.locator("article.action-plan")
    expect(plan).to_contain_text(nb("Action plan %(year)s", year=2026))
    expect(plan).to_contain_text(nb("Draft"))
    expect(plan).to_contain_text("Ingrid Støen")
    expect(plan).to_contain_text("Ti nye overnattingsbedrifter")
