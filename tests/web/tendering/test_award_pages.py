"""The award as bidders, the public and a klagenemnd read it (FOA § 25-1): the losing bidder's
letter names the winner and its relative advantages in scores, the standstill's end and how to
complain; the public notice says the same; the protocol reads the same in nynorsk, page and PDF."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from services.tendering import service as tendering
from tenants.context import tenant_tx
from tests.web.auth.idp import Provider
from tests.web.browsing import HTML, open_site, text_of
from tests.web.tendering.tender_world import awarded_tender, new_business, new_buyer
from web.templating import date_text

pytestmark = pytest.mark.usefixtures("demo")
EN = {**HTML, "accept-language": "en"}
NB = {**HTML, "accept-language": "nb"}
NN = {**HTML, "accept-language": "nn"}


@pytest.fixture
async def site(settings, database, demo):
    async with open_site(settings, database, Provider(settings)) as site:
        yield site


async def _awarded(settings):
    buyer = await new_buyer(settings, "Tildelingskommune")
    loser = await new_business(settings, "Taparen AS")
    winner = await new_business(settings, "Vinnaren AS")
    tender_id = await awarded_tender(settings, buyer, [loser, winner])  # 400 000 and 300 000
    async with tenant_tx(buyer.scope()):
        tender = await tendering.get_tender(tender_id)
    return buyer, loser, winner, tender


async def test_the_losing_bidder_reads_who_won_why_the_scores_the_standstill_and_how_to_complain(
    site, settings
):
    buyer, loser, winner, tender = await _awarded(settings)
    ends = date_text(tender.standstill_ends_at, "en")
    browser = await site.browser(loser.admin.pid)
    letter = text_of(await browser.get(f"{loser.base}/tenders/{tender.id}", headers=EN))
    name = tender.award_outcome.winner.organisation_name
    assert name.startswith("Vinnaren AS")
    assert f"intends to award the contract to {name} (organisation number" in letter
    assert "Your bid was ranked 2 of 2." in letter
    assert "Reasons: Best." in letter
    # The winner's relative advantages: its score per criterion beside the bidder's own.
    assert '<th scope="row">Pris</th><td class="amount">30\u00a0%</td>' in letter
    assert '<td class="amount">10.00</td>' in letter and '<td class="amount">7.50</td>' in letter
    assert "<strong>79.00</strong>" in letter and "71.50" in letter
    assert "NOK 300,000" in letter and "NOK 400,000" in letter
    assert f"The standstill period ends {ends};" in letter
    assert f"before the standstill period ends {ends}" in letter and "FOA § 25-1" in letter
    # In Norwegian the same figures in Norwegian form.
    norsk = text_of(await browser.get(f"{loser.base}/tenders/{tender.id}", headers=NB))
    assert "79,00" in norsk and "300\u00a0000\u00a0kr" in norsk and "79.00" not in norsk


async def test_the_public_award_notice_names_the_winner_its_scores_and_the_standstill(
    site, settings
):
    buyer, loser, winner, tender = await _awarded(settings)
    anonymous = await site.browser()
    page = text_of(await anonymous.get(f"/tenders/{tender.id}", headers=EN))
    name = tender.award_outcome.winner.organisation_name
    assert f"intends to award the contract to {name}" in page
    assert "2 bids were considered." in page and "Reasons: Best." in page
    assert "<strong>79.00</strong>" in page and "NOK 300,000" in page
    assert f"The standstill period ends {date_text(tender.standstill_ends_at, 'en')};" in page
    assert "Taparen" not in page  # a loser's scores and name stay in its own letter


async def test_the_protocol_in_nynorsk_has_norwegian_figures_and_no_internal_records(
    site, settings
):
    buyer, loser, winner, tender = await _awarded(settings)
    officer = await site.browser(buyer.officer.pid)
    here = f"{buyer.base}/{tender.id}"
    page = await officer.get(here + "/protocol", headers=NN)
    protocol = text_of(page).split("<main", 1)[1]
    assert "450\u00a0000\u00a0kr" in protocol and " kl. " in protocol
    assert "79,00" in protocol and "79.00" not in protocol  # the ranking's totals
    for raw in ("person_id", "conflicted", "bid_id", "winning_bid_id", "{", "None", "True"):
        assert raw not in protocol, raw
    assert buyer.officer.name in protocol and buyer.evaluator.name in protocol
    pdf = PdfReader(io.BytesIO((await officer.get(here + "/protocol.pdf", headers=NN)).content))
    assert pdf.trailer["/Root"]["/Lang"] == "nn-NO"
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    assert "79,00" in text and buyer.evaluator.name in text
    assert tender.award_outcome.winner.organisation_name in text


async def test_an_awarded_tender_stays_in_the_public_list_with_its_winner(site, settings):
    buyer, loser, winner, tender = await _awarded(settings)
    anonymous = await site.browser()
    listing = text_of(
        await anonymous.get(f"/tenders?kommune={buyer.tenant.kommunenummer}", headers=EN)
    )
    awarded = listing.split('id="awarded-heading"', 1)[1]
    assert f'href="/tenders/{tender.id}"' in awarded
    assert tender.award_outcome.winner.organisation_name in awarded
    assert date_text(tender.award_notified_at, "en") in awarded
