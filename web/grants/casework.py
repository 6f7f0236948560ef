"""The official's work on a case beyond the assessment: the recommendation to the board, the
board members' habilitet declarations, the ranking of a call's applications, and the case's
files and decision letters to read."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from litestar import Request, get
from litestar.params import FromPath
from litestar.response import Response, Template

from services.errors import N_
from services.grants import service as grants
from services.grants.roles import ASSESSORS
from tenants.context import tenant_tx
from web.actions import act, again_form
from web.auth.guards import person_of, principal_of
from web.downloads import download
from web.forms import URL_ENCODED, form_post
from web.grants.forms import MemberHabilitetForm, RankingForm, RecommendationForm
from web.grants.municipality import CASE, HOME, _case, case_step_route
from web.grants.pages import ASSESSOR, READER, grants_base, page
from web.grants.tables import download_asked, ranking_table

RANKING = HOME + "/calls/{call_id:int}/ranking"
RANKED = "grants/municipality/_ranking.html"
HABILITET = "grants/municipality/_habilitet.html"


recommend = case_step_route(
    "/recommendation",
    "recommend_grant_application",
    RecommendationForm,
    grants.recommend_application,
    "recommend",
    back_to="#recommendation",
)
declare = case_step_route(
    "/habilitet",
    "declare_grant_habilitet",
    MemberHabilitetForm,
    grants.declare_member,
    "habilitet",
    back_to="#habilitet",
    page=partial(_case, fragment=HABILITET),
    swap=True,
    said=N_("The declaration is recorded."),
)


@get(
    CASE + "/letters/{letter_id:int}",
    guards=READER,
    name="grant_case_letter",
)
async def case_letter(
    request: Request,
    application_id: FromPath[int],
    letter_id: FromPath[int],
) -> Response:
    async with tenant_tx():
        await grants.case(application_id)  # the municipality's own case, or 404
        name, pdf = await grants.letter(application_id, letter_id)
    return download(pdf, name, "application/pdf")


@get(
    CASE + "/attachments/{attachment_id:int}",
    guards=READER,
    name="grant_case_attachment",
)
async def case_attachment(
    request: Request,
    application_id: FromPath[int],
    attachment_id: FromPath[int],
) -> Response:
    async with tenant_tx():
        found = await grants.attachment(application_id, attachment_id, own=False)
    return download(found.content, found.name, found.media_type)


async def _ranking(
    request: Request, call_id: int, *, status: int = 200, **context
) -> Template | Response:
    """The call's ranking (as CSV or XLSX when asked)."""
    async with tenant_tx():
        ranked = await grants.call_ranking(call_id)
        call = next(c for c in await grants.list_calls() if c.id == call_id)
    if file := download_asked(request, ranking_table, ranked):
        return file
    form = context.pop("form", None) or {
        **{f"rank-{a.id}": str(a.rank or "") for a in ranked},
        **{f"comment-{a.id}": a.rank_comment for a in ranked},
    }
    return page(
        request,
        "grants/municipality/ranking.html",
        RANKED,
        status=status,
        base=grants_base(request),
        call=call,
        ranked=ranked,
        form=form,
        may_rank=principal_of(request).active.role in ASSESSORS,
        **context,
    )


@get(RANKING, guards=READER, name="grant_call_ranking")
async def ranking(
    request: Request, call_id: FromPath[int]
) -> Template | Response:
    return await _ranking(request, call_id)


@form_post(RANKING, name="rank_grant_applications", guards=ASSESSOR)
async def rank(
    request: Request,
    call_id: FromPath[int],
    data: Annotated[RankingForm, URL_ENCODED],
) -> Response:
    return await act(
        request,
        lambda: grants.rank_applications(
            call_id, ranks=data.ranks(), actor_person_id=person_of(request)
        ),
        done=f"{grants_base(request)}/calls/{call_id}/ranking",
        said=N_("The ranking is saved."),
        swap=partial(_ranking, request, call_id),
        again=again_form(partial(_ranking, request, call_id), data),
    )


ROUTES = [recommend, declare, case_letter, case_attachment, ranking, rank]
