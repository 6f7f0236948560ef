"""The regional council's one form on a regional project: a comment on a status report."""

from __future__ import annotations

from typing import Annotated

from litestar import Request
from litestar.params import FromPath
from litestar.response import Response

from services.projects import service as projects
from web.actions import act
from web.auth.guards import person_of, region_member
from web.forms import URL_ENCODED, Form, form_post
from web.projects.controller import COUNCIL_LIST, back_to, project_page_of, project_view


class CommentForm(Form):
    body: str = ""


@form_post(
    COUNCIL_LIST + "/{project_id:int}/status-reports/{report_id:int}/comments",
    name="comment_on_status_report",
    guards=[region_member()],
)
async def comment_on_status_report(
    request: Request,
    region_slug: FromPath[str],
    project_id: FromPath[int],
    report_id: FromPath[int],
    data: Annotated[CommentForm, URL_ENCODED],
) -> Response:
    async def again(status: int, errors: dict[str, str]) -> Response:
        return project_page_of(
            request,
            *await project_view(request, project_id),
            status=status,
            comment_errors={report_id: errors},
            comment_form={report_id: data.texts()},
        )

    return await act(
        request,
        lambda: projects.comment_on_status_report(
            project_id, report_id, data.body, actor_person_id=person_of(request)
        ),
        done=back_to(request, f"/r/{region_slug}/projects/{project_id}", f"report-{report_id}"),
        again=again,
    )


ROUTES = [comment_on_status_report]
