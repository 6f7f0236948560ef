"""The pure rules of a tilsegn's payments: the request's steps, what remains of the tilsegn, and
what a part, final or clawback line may be. The database's guard (0004_grant_money.sql) holds
the same steps and sums, under a lock, for requests that arrive at the same moment."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from services.errors import N_, Conflict, InvalidInput


class PaymentState(StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    PAID = "paid"
    REJECTED = "rejected"


class PaymentKind(StrEnum):
    PART = "part"
    FINAL = "final"
    CLAWBACK = "clawback"


P = PaymentState
# Every step a payment request may take; the database's guard holds the same list.
STEPS = frozenset(
    {
        (P.SUBMITTED, P.APPROVED),
        (P.SUBMITTED, P.REJECTED),
        (P.APPROVED, P.PAID),
        (P.APPROVED, P.REJECTED),
    }
)
# What the municipality's buttons lead to.
OUTCOMES = (P.APPROVED, P.PAID, P.REJECTED)


def may_move(current: str, wanted: str) -> bool:
    return (current, wanted) in STEPS


def first_state(kind: str) -> PaymentState:
    """A request from the organisation waits for the municipality; a clawback is its own
    decision, waiting only to be repaid."""
    return P.APPROVED if kind == PaymentKind.CLAWBACK else P.SUBMITTED


@dataclass(frozen=True, slots=True)
class Line:
    kind: str
    state: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Balance:
    granted: Decimal
    standing: Decimal  # every line not rejected: requested, approved, paid, clawed back
    paid: Decimal  # paid out, less what was clawed back
    final_requested: bool

    @property
    def remaining(self) -> Decimal:
        """What may still be requested."""
        return max(self.granted - self.standing, Decimal(0))


def balance(granted: Decimal, lines: Sequence[Line]) -> Balance:
    standing = sum((x.amount for x in lines if x.state != P.REJECTED), Decimal(0))
    paid = sum(
        (x.amount for x in lines if x.state == P.PAID or x.kind == PaymentKind.CLAWBACK),
        Decimal(0),
    )
    final = any(x.kind == PaymentKind.FINAL and x.state != P.REJECTED for x in lines)
    return Balance(granted, standing, paid, final)


class ExceedsTilsegn(Conflict):
    def __init__(self, remaining: Decimal) -> None:
        super().__init__(
            "grant_payment_exceeds",
            N_("The payments would exceed the tilsegn: at most %(remaining)s NOK remains."),
            field="amount",
            values={"remaining": _nok(remaining)},
        )


class FinalRequested(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "grant_payment_final_requested",
            N_("The final payment has been requested: no more payments can be requested."),
        )


class ClawbackTooLarge(Conflict):
    def __init__(self, paid: Decimal) -> None:
        super().__init__(
            "grant_clawback_too_large",
            N_("A clawback cannot be larger than what has been paid (%(paid)s NOK)."),
            field="amount",
            values={"paid": _nok(paid)},
        )


def check_request(kind: str, amount: Decimal, current: Balance) -> None:
    """A new line against what the tilsegn's lines are now."""
    if kind not in set(PaymentKind):
        raise InvalidInput(
            "grant_payment_kind", N_("Choose a part or the final payment."), field="kind"
        )
    if kind == PaymentKind.CLAWBACK:
        if amount >= 0:
            raise InvalidInput(
                "grant_clawback_amount", N_("Write the amount to claw back."), field="amount"
            )
        if current.paid + amount < 0:
            raise ClawbackTooLarge(current.paid)
        return
    if amount <= 0:
        raise InvalidInput("grant_payment_amount", N_("Write an amount above 0."), field="amount")
    if current.final_requested:
        raise FinalRequested()
    if current.standing + amount > current.granted:
        raise ExceedsTilsegn(current.remaining)


def _nok(amount: Decimal) -> str:
    whole, _, fraction = f"{amount.quantize(Decimal('0.01')):f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", "\u00a0")
    return grouped if fraction == "00" else f"{grouped},{fraction}"
