"""What the use-cases of a tilsegn's money take and give: msgspec Structs of plain values."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import msgspec

from services.grants.schemas import AttachmentView


class ReportView(msgspec.Struct, frozen=True):
    id: int
    application_id: int
    kind: str
    text: str
    kpi_effects: dict[str, Decimal]
    submitted_at: datetime
    approved_at: datetime | None
    effects_counted_at: datetime | None


class PaymentView(msgspec.Struct, frozen=True):
    id: int
    tenant_id: int
    application_id: int
    application_title: str
    organisation_name: str
    organisasjonsnummer: str
    kind: str
    amount: Decimal
    costs_incurred: Decimal | None
    account_number: str | None
    report_id: int | None
    report_text: str | None
    report_approved_at: datetime | None
    state: str
    reason: str | None
    requested_at: datetime
    decided_at: datetime | None
    paid_at: datetime | None
    attachments: list[AttachmentView] = []


class TilsegnView(msgspec.Struct, frozen=True):
    """A granted application's money: what was granted, the lines against it, its reports."""

    tenant_id: int
    application_id: int
    title: str
    municipality_name: str
    organisation_id: int
    organisation_name: str
    granted_amount: Decimal
    approved_costs: Decimal  # the approved cost plan's total
    reporting_deadline: date | None
    tilsegn_state: str  # services/grants/tilsegn.py
    tilsegn_reason: str | None
    tilsegn_moved_at: datetime | None
    standing: Decimal
    paid: Decimal
    remaining: Decimal
    final_requested: bool
    payments: list[PaymentView]
    reports: list[ReportView]


class StateAidView(msgspec.Struct, frozen=True):
    """The organisation's de minimis position with this application's amount."""

    organisation_name: str
    organisasjonsnummer: str
    earlier_nok: Decimal
    this_nok: Decimal
    total_nok: Decimal
    total_eur: Decimal
    ceiling_eur: Decimal
    ceiling_nok: Decimal
    room_nok: Decimal
    room_after_nok: Decimal
    nok_per_eur: Decimal
    rate_set_at: datetime
    passes_ceiling: bool


class ExchangeRateView(msgspec.Struct, frozen=True):
    currency: str
    nok_per_unit: Decimal
    set_at: datetime
    set_by_name: str | None


class StatisticsRow(msgspec.Struct, frozen=True):
    """One grant as the yearly statistics of kommunale næringsfond list it."""

    municipality_name: str
    kommunenummer: str
    application_id: int
    title: str
    fund_name: str
    purpose_nb: str
    purpose_nn: str
    organisation_name: str
    organisasjonsnummer: str
    granted_amount: Decimal
    paid_amount: Decimal
    decided_at: datetime
