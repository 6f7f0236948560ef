"""The pure rules of grants: the application's steps, the plans that must balance, and what a
fund may grant: the share and the amount computed from the plans, never typed."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from enum import StrEnum

from services.errors import N_, InvalidInput
from services.grants.schemas import PlanLine
from services.tendering.rules import DOCUMENT_TYPES

SUMMARY_LIMIT = 500
ORE = Decimal("0.01")


class ApplicationState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_ASSESSMENT = "in_assessment"
    RECOMMENDED = "recommended"
    GRANTED = "granted"
    REJECTED = "rejected"
    APPEALED = "appealed"


S = ApplicationState
# Every step an application may take; the database's guard (0002_decisions.sql) holds the same.
# The official decides from in_assessment up to the limit; above it, recommends to the board,
# which decides in a meeting; a rejection may be appealed once, and the board decides that too.
STEPS = frozenset(
    {
        (S.DRAFT, S.SUBMITTED),
        (S.SUBMITTED, S.IN_ASSESSMENT),
        (S.IN_ASSESSMENT, S.GRANTED),
        (S.IN_ASSESSMENT, S.REJECTED),
        (S.IN_ASSESSMENT, S.RECOMMENDED),
        (S.RECOMMENDED, S.GRANTED),
        (S.RECOMMENDED, S.REJECTED),
        (S.REJECTED, S.APPEALED),
        (S.APPEALED, S.GRANTED),
        (S.APPEALED, S.REJECTED),
    }
)
DECIDED = frozenset({S.GRANTED, S.REJECTED})
# The states the board decides from, in a meeting: a recommendation, or an appeal.
BEFORE_THE_BOARD = frozenset({S.RECOMMENDED, S.APPEALED})
OUTCOMES = (S.GRANTED, S.REJECTED)


def may_move(current: str, wanted: str) -> bool:
    return (current, wanted) in STEPS


def check_at_most(count: int, limit: int, code: str, message: str, field: str) -> None:
    """A count (lines, files, characters) within its limit, or the refusal naming the limit;
    `message` is an N_() msgid with %(limit)s in it."""
    if count > limit:
        raise InvalidInput(code, message, field=field, values={"limit": limit})


# An appeal (klage) is lodged within three weeks of the decision (forvaltningsloven § 29).
APPEAL_DAYS = 21


def may_appeal(state: str, decided_at: datetime | None, now: datetime, appealed: bool) -> bool:
    """A rejection, not appealed before, within three weeks of its decision."""
    if state != S.REJECTED or decided_at is None or appealed:
        return False
    return now <= decided_at + timedelta(days=APPEAL_DAYS)


def board_outcome(votes: Sequence[str]) -> str | None:
    """The board's decision by a simple majority of the votes cast; None when tied or none."""
    granted = sum(1 for v in votes if v == S.GRANTED)
    rejected = sum(1 for v in votes if v == S.REJECTED)
    if granted == rejected:
        return None
    return S.GRANTED if granted > rejected else S.REJECTED


# Where the money of a financing plan comes from; "this_fund" is what the fund is asked for.
FINANCING_SOURCES = ("this_fund", "own", "loan", "other_public", "other_private")
THIS_FUND = "this_fund"


@dataclass(frozen=True, slots=True)
class FundRules:
    max_share: Decimal  # per cent of the eligible cost
    max_amount: Decimal
    decision_limit: Decimal  # above it the board decides


def total(lines: Sequence[PlanLine]) -> Decimal:
    return sum((line.amount for line in lines), Decimal(0))


def requested(financing: Sequence[PlanLine]) -> Decimal:
    return total([line for line in financing if line.source == THIS_FUND])


def plans_balance(costs: Sequence[PlanLine], financing: Sequence[PlanLine]) -> bool:
    """The financing plan pays for exactly the cost plan, to the øre."""
    return total(costs) == total(financing)


def check_plans(costs: Sequence[PlanLine], financing: Sequence[PlanLine]) -> None:
    """What a submitted application's plans must be: a cost, a request of the fund, a balance."""
    if not costs:
        raise InvalidInput(
            "grant_cost_plan_empty", N_("Write at least one cost in the cost plan."), field="costs"
        )
    if requested(financing) <= 0:
        raise InvalidInput(
            "grant_nothing_requested",
            N_("Write the amount you apply for from this fund in the financing plan."),
            field="financing",
        )
    if not plans_balance(costs, financing):
        raise InvalidInput(
            "grant_plans_unbalanced",
            N_("The financing plan (%(financing)s NOK) must equal the cost plan (%(costs)s NOK)."),
            field="financing",
            values={"financing": _nok(total(financing)), "costs": _nok(total(costs))},
        )


@dataclass(frozen=True, slots=True)
class Assessment:
    """What the plans and the fund's rules give; the official comments, never types these."""

    eligible_cost: Decimal
    requested: Decimal
    share: Decimal  # the requested amount's share of the eligible cost, per cent, rounded
    max_by_share: Decimal
    grantable: Decimal
    share_too_high: bool
    amount_too_high: bool
    board_decides: bool


