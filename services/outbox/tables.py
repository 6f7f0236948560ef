"""Piccolo mapping of the outbox; the schema lives in migrations/*.sql."""

from piccolo.columns import JSONB, BigInt, Text, Timestamptz
from piccolo.table import Table


class OutboxEvent(Table, tablename="outbox_event"):
    # The real key is (tenant_id, id); rows are written and claimed through service.py's SQL.
    tenant_id = BigInt()
    id = BigInt(primary_key=True)
    kind = Text()
    payload = JSONB()
    created_at = Timestamptz()
    delivered_at = Timestamptz(null=True, default=None)
