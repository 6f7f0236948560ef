"""Append to and verify the per-tenant audit chain."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from services.audit.rules import GENESIS, link_hash, plain
from tenants.context import connection, tenant_tx


@dataclass(frozen=True, slots=True)
class ChainReport:
    tenant_id: int
    events: int
    first_broken_seq: int | None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.first_broken_seq is None


async def record_change(
    *,
    actor_person_id: int | None,
    action: str,
    entity: str,
    entity_id: str | int = "",
    old_values: Any = None,
    new_values: Any = None,
) -> int:
    """Append one event to the current tenant's chain, in the caller's transaction; returns seq."""
    db = connection()
    # The head row is the chain's lock: concurrent changes in one tenant queue here.
    await db.execute(
        "insert into audit_head (tenant_id, seq, hash) values (app_tenant_id(), 0, $1)"
        " on conflict (tenant_id) do nothing",
        GENESIS,
    )
    head = await db.fetchrow(
        "select tenant_id, seq, hash, now() as now from audit_head"
        " where tenant_id = app_tenant_id() for update"
    )
    if head is None:
        raise PermissionError("the audit chain needs a tenant")
    seq = head["seq"] + 1
    old, new = plain(old_values), plain(new_values)
    digest = link_hash(
        head["hash"],
        tenant_id=head["tenant_id"],
        seq=seq,
        occurred_at=head["now"],
        actor_person_id=actor_person_id,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        old_values=old,
        new_values=new,
    )
    await db.execute(
        "insert into audit_event (tenant_id, seq, occurred_at, actor_person_id, action, entity,"
        " entity_id, old_values, new_values, prev_hash, hash)"
        " values (app_tenant_id(), $1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9, $10)",
        seq,
        head["now"],
        actor_person_id,
        action,
        entity,
        str(entity_id),
        None if old is None else json.dumps(old),
        None if new is None else json.dumps(new),
        head["hash"],
        digest,
    )
    await db.execute(
        "update audit_head set seq = $1, hash = $2 where tenant_id = app_tenant_id()", seq, digest
    )
    return seq


def _json(value: str | None) -> Any:
    return None if value is None else json.loads(value)


async def verify_chain(tenant_id: int) -> ChainReport:
    """Recompute every link of one tenant's chain and name the first that does not hold."""
    async with tenant_tx(tenant_id):
        db = connection()
        prev, expected_seq, count = GENESIS, 1, 0
        async with db.transaction():  # a cursor needs a transaction; this one is a savepoint
            async for row in db.cursor(
                "select * from audit_event where tenant_id = app_tenant_id() order by seq"
            ):
                count += 1
                if row["seq"] != expected_seq:
                    return ChainReport(tenant_id, count, expected_seq, "missing event")
                if row["prev_hash"] != prev:
                    return ChainReport(tenant_id, count, row["seq"], "link to previous broken")
                digest = link_hash(
                    prev,
                    tenant_id=row["tenant_id"],
                    seq=row["seq"],
                    occurred_at=row["occurred_at"],
                    actor_person_id=row["actor_person_id"],
                    action=row["action"],
                    entity=row["entity"],
                    entity_id=row["entity_id"],
                    old_values=_json(row["old_values"]),
                    new_values=_json(row["new_values"]),
                )
                if digest != row["hash"]:
                    return ChainReport(tenant_id, count, row["seq"], "content changed")
                prev, expected_seq = row["hash"], expected_seq + 1
        head = await db.fetchrow(
            "select seq, hash from audit_head where tenant_id = app_tenant_id()"
        )
        if head is not None and (head["seq"] != expected_seq - 1 or head["hash"] != prev):
            return ChainReport(tenant_id, count, expected_seq, "events missing at the end")
    return ChainReport(tenant_id, count, None)
