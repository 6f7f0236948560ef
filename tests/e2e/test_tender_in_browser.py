"""In Chromium: a business person finds a tender in the public listing, logs in, submits a bid and
sees the receipt; after the deadline two municipal users open the bids, score them and send the
award notice.

The tender is made through the use-cases with a deadline a little ahead on the database's clock
(a browser cannot pick seconds), in Grong, whose demo admin (Arne Lyngstad) and evaluator (Siri
Devik) are the two municipal users. Selectors are ids and form actions, not words, so the test
holds in every language.
"""

from __future__ import annotations

import asyncio
import re
import secrets
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from infra.db import Database, all_tables
from services.demo.tenders import ARNE, BIDDERS, LISE
from services.tendering import service as tendering
from services.tendering.rules import AwardCriterion
from services.tendering.schemas import TenderDraft
from services.tendering.sealing import SEALING_KEY_PURPOSE
from tenants.context import NOBODY, Scope, connection, tenant_tx
from tenants.identity import pid_hash

pytestmark = pytest.mark.e2e

GRONG = "5045"
JONAS_ORG = "915543219"
SECONDS_TO_DEADLINE = 45


def in_database(settings, work):
    """Run `work()` on a pool of its own, then give the tables back to the suite's pool."""
    bound = {table: table._meta._db for table in all_tables()}  # noqa: SLF001

    async def run():
        database = Database(settings.app_database_url, max_size=2)
        await database.start()
        try:
            return await work()
        finally:
            await database.stop()

    try:  # in a thread of its own: Playwright's sync API keeps a loop running in this one
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, run()).result()
    finally:
        for table, engine in bound.items():
            table._meta._db = engine  # noqa: SLF001


async def _person(settings, pid: str) -> int:
    scope = Scope(operator=True, pid_hash=pid_hash(settings.derived_key("pid"), pid))
    async with tenant_tx(scope):
        return await connection().fetchval("select id from person where pid_hash = app_pid_hash()")


async def _grong_tender(settings, title: str):
    """A published Grong tender whose bids close soon, with one bid (Lise's) already in."""
    arne = await _person(settings, ARNE)
    async with tenant_tx(NOBODY):
        grong = await connection().fetchval(
            "select id from municipality where kommunenummer = $1", GRONG
        )
        now = await connection().fetchval("select clock_timestamp()")
    deadline = now + timedelta(seconds=SECONDS_TO_DEADLINE)
    async with tenant_tx(Scope(tenant_id=grong, person_id=arne)):
        tender = await tendering.create_tender(
            TenderDraft(
                title=title,
                description="Rettleiing for bedrifter i matforedling.",
                estimated_value=Decimal(300_000),
                award_criteria=[
                    AwardCriterion("Kvalitet", 50),
                    AwardCriterion("Kompetanse", 20),
                    AwardCriterion("Pris", 30, is_price=True),
                ],
                qualification_requirements=["Skatteattest"],
                questions_deadline=deadline - timedelta(seconds=20),
                bid_deadline=deadline,
            ),
            actor_person_id=arne,
        )
        await tendering.publish_tender(tender.id, actor_person_id=arne)
    lise = await _person(settings, LISE)
    async with tenant_tx(NOBODY):
        organisation = await connection().fetchval(
            "select id from organisation where organisasjonsnummer = $1", BIDDERS[LISE]
        )
    async with tenant_tx(Scope(person_id=lise, organisation_id=organisation)):
        await tendering.submit_bid(
            tender.id,
            person_id=lise,
            idempotency_key=secrets.token_urlsafe(24),
            price="280000",
            answers={"Kvalitet": "Nettverk av produsentar.", "Kompetanse": "Inkubator."},
            sealing_key=settings.derived_key(SEALING_KEY_PURPOSE),
        )
    return tender.id, deadline, grong


async def _wait_and_read(deadline, grong: int, tender_id: int, wait: bool):
    for _ in range(600):
        async with tenant_tx(NOBODY):
            now = await connection().fetchval("select clock_timestamp()")
        if not wait or now >= deadline:
            break
        await asyncio.sleep(0.5)
    async with tenant_tx(Scope(tenant_id=grong)):
        return (await tendering.get_tender(tender_id)).state


def log_in(page, base: str, issuer: str, name: str, next_path: str) -> None:
    page.goto(f"{base}/auth/login?next={next_path}")
    expect(page).to_have_url(re.compile("^" + re.escape(issuer) + "/authorize"))
    page.get_by_role("button", name=re.compile(name)).click()
    expect(page).to_have_url(base + next_path)


