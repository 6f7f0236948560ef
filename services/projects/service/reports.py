"""Status reports: the lead and every participant report progress, money and risks per period."""

from __future__ import annotations

import json
from decimal import Decimal

from services.audit.service import record_change
from services.errors import N_, InvalidInput, NotAllowed, required_text
from services.projects.rules import ProjectClosed, ProjectStatus
from services.projects.schemas import StatusReportInput
from services.projects.service._common import (
    current_sub_project,
    emit_project_change,
    project_row,
)
from services.projects.tables import StatusReport
from tenants.rows import insert_row, tenant


def _checked_report(report: StatusReportInput) -> tuple[str, Decimal, Decimal]:
    """The report's progress text, money spent and money planned, each checked."""
    progress = required_text(report.progress, "progress", 10000)
    if report.period_end < report.period_start:
        raise InvalidInput(
            "period_invalid", N_("The period ends after it starts."), field="period_end"
        )
    spent, planned = Decimal(report.spent), Decimal(report.planned)
    if min(spent, planned) < 0:
        raise InvalidInput("amount_invalid", N_("Write an amount of 0 or more."), field="spent")
    return progress, spent, planned


async def add_status_report(
    project_id: int, report: StatusReportInput, *, actor_person_id: int | None
) -> int:
    """A status report for a period of the current sub-project, by the lead or a participant."""
    project = await project_row(project_id)
    me = tenant()
    if me is None:
        raise NotAllowed(
            "status_report_not_allowed", N_("Only the project's municipalities report.")
        )
    if project["status"] == ProjectStatus.CLOSED:
        raise ProjectClosed()
    progress, spent, planned = _checked_report(report)
    sub = await current_sub_project(project)
    contributions = {code: str(Decimal(v)) for code, v in report.kpi_contributions.items()}
    report_id = await insert_row(
        StatusReport(
            tenant_id=project["tenant_id"],  # the lead's, also when a participant reports
            project_id=project_id,
            sub_project_id=sub["id"],
            period_start=report.period_start,
            period_end=report.period_end,
            progress=progress,
            spent=spent,
            planned=planned,
            risks=report.risks.strip(),
            kpi_contributions=json.dumps(contributions),
            reported_by_municipality=me,
            reported_by=actor_person_id,
        )
    )
    await record_change(
        actor_person_id=actor_person_id,
        action="add",
        entity="status_report",
        entity_id=report_id,
        new_values={
            "project_id": project_id,
            "lead_municipality_id": project["tenant_id"],
            "phase": project["phase"],
            "period": [report.period_start, report.period_end],
            "spent": spent,
            "planned": planned,
            "kpi_contributions": contributions,
        },
    )
    # A participant reports on the lead's project: the lead's figures change, and every
    # participant's part of the spending.
    await emit_project_change("projects.status_reported", project)
    return report_id
