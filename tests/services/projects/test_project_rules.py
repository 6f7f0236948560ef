"""PLP without a database: starting phases, decision points, sub-projects, regional cost shares."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import chain, combinations, product

import pytest

from services.errors import Conflict, InvalidInput
from services.projects.rules import (
    ClosingReportRequired,
    CostShareNotPositive,
    CostSharesNotHundred,
    DecisionOutcome,
    InvalidBudget,
    InvalidStartingPhase,
    InvalidSubProjectTransition,
    LeadWithoutShare,
    NoPhaseAfterDrift,
    NotAtDecisionPoint,
    ProjectClosed,
    ProjectRole,
    ProjectState,
    ProjectStatus,
    SubProjectNotRunning,
    SubProjectPhase,
    SubProjectState,
    apply_decision,
    check_starting_phase,
    check_subproject_transition,
    is_overdue,
    may_record_decision,
    next_phase,
    reach_decision_point,
    start_project,
    validate_cost_shares,
)

Phase = SubProjectPhase
Status = ProjectStatus
Outcome = DecisionOutcome
Role = ProjectRole
Sub = SubProjectState

FOLLOWS = [
    (Phase.FORSTUDIE, Phase.FORPROSJEKT),
    (Phase.FORPROSJEKT, Phase.HOVUDPROSJEKT),
    (Phase.HOVUDPROSJEKT, Phase.DRIFT),
]
GOES = [Outcome.GO, Outcome.GO_WITH_CONDITIONS]
OPEN_STATUSES = [Status.ACTIVE, Status.AWAITING_DECISION]
BUDGET = Decimal("350000")
NEW_BUDGET = Decimal("900000")

ALL_ROLE_SETS = [
    frozenset(roles)
    for roles in chain.from_iterable(combinations(Role, size) for size in range(len(Role) + 1))
]

KOMPETANSELOFT_INDUSTRI = {
    "5045": Decimal(40),
    "5044": Decimal(20),
    "5043": Decimal(20),
    "5042": Decimal(20),
}


def at(phase, status=Status.AWAITING_DECISION, budget=BUDGET):
    return ProjectState(phase=phase, status=status, approved_budget=budget)


def test_the_sub_projects_are_those_of_plp_in_order():
    assert [phase.value for phase in SubProjectPhase] == [
        "forstudie",
        "forprosjekt",
        "hovudprosjekt",
        "drift",
    ]


def test_the_decision_outcomes_are_those_of_plp():
    assert {outcome.value for outcome in DecisionOutcome} == {
        "go",
        "go_with_conditions",
        "revise",
        "stop",
    }


def test_the_project_and_sub_project_states_are_the_known_ones():
    assert [status.value for status in ProjectStatus] == ["active", "awaiting_decision", "closed"]
    assert [state.value for state in SubProjectState] == ["planned", "active", "closed"]


@pytest.mark.parametrize(("phase", "following"), [*FOLLOWS, (Phase.DRIFT, None)])
def test_each_sub_project_has_its_successor_and_drift_is_last(phase, following):
    assert next_phase(phase) == following


@pytest.mark.parametrize("phase", [Phase.FORSTUDIE, Phase.FORPROSJEKT])
def test_a_project_starts_at_forstudie_or_as_a_mature_idea_at_forprosjekt(phase):
    check_starting_phase(phase)
    assert start_project(phase, BUDGET) == ProjectState(phase, Status.ACTIVE, BUDGET)


@pytest.mark.parametrize("phase", [Phase.HOVUDPROSJEKT, Phase.DRIFT])
def test_a_project_cannot_start_at_hovudprosjekt_or_drift(phase):
    with pytest.raises(InvalidStartingPhase) as refused:
        start_project(phase, BUDGET)
    assert refused.value.code == "project_starting_phase_invalid"
    assert isinstance(refused.value, InvalidInput)


@pytest.mark.parametrize("budget", [None, Decimal(-1), Decimal("NaN")])
def test_a_project_cannot_start_without_a_budget_of_zero_or_more(budget):
    with pytest.raises(InvalidBudget) as refused:
        start_project(Phase.FORSTUDIE, budget)
    assert refused.value.code == "project_budget_invalid"


@pytest.mark.parametrize(("roles", "delegated"), list(product(ALL_ROLE_SETS, [False, True])))
def test_only_the_owner_or_the_board_by_delegation_records_a_decision(roles, delegated):
    expected = Role.PROSJEKTEIGAR in roles or (delegated and Role.PROGRAMSTYRE in roles)
    assert may_record_decision(roles, delegated) is expected


@pytest.mark.parametrize("delegated", [False, True])
def test_the_project_owner_records_a_decision_with_or_without_delegation(delegated):
    assert may_record_decision({"prosjekteigar"}, delegated) is True


def test_the_board_records_a_decision_only_when_the_owner_delegated_it():
    assert may_record_decision({"programstyre"}, delegated_to_board=False) is False
    assert may_record_decision({"programstyre"}, delegated_to_board=True) is True


@pytest.mark.parametrize("role", ["prosjektansvarleg", "prosjektleiar", "styringsgruppe"])
def test_sponsor_manager_and_steering_group_never_record_a_decision(role):
    assert may_record_decision({role}, delegated_to_board=True) is False


def test_someone_without_a_project_role_never_records_a_decision():
    assert may_record_decision(set(), delegated_to_board=True) is False


@pytest.mark.parametrize(
    ("phase", "following", "outcome"), [(*pair, outcome) for pair in FOLLOWS for outcome in GOES]
)
def test_a_go_starts_the_next_sub_project_and_approves_its_budget(phase, following, outcome):
    after = apply_decision(at(phase), outcome, NEW_BUDGET)
    assert after == ProjectState(following, Status.ACTIVE, NEW_BUDGET)


def test_a_go_after_hovudprosjekt_puts_the_project_in_drift():
    after = apply_decision(at(Phase.HOVUDPROSJEKT), Outcome.GO, Decimal(0))
    assert after.phase == Phase.DRIFT


@pytest.mark.parametrize("phase", list(Phase))
def test_a_revise_keeps_the_sub_project_awaiting_a_new_decision(phase):
    assert apply_decision(at(phase), Outcome.REVISE) == at(phase)


@pytest.mark.parametrize(("phase", "status"), list(product(Phase, OPEN_STATUSES)))
def test_a_stop_closes_the_project_wherever_it_stands(phase, status):
    after = apply_decision(at(phase, status), Outcome.STOP)
    assert after == ProjectState(phase, Status.CLOSED, BUDGET)


@pytest.mark.parametrize(("phase", "outcome"), list(product(Phase, Outcome)))
def test_a_closed_project_takes_no_decision(phase, outcome):
    with pytest.raises(ProjectClosed) as refused:
        apply_decision(at(phase, Status.CLOSED), outcome, NEW_BUDGET)
    assert refused.value.code == "project_closed"
    assert isinstance(refused.value, Conflict)


@pytest.mark.parametrize(
    ("phase", "outcome"),
    list(product(Phase, [Outcome.GO, Outcome.GO_WITH_CONDITIONS, Outcome.REVISE])),
)
def test_no_sub_project_starts_or_is_revised_before_its_decision_point(phase, outcome):
    with pytest.raises(NotAtDecisionPoint) as refused:
        apply_decision(at(phase, Status.ACTIVE), outcome, NEW_BUDGET)
    assert refused.value.code == "project_not_at_decision_point"


@pytest.mark.parametrize("outcome", GOES)
def test_there_is_no_go_after_drift(outcome):
    with pytest.raises(NoPhaseAfterDrift) as refused:
        apply_decision(at(Phase.DRIFT), outcome, NEW_BUDGET)
    assert refused.value.code == "project_no_phase_after_drift"


@pytest.mark.parametrize("budget", [None, Decimal("-0.01")])
def test_a_go_without_a_budget_of_zero_or_more_is_refused(budget):
    with pytest.raises(InvalidBudget):
        apply_decision(at(Phase.FORSTUDIE), Outcome.GO, budget)


def test_the_lierne_royrvik_forstudie_goes_all_the_way_to_drift_one_go_at_a_time():
    state = start_project(Phase.FORSTUDIE, Decimal(350_000))
    for budget in (Decimal(900_000), Decimal(6_500_000), Decimal(0)):
        state = apply_decision(reach_decision_point(state), Outcome.GO, budget)
    assert state == ProjectState(Phase.DRIFT, Status.ACTIVE, Decimal(0))


@pytest.mark.parametrize(("phase", "following"), FOLLOWS)
def test_a_running_sub_project_reaches_its_decision_point(phase, following):
    assert reach_decision_point(at(phase, Status.ACTIVE)) == at(phase)


def test_drift_has_no_decision_point_after_it():
    with pytest.raises(NoPhaseAfterDrift):
        reach_decision_point(at(Phase.DRIFT, Status.ACTIVE))


@pytest.mark.parametrize("phase", list(Phase))
def test_a_project_already_at_its_decision_point_does_not_reach_it_again(phase):
    with pytest.raises(SubProjectNotRunning) as refused:
        reach_decision_point(at(phase))
    assert refused.value.code == "project_not_running"


@pytest.mark.parametrize("phase", list(Phase))
def test_a_closed_project_reaches_no_decision_point(phase):
    with pytest.raises(ProjectClosed):
        reach_decision_point(at(phase, Status.CLOSED))


SUB_MOVES = {(Sub.PLANNED, Sub.ACTIVE), (Sub.ACTIVE, Sub.CLOSED)}


@pytest.mark.parametrize(("current", "target"), sorted(SUB_MOVES))
def test_a_sub_project_is_planned_then_active_then_closed_with_its_report(current, target):
    check_subproject_transition(current, target, has_closing_report=True)


@pytest.mark.parametrize(
    ("current", "target", "has_report"),
    [(*pair, report) for pair in product(Sub, Sub) if pair not in SUB_MOVES for report in (0, 1)],
)
def test_a_sub_project_refuses_every_other_move(current, target, has_report):
    with pytest.raises(InvalidSubProjectTransition) as refused:
        check_subproject_transition(current, target, has_closing_report=bool(has_report))
    assert refused.value.code == "subproject_transition_refused"


def test_a_sub_project_starts_without_a_closing_report():
    check_subproject_transition(Sub.PLANNED, Sub.ACTIVE)


def test_a_sub_project_is_not_closed_without_its_closing_report():
    with pytest.raises(ClosingReportRequired) as refused:
        check_subproject_transition(Sub.ACTIVE, Sub.CLOSED, has_closing_report=False)
    assert refused.value.code == "subproject_closing_report_required"


def test_kompetanseloft_industri_shares_its_cost_grong_40_and_three_times_20():
    validate_cost_shares(KOMPETANSELOFT_INDUSTRI, lead_municipality="5045")


def test_cost_shares_that_make_90_percent_are_refused_with_their_sum():
    shares = dict(KOMPETANSELOFT_INDUSTRI, **{"5045": Decimal(30)})
    with pytest.raises(CostSharesNotHundred) as refused:
        validate_cost_shares(shares, lead_municipality="5045")
    assert refused.value.code == "cost_shares_not_100"
    assert refused.value.total == Decimal(90)
    assert "90 %" in str(refused.value)


def test_a_participant_paying_nothing_is_named_in_the_refusal():
    shares = {"5045": Decimal(100), "5044": Decimal(0)}
    with pytest.raises(CostShareNotPositive) as refused:
        validate_cost_shares(shares, lead_municipality="5045")
    assert refused.value.municipalities == ["5044"]


def test_the_lead_municipality_carries_a_share_of_the_cost():
    with pytest.raises(LeadWithoutShare) as refused:
        validate_cost_shares(KOMPETANSELOFT_INDUSTRI, lead_municipality="5035")
    assert refused.value.code == "lead_municipality_without_share"


@pytest.mark.parametrize(
    ("today", "decided", "overdue"),
    [
        (date(2025, 6, 1), False, False),
        (date(2025, 6, 2), False, False),
        (date(2025, 6, 3), False, True),
        (date(2025, 6, 3), True, False),
    ],
    ids=["before", "on_the_due_date", "the_day_after", "decided_late"],
)
def test_a_decision_point_is_overdue_from_the_day_after_its_due_date_until_decided(
    today, decided, overdue
):
    assert is_overdue(date(2025, 6, 2), today, decided) is overdue
