"""An organisation's grant pages: the open calls, its applications, writing a draft, submitting
it (then locked, with its receipt), and following the case. Every use-case runs in its scope."""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import Annotated

from litestar import Request, get
from litestar.params import FromPath
from litestar.response import Response, Template

from services.errors import N_
from services.formats import amount_to_edit
from services.grants import service as grants
from services.grants.roles import APPLICANTS
from services.grants.rules import APPEAL_DAYS, MAX_ATTACHMENT_BYTES, may_appeal
from services.grants.schemas import ApplicationView
from tenants.context import connection, tenant_tx
from web.actions import act, again_form, again_with
from web.auth.guards import person_of, principal_of
from web.downloads import download
from web.forms import MULTI_PART, URL_ENCODED, form_post
from web.grants.forms import AppealForm, ApplicationForm, AttachmentsForm, StartForm
from web.grants.money_forms import TilsegnEndForm
from web.grants.money_pages import TILSEGN_STATES
from web.grants.pages import (
    APPLICANT,
    ORGANISATION,
    application_step_route,
    grants_base,
    page,
)
from web.grants.tables import download_asked, own_table

HOME = "/o/{organisasjonsnummer:str}/grants"
ONE = HOME + "/applications/{application_id:int}"
BLANK_ROWS = 2  # empty rows below each plan's lines, for new ones
PLANS = ("costs", "financing")
DRAFT = "grants/applicant/_draft.html"
# Several files at once, each up to the rules' limit: the body may carry a few of them.
MAX_UPLOAD = 4 * MAX_ATTACHMENT_BYTES + 1024 * 1024


async def _home(request: Request, *, status: int = 200, **context) -> Template | Response:
    """The open calls and the organisation's applications (those as CSV or XLSX when asked)."""
    async with tenant_tx():
        calls = await grants.public_calls(open_only=True)
        mine = await grants.own_applications()
    if file := download_asked(request, own_table, mine):
        return file
    return page(
        request,
        "grants/applicant/home.html",
        status=status,
        base=grants_base(request),
        calls=calls,
        applications=mine,
        **context,
    )


@get(HOME, guards=ORGANISATION, name="applicant_grants")
async def home(request: Request) -> Template | Response:
    return await _home(request)


