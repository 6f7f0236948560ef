"""The municipality's grant pages: its funds and calls, the queue of cases by state, and one case
with the official's assessment (computed from the plans) and decision."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from litestar import Request, get
from litestar.params import FromPath
from litestar.response import Response, Template

from services.grants import service as grants
from services.grants.roles import ASSESSORS, MANAGERS
from tenants.context import tenant_tx
from web.actions import act, again_form
from web.auth.guards import person_of, principal_of
from web.forms import URL_ENCODED, form_post
from web.grants.forms import AssessmentForm, CallForm, DecisionForm, FundForm
from web.grants.pages import (
    ASSESSOR,
    MANAGER,
    READER,
    STATES,
    application_step_route,
    grants_base,
    page,
)
from web.grants.tables import download_asked, queue_table

HOME = "/k/{kommunenummer:str}/grants"
CASE = HOME + "/applications/{application_id:int}"


def _role(request: Request) -> str:
    return principal_of(request).active.role


async def _home(request: Request, *, status: int = 200, **context) -> Template | Response:
    """The municipality's grants: funds, calls and the queue of cases by state (the queue as
    CSV or XLSX when asked)."""
    async with tenant_tx():
        funds = await grants.list_funds()
        calls = await grants.list_calls()
        queue = await grants.case_queue()
        areas = await grants.strategy_area_choices()
    by_state = [(s, [a for a in queue if a.state == s]) for s in STATES if s != "draft"]
    if file := download_asked(request, queue_table, [a for _, cases in by_state for a in cases]):
        return file
    lang = request.state.get("lang", "nb")
    return page(
        request,
        "grants/municipality/home.html",
        status=status,
        base=grants_base(request),
        funds=funds,
        calls=calls,
        by_state=by_state,
        areas_options=[
            (str(a.id), f"{a.programme_name}: {a.name_nn if lang == 'nn' else a.name_nb}")
            for a in areas
        ],
        fund_options=[(str(f.id), f.name) for f in funds],
        may_manage=_role(request) in MANAGERS,
        **context,
    )


@get(HOME, guards=READER, name="municipality_grants")
async def home(request: Request) -> Template | Response:
    return await _home(request)


@form_post(HOME + "/funds", name="create_grant_fund", guards=MANAGER)
async def create_fund(
    request: Request, data: Annotated[FundForm, URL_ENCODED]
) -> Response:
    return await act(
        request,
        lambda: grants.create_fund(**data.values(), actor_person_id=person_of(request)),
        done=f"{grants_base(request)}#funds",
        again=again_form(partial(_home, request), data, "fund"),
    )


@form_post(HOME + "/calls", name="open_grant_call", guards=MANAGER)
async def open_call(
    request: Request, data: Annotated[CallForm, URL_ENCODED]
) -> Response:
    async def work() -> int:
        values = data.values()
        return await grants.open_call(
            values.pop("fund_id"), **values, actor_person_id=person_of(request)
        )

    return await act(
        request,
        work,
        done=f"{grants_base(request)}#calls",
        again=again_form(partial(_home, request), data, "call"),
    )


async def _case(
    request: Request, application_id: int, *, status: int = 200, fragment=None, **context
):
    """The case's page, or (for an htmx swap) its `fragment`."""
    async with tenant_tx():
        found = await grants.case(application_id)
        declarations = await grants.declarations(application_id)
        fund = found.fund  # a programme's board, or the fund's own (a fund without one)
        board = await grants.board_of(fund.programme_id, None if fund.programme_id else fund.id)
        letters = await grants.letters_of(application_id)
        files = await grants.attachments_of(application_id)
        appeal = await grants.appeal_of(application_id)
    officer = principal_of(request).person.id
    return page(
        request,
        "grants/municipality/case.html",
        fragment,
        status=status,
        base=grants_base(request),
        case=found,
        application=found.application,
        fund=found.fund,
        figures=found.assessment,
        may_grant=found.assessment.grantable > 0,
        may_assess=_role(request) in ASSESSORS,
        may_declare=_role(request) in ASSESSORS and found.application.assessed_by == officer,
        declarations=[d for d in declarations if d.board_member_id is None],
        member_declarations={d.board_member_id: d for d in declarations if d.board_member_id},
        board=board,
        board_options=[(str(m.id), m.name) for m in board],
        letters=letters,
        files=files,
        appeal=appeal,
        **context,
    )


@get(CASE, guards=READER, name="grant_case")
async def case(
    request: Request, application_id: FromPath[int]
) -> Template:
    return await _case(request, application_id)


def case_step_route(path: str, *args: Any, **step: Any):
    """The route of one of the official's steps on the case, posted to the case's `path`: back to
    the case, or the case beside the refused form (`args` and `step` as application_step_route
    takes them)."""
    return application_step_route(CASE + path, *args, guards=ASSESSOR, **{"page": _case, **step})


assess = case_step_route(
    "/assessment", "assess_grant_application", AssessmentForm, grants.assess_application, "assess"
)
decide = case_step_route(
    "/decision", "decide_grant_application", DecisionForm, grants.decide_application, "decide"
)


ROUTES = [home, create_fund, open_call, case, assess, decide]
