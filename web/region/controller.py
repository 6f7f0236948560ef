"""The regional council's home: what needs its attention, its members, municipalities and projects."""

from __future__ import annotations

from datetime import date

from litestar import Request, get
from litestar.params import FromPath
from litestar.response import Template

from services.access import service as access
from services.projects import service as projects
from services.tenancy.service import regions_with_municipalities
from tenants.context import tenant_tx
from web.auth.guards import principal_of, region_member
from web.projects.pages import PHASES
from web.templating import render


@get("/r/{region_slug:str}", guards=[region_member()], name="region_home")
async def home(request: Request, region_slug: FromPath[str]) -> Template:
    active = principal_of(request).active
    async with tenant_tx():
        region = next(r for r in await regions_with_municipalities() if r.id == active.region_id)
        members = await access.members_of(region_id=active.region_id)
        regional = await projects.list_projects(today=date.today())
    return render(
        request,
        "region/home.html",
        region=region,
        members=members,
        regional=regional,
        awaiting=[p for p in regional if p.status == "awaiting_decision"],
        PHASES=PHASES,
    )
