"""The tender pages of both sides: the editor, publishing, questions, the sealed bid and its
receipt, the two-person opening, the evaluation, the award, the standstill and the protocol."""

from __future__ import annotations

import html
import io
import re
from datetime import timedelta

import pytest
from pypdf import PdfReader

from services import formats
from services.tendering import service as tendering
from services.tendering.rules import OSLO
from services.tendering.sealing import SEALING_KEY_PURPOSE
from tenants.context import tenant_tx
from tests.web.auth.idp import Provider
from tests.web.browsing import HTML, open_site, post, text_of
from tests.web.tendering.tender_world import (
    bid,
    db_clock,
    end_standstill,
    new_business,
    new_buyer,
    new_tender,
    wait_for,
)

pytestmark = pytest.mark.usefixtures("demo")
EN = {**HTML, "accept-language": "en"}


@pytest.fixture
async def site(settings, database, demo):
    async with open_site(settings, database, Provider(settings)) as site:
        yield site


async def names_of(buyer, tender_id: int, bid_ids) -> dict[int, str]:
    """The bidders' names as the municipality sees them after the opening."""
    async with tenant_tx(buyer.scope()):
        opened = {b.bid_id: b.organisation_name for b in await tendering.opened_bids(tender_id)}
    return {i: opened[i] for i in bid_ids}


def evaluation_html(response) -> str:
    return html.unescape(response.text)


def local(moment) -> str:
    return moment.astimezone(OSLO).strftime("%Y-%m-%dT%H:%M")


async def editor_form(deadline_days: int = 14, **changes) -> dict:
    now = await db_clock()
    form = {
        "title": "Nytt forprosjekt",
        "description": "Kartlegging.",
        "estimated_value": "250 000",
        "questions_deadline": local(now + timedelta(days=deadline_days - 7)),
        "bid_deadline": local(now + timedelta(days=deadline_days)),
        "requirements": "Skatteattest\nFirmaattest",
        "criterion-0": "Kvalitet",
        "weight-0": "60",
        "criterion-1": "Pris",
        "weight-1": "40",
        "price": "1",
    }
    return {**form, **changes}


async def test_the_editor_shows_errors_beside_the_fields_and_refuses_weights_not_100(
    site, settings
):
    buyer = await new_buyer(settings)
    officer = await site.browser(buyer.officer.pid)
    assert (await officer.get(buyer.base + "/new", headers=EN)).status_code == 200

    bad = await post(officer, buyer.base, await editor_form(**{"weight-1": "30"}), headers=EN)
    assert bad.status_code == 422
    assert 'id="error-award_criteria"' in bad.text
    assert "The weights sum to 90, not 100." in text_of(bad)
    assert 'value="Nytt forprosjekt"' in bad.text  # what was typed stays

    untitled = await post(officer, buyer.base, await editor_form(title=""), headers=EN)
    assert untitled.status_code == 422
    assert 'id="error-title"' in untitled.text

    early = await editor_form(questions_deadline="2020-01-01T10:00", bid_deadline="nonsense")
    refused = await post(officer, buyer.base, early, headers=EN)
    assert refused.status_code == 422 and 'id="error-bid_deadline"' in refused.text

    async with tenant_tx(buyer.scope()):
        assert await tendering.tenders_of_municipality() == []


async def test_the_sum_of_the_weights_is_computed_as_they_are_typed(site, settings):
    buyer = await new_buyer(settings)
    officer = await site.browser(buyer.officer.pid)
    query = {"criterion-0": "Kvalitet", "weight-0": "60", "criterion-1": "Pris", "weight-1": "30"}
    partial = await officer.get(
        buyer.base + "/new/weights", params=query, headers={**EN, "hx-request": "true"}
    )
    assert partial.status_code == 200
    assert 'data-sum="90"' in partial.text and "must be 100" in partial.text
    assert "<html" not in partial.text
    full = await officer.get(
        buyer.base + "/new/weights", params={**query, "weight-1": "40"}, headers=EN
    )
    assert 'data-sum="100"' in full.text


