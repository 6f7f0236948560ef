"""The one step a project waits for, in PLP's order, and who may take it: without a database."""

from __future__ import annotations

from decimal import Decimal

import pytest

from services.projects.rules import (
    NextStep,
    ProjectState,
    ProjectStatus,
    StepTakers,
    SubProjectPhase,
    SubProjectState,
    next_step,
    step_takers,
)


def state(phase: str, status: str = "active") -> ProjectState:
    return ProjectState(SubProjectPhase(phase), ProjectStatus(status), Decimal(1))


@pytest.mark.parametrize(
    ("project", "current", "following_planned", "step"),
    [
        (state("forstudie"), SubProjectState.ACTIVE, False, NextStep.PLAN),
        (state("forstudie"), SubProjectState.ACTIVE, True, NextStep.CLOSE),
        (state("forstudie"), SubProjectState.CLOSED, True, NextStep.DECISION_POINT),
        (state("forstudie"), SubProjectState.CLOSED, False, NextStep.DECISION_POINT),
        (state("forstudie", "awaiting_decision"), SubProjectState.CLOSED, True, NextStep.DECIDE),
        (state("forstudie", "awaiting_decision"), SubProjectState.CLOSED, False, NextStep.DECIDE),
        (state("hovudprosjekt"), SubProjectState.ACTIVE, False, NextStep.PLAN),
        (state("drift"), SubProjectState.ACTIVE, False, NextStep.CLOSE),  # nothing to plan
        (state("drift", "closed"), SubProjectState.CLOSED, False, NextStep.NONE),
        (state("forprosjekt", "closed"), SubProjectState.CLOSED, True, NextStep.NONE),
    ],
)
def test_the_next_step_follows_plp(project, current, following_planned, step):
    assert next_step(project, current, following_planned) == step


def test_a_decision_is_the_owners_or_the_boards_by_delegation():
    assert step_takers(NextStep.DECIDE, False) == StepTakers.OWNER
    assert step_takers(NextStep.DECIDE, True) == StepTakers.OWNER_OR_BOARD


@pytest.mark.parametrize("step", [NextStep.PLAN, NextStep.CLOSE, NextStep.DECISION_POINT])
def test_the_work_between_decisions_is_the_planners(step):
    assert step_takers(step, True) == step_takers(step, False) == StepTakers.PLANNERS


def test_a_closed_project_waits_for_nobody():
    assert step_takers(NextStep.NONE, False) == StepTakers.NOBODY
