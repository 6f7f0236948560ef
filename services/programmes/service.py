"""Use-cases of programmes: funding, board, strategy areas, action plans, KPIs, assessments.

Each runs inside the caller's tenant_tx() (the programme's municipality), never opens its
own, and appends what it changed to the tenant's audit chain in the same transaction.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

import asyncpg

from services.audit.service import record_change
from services.errors import N_, Conflict, InvalidInput, NotFound
from services.outbox.service import emit
from services.programmes.rules import (
    ActionPlanState,
    ProgrammeStage,
    allowed_next_stages,
    check_action_plan_transition,
    check_stage_transition,
    kpi_progress,
    validate_strategy_shares,
)
from services.programmes.schemas import (
    ActionPlanView,
    AssessmentView,
    BoardMemberView,
    FundingLineView,
    GoalInput,
    GoalView,
    KpiView,
    MeasurementView,
    ProgrammeOverview,
    ProgrammeSummary,
    ScoreInput,
    ScoreView,
    StrategyAreaInput,
    StrategyAreaView,
)
from tenants.context import connection

KINDS = ("omstilling", "naeringsutvikling")
FUNDING_SOURCES = ("county", "state", "municipality", "business", "other")
SEATS = ("politician", "business", "observer")
STANDARD_KPIS = (
    ("new_jobs", "Nye arbeidsplassar"),
    ("secured_jobs", "Sikra arbeidsplassar"),
    ("new_businesses", "Nye verksemder"),
)
_KPI_CODE_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_")


class ProgrammeNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("programme_not_found", N_("No such programme."))


def _text(value: str, field: str, limit: int = 300) -> str:
    value = value.strip()
    if not value or len(value) > limit:
        raise InvalidInput(f"{field}_required", N_("Fill in this field."), field=field)
    return value


def _amount(value: Decimal | int | str, field: str) -> Decimal:
    try:
        amount = Decimal(value)
    except ArithmeticError as error:
        raise InvalidInput(f"{field}_invalid", N_("Write an amount."), field=field) from error
    if not amount.is_finite() or amount < 0:
        raise InvalidInput(f"{field}_invalid", N_("Write an amount of 0 or more."), field=field)
    return amount


async def _programme(programme_id: int, *, lock: bool = False) -> asyncpg.Record:
    row = await connection().fetchrow(
        "select * from programme where tenant_id = app_tenant_id() and id = $1"
        + (" for update" if lock else ""),
        programme_id,
    )
    if row is None:
        raise ProgrammeNotFound()
    return row


def _check_year(programme: asyncpg.Record, year: int) -> None:
    if not programme["period_start"] <= year <= programme["period_end"]:
        raise InvalidInput(
            "year_outside_period", N_("The year is outside the programme's period."), field="year"
        )


async def create_programme(
    *, name: str, kind: str, period_start: int, period_end: int, actor_person_id: int | None
) -> int:
    """A new programme at stage avklaring, with the three standard KPIs; returns its id."""
    name = _text(name, "name")
    if kind not in KINDS:
        raise InvalidInput("programme_kind_invalid", N_("Choose a kind."), field="kind")
    if not (2000 <= period_start <= period_end <= 2100):
        raise InvalidInput(
            "programme_period_invalid",
            N_("The period ends in or after the year it starts."),
            field="period_end",
        )
    db = connection()
    if await db.fetchval(
        "select 1 from programme where tenant_id = app_tenant_id() and name = $1", name
    ):
        raise Conflict("programme_exists", N_("A programme with this name exists."), field="name")
    programme_id = await db.fetchval(
        "insert into programme (tenant_id, name, kind, period_start, period_end)"
        " values (app_tenant_id(), $1, $2, $3, $4) returning id",
        name,
        kind,
        period_start,
        period_end,
    )
    for code, kpi_name in STANDARD_KPIS:
        await db.execute(
            "insert into kpi (tenant_id, programme_id, code, name, standard)"
            " values (app_tenant_id(), $1, $2, $3, true)",
            programme_id,
            code,
            kpi_name,
        )
    await record_change(
        actor_person_id=actor_person_id,
        action="create",
        entity="programme",
        entity_id=programme_id,
        new_values={"name": name, "kind": kind, "period": [period_start, period_end]},
    )
    return programme_id


async def move_programme_stage(
    programme_id: int, stage: str, *, actor_person_id: int | None
) -> None:
    programme = await _programme(programme_id, lock=True)
    current = ProgrammeStage(programme["stage"])
    try:
        target = ProgrammeStage(stage)
    except ValueError as error:
        raise InvalidInput("stage_invalid", N_("Choose a stage."), field="stage") from error
    check_stage_transition(current, target)
    await connection().execute(
        "update programme set stage = $2 where tenant_id = app_tenant_id() and id = $1",
        programme_id,
        target.value,
    )
    await record_change(
        actor_person_id=actor_person_id,
        action="move_stage",
        entity="programme",
        entity_id=programme_id,
        old_values={"stage": current.value},
        new_values={"stage": target.value},
    )


async def add_funding_line(
    programme_id: int,
    *,
    source: str,
    year: int,
    amount: Decimal,
    actor_person_id: int | None,
) -> int:
    """One source's money for one year; a second line of the same source and year is refused."""
    programme = await _programme(programme_id)
    if source not in FUNDING_SOURCES:
        raise InvalidInput("funding_source_invalid", N_("Choose a source."), field="source")
    _check_year(programme, year)
    amount = _amount(amount, "amount")
    line_id = await connection().fetchval(
        "insert into funding_line (tenant_id, programme_id, source, year, amount)"
        " values (app_tenant_id(), $1, $2, $3, $4)"
        " on conflict (tenant_id, programme_id, source, year) do nothing returning id",
        programme_id,
        source,
        year,
        amount,
    )
    if line_id is None:
        raise Conflict(
            "funding_line_exists",
            N_("This source already has a line for this year."),
            field="source",
        )
    await record_change(
        actor_person_id=actor_person_id,
        action="add",
        entity="funding_line",
        entity_id=line_id,
        new_values={"programme_id": programme_id, "source": source, "year": year, "amount": amount},
    )
    await emit("programmes.funding_line_added", {"programme_id": programme_id})
    return line_id


