"""Yearly action plans: a draft with goals per strategy area (beside the last assessment's
recommendations), then the board's approval, the municipality's and the county's grant, each
step shown with who took it and when."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get
from litestar.params import FromPath
from litestar.response import Response, Template

from services.errors import N_, NotFound
from services.programmes import service as programmes
from services.programmes.roles import MANAGERS, PLAN_STEPPERS
from services.programmes.schemas import AssessmentView, ProgrammeOverview
from web.auth.guards import municipality_member, person_of
from web.forms import URL_ENCODED, form_post
from web.programmes.forms import PlanForm, StepForm
from web.programmes.pages import ONE, FormPage

PLANS = ONE + "/plans"


def free_years(overview: ProgrammeOverview) -> list[int]:
    planned = {plan.year for plan in overview.action_plans}
    years = range(overview.period_start, overview.period_end + 1)
    return [year for year in years if year not in planned]


def assessment_before(overview: ProgrammeOverview, year: int) -> AssessmentView | None:
    """The latest yearly status assessment before `year`: what the year's plan should answer."""
    earlier = [a for a in overview.assessments if a.kind == "yearly" and a.year < year]
    return max(earlier, key=lambda a: a.year) if earlier else None


def _draft_year(request: Request, overview: ProgrammeOverview, form: dict) -> int | None:
    free = free_years(overview)
    asked = form.get("year") or request.query_params.get("year", "")
    if asked.isdigit() and int(asked) in range(overview.period_start, overview.period_end + 1):
        return int(asked)
    return free[0] if free else None


async def _plans_shows(
    request: Request, overview: ProgrammeOverview, which: str, form: dict
) -> dict[str, Any]:
    year = _draft_year(request, overview, form if which == "draft" else {})
    previous = assessment_before(overview, year) if year else None
    return {
        "draft_year": year,
        "free_years": free_years(overview),
        "previous": previous,
        "previous_scores": {s.strategy_area_id: s for s in previous.scores} if previous else {},
        "areas": {a.id: a for a in overview.strategy_areas},
    }


PLANS_PAGE = FormPage("plans", "programmes/plans.html", _plans_shows)


@get(PLANS, guards=[municipality_member()], name="action_plans")
async def action_plans(
    request: Request, programme_id: FromPath[int]
) -> Template:
    return await PLANS_PAGE.draw(request, programme_id)


@form_post(PLANS, name="draft_action_plan", guards=[municipality_member(*MANAGERS)])
async def draft_action_plan(
    request: Request,
    programme_id: FromPath[int],
    data: Annotated[PlanForm, URL_ENCODED],
) -> Response:
    async def work() -> int:
        year, goals = data.values()
        return await programmes.create_action_plan(
            programme_id, year, goals, actor_person_id=person_of(request)
        )

    return await PLANS_PAGE.act(request, programme_id, "draft", data, work, "plans")


@form_post(
    PLANS + "/{plan_id:int}/state",
    name="move_action_plan",
    guards=[municipality_member(*PLAN_STEPPERS)],
)
async def move_action_plan(
    request: Request,
    programme_id: FromPath[int],
    plan_id: FromPath[int],
    data: Annotated[StepForm, URL_ENCODED],
) -> Response:
    async def work() -> str:
        data.checked()
        overview = await programmes.programme_overview(programme_id)
        if plan_id not in {plan.id for plan in overview.action_plans}:
            # A plan of another of the municipality's programmes.
            raise NotFound("action_plan_not_found", N_("No such action plan."))
        return await programmes.move_action_plan(
            plan_id, data.state, actor_person_id=person_of(request)
        )

    which = f"plan-{plan_id}"
    return await PLANS_PAGE.act(request, programme_id, which, data, work, which)


ROUTES = [action_plans, draft_action_plan, move_action_plan]
