"""Write events in the use-case's own transaction, and hand committed ones to the relay."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import msgspec

from services.outbox.rules import check_event, tenant_of
from tenants.context import connection


class Event(msgspec.Struct, frozen=True):
    id: int
    tenant_id: int | None  # None: the event belongs to no municipality
    kind: str
    payload: dict[str, Any]
    created_at: datetime


async def emit(kind: str, payload: dict[str, Any]) -> int:
    """Write one event in the caller's open tenant_tx(); it goes out only if that commits.

    The event belongs to the transaction's tenant (or to none). The payload carries ids, not
    copies of rows: a handler reloads what it needs in its own transaction. Returns the id.
    """
    check_event(kind, payload)
    body = json.dumps(payload)  # a TypeError here, before the insert, for what JSON cannot carry
    db = connection()  # NoTransaction outside tenant_tx(): an event never commits on its own
    # The id is taken first because the application may not read back an event of no tenant,
    # so `insert … returning` would be refused for those.
    event_id = await db.fetchval("select nextval('outbox_event_id_seq')")
    await db.execute(
        "insert into outbox_event (tenant_id, id, kind, payload)"
        " values (coalesce(app_tenant_id(), 0), $1, $2, $3::jsonb)",
        event_id,
        kind,
        body,
    )
    return event_id


async def claim_batch(limit: int = 100) -> list[Event]:
    """Lock up to `limit` committed, undelivered events of every tenant, oldest first.

    The locks last until the caller's transaction ends; a concurrent relay skips these events.
    """
    rows = await connection().fetch("select * from outbox_claim($1)", limit)
    return [
        Event(
            id=r["id"],
            tenant_id=tenant_of(r["tenant_id"]),
            kind=r["kind"],
            payload=json.loads(r["payload"]),
            created_at=r["created_at"],
        )
        for r in rows
    ]


async def mark_delivered(events: Sequence[Event]) -> int:
    """Mark claimed events delivered, in the claiming transaction; returns how many were marked."""
    if not events:
        return 0
    return await connection().fetchval(
        "select outbox_mark_delivered($1::bigint[], $2::bigint[])",
        [e.tenant_id or 0 for e in events],
        [e.id for e in events],
    )


async def prune_delivered(keep: timedelta) -> int:
    """Delete events delivered longer ago than `keep`; returns how many were deleted."""
    return await connection().fetchval("select outbox_prune($1)", keep)
