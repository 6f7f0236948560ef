"""Piccolo mappings of grants; the schema lives in migrations/*.sql, the use-cases in service/."""

from piccolo.columns import (
    JSONB,
    Array,
    BigInt,
    Boolean,
    Bytea,
    Date,
    Integer,
    Numeric,
    Text,
    Timestamptz,
)
from piccolo.columns.column_types import BigSerial
from piccolo.constraints import Unique
from piccolo.table import Table

from infra.columns import CompositeKey, DatabaseNow

# Each table's real key starts with tenant_id (CompositeKey); Piccolo keys its queries by
# the column unique on its own. tests/services/test_tables_match_catalog.py holds them to the SQL.


class GrantFund(Table, tablename="grant_fund"):
    tenant_id = BigInt()
    id = BigSerial(primary_key=True)
    programme_id = BigInt(null=True, default=None)
    strategy_area_id = BigInt(null=True, default=None)
    name = Text()
    max_share = Numeric(digits=(5, 2))
    max_amount = Numeric(digits=(14, 2))
    decision_limit = Numeric(digits=(14, 2))
    created_by = BigInt(null=True, default=None)
    created_at = Timestamptz(default=DatabaseNow())
    asks_for = Array(Text(), default=list)

    key = CompositeKey([tenant_id, id])
    unique_name = Unique([tenant_id, name])


class GrantCall(Table, tablename="grant_call"):
    tenant_id = BigInt()
    id = BigSerial(primary_key=True)
    fund_id = BigInt()
    title = Text()
    description = Text()
    opens_on = Date()
    closes_on = Date()
    created_by = BigInt(null=True, default=None)
    created_at = Timestamptz(default=DatabaseNow())

    key = CompositeKey([tenant_id, id])


class GrantApplication(Table, tablename="grant_application"):
    tenant_id = BigInt()
    id = BigSerial(primary_key=True)
    call_id = BigInt()
    organisation_id = BigInt()
    created_by = BigInt()
    title = Text()
    summary = Text()
    project = Text()
    effects = Text()
    state = Text(default="draft")
    created_at = Timestamptz(default=DatabaseNow())
    submitted_at = Timestamptz(null=True, default=None)
    submitted_by = BigInt(null=True, default=None)
    receipt_sha256 = Bytea(null=True, default=None)
    assessed_by = BigInt(null=True, default=None)
    assessed_at = Timestamptz(null=True, default=None)
    assessment_comment = Text()
    eligible_cost = Numeric(digits=(14, 2), null=True, default=None)
    requested_amount = Numeric(digits=(14, 2), null=True, default=None)
    grantable_amount = Numeric(digits=(14, 2), null=True, default=None)
    share = Numeric(digits=(7, 2), null=True, default=None)
    decided_by = BigInt(null=True, default=None)
    decided_at = Timestamptz(null=True, default=None)
    granted_amount = Numeric(digits=(14, 2), null=True, default=None)
    rejection_reason = Text(null=True, default=None)
    recommendation = Text(null=True, default=None)
    recommendation_reason = Text()
    recommended_by = BigInt(null=True, default=None)
    recommended_at = Timestamptz(null=True, default=None)
    conditions = Text()
    reporting_deadline = Date(null=True, default=None)
    decided_in_meeting = BigInt(null=True, default=None)
    contact_email = Text()
    contact_language = Text(null=True, default=None)
    rank = Integer(null=True, default=None)
    rank_comment = Text()
    tilsegn_state = Text(null=True, default=None)
    tilsegn_reason = Text(null=True, default=None)
    tilsegn_moved_at = Timestamptz(null=True, default=None)

    key = CompositeKey([tenant_id, id])


class GrantCostLine(Table, tablename="grant_cost_line"):
    tenant_id = BigInt()
    application_id = BigInt(primary_key=True)
    position = Integer()
    description = Text()
    amount = Numeric(digits=(14, 2))

    key = CompositeKey([tenant_id, application_id, position])


class GrantFinancingLine(Table, tablename="grant_financing_line"):
    tenant_id = BigInt()
    application_id = BigInt(primary_key=True)
    position = Integer()
    source = Text()
    description = Text()
    amount = Numeric(digits=(14, 2))

    key = CompositeKey([tenant_id, application_id, position])


class GrantHabilitet(Table, tablename="grant_habilitet"):
    tenant_id = BigInt()
    id = BigSerial(primary_key=True)
    application_id = BigInt()
    person_id = BigInt(null=True, default=None)
    board_member_id = BigInt(null=True, default=None)
    conflicted = Boolean()
    note = Text()
    recorded_by = BigInt()
    recorded_at = Timestamptz(default=DatabaseNow())

    key = CompositeKey([tenant_id, id])


