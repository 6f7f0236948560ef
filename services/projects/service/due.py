"""What a municipality's projects wait for from it: decision points coming due, and status
reports not written for too long. Each use-case answers the first few, most urgent first, and
how many there are in all, in one statement: a home page shows those and links to the rest."""

from __future__ import annotations

from datetime import date, timedelta

import msgspec

from services.projects.rules import is_overdue
from services.projects.service._common import MINE_ROWS
from tenants.context import connection

# A running project reports at least every quarter (the method's rhythm for the steering group).
REPORT_EVERY_DAYS = 92


class ReportDue(msgspec.Struct, frozen=True):
    project_id: int
    title: str
    last_reported: date | None
    due_since: date


class DecisionDue(msgspec.Struct, frozen=True):
    project_id: int
    title: str
    due_date: date
    overdue: bool


async def decisions_due(
    until: date, today: date, *, limit: int | None = None
) -> tuple[list[DecisionDue], int]:
    """The open decision points of the projects this municipality leads, due by `until`, the
    earliest first; a project has one open decision point at most. Read on the index of open
    points by (tenant_id, due_date), however many projects the municipality has had."""
    rows = await connection().fetch(
        "select d.project_id, p.title, d.due_date, count(*) over () as total"
        " from decision_point d join project p on p.tenant_id = d.tenant_id and p.id = d.project_id"
        " where d.tenant_id = app_tenant_id() and d.outcome is null and d.due_date <= $1"
        " order by d.due_date, d.project_id limit $2",
        until,
        limit,
    )
    found = [
        DecisionDue(
            r["project_id"], r["title"], r["due_date"], is_overdue(r["due_date"], today, False)
        )
        for r in rows
    ]
    return found, rows[0]["total"] if rows else 0


async def status_reports_due(
    today: date, *, limit: int | None = None
) -> tuple[list[ReportDue], int]:
    """Running projects of this municipality (led or shared) whose last report is a quarter old,
    the longest due first: each project's last report found on its own, on the index of its
    reports, rather than all their reports grouped."""
    rows = await connection().fetch(
        "select p.id as project_id, p.title, r.last_reported,"
        " coalesce(r.last_reported, p.created_at::date) + $2::int as due_since,"
        " count(*) over () as total"
        f" from {MINE_ROWS} p cross join lateral (select max(r.period_end) as last_reported"
        " from status_report r where r.tenant_id = p.tenant_id and r.project_id = p.id) r"
        " where p.status = 'active' and coalesce(r.last_reported, p.created_at::date) < $1"
        " order by due_since, p.title, p.id limit $3",
        today - timedelta(days=REPORT_EVERY_DAYS),
        REPORT_EVERY_DAYS,
        limit,
    )
    found = [
        ReportDue(r["project_id"], r["title"], r["last_reported"], r["due_since"]) for r in rows
    ]
    return found, rows[0]["total"] if rows else 0
