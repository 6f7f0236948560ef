"""A programme's pure rules: stage and action-plan transitions, budget split, KPI progress."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum

from services.errors import N_, InvalidInput, TransitionRefused

HUNDRED = Decimal(100)

# The KPIs every programme starts with, by code: the ones a project's status report and a
# grant's report give effects on, and the dashboards count. Their names are msgids.
STANDARD_KPIS: Mapping[str, str] = {
    "new_jobs": N_("New jobs"),
    "secured_jobs": N_("Secured jobs"),
    "new_businesses": N_("New businesses"),
}


class ProgrammeStage(StrEnum):
    AVKLARING = "avklaring"
    STRATEGI_OG_FORANKRING = "strategi_og_forankring"
    GJENNOMFORING = "gjennomforing"
    AVSLUTNING = "avslutning"
    VIDEREFOERING = "viderefoering"


# One step forward at a time, never back: a programme that needs another round of
# avklaring is a new programme. Avslutning may be the end; vidareføring always is.
_STAGES = list(ProgrammeStage)
STAGE_TRANSITIONS: Mapping[ProgrammeStage, frozenset[ProgrammeStage]] = {
    stage: frozenset(_STAGES[i + 1 : i + 2]) for i, stage in enumerate(_STAGES)
}


class ActionPlanState(StrEnum):
    DRAFT = "draft"
    BOARD_APPROVED = "board_approved"
    MUNICIPALITY_APPROVED = "municipality_approved"
    COUNTY_GRANTED = "county_granted"


# The board may take its approval back (to draft) until the municipality has approved the
# plan. After that the plan is a political resolution the county grants against, so a
# change is a new revision of the plan, not a step back of this one.
ACTION_PLAN_TRANSITIONS: Mapping[ActionPlanState, frozenset[ActionPlanState]] = {
    ActionPlanState.DRAFT: frozenset({ActionPlanState.BOARD_APPROVED}),
    ActionPlanState.BOARD_APPROVED: frozenset(
        {ActionPlanState.MUNICIPALITY_APPROVED, ActionPlanState.DRAFT}
    ),
    ActionPlanState.MUNICIPALITY_APPROVED: frozenset({ActionPlanState.COUNTY_GRANTED}),
    ActionPlanState.COUNTY_GRANTED: frozenset(),
}


# The names a reader sees for the codes (pages and refusals alike).
STAGE_NAMES = {
    "avklaring": N_("Clarification"),
    "strategi_og_forankring": N_("Strategy and anchoring"),
    "gjennomforing": N_("Implementation"),
    "avslutning": N_("Closing"),
    "viderefoering": N_("Continuation"),
}

PLAN_STATE_NAMES = {
    "draft": N_("Draft"),
    "board_approved": N_("Approved by the board"),
    "municipality_approved": N_("Approved by the municipality"),
    "county_granted": N_("Granted by the county"),
}


class InvalidStageTransition(TransitionRefused):
    def __init__(self, current: ProgrammeStage, target: ProgrammeStage) -> None:
        super().__init__(
            "programme_stage_transition_refused",
            N_("A programme cannot go from %(current)s to %(target)s."),
            current,
            target,
            STAGE_NAMES,
            field="stage",
        )


class InvalidActionPlanTransition(TransitionRefused):
    def __init__(self, current: ActionPlanState, target: ActionPlanState) -> None:
        super().__init__(
            "action_plan_transition_refused",
            N_("An action plan cannot go from %(current)s to %(target)s."),
            current,
            target,
            PLAN_STATE_NAMES,
        )


class ShareNotPositive(InvalidInput):
    def __init__(self, areas: list[str]) -> None:
        super().__init__(
            "strategy_share_not_positive",
            N_("Every strategy area needs a share above 0 %%: %(areas)s."),
            field="shares",
            values={"areas": ", ".join(areas)},
        )
        self.areas = areas


class SharesNotHundred(InvalidInput):
    def __init__(self, total: Decimal) -> None:
        super().__init__(
            "strategy_shares_not_100",
            N_("The strategy areas' shares sum to %(total)s %%, not 100 %%."),
            field="shares",
            values={"total": total},  # written with the reader's decimal mark
        )
        self.total = total


# The board the method asks for: two seats for politicians, three for business; observers
# (the county, say) come on top and do not count.
BOARD_SEATS_WANTED: Mapping[str, int] = {"politician": 2, "business": 3}


def seat_balance(seats: list[str]) -> dict[str, tuple[int, int]]:
    """{seat: (held, wanted)} for the seats the method counts; the page flags what is off."""
    return {seat: (seats.count(seat), wanted) for seat, wanted in BOARD_SEATS_WANTED.items()}


def board_is_balanced(seats: list[str]) -> bool:
    return all(held == wanted for held, wanted in seat_balance(seats).values())


def allowed_next_stages(stage: ProgrammeStage) -> frozenset[ProgrammeStage]:
    return STAGE_TRANSITIONS[stage]


def check_stage_transition(current: ProgrammeStage, target: ProgrammeStage) -> None:
    if target not in STAGE_TRANSITIONS[current]:
        raise InvalidStageTransition(current, target)


def allowed_plan_steps(state: ActionPlanState) -> frozenset[ActionPlanState]:
    return ACTION_PLAN_TRANSITIONS[state]


def check_action_plan_transition(current: ActionPlanState, target: ActionPlanState) -> None:
    if target not in ACTION_PLAN_TRANSITIONS[current]:
        raise InvalidActionPlanTransition(current, target)


def validate_strategy_shares(shares: Mapping[str, Decimal]) -> None:
    """Each strategy area's budget share, in per cent, is above 0 and together they make 100."""
    shares = {area: Decimal(share) for area, share in shares.items()}
    not_positive = [area for area, share in shares.items() if not _positive(share)]
    if not_positive:
        raise ShareNotPositive(not_positive)
    total = sum(shares.values(), Decimal(0))
    if total != HUNDRED:
        raise SharesNotHundred(total)


def kpi_progress(
    baseline: Decimal | int, target: Decimal | int, measured: Decimal | int
) -> Decimal:
    """The share (1 = reached) of the way from baseline to this year's target.

    Not clamped: 1.5 is a target beaten by half, a negative share a step back. A KPI may
    aim down as well as up. With nothing to gain (target == baseline) the target is reached
    as long as the measured value has not fallen below it.
    """
    baseline, target, measured = Decimal(baseline), Decimal(target), Decimal(measured)
    if target == baseline:
        return Decimal(1) if measured >= target else Decimal(0)
    return (measured - baseline) / (target - baseline)


def _positive(share: Decimal) -> bool:
    return share.is_finite() and share > 0