async def add_board_member(
    programme_id: int,
    *,
    name: str,
    seat: str,
    term_start: date,
    term_end: date | None = None,
    person_id: int | None = None,
    actor_person_id: int | None,
) -> int:
    await _programme(programme_id)
    name = _text(name, "name", 200)
    if seat not in SEATS:
        raise InvalidInput("board_seat_invalid", N_("Choose a seat."), field="seat")
    if term_end is not None and term_end < term_start:
        raise InvalidInput(
            "board_term_invalid", N_("The term ends after it starts."), field="term_end"
        )
    member_id = await connection().fetchval(
        "insert into board_member (tenant_id, programme_id, name, seat, person_id, term_start,"
        " term_end) values (app_tenant_id(), $1, $2, $3, $4, $5, $6) returning id",
        programme_id,
        name,
        seat,
        person_id,
        term_start,
        term_end,
    )
    await record_change(
        actor_person_id=actor_person_id,
        action="add",
        entity="board_member",
        entity_id=member_id,
        new_values={
            "programme_id": programme_id,
            "name": name,
            "seat": seat,
            "person_id": person_id,
            "term": [term_start, term_end],
        },
    )
    return member_id


async def set_strategy_areas(
    programme_id: int, areas: list[StrategyAreaInput], *, actor_person_id: int | None
) -> list[StrategyAreaView]:
    """Replace the programme's strategy areas; their shares must make 100 %.

    An area with an id is updated; one without is added; one left out is removed, unless
    goals, scores or projects refer to it (then the change is refused).
    """
    await _programme(programme_id, lock=True)
    names = [_text(a.name_nb, "name_nb", 200) for a in areas]
    if len(set(names)) != len(names):
        raise InvalidInput(
            "strategy_area_duplicate", N_("Two strategy areas have the same name."), field="name_nb"
        )
    validate_strategy_shares({a.name_nb.strip(): a.share for a in areas})
    db = connection()
    before = {
        r["id"]: dict(r)
        for r in await db.fetch(
            "select id, name_nb, name_nn, share from strategy_area"
            " where tenant_id = app_tenant_id() and programme_id = $1",
            programme_id,
        )
    }
    unknown = [a.id for a in areas if a.id is not None and a.id not in before]
    if unknown:
        raise NotFound("strategy_area_not_found", N_("No such strategy area."), field="id")
    kept = {a.id for a in areas if a.id is not None}
    try:
        async with db.transaction():  # a savepoint: a refused delete leaves nothing half-done
            for gone in set(before) - kept:
                await db.execute(
                    "delete from strategy_area where tenant_id = app_tenant_id() and id = $1", gone
                )
            # Names are unique: park the kept ones first so two areas may swap names.
            await db.execute(
                "update strategy_area set name_nb = '~' || id where tenant_id = app_tenant_id()"
                " and id = any($1::bigint[])",
                list(kept),
            )
            for position, area in enumerate(areas):
                values = (area.name_nb.strip(), _text(area.name_nn, "name_nn", 200), area.share)
                if area.id is None:
                    await db.execute(
                        "insert into strategy_area (tenant_id, programme_id, position, name_nb,"
                        " name_nn, share) values (app_tenant_id(), $1, $2, $3, $4, $5)",
                        programme_id,
                        position,
                        *values,
                    )
                else:
                    await db.execute(
                        "update strategy_area set position = $2, name_nb = $3, name_nn = $4,"
                        " share = $5 where tenant_id = app_tenant_id() and id = $1",
                        area.id,
                        position,
                        *values,
                    )
    except asyncpg.ForeignKeyViolationError as error:
        raise Conflict(
            "strategy_area_in_use",
            N_("A strategy area that goals, scores or projects refer to cannot be removed."),
            field="areas",
        ) from error
    after = await _strategy_areas(programme_id)
    await record_change(
        actor_person_id=actor_person_id,
        action="set",
        entity="strategy_areas",
        entity_id=programme_id,
        old_values=sorted(before.values(), key=lambda a: a["id"]),
        new_values=[
            {"id": a.id, "name_nb": a.name_nb, "name_nn": a.name_nn, "share": a.share}
            for a in after
        ],
    )
    await emit("programmes.strategy_areas_set", {"programme_id": programme_id})
    return after


