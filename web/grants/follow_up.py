"""The organisation's follow-up of a tilsegn: what was granted, paid and remains; requesting a
part or the final payment (with its report, costs so far, account number and attachments; locked
once sent), and sending a status report with the effects achieved so far."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from litestar import Request, get
from litestar.params import FromPath
from litestar.response import Response, Template

from services.errors import N_
from services.grants import service as grants
from services.grants.roles import APPLICANTS
from services.grants.service.reports import REPORTED_KPIS
from tenants.context import tenant_tx
from web.actions import act, again_form
from web.auth.guards import person_of, principal_of
from web.forms import MULTI_PART, URL_ENCODED, form_post
from web.grants.money_forms import PaymentRequestForm, ReportForm
from web.grants.money_pages import MONEY_NAMES
from web.grants.pages import APPLICANT, ORGANISATION, page

ONE = "/o/{organisasjonsnummer:str}/grants/applications/{application_id:int}/payments"
MAX_UPLOAD = 60 * 1024 * 1024  # ten attachments of at most 20 MB each, more than enough


def _base(request: Request, application_id: int) -> str:
    number = principal_of(request).active.organisasjonsnummer
    return f"/o/{number}/grants/applications/{application_id}"


async def _page(request: Request, application_id: int, *, status: int = 200, **context) -> Template:
    async with tenant_tx():
        found = await grants.tilsegn(application_id, as_applicant=True)
    context.setdefault("payment_form", {"kind": "part"})
    context.setdefault("report_form", {})
    return page(
        request,
        "grants/applicant/payments.html",
        status=status,
        base=_base(request, application_id),
        tilsegn=found,
        kpis=REPORTED_KPIS,
        may_write=principal_of(request).active.role in APPLICANTS,
        **MONEY_NAMES,
        **context,
    )


@get(ONE, guards=ORGANISATION, name="grant_tilsegn")
async def tilsegn(
    request: Request, application_id: FromPath[int]
) -> Template:
    return await _page(request, application_id)


@form_post(ONE, name="request_grant_payment", guards=APPLICANT, request_max_body_size=MAX_UPLOAD)
async def request_payment(
    request: Request,
    application_id: FromPath[int],
    data: Annotated[PaymentRequestForm, MULTI_PART],
) -> Response:
    async def work() -> int:
        values = await data.values()
        return await grants.request_payment(application_id, **values, person_id=person_of(request))

    return await act(
        request,
        work,
        done=f"{_base(request, application_id)}/payments",
        said=N_(
            "The payment request is sent. It is locked now; the municipality will approve and pay it."
        ),
        again=again_form(partial(_page, request, application_id), data, "payment"),
    )


@form_post(ONE.replace("/payments", "/reports"), name="send_grant_report", guards=APPLICANT)
async def send_report(
    request: Request,
    application_id: FromPath[int],
    data: Annotated[ReportForm, URL_ENCODED],
) -> Response:
    return await act(
        request,
        lambda: grants.send_report(application_id, **data.values(), person_id=person_of(request)),
        done=f"{_base(request, application_id)}/payments",
        said=N_("The report is sent."),
        again=again_form(partial(_page, request, application_id), data, "report"),
    )


ROUTES = [tilsegn, request_payment, send_report]
