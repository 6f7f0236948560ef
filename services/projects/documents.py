"""Use-cases of documents: files of a project, a programme or a status assessment.

A file is accepted by what its bytes are (rules.check_document), stored with its SHA-256
in the database, so every replica serves it and a backup holds it.
"""

from __future__ import annotations

import hashlib

from services.audit.service import record_change
from services.errors import N_, InvalidInput, NotAllowed, NotFound
from services.files import FileInput
from services.programmes.tables import Programme, StatusAssessment
from services.projects.rules import ProjectClosed, check_document
from services.projects.schemas import DocumentView
from services.projects.service import project_row
from services.projects.tables import Document
from tenants.context import connection
from tenants.rows import tenant


async def add_document(
    *,
    content: bytes,
    name: str,
    claimed_type: str,
    project_id: int | None = None,
    programme_id: int | None = None,
    assessment_id: int | None = None,
    actor_person_id: int | None,
) -> DocumentView:
    """Store one checked file for exactly one owner; the view carries its SHA-256 (hex).

    A participant of a regional project may add documents to it; programmes and assessments
    take documents from their own municipality only.
    """
    if sum(x is not None for x in (project_id, programme_id, assessment_id)) != 1:
        raise InvalidInput("document_owner_invalid", N_("Choose what the document belongs to."))
    name = name.strip().replace("/", "_").replace("\\", "_")
    if not name or len(name) > 255:
        raise InvalidInput("document_name_invalid", N_("The file needs a name."), field="file")
    content_type = check_document(name, claimed_type, content)
    me = tenant()
    if me is None:
        raise NotAllowed("document_not_allowed", N_("Only a municipality adds documents."))
    tenant_id = me
    if project_id is not None:
        project = await project_row(project_id)
        if project["status"] == "closed":
            raise ProjectClosed()
        tenant_id = project["tenant_id"]
    elif programme_id is not None:
        if not await Programme.exists().where(
            (Programme.tenant_id == me) & (Programme.id == programme_id)
        ):
            raise NotFound("programme_not_found", N_("No such programme."))
    elif not await StatusAssessment.exists().where(
        (StatusAssessment.tenant_id == me) & (StatusAssessment.id == assessment_id)
    ):
        raise NotFound("assessment_not_found", N_("No such assessment."))
    digest = hashlib.sha256(content).digest()
    [row] = await Document.insert(
        Document(
            tenant_id=tenant_id,
            project_id=project_id,
            programme_id=programme_id,
            assessment_id=assessment_id,
            name=name,
            content_type=content_type,
            size=len(content),
            sha256=digest,
            content=content,
            uploaded_by=actor_person_id,
            uploaded_by_municipality=me,
        )
    ).returning(Document.id, Document.uploaded_at)
    await record_change(
        actor_person_id=actor_person_id,
        action="add",
        entity="document",
        entity_id=row["id"],
        new_values={
            "owner_municipality_id": tenant_id,
            "project_id": project_id,
            "programme_id": programme_id,
            "assessment_id": assessment_id,
            "name": name,
            "content_type": content_type,
            "size": len(content),
            "sha256": digest.hex(),
        },
    )
    return DocumentView(
        id=row["id"],
        name=name,
        content_type=content_type,
        size=len(content),
        sha256=digest.hex(),
        uploaded_at=row["uploaded_at"],
    )


async def documents_of(
    *, programme_id: int | None = None, assessment_id: int | None = None
) -> list[DocumentView]:
    """A programme's or an assessment's documents (a project's come with get_project)."""
    # SQL, not Piccolo: the owner left None matches nothing here, where Piccolo would read
    # `== None` as `is null` and find every document of the other kind.
    rows = await connection().fetch(
        "select id, name, content_type, size, sha256, uploaded_at from document"
        " where tenant_id = app_tenant_id() and (programme_id = $1 or assessment_id = $2)"
        " order by uploaded_at, id",
        programme_id,
        assessment_id,
    )
    return [DocumentView(**{**dict(r), "sha256": r["sha256"].hex()}) for r in rows]


async def document_file(document_id: int) -> FileInput:
    """The stored bytes of a document this session may see, to download."""
    # No tenant filter: a participant downloads the lead's project documents, as the policy lets it.
    row = (
        await Document.select(Document.name, Document.content_type, Document.content)
        .where(Document.id == document_id)
        .first()
    )
    if row is None:
        raise NotFound("document_not_found", N_("No such document."))
    return FileInput(row["name"], row["content_type"], row["content"])
