"""A programme's stages, action plan approvals, budget split and KPI progress, no database."""

from __future__ import annotations

from decimal import Decimal
from itertools import product

import pytest

from services.errors import Conflict, InvalidInput
from services.programmes.rules import (
    ActionPlanState,
    InvalidActionPlanTransition,
    InvalidStageTransition,
    ProgrammeStage,
    ShareNotPositive,
    SharesNotHundred,
    allowed_next_stages,
    board_is_balanced,
    check_action_plan_transition,
    check_stage_transition,
    kpi_progress,
    seat_balance,
    validate_strategy_shares,
)

Stage = ProgrammeStage
Plan = ActionPlanState

ALLOWED_STAGE_MOVES = {
    (Stage.AVKLARING, Stage.STRATEGI_OG_FORANKRING),
    (Stage.STRATEGI_OG_FORANKRING, Stage.GJENNOMFORING),
    (Stage.GJENNOMFORING, Stage.AVSLUTNING),
    (Stage.AVSLUTNING, Stage.VIDEREFOERING),
}

ALLOWED_PLAN_MOVES = {
    (Plan.DRAFT, Plan.BOARD_APPROVED),
    (Plan.BOARD_APPROVED, Plan.MUNICIPALITY_APPROVED),
    (Plan.BOARD_APPROVED, Plan.DRAFT),
    (Plan.MUNICIPALITY_APPROVED, Plan.COUNTY_GRANTED),
}

INDRE_NAMDAL_AREAS = {
    "Reiseliv og opplevingar": Decimal(30),
    "Landbruk og matforedling": Decimal(20),
    "Tre og industri": Decimal(20),
    "Helse og velferdsteknologi": Decimal(10),
    "Stadutvikling og rekruttering": Decimal(20),
}


def test_the_programme_stages_are_those_of_the_domain_in_order():
    assert [stage.value for stage in ProgrammeStage] == [
        "avklaring",
        "strategi_og_forankring",
        "gjennomforing",
        "avslutning",
        "viderefoering",
    ]


def test_the_action_plan_states_are_those_of_the_domain_in_order():
    assert [state.value for state in ActionPlanState] == [
        "draft",
        "board_approved",
        "municipality_approved",
        "county_granted",
    ]


@pytest.mark.parametrize(("current", "target"), sorted(ALLOWED_STAGE_MOVES))
def test_a_programme_moves_one_stage_forward(current, target):
    check_stage_transition(current, target)
    assert target in allowed_next_stages(current)


@pytest.mark.parametrize(
    ("current", "target"),
    [pair for pair in product(Stage, Stage) if pair not in ALLOWED_STAGE_MOVES],
)
def test_a_programme_never_skips_a_stage_stays_or_goes_back(current, target):
    with pytest.raises(InvalidStageTransition) as refused:
        check_stage_transition(current, target)
    assert refused.value.code == "programme_stage_transition_refused"
    assert (refused.value.current, refused.value.target) == (current, target)
    assert isinstance(refused.value, Conflict)
    assert target not in allowed_next_stages(current)


def test_viderefoering_is_the_last_stage():
    assert allowed_next_stages(Stage.VIDEREFOERING) == frozenset()


@pytest.mark.parametrize(("current", "target"), sorted(ALLOWED_PLAN_MOVES))
def test_an_action_plan_moves_through_its_approvals(current, target):
    check_action_plan_transition(current, target)


@pytest.mark.parametrize(
    ("current", "target"),
    [pair for pair in product(Plan, Plan) if pair not in ALLOWED_PLAN_MOVES],
)
def test_an_action_plan_refuses_every_other_move(current, target):
    with pytest.raises(InvalidActionPlanTransition) as refused:
        check_action_plan_transition(current, target)
    assert refused.value.code == "action_plan_transition_refused"


def test_the_board_may_send_its_approved_plan_back_to_draft():
    check_action_plan_transition(Plan.BOARD_APPROVED, Plan.DRAFT)


def test_a_plan_the_municipality_approved_cannot_go_back_to_draft():
    with pytest.raises(InvalidActionPlanTransition):
        check_action_plan_transition(Plan.MUNICIPALITY_APPROVED, Plan.DRAFT)


def test_the_indre_namdal_strategy_areas_make_100_percent():
    validate_strategy_shares(INDRE_NAMDAL_AREAS)


def test_shares_with_decimals_that_make_exactly_100_are_accepted():
    validate_strategy_shares({"A": Decimal("33.33"), "B": Decimal("33.33"), "C": Decimal("33.34")})


def test_shares_that_miss_100_by_half_a_percent_are_refused_with_their_sum():
    areas = dict(INDRE_NAMDAL_AREAS, **{"Tre og industri": Decimal("19.5")})
    with pytest.raises(SharesNotHundred) as refused:
        validate_strategy_shares(areas)
    assert refused.value.code == "strategy_shares_not_100"
    assert refused.value.total == Decimal("99.5")
    assert "99.5 %" in str(refused.value)
    assert isinstance(refused.value, InvalidInput)


def test_shares_above_100_are_refused():
    with pytest.raises(SharesNotHundred) as refused:
        validate_strategy_shares({"A": Decimal(60), "B": Decimal(41)})
    assert refused.value.total == Decimal(101)


def test_a_programme_without_strategy_areas_has_no_valid_split():
    with pytest.raises(SharesNotHundred) as refused:
        validate_strategy_shares({})
    assert refused.value.total == 0


@pytest.mark.parametrize("share", [Decimal(0), Decimal(-10), Decimal("NaN")])
def test_a_strategy_area_without_a_positive_share_is_named_in_the_refusal(share):
    with pytest.raises(ShareNotPositive) as refused:
        validate_strategy_shares({"A": Decimal(100), "B": share})
    assert refused.value.code == "strategy_share_not_positive"
    assert refused.value.areas == ["B"]


@pytest.mark.parametrize(
    ("baseline", "target", "measured", "progress"),
    [
        (0, 120, 60, Decimal("0.5")),
        (0, 120, 0, Decimal(0)),
        (0, 120, 120, Decimal(1)),
        (10, 30, 40, Decimal("1.5")),
        (10, 30, 5, Decimal("-0.25")),
        (Decimal("8.0"), Decimal("6.0"), Decimal("7.0"), Decimal("0.5")),
    ],
    ids=["halfway", "nothing", "reached", "beaten", "backwards", "aiming_down"],
)
def test_kpi_progress_is_the_share_of_the_way_from_baseline_to_target(
    baseline, target, measured, progress
):
    assert kpi_progress(baseline, target, measured) == progress


@pytest.mark.parametrize(
    ("measured", "progress"), [(25, Decimal(1)), (30, Decimal(1)), (24, Decimal(0))]
)
def test_a_kpi_whose_target_is_its_baseline_is_reached_while_it_holds(measured, progress):
    assert kpi_progress(25, 25, measured) == progress


def test_the_board_counts_two_politicians_and_three_from_business_and_not_observers():
    seats = ["politician", "business", "business", "observer"]
    assert seat_balance(seats) == {"politician": (1, 2), "business": (2, 3)}
    assert not board_is_balanced(seats)
    assert board_is_balanced(["politician"] * 2 + ["business"] * 3 + ["observer"])