async def _strategy_areas(programme_id: int) -> list[StrategyAreaView]:
    rows = await connection().fetch(
        "select id, position, name_nb, name_nn, share from strategy_area"
        " where tenant_id = app_tenant_id() and programme_id = $1 order by position, id",
        programme_id,
    )
    return [StrategyAreaView(**dict(r)) for r in rows]


async def create_action_plan(
    programme_id: int, year: int, goals: list[GoalInput], *, actor_person_id: int | None
) -> int:
    """A draft action plan for one year, with goals per strategy area; returns its id."""
    programme = await _programme(programme_id)
    _check_year(programme, year)
    db = connection()
    areas = {a.id for a in await _strategy_areas(programme_id)}
    if any(goal.strategy_area_id not in areas for goal in goals):
        raise InvalidInput(
            "strategy_area_not_found",
            N_("Choose one of the programme's strategy areas."),
            field="strategy_area_id",
        )
    plan_id = await db.fetchval(
        "insert into action_plan (tenant_id, programme_id, year) values (app_tenant_id(), $1, $2)"
        " on conflict (tenant_id, programme_id, year) do nothing returning id",
        programme_id,
        year,
    )
    if plan_id is None:
        raise Conflict(
            "action_plan_exists", N_("This year already has an action plan."), field="year"
        )
    for goal in goals:
        await db.execute(
            "insert into action_plan_goal (tenant_id, action_plan_id, strategy_area_id, goal,"
            " measures, budget) values (app_tenant_id(), $1, $2, $3, $4, $5)",
            plan_id,
            goal.strategy_area_id,
            _text(goal.goal, "goal", 2000),
            goal.measures.strip(),
            _amount(goal.budget, "budget"),
        )
    await record_change(
        actor_person_id=actor_person_id,
        action="create",
        entity="action_plan",
        entity_id=plan_id,
        new_values={
            "programme_id": programme_id,
            "year": year,
            "state": ActionPlanState.DRAFT.value,
            "goals": [
                {"strategy_area_id": g.strategy_area_id, "goal": g.goal, "budget": g.budget}
                for g in goals
            ],
        },
    )
    return plan_id


async def move_action_plan(action_plan_id: int, state: str, *, actor_person_id: int | None) -> str:
    """Board approval, municipal approval, the county's grant (or the board taking it back)."""
    db = connection()
    row = await db.fetchrow(
        "select state from action_plan where tenant_id = app_tenant_id() and id = $1 for update",
        action_plan_id,
    )
    if row is None:
        raise NotFound("action_plan_not_found", N_("No such action plan."))
    current = ActionPlanState(row["state"])
    try:
        target = ActionPlanState(state)
    except ValueError as error:
        raise InvalidInput("state_invalid", N_("Choose a state."), field="state") from error
    check_action_plan_transition(current, target)
    await db.execute(
        "update action_plan set state = $2 where tenant_id = app_tenant_id() and id = $1",
        action_plan_id,
        target.value,
    )
    await record_change(
        actor_person_id=actor_person_id,
        action="move_state",
        entity="action_plan",
        entity_id=action_plan_id,
        old_values={"state": current.value},
        new_values={"state": target.value},
    )
    return target.value


