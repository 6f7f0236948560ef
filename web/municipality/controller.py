"""A municipality's home: what needs doing now, and every area; members are in web/members.py.

Each list of what needs doing shows its first few, the most urgent, and how many there are in
all, with a link to where the rest are: the page costs the same few statements whether the
municipality has ten projects or a thousand, and reads at a glance."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from litestar import Request, get
from litestar.response import Template

from services.programmes import service as programmes
from services.programmes.roles import MANAGERS
from services.projects import service as projects
from services.tendering import service as tendering
from tenants.context import tenant_tx
from web.auth.guards import municipality_member, principal_of
from web.templating import render

PATH = "/k/{kommunenummer:str}"
# A decision point this close is on the list before it is overdue.
DECISION_AHEAD_DAYS = 14
# How many of each list of what needs doing the home shows; the rest are a link away.
FIRST = 5


@get(PATH, guards=[municipality_member()], name="municipality_home")
async def home(request: Request) -> Template:
    today, now = date.today(), datetime.now(UTC)
    async with tenant_tx():
        found = await programmes.list_programmes()
        decisions, decisions_total = await projects.decisions_due(
            today + timedelta(days=DECISION_AHEAD_DAYS), today, limit=FIRST
        )
        to_open, to_open_total = await tendering.tenders_to_open(now, limit=FIRST)
        reports, reports_total = await projects.status_reports_due(today, limit=FIRST)
    return render(
        request,
        "municipality/home.html",
        programmes=found,
        decisions_due=decisions,
        decisions_total=decisions_total,
        to_open=to_open,
        to_open_total=to_open_total,
        reports_due=reports,
        reports_total=reports_total,
        may_start_programme=principal_of(request).active.role in MANAGERS,
    )
