"""The pure rules of a tilsegn (a granted application's commitment) and its own lifecycle:

    active → part_paid (a part payment is paid) → final_requested (the final payment with its
    final report) → settled (the final payment is paid)
    final_requested → active | part_paid (the final payment is rejected: back to where it was)
    active → withdrawn (the organisation gives the tilsegn up before anything is paid)
    active | part_paid → cancelled (the municipality cancels it: the conditions are not met)
    part_paid | settled | cancelled → clawed_back (the municipality claws money back)

The database's guard (0005_tilsegn.sql) holds the same steps; a test holds the two to the same
list. Only an open tilsegn takes new payment requests and reports."""

from __future__ import annotations

from enum import StrEnum

from services.errors import N_, Conflict
from services.grants.payments import FinalRequested


class TilsegnState(StrEnum):
    ACTIVE = "active"
    PART_PAID = "part_paid"
    FINAL_REQUESTED = "final_requested"
    SETTLED = "settled"
    WITHDRAWN = "withdrawn"
    CANCELLED = "cancelled"
    CLAWED_BACK = "clawed_back"


T = TilsegnState
# Every step a tilsegn may take; the database's guard holds the same list.
STEPS = frozenset(
    {
        (T.ACTIVE, T.PART_PAID),
        (T.ACTIVE, T.FINAL_REQUESTED),
        (T.PART_PAID, T.FINAL_REQUESTED),
        (T.FINAL_REQUESTED, T.ACTIVE),
        (T.FINAL_REQUESTED, T.PART_PAID),
        (T.FINAL_REQUESTED, T.SETTLED),
        (T.ACTIVE, T.WITHDRAWN),
        (T.ACTIVE, T.CANCELLED),
        (T.PART_PAID, T.CANCELLED),
        (T.PART_PAID, T.CLAWED_BACK),
        (T.SETTLED, T.CLAWED_BACK),
        (T.CANCELLED, T.CLAWED_BACK),
    }
)
# Where the organisation may still request a part or the final payment, and send a report.
OPEN = frozenset({T.ACTIVE, T.PART_PAID})
# Where a tilsegn's life has ended: nothing more is requested or reported.
CLOSED = frozenset({T.SETTLED, T.WITHDRAWN, T.CANCELLED, T.CLAWED_BACK})
# Where a clawback may be recorded (money has been paid and nothing waits for a decision).
CLAWBACK_FROM = frozenset({T.PART_PAID, T.SETTLED, T.CANCELLED, T.CLAWED_BACK})


def may_move(current: str, wanted: str) -> bool:
    return (current, wanted) in STEPS


class TilsegnClosed(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "grant_tilsegn_closed",
            N_("The tilsegn is closed: it takes no more payment requests or reports."),
        )


class TilsegnStep(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "grant_tilsegn_step",
            N_("The tilsegn is no longer at the step this was meant for."),
        )


def check_open(state: str) -> None:
    """A payment request or a report goes only to an open tilsegn."""
    if state == T.FINAL_REQUESTED:
        raise FinalRequested()
    if state not in OPEN:
        raise TilsegnClosed()


class NoClawbackNow(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "grant_clawback_not_now",
            N_("A clawback is recorded once money has been paid and no final payment waits."),
        )


class FinalReportAlone(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "grant_final_report_alone",
            N_("The final report is sent with the final payment: request the final payment."),
        )


def check_step(current: str, wanted: str) -> None:
    if not may_move(current, wanted):
        raise TilsegnStep()


def check_clawback(state: str) -> None:
    if state not in CLAWBACK_FROM:
        raise NoClawbackNow()
