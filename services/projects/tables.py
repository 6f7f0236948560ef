"""Piccolo mappings of PLP projects; the schema lives in migrations/*.sql, the SQL in service.py."""

from piccolo.columns import JSONB, BigInt, Boolean, Bytea, Date, Integer, Numeric, Text, Timestamptz
from piccolo.columns.column_types import BigSerial
from piccolo.constraints import Unique
from piccolo.table import Table

from infra.columns import CompositeKey, DatabaseNow

# Each table's real key starts with tenant_id, the lead municipality (CompositeKey); Piccolo
# keys its queries by the column unique on its own. Regional rows are shared by policies,
# see migrations/0001_projects.sql.


class Project(Table, tablename="project"):
    tenant_id = BigInt()
    id = BigSerial(primary_key=True)
    title = Text()
    description = Text()
    programme_id = BigInt(null=True, default=None)
    strategy_area_id = BigInt(null=True, default=None)
    region_id = BigInt(null=True, default=None)
    owner_person_id = BigInt(null=True, default=None)
    owner_name = Text()
    sponsor_person_id = BigInt(null=True, default=None)
    sponsor_name = Text()
    manager_person_id = BigInt(null=True, default=None)
    manager_name = Text()
    decisions_delegated_to_board = Boolean()
    phase = Text()
    status = Text()
    approved_budget = Numeric(digits=(14, 2))
    created_at = Timestamptz(default=DatabaseNow())
    closed_at = Timestamptz(null=True, default=None)

    key = CompositeKey([tenant_id, id])


class SteeringGroupMember(Table, tablename="steering_group_member"):
    tenant_id = BigInt()
    id = BigSerial(primary_key=True)
    project_id = BigInt()
    name = Text()
    represents = Text()
    person_id = BigInt(null=True, default=None)

    key = CompositeKey([tenant_id, id])


class ProjectParticipant(Table, tablename="project_participant"):
    tenant_id = BigInt()
    project_id = BigInt(primary_key=True)
    municipality_id = BigInt()
    cost_share = Numeric(digits=(5, 2))

    key = CompositeKey([tenant_id, project_id, municipality_id])


class DecisionPoint(Table, tablename="decision_point"):
    tenant_id = BigInt()
    id = BigSerial(primary_key=True)
    project_id = BigInt()
    after_phase = Text(null=True, default=None)
    next_phase = Text(null=True, default=None)
    due_date = Date()
    outcome = Text(null=True, default=None)
    conditions = Text()
    basis = Text()
    approved_budget = Numeric(digits=(14, 2), null=True, default=None)
    decided_on = Date(null=True, default=None)
    decided_by = BigInt(null=True, default=None)
    decided_as = Text(null=True, default=None)
    recorded_at = Timestamptz(null=True, default=None)

    key = CompositeKey([tenant_id, id])


class SubProject(Table, tablename="sub_project"):
    tenant_id = BigInt()
    id = BigSerial(primary_key=True)
    project_id = BigInt()
    phase = Text()
    state = Text(default="planned")
    mandate = Text()
    plan = Text()
    budget = Numeric(digits=(14, 2))
    approved_budget = Numeric(digits=(14, 2), null=True, default=None)
    go_decision_id = BigInt(null=True, default=None)
    period_start = Date(null=True, default=None)
    period_end = Date(null=True, default=None)
    closing_report = Text(null=True, default=None)
    closed_at = Timestamptz(null=True, default=None)

    key = CompositeKey([tenant_id, id])
    unique_project_id_phase = Unique([tenant_id, project_id, phase])


class StatusReport(Table, tablename="status_report"):
    tenant_id = BigInt()
    id = BigSerial(primary_key=True)
    project_id = BigInt()
    sub_project_id = BigInt()
    period_start = Date()
    period_end = Date()
    progress = Text()
    spent = Numeric(digits=(14, 2))
    planned = Numeric(digits=(14, 2))
    risks = Text()
    kpi_contributions = JSONB()
    reported_by_municipality = BigInt()
    reported_by = BigInt(null=True, default=None)
    created_at = Timestamptz(default=DatabaseNow())

    key = CompositeKey([tenant_id, id])


class StatusReportComment(Table, tablename="status_report_comment"):
    tenant_id = BigInt()
    id = BigSerial(primary_key=True)
    project_id = BigInt()
    status_report_id = BigInt()
    region_id = BigInt()
    body = Text()
    written_by = BigInt(null=True, default=None)
    author = Text()
    created_at = Timestamptz(default=DatabaseNow())

    key = CompositeKey([tenant_id, id])


class Document(Table, tablename="document"):
    tenant_id = BigInt()
    id = BigSerial(primary_key=True)
    project_id = BigInt(null=True, default=None)
    programme_id = BigInt(null=True, default=None)
    assessment_id = BigInt(null=True, default=None)
    name = Text()
    content_type = Text()
    size = Integer()
    sha256 = Bytea()
    content = Bytea()
    uploaded_by = BigInt(null=True, default=None)
    uploaded_by_municipality = BigInt()
    uploaded_at = Timestamptz(default=DatabaseNow())

    key = CompositeKey([tenant_id, id])
