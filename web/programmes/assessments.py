"""The yearly programme status assessment (a score and a comment per strategy area, the
recommendations the next action plan answers, documents) and the final evaluation."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get
from litestar.params import FromPath
from litestar.response import Response, Template

from services.errors import N_, NotFound
from services.programmes import service as programmes
from services.programmes.roles import MANAGERS
from services.programmes.schemas import ProgrammeOverview
from services.projects import documents
from services.projects.rules import MAX_DOCUMENT_BYTES
from tenants.context import tenant_tx
from web.auth.guards import municipality_member, person_of
from web.downloads import download
from web.forms import MULTI_PART, form_post, upload_of
from web.programmes.forms import AssessmentForm
from web.programmes.pages import ONE, FormPage

ASSESSMENTS = ONE + "/assessments"
MAX_FILES = 3


async def _files(overview: ProgrammeOverview) -> dict[int, list]:
    """Each assessment's documents, read in the caller's transaction."""
    return {a.id: await documents.documents_of(assessment_id=a.id) for a in overview.assessments}


def _open_years(overview: ProgrammeOverview) -> list[int]:
    assessed = {a.year for a in overview.assessments if a.kind == "yearly"}
    years = range(overview.period_start, overview.period_end + 1)
    return [year for year in years if year not in assessed]


async def _assessments_shows(
    request: Request, overview: ProgrammeOverview, which: str, form: dict
) -> dict[str, Any]:
    return {
        "files": await _files(overview),
        "open_years": _open_years(overview),
        "has_final": any(a.kind == "final" for a in overview.assessments),
        "areas": {a.id: a for a in overview.strategy_areas},
        "score_options": [("", "–"), *((str(n), str(n)) for n in range(1, 7))],
    }


ASSESSMENTS_PAGE = FormPage("assessments", "programmes/assessments.html", _assessments_shows)


@get(ASSESSMENTS, guards=[municipality_member()], name="programme_assessments")
async def programme_assessments(
    request: Request, programme_id: FromPath[int]
) -> Template:
    return await ASSESSMENTS_PAGE.draw(request, programme_id)


@form_post(
    ASSESSMENTS,
    name="record_status_assessment",
    guards=[municipality_member(*MANAGERS)],
    uploads=MAX_FILES * MAX_DOCUMENT_BYTES,
)
async def record_status_assessment(
    request: Request,
    programme_id: FromPath[int],
    data: Annotated[AssessmentForm, MULTI_PART],
) -> Response:
    uploads = [await upload_of(file, field="documents") for file in data.documents[:MAX_FILES]]

    async def work() -> None:
        values = data.values(uploads)
        assessment_id = await programmes.record_status_assessment(
            programme_id, **values, actor_person_id=person_of(request)
        )
        for upload in uploads:
            await documents.add_document(
                content=upload.content,
                name=upload.name,
                claimed_type=upload.media_type,
                assessment_id=assessment_id,
                actor_person_id=person_of(request),
            )

    return await ASSESSMENTS_PAGE.act(request, programme_id, data.kind, data, work)


@get(
    ASSESSMENTS + "/{assessment_id:int}/documents/{document_id:int}",
    guards=[municipality_member()],
    name="assessment_document",
)
async def assessment_document(
    request: Request,
    programme_id: FromPath[int],
    assessment_id: FromPath[int],
    document_id: FromPath[int],
) -> Response:
    async with tenant_tx():
        files = await _files(await programmes.programme_overview(programme_id))
        if document_id not in {d.id for d in files.get(assessment_id, [])}:
            raise NotFound("document_not_found", N_("No such document."))
        found = await documents.document_file(document_id)
    return download(found.content, found.name, found.media_type)


ROUTES = [programme_assessments, record_status_assessment, assessment_document]
