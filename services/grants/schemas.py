"""What the grant use-cases take and give: msgspec Structs of plain values."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import msgspec


class PlanLine(msgspec.Struct, frozen=True):
    """A line of an application's cost plan, or of its financing plan (with where the money
    comes from): as written, as stored, and as the rules sum them."""

    description: str
    amount: Decimal
    source: str = ""  # the financing plan's: one of rules.FINANCING_SOURCES


class Choice(msgspec.Struct, frozen=True):
    """One of the things a form offers to choose among: a programme, a person."""

    id: int
    name: str


class FundView(msgspec.Struct, frozen=True):
    id: int
    name: str
    programme_id: int | None
    programme_name: str | None
    strategy_area_id: int | None
    strategy_area_nb: str | None
    strategy_area_nn: str | None
    max_share: Decimal
    max_amount: Decimal
    decision_limit: Decimal
    asks_for: list[str] = []


class CallView(msgspec.Struct, frozen=True):
    id: int
    fund_id: int
    fund_name: str
    title: str
    description: str
    opens_on: date
    closes_on: date
    is_open: bool


class PublicCallView(msgspec.Struct, frozen=True):
    """A call as anyone sees it, across municipalities."""

    tenant_id: int
    id: int
    title: str
    description: str
    opens_on: date
    closes_on: date
    is_open: bool
    fund_name: str
    max_share: Decimal
    max_amount: Decimal
    municipality_name: str
    kommunenummer: str
    asks_for: list[str] = []


class ApplicationSummary(msgspec.Struct, frozen=True):
    id: int
    tenant_id: int
    call_id: int
    call_title: str
    title: str
    state: str
    organisation_name: str
    submitted_at: datetime | None
    requested_amount: Decimal


class ApplicationView(msgspec.Struct, frozen=True):
    id: int
    tenant_id: int
    call_id: int
    call_title: str
    fund_name: str
    municipality_name: str
    organisation_id: int
    organisation_name: str
    title: str
    summary: str
    project: str
    effects: str
    state: str
    submitted_at: datetime | None
    receipt: str | None  # the SHA-256 in hex
    costs: list[PlanLine]
    financing: list[PlanLine]
    assessment_comment: str
    assessed_at: datetime | None
    eligible_cost: Decimal | None
    requested_amount: Decimal | None
    grantable_amount: Decimal | None
    share: Decimal | None
    decided_at: datetime | None
    granted_amount: Decimal | None
    rejection_reason: str | None
    call_open: bool
    asks_for: list[str] = []
    recommendation: str | None = None
    recommendation_reason: str = ""
    recommended_at: datetime | None = None
    conditions: str = ""
    reporting_deadline: date | None = None
    decided_in_meeting: int | None = None
    rank: int | None = None
    rank_comment: str = ""
    organisasjonsnummer: str = ""
    assessed_by: int | None = None


class AttachmentView(msgspec.Struct, frozen=True):
    """A stored file as a list shows it: an application's attachment, or a payment request's."""

    id: int
    name: str
    media_type: str
    size: int


class RankedApplication(msgspec.Struct, frozen=True):
    """One application of a call as the official ranks it, with what the rules give it."""

    id: int
    title: str
    organisation_name: str
    state: str
    eligible_cost: Decimal
    requested_amount: Decimal
    rank: int | None
    rank_comment: str
