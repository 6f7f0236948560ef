"""The municipality's grant pages: its funds and calls, the queue of cases by state, and one case
with the official's assessment (computed from the plans) and decision."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Response, Template

from services.grants import service as grants
from services.grants.roles import ASSESSORS, MANAGERS, READERS
from tenants.context import tenant_tx
from web.actions import act, again_with
from web.auth.guards import municipality_member, person_of, principal_of
from web.forms import FORMS, URL_ENCODED
from web.grants.forms import AssessmentForm, CallForm, DecisionForm, FundForm
from web.grants.pages import STATES, page

HOME = "/k/{kommunenummer:str}/grants"
CASE = HOME + "/applications/{application_id:int}"


def _base(request: Request) -> str:
    return f"/k/{principal_of(request).active.kommunenummer}/grants"


def _role(request: Request) -> str:
    return principal_of(request).active.role


async def _home(request: Request, *, status: int = 200, **context) -> Template:
    async with tenant_tx():
        funds = await grants.list_funds()
        calls = await grants.list_calls()
        queue = await grants.case_queue()
        areas = await grants.strategy_area_choices()
    by_state = [(s, [a for a in queue if a.state == s]) for s in STATES if s != "draft"]
    lang = request.state.get("lang", "nb")
    return page(
        request,
        "grants/municipality/home.html",
        status=status,
        base=_base(request),
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


@get(HOME, guards=[municipality_member(*READERS)], name="municipality_grants")
async def home(request: Request, kommunenummer: FromPath[str]) -> Template:
    return await _home(request)


@post(
    HOME + "/funds",
    guards=[municipality_member(*MANAGERS)],
    name="create_grant_fund",
    status_code=200,
    type_decoders=FORMS,
)
async def create_fund(
    request: Request, kommunenummer: FromPath[str], data: Annotated[FundForm, URL_ENCODED]
) -> Response:
    return await act(
        request,
        lambda: grants.create_fund(**data.values(), actor_person_id=person_of(request)),
        done=f"{_base(request)}#funds",
        again=again_with(partial(_home, request), "fund_errors", fund_form=data.texts()),
    )


@post(
    HOME + "/calls",
    guards=[municipality_member(*MANAGERS)],
    name="open_grant_call",
    status_code=200,
    type_decoders=FORMS,
)
async def open_call(
    request: Request, kommunenummer: FromPath[str], data: Annotated[CallForm, URL_ENCODED]
) -> Response:
    async def work() -> int:
        values = data.values()
        return await grants.open_call(
            values.pop("fund_id"), **values, actor_person_id=person_of(request)
        )

    return await act(
        request,
        work,
        done=f"{_base(request)}#calls",
        again=again_with(partial(_home, request), "call_errors", call_form=data.texts()),
    )


async def _case(request: Request, application_id: int, *, status: int = 200, **context):
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
        status=status,
        base=_base(request),
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


@get(CASE, guards=[municipality_member(*READERS)], name="grant_case")
async def case(
    request: Request, kommunenummer: FromPath[str], application_id: FromPath[int]
) -> Template:
    return await _case(request, application_id)


@post(
    CASE + "/assessment",
    guards=[municipality_member(*ASSESSORS)],
    name="assess_grant_application",
    status_code=200,
    type_decoders=FORMS,
)
async def assess(
    request: Request,
    kommunenummer: FromPath[str],
    application_id: FromPath[int],
    data: Annotated[AssessmentForm, URL_ENCODED],
) -> Response:
    return await act(
        request,
        lambda: grants.assess_application(
            application_id, **data.values(), actor_person_id=person_of(request)
        ),
        done=f"{_base(request)}/applications/{application_id}",
        again=again_with(
            partial(_case, request, application_id), "assess_errors", assess_form=data.texts()
        ),
    )


@post(
    CASE + "/decision",
    guards=[municipality_member(*ASSESSORS)],
    name="decide_grant_application",
    status_code=200,
    type_decoders=FORMS,
)
async def decide(
    request: Request,
    kommunenummer: FromPath[str],
    application_id: FromPath[int],
    data: Annotated[DecisionForm, URL_ENCODED],
) -> Response:
    return await act(
        request,
        lambda: grants.decide_application(
            application_id, **data.values(), actor_person_id=person_of(request)
        ),
        done=f"{_base(request)}/applications/{application_id}",
        again=again_with(
            partial(_case, request, application_id), "decide_errors", decide_form=data.texts()
        ),
    )


ROUTES = [home, create_fund, open_call, case, assess, decide]
