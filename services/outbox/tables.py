"""Piccolo mapping of the outbox; the schema lives in migrations/*.sql."""

from piccolo.columns import JSONB, BigInt, Text, Timestamptz
from piccolo.columns.column_types import BigSerial
from piccolo.table import Table

from infra.columns import CompositeKey, DatabaseNow


class OutboxEvent(Table, tablename="outbox_event"):
    # Rows are written and claimed through service.py's SQL.
    tenant_id = BigInt()
    id = BigSerial(primary_key=True)
    kind = Text()
    payload = JSONB()
    created_at = Timestamptz(default=DatabaseNow())
    delivered_at = Timestamptz(null=True, default=None)

    key = CompositeKey([tenant_id, id])
