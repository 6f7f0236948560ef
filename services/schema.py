"""Which parts own tables, in the order their migrations must run; importing it loads every table."""

from infra.migrate import MigrationSource
from services.access import tables as _access_tables  # noqa: F401 - registers the tables
from services.audit import tables as _audit_tables  # noqa: F401 - registers the tables
from services.outbox import tables as _outbox_tables  # noqa: F401 - registers the tables
from tenants import tables as _tenant_tables  # noqa: F401 - registers the tables

MIGRATIONS = [
    MigrationSource("tenants", "tenants"),
    MigrationSource("audit", "services.audit"),
    MigrationSource("outbox", "services.outbox"),
    MigrationSource("access", "services.access"),
]
