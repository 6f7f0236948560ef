"""A municipality's home page; its members are managed in web/members.py."""

from __future__ import annotations

from litestar import Request, get
from litestar.params import FromPath
from litestar.response import Template

from web.auth.guards import municipality_member
from web.templating import render

PATH = "/k/{kommunenummer:str}"


@get(PATH, guards=[municipality_member()], name="municipality_home")
async def home(request: Request, kommunenummer: FromPath[str]) -> Template:
    return render(request, "municipality/home.html")
