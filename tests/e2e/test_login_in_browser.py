"""In Chromium: a demo municipal user logs in through dev ID-porten and lands in their municipality."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_a_case_officer_logs_in_lands_in_meraker_and_the_old_cookie_dies_at_logout(page, product):
    base, issuer, _ = product
    page.goto(base + "/")
    page.get_by_role("link", name="Logg inn med ID-porten").click()
    expect(page).to_have_url(re.compile("^" + re.escape(issuer) + "/authorize"))
    page.get_by_role("button", name=re.compile("Ingrid Støen")).click()

    expect(page).to_have_url(base + "/k/5034")
    expect(page.get_by_role("heading", level=1)).to_have_text("Meråker")
    old_cookies = page.context.cookies(base)
    assert any(c["name"] == "samspel_session" and c["httpOnly"] for c in old_cookies)

    page.get_by_role("button", name="Logg ut").click()
    expect(page).to_have_url(re.compile("^" + re.escape(base) + r"/(\?state=[\w-]+)?$"))
    expect(page.get_by_role("link", name="Logg inn med ID-porten")).to_be_visible()

    # The old cookie, put back by hand, opens nothing: the session is gone on the server.
    page.context.clear_cookies()
    page.context.add_cookies(old_cookies)
    page.goto(base + "/k/5034")
    expect(page).not_to_have_url(base + "/k/5034")
    expect(page).to_have_url(re.compile(re.escape(issuer) + "/authorize"))
