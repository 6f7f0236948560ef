"""A municipality's home: what needs doing now, and every area; members are in web/members.py."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from litestar import Request, get
from litestar.params import FromPath
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
# A tender past its bid deadline and not opened yet: its bids wait for the opening.
WAITING_FOR_OPENING = ("published", "bids_closed")


@get(PATH, guards=[municipality_member()], name="municipality_home")
async def home(request: Request, kommunenummer: FromPath[str]) -> Template:
    today, now = date.today(), datetime.now(UTC)
    async with tenant_tx():
        found = await programmes.list_programmes()
        rows = await projects.list_projects(today=today)
        reports_due = await projects.status_reports_due(today)
        tenders = await tendering.tenders_of_municipality()
    decisions_due = [
        p
        for p in rows
        if p.lead_kommunenummer == kommunenummer
        and p.next_decision_due is not None
        and p.next_decision_due <= today + timedelta(days=DECISION_AHEAD_DAYS)
    ]
    to_open = [
        t
        for t in tenders
        if t.state in WAITING_FOR_OPENING and t.opened_at is None and t.bid_deadline <= now
    ]
    return render(
        request,
        "municipality/home.html",
        programmes=found,
        decisions_due=sorted(decisions_due, key=lambda p: p.next_decision_due),
        to_open=to_open,
        reports_due=reports_due,
        may_start_programme=principal_of(request).active.role in MANAGERS,
    )
