"""Piccolo mappings of the audit chain; the schema lives in migrations/*.sql."""

from piccolo.columns import JSONB, BigInt, Bytea, Text, Timestamptz
from piccolo.table import Table

from infra.columns import CompositeKey


class AuditHead(Table, tablename="audit_head"):
    tenant_id = BigInt(primary_key=True)
    seq = BigInt()
    hash = Bytea()


class AuditEvent(Table, tablename="audit_event"):
    # Append-only: Piccolo never updates by its key.
    tenant_id = BigInt()
    seq = BigInt(primary_key=True)
    occurred_at = Timestamptz()
    actor_person_id = BigInt(null=True, default=None)
    action = Text()
    entity = Text()
    entity_id = Text()
    old_values = JSONB(null=True, default=None)
    new_values = JSONB(null=True, default=None)
    prev_hash = Bytea()
    hash = Bytea()

    key = CompositeKey([tenant_id, seq])
