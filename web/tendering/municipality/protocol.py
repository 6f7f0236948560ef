"""The protocol of the whole tender, told from its events in the audit chain: a page and a
tagged PDF with the same sentences (protocol_text tells them, protocol_pdf draws them)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import NamedTuple

from litestar import Request, get
from litestar.params import FromPath
from litestar.response import Response, Template

from services.access import service as access
from services.errors import N_
from services.tendering import service as tendering
from services.tendering.schemas import TenderView
from tenants.context import tenant_tx
from web.auth.guards import municipality_member, principal_of
from web.downloads import download
from web.i18n import gettext
from web.templating import kroner_text, time_text
from web.tendering.municipality.protocol_pdf import Heading, protocol_pdf
from web.tendering.municipality.protocol_text import Entry, Names, protocol_entries
from web.tendering.municipality.tender import ONE, base_of, own_tender
from web.tendering.pages import STATES, page


class Protocol(NamedTuple):
    lang: str
    tender: TenderView
    heading: Heading
    entries: list[Entry]


async def _protocol(request: Request, kommunenummer: str, tender_id: int) -> Protocol:
    """The protocol in the reader's language, as the page and the PDF both tell it."""
    lang = request.state.get("lang", "nb")
    async with tenant_tx():
        tender = await own_tender(tender_id)
        events = await tendering.tender_protocol(tender_id)
        people = {
            m.person_id: m.person_name
            for m in await access.members_of(municipality_id=tender.tenant_id)
        }
        # Bids are readable once opened; before that the protocol names no bidder anyway.
        bidders = (
            {b.bid_id: b.organisation_name for b in await tendering.opened_bids(tender_id)}
            if tender.opened_at
            else {}
        )
    place = principal_of(request).active.municipality_name or kommunenummer
    return Protocol(
        lang,
        tender,
        heading(tender, place, lang),
        protocol_entries(tender, events, Names(people, bidders), lang),
    )


def heading(tender: TenderView, place: str, lang: str) -> Heading:
    """The protocol's title and the facts a reader needs before its events."""

    def _(message: str, **values) -> str:
        return gettext(lang, message, **values)

    return Heading(
        title=_(N_("Protocol: %(title)s"), title=tender.title),
        subtitle=_(N_("Tender protocol, %(municipality)s"), municipality=place),
        author=place,
        facts=[
            _(N_("Status: %(state)s"), state=_(STATES[tender.state])),
            _(
                N_("Estimated value: %(value)s"),
                value=kroner_text(tender.estimated_value, lang),
            ),
            _(N_("Deadline for bids: %(when)s."), when=time_text(tender.bid_deadline, lang)),
            _(
                N_(
                    "Made %(when)s from the tender's audit chain, where every event is recorded"
                    " in the order it happened."
                ),
                when=time_text(datetime.now(UTC), lang),
            ),
        ],
        events_heading=_(N_("What happened")),
        page_of=_(N_("Page %(page)s of %(pages)s")),
    )


@get(ONE + "/protocol", guards=[municipality_member()], name="tender_protocol")
async def protocol_page(
    request: Request, kommunenummer: FromPath[str], tender_id: FromPath[int]
) -> Template:
    told = await _protocol(request, kommunenummer, tender_id)
    return page(
        request,
        "tendering/municipality/protocol.html",
        base=base_of(request),
        tender=told.tender,
        heading=told.heading,
        entries=told.entries,
    )


@get(ONE + "/protocol.pdf", guards=[municipality_member()], name="tender_protocol_pdf")
async def protocol_download(
    request: Request, kommunenummer: FromPath[str], tender_id: FromPath[int]
) -> Response:
    told = await _protocol(request, kommunenummer, tender_id)
    name = gettext(told.lang, N_("protocol")) + f"-{tender_id}.pdf"
    return download(protocol_pdf(told.heading, told.entries, told.lang), name, "application/pdf")


ROUTES = [protocol_page, protocol_download]
