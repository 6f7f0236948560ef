"""The steps a project takes from its page: plan the next sub-project, close the running one, set
the decision point, delegate the decisions, keep the steering group. Each form is answered by its
use-case, which also decides who may take the step."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from litestar import Request
from litestar.params import FromPath
from litestar.response import Response

from services import inputs
from services.errors import InvalidInput, required_text
from services.projects import service as projects
from services.projects.rules import HUNDRED
from web.actions import Again, act
from web.auth.guards import municipality_member, person_of, principal_of
from web.forms import URL_ENCODED, Form, form_post
from web.projects.controller import ONE, back_to, project_page_of, project_view
from web.projects.creation import (
    SHARE_FIELDS,
    SHARE_PREFIXES,
    STEERING_FIELDS,
    STEERING_PREFIXES,
    shares_of,
    steering_group_of,
    steering_rows,
)

NEXT_STEP = "projects/_next_step.html"


class PlanForm(Form):
    """The next sub-project's mandate, plan, budget and period, for the owner to decide on."""

    phase: str = ""
    mandate: str = ""
    plan: str = ""
    budget: str = ""
    period_start: str = ""
    period_end: str = ""

    def values(self) -> dict[str, Any]:
        with self.reading() as read:
            read(required_text, self.mandate, "mandate", 10000)
            budget = read(inputs.amount, self.budget, "budget")
            start, end = read.period(self.period_start, self.period_end)
        return {
            "phase": self.phase,
            "mandate": self.mandate,
            "plan": self.plan,
            "budget": budget,
            "period_start": start,
            "period_end": end,
        }


class CloseForm(Form):
    closing_report: str = ""

    def report(self) -> str:
        with self.reading() as read:
            read(required_text, self.closing_report, "closing_report", 10000)
        return self.closing_report


class DecisionPointForm(Form):
    due_date: str = ""

    def due(self) -> date:
        with self.reading() as read:
            due = read(inputs.day, self.due_date, "due_date")
        return due


class DelegationForm(Form):
    delegated: str = ""


class CostSharesForm(Form):
    PREFIXED = SHARE_PREFIXES
    PREFIX_FIELDS = SHARE_FIELDS

    def shares(self, lead: str, lang: str) -> dict[str, Decimal]:
        """The participants' shares; the lead alone makes the project its own again."""
        summed = shares_of(self, lead, lang)
        with self.reading() as read:
            if summed.problem:
                read.refuse(
                    InvalidInput("cost_shares_invalid", summed.problem, field="cost_shares")
                )
        return summed.parsed or {lead: HUNDRED}


class SteeringGroupForm(Form):
    PREFIXED = STEERING_PREFIXES
    PREFIX_FIELDS = STEERING_FIELDS


def _again(
    request: Request, project_id: int, form: Form, fragment: str | None = None, step: str = ""
) -> Again:
    """The project page again (the step's part alone for htmx), the errors beside the form:
    the form of the step that was posted, even if the project waits for another."""

    async def again(status: int, errors: dict[str, str]) -> Response:
        extra: dict[str, Any] = {"step_errors": errors, "form_step": step}
        if isinstance(form, SteeringGroupForm):
            extra["steering"] = steering_rows(form, 1)
        elif isinstance(form, CostSharesForm):
            lead = principal_of(request).active.kommunenummer
            extra["shares"] = shares_of(form, lead, request.state.get("lang", "nb"))
        elif not isinstance(form, DelegationForm):
            extra["step_form"] = form.texts()
        if fragment:
            extra["fragment"] = fragment
        return project_page_of(
            request, *await project_view(request, project_id), status=status, **extra
        )

    return again


def _done(request: Request, kommunenummer: str, project_id: int, anchor: str = "") -> str:
    return back_to(request, f"/k/{kommunenummer}/projects/{project_id}", anchor)


async def _step(
    request: Request,
    project_id: int,
    form: Form,
    use_case: Callable[[int | None], Awaitable[Any]],
    *,
    step: str = "",
    anchor: str = "",
) -> Response:
    """Take one step as the acting person: back to the project page (at `anchor`), or the
    step's form again with its errors (`step`: one of the next-step forms)."""
    kommunenummer = request.path_params["kommunenummer"]
    return await act(
        request,
        lambda: use_case(person_of(request)),
        done=_done(request, kommunenummer, project_id, anchor),
        again=_again(request, project_id, form, NEXT_STEP if step else None, step),
    )


STEP_TAKERS = [municipality_member()]  # the use-cases judge who may take which step


@form_post(ONE + "/plan", name="plan_sub_project", guards=STEP_TAKERS)
async def plan(
    request: Request, project_id: FromPath[int], data: Annotated[PlanForm, URL_ENCODED]
) -> Response:
    async def work(actor: int | None) -> int:
        values = data.values()
        return await projects.plan_sub_project(
            project_id, values.pop("phase"), **values, actor_person_id=actor
        )

    return await _step(request, project_id, data, work, step="plan")


@form_post(ONE + "/close", name="close_sub_project", guards=STEP_TAKERS)
async def close(
    request: Request, project_id: FromPath[int], data: Annotated[CloseForm, URL_ENCODED]
) -> Response:
    async def work(actor: int | None) -> None:
        await projects.close_sub_project(project_id, data.report(), actor_person_id=actor)

    return await _step(request, project_id, data, work, step="close")


@form_post(ONE + "/decision-point", name="reach_decision_point", guards=STEP_TAKERS)
async def decision_point(
    request: Request, project_id: FromPath[int], data: Annotated[DecisionPointForm, URL_ENCODED]
) -> Response:
    async def work(actor: int | None) -> int:
        return await projects.reach_decision_point(
            project_id, due_date=data.due(), actor_person_id=actor
        )

    return await _step(request, project_id, data, work, step="decision_point")


@form_post(ONE + "/delegation", name="delegate_decisions", guards=STEP_TAKERS)
async def delegation(
    request: Request, project_id: FromPath[int], data: Annotated[DelegationForm, URL_ENCODED]
) -> Response:
    async def work(actor: int | None) -> None:
        delegated = data.checked().delegated == "on"
        await projects.set_decision_delegation(project_id, delegated, actor_person_id=actor)

    return await _step(request, project_id, data, work, anchor="roles")


@form_post(ONE + "/steering-group", name="set_steering_group", guards=STEP_TAKERS)
async def steering_group(
    request: Request, project_id: FromPath[int], data: Annotated[SteeringGroupForm, URL_ENCODED]
) -> Response:
    async def work(actor: int | None) -> None:
        members = steering_group_of(data.checked())
        await projects.set_steering_group(project_id, members, actor_person_id=actor)

    return await _step(request, project_id, data, work, anchor="steering")


@form_post(ONE + "/cost-shares", name="set_cost_shares", guards=STEP_TAKERS)
async def cost_shares(
    request: Request, project_id: FromPath[int], data: Annotated[CostSharesForm, URL_ENCODED]
) -> Response:
    async def work(actor: int | None) -> None:
        lead = request.path_params["kommunenummer"]
        shares = data.shares(lead, request.state.get("lang", "nb"))
        await projects.set_cost_shares(project_id, shares, actor_person_id=actor)

    return await _step(request, project_id, data, work, anchor="participants")


ROUTES = [plan, close, decision_point, delegation, steering_group, cost_shares]