def test_a_business_bids_and_two_municipal_users_open_score_and_award(browser, product, settings):
    base, issuer, _ = product
    title = f"Rettleiing matforedling {secrets.token_hex(2)}"
    tender_id, deadline, grong = in_database(settings, lambda: _grong_tender(settings, title))

    # --- the business: finds it in the public listing, filters, logs in and bids ---------------
    business = browser.new_context(locale="nb-NO").new_page()
    business.set_default_timeout(15_000)
    business.goto(base + "/tenders")
    business.select_option("#filter-kommune", GRONG)
    expect(business).to_have_url(re.compile(r"/tenders\?.*kommune=" + GRONG))
    expect(business.get_by_role("link", name=title)).to_be_visible()
    business.go_back()
    expect(business).to_have_url(base + "/tenders")
    business.go_forward()
    expect(business).to_have_url(re.compile(r"kommune=" + GRONG))
    business.get_by_role("link", name=title).click()
    expect(business).to_have_url(f"{base}/tenders/{tender_id}")
    business.locator("main a[href^='/auth/login?next=']").click()
    business.get_by_role("button", name=re.compile("Jonas Hegre")).click()
    expect(business).to_have_url(f"{base}/o/{JONAS_ORG}/tenders/{tender_id}")

    countdown = business.locator("[data-countdown]")
    expect(countdown).to_have_text(re.compile(r"^\d+ \S+ \d+ \S+$"))  # minutes and seconds left
    first = countdown.inner_text()
    expect(countdown).not_to_have_text(first)  # it counts

    business.fill("#field-price", "265 000")
    business.fill("textarea[name='answer:Kvalitet']", "Tett oppfølging av kvar bedrift.")
    business.fill("textarea[name='answer:Kompetanse']", "Matteknolog og rekneskapsførar.")
    business.set_input_files(
        "#field-documents",
        files=[{"name": "tilbod.txt", "mimeType": "text/plain", "buffer": b"Tilbod"}],
    )
    business.locator("form.bid-form button[type=submit]").click()
    expect(business).to_have_url(re.compile(rf"{re.escape(base)}/o/{JONAS_ORG}/bids/\d+$"))
    expect(business.locator("code.sha256")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    expect(business.locator("dl.receipt time")).to_have_text(re.compile(r"\d\d:\d\d:\d\d"))

    # --- the deadline passes; two people of Grong open the bids ---------------------------------
    assert in_database(settings, lambda: _wait_and_read(deadline, grong, tender_id, True)) in (
        "published",
        "bids_closed",
    )
    here = f"/k/{GRONG}/tenders/{tender_id}"
    arne = browser.new_context(locale="nb-NO").new_page()
    arne.set_default_timeout(15_000)
    log_in(arne, base, issuer, "Arne Lyngstad", here)
    with arne.expect_navigation():
        arne.locator(f"form[action='{here}/opening'] button").click()
    expect(arne.locator(f"form[action='{here}/opening']")).to_have_count(0)  # waits for another

    siri = browser.new_context(locale="nb-NO").new_page()
    siri.set_default_timeout(15_000)
    log_in(siri, base, issuer, "Siri Devik", here)
    with siri.expect_navigation():
        siri.locator(f"form[action='{here}/opening'] button").click()
    expect(siri.locator("table.opening-table tbody tr")).to_have_count(2)

    # --- Siri declares herself free of conflicts, scores both bids, completes the evaluation ----
    siri.locator(f"a[href='{here}/evaluation']").click()
    expect(siri).to_have_url(base + here + "/evaluation")
    with siri.expect_navigation():
        siri.locator("form.declaration button[type=submit]").click()
    for n, scores in enumerate((("8", "7"), ("6", "9"))):
        form = siri.locator("form.score-form").nth(n)
        form.locator("input[name='score:Kvalitet']").fill(scores[0])
        form.locator("input[name='score:Kompetanse']").fill(scores[1])
        with siri.expect_navigation():
            form.locator("button[type=submit]").click()
    expect(siri.locator(".bid-total")).to_have_count(2)  # every bid scored: the ranking shows
    for n in range(2):  # each bid checked against the qualification requirements ("Meets them")
        with siri.expect_navigation():
            siri.locator("form.qualification-form").nth(n).locator("button[type=submit]").click()
    with siri.expect_navigation():
        siri.locator(f"form[action='{here}/evaluation/complete'] button").click()
    expect(siri.locator(f"form[action='{here}/evaluation/complete']")).to_have_count(0)

    # --- Arne sends the award notice with its reasons; the standstill begins --------------------
    arne.goto(base + here + "/evaluation")
    arne.fill("#field-reasons", "Beste forhold mellom pris og kvalitet.")
    arne.locator(f"form[action='{here}/award'] button").click()
    expect(arne).to_have_url(base + here)
    # During the standstill the contract is not offered; the page says from which day it is.
    expect(arne.locator(f"form[action='{here}/contract']")).to_have_count(0)
    assert in_database(settings, lambda: _wait_and_read(deadline, grong, tender_id, False)) == (
        "standstill"
    )

    # The bidder sees the notice, with the reasons, on the tender's page.
    business.goto(f"{base}/o/{JONAS_ORG}/tenders/{tender_id}")
    expect(business.get_by_text("Beste forhold mellom pris og kvalitet.")).to_be_visible()
    expect(business.locator("section.award-letter table.award-scores")).to_be_visible()
    for page in (business, arne, siri):
        page.context.close()
