"""The pure rules of grants: the application's steps, the plans that must balance, and what a
fund may grant: the share and the amount computed from the plans, never typed."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from enum import StrEnum

from services.errors import N_, InvalidInput

SUMMARY_LIMIT = 500
ORE = Decimal("0.01")


class ApplicationState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_ASSESSMENT = "in_assessment"
    GRANTED = "granted"
    REJECTED = "rejected"


S = ApplicationState
# Every step an application may take; the database's guard holds the same list.
STEPS = frozenset(
    {
        (S.DRAFT, S.SUBMITTED),
        (S.SUBMITTED, S.IN_ASSESSMENT),
        (S.IN_ASSESSMENT, S.GRANTED),
        (S.IN_ASSESSMENT, S.REJECTED),
    }
)
DECIDED = frozenset({S.GRANTED, S.REJECTED})


def may_move(current: str, wanted: str) -> bool:
    return (current, wanted) in STEPS


# Where the money of a financing plan comes from; "this_fund" is what the fund is asked for.
FINANCING_SOURCES = ("this_fund", "own", "loan", "other_public", "other_private")
THIS_FUND = "this_fund"


@dataclass(frozen=True, slots=True)
class CostLine:
    description: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class FinancingLine:
    source: str
    description: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class FundRules:
    max_share: Decimal  # per cent of the eligible cost
    max_amount: Decimal
    decision_limit: Decimal  # above it the board decides


def total(lines: Sequence[CostLine] | Sequence[FinancingLine]) -> Decimal:
    return sum((line.amount for line in lines), Decimal(0))


def requested(financing: Sequence[FinancingLine]) -> Decimal:
    return total([line for line in financing if line.source == THIS_FUND])


def plans_balance(costs: Sequence[CostLine], financing: Sequence[FinancingLine]) -> bool:
    """The financing plan pays for exactly the cost plan, to the øre."""
    return total(costs) == total(financing)


def check_plans(costs: Sequence[CostLine], financing: Sequence[FinancingLine]) -> None:
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
    costs: Sequence[CostLine], financing: Sequence[FinancingLine], rules: FundRules
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


# Events after which the public list of calls (/grants) may read otherwise.
PUBLIC_CHANGES = frozenset({"grants.call_opened"})
