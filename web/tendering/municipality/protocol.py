"""The protocol of the whole tender, generated from its events in the audit chain: a page and a PDF.

The PDF is drawn with fpdf2 (pure Python); a DejaVu font from Debian's fonts-dejavu-core gives it
æ, ø, å and dashes; without one it falls back to the core font and Latin-1.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fpdf import FPDF
from litestar import Request, get
from litestar.params import FromPath
from litestar.response import Response, Template

from services.access import service as access
from services.errors import N_
from services.tendering import service as tendering
from services.tendering.errors import TenderNotFound
from services.tendering.schemas import ProtocolEvent, TenderView
from tenants.context import current_scope, tenant_tx
from web.auth.guards import municipality_member, principal_of
from web.i18n import gettext
from web.templating import amount_text
from web.tendering.municipality.tender import ONE, base_of
from web.tendering.pages import STATES, page, when_text

ACTIONS = {
    "tender.created": N_("Tender created"),
    "tender.published": N_("Published"),
    "tender.document_added": N_("Document added"),
    "tender.question_answered": N_("Question answered for every supplier"),
    "tender.bids_closed": N_("Bids closed at the deadline"),
    "tender.opening_confirmed": N_("Opening confirmed by the first person"),
    "tender.opened": N_("Bids opened"),
    "tender.opening_completed": N_("Opening completed by the second person"),
    "tender.interest_declared": N_("Conflict of interest declared"),
    "tender.qualification_recorded": N_("Qualification recorded"),
    "tender.bid_scored": N_("Bid scored"),
    "tender.ranked": N_("Bids ranked"),
    "tender.evaluated": N_("Evaluation completed"),
    "tender.award_notified": N_("Award notice sent to every bidder"),
    "tender.standstill": N_("Standstill period started"),
    "tender.contract_signed": N_("Contract signed"),
    "tender.completed": N_("Completed"),
    "tender.cancelled": N_("Cancelled"),
    "tender.unsuccessful": N_("Unsuccessful"),
}
FONTS = Path("/usr/share/fonts/truetype/dejavu")


class Line(dict):
    """One row of the protocol: when, who, what, and its details as text."""


def _details(event: ProtocolEvent, lang: str) -> list[str]:
    values: dict[str, Any] = dict(event.values or {})
    values.pop("state", None)
    if event.action == "tender.opening_completed":
        bids = values.pop("bids", [])
        return [
            f"{b['organisation_name']}: {amount_text(b['price'], lang) if b['price'] else '–'} NOK,"
            f" SHA-256 {b['sha256'][:16]}…"
            for b in bids
        ]
    if event.action == "tender.ranked":
        return [
            f"{gettext(lang, N_('Rank'))} {r['rank']}: {gettext(lang, N_('bid'))} {r['bid_id']},"
            f" {r['total']}"
            for r in values.get("ranking", [])
        ]
    if event.action == "tender.created":
        criteria = ", ".join(
            f"{c['name']} {c['weight']} %" for c in values.get("award_criteria", [])
        )
        return [
            values.get("title", ""),
            f"{amount_text(values.get('estimated_value'), lang)} NOK",
            criteria,
        ]
    return [
        f"{key}: {value if isinstance(value, str | int | float) else json.dumps(value, ensure_ascii=False)}"
        for key, value in values.items()
        if value not in (None, "", [], {})
    ]


async def _protocol(tender_id: int, lang: str) -> tuple[TenderView, list[Line]]:
    async with tenant_tx():
        tender = await tendering.get_tender(tender_id)
        if tender.tenant_id != current_scope.get().tenant_id:
            raise TenderNotFound()
        events = await tendering.tender_protocol(tender_id)
        names = {
            m.person_id: m.person_name
            for m in await access.members_of(municipality_id=tender.tenant_id)
        }
    lines = [
        Line(
            seq=e.seq,
            when=when_text(e.occurred_at, seconds=True),
            who=names.get(e.actor_person_id, "")
            if e.actor_person_id
            else gettext(lang, N_("The system")),
            what=gettext(lang, ACTIONS.get(e.action, e.action)),
            details=_details(e, lang),
        )
        for e in events
    ]
    return tender, lines


@get(ONE + "/protocol", guards=[municipality_member()], name="tender_protocol")
async def protocol_page(
    request: Request, kommunenummer: FromPath[str], tender_id: FromPath[int]
) -> Template:
    tender, lines = await _protocol(tender_id, request.state.get("lang", "nb"))
    return page(
        request,
        "tendering/municipality/protocol.html",
        base=base_of(request),
        tender=tender,
        lines=lines,
    )


def protocol_pdf(tender: TenderView, lines: list[Line], lang: str, place: str) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title(tender.title)
    pdf.set_creator("Samspel")
    if (FONTS / "DejaVuSans.ttf").exists():
        pdf.add_font("body", "", str(FONTS / "DejaVuSans.ttf"))
        pdf.add_font("body", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        font, clean = "body", str
    else:  # the core font knows Latin-1 only
        font = "helvetica"

        def clean(text: str) -> str:
            return (
                text.replace("–", "-")
                .replace("…", "...")
                .encode("latin-1", "replace")
                .decode("latin-1")
            )

    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font(font, "B", 15)
    pdf.multi_cell(0, 8, clean(tender.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(font, "", 10)
    head = [
        f"{gettext(lang, N_('Protocol'))} · {place}",
        f"{gettext(lang, N_('Status'))}: {gettext(lang, STATES[tender.state])}",
        f"{gettext(lang, N_('Estimated value (NOK)'))}: {amount_text(tender.estimated_value, lang)}",
        f"{gettext(lang, N_('Deadline for bids'))}: {when_text(tender.bid_deadline)}",
    ]
    for text in head:
        pdf.multi_cell(0, 5, clean(text), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for line in lines:
        pdf.set_font(font, "B", 10)
        title = f"{line['seq']}. {line['when']} – {line['what']}" + (
            f" ({line['who']})" if line["who"] else ""
        )
        pdf.multi_cell(0, 5, clean(title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(font, "", 9)
        for detail in line["details"]:
            pdf.set_x(pdf.l_margin + 5)
            pdf.multi_cell(0, 4.5, clean(detail), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)
    return bytes(pdf.output())


@get(ONE + "/protocol.pdf", guards=[municipality_member()], name="tender_protocol_pdf")
async def protocol_download(
    request: Request, kommunenummer: FromPath[str], tender_id: FromPath[int]
) -> Response:
    lang = request.state.get("lang", "nb")
    tender, lines = await _protocol(tender_id, lang)
    place = principal_of(request).active.municipality_name or kommunenummer
    return Response(
        protocol_pdf(tender, lines, lang, place),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="protocol-{tender_id}.pdf"'},
    )


ROUTES = [protocol_page, protocol_download]
