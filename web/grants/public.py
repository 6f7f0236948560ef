"""The public side of grants, beside the public tenders: every municipality's calls, no login."""

from __future__ import annotations

from litestar import Request, get
from litestar.response import Template

from services.grants import service as grants
from tenants.context import NOBODY, tenant_tx
from web.auth.guards import PUBLIC_CACHED
from web.grants.pages import page


@get("/grants", name="public_grant_calls", opt=PUBLIC_CACHED)
async def calls(request: Request) -> Template:
    async with tenant_tx(NOBODY):
        found = await grants.public_calls()
    return page(request, "grants/public/calls.html", calls=found)


ROUTES = [calls]
