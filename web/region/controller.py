"""The regional council's home: its member municipalities (dashboards come with the workers)."""

from __future__ import annotations

from litestar import Request, get
from litestar.params import FromPath
from litestar.response import Template

from services.tenancy.service import regions_with_municipalities
from tenants.context import tenant_tx
from web.auth.guards import principal_of, region_member
from web.templating import render


@get("/r/{region_slug:str}", guards=[region_member()], name="region_home")
async def home(request: Request, region_slug: FromPath[str]) -> Template:
    active = principal_of(request).active
    async with tenant_tx():
        region = next(r for r in await regions_with_municipalities() if r.id == active.region_id)
    return render(request, "region/home.html", region=region)
