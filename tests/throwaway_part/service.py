"""The throw-away part's use-cases: write a note, read one, inside the caller's tenant_tx()."""

from __future__ import annotations

from services.outbox.service import emit
from tenants.context import connection

NOTED = "throwaway.noted"


async def write_note(body: str, author_email: str) -> int:
    note_id = await connection().fetchval(
        "insert into throwaway_note (tenant_id, body, author_email)"
        " values (app_tenant_id(), $1, $2) returning id",
        body,
        author_email,
    )
    await emit(NOTED, {"note_id": note_id})
    return note_id


async def note(note_id: int) -> dict | None:
    row = await connection().fetchrow(
        "select id, body, author_email from throwaway_note"
        " where tenant_id = app_tenant_id() and id = $1",
        note_id,
    )
    return dict(row) if row else None
