"""The regional council's comments on a regional project's status reports: its one way to speak."""

from __future__ import annotations

from collections import defaultdict

from services.errors import N_, NotAllowed, NotFound, required_text
from services.inputs import text
from services.projects.schemas import CommentView
from services.projects.service._common import project_row
from services.projects.tables import StatusReport, StatusReportComment
from tenants.context import connection

COMMENT_LIMIT = 4000


class CouncilOnly(NotAllowed):
    def __init__(self) -> None:
        super().__init__(
            "council_only",
            N_("Only the council of the project's region comments on its status reports."),
        )


async def comment_on_status_report(
    project_id: int, status_report_id: int, body: str, *, actor_person_id: int | None
) -> int:
    """The council of the project's region says what it thinks of one status report."""
    project = await project_row(project_id)
    db = connection()
    region = await db.fetchval("select app_region_id()")
    if region is None or project["region_id"] != region:
        raise CouncilOnly()
    checked = required_text(text(body, "body", limit=COMMENT_LIMIT), "body", COMMENT_LIMIT)
    if not await StatusReport.exists().where(
        (StatusReport.tenant_id == project["tenant_id"])
        & (StatusReport.project_id == project_id)
        & (StatusReport.id == status_report_id)
    ):
        raise NotFound("status_report_not_found", N_("No such status report."))
    return await db.fetchval(
        "insert into status_report_comment"
        " (tenant_id, project_id, status_report_id, region_id, body, written_by, author)"
        " values ($1, $2, $3, app_region_id(), $4, $5,"
        " coalesce((select name from person where id = $5), '')) returning id",
        project["tenant_id"],
        project_id,
        status_report_id,
        checked,
        actor_person_id,
    )


async def council_comments(project_id: int) -> dict[int, list[CommentView]]:
    """The council's comments on the project's status reports, by report, oldest first."""
    # No tenant filter: whoever sees the project (its lead, a participant, the council) reads
    # its comments, as the policy on them says.
    rows = (
        await StatusReportComment.select(
            StatusReportComment.id,
            StatusReportComment.status_report_id,
            StatusReportComment.body,
            StatusReportComment.author,
            StatusReportComment.created_at,
        )
        .where(StatusReportComment.project_id == project_id)
        .order_by(StatusReportComment.created_at, StatusReportComment.id)
    )
    found: dict[int, list[CommentView]] = defaultdict(list)
    for row in rows:
        found[row["status_report_id"]].append(CommentView(**row))
    return dict(found)
