"""A bid's receipt as the bidder keeps it: on the page, as a PDF, and in the mails that follow a
bid sent, withdrawn or reconfirmed. The price, each file (name, size, SHA-256) and the moment
of arrival on the Norwegian clock, in the reader's language.

The receipt travels as text (a mail request's values): `values_of` writes it, the page, the
mail and the PDF read the same text, so all three say the same thing.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from decimal import Decimal

import msgspec

from services import formats
from services.errors import N_
from services.i18n import gettext
from services.pdf import TaggedPDF


class ReceiptFile(msgspec.Struct, frozen=True):
    name: str
    size: int  # bytes
    sha256: str


class BidReceiptView(msgspec.Struct, frozen=True):
    """Everything the bidder's receipt says; read in the bidding organisation's scope."""

    bid_id: int
    tender_id: int
    tender_title: str
    municipality_name: str
    organisation_name: str
    received_at: datetime
    sha256: str
    price: Decimal
    files: list[ReceiptFile]
    withdrawn_at: datetime | None = None
    reconfirmed_at: datetime | None = None


def file_of(name: str, content: bytes) -> ReceiptFile:
    return ReceiptFile(name, len(content), hashlib.sha256(content).hexdigest())


def values_of(receipt: BidReceiptView) -> tuple[dict[str, str], dict[str, str]]:
    """(values, secrets) of a mail request: what may lie in the outbox as it is, and what only
    the mail worker may open (the price and the files stay sealed until the opening)."""
    values = {
        "bid_id": str(receipt.bid_id),
        "tender": receipt.tender_title,
        "municipality": receipt.municipality_name,
        "organisation": receipt.organisation_name,
        "received_at": receipt.received_at.isoformat(),
        "sha256": receipt.sha256,
        "withdrawn_at": receipt.withdrawn_at.isoformat() if receipt.withdrawn_at else "",
        "reconfirmed_at": receipt.reconfirmed_at.isoformat() if receipt.reconfirmed_at else "",
    }
    secrets = {
        "price": str(receipt.price),
        "files": json.dumps([[f.name, f.size, f.sha256] for f in receipt.files]),
    }
    return values, secrets


def received_text(lang: str, values: dict[str, str]) -> str:
    """"14.12.2026 kl. 11.59.58" on Oslo's clock: to the second, since a receipt is the proof
    of arrival before a deadline."""
    return formats.when(values["received_at"], lang, seconds=True)


def files_of(values: dict[str, str]) -> list[ReceiptFile]:
    return [ReceiptFile(n, s, h) for n, s, h in json.loads(values.get("files") or "[]")]


def facts(lang: str, values: dict[str, str]) -> list[tuple[str, str]]:
    """The receipt's facts as (label, text), in the reader's language."""

    def t(message: str) -> str:
        return gettext(lang, message)

    shown = [
        (t(N_("Tender")), values["tender"]),
        (t(N_("Municipality")), values["municipality"]),
        (t(N_("Bidder")), values["organisation"]),
        (t(N_("Bid number")), values["bid_id"]),
        (t(N_("Price (NOK, without VAT)")), formats.kroner(values["price"], lang)),
        (t(N_("Received")), received_text(lang, values)),
    ]
    if values.get("reconfirmed_at"):
        shown.append((t(N_("Reconfirmed")), formats.when(values["reconfirmed_at"], lang, seconds=True)))
    if values.get("withdrawn_at"):
        shown.append((t(N_("Withdrawn")), formats.when(values["withdrawn_at"], lang, seconds=True)))
    shown.append((t(N_("SHA-256 of the whole bid")), values["sha256"]))
    return shown


def file_lines(lang: str, values: dict[str, str]) -> list[str]:
    """One line per file: "tilbud.pdf, 17,7 kB, SHA-256 ab12…"."""
    return [
        f"{f.name}, {formats.size(f.size, lang)}, SHA-256 {f.sha256}" for f in files_of(values)
    ] or [gettext(lang, N_("No files were sent with the bid."))]


def receipt_pdf(lang: str, values: dict[str, str]) -> bytes:
    """The receipt as a tagged PDF in the reader's language."""
    title = gettext(lang, N_("Receipt for bid %(number)s"), number=values["bid_id"])
    pdf = TaggedPDF(
        title=title,
        author=values["municipality"],
        lang=lang,
        page_of=gettext(lang, N_("Page %(page)s of %(pages)s")),
    )
    pdf.block("H1", title, size=16, bold=True, line=7.5)
    pdf.block("P", values["tender"], size=11, bold=True)
    pdf.ln(3)
    for label, text in facts(lang, values):
        pdf.fact(label, text)
    pdf.ln(2)
    pdf.block("H2", gettext(lang, N_("Files")), size=13, bold=True, line=6.5)
    for f in files_of(values):
        pdf.fact(f.name, f"{formats.size(f.size, lang)} · SHA-256 {f.sha256}")
    if not files_of(values):
        pdf.block("P", gettext(lang, N_("No files were sent with the bid.")), size=10)
    pdf.ln(3)
    pdf.block(
        "P",
        gettext(
            lang,
            N_("Keep this receipt: the time and the checksums prove what you sent and when."),
        ),
        size=9,
    )
    return pdf.done()
