"""The project list with its filters and exports, a project's page, its decision dialog and forms.

A participant of a regional project opens it under its own kommunenummer (row-level security
decides what it sees); the region's council reads its regional projects under /r/.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from litestar import Request, get
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath
from litestar.response import Response, Template

from services.projects import documents
from services.projects import service as projects
from services.projects.roles import CREATORS, WRITERS
from services.projects.rules import MAX_DOCUMENT_BYTES
from services.projects.schemas import MunicipalityChoice, ProjectDetail
from services.projects.service import MyPart
from tenants.context import tenant_tx
from web.actions import Again, act
from web.auth.guards import municipality_member, person_of, principal_of, region_member
from web.downloads import download
from web.forms import MULTI_PART, URL_ENCODED, Form, form_post
from web.paging import PAGE, cursor, pages
from web.projects import export
from web.projects.creation import Shares, shares_of
from web.projects.forms import DecisionForm, DocumentForm, StatusReportForm, filters_of
from web.projects.pages import next_step_context, page, step_defaults
from web.projects.timeline import timeline

LIST = "/k/{kommunenummer:str}/projects"
ONE = LIST + "/{project_id:int}"
COUNCIL_LIST = "/r/{region_slug:str}/projects"


def _base(request: Request) -> str:
    active = principal_of(request).active
    if active.scope == "region":
        return f"/r/{active.region_slug}/projects"
    return f"/k/{active.kommunenummer}/projects"


# --- the list ----------------------------------------------------------------------------------


async def _list_page(request: Request, *, exports: bool) -> Template:
    chosen = filters_of(request)
    after = cursor(request.query_params.get("after", ""), tuple[bool, str, int])
    async with tenant_tx():
        # Only the areas the reader can see: a participant's or a region's project may name one
        # it cannot (then it is no filter).
        named = await projects.project_strategy_areas()
        rows, total = await projects.project_page(
            **chosen.use_case(), today=date.today(), after=after, limit=PAGE + 1
        )
    rows, links = pages(
        rows, chosen.query(), lambda p: (p.status == "closed", p.title, p.id), started=bool(after)
    )
    lang = request.state.get("lang", "nb")
    areas = sorted(((i, nn if lang == "nn" else nb) for i, nb, nn in named), key=lambda a: a[1])
    query = urlencode(chosen.query())
    return page(
        request,
        "projects/list.html",
        "projects/_list.html",
        base=_base(request),
        rows=rows,
        total=total,
        **links,
        areas=areas,
        chosen=chosen,
        query=query,
        exports=exports,
        may_create=_may_create(request),
    )


def shares_now(detail: ProjectDetail) -> Shares:
    """The participants as rows of the cost-share form: the lead first, room for more."""
    lead = detail.summary.lead_kommunenummer
    others = [p for p in detail.participants if not p.lead]
    form = Form.of({})
    form.prefixed = {
        "participant-": {str(i): p.kommunenummer for i, p in enumerate(others, 1)},
        "share-": {
            "0": next(
                (f"{p.cost_share.normalize():f}" for p in detail.participants if p.lead), "100"
            ),
            **{str(i): f"{p.cost_share.normalize():f}" for i, p in enumerate(others, 1)},
        },
    }
    return shares_of(form, lead, "en")


def steering_rows_of(detail: ProjectDetail) -> list[dict]:
    """The steering group as rows of its form, with room for more."""
    rows = [{"name": m.name, "represents": m.represents} for m in detail.steering_group]
    return rows + [{"name": "", "represents": ""}] * 2


def _may_create(request: Request) -> bool:
    active = principal_of(request).active
    return active.scope == "municipality" and active.role in CREATORS


@get(LIST, guards=[municipality_member()], name="project_list")
async def project_list(request: Request) -> Template:
    return await _list_page(request, exports=True)


@get(COUNCIL_LIST, guards=[region_member()], name="council_project_list")
async def council_project_list(request: Request) -> Template:
    return await _list_page(request, exports=False)


async def _export_rows(request: Request):
    chosen = filters_of(request)
    async with tenant_tx():
        return await projects.list_projects(**chosen.use_case(), today=date.today())


@get("/k/{kommunenummer:str}/projects.csv", guards=[municipality_member()], name="projects_csv")
async def projects_csv(request: Request, kommunenummer: FromPath[str]) -> Response:
    rows = await _export_rows(request)
    return export.csv_response(rows, request.state.get("lang", "nb"), f"projects-{kommunenummer}")


@get("/k/{kommunenummer:str}/projects.xlsx", guards=[municipality_member()], name="projects_xlsx")
async def projects_xlsx(request: Request, kommunenummer: FromPath[str]) -> Response:
    rows = await _export_rows(request)
    return export.xlsx_response(rows, request.state.get("lang", "nb"), f"projects-{kommunenummer}")


# --- one project --------------------------------------------------------------------------------


def back_to(request: Request, page: str, anchor: str = "") -> str:
    """The project page after a form, at the form's place. Not for htmx: its client-side
    redirect to the page the browser is on, differing by the anchor alone, would only scroll."""
    if anchor and request.headers.get("hx-request") != "true":
        return f"{page}#{anchor}"
    return page


def _may_write(request: Request, detail: ProjectDetail) -> bool:
    active = principal_of(request).active
    return (
        detail.access in ("lead", "participant")
        and detail.summary.status != "closed"
        and active.role in WRITERS
    )


async def _project(project_id: int) -> ProjectDetail:
    async with tenant_tx():
        return await projects.get_project(project_id, today=date.today())


async def project_view(
    request: Request, project_id: int
) -> tuple[ProjectDetail, MyPart, list[MunicipalityChoice]]:
    """The project, what the person asking may do on it (the use-cases say the same), and the
    municipalities they may name as its participants."""
    async with tenant_tx():
        detail = await projects.get_project(project_id, today=date.today())
        part = await projects.my_part(project_id, person_of(request), date.today())
        neighbours = await projects.participant_candidates() if part.plan else []
    return detail, part, neighbours


def project_page_of(
    request: Request,
    detail: ProjectDetail,
    part: MyPart,
    neighbours: list[MunicipalityChoice] | None = None,
    *,
    status: int = 200,
    fragment: str | None = None,
    **context,
) -> Template:
    context.setdefault("report", {})
    context.setdefault("step_form", step_defaults(detail))
    context.setdefault("step_errors", {})
    context.setdefault("form_step", "")
    context.setdefault("shares", shares_now(detail))
    lead = detail.summary.lead_kommunenummer
    context.setdefault("steering", steering_rows_of(detail))
    context.setdefault("report_errors", {})
    context.setdefault("upload_errors", {})
    context.setdefault("today", date.today().isoformat())
    return page(
        request,
        "projects/project.html",
        fragment or "projects/_timeline.html",
        status=status,
        base=_base(request),
        detail=detail,
        entries=timeline(detail),
        can_decide=part.decide,
        neighbours=[n for n in neighbours or [] if n.kommunenummer != lead],
        part=part,
        can_write=_may_write(request, detail),
        **next_step_context(detail, part),
        **context,
    )


@get(ONE, guards=[municipality_member()], name="project_page")
async def project_page(
    request: Request, project_id: FromPath[int]
) -> Template:
    return project_page_of(request, *await project_view(request, project_id))


@get(COUNCIL_LIST + "/{project_id:int}", guards=[region_member()], name="council_project_page")
async def council_project_page(
    request: Request, project_id: FromPath[int]
) -> Template:
    return project_page_of(request, *await project_view(request, project_id))


# --- the decision -------------------------------------------------------------------------------


def _planned_budget(detail: ProjectDetail):
    following = next(
        (p.next_phase for p in detail.decision_points if p.outcome is None and p.next_phase), None
    )
    planned = next((s for s in detail.sub_projects if s.phase == following), None)
    return following, planned.budget if planned else None


def _decision_page(
    request: Request, detail: ProjectDetail, *, form=None, errors=None, status: int = 200
) -> Template:
    following, budget = _planned_budget(detail)
    awaiting = detail.summary.status == "awaiting_decision"
    form = form or {
        "outcome": "go" if awaiting else "stop",
        "decided_on": date.today().isoformat(),
        "approved_budget": "" if budget is None else f"{budget:f}".split(".")[0],
    }
    return page(
        request,
        "projects/decision.html",
        "projects/_decision.html",
        status=status,
        base=_base(request),
        detail=detail,
        following=following,
        outcomes=["go", "go_with_conditions", "revise", "stop"] if awaiting else ["stop"],
        form=form,
        errors=errors or {},
    )


@get(ONE + "/decision", guards=[municipality_member()], name="decision_dialog")
async def decision_dialog(
    request: Request, project_id: FromPath[int]
) -> Template:
    detail, part, _ = await project_view(request, project_id)
    if not part.decide:
        raise PermissionDeniedException("only the project owner decides")
    return _decision_page(request, detail)


@form_post(ONE + "/decision", name="record_decision", guards=[municipality_member()])
async def record_decision(
    request: Request,
    kommunenummer: FromPath[str],
    project_id: FromPath[int],
    data: Annotated[DecisionForm, URL_ENCODED],
) -> Response:
    async def again(status: int, errors: dict[str, str]) -> Response:
        detail = await _project(project_id)
        return _decision_page(request, detail, form=data.texts(), errors=errors, status=status)

    return await act(
        request,
        lambda: projects.record_decision(
            project_id, **data.values(), actor_person_id=person_of(request)
        ),
        done=f"/k/{kommunenummer}/projects/{project_id}",
        again=again,
    )


# --- status reports and documents ---------------------------------------------------------------


def _again_with(request: Request, project_id: int, fragment: str, **context) -> Again:
    """The project page again (or the form's fragment for htmx), the errors beside the form."""
    errors_key = "report_errors" if "report" in fragment else "upload_errors"

    async def again(status: int, errors: dict[str, str]) -> Response:
        return project_page_of(
            request,
            *await project_view(request, project_id),
            status=status,
            fragment=fragment,
            **{errors_key: errors},
            **context,
        )

    return again


@form_post(
    ONE + "/status-reports",
    name="add_status_report",
    guards=[municipality_member(*WRITERS)],
)
async def add_status_report(
    request: Request,
    kommunenummer: FromPath[str],
    project_id: FromPath[int],
    data: Annotated[StatusReportForm, URL_ENCODED],
) -> Response:
    return await act(
        request,
        lambda: projects.add_status_report(
            project_id, data.report(), actor_person_id=person_of(request)
        ),
        done=back_to(request, f"/k/{kommunenummer}/projects/{project_id}", "status-reports"),
        again=_again_with(request, project_id, "projects/_report_form.html", report=data.texts()),
    )


@form_post(
    ONE + "/documents",
    name="upload_document",
    guards=[municipality_member(*WRITERS)],
    uploads=MAX_DOCUMENT_BYTES,
)
async def upload_document(
    request: Request,
    kommunenummer: FromPath[str],
    project_id: FromPath[int],
    data: Annotated[DocumentForm, MULTI_PART],
) -> Response:
    async def work() -> None:
        await documents.add_document(
            **await data.document(),
            project_id=project_id,
            actor_person_id=person_of(request),
        )

    return await act(
        request,
        work,
        done=back_to(request, f"/k/{kommunenummer}/projects/{project_id}", "documents"),
        again=_again_with(request, project_id, "projects/_upload_form.html"),
    )


@get(ONE + "/documents/{document_id:int}", guards=[municipality_member()], name="project_document")
async def project_document(
    request: Request,
    project_id: FromPath[int],
    document_id: FromPath[int],
) -> Response:
    async with tenant_tx():
        detail = await projects.get_project(project_id)
        if document_id not in {d.id for d in detail.documents}:
            raise NotFoundException()
        found = await documents.document_file(document_id)
    return download(found.content, found.name, found.media_type)


ROUTES = [
    project_list,
    projects_csv,
    projects_xlsx,
    project_page,
    decision_dialog,
    record_decision,
    add_status_report,
    upload_document,
    project_document,
    council_project_list,
    council_project_page,
]
