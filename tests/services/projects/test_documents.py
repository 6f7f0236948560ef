"""Uploads are taken for what their bytes are, within 20 MB, and stored with their SHA-256."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest

from services.projects.documents import add_document, document_file
from services.projects.rules import (
    DOCX,
    MAX_DOCUMENT_BYTES,
    XLSX,
    DocumentEmpty,
    DocumentTooLarge,
    DocumentTypeRefused,
    check_document,
    sniff_content_type,
)
from services.projects.service import get_project
from tenants.context import connection, tenant_tx
from tests.services.projects.plp_helpers import new_kommune, new_project

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(24)
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + bytes(56)


def office(main_part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(main_part, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (PDF, "application/pdf"),
        (PNG, "image/png"),
        (b"\xff\xd8\xff\xe0" + bytes(16), "image/jpeg"),
        (office("word/document.xml"), DOCX),
        (office("xl/workbook.xml"), XLSX),
        (office("content.xml"), None),
        (b"PK\x03\x04 not a zip at all", None),
        (EXE, None),
    ],
)
def test_the_type_is_read_from_the_bytes(content, expected):
    assert sniff_content_type(content) == expected


def test_an_exe_renamed_pdf_is_refused():
    with pytest.raises(DocumentTypeRefused):
        check_document("rapport.pdf", "application/pdf", EXE)


def test_a_claim_or_name_that_disagrees_with_the_bytes_is_refused():
    with pytest.raises(DocumentTypeRefused):
        check_document("bilete.png", "application/pdf", PNG)
    with pytest.raises(DocumentTypeRefused):
        check_document("rapport.exe", "application/pdf", PDF)
    assert (
        check_document("Rapport.PDF", "application/pdf; charset=binary", PDF) == "application/pdf"
    )


def test_empty_and_oversized_files_are_refused():
    with pytest.raises(DocumentEmpty):
        check_document("tom.pdf", "application/pdf", b"")
    with pytest.raises(DocumentTooLarge):
        check_document("stor.pdf", "application/pdf", PDF + bytes(MAX_DOCUMENT_BYTES))


@pytest.mark.usefixtures("database")
async def test_an_accepted_document_is_stored_with_its_sha256():
    k = await new_kommune()
    project_id = await new_project(k.id, k.owner)
    async with tenant_tx(k.scope()):
        view = await add_document(
            content=PDF,
            name="mandat.pdf",
            claimed_type="application/pdf",
            project_id=project_id,
            actor_person_id=k.owner,
        )
        stored = await connection().fetchrow(
            "select sha256, size, content from document where id = $1", view.id
        )
        detail = await get_project(project_id)
        downloaded = await document_file(view.id)
        event = await connection().fetchrow(
            "select actor_person_id, new_values from audit_event where entity = 'document'"
        )
    assert view.sha256 == hashlib.sha256(PDF).hexdigest() == stored["sha256"].hex()
    assert (stored["size"], stored["content"]) == (len(PDF), PDF)
    assert [d.sha256 for d in detail.documents] == [view.sha256]
    assert downloaded.content == PDF
    assert event["actor_person_id"] == k.owner and view.sha256 in event["new_values"]


@pytest.mark.usefixtures("database")
async def test_a_forbidden_or_too_large_upload_stores_nothing():
    k = await new_kommune()
    project_id = await new_project(k.id, k.owner)
    async with tenant_tx(k.scope()):
        with pytest.raises(DocumentTypeRefused):
            await add_document(
                content=EXE,
                name="rapport.pdf",
                claimed_type="application/pdf",
                project_id=project_id,
                actor_person_id=k.owner,
            )
        with pytest.raises(DocumentTooLarge):
            await add_document(
                content=PDF + bytes(MAX_DOCUMENT_BYTES),
                name="stor.pdf",
                claimed_type="application/pdf",
                project_id=project_id,
                actor_person_id=k.owner,
            )
        assert await connection().fetchval("select count(*) from document") == 0


@pytest.mark.usefixtures("database")
async def test_another_municipality_cannot_read_the_document():
    k, other = await new_kommune(), await new_kommune("Annan")
    project_id = await new_project(k.id, k.owner)
    async with tenant_tx(k.scope()):
        view = await add_document(
            content=PNG,
            name="kart.png",
            claimed_type="image/png",
            project_id=project_id,
            actor_person_id=k.owner,
        )
    async with tenant_tx(other.scope()):
        assert (
            await connection().fetchval("select count(*) from document where id = $1", view.id) == 0
        )
