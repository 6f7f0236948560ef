"""The tender's protocol: every event of the tender, from the audit chain, in order."""

from __future__ import annotations

from services.tendering.schemas import ProtocolEvent
from services.tendering.service._common import json_value, load_tender
from tenants.context import connection


async def tender_protocol(tender_id: int) -> list[ProtocolEvent]:
    """What happened to the tender, oldest first; the pages render it, the chain proves it."""
    await load_tender(tender_id)
    rows = await connection().fetch(
        "select seq, occurred_at, actor_person_id, action, new_values as values from audit_event"
        " where tenant_id = app_tenant_id() and entity = 'tender' and entity_id = $1"
        " order by seq",
        str(tender_id),
    )
    return [ProtocolEvent(**{**dict(r), "values": json_value(r["values"])}) for r in rows]
