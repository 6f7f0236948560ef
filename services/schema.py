"""Which parts own tables, in the order their migrations must run; importing it loads every table."""

from infra.migrate import MigrationSource
from services.access import tables as _access_tables  # noqa: F401 - registers the tables
from services.audit import tables as _audit_tables  # noqa: F401 - registers the tables
from services.dashboards import tables as _dashboard_tables  # noqa: F401 - registers the tables
from services.outbox import tables as _outbox_tables  # noqa: F401 - registers the tables
from services.programmes import tables as _programme_tables  # noqa: F401 - registers the tables
from services.projects import tables as _project_tables  # noqa: F401 - registers the tables
from services.tendering import tables as _tendering_tables  # noqa: F401 - registers the tables
from tenants import tables as _tenant_tables  # noqa: F401 - registers the tables

MIGRATIONS = [
    MigrationSource("tenants", "tenants"),
    MigrationSource("audit", "services.audit"),
    MigrationSource("outbox", "services.outbox"),
    MigrationSource("access", "services.access"),
    MigrationSource("programmes", "services.programmes"),
    MigrationSource("projects", "services.projects"),
    MigrationSource("tendering", "services.tendering"),
    MigrationSource("dashboards", "services.dashboards"),
]
