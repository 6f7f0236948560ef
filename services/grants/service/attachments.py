"""An application's attachments: several files added at once to a draft, listed with their names
and sizes, removed while it is a draft; read by the applicant and, once submitted, the case."""

from __future__ import annotations

from collections.abc import Sequence

from services.errors import N_, InvalidInput
from services.files import FileInput
from services.grants.roles import APPLICANTS
from services.grants.rules import MAX_ATTACHMENTS, check_at_most, check_attachment
from services.grants.schemas import AttachmentView
from services.grants.service._common import (
    ApplicationNotFound,
    database_refusals,
    require_organisation_role,
)
from services.grants.service.applications import _own_draft
from services.grants.tables import GrantAttachment
from tenants.context import connection, fetch_structs
from tenants.rows import insert_row


async def add_attachments(
    application_id: int, files: Sequence[FileInput], *, person_id: int
) -> list[int]:
    await require_organisation_role(person_id, APPLICANTS)
    row = await _own_draft(application_id)
    if not files:
        raise InvalidInput(
            "grant_attachment_none", N_("Choose one or more files."), field="attachments"
        )
    for file in files:
        check_attachment(file.name, file.media_type, file.content)
    count = await GrantAttachment.count().where(
        (GrantAttachment.tenant_id == row["tenant_id"])
        & (GrantAttachment.application_id == row["id"])
    )
    check_at_most(
        count + len(files),
        MAX_ATTACHMENTS,
        "grant_attachment_many",
        N_("An application has at most %(limit)s files."),
        "attachments",
    )
    ids = []
    with database_refusals():
        for file in files:
            ids.append(
                await insert_row(
                    GrantAttachment(
                        tenant_id=row["tenant_id"],
                        application_id=row["id"],
                        name=file.name.strip(),
                        media_type=file.media_type,
                        size=len(file.content),
                        content=file.content,
                    )
                )
            )
    return ids


async def remove_attachment(application_id: int, attachment_id: int, *, person_id: int) -> None:
    await require_organisation_role(person_id, APPLICANTS)
    await attachment(application_id, attachment_id, own=True)  # no such file of ours: 404
    row = await _own_draft(application_id)
    with database_refusals():
        removed = await connection().execute(
            "delete from grant_attachment where tenant_id = $1 and application_id = $2 and id = $3",
            row["tenant_id"],
            row["id"],
            attachment_id,
        )
    if removed == "DELETE 0":
        raise ApplicationNotFound()


async def attachments_of(application_id: int) -> list[AttachmentView]:
    return await fetch_structs(
        AttachmentView,
        "select id, name, media_type, size from grant_attachment where application_id = $1"
        " order by id",
        application_id,
    )


async def attachment(application_id: int, attachment_id: int, *, own: bool) -> FileInput:
    """One file, as its organisation (own) or the municipality's case sees it."""
    mine = "organisation_id = app_organisation_id()" if own else "tenant_id = app_tenant_id()"
    row = await connection().fetchrow(
        "select f.name, f.media_type, f.content from grant_attachment f"
        " join grant_application a on a.tenant_id = f.tenant_id and a.id = f.application_id"
        f" where a.{mine} and f.application_id = $1 and f.id = $2",
        application_id,
        attachment_id,
    )
    if row is None:
        raise ApplicationNotFound()
    return FileInput(row["name"], row["media_type"], bytes(row["content"]))