def assess(
    costs: Sequence[PlanLine], financing: Sequence[PlanLine], rules: FundRules
) -> Assessment:
    eligible = total(costs)
    asked = requested(financing)
    share = (asked * 100 / eligible).quantize(ORE, ROUND_HALF_UP) if eligible else Decimal(0)
    by_share = (eligible * rules.max_share / 100).quantize(ORE, ROUND_DOWN)
    grantable = max(min(asked, rules.max_amount, by_share), Decimal(0))
    return Assessment(
        eligible_cost=eligible,
        requested=asked,
        share=share,
        max_by_share=by_share,
        grantable=grantable,
        # Exact, not the rounded share: 50.004 % of a 50 % fund is too much.
        share_too_high=asked * 100 > eligible * rules.max_share,
        amount_too_high=asked > rules.max_amount,
        board_decides=board_decides(grantable, rules.decision_limit),
    )


def board_decides(amount: Decimal, decision_limit: Decimal) -> bool:
    """Officials decide up to their delegated limit; above it the board does."""
    return amount > decision_limit


def check_fund_rules(max_share: Decimal, max_amount: Decimal, decision_limit: Decimal) -> None:
    if not Decimal(0) < max_share <= 100:
        raise InvalidInput(
            "grant_fund_share_invalid",
            N_("The maximum share is more than 0 and at most 100 per cent."),
            field="max_share",
        )
    if max_amount <= 0:
        raise InvalidInput(
            "grant_fund_amount_invalid", N_("Write an amount above 0."), field="max_amount"
        )


def check_call_dates(opens_on, closes_on) -> None:
    if closes_on < opens_on:
        raise InvalidInput(
            "grant_call_dates",
            N_("The call cannot close before it opens."),
            field="closes_on",
        )


def call_is_open(opens_on, closes_on, today) -> bool:
    return opens_on <= today <= closes_on


def receipt_digest(content: dict) -> bytes:
    """SHA-256 of the application as submitted, its plans included: the applicant's receipt."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).digest()


def _nok(amount: Decimal) -> str:
    whole, _, fraction = f"{amount.quantize(ORE):f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", "\u00a0")
    return grouped if fraction == "00" else f"{grouped},{fraction}"


# The parts of an application a fund may ask for on top of the summary, project and plans;
# asked for, they are mandatory in its applications, otherwise they may be left out.
OPTIONAL_PARTS = ("effects", "attachments")


def check_asked_for(asks_for: Sequence[str], *, effects: str, attachments: int) -> None:
    if "effects" in asks_for and not effects.strip():
        raise InvalidInput(
            "grant_effects_missing",
            N_("This fund asks for the expected effects: write them."),
            field="effects",
        )
    if "attachments" in asks_for and attachments == 0:
        raise InvalidInput(
            "grant_attachments_missing",
            N_("This fund asks for attachments: add at least one file."),
            field="attachments",
        )


def check_tilsegn_terms(reporting_deadline: date | None, today: date) -> None:
    """A tilsegn carries a reporting deadline, after the day it is granted."""
    if reporting_deadline is None:
        raise InvalidInput(
            "grant_reporting_deadline_missing",
            N_("Set the reporting deadline of the tilsegn."),
            field="reporting_deadline",
        )
    if reporting_deadline <= today:
        raise InvalidInput(
            "grant_reporting_deadline_past",
            N_("The reporting deadline comes after today."),
            field="reporting_deadline",
        )


# Attachments: the kinds of document public bodies exchange (tendering's list), checked by their
# first bytes too; at most 20 MB a file and 20 files an application.
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
MAX_ATTACHMENTS = 20


def check_attachment(name: str, media_type: str, content: bytes) -> None:
    if not name.strip() or len(name) > 255 or any(c in name for c in "/\\\x00"):
        raise InvalidInput(
            "grant_attachment_name",
            N_("A file needs a plain file name."),
            field="attachments",
        )
    if media_type not in DOCUMENT_TYPES:
        raise InvalidInput(
            "grant_attachment_type",
            N_("%(name)s: upload a PDF, Word, Excel, OpenDocument, PNG, JPEG or text file."),
            field="attachments",
            values={"name": name},
        )
    if not content:
        raise InvalidInput(
            "grant_attachment_empty",
            N_("%(name)s is empty."),
            field="attachments",
            values={"name": name},
        )
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise InvalidInput(
            "grant_attachment_large",
            N_("%(name)s is larger than 20 MB."),
            field="attachments",
            values={"name": name},
        )
    signatures = DOCUMENT_TYPES[media_type]
    if signatures and not any(content.startswith(s) for s in signatures):
        raise InvalidInput(
            "grant_attachment_mismatch",
            N_("%(name)s is not what its type says (%(type)s)."),
            field="attachments",
            values={"name": name, "type": media_type},
        )


# Events after which the public list of calls (/grants) may read otherwise.
PUBLIC_CHANGES = frozenset({"grants.call_opened"})
