"""In Chromium: a municipal user makes three mistakes in a tender draft, sees all three at once in
the error summary (which takes focus, links to each field and names it), fixes them, saves, publishes,
reads the confirmation, and reloads the page without sending anything again.

Grong's demo admin (Arne Lyngstad) writes the draft. Selectors are ids, classes and form
actions, and the words expected are the catalogue's own, so the test holds in every language.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from services.i18n import gettext
from services.tendering.rules import OSLO
from tenants.context import NOBODY, Scope, connection, tenant_tx
from tests.e2e.test_tender_in_browser import GRONG, in_database, log_in

pytestmark = pytest.mark.e2e


def local(moment: datetime) -> str:
    """What a datetime-local input takes."""
    return moment.astimezone(OSLO).strftime("%Y-%m-%dT%H:%M")


async def _tenders_titled(title: str) -> int:
    async with tenant_tx(NOBODY):
        grong = await connection().fetchval(
            "select id from municipality where kommunenummer = $1", GRONG
        )
    async with tenant_tx(Scope(tenant_id=grong)):
        return await connection().fetchval("select count(*) from tender where title = $1", title)


def test_three_mistakes_are_shown_at_once_fixed_and_published_once(page, product, settings):
    base, issuer, _ = product
    title = f"Skjemaprøve {secrets.token_hex(3)}"
    log_in(page, base, issuer, "Arne Lyngstad", f"/k/{GRONG}/tenders/new")
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    now = datetime.now(OSLO)

    # --- three mistakes: no title, a value that is no amount, a bid deadline last year ---------
    page.fill("#field-description", "Rettleiing i skjemaføring.")
    page.fill("#field-estimated_value", "mange pengar")
    page.fill("#field-questions_deadline", local(now + timedelta(days=20)))
    page.fill("#field-bid_deadline", local(now - timedelta(days=365)))
    page.locator("form.tender-editor button[type=submit]").click()

    summary = page.locator(".ds-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # a screen reader starts there
    links = summary.locator("a")
    expect(links).to_have_count(3)
    hrefs = {links.nth(i).get_attribute("href") for i in range(3)}
    assert hrefs == {"#field-title", "#field-estimated_value", "#field-bid_deadline"}
    for field in ("title", "estimated_value", "bid_deadline"):
        beside = page.locator(f"#error-{field}")
        expect(beside).to_be_visible()
        expect(summary).to_contain_text(beside.inner_text())  # the same words in both places
        # and each line says which field: the two date fields' errors read alike otherwise
        label = page.locator(f"label[for='field-{field}']").inner_text().strip()
        expect(summary.locator(f"a[href='#field-{field}']")).to_contain_text(f"{label}: ")
    expect(page.locator("#field-description")).to_have_value("Rettleiing i skjemaføring.")
    summary.locator("a[href='#field-title']").click()
    expect(page.locator("#field-title")).to_be_focused()
    assert in_database(settings, lambda: _tenders_titled(title)) == 0

    # --- fixed, saved, published -----------------------------------------------------------------
    page.fill("#field-title", title)
    page.fill("#field-estimated_value", "450 000")
    page.fill("#field-bid_deadline", local(now + timedelta(days=40)))
    page.locator("form.tender-editor button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"{re.escape(base)}/k/{GRONG}/tenders/\d+$"))
    said = page.locator(".said[role=status]")
    expect(said).to_have_text(
        gettext("nb", "The draft is saved. Only your municipality sees it until it is published.")
    )
    tender_url = page.url
    page.locator("form[action$='/publish'] button[type=submit]").click()
    expect(said).to_have_text(gettext("nb", "The tender is published. Suppliers can now send bids."))
    expect(page).to_have_url(tender_url)
    assert in_database(settings, lambda: _tenders_titled(title)) == 1
    sent = list(posts)
    assert len([p for p in sent if p.endswith("/publish")]) == 1
    assert len([p for p in sent if p.endswith(f"/k/{GRONG}/tenders")]) == 2  # refused, then saved

    # --- a reload sends nothing again, and the confirmation was said once ------------------------
    page.reload()
    expect(page).to_have_url(tender_url)
    expect(page.locator("main h1")).to_contain_text(title)
    expect(said).to_have_count(0)
    assert posts == sent
    assert in_database(settings, lambda: _tenders_titled(title)) == 1
