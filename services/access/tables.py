"""Piccolo mappings of invitations and the security log; the schema lives in migrations/*.sql."""

from piccolo.columns import JSONB, BigInt, Bytea, Text, Timestamptz
from piccolo.columns.column_types import BigSerial
from piccolo.table import Table

from infra.columns import DatabaseNow, Inet


class Invitation(Table, tablename="invitation"):
    id = BigSerial(primary_key=True)
    scope = Text()
    municipality_id = BigInt(null=True, default=None)
    region_id = BigInt(null=True, default=None)
    organisation_id = BigInt(null=True, default=None)
    role = Text()
    email = Text()
    token_hash = Bytea(unique=True)
    invited_by = BigInt(null=True, default=None)
    created_at = Timestamptz(default=DatabaseNow())
    expires_at = Timestamptz()
    accepted_by = BigInt(null=True, default=None)
    accepted_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)


class SecurityEvent(Table, tablename="security_event"):
    id = BigSerial(primary_key=True)
    occurred_at = Timestamptz(default=DatabaseNow())
    kind = Text()
    person_id = BigInt(null=True, default=None)
    municipality_id = BigInt(null=True, default=None)
    detail = JSONB()
    client_address = Inet(null=True)