async def add_kpi(
    programme_id: int,
    *,
    code: str,
    name: str,
    unit: str = "count",
    baseline: Decimal = Decimal(0),
    actor_person_id: int | None,
) -> int:
    """A KPI of the programme's own, beside the three standard ones."""
    await _programme(programme_id)
    code = code.strip()
    if not code or not code[0].isalpha() or not set(code) <= _KPI_CODE_CHARS or len(code) > 40:
        raise InvalidInput(
            "kpi_code_invalid", N_("Use lower-case letters a-z, digits and _."), field="code"
        )
    name = _text(name, "name", 200)
    kpi_id = await connection().fetchval(
        "insert into kpi (tenant_id, programme_id, code, name, unit, baseline)"
        " values (app_tenant_id(), $1, $2, $3, $4, $5)"
        " on conflict (tenant_id, programme_id, code) do nothing returning id",
        programme_id,
        code,
        name,
        unit.strip() or "count",
        Decimal(baseline),
    )
    if kpi_id is None:
        raise Conflict("kpi_exists", N_("The programme has a KPI with this code."), field="code")
    await record_change(
        actor_person_id=actor_person_id,
        action="add",
        entity="kpi",
        entity_id=kpi_id,
        new_values={"programme_id": programme_id, "code": code, "name": name, "baseline": baseline},
    )
    return kpi_id


async def _kpi(kpi_id: int) -> asyncpg.Record:
    row = await connection().fetchrow(
        "select k.*, p.period_start, p.period_end from kpi k join programme p"
        " on p.tenant_id = k.tenant_id and p.id = k.programme_id"
        " where k.tenant_id = app_tenant_id() and k.id = $1",
        kpi_id,
    )
    if row is None:
        raise NotFound("kpi_not_found", N_("No such KPI."))
    return row


async def kpi_id_by_code(programme_id: int, code: str) -> int:
    kpi_id = await connection().fetchval(
        "select id from kpi where tenant_id = app_tenant_id() and programme_id = $1 and code = $2",
        programme_id,
        code,
    )
    if kpi_id is None:
        raise NotFound("kpi_not_found", N_("No such KPI."), field="code")
    return kpi_id


async def set_kpi_baseline(kpi_id: int, baseline: Decimal, *, actor_person_id: int | None) -> None:
    kpi = await _kpi(kpi_id)
    await connection().execute(
        "update kpi set baseline = $2 where tenant_id = app_tenant_id() and id = $1",
        kpi_id,
        Decimal(baseline),
    )
    await record_change(
        actor_person_id=actor_person_id,
        action="set_baseline",
        entity="kpi",
        entity_id=kpi_id,
        old_values={"baseline": kpi["baseline"]},
        new_values={"baseline": Decimal(baseline)},
    )


async def set_kpi_target(
    kpi_id: int, year: int, target: Decimal, *, actor_person_id: int | None
) -> None:
    """The KPI's target for one year of the programme (set again: replaced)."""
    kpi = await _kpi(kpi_id)
    _check_year(kpi, year)
    target = Decimal(target)
    if not target.is_finite():
        raise InvalidInput("kpi_target_invalid", N_("Write a number."), field="target")
    db = connection()
    old = await db.fetchval(
        "select target from kpi_target where tenant_id = app_tenant_id() and kpi_id = $1"
        " and year = $2",
        kpi_id,
        year,
    )
    await db.execute(
        "insert into kpi_target (tenant_id, kpi_id, year, target) values (app_tenant_id(), $1, $2, $3)"
        " on conflict (tenant_id, kpi_id, year) do update set target = excluded.target",
        kpi_id,
        year,
        target,
    )
    await record_change(
        actor_person_id=actor_person_id,
        action="set_target",
        entity="kpi",
        entity_id=kpi_id,
        old_values=None if old is None else {"year": year, "target": old},
        new_values={"year": year, "target": target},
    )
    await emit("programmes.kpi_target_set", {"kpi_id": kpi_id})


