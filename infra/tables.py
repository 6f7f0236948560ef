"""Piccolo mapping of the migration runner's own ledger, so every table in the database has one."""

from piccolo.columns import Text, Timestamptz
from piccolo.table import Table

from infra.columns import CompositeKey, DatabaseNow


class SchemaMigration(Table, tablename="schema_migration"):
    # Created by infra/migrate.py before any migration runs; written only there.
    source = Text(primary_key=True)
    name = Text()
    sha256 = Text()
    applied_at = Timestamptz(default=DatabaseNow())

    key = CompositeKey([source, name])
