"""The reads: the programme list and one programme's overview (money, board, plans, KPIs, scores)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import TypeVar

from services.programmes.rules import (
    ActionPlanState,
    ProgrammeStage,
    allowed_next_stages,
    allowed_plan_steps,
    kpi_progress,
)
from services.programmes.schemas import (
    ActionPlanView,
    AssessmentView,
    BoardMemberView,
    FundingLineView,
    GoalView,
    KpiView,
    MunicipalityView,
    PlanStepView,
    ProgrammeOverview,
    ProgrammeSummary,
    ScoreView,
    StrategyAreaView,
)
from services.programmes.service._common import (
    programme_row,
    programme_rows,
    strategy_areas,
)
from services.programmes.tables import (
    ActionPlan,
    BoardMember,
    FundingLine,
    Programme,
    StatusAssessment,
)
from tenants.context import connection, fetch_structs
from tenants.rows import tenant

T = TypeVar("T")


async def list_programmes() -> list[ProgrammeSummary]:
    return await fetch_structs(
        ProgrammeSummary,
        "select p.id, p.name, p.kind, p.period_start, p.period_end, p.stage,"
        " coalesce((select sum(f.amount) from funding_line f where f.tenant_id = p.tenant_id"
        " and f.programme_id = p.id), 0) as total_budget"
        " from programme p where p.tenant_id = app_tenant_id() order by p.period_start desc, p.name",
    )


async def programme_id_by_name(name: str) -> int | None:
    row = (
        await Programme.select(Programme.id)
        .where((Programme.tenant_id == tenant()) & (Programme.name == name))
        .first()
    )
    return row["id"] if row else None


async def programme_overview(programme_id: int) -> ProgrammeOverview:
    """The programme on one page: money by source, year and strategy area; KPIs against targets."""
    programme = await programme_row(programme_id)
    lines = await _funding_lines(programme_id)
    by_source: dict[str, Decimal] = defaultdict(Decimal)
    by_year: dict[int, Decimal] = defaultdict(Decimal)
    for line in lines:
        by_source[line.source] += line.amount
        by_year[line.year] += line.amount
    total = sum(by_year.values(), Decimal(0))
    areas = await _areas_with_budget(programme_id, by_year, total)
    return ProgrammeOverview(
        id=programme_id,
        name=programme["name"],
        kind=programme["kind"],
        period_start=programme["period_start"],
        period_end=programme["period_end"],
        stage=programme["stage"],
        next_stages=sorted(
            s.value for s in allowed_next_stages(ProgrammeStage(programme["stage"]))
        ),
        total_budget=total,
        budget_by_source=dict(by_source),
        budget_by_year=dict(sorted(by_year.items())),
        funding_lines=lines,
        board=await _board(programme_id),
        strategy_areas=areas,
        action_plans=await _action_plans(programme_id),
        kpis=await _kpis(programme_id),
        assessments=await _assessments(programme_id),
        members=await _members(programme_id),
    )


async def _members(programme_id: int) -> list[MunicipalityView]:
    return await fetch_structs(
        MunicipalityView,
        "select m.id, m.kommunenummer, m.name, m.maalform from programme_member pm"
        " join municipality m on m.id = pm.municipality_id"
        " where pm.tenant_id = app_tenant_id() and pm.programme_id = $1 order by m.name",
        programme_id,
    )


async def _funding_lines(programme_id: int) -> list[FundingLineView]:
    rows = await programme_rows(
        FundingLine, FundingLineView, programme_id, FundingLine.year, FundingLine.source
    )
    return [FundingLineView(**r) for r in rows]


async def _areas_with_budget(
    programme_id: int, by_year: dict[int, Decimal], total: Decimal
) -> list[StrategyAreaView]:
    """The strategy areas, each with its share of the money per year and in all."""
    return [
        StrategyAreaView(
            id=a.id,
            position=a.position,
            name_nb=a.name_nb,
            name_nn=a.name_nn,
            share=a.share,
            budget_by_year={y: _share_of(amount, a.share) for y, amount in sorted(by_year.items())},
            budget_total=_share_of(total, a.share),
        )
        for a in await strategy_areas(programme_id)
    ]


def _share_of(amount: Decimal, share: Decimal) -> Decimal:
    return (amount * share / 100).quantize(Decimal("0.01"))


async def _board(programme_id: int) -> list[BoardMemberView]:
    rows = await programme_rows(
        BoardMember, BoardMemberView, programme_id, BoardMember.seat, BoardMember.name
    )
    return [BoardMemberView(**r) for r in rows]


async def _by_parent(view: type[T], parent: str, sql: str, *args) -> dict[int, list[T]]:
    """The child rows a query finds, as views grouped by their parent's id (the `parent` column,
    left out of the view)."""
    grouped: dict[int, list[T]] = defaultdict(list)
    for r in await connection().fetch(sql, *args):
        values = dict(r)
        grouped[values.pop(parent)].append(view(**values))
    return grouped


async def _action_plans(programme_id: int) -> list[ActionPlanView]:
    goals = await _by_parent(
        GoalView,
        "action_plan_id",
        "select g.action_plan_id, g.id, g.strategy_area_id, g.goal, g.measures, g.budget"
        " from action_plan_goal g join action_plan a on a.tenant_id = g.tenant_id"
        " and a.id = g.action_plan_id where g.tenant_id = app_tenant_id() and a.programme_id = $1"
        " order by g.id",
        programme_id,
    )
    # The person who took a step is named while they are still a member here (RLS on person).
    steps = await _by_parent(
        PlanStepView,
        "action_plan_id",
        "select s.action_plan_id, s.state, p.name as recorded_by, s.recorded_at"
        " from action_plan_step s join action_plan a on a.tenant_id = s.tenant_id"
        " and a.id = s.action_plan_id left join person p on p.id = s.recorded_by"
        " where s.tenant_id = app_tenant_id() and a.programme_id = $1"
        " order by s.recorded_at, s.id",
        programme_id,
    )
    plans = await programme_rows(ActionPlan, ActionPlanView, programme_id, ActionPlan.year)
    return [
        ActionPlanView(
            **r,
            goals=goals[r["id"]],
            steps=steps[r["id"]],
            next_states=sorted(s.value for s in allowed_plan_steps(ActionPlanState(r["state"]))),
        )
        for r in plans
    ]


async def _kpis(programme_id: int) -> list[KpiView]:
    db = connection()
    targets: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for r in await db.fetch(
        "select t.kpi_id, t.year, t.target from kpi_target t join kpi k on k.tenant_id = t.tenant_id"
        " and k.id = t.kpi_id where t.tenant_id = app_tenant_id() and k.programme_id = $1"
        " order by t.year",
        programme_id,
    ):
        targets[r["kpi_id"]][r["year"]] = r["target"]
    rows = await db.fetch(
        "select k.id, k.code, k.name, k.unit, k.baseline, k.standard, m.value as latest_value,"
        " m.measured_on as latest_measured_on, m.source as latest_source"
        " from kpi k left join lateral (select value, measured_on, source"
        " from kpi_measurement m where m.tenant_id = k.tenant_id and m.kpi_id = k.id"
        " order by measured_on desc, id desc limit 1) m on true"
        " where k.tenant_id = app_tenant_id() and k.programme_id = $1"
        " order by not k.standard, k.id",
        programme_id,
    )
    views = []
    for r in rows:
        kpi_targets = targets[r["id"]]
        value, measured_on = r["latest_value"], r["latest_measured_on"]
        progress = None
        if value is not None and measured_on.year in kpi_targets:
            progress = kpi_progress(r["baseline"], kpi_targets[measured_on.year], value)
        views.append(KpiView(**dict(r), targets=kpi_targets, progress=progress))
    return views


async def _assessments(programme_id: int) -> list[AssessmentView]:
    scores = await _by_parent(
        ScoreView,
        "assessment_id",
        "select s.assessment_id, s.strategy_area_id, s.score, s.comment from assessment_score s"
        " join status_assessment a on a.tenant_id = s.tenant_id and a.id = s.assessment_id"
        " where s.tenant_id = app_tenant_id() and a.programme_id = $1",
        programme_id,
    )
    assessments = await programme_rows(
        StatusAssessment,
        AssessmentView,
        programme_id,
        StatusAssessment.year,
        StatusAssessment.kind,
    )
    return [AssessmentView(**r, scores=scores[r["id"]]) for r in assessments]
