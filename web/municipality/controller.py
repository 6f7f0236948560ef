"""A municipality's home page; its members are managed in web/members.py."""

from __future__ import annotations

from litestar import Request, get
from litestar.params import FromPath
from litestar.response import Template

from services.programmes import service as programmes
from services.programmes.roles import MANAGERS
from tenants.context import tenant_tx
from web.auth.guards import municipality_member, principal_of
from web.templating import render

PATH = "/k/{kommunenummer:str}"


@get(PATH, guards=[municipality_member()], name="municipality_home")
async def home(request: Request, kommunenummer: FromPath[str]) -> Template:
    async with tenant_tx():
        found = await programmes.list_programmes()
    return render(
        request,
        "municipality/home.html",
        programmes=found,
        may_start_programme=principal_of(request).active.role in MANAGERS,
    )
