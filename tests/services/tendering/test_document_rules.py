"""Documents are checked by size and by type, the declared type against the first bytes."""

from __future__ import annotations

import pytest

from services.tendering.rules import (
    MAX_DOCUMENT_BYTES,
    InvalidDocument,
    check_bid_documents,
    check_document,
)

PDF = b"%PDF-1.7\n"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_a_pdf_a_docx_and_utf8_text_are_accepted():
    check_document("tilbod.pdf", "application/pdf", PDF)
    check_document("tilbod.docx", DOCX, b"PK\x03\x04rest")
    check_document("notat.txt", "text/plain", "Æ, ø og å".encode())


@pytest.mark.parametrize(
    ("name", "media_type", "content", "code"),
    [
        ("prog.exe", "application/x-msdownload", b"MZ", "document_type_refused"),
        ("falsk.pdf", "application/pdf", b"MZ\x90\x00", "document_content_mismatch"),
        ("tom.pdf", "application/pdf", b"", "document_empty"),
        ("", "application/pdf", PDF, "document_name_invalid"),
        ("../etc/passwd", "text/plain", b"x", "document_name_invalid"),
        ("latin1.txt", "text/plain", "ø".encode("latin-1"), "document_content_mismatch"),
        ("stor.pdf", "application/pdf", PDF + bytes(MAX_DOCUMENT_BYTES), "document_too_large"),
    ],
)
def test_a_document_of_the_wrong_kind_or_size_is_refused(name, media_type, content, code):
    with pytest.raises(InvalidDocument) as refused:
        check_document(name, media_type, content)
    assert refused.value.code == code and refused.value.field == "documents"


def test_a_bids_documents_together_are_50_mb_at_most():
    big = PDF + bytes(MAX_DOCUMENT_BYTES - len(PDF))
    check_bid_documents([("a.pdf", "application/pdf", big)] * 2)
    with pytest.raises(InvalidDocument):
        check_bid_documents([("a.pdf", "application/pdf", big)] * 3)
