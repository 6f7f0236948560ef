"""A tender's pure rules: its states, thresholds, award criteria, scoring, ranking and deadlines."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

import msgspec

from services.errors import N_, Conflict, InvalidInput

# Days, deadlines and standstill periods are counted on the Norwegian calendar.
OSLO = ZoneInfo("Europe/Oslo")

# Estimated values are counted without VAT, as the procurement regulations count them.
RULES_THRESHOLD = Decimal(100_000)
DOFFIN_THRESHOLD = Decimal(1_300_000)

MAX_POINTS = Decimal(10)
STANDSTILL_DAYS = 10
# Bidders keep six days with the final documents before the deadline: the time the EU
# procurement directive (2014/24/EU art. 47(3)(a)) gives them after late additional
# information. A change closer to the deadline than this moves the deadline.
LATE_CHANGE_WINDOW = timedelta(days=6)


class TenderState(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    BIDS_CLOSED = "bids_closed"
    OPENED = "opened"
    EVALUATED = "evaluated"
    AWARD_NOTIFIED = "award_notified"
    STANDSTILL = "standstill"
    CONTRACT_SIGNED = "contract_signed"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    UNSUCCESSFUL = "unsuccessful"


_S = TenderState
# Cancelled (with a reason) from anywhere before the contract is signed. Unsuccessful
# from bids_closed when no bid came (nothing to open), or from opened when none was valid.
TENDER_TRANSITIONS: Mapping[TenderState, frozenset[TenderState]] = {
    _S.DRAFT: frozenset({_S.PUBLISHED, _S.CANCELLED}),
    _S.PUBLISHED: frozenset({_S.BIDS_CLOSED, _S.CANCELLED}),
    _S.BIDS_CLOSED: frozenset({_S.OPENED, _S.UNSUCCESSFUL, _S.CANCELLED}),
    _S.OPENED: frozenset({_S.EVALUATED, _S.UNSUCCESSFUL, _S.CANCELLED}),
    _S.EVALUATED: frozenset({_S.AWARD_NOTIFIED, _S.CANCELLED}),
    _S.AWARD_NOTIFIED: frozenset({_S.STANDSTILL, _S.CANCELLED}),
    _S.STANDSTILL: frozenset({_S.CONTRACT_SIGNED, _S.CANCELLED}),
    _S.CONTRACT_SIGNED: frozenset({_S.COMPLETED}),
    _S.COMPLETED: frozenset(),
    _S.CANCELLED: frozenset(),
    _S.UNSUCCESSFUL: frozenset(),
}


class Notice(StrEnum):
    NOT_REGULATED = "not_regulated"  # the procurement rules do not apply
    LOCAL = "local"  # published in Samspel
    LOCAL_AND_DOFFIN = "local_and_doffin"  # published in Samspel and in Doffin


class AwardCriterion(msgspec.Struct, frozen=True):
    name: str
    weight: int
    is_price: bool = False


class Bid(msgspec.Struct, frozen=True):
    """An opened bid as the evaluation sees it; scores are per criterion, one per evaluator."""

    bid_id: str
    price: Decimal
    evaluator_scores: Mapping[str, Sequence[Decimal]] = {}
    qualified: bool = True


class RankedBid(msgspec.Struct, frozen=True):
    rank: int
    bid_id: str
    price: Decimal
    scores: Mapping[str, Decimal]
    total: Decimal


class InvalidTenderTransition(Conflict):
    def __init__(self, current: TenderState, target: TenderState) -> None:
        super().__init__(
            "tender_transition_refused",
            # The states stay out of the text: a value is not translated, a state's name is.
            N_("This step is not possible in the tender's present state."),
            field="state",
        )
        self.current, self.target = current, target


class CancellationReasonRequired(InvalidInput):
    def __init__(self) -> None:
        super().__init__(
            "tender_cancellation_reason_required",
            N_("Say why the tender is cancelled."),
            field="reason",
        )


class InvalidEstimatedValue(InvalidInput):
    def __init__(self, value: Decimal) -> None:
        super().__init__(
            "tender_estimated_value_invalid",
            N_("The estimated value is a sum of 0 NOK or more, not %(value)s."),
            field="estimated_value",
            values={"value": value},
        )


class InvalidAwardCriteria(InvalidInput):
    def __init__(self, code: str, message: str, values: dict[str, object] | None = None) -> None:
        super().__init__(code, message, field="award_criteria", values=values)


class InvalidScore(InvalidInput):
    def __init__(self, message: str, values: dict[str, object] | None = None) -> None:
        super().__init__("evaluation_score_invalid", message, field="scores", values=values)


class InvalidPrice(InvalidInput):
    def __init__(self, price: Decimal) -> None:
        super().__init__(
            "bid_price_invalid",
            N_("A price is above 0 NOK, not %(price)s."),
            field="price",
            values={"price": price},
        )


class StandstillNotOver(Conflict):
    def __init__(self, ends_at: datetime) -> None:
        super().__init__(
            "standstill_not_over",
            N_("The contract may be signed from %(moment)s."),
            values={"moment": ends_at},  # written on Oslo's clock in the reader's language
        )
        self.ends_at = ends_at


class DocumentsChangedAfterDeadline(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "tender_documents_changed_after_deadline",
            N_("The documents cannot change once the bid deadline has passed."),
        )


def check_transition(
    current: TenderState, target: TenderState, *, reason: str | None = None
) -> None:
    if target not in TENDER_TRANSITIONS[current]:
        raise InvalidTenderTransition(current, target)
    if target == TenderState.CANCELLED and not (reason and reason.strip()):
        raise CancellationReasonRequired()


def required_notice(estimated_value: Decimal) -> Notice:
    """Where the notice must go: below 100 000 NOK no rules apply; from 1 300 000 NOK Doffin too."""
    value = Decimal(estimated_value)
    if not value.is_finite() or value < 0:
        raise InvalidEstimatedValue(value)
    if value < RULES_THRESHOLD:
        return Notice.NOT_REGULATED
    return Notice.LOCAL if value < DOFFIN_THRESHOLD else Notice.LOCAL_AND_DOFFIN


def validate_award_criteria(criteria: Sequence[AwardCriterion]) -> None:
    """Unique names, whole weights above 0 summing to exactly 100, price one of them."""
    _check_criterion_names(criteria)
    invalid = [c.name for c in criteria if type(c.weight) is not int or c.weight <= 0]
    if invalid:
        raise InvalidAwardCriteria(
            "award_criterion_weight_invalid",
            N_("A weight is a whole number above 0: %(criteria)s."),
            values={"criteria": ", ".join(invalid)},
        )
    total = sum(c.weight for c in criteria)
    if total != 100:
        raise InvalidAwardCriteria(
            "award_criteria_weights_not_100",
            N_("The weights sum to %(total)s, not 100."),
            values={"total": total},
        )
    prices = sum(1 for c in criteria if c.is_price)
    if prices != 1:
        raise InvalidAwardCriteria(
            "award_criteria_price_count",
            N_("Price must be exactly one criterion, not %(count)s."),
            values={"count": prices},
        )


def price_score(price: Decimal, lowest_price: Decimal, max_points: Decimal = MAX_POINTS) -> Decimal:
    """The lowest price earns full points; a price twice as high earns half."""
    price, lowest_price = _price(price), _price(lowest_price)
    if lowest_price > price:
        raise ValueError(f"the lowest price {lowest_price} is above the price {price}")
    return max_points * lowest_price / price


def evaluator_average(scores: Sequence[Decimal], max_points: Decimal = MAX_POINTS) -> Decimal:
    """A criterion's score: the mean of every evaluator's score from 0 to `max_points`."""
    scores = [Decimal(score) for score in scores]
    if not scores:
        raise InvalidScore(N_("Every evaluator's score is needed; none were given."))
    if any(not (score.is_finite() and 0 <= score <= max_points) for score in scores):
        raise InvalidScore(
            N_("A score is from 0 to %(max)s: %(scores)s."),
            values={"max": max_points, "scores": ", ".join(map(str, scores))},
        )
    return sum(scores, Decimal(0)) / len(scores)


def weighted_total(
    criteria: Sequence[AwardCriterion],
    scores: Mapping[str, Decimal],
    max_points: Decimal = MAX_POINTS,
) -> Decimal:
    """The bid's total from 0 to 100: each criterion's score as a share of its weight."""
    missing = [c.name for c in criteria if c.name not in scores]
    if missing:
        raise InvalidScore(
            N_("No score for %(criteria)s."), values={"criteria": ", ".join(missing)}
        )
    return sum((c.weight * scores[c.name] / max_points for c in criteria), Decimal(0))


def score_bid(
    criteria: Sequence[AwardCriterion], bid: Bid, lowest_price: Decimal
) -> dict[str, Decimal]:
    return {
        c.name: price_score(bid.price, lowest_price)
        if c.is_price
        else evaluator_average(bid.evaluator_scores.get(c.name, ()))
        for c in criteria
    }


def rank_bids(criteria: Sequence[AwardCriterion], bids: Sequence[Bid]) -> list[RankedBid]:
    """The qualified bids, best first; equal totals go to the lower price, then the bid id.

    Price is scored against the lowest price among the qualified bids; a bid that failed
    qualification neither ranks nor sets the lowest price. The order never depends on the
    order the bids came in.
    """
    validate_award_criteria(criteria)
    if len({bid.bid_id for bid in bids}) != len(bids):
        raise ValueError("bid ids must be unique")
    qualified = [bid for bid in bids if bid.qualified]
    if not qualified:
        return []
    lowest = min(_price(bid.price) for bid in qualified)
    scored = [(bid, score_bid(criteria, bid, lowest)) for bid in qualified]
    totals = [(weighted_total(criteria, scores), bid, scores) for bid, scores in scored]
    totals.sort(key=lambda row: (row[0].copy_negate(), row[1].price, row[1].bid_id))
    return [
        RankedBid(rank, bid.bid_id, bid.price, scores, total)
        for rank, (total, bid, scores) in enumerate(totals, start=1)
    ]


def is_on_time(received_at: datetime, deadline: datetime) -> bool:
    """A bid counts only if it arrived before the deadline: at the deadline is too late."""
    return _utc(received_at) < _utc(deadline)


def may_close_bids(now: datetime, deadline: datetime) -> bool:
    return not is_on_time(now, deadline)


def standstill_end(award_notified_at: datetime) -> datetime:
    """The standstill ends once 10 full Oslo calendar days have passed after the notice's day.

    Calendar days, not 240 hours: the day summer time begins has only 23.
    """
    notice_day = _utc(award_notified_at).astimezone(OSLO).date()
    return datetime.combine(notice_day + timedelta(days=STANDSTILL_DAYS + 1), time(0), OSLO)


def may_sign_contract(now: datetime, standstill_ends_at: datetime) -> bool:
    return _utc(now) >= _utc(standstill_ends_at)


def check_contract_signing(now: datetime, standstill_ends_at: datetime) -> None:
    if not may_sign_contract(now, standstill_ends_at):
        raise StandstillNotOver(standstill_ends_at)


def is_late_change(changed_at: datetime, deadline: datetime) -> bool:
    return _utc(deadline) - _utc(changed_at) < LATE_CHANGE_WINDOW


def deadline_after_change(changed_at: datetime, deadline: datetime) -> datetime:
    """The bid deadline once the documents have changed; only a late change moves it.

    It moves by whole days, keeping its time of day on the Oslo clock, until bidders again
    have LATE_CHANGE_WINDOW with the changed documents.
    """
    if not is_on_time(changed_at, deadline):
        raise DocumentsChangedAfterDeadline()
    if not is_late_change(changed_at, deadline):
        return deadline
    moved = deadline.astimezone(OSLO)
    while is_late_change(changed_at, moved):
        moved += timedelta(days=1)
    return moved


def _check_criterion_names(criteria: Sequence[AwardCriterion]) -> None:
    keys = [c.name.strip().casefold() for c in criteria]
    if not all(keys):
        raise InvalidAwardCriteria(
            "award_criterion_name_required", N_("Every criterion needs a name.")
        )
    duplicates = sorted({c.name for c in criteria if keys.count(c.name.strip().casefold()) > 1})
    if duplicates:
        raise InvalidAwardCriteria(
            "award_criteria_names_not_unique",
            N_("Criteria share a name: %(names)s."),
            values={"names": ", ".join(duplicates)},
        )


def _price(amount: Decimal) -> Decimal:
    amount = Decimal(amount)
    if not (amount.is_finite() and amount > 0):
        raise InvalidPrice(amount)
    return amount


def _utc(moment: datetime) -> datetime:
    """Instants are compared in UTC: Python compares two datetimes in one zone by wall clock."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{moment} has no time zone")
    return moment.astimezone(UTC)


