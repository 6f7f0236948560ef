"""The municipality's side of a tilsegn's money: the payment queue by state (and its CSV and
XLSX), approving, paying or rejecting a request, a clawback, the attachments, and on each case
the organisation's state aid against the de minimis ceiling beside the tilsegn's lines."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Response, Template

from services.errors import N_, DomainError
from services.grants import service as grants
from services.grants.roles import ASSESSORS
from tenants.context import tenant_tx
from web.actions import act, again_form
from web.auth.guards import person_of, principal_of
from web.downloads import download
from web.forms import URL_ENCODED, form_post
from web.grants.money_forms import ClawbackForm, PaymentDecisionForm, TilsegnEndForm
from web.grants.money_pages import MONEY_NAMES, PAYMENT_STATES
from web.grants.municipality import CASE, case_step_route
from web.grants.pages import ASSESSOR, READER, grants_base, page
from web.grants.tables import download_asked, payments_table

HOME = "/k/{kommunenummer:str}/grants"
PAYMENTS = HOME + "/payments"
REPORT = HOME + "/reports/{report_id:int}"
ONE_PAYMENT = "grants/municipality/_payment.html"


def _lang(request: Request) -> str:
    return request.state.get("lang", "nb")


def _may_pay(request: Request) -> bool:
    return principal_of(request).active.role in ASSESSORS


async def _queue(request: Request, *, status: int = 200, **context) -> Template | Response:
    """The payment queue, filtered by state (as CSV or XLSX when asked)."""
    state = request.query_params.get("state")
    state = state if state in PAYMENT_STATES else None
    async with tenant_tx():
        payments = await grants.payment_queue(state)
    if file := download_asked(request, payments_table, payments):
        return file
    if "decide_payment" in context:  # the one request a decision's htmx swap draws again
        context["p"] = next(p for p in payments if p.id == context["decide_payment"])
    return page(
        request,
        "grants/municipality/payments.html",
        ONE_PAYMENT,
        status=status,
        base=grants_base(request),
        payments=payments,
        state=state,
        may_pay=_may_pay(request),
        **MONEY_NAMES,
        **context,
    )


@get(PAYMENTS, guards=READER, name="grant_payment_queue")
async def queue(request: Request) -> Template | Response:
    return await _queue(request)


@form_post(PAYMENTS + "/{payment_id:int}/decision", name="decide_grant_payment", guards=ASSESSOR)
async def decide(
    request: Request,
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
        done=f"{grants_base(request)}/payments#payment-{payment_id}",
        said=N_("The payment request is decided."),
        swap=partial(_queue, request, decide_payment=payment_id),
        again=again_form(partial(_queue, request), data, "decide", decide_payment=payment_id),
    )


@get(
    PAYMENTS + "/{payment_id:int}/attachments/{attachment_id:int}",
    guards=READER,
    name="grant_payment_attachment",
)
async def payment_attachment(
    request: Request,
    payment_id: FromPath[int],
    attachment_id: FromPath[int],
) -> Response:
    async with tenant_tx():
        name, media_type, content = await grants.payment_attachment(payment_id, attachment_id)
    return download(content, name, media_type)


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
        base=grants_base(request),
        application=application,
        aid=aid,
        tilsegn=money,
        may_pay=_may_pay(request),
        attachment_base=f"{grants_base(request)}/payments",
        **MONEY_NAMES,
        **context,
    )


@get(CASE + "/money", guards=READER, name="grant_case_money")
async def money(
    request: Request, application_id: FromPath[int]
) -> Template:
    return await _money(request, application_id)


clawback = case_step_route(
    "/clawbacks",
    "record_grant_clawback",
    ClawbackForm,
    grants.record_clawback,
    "clawback",
    back_to="/money#payments",
    page=_money,
)
# The municipality cancels the tilsegn (its conditions are not met); refused while payment
# requests wait for a decision.
cancel = case_step_route(
    "/tilsegn/cancellation",
    "cancel_grant_tilsegn",
    TilsegnEndForm,
    grants.cancel_tilsegn,
    "cancel",
    back_to="/money#tilsegn",
    page=_money,
    said=N_("The tilsegn is cancelled."),
)


@post(REPORT + "/approval", guards=ASSESSOR, name="approve_grant_report", status_code=200)
async def approve_report(
    request: Request, report_id: FromPath[int]
) -> Response:
    """The official approves a report: its effects then count in the programme's KPIs. Back to
    the case's money (?back=money) or to the payment queue."""
    base = grants_base(request)

    def done(application_id: int) -> str:
        if request.query_params.get("back") == "money":
            return f"{base}/applications/{application_id}/money#reports"
        return f"{base}/payments#report-{report_id}"

    return await act(
        request,
        lambda: grants.approve_report(report_id, actor_person_id=person_of(request)),
        done=done,
        said=N_("The report is approved: its effects count now."),
        again=partial(_refused_approval, request),
    )


async def _refused_approval(request: Request, status: int, errors: dict[str, str]):
    return await _queue(request, status=status, approve_errors=errors)


ROUTES = [queue, decide, payment_attachment, money, clawback, cancel, approve_report]
