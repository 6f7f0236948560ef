"""A bid's receipt as text and as a PDF, without a database: the price, the files, the time on the
Norwegian clock, each in the reader's language; the PDF tagged, in that language, titled."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from pypdf import PdfReader

from services.tendering import receipts
from services.tendering.receipts import BidReceiptView, file_of

RECEIPT = BidReceiptView(
    bid_id=42,
    tender_id=7,
    tender_title="Prosjektleiing forprosjekt matforedling",
    municipality_name="Grong",
    organisation_name="Fossli Rådgjeving AS",
    # 10.59.58 UTC is 11.59.58 in Oslo in December; the microseconds are nobody's business.
    received_at=datetime(2026, 12, 14, 10, 59, 58, 123456, tzinfo=UTC),
    sha256="ab" * 32,
    price=Decimal("412500.00"),
    files=[file_of("tilbod.pdf", b"x" * 18_126), file_of("cv.txt", b"y" * 16)],
)


def text_of() -> dict[str, str]:
    values, sealed = receipts.values_of(RECEIPT)
    return {**values, **sealed}


@pytest.mark.parametrize(
    ("lang", "price", "received", "size"),
    [
        ("nb", "412\u00a0500\u00a0kr", "14.12.2026 kl. 11.59.58", "18,1\u00a0kB"),
        ("nn", "412\u00a0500\u00a0kr", "14.12.2026 kl. 11.59.58", "18,1\u00a0kB"),
        ("en", "NOK 412,500", "14 Dec 2026, 11:59:58", "18.1\u00a0kB"),
    ],
)
def test_price_time_and_sizes_read_as_the_reader_writes_them(lang, price, received, size):
    facts = [text for _, text in receipts.facts(lang, text_of())]
    assert price in facts and received in facts
    assert receipts.file_lines(lang, text_of())[0].startswith(f"tilbod.pdf, {size}, SHA-256 ")
    assert receipts.file_lines(lang, text_of())[1].startswith("cv.txt, 16\u00a0B, ")


def test_the_facts_say_price_time_and_files_and_nothing_of_the_database():
    facts = dict(receipts.facts("nn", text_of()))
    assert facts["Motteke"] == "14.12.2026 kl. 11.59.58"
    assert "412\u00a0500\u00a0kr" in facts.values()
    lines = receipts.file_lines("nn", text_of())
    assert lines[0] == f"tilbod.pdf, 18,1\u00a0kB, SHA-256 {RECEIPT.files[0].sha256}"
    assert not any("database" in f"{k} {v}" for k, v in facts.items())


@pytest.mark.parametrize(("lang", "tag"), [("nb", "nb-NO"), ("nn", "nn-NO"), ("en", "en")])
def test_the_pdf_is_tagged_in_its_language_and_says_what_the_page_says(lang, tag):
    reader = PdfReader(io.BytesIO(receipts.receipt_pdf(lang, text_of())))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == tag and "/StructTreeRoot" in root
    assert reader.metadata.title.endswith("42")
    text = "\n".join(page.extract_text() for page in reader.pages)
    flat = re.sub(r"\s+", "", text)  # a line may break anywhere in a checksum
    for label, shown in receipts.facts(lang, text_of()):
        assert label in text and re.sub(r"\s+", "", shown) in flat, label
    assert "tilbod.pdf" in text and RECEIPT.files[1].sha256 in text
