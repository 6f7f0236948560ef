"""An organisation's grant pages: the open calls, its applications, writing a draft, submitting
it (then locked, with its receipt), and following the case. Every use-case runs in its scope."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Response, Template

from services.errors import N_
from services.grants import service as grants
from services.grants.roles import APPLICANTS
from services.grants.schemas import ApplicationView
from tenants.context import tenant_tx
from web.actions import act, again_with
from web.auth.guards import organisation_member, person_of, principal_of
from web.forms import FORMS, URL_ENCODED
from web.grants.forms import ApplicationForm, StartForm
from web.grants.pages import page

HOME = "/o/{organisasjonsnummer:str}/grants"
ONE = HOME + "/applications/{application_id:int}"
BLANK_ROWS = 2  # empty rows below each plan's lines, for new ones


def _base(request: Request) -> str:
    return f"/o/{principal_of(request).active.organisasjonsnummer}/grants"


async def _home(request: Request, *, status: int = 200, **context) -> Template:
    async with tenant_tx():
        calls = await grants.public_calls(open_only=True)
        mine = await grants.own_applications()
    return page(
        request,
        "grants/applicant/home.html",
        status=status,
        base=_base(request),
        calls=calls,
        applications=mine,
        **context,
    )


@get(HOME, guards=[organisation_member()], name="applicant_grants")
async def home(request: Request, organisasjonsnummer: FromPath[str]) -> Template:
    return await _home(request)


@post(
    HOME + "/calls/{call_id:int}/applications",
    guards=[organisation_member(*APPLICANTS)],
    name="start_grant_application",
    status_code=200,
    type_decoders=FORMS,
)
async def start(
    request: Request,
    organisasjonsnummer: FromPath[str],
    call_id: FromPath[int],
    data: Annotated[StartForm, URL_ENCODED],
) -> Response:
    return await act(
        request,
        lambda: grants.start_application(
            call_id, title=data.checked().title, person_id=person_of(request)
        ),
        done=lambda new_id: f"{_base(request)}/applications/{new_id}",
        again=again_with(
            partial(_home, request), "start_errors", start_call=call_id, start_form=data.texts()
        ),
    )


def form_of(application: ApplicationView) -> dict[str, str]:
    """The draft as the form shows it: its texts and its plans' rows, then blank ones."""
    form = {
        "title": application.title,
        "summary": application.summary,
        "project": application.project,
        "effects": application.effects,
    }
    for n, line in enumerate(application.costs):
        form |= {f"cost_description-{n}": line.description, f"cost_amount-{n}": str(line.amount)}
    for n, line in enumerate(application.financing):
        form |= {
            f"fin_source-{n}": line.source,
            f"fin_description-{n}": line.description,
            f"fin_amount-{n}": str(line.amount),
        }
    return form


def rows(form: dict[str, str], prefix: str) -> list[str]:
    """The row numbers the form holds under `prefix`, then BLANK_ROWS more."""
    found = sorted({int(k.rsplit("-", 1)[1]) for k in form if k.startswith(prefix)})
    start = (found[-1] + 1) if found else 0
    return [str(n) for n in found + list(range(start, start + BLANK_ROWS))]


async def _application(
    request: Request, application_id: int, *, status: int = 200, form=None, **context
) -> Template:
    async with tenant_tx():
        application = await grants.own_application(application_id)
    shown = form if form is not None else form_of(application)
    return page(
        request,
        "grants/applicant/application.html",
        status=status,
        base=_base(request),
        application=application,
        form=shown,
        cost_rows=rows(shown, "cost_description-"),
        financing_rows=rows(shown, "fin_source-"),
        may_write=principal_of(request).active.role in APPLICANTS,
        **context,
    )


@get(ONE, guards=[organisation_member()], name="grant_application")
async def application(
    request: Request, organisasjonsnummer: FromPath[str], application_id: FromPath[int]
) -> Template:
    return await _application(request, application_id)


@post(
    ONE,
    guards=[organisation_member(*APPLICANTS)],
    name="save_grant_application",
    status_code=200,
    type_decoders=FORMS,
)
async def save(
    request: Request,
    organisasjonsnummer: FromPath[str],
    application_id: FromPath[int],
    data: Annotated[ApplicationForm, URL_ENCODED],
) -> Response:
    return await act(
        request,
        lambda: grants.save_application(
            application_id, **data.values(), person_id=person_of(request)
        ),
        done=f"{_base(request)}/applications/{application_id}",
        said=N_("The draft is saved."),
        again=again_with(partial(_application, request, application_id), form=data.texts()),
    )


@post(
    ONE + "/submit",
    guards=[organisation_member(*APPLICANTS)],
    name="submit_grant_application",
    status_code=200,
    type_decoders=FORMS,
)
async def submit(
    request: Request,
    organisasjonsnummer: FromPath[str],
    application_id: FromPath[int],
    data: Annotated[ApplicationForm, URL_ENCODED],
) -> Response:
    async def work():
        person = person_of(request)
        await grants.save_application(application_id, **data.values(), person_id=person)
        return await grants.submit_application(application_id, person_id=person)

    return await act(
        request,
        work,
        done=f"{_base(request)}/applications/{application_id}",
        again=again_with(partial(_application, request, application_id), form=data.texts()),
    )


ROUTES = [home, start, application, save, submit]
