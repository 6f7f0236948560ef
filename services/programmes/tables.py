"""Piccolo mappings of programmes; the schema lives in migrations/*.sql, the SQL in service.py."""

from piccolo.columns import BigInt, Boolean, Date, Integer, Numeric, SmallInt, Text, Timestamptz
from piccolo.columns.column_types import BigSerial
from piccolo.constraints import Unique
from piccolo.table import Table

from infra.columns import CompositeKey, DatabaseNow

# Each table's real key starts with tenant_id (CompositeKey); Piccolo keys its queries by
# the column unique on its own. tests/services/test_tables_match_catalog.py holds them to the SQL.


class Programme(Table, tablename="programme"):
    tenant_id = BigInt()
    id = BigSerial(primary_key=True)
    name = Text()
    kind = Text()
    period_start = Integer()
    period_end = Integer()
    stage = Text(default="avklaring")
    created_at = Timestamptz(default=DatabaseNow())

    key = CompositeKey([tenant_id, id])
    unique_name = Unique([tenant_id, name])


class FundingLine(Table, tablename="funding_line"):
    tenant_id = BigInt()
    id = BigSerial(primary_key=True)
    programme_id = BigInt()
    source = Text()
    year = Integer()
    amount = Numeric(digits=(14, 2))

    key = CompositeKey([tenant_id, id])
    unique_programme_id_source_year = Unique([tenant_id, programme_id, source, year])


class BoardMember(Table, tablename="board_member"):
    tenant_id = BigInt()
    id = BigSerial(primary_key=True)
    # A programme's board, or a fund's without a programme (grants 0006_fund_boards.sql).
    programme_id = BigInt(null=True, default=None)
    fund_id = BigInt(null=True, default=None)
    name = Text()
    seat = Text()
    person_id = BigInt(null=True, default=None)
    term_start = Date()
    term_end = Date(null=True, default=None)

    key = CompositeKey([tenant_id, id])


class StrategyArea(Table, tablename="strategy_area"):
    tenant_id = BigInt()
    id = BigSerial(primary_key=True)
    programme_id = BigInt()
    position = Integer()
    name_nb = Text()
    name_nn = Text()
    share = Numeric(digits=(5, 2))

    key = CompositeKey([tenant_id, id])
    unique_programme_id_name_nb = Unique([tenant_id, programme_id, name_nb])


class ActionPlan(Table, tablename="action_plan"):
    tenant_id = BigInt()
    id = BigSerial(primary_key=True)
    programme_id = BigInt()
    year = Integer()
    state = Text(default="draft")
    created_at = Timestamptz(default=DatabaseNow())

    key = CompositeKey([tenant_id, id])
    unique_programme_id_year = Unique([tenant_id, programme_id, year])


class ActionPlanGoal(Table, tablename="action_plan_goal"):
    tenant_id = BigInt()
    id = BigSerial(primary_key=True)
    action_plan_id = BigInt()
    strategy_area_id = BigInt()
    goal = Text()
    measures = Text()
    budget = Numeric(digits=(14, 2))

    key = CompositeKey([tenant_id, id])


class Kpi(Table, tablename="kpi"):
    tenant_id = BigInt()
    id = BigSerial(primary_key=True)
    programme_id = BigInt()
    code = Text()
    name = Text()
    unit = Text(default="count")
    baseline = Numeric(digits=(14, 2))
    standard = Boolean()

    key = CompositeKey([tenant_id, id])
    unique_programme_id_code = Unique([tenant_id, programme_id, code])


class KpiTarget(Table, tablename="kpi_target"):
    tenant_id = BigInt()
    kpi_id = BigInt(primary_key=True)
    year = Integer()
    target = Numeric(digits=(14, 2))

    key = CompositeKey([tenant_id, kpi_id, year])


class KpiMeasurement(Table, tablename="kpi_measurement"):
    tenant_id = BigInt()
    id = BigSerial(primary_key=True)
    kpi_id = BigInt()
    measured_on = Date()
    value = Numeric(digits=(14, 2))
    source = Text()
    recorded_by = BigInt(null=True, default=None)
    recorded_at = Timestamptz(default=DatabaseNow())

    key = CompositeKey([tenant_id, id])


class StatusAssessment(Table, tablename="status_assessment"):
    tenant_id = BigInt()
    id = BigSerial(primary_key=True)
    programme_id = BigInt()
    kind = Text()
    year = Integer()
    assessor = Text()
    recommendations = Text()
    summary = Text()
    created_at = Timestamptz(default=DatabaseNow())

    key = CompositeKey([tenant_id, id])
    unique_programme_id_kind_year = Unique([tenant_id, programme_id, kind, year])


class AssessmentScore(Table, tablename="assessment_score"):
    tenant_id = BigInt()
    assessment_id = BigInt(primary_key=True)
    strategy_area_id = BigInt()
    score = SmallInt()
    comment = Text()

    key = CompositeKey([tenant_id, assessment_id, strategy_area_id])


class ProgrammeMember(Table, tablename="programme_member"):
    tenant_id = BigInt()
    programme_id = BigInt(primary_key=True)
    municipality_id = BigInt()

    key = CompositeKey([tenant_id, programme_id, municipality_id])


class ActionPlanStep(Table, tablename="action_plan_step"):
    tenant_id = BigInt()
    id = BigSerial(primary_key=True)
    action_plan_id = BigInt()
    state = Text()
    recorded_by = BigInt(null=True, default=None)
    recorded_at = Timestamptz(default=DatabaseNow())

    key = CompositeKey([tenant_id, id])
