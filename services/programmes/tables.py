"""Piccolo mappings of programmes; the schema lives in migrations/*.sql, the SQL in service.py."""

from piccolo.columns import BigInt, Boolean, Date, Integer, Numeric, SmallInt, Text, Timestamptz
from piccolo.table import Table

# Each table's real key is (tenant_id, id); Piccolo knows only the id, and the use-cases
# write through the tenant transaction's connection, so the mapping is for reading tools.


class Programme(Table, tablename="programme"):
    tenant_id = BigInt()
    id = BigInt(primary_key=True)
    name = Text()
    kind = Text()
    period_start = Integer()
    period_end = Integer()
    stage = Text()
    created_at = Timestamptz()


class FundingLine(Table, tablename="funding_line"):
    tenant_id = BigInt()
    id = BigInt(primary_key=True)
    programme_id = BigInt()
    source = Text()
    year = Integer()
    amount = Numeric(digits=(14, 2))


class BoardMember(Table, tablename="board_member"):
    tenant_id = BigInt()
    id = BigInt(primary_key=True)
    programme_id = BigInt()
    name = Text()
    seat = Text()
    person_id = BigInt(null=True)
    term_start = Date()
    term_end = Date(null=True)


class StrategyArea(Table, tablename="strategy_area"):
    tenant_id = BigInt()
    id = BigInt(primary_key=True)
    programme_id = BigInt()
    position = Integer()
    name_nb = Text()
    name_nn = Text()
    share = Numeric(digits=(5, 2))


class ActionPlan(Table, tablename="action_plan"):
    tenant_id = BigInt()
    id = BigInt(primary_key=True)
    programme_id = BigInt()
    year = Integer()
    state = Text()
    created_at = Timestamptz()


class ActionPlanGoal(Table, tablename="action_plan_goal"):
    tenant_id = BigInt()
    id = BigInt(primary_key=True)
    action_plan_id = BigInt()
    strategy_area_id = BigInt()
    goal = Text()
    measures = Text()
    budget = Numeric(digits=(14, 2))


class Kpi(Table, tablename="kpi"):
    tenant_id = BigInt()
    id = BigInt(primary_key=True)
    programme_id = BigInt()
    code = Text()
    name = Text()
    unit = Text()
    baseline = Numeric(digits=(14, 2))
    standard = Boolean()


class KpiTarget(Table, tablename="kpi_target"):
    # The real key is (tenant_id, kpi_id, year).
    tenant_id = BigInt()
    kpi_id = BigInt(primary_key=True)
    year = Integer()
    target = Numeric(digits=(14, 2))


class KpiMeasurement(Table, tablename="kpi_measurement"):
    tenant_id = BigInt()
    id = BigInt(primary_key=True)
    kpi_id = BigInt()
    measured_on = Date()
    value = Numeric(digits=(14, 2))
    source = Text()
    recorded_by = BigInt(null=True)
    recorded_at = Timestamptz()


class StatusAssessment(Table, tablename="status_assessment"):
    tenant_id = BigInt()
    id = BigInt(primary_key=True)
    programme_id = BigInt()
    kind = Text()
    year = Integer()
    assessor = Text()
    recommendations = Text()
    summary = Text()
    created_at = Timestamptz()


class AssessmentScore(Table, tablename="assessment_score"):
    # The real key is (tenant_id, assessment_id, strategy_area_id).
    tenant_id = BigInt()
    assessment_id = BigInt(primary_key=True)
    strategy_area_id = BigInt()
    score = SmallInt()
    comment = Text()
