"""The municipality's side of a tilsegn's money: the payment queue by state (and its CSV and
XLSX), approving, paying or rejecting a request, a clawback, the attachments, and on each case
the organisation's state aid against the de minimis ceiling beside the tilsegn's lines."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from litestar import Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Response, Template

from services.errors import N_, DomainError
from services.grants import service as grants
from services.grants.roles import ASSESSORS, READERS
from tenants.context import tenant_tx
from web.actions import act, again_with, go_to
from web.auth.guards import municipality_member, person_of, principal_of
from web.forms import FORMS, URL_ENCODED
from web.grants.money_forms import ClawbackForm, PaymentDecisionForm
from web.grants.money_pages import MONEY_NAMES, PAYMENT_STATES
from web.grants.pages import page
from web.grants.tables import download, payments_table, queue_table, wanted_format
from web.projects.export import attachment

HOME = "/k/{kommunenummer:str}/grants"
PAYMENTS = HOME + "/payments"
CASE = HOME + "/applications/{application_id:int}"
REPORT = HOME + "/reports/{report_id:int}"


def _base(request: Request) -> str:
    return f"/k/{principal_of(request).active.kommunenummer}/grants"


def _lang(request: Request) -> str:
    return request.state.get("lang", "nb")


def _may_pay(request: Request) -> bool:
    return principal_of(request).active.role in ASSESSORS


async def _queue(request: Request, *, status: int = 200, **context) -> Template:
    state = request.query_params.get("state")
    state = state if state in PAYMENT_STATES else None
    async with tenant_tx():
        payments = await grants.payment_queue(state)
    return page(
        request,
        "grants/municipality/payments.html",
        status=status,
        base=_base(request),
        payments=payments,
        state=state,
        may_pay=_may_pay(request),
        **MONEY_NAMES,
        **context,
    )


@get(PAYMENTS, guards=[municipality_member(*READERS)], name="grant_payment_queue")
async def queue(request: Request, kommunenummer: FromPath[str]) -> Template:
    return await _queue(request)


@get(
    HOME + "/export/{table:str}", guards=[municipality_member(*READERS)], name="grant_list_export"
)
async def export_list(
    request: Request, kommunenummer: FromPath[str], table: FromPath[str]
) -> Response:
    """The municipality's queue of applications, or its payments, as CSV or XLSX."""
    fmt = wanted_format(request.query_params.get("format", "csv"))
    if fmt is None or table not in ("applications", "payments"):
        raise NotFoundException()
    async with tenant_tx():
        if table == "applications":
            chosen = queue_table(await grants.case_queue(), _lang(request))
        else:
            chosen = payments_table(await grants.payment_queue(), _lang(request))
    return download(chosen, fmt, f"tilskot-{kommunenummer}")


@post(
    PAYMENTS + "/{payment_id:int}/decision",
    guards=[municipality_member(*ASSESSORS)],
    name="decide_grant_payment",
    status_code=200,
    type_decoders=FORMS,
)
async def decide(
    request: Request,
    kommunenummer: FromPath[str],
    payment_id: FromPath[int],
    data: Annotated[PaymentDecisionForm, URL_ENCODED],
) -> Response:
    checked = data.checked
    return await act(
        request,
        lambda: grants.decide_payment(
            payment_id,
            outcome=checked().outcome,
            reason=checked().reason,
            actor_person_id=person_of(request),
        ),
        done=f"{_base(request)}/payments#payment-{payment_id}",
        again=again_with(
            partial(_queue, request),
            "decide_errors",
            decide_payment=payment_id,
            decide_form=data.texts(),
        ),
    )


@get(
    PAYMENTS + "/{payment_id:int}/attachments/{attachment_id:int}",
    guards=[municipality_member(*READERS)],
    name="grant_payment_attachment",
)
async def payment_attachment(
    request: Request,
    kommunenummer: FromPath[str],
    payment_id: FromPath[int],
    attachment_id: FromPath[int],
) -> Response:
    async with tenant_tx():
        name, media_type, content = await grants.payment_attachment(payment_id, attachment_id)
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": attachment(name), "X-Content-Type-Options": "nosniff"},
    )


async def _money(request: Request, application_id: int, *, status: int = 200, **context):
    async with tenant_tx():
        found = await grants.case(application_id)
        application = found.application
        amount = application.granted_amount or found.assessment.grantable
        aid = await grants.state_aid_of(application_id, amount)
        try:
            money = await grants.tilsegn(application_id, as_applicant=False)
        except DomainError:
            money = None  # not granted (yet): state aid only
    return page(
        request,
        "grants/municipality/money.html",
        status=status,
        base=_base(request),
        application=application,
        aid=aid,
        tilsegn=money,
        may_pay=_may_pay(request),
        attachment_base=f"{_base(request)}/payments",
        **MONEY_NAMES,
        **context,
    )


@get(CASE + "/money", guards=[municipality_member(*READERS)], name="grant_case_money")
async def money(
    request: Request, kommunenummer: FromPath[str], application_id: FromPath[int]
) -> Template:
    return await _money(request, application_id)


@post(
    CASE + "/clawbacks",
    guards=[municipality_member(*ASSESSORS)],
    name="record_grant_clawback",
    status_code=200,
    type_decoders=FORMS,
)
async def clawback(
    request: Request,
    kommunenummer: FromPath[str],
    application_id: FromPath[int],
    data: Annotated[ClawbackForm, URL_ENCODED],
) -> Response:
    return await act(
        request,
        lambda: grants.record_clawback(
            application_id, **data.values(), actor_person_id=person_of(request)
        ),
        done=f"{_base(request)}/applications/{application_id}/money#payments",
        again=again_with(
            partial(_money, request, application_id),
            "clawback_errors",
            clawback_form=data.texts(),
        ),
    )


@post(
    REPORT + "/approval",
    guards=[municipality_member(*ASSESSORS)],
    name="approve_grant_report",
    status_code=200,
)
async def approve_report(
    request: Request, kommunenummer: FromPath[str], report_id: FromPath[int]
) -> Response:
    """The official approves a report: its effects then count in the programme's KPIs. Back to
    the case's money (?back=money) or to the payment queue."""
    base = _base(request)

    def done(application_id: int) -> Response:
        if request.query_params.get("back") == "money":
            target = f"{base}/applications/{application_id}/money#reports"
        else:
            target = f"{base}/payments#report-{report_id}"
        return go_to(request, target, N_("The report is approved: its effects count now."))

    return await act(
        request,
        lambda: grants.approve_report(report_id, actor_person_id=person_of(request)),
        done=done,
        again=partial(_refused_approval, request),
    )


async def _refused_approval(request: Request, status: int, errors: dict[str, str]) -> Template:
    return await _queue(request, status=status, approve_errors=errors)


ROUTES = [queue, export_list, decide, payment_attachment, money, clawback, approve_report]