class GrantMeeting(Table, tablename="grant_meeting"):
    tenant_id = BigInt()
    id = BigSerial(primary_key=True)
    programme_id = BigInt(null=True, default=None)
    fund_id = BigInt(null=True, default=None)
    held_on = Date()
    place = Text()
    created_by = BigInt(null=True, default=None)
    created_at = Timestamptz(default=DatabaseNow())

    key = CompositeKey([tenant_id, id])


class GrantAgendaItem(Table, tablename="grant_agenda_item"):
    tenant_id = BigInt()
    meeting_id = BigInt(primary_key=True)
    application_id = BigInt()
    position = Integer()
    kind = Text()
    outcome = Text(null=True, default=None)
    decided_at = Timestamptz(null=True, default=None)

    key = CompositeKey([tenant_id, meeting_id, application_id])


class GrantAttendance(Table, tablename="grant_attendance"):
    tenant_id = BigInt()
    meeting_id = BigInt(primary_key=True)
    board_member_id = BigInt()

    key = CompositeKey([tenant_id, meeting_id, board_member_id])


class GrantVote(Table, tablename="grant_vote"):
    tenant_id = BigInt()
    meeting_id = BigInt(primary_key=True)
    application_id = BigInt()
    board_member_id = BigInt()
    vote = Text()

    key = CompositeKey([tenant_id, meeting_id, application_id, board_member_id])


class GrantAppeal(Table, tablename="grant_appeal"):
    tenant_id = BigInt()
    application_id = BigInt(primary_key=True)
    reason = Text()
    lodged_by = BigInt()
    lodged_at = Timestamptz(default=DatabaseNow())
    outcome = Text(null=True, default=None)
    decided_at = Timestamptz(null=True, default=None)
    meeting_id = BigInt(null=True, default=None)

    key = CompositeKey([tenant_id, application_id])


class GrantLetter(Table, tablename="grant_letter"):
    tenant_id = BigInt()
    id = BigSerial(primary_key=True)
    application_id = BigInt()
    kind = Text()
    language = Text()
    pdf = Bytea()
    created_at = Timestamptz(default=DatabaseNow())

    key = CompositeKey([tenant_id, id])


class GrantAttachment(Table, tablename="grant_attachment"):
    tenant_id = BigInt()
    id = BigSerial(primary_key=True)
    application_id = BigInt()
    name = Text()
    media_type = Text()
    size = Integer()
    content = Bytea()
    created_at = Timestamptz(default=DatabaseNow())

    key = CompositeKey([tenant_id, id])


# --- the money of a tilsegn (migrations/0004_grant_money.sql) ------------------------------------


class ExchangeRate(Table, tablename="exchange_rate"):
    id = BigSerial(primary_key=True)
    currency = Text()
    nok_per_unit = Numeric(digits=(10, 4))
    set_by = BigInt(null=True, default=None)
    set_at = Timestamptz(default=DatabaseNow())


class GrantReport(Table, tablename="grant_report"):
    tenant_id = BigInt()
    id = BigSerial(primary_key=True)
    application_id = BigInt()
    organisation_id = BigInt()
    kind = Text()
    text = Text()
    kpi_effects = JSONB(default="{}")
    submitted_by = BigInt()
    submitted_at = Timestamptz(default=DatabaseNow())
    effects_counted_at = Timestamptz(null=True, default=None)
    approved_by = BigInt(null=True, default=None)
    approved_at = Timestamptz(null=True, default=None)

    key = CompositeKey([tenant_id, id])


class GrantPaymentRequest(Table, tablename="grant_payment_request"):
    tenant_id = BigInt()
    id = BigSerial(primary_key=True)
    application_id = BigInt()
    organisation_id = BigInt()
    kind = Text()
    amount = Numeric(digits=(14, 2))
    costs_incurred = Numeric(digits=(14, 2), null=True, default=None)
    account_number = Text(null=True, default=None)
    report_id = BigInt(null=True, default=None)
    state = Text()
    reason = Text(null=True, default=None)
    requested_by = BigInt()
    requested_at = Timestamptz(default=DatabaseNow())
    decided_by = BigInt(null=True, default=None)
    decided_at = Timestamptz(null=True, default=None)
    paid_by = BigInt(null=True, default=None)
    paid_at = Timestamptz(null=True, default=None)

    key = CompositeKey([tenant_id, id])


class GrantPaymentAttachment(Table, tablename="grant_payment_attachment"):
    tenant_id = BigInt()
    id = BigSerial(primary_key=True)
    payment_id = BigInt()
    name = Text()
    media_type = Text()
    size = Integer()
    sha256 = Bytea()
    content = Bytea()
    added_at = Timestamptz(default=DatabaseNow())

    key = CompositeKey([tenant_id, id])