@form_post(
    HOME + "/calls/{call_id:int}/applications", name="start_grant_application", guards=APPLICANT
)
async def start(
    request: Request,
    call_id: FromPath[int],
    data: Annotated[StartForm, URL_ENCODED],
) -> Response:
    return await act(
        request,
        lambda: grants.start_application(
            call_id, title=data.checked().title, person_id=person_of(request)
        ),
        done=lambda new_id: f"{grants_base(request)}/applications/{new_id}",
        again=again_form(partial(_home, request), data, "start", start_call=call_id),
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
        form |= {
            f"cost_description-{n}": line.description,
            f"cost_amount-{n}": amount_to_edit(line.amount),
        }
    for n, line in enumerate(application.financing):
        form |= {
            f"fin_source-{n}": line.source,
            f"fin_description-{n}": line.description,
            f"fin_amount-{n}": amount_to_edit(line.amount),
        }
    return form


def rows(form: dict[str, str], prefix: str, more: bool = False) -> list[str]:
    """The row numbers the form holds under `prefix`, then BLANK_ROWS more (and one for `more`)."""
    found = sorted({int(k.rsplit("-", 1)[1]) for k in form if k.startswith(prefix)})
    start = (found[-1] + 1) if found else 0
    return [str(n) for n in found + list(range(start, start + BLANK_ROWS + more))]


def _more(asked: str | None) -> str:
    """The plan a writer asked one more line in: "costs", "financing", or none."""
    return asked if asked in PLANS else ""


async def _application(
    request: Request, application_id: int, *, status: int = 200, form=None, more="", **context
) -> Template:
    """The application's page, or for an htmx swap its draft's form (`more`: the plan shown
    with one more blank line)."""
    async with tenant_tx():
        application = await grants.own_application(application_id)
        files = await grants.attachments_of(application_id)
        letters = await grants.letters_of(application_id)
        appeal = await grants.appeal_of(application_id)
        now = await connection().fetchval("select now()")
        if application.state == "granted":
            money = await grants.tilsegn(application_id, as_applicant=True)
            context.setdefault("tilsegn_state", money.tilsegn_state)
            context.setdefault("TILSEGN_STATES", TILSEGN_STATES)
    shown = form if form is not None else form_of(application)
    return page(
        request,
        "grants/applicant/application.html",
        DRAFT,
        status=status,
        base=grants_base(request),
        application=application,
        form=shown,
        cost_rows=rows(shown, "cost_description-", more == "costs"),
        financing_rows=rows(shown, "fin_source-", more == "financing"),
        may_write=principal_of(request).active.role in APPLICANTS,
        files=files,
        files_base=f"{grants_base(request)}/applications/{application_id}/attachments",
        letters=letters,
        appeal=appeal,
        may_appeal=may_appeal(application.state, application.decided_at, now, appeal is not None),
        appeal_until=application.decided_at + timedelta(days=APPEAL_DAYS)
        if application.decided_at
        else None,
        **context,
    )


@get(ONE, guards=ORGANISATION, name="grant_application")
async def application(
    request: Request, application_id: FromPath[int]
) -> Template:
    return await _application(request, application_id, more=_more(request.query_params.get("more")))


@form_post(ONE, name="save_grant_application", guards=APPLICANT)
async def save(
    request: Request,
    application_id: FromPath[int],
    data: Annotated[ApplicationForm, URL_ENCODED],
) -> Response:
    more = _more(data.more)
    return await act(
        request,
        lambda: grants.save_application(
            application_id, **data.values(), person_id=person_of(request)
        ),
        done=f"{grants_base(request)}/applications/{application_id}"
        + (f"?more={more}#plan-{more}" if more else ""),
        said=N_("The draft is saved."),
        swap=partial(_application, request, application_id, more=more),
        again=again_form(partial(_application, request, application_id, more=more), data),
    )


@form_post(ONE + "/submit", name="submit_grant_application", guards=APPLICANT)
async def submit(
    request: Request,
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
        done=f"{grants_base(request)}/applications/{application_id}",
        again=again_form(partial(_application, request, application_id), data),
    )


@form_post(
    ONE + "/attachments",
    name="add_grant_attachments",
    guards=APPLICANT,
    request_max_body_size=MAX_UPLOAD,
)
async def add_attachments(
    request: Request,
    application_id: FromPath[int],
    data: Annotated[AttachmentsForm, MULTI_PART],
) -> Response:
    async def work():
        return await grants.add_attachments(
            application_id, await data.files(), person_id=person_of(request)
        )

    return await act(
        request,
        work,
        done=f"{grants_base(request)}/applications/{application_id}#attachments",
        again=again_with(partial(_application, request, application_id), "files_errors"),
    )


@form_post(
    ONE + "/attachments/{attachment_id:int}/remove",
    name="remove_grant_attachment",
    guards=APPLICANT,
)
async def remove_attachment(
    request: Request,
    application_id: FromPath[int],
    attachment_id: FromPath[int],
) -> Response:
    return await act(
        request,
        lambda: grants.remove_attachment(
            application_id, attachment_id, person_id=person_of(request)
        ),
        done=f"{grants_base(request)}/applications/{application_id}#attachments",
    )


@get(
    ONE + "/attachments/{attachment_id:int}",
    guards=ORGANISATION,
    name="own_grant_attachment",
)
async def attachment(
    request: Request,
    application_id: FromPath[int],
    attachment_id: FromPath[int],
) -> Response:
    async with tenant_tx():
        found = await grants.attachment(application_id, attachment_id, own=True)
    return download(found.content, found.name, found.media_type)


@get(ONE + "/letters/{letter_id:int}", guards=ORGANISATION, name="own_grant_letter")
async def letter(
    request: Request,
    application_id: FromPath[int],
    letter_id: FromPath[int],
) -> Response:
    async with tenant_tx():
        await grants.own_application(application_id)  # the organisation's own, or 404
        name, pdf = await grants.letter(application_id, letter_id)
    return download(pdf, name, "application/pdf")


appeal = application_step_route(
    ONE + "/appeal",
    "appeal_grant_decision",
    AppealForm,
    grants.lodge_appeal,
    "appeal",
    guards=APPLICANT,
    page=_application,
    back_to="#appeal",
    actor="person_id",
)
# The business gives its tilsegn up, before anything is paid.
withdraw = application_step_route(
    ONE + "/tilsegn/withdrawal",
    "withdraw_grant_tilsegn",
    TilsegnEndForm,
    grants.withdraw_tilsegn,
    "withdraw",
    guards=APPLICANT,
    page=_application,
    back_to="#tilsegn",
    said=N_("The tilsegn is withdrawn."),
    actor="person_id",
)


ROUTES = [
    home,
    start,
    application,
    save,
    submit,
    add_attachments,
    remove_attachment,
    attachment,
    letter,
    appeal,
    withdraw,
]