# Documents a tender or a bid may carry: what public buyers and bidders exchange, checked by
# the first bytes as well as by the declared type, so a renamed executable is refused.
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
MAX_BID_BYTES = 50 * 1024 * 1024
_ZIP = b"PK\x03\x04"
DOCUMENT_TYPES: Mapping[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF-",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (_ZIP,),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (_ZIP,),
    "application/vnd.oasis.opendocument.text": (_ZIP,),
    "application/vnd.oasis.opendocument.spreadsheet": (_ZIP,),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "text/plain": (),
}


class InvalidDocument(InvalidInput):
    def __init__(self, code: str, message: str, values: dict[str, object] | None = None) -> None:
        super().__init__(code, message, field="documents", values=values)


def check_document(name: str, media_type: str, content: bytes) -> None:
    """A named file of an accepted type whose first bytes match it, from 1 byte to 20 MB."""
    if not name.strip() or len(name) > 255 or any(c in name for c in "/\\\x00"):
        raise InvalidDocument("document_name_invalid", N_("A document needs a plain file name."))
    if media_type not in DOCUMENT_TYPES:
        raise InvalidDocument(
            "document_type_refused",
            N_("%(type)s is not an accepted type of document."),
            values={"type": media_type},
        )
    if not content:
        raise InvalidDocument("document_empty", N_("%(name)s is empty."), values={"name": name})
    if len(content) > MAX_DOCUMENT_BYTES:
        raise InvalidDocument(
            "document_too_large", N_("%(name)s is larger than 20 MB."), values={"name": name}
        )
    signatures = DOCUMENT_TYPES[media_type]
    if media_type == "text/plain":
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidDocument(
                "document_content_mismatch",
                N_("%(name)s is not UTF-8 text."),
                values={"name": name},
            ) from None
    elif not any(content.startswith(signature) for signature in signatures):
        raise InvalidDocument(
            "document_content_mismatch",
            N_("%(name)s is not what its type says (%(type)s)."),
            values={"name": name, "type": media_type},
        )


def check_bid_documents(documents: Sequence[tuple[str, str, bytes]]) -> None:
    for name, media_type, content in documents:
        check_document(name, media_type, content)
    if sum(len(content) for _, _, content in documents) > MAX_BID_BYTES:
        raise InvalidDocument("bid_documents_too_large", N_("A bid's documents are 50 MB at most."))


# Events after which the public tender list, a public tender page, the API or the OCDS may
# read otherwise (web/public_cache.py keeps those pages until one of these is committed).
# A bid, its sealing and the evaluation change nothing the public reads before the award.
PUBLIC_CHANGES = frozenset(
    {
        "tendering.published",
        "tendering.documents_changed",
        "tendering.clarification_published",
        "tendering.bids_closed",
        "tendering.opened",
        "tendering.cancelled",
        "tendering.unsuccessful",
        "tendering.award_notified",
        "tendering.contract_signed",
        "tendering.completed",
    }
)
