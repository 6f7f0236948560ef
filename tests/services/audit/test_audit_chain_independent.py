"""The audit chain checked from outside: hashes recomputed here, not with the function that wrote
them, and a forger who rewrites a row together with its own hash is still caught."""

import hashlib
import json

import asyncpg
import pytest

from services.audit.rules import link_hash
from services.audit.service import record_change, verify_chain
from tenants.context import connection, tenant_tx
from tests.tenants.helpers import new_municipality

pytestmark = pytest.mark.usefixtures("database")


async def _chain_of(tenant: int, changes: int) -> list[asyncpg.Record]:
    for i in range(changes):
        async with tenant_tx(tenant):
            await record_change(
                actor_person_id=None,
                action="edit",
                entity="thing",
                entity_id=i,
                old_values={"n": i},
                new_values={"n": i + 1, "navn": "Ærlig Åse"},
            )
    async with tenant_tx(tenant):
        return await connection().fetch(
            "select * from audit_event where tenant_id = app_tenant_id() order by seq"
        )


def _expected_hash(previous: bytes, row: asyncpg.Record) -> bytes:
    """SHA-256 over the previous link's hash and the event as canonical JSON, written out here."""
    body = {
        "tenant_id": row["tenant_id"],
        "seq": row["seq"],
        "occurred_at": row["occurred_at"].isoformat(),
        "actor": row["actor_person_id"],
        "action": row["action"],
        "entity": row["entity"],
        "entity_id": row["entity_id"],
        "old": json.loads(row["old_values"]) if row["old_values"] else None,
        "new": json.loads(row["new_values"]) if row["new_values"] else None,
    }
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(previous + text.encode("utf-8")).digest()


async def test_each_link_hashes_the_previous_link_and_its_own_event():
    rows = await _chain_of(await new_municipality(), 3)
    previous = bytes(32)
    for row in rows:
        assert row["prev_hash"] == previous
        assert row["hash"] == _expected_hash(previous, row)
        previous = row["hash"]


async def test_a_row_rewritten_with_its_own_hash_recomputed_breaks_the_next_link(settings):
    tenant = await new_municipality()
    rows = await _chain_of(tenant, 4)
    forged = rows[1]
    forged_hash = link_hash(
        forged["prev_hash"],
        tenant_id=tenant,
        seq=forged["seq"],
        occurred_at=forged["occurred_at"],
        actor_person_id=forged["actor_person_id"],
        action=forged["action"],
        entity=forged["entity"],
        entity_id=forged["entity_id"],
        old_values=json.loads(forged["old_values"]),
        new_values={"n": 1_000_000},
    )
    admin = await asyncpg.connect(settings.database_url)
    try:
        await admin.execute(
            "update audit_event set new_values = '{\"n\": 1000000}', hash = $2"
            " where tenant_id = $1 and seq = 2",
            tenant,
            forged_hash,
        )
    finally:
        await admin.close()
    report = await verify_chain(tenant)
    assert (report.intact, report.first_broken_seq, report.reason) == (
        False,
        3,
        "link to previous broken",
    )