async def test_a_created_tender_is_published_and_shows_no_bids_before_the_deadline(site, settings):
    buyer = await new_buyer(settings)
    officer = await site.browser(buyer.officer.pid)
    created = await post(officer, buyer.base, await editor_form(), headers=EN)
    assert created.status_code == 303, created.text
    tender_url = created.headers["location"]
    tender_id = int(tender_url.rsplit("/", 1)[1])
    draft = text_of(await officer.get(tender_url, headers=EN))
    assert "Draft" in draft and "Publish the tender" in draft
    assert (await officer.get(f"/tenders/{tender_id}", headers=EN)).status_code == 404

    published = await post(officer, tender_url + "/publish", headers=EN)
    assert published.status_code == 303
    listing = (
        await officer.get("/api/v1/tenders", params={"kommune": buyer.tenant.kommunenummer})
    ).json()
    assert [t["id"] for t in listing["tenders"]] == [tender_id]

    # Two bids are in (answers for the editor's one judged criterion).
    for n in range(2):
        seller = await new_business(settings, f"Skjult {n} AS")
        async with tenant_tx(seller.scope):
            await tendering.submit_bid(
                tender_id,
                person_id=seller.admin.id,
                idempotency_key=f"hidden-bid-{tender_id}-{n}-0000",
                price="200000",
                answers={"Kvalitet": "Svar"},
                sealing_key=settings.derived_key(SEALING_KEY_PURPOSE),
            )
    page = text_of(await officer.get(tender_url, headers=EN))
    assert "neither their content nor their number is shown" in page
    assert "Skjult" not in page and "200 000" not in page and "200,000" not in page
    assert not re.search(r"\b2 bids\b", page)


async def test_a_supplier_bids_gets_a_receipt_and_a_second_click_gives_the_same_one(site, settings):
    buyer = await new_buyer(settings)
    tender_id = await new_tender(buyer, title="Konkurranse med kvittering")
    business = await new_business(settings)
    browser = await site.browser(business.admin.pid)

    # "Log in to send a bid" lands on the tender as the organisation sees it.
    landing = await browser.get(f"/tenders/{tender_id}/bid", headers=EN)
    assert landing.headers["location"] == f"{business.base}/tenders/{tender_id}"
    page = await browser.get(landing.headers["location"], headers=EN)
    assert page.status_code == 200
    assert "data-countdown" in page.text and "Send the bid" in text_of(page)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page.text)[1]

    form = {
        "idempotency_key": key,
        "price": "412 500",
        "answer:Kvalitet": "Vi har gjort dette før.",
        "answer:Kompetanse": "To seniorrådgjevarar.",
    }
    files = {"documents": ("cv.txt", b"Curriculum vitae", "text/plain")}
    first = await post(browser, f"{business.base}/tenders/{tender_id}/bids", form, files=files)
    assert first.status_code == 303, first.text
    receipt_url = first.headers["location"]
    again = await post(browser, f"{business.base}/tenders/{tender_id}/bids", form, files=files)
    assert again.headers["location"] == receipt_url  # the same receipt, no second bid

    receipt = await browser.get(receipt_url, headers=EN)
    shown = text_of(receipt)
    async with tenant_tx(business.scope):
        [own] = await tendering.own_bids(tender_id)
    assert own.sha256 in shown and re.fullmatch(r"[0-9a-f]{64}", own.sha256)
    # Read to the second on Oslo's clock; the exact moment stays in <time datetime="…">.
    assert formats.when(own.received_at, "en", seconds=True) in shown
    assert f'datetime="{own.received_at.isoformat()}"' in shown

    mine = text_of(await browser.get(f"{business.base}/bids", headers=EN))
    assert "Konkurranse med kvittering" in mine

    # A missing answer is refused beside its field; the bid stands alone.
    other = await new_business(settings, "Gløymsk AS")
    forgetful = await site.browser(other.admin.pid)
    page = await forgetful.get(f"{other.base}/tenders/{tender_id}", headers=EN)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page.text)[1]
    refused = await post(
        forgetful,
        f"{other.base}/tenders/{tender_id}/bids",
        {"idempotency_key": key, "price": "", "answer:Kvalitet": "x", "answer:Kompetanse": ""},
        headers=EN,
    )
    assert refused.status_code == 422 and 'id="error-price"' in refused.text

    # Withdraw, and a new bid may be sent.
    withdrawn = await post(browser, receipt_url + "/withdraw", headers=EN)
    assert withdrawn.status_code == 303
    page = text_of(await browser.get(f"{business.base}/tenders/{tender_id}", headers=EN))
    assert "Send the bid" in page


async def test_questions_are_answered_for_everyone_without_the_askers_name(site, settings):
    buyer = await new_buyer(settings)
    tender_id = await new_tender(buyer)
    business = await new_business(settings, "Spørjande AS")
    supplier = await site.browser(business.admin.pid)
    asked = await post(
        supplier,
        f"{business.base}/tenders/{tender_id}/questions",
        {"question": "Kan vi levere i lag med ein partnar?"},
        headers=EN,
    )
    assert asked.status_code == 200 and "Your question has been sent" in text_of(asked)
    empty = await post(
        supplier, f"{business.base}/tenders/{tender_id}/questions", {"question": " "}, headers=EN
    )
    assert empty.status_code == 422 and 'id="error-question"' in empty.text

    officer = await site.browser(buyer.officer.pid)
    page = await officer.get(f"{buyer.base}/{tender_id}", headers=EN)
    question_id = re.search(r'name="question_id" value="(\d+)"', page.text)[1]
    answered = await post(
        officer,
        f"{buyer.base}/{tender_id}/answers",
        {"question_id": question_id, "question": "Kan ein levere med partnar?", "answer": "Ja."},
        headers=EN,
    )
    assert answered.status_code == 303
    public = text_of(await site.first.get(f"/tenders/{tender_id}", headers=EN))
    assert "Kan ein levere med partnar?" in public and "Ja." in public
    assert "Spørjande" not in public


