"""Piccolo mappings of tendering; the schema (and the sealing of bids) lives in migrations/*.sql.

Each table's real key starts with tenant_id (CompositeKey); Piccolo is told the column that is
unique on its own. The use-cases write their plain rows through these tables (a draft, its
documents, clarifications, the evaluation's marks) and the rest through service/'s SQL (bids,
the opening, the public reads, upserts); the bid trigger and the policies guard both alike.
"""

from piccolo.columns import JSONB, BigInt, Boolean, Bytea, Integer, Numeric, Text, Timestamptz
from piccolo.columns.column_types import BigSerial
from piccolo.constraints import Unique
from piccolo.table import Table

from infra.columns import CompositeKey, DatabaseClock, DatabaseNow


class Tender(Table, tablename="tender"):
    tenant_id = BigInt()
    id = BigSerial(primary_key=True)
    title = Text()
    description = Text()
    estimated_value = Numeric(digits=(14, 2))
    notice = Text()
    award_criteria = JSONB()
    qualification_requirements = JSONB(default="[]")
    questions_deadline = Timestamptz()
    bid_deadline = Timestamptz()
    state = Text(default="draft")
    documents_version = Integer(default=1)
    created_by = BigInt(null=True, default=None)
    created_at = Timestamptz(default=DatabaseNow())
    published_at = Timestamptz(null=True, default=None)
    bids_closed_at = Timestamptz(null=True, default=None)
    opened_at = Timestamptz(null=True, default=None)
    evaluated_at = Timestamptz(null=True, default=None)
    award_notified_at = Timestamptz(null=True, default=None)
    standstill_ends_at = Timestamptz(null=True, default=None)
    contract_signed_at = Timestamptz(null=True, default=None)
    completed_at = Timestamptz(null=True, default=None)
    cancelled_at = Timestamptz(null=True, default=None)
    cancellation_reason = Text(null=True, default=None)
    winning_bid_id = BigInt(null=True, default=None)
    standstill_end_mailed_at = Timestamptz(null=True, default=None)
    award_outcome = JSONB(null=True, default=None)

    key = CompositeKey([tenant_id, id])


class TenderDocument(Table, tablename="tender_document"):
    tenant_id = BigInt()
    tender_id = BigInt()
    id = BigSerial(primary_key=True)
    name = Text()
    media_type = Text()
    size = Integer()
    sha256 = Bytea()
    content = Bytea()
    documents_version = Integer()
    added_at = Timestamptz(default=DatabaseNow())

    key = CompositeKey([tenant_id, id])


class TenderQuestion(Table, tablename="tender_question"):
    tenant_id = BigInt()
    tender_id = BigInt()
    id = BigSerial(primary_key=True)
    organisation_id = BigInt()
    asked_by = BigInt()
    question = Text()
    asked_at = Timestamptz(default=DatabaseClock())
    clarification_id = BigInt(null=True, default=None)

    key = CompositeKey([tenant_id, id])


class TenderClarification(Table, tablename="tender_clarification"):
    tenant_id = BigInt()
    tender_id = BigInt()
    id = BigSerial(primary_key=True)
    question = Text()
    answer = Text()
    answered_by = BigInt(null=True, default=None)
    published_at = Timestamptz(default=DatabaseNow())

    key = CompositeKey([tenant_id, id])


class Bid(Table, tablename="bid"):
    tenant_id = BigInt()
    tender_id = BigInt()
    id = BigSerial(primary_key=True)
    organisation_id = BigInt()
    submitted_by = BigInt()
    idempotency_key = Text()
    received_at = Timestamptz(default=DatabaseClock())
    receipt_sha256 = Bytea()
    sealed_content = Bytea()
    documents_version = Integer()
    reconfirmed_at = Timestamptz(null=True, default=None)
    withdrawn_at = Timestamptz(null=True, default=None)
    price = Numeric(digits=(14, 2), null=True, default=None)
    answers = JSONB(null=True, default=None)
    documents = JSONB(null=True, default=None)
    valid = Boolean(null=True, default=None)
    rejection_reason = Text(null=True, default=None)
    qualified = Boolean(null=True, default=None)
    qualification_reason = Text(null=True, default=None)
    total_score = Numeric(digits=(9, 4), null=True, default=None)
    rank = Integer(null=True, default=None)

    key = CompositeKey([tenant_id, id])
    unique_tender_organisation_idempotency = Unique(
        [tenant_id, tender_id, organisation_id, idempotency_key]
    )


class TenderOpening(Table, tablename="tender_opening"):
    tenant_id = BigInt()
    tender_id = BigInt(primary_key=True)
    first_person_id = BigInt()
    first_confirmed_at = Timestamptz(default=DatabaseNow())
    second_person_id = BigInt(null=True, default=None)
    completed_at = Timestamptz(null=True, default=None)
    bids = JSONB(null=True, default=None)

    key = CompositeKey([tenant_id, tender_id])


class TenderDeclaration(Table, tablename="tender_declaration"):
    tenant_id = BigInt()
    tender_id = BigInt()
    person_id = BigInt(primary_key=True)
    role = Text()
    conflicted = Boolean()
    note = Text()
    declared_at = Timestamptz(default=DatabaseNow())

    key = CompositeKey([tenant_id, tender_id, person_id])


class BidScore(Table, tablename="bid_score"):
    tenant_id = BigInt()
    tender_id = BigInt()
    bid_id = BigInt(primary_key=True)
    evaluator_id = BigInt()
    criterion = Text()
    score = Numeric(digits=(5, 2))
    note = Text()
    scored_at = Timestamptz(default=DatabaseNow())

    key = CompositeKey([tenant_id, bid_id, evaluator_id, criterion])


class AwardNotice(Table, tablename="award_notice"):
    tenant_id = BigInt()
    tender_id = BigInt()
    id = BigSerial(primary_key=True)
    bid_id = BigInt()
    organisation_id = BigInt()
    awarded = Boolean()
    rank = Integer(null=True, default=None)
    total_score = Numeric(digits=(9, 4), null=True, default=None)
    reasons = Text()
    standstill_ends_at = Timestamptz()
    created_at = Timestamptz(default=DatabaseNow())
    outcome = JSONB(null=True, default=None)
    mailed_at = Timestamptz(null=True, default=None)

    key = CompositeKey([tenant_id, id])
    unique_tender_id_bid_id = Unique([tenant_id, tender_id, bid_id])


class TenderFollow(Table, tablename="tender_follow"):
    """An organisation follows a municipality or a region: a mail when it publishes a tender."""

    id = BigSerial(primary_key=True)
    organisation_id = BigInt()
    municipality_id = BigInt(null=True, default=None)
    region_id = BigInt(null=True, default=None)
    followed_at = Timestamptz(default=DatabaseNow())


class TenderMail(Table, tablename="tender_mail"):
    """That a mail about a tender went to one organisation, so a repeated event sends none."""

    tenant_id = BigInt(primary_key=True)
    tender_id = BigInt()
    organisation_id = BigInt()
    about = Text()
    mailed_at = Timestamptz(default=DatabaseNow())

    key = CompositeKey([tenant_id, tender_id, organisation_id, about])
