"""What the PLP project use-cases take and give: msgspec Structs of plain values."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import msgspec


class SteeringMemberInput(msgspec.Struct, frozen=True):
    name: str
    represents: str = ""
    person_id: int | None = None


class NewProject(msgspec.Struct, frozen=True):
    """A funded project: its first sub-project starts at once, the funding being its first go."""

    title: str
    phase: str  # forstudie, or forprosjekt for a mature idea
    budget: Decimal  # approved for the first sub-project
    decided_on: date  # the funding decision's date
    owner_person_id: int | None = None
    owner_name: str = ""  # taken from the person when empty
    sponsor_person_id: int | None = None
    sponsor_name: str = ""
    manager_person_id: int | None = None
    manager_name: str = ""
    description: str = ""
    programme_id: int | None = None
    strategy_area_id: int | None = None
    mandate: str = ""
    plan: str = ""
    period_start: date | None = None
    period_end: date | None = None
    funding_basis: str = ""
    decisions_delegated_to_board: bool = False
    steering_group: list[SteeringMemberInput] = []
    # A regional project: kommunenummer -> cost share in per cent, the lead included.
    cost_shares: dict[str, Decimal] = {}


class StatusReportInput(msgspec.Struct, frozen=True):
    period_start: date
    period_end: date
    progress: str
    spent: Decimal
    planned: Decimal
    risks: str = ""
    kpi_contributions: dict[str, Decimal] = {}  # KPI code -> contribution in the period


class ProjectSummary(msgspec.Struct, frozen=True):
    id: int
    lead_municipality_id: int
    lead_kommunenummer: str
    lead_name: str
    title: str
    phase: str
    status: str
    approved_budget: Decimal
    programme_id: int | None
    strategy_area_id: int | None
    # The area's name in each written language: a page names it in its own (nn on nn pages).
    strategy_area_nb: str | None
    strategy_area_nn: str | None
    regional: bool
    region_id: int | None
    owner_name: str
    next_decision_due: date | None
    decision_overdue: bool

    def strategy_area(self, lang: str) -> str | None:
        return self.strategy_area_nn if lang == "nn" else self.strategy_area_nb


class SubProjectView(msgspec.Struct, frozen=True):
    id: int
    phase: str
    state: str
    mandate: str
    plan: str
    budget: Decimal
    approved_budget: Decimal | None
    period_start: date | None
    period_end: date | None
    closing_report: str | None


class DecisionPointView(msgspec.Struct, frozen=True):
    id: int
    project_id: int
    project_title: str
    after_phase: str | None
    next_phase: str | None
    due_date: date
    outcome: str | None
    conditions: str
    basis: str
    approved_budget: Decimal | None
    decided_on: date | None
    decided_by: int | None
    decided_as: str | None
    overdue: bool


class ParticipantView(msgspec.Struct, frozen=True):
    municipality_id: int
    kommunenummer: str
    name: str
    cost_share: Decimal
    lead: bool


class StatusReportView(msgspec.Struct, frozen=True):
    id: int
    sub_project_id: int
    phase: str
    period_start: date
    period_end: date
    progress: str
    spent: Decimal
    planned: Decimal
    risks: str
    kpi_contributions: dict[str, Decimal]
    reported_by_municipality: int
    reported_by: int | None
    created_at: datetime


class SteeringMemberView(msgspec.Struct, frozen=True):
    id: int
    name: str
    represents: str
    person_id: int | None


class DocumentView(msgspec.Struct, frozen=True):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str  # hex
    uploaded_at: datetime


class CommentView(msgspec.Struct, frozen=True):
    """The regional council's comment on one status report."""

    id: int
    status_report_id: int
    body: str
    author: str
    created_at: datetime


class ProjectDetail(msgspec.Struct, frozen=True):
    summary: ProjectSummary
    description: str
    owner_person_id: int | None
    sponsor_person_id: int | None
    sponsor_name: str
    manager_person_id: int | None
    manager_name: str
    decisions_delegated_to_board: bool
    closed_at: datetime | None
    # What this session may do here: "lead" (everything its role allows), "participant"
    # (read, status reports, documents) or "council" (read only).
    access: str
    steering_group: list[SteeringMemberView]
    participants: list[ParticipantView]
    sub_projects: list[SubProjectView]
    decision_points: list[DecisionPointView]
    status_reports: list[StatusReportView]
    documents: list[DocumentView]
    # The one step the project waits for (rules.NextStep) and who may take it (rules.StepTakers).
    next_step: str = "none"
    step_takers: str = "nobody"
    # The council's comments by status report id (a regional project's only).
    council_comments: dict[int, list[CommentView]] = {}


class MunicipalityChoice(msgspec.Struct, frozen=True):
    """A municipality that may take part in the session's regional projects."""

    kommunenummer: str
    name: str


class StrategyAreaChoice(msgspec.Struct, frozen=True):
    id: int
    programme_id: int
    programme_name: str
    name_nb: str
    name_nn: str
