"""What the tendering use-cases take in and give back: msgspec Structs, plain values only."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import msgspec

from services.files import FileInput
from services.tendering.rules import AwardCriterion


class BidOutcome(msgspec.Struct, frozen=True):
    """One bid as the award notice tells it: who, the price, each criterion's score (0–10),
    the weighted total (0–100) and the rank, or why it was not qualified."""

    organisation_name: str
    organisasjonsnummer: str
    price: Decimal | None
    scores: dict[str, Decimal]
    total: Decimal | None
    rank: int | None
    qualified: bool | None
    qualification_reason: str | None = None


class AwardOutcome(msgspec.Struct, frozen=True):
    """What the award notice tells everyone: the winner with its scores, the reasons, how many
    bids competed."""

    winner: BidOutcome
    reasons: str
    bids: int


class TenderDraft(msgspec.Struct, frozen=True):
    """What the municipality writes of a tender before it publishes it; checked alike when
    the draft is created and each time it is changed."""

    title: str
    description: str
    estimated_value: Decimal | int | str
    award_criteria: list[AwardCriterion]
    qualification_requirements: list[str]
    questions_deadline: datetime
    bid_deadline: datetime


class TenderView(msgspec.Struct, frozen=True):
    id: int
    tenant_id: int
    title: str
    description: str
    estimated_value: Decimal
    notice: str
    award_criteria: list[AwardCriterion]
    qualification_requirements: list[str]
    questions_deadline: datetime
    bid_deadline: datetime
    state: str
    documents_version: int
    created_at: datetime
    published_at: datetime | None = None
    bids_closed_at: datetime | None = None
    opened_at: datetime | None = None
    evaluated_at: datetime | None = None
    award_notified_at: datetime | None = None
    standstill_ends_at: datetime | None = None
    contract_signed_at: datetime | None = None
    completed_at: datetime | None = None
    cancelled_at: datetime | None = None
    cancellation_reason: str | None = None
    winning_bid_id: int | None = None
    award_outcome: AwardOutcome | None = None


class PublicTenderView(msgspec.Struct, frozen=True):
    """A published tender as the public list shows it, across municipalities."""

    id: int
    tenant_id: int
    kommunenummer: str
    municipality_name: str
    region_slugs: list[str]
    title: str
    description: str
    estimated_value: Decimal
    notice: str
    state: str
    questions_deadline: datetime
    bid_deadline: datetime
    published_at: datetime | None
    # Public from the award notice on: who was awarded the contract, and when it was told.
    winner_name: str | None = None
    award_notified_at: datetime | None = None


class DocumentView(msgspec.Struct, frozen=True):
    id: int
    name: str
    media_type: str
    size: int
    sha256: str
    documents_version: int
    added_at: datetime


class DocumentChange(msgspec.Struct, frozen=True):
    document_id: int
    documents_version: int
    bid_deadline: datetime
    deadline_moved: bool


class QuestionView(msgspec.Struct, frozen=True):
    """A question as the municipality sees it, with the asking organisation."""

    id: int
    tender_id: int
    organisation_id: int
    question: str
    asked_at: datetime
    clarification_id: int | None


class ClarificationView(msgspec.Struct, frozen=True):
    """A question and its answer as every supplier reads them: no asker's name."""

    id: int
    tender_id: int
    question: str
    answer: str
    published_at: datetime


class BidReceipt(msgspec.Struct, frozen=True):
    """The bidder's proof: the database's time of arrival and the SHA-256 of what was sent."""

    bid_id: int
    tender_id: int
    received_at: datetime
    sha256: str
    duplicate: bool = False  # the same submission had already come in


class OwnBidView(msgspec.Struct, frozen=True):
    bid_id: int
    tenant_id: int
    tender_id: int
    received_at: datetime
    sha256: str
    withdrawn_at: datetime | None
    reconfirmed_at: datetime | None
    needs_reconfirmation: bool


class OwnBidContent(msgspec.Struct, frozen=True):
    bid_id: int
    price: Decimal
    answers: dict[str, str]
    documents: list[FileInput]


class OpenedBidEntry(msgspec.Struct, frozen=True):
    """One line of the opening protocol."""

    bid_id: int
    organisation_id: int
    organisation_name: str
    received_at: datetime
    sha256: str
    price: Decimal | None
    valid: bool
    rejection_reason: str | None = None


class OpeningView(msgspec.Struct, frozen=True):
    tender_id: int
    first_person_id: int
    first_confirmed_at: datetime
    second_person_id: int | None
    completed_at: datetime | None
    bids: list[OpenedBidEntry]

    @property
    def completed(self) -> bool:
        return self.completed_at is not None


class OpenedBidView(msgspec.Struct, frozen=True):
    bid_id: int
    organisation_id: int
    organisasjonsnummer: str
    organisation_name: str
    received_at: datetime
    sha256: str
    price: Decimal | None
    answers: dict[str, str]
    documents: list[dict[str, Any]]
    valid: bool | None
    rejection_reason: str | None
    qualified: bool | None
    qualification_reason: str | None
    total_score: Decimal | None
    rank: int | None
    withdrawn: bool


class AwardNoticeView(msgspec.Struct, frozen=True):
    id: int
    tender_id: int
    bid_id: int
    organisation_id: int
    awarded: bool
    rank: int | None
    total_score: Decimal | None
    reasons: str
    standstill_ends_at: datetime
    outcome: BidOutcome | None = None


class AwardView(msgspec.Struct, frozen=True):
    tender_id: int
    winning_bid_id: int
    award_notified_at: datetime
    standstill_ends_at: datetime
    notices: list[AwardNoticeView]


class ProtocolEvent(msgspec.Struct, frozen=True):
    """One event of the tender's protocol, from the audit chain, in the order it happened."""

    seq: int
    occurred_at: datetime
    actor_person_id: int | None
    action: str
    values: dict[str, Any] | None