async def test_from_the_deadline_to_the_protocol(site, settings):
    """A late bid is refused; two people open; scores, a failed qualification, the award, no
    contract during the standstill, and the protocol as a page and a PDF."""
    buyer = await new_buyer(settings)
    deadline = await db_clock() + timedelta(seconds=4)
    title = "Konkurranse til protokollen"
    tender_id = await new_tender(buyer, bid_deadline=deadline, title=title)
    first, second, late = (
        await new_business(settings, "Fyrste AS"),
        await new_business(settings, "Andre AS"),
        await new_business(settings, "Sein AS"),
    )
    first_bid = await bid(settings, first, tender_id, "400000")
    second_bid = await bid(settings, second, tender_id, "300000")
    late_browser = await site.browser(late.admin.pid)
    page = await late_browser.get(f"{late.base}/tenders/{tender_id}", headers=EN)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page.text)[1]
    await wait_for(deadline)

    too_late = await post(
        late_browser,
        f"{late.base}/tenders/{tender_id}/bids",
        {"idempotency_key": key, "price": "100", "answer:Kvalitet": "x", "answer:Kompetanse": "y"},
        headers=EN,
    )
    assert too_late.status_code == 409  # a conflict with the deadline: the page and its message
    assert "The deadline for bids has passed; the bid was not received." in text_of(too_late)

    officer = await site.browser(buyer.officer.pid)
    evaluator = await site.browser(buyer.evaluator.pid)
    here = f"{buyer.base}/{tender_id}"
    assert (await post(officer, here + "/opening", headers=EN)).status_code == 303
    waiting = text_of(await officer.get(here, headers=EN))
    assert "A second person must confirm" in waiting and "Fyrste AS" not in waiting
    same = await post(officer, here + "/opening", headers=EN)
    assert same.status_code == 409
    assert "A second person of the municipality must confirm the opening." in text_of(same)
    assert (await post(evaluator, here + "/opening", headers=EN)).status_code == 303
    opened = text_of(await officer.get(here, headers=EN))
    assert "Opening protocol" in opened and "Fyrste AS" in opened and "Andre AS" in opened

    # Scoring needs a declaration first; then scores per criterion per bid.
    scoring = here + f"/bids/{first_bid}/scores"
    undeclared = await post(
        evaluator, scoring, {"score:Kvalitet": "8", "score:Kompetanse": "6"}, headers=EN
    )
    assert undeclared.status_code == 403, undeclared.text  # not allowed: the 403 page says why
    assert "Declare yourself free" in text_of(undeclared)
    declared = await post(
        evaluator, here + "/evaluation/declaration", {"role": "evaluator", "conflicted": "no"}
    )
    assert declared.status_code == 303
    out_of_range = await post(
        evaluator, scoring, {"score:Kvalitet": "11", "score:Kompetanse": "6"}, headers=EN
    )
    assert out_of_range.status_code == 422 and f'id="error-scores-{first_bid}"' in out_of_range.text
    for bid_id, scores in ((first_bid, ("8", "6")), (second_bid, ("9", "9"))):
        scored = await post(
            evaluator,
            here + f"/bids/{bid_id}/scores",
            {"score:Kvalitet": scores[0], "score:Kompetanse": scores[1]},
        )
        assert scored.status_code == 303
    no_reason = await post(
        evaluator, here + f"/bids/{second_bid}/qualification", {"qualified": "no"}, headers=EN
    )
    assert no_reason.status_code == 422 and f'id="error-reason-{second_bid}"' in no_reason.text
    failed = await post(
        evaluator,
        here + f"/bids/{second_bid}/qualification",
        {"qualified": "no", "reason": "Skatteattest manglar"},
    )
    assert failed.status_code == 303
    evaluation = text_of(await evaluator.get(here + "/evaluation", headers=EN))
    assert "Skatteattest manglar" in evaluation and "rank 1" in evaluation
    # Not every bid is assessed yet: the page does not offer to complete, and says why.
    assert f'action="{here}/evaluation/complete"' not in evaluation_html(
        await evaluator.get(here + "/evaluation", headers=EN)
    )
    assert "Not assessed against the qualification requirements yet: Fyrste AS" in evaluation
    early = await post(evaluator, here + "/evaluation/complete", headers=EN)
    assert early.status_code == 409 and "Not assessed yet: Fyrste AS" in text_of(early)
    passed = await post(evaluator, here + f"/bids/{first_bid}/qualification", {"qualified": "yes"})
    assert passed.status_code == 303
    assert (await post(evaluator, here + "/evaluation/complete")).status_code == 303

    # The award: reasons are needed, then every bidder gets the notice.
    unexplained = await post(officer, here + "/award", {"reasons": ""}, headers=EN)
    assert unexplained.status_code == 422 and 'id="error-reasons"' in unexplained.text
    awarded = await post(officer, here + "/award", {"reasons": "Beste forhold pris og kvalitet."})
    assert awarded.status_code == 303
    supplier = await site.browser(first.admin.pid)
    notice = text_of(await supplier.get(f"{first.base}/tenders/{tender_id}", headers=EN))
    assert "Your bid has been chosen." in notice and "Beste forhold pris og kvalitet." in notice

    # During the standstill the contract is not offered: the page says from which day it is.
    during = text_of(await officer.get(here, headers=EN))
    assert f'action="{here}/contract"' not in during
    assert "The contract can be signed from " in during
    refused = await post(officer, here + "/contract", headers=EN)
    assert refused.status_code == 409  # a hand-made POST is still refused
    assert "The standstill period has not ended" in text_of(refused)
    async with tenant_tx(buyer.scope()):
        assert (await tendering.get_tender(tender_id)).state == "standstill"
    await end_standstill(settings, tender_id)  # as if ten days had passed
    assert f'action="{here}/contract"' in text_of(await officer.get(here, headers=EN))
    assert (await post(officer, here + "/contract")).status_code == 303
    async with tenant_tx(buyer.scope()):
        assert (await tendering.get_tender(tender_id)).state == "contract_signed"

    officer_name, evaluator_name = buyer.officer.name, buyer.evaluator.name
    fyrste, andre = (await names_of(buyer, tender_id, (first_bid, second_bid))).values()
    sentences = (
        f"{officer_name} created the tender “{title}” with an estimated value of NOK 450,000",
        f"{officer_name} published the tender.",
        "The deadline for bids passed; no more bids were received.",
        f"{officer_name} confirmed the opening as the first of two persons.",
        f"{officer_name} and {evaluator_name} opened the bids together.",
        f"{evaluator_name} declared, as evaluator, no conflict of interest in this tender.",
        f"{evaluator_name} scored the bid from {fyrste}:",
        f"{evaluator_name} found that the bid from {andre} does not meet the qualification"
        " requirements: Skatteattest manglar",
        f"{evaluator_name} found that the bid from {fyrste} meets the qualification requirements.",
        f"notified every bidder at once that the contract is awarded to {fyrste}.",
        "Reasons: Beste forhold pris og kvalitet.",
        f"{officer_name} signed the contract.",
    )
    page = await officer.get(here + "/protocol", headers=EN)
    protocol = text_of(page)
    for sentence in sentences:
        assert sentence in protocol, sentence
    # Numbered from 1, in order; no internal record shows through.
    assert '<li value="1">' in page.text and '<li value="59">' not in page.text
    for raw in ("person_id", "conflicted", "first:", "winning_bid_id", "{", "Rank 1: bid"):
        assert raw not in protocol.split("<main", 1)[1], raw
    # The scores of each evaluation in a table, with a decimal point in English.
    assert re.search(
        r"<td>Kvalitet</td><td class=\"amount\">50\u00a0%</td><td class=\"amount\">8.00</td>",
        protocol,
    )

    response = await officer.get(here + "/protocol.pdf", headers=EN)
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.content))
    text = " ".join(p.extract_text() for p in pdf.pages)
    flat = " ".join(text.split())
    for sentence in sentences:
        assert " ".join(sentence.split()) in flat, sentence
    assert pdf.metadata.title == f"Protocol: {title}"
    catalog = pdf.trailer["/Root"]
    assert catalog["/Lang"] == "en"
    assert bool(catalog["/MarkInfo"]["/Marked"])  # a tagged PDF
    tags = {kid.get_object()["/S"] for kid in catalog["/StructTreeRoot"]["/K"][0]["/K"]}
    assert {"/H1", "/H2", "/P"} <= tags
    fonts = [
        font.get_object() for page in pdf.pages for font in page["/Resources"]["/Font"].values()
    ]
    assert fonts and all(
        "/FontFile2" in f["/DescendantFonts"][0].get_object()["/FontDescriptor"] for f in fonts
    )  # every font embedded (DejaVu Sans from Debian), none left to the reader's machine