async def record_kpi_measurement(
    kpi_id: int,
    *,
    measured_on: date,
    value: Decimal,
    source: str,
    actor_person_id: int | None,
) -> int:
    """A measured value and where it comes from; returns the measurement's id."""
    await _kpi(kpi_id)
    source = _text(source, "source", 500)
    value = Decimal(value)
    if not value.is_finite():
        raise InvalidInput("kpi_value_invalid", N_("Write a number."), field="value")
    measurement_id = await connection().fetchval(
        "insert into kpi_measurement (tenant_id, kpi_id, measured_on, value, source, recorded_by)"
        " values (app_tenant_id(), $1, $2, $3, $4, $5) returning id",
        kpi_id,
        measured_on,
        value,
        source,
        actor_person_id,
    )
    await record_change(
        actor_person_id=actor_person_id,
        action="measure",
        entity="kpi",
        entity_id=kpi_id,
        new_values={"measured_on": measured_on, "value": value, "source": source},
    )
    await emit("programmes.kpi_measured", {"kpi_id": kpi_id})
    return measurement_id


async def kpi_measurements(kpi_id: int) -> list[MeasurementView]:
    rows = await connection().fetch(
        "select id, kpi_id, measured_on, value, source from kpi_measurement"
        " where tenant_id = app_tenant_id() and kpi_id = $1 order by measured_on, id",
        kpi_id,
    )
    return [MeasurementView(**dict(r)) for r in rows]


async def record_status_assessment(
    programme_id: int,
    *,
    kind: str,
    year: int,
    scores: list[ScoreInput],
    recommendations: str,
    assessor: str = "",
    summary: str = "",
    actor_person_id: int | None,
) -> int:
    """The yearly status assessment (a score per strategy area) or the final evaluation."""
    programme = await _programme(programme_id)
    if kind not in ("yearly", "final"):
        raise InvalidInput("assessment_kind_invalid", N_("Choose a kind."), field="kind")
    _check_year(programme, year)
    areas = {a.id for a in await _strategy_areas(programme_id)}
    given = [s.strategy_area_id for s in scores]
    if len(set(given)) != len(given) or not set(given) <= areas:
        raise InvalidInput(
            "assessment_areas_invalid",
            N_("Score each of the programme's strategy areas once."),
            field="scores",
        )
    if kind == "yearly" and set(given) != areas:
        raise InvalidInput(
            "assessment_areas_missing", N_("Score every strategy area."), field="scores"
        )
    if any(not 1 <= s.score <= 6 for s in scores):
        raise InvalidInput("assessment_score_invalid", N_("A score is 1 to 6."), field="scores")
    db = connection()
    exists = await db.fetchval(
        "select 1 from status_assessment where tenant_id = app_tenant_id() and programme_id = $1"
        " and (kind = 'final' and $2 = 'final' or kind = $2 and year = $3)",
        programme_id,
        kind,
        year,
    )
    if exists:
        raise Conflict(
            "assessment_exists", N_("This assessment has already been recorded."), field="year"
        )
    assessment_id = await db.fetchval(
        "insert into status_assessment (tenant_id, programme_id, kind, year, assessor,"
        " recommendations, summary) values (app_tenant_id(), $1, $2, $3, $4, $5, $6) returning id",
        programme_id,
        kind,
        year,
        assessor.strip(),
        recommendations.strip(),
        summary.strip(),
    )
    for score in scores:
        await db.execute(
            "insert into assessment_score (tenant_id, assessment_id, strategy_area_id, score,"
            " comment) values (app_tenant_id(), $1, $2, $3, $4)",
            assessment_id,
            score.strategy_area_id,
            score.score,
            score.comment.strip(),
        )
    await record_change(
        actor_person_id=actor_person_id,
        action="create",
        entity="status_assessment",
        entity_id=assessment_id,
        new_values={
            "programme_id": programme_id,
            "kind": kind,
            "year": year,
            "scores": {str(s.strategy_area_id): s.score for s in scores},
            "recommendations": recommendations.strip(),
        },
    )
    return assessment_id


async def list_programmes() -> list[ProgrammeSummary]:
    rows = await connection().fetch(
        "select p.id, p.name, p.kind, p.period_start, p.period_end, p.stage,"
        " coalesce((select sum(f.amount) from funding_line f where f.tenant_id = p.tenant_id"
        " and f.programme_id = p.id), 0) as total_budget"
        " from programme p where p.tenant_id = app_tenant_id() order by p.period_start desc, p.name"
    )
    return [ProgrammeSummary(**dict(r)) for r in rows]


async def programme_id_by_name(name: str) -> int | None:
    return await connection().fetchval(
        "select id from programme where tenant_id = app_tenant_id() and name = $1", name
    )


