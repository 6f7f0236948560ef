"""What the programme use-cases take and give: msgspec Structs of plain values."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import msgspec

# A neighbour or a member of a programme: a municipality as tenancy shows it.
from services.tenancy.service import MunicipalityView


class StrategyAreaInput(msgspec.Struct, frozen=True):
    name_nb: str
    name_nn: str
    share: Decimal
    id: int | None = None  # given: rename or re-share that area; None: a new one


class GoalInput(msgspec.Struct, frozen=True):
    strategy_area_id: int
    goal: str
    measures: str = ""
    budget: Decimal = Decimal(0)


class ScoreInput(msgspec.Struct, frozen=True):
    strategy_area_id: int
    score: int  # 1 (weak) to 6 (excellent)
    comment: str = ""


class ProgrammeSummary(msgspec.Struct, frozen=True):
    id: int
    name: str
    kind: str
    period_start: int
    period_end: int
    stage: str
    total_budget: Decimal


class FundingLineView(msgspec.Struct, frozen=True):
    id: int
    source: str
    year: int
    amount: Decimal


class BoardMemberView(msgspec.Struct, frozen=True):
    id: int
    name: str
    seat: str
    person_id: int | None
    term_start: date
    term_end: date | None


class StrategyAreaView(msgspec.Struct, frozen=True):
    id: int
    position: int
    name_nb: str
    name_nn: str
    share: Decimal
    # The programme's funding of each year times the area's share.
    budget_by_year: dict[int, Decimal] = {}
    budget_total: Decimal = Decimal(0)


class GoalView(msgspec.Struct, frozen=True):
    id: int
    strategy_area_id: int
    goal: str
    measures: str
    budget: Decimal


class PlanStepView(msgspec.Struct, frozen=True):
    state: str
    recorded_by: str | None  # the person's name; None when Samspel itself took the step
    recorded_at: datetime


class ActionPlanView(msgspec.Struct, frozen=True):
    id: int
    year: int
    state: str
    goals: list[GoalView]
    # How it got where it is, oldest first; the states it may go to next.
    steps: list[PlanStepView] = []
    next_states: list[str] = []


class KpiView(msgspec.Struct, frozen=True):
    id: int
    code: str
    name: str
    unit: str
    baseline: Decimal
    standard: bool
    targets: dict[int, Decimal]
    latest_value: Decimal | None
    latest_measured_on: date | None
    latest_source: str | None
    # Share of the way from baseline to the target of the latest measurement's year
    # (rules.kpi_progress); None without a measurement or a target for that year.
    progress: Decimal | None


class MeasurementView(msgspec.Struct, frozen=True):
    id: int
    kpi_id: int
    measured_on: date
    value: Decimal
    source: str


class ScoreView(msgspec.Struct, frozen=True):
    strategy_area_id: int
    score: int
    comment: str


class AssessmentView(msgspec.Struct, frozen=True):
    id: int
    kind: str
    year: int
    assessor: str
    summary: str
    recommendations: str
    scores: list[ScoreView]


class ProgrammeOverview(ProgrammeSummary, frozen=True):
    """The programme on one page: its summary, and all that the page shows of it."""

    next_stages: list[str]
    budget_by_source: dict[str, Decimal]
    budget_by_year: dict[int, Decimal]
    funding_lines: list[FundingLineView]
    board: list[BoardMemberView]
    strategy_areas: list[StrategyAreaView]
    action_plans: list[ActionPlanView]
    kpis: list[KpiView]
    assessments: list[AssessmentView]
    # A regional programme's other municipalities (the owner is not among them).
    members: list[MunicipalityView] = []
