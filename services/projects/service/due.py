"""What a municipality's projects wait for from it: status reports not written for too long."""

from __future__ import annotations

from datetime import date, timedelta

import msgspec

from services.projects.service._common import MINE
from tenants.context import fetch_structs

# A running project reports at least every quarter (the method's rhythm for the steering group).
REPORT_EVERY_DAYS = 92


class ReportDue(msgspec.Struct, frozen=True):
    project_id: int
    title: str
    last_reported: date | None
    due_since: date


async def status_reports_due(today: date) -> list[ReportDue]:
    """Running projects of this municipality (led or shared) whose last report is a quarter old."""
    return await fetch_structs(
        ReportDue,
        "select p.id as project_id, p.title, max(r.period_end) as last_reported,"
        " coalesce(max(r.period_end), min(p.created_at)::date) + $2::int as due_since"
        " from project p left join status_report r"
        " on r.tenant_id = p.tenant_id and r.project_id = p.id"
        f" where p.status = 'active' and {MINE}"
        " group by p.tenant_id, p.id, p.title"
        " having coalesce(max(r.period_end), min(p.created_at)::date) < $1"
        " order by due_since, p.title",
        today - timedelta(days=REPORT_EVERY_DAYS),
        REPORT_EVERY_DAYS,
    )