async def programme_overview(programme_id: int) -> ProgrammeOverview:
    """The programme on one page: money by source, year and strategy area; KPIs against targets."""
    programme = await _programme(programme_id)
    db = connection()
    lines = [
        FundingLineView(**dict(r))
        for r in await db.fetch(
            "select id, source, year, amount from funding_line where tenant_id = app_tenant_id()"
            " and programme_id = $1 order by year, source",
            programme_id,
        )
    ]
    by_source: dict[str, Decimal] = defaultdict(Decimal)
    by_year: dict[int, Decimal] = defaultdict(Decimal)
    for line in lines:
        by_source[line.source] += line.amount
        by_year[line.year] += line.amount
    total = sum(by_year.values(), Decimal(0))
    areas = [
        StrategyAreaView(
            id=a.id,
            position=a.position,
            name_nb=a.name_nb,
            name_nn=a.name_nn,
            share=a.share,
            budget_by_year={y: _share_of(amount, a.share) for y, amount in sorted(by_year.items())},
            budget_total=_share_of(total, a.share),
        )
        for a in await _strategy_areas(programme_id)
    ]
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
        board=[
            BoardMemberView(**dict(r))
            for r in await db.fetch(
                "select id, name, seat, person_id, term_start, term_end from board_member"
                " where tenant_id = app_tenant_id() and programme_id = $1 order by seat, name",
                programme_id,
            )
        ],
        strategy_areas=areas,
        action_plans=await _action_plans(programme_id),
        kpis=await _kpis(programme_id),
        assessments=await _assessments(programme_id),
    )


def _share_of(amount: Decimal, share: Decimal) -> Decimal:
    return (amount * share / 100).quantize(Decimal("0.01"))


async def _action_plans(programme_id: int) -> list[ActionPlanView]:
    db = connection()
    goals: dict[int, list[GoalView]] = defaultdict(list)
    for r in await db.fetch(
        "select g.action_plan_id, g.id, g.strategy_area_id, g.goal, g.measures, g.budget"
        " from action_plan_goal g join action_plan a on a.tenant_id = g.tenant_id"
        " and a.id = g.action_plan_id where g.tenant_id = app_tenant_id() and a.programme_id = $1"
        " order by g.id",
        programme_id,
    ):
        values = dict(r)
        goals[values.pop("action_plan_id")].append(GoalView(**values))
    return [
        ActionPlanView(id=r["id"], year=r["year"], state=r["state"], goals=goals[r["id"]])
        for r in await db.fetch(
            "select id, year, state from action_plan where tenant_id = app_tenant_id()"
            " and programme_id = $1 order by year",
            programme_id,
        )
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
        "select k.id, k.code, k.name, k.unit, k.baseline, k.standard, m.value, m.measured_on,"
        " m.source from kpi k left join lateral (select value, measured_on, source"
        " from kpi_measurement m where m.tenant_id = k.tenant_id and m.kpi_id = k.id"
        " order by measured_on desc, id desc limit 1) m on true"
        " where k.tenant_id = app_tenant_id() and k.programme_id = $1"
        " order by not k.standard, k.id",
        programme_id,
    )
    views = []
    for r in rows:
        kpi_targets = targets[r["id"]]
        progress = None
        if r["value"] is not None and r["measured_on"].year in kpi_targets:
            progress = kpi_progress(r["baseline"], kpi_targets[r["measured_on"].year], r["value"])
        views.append(
            KpiView(
                id=r["id"],
                code=r["code"],
                name=r["name"],
                unit=r["unit"],
                baseline=r["baseline"],
                standard=r["standard"],
                targets=kpi_targets,
                latest_value=r["value"],
                latest_measured_on=r["measured_on"],
                latest_source=r["source"],
                progress=progress,
            )
        )
    return views


async def _assessments(programme_id: int) -> list[AssessmentView]:
    db = connection()
    scores: dict[int, list[ScoreView]] = defaultdict(list)
    for r in await db.fetch(
        "select s.assessment_id, s.strategy_area_id, s.score, s.comment from assessment_score s"
        " join status_assessment a on a.tenant_id = s.tenant_id and a.id = s.assessment_id"
        " where s.tenant_id = app_tenant_id() and a.programme_id = $1",
        programme_id,
    ):
        values = dict(r)
        scores[values.pop("assessment_id")].append(ScoreView(**values))
    return [
        AssessmentView(**dict(r), scores=scores[r["id"]])
        for r in await db.fetch(
            "select id, kind, year, assessor, summary, recommendations from status_assessment"
            " where tenant_id = app_tenant_id() and programme_id = $1 order by year, kind",
            programme_id,
        )
    ]
