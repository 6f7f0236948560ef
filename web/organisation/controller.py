"""A business's home: who acts for it."""

from __future__ import annotations

from litestar import Request, get
from litestar.params import FromPath
from litestar.response import Template

from web.auth.guards import organisation_member
from web.templating import render


@get(
    "/o/{organisasjonsnummer:str}", guards=[organisation_member()], name="organisation_home"
)
async def home(request: Request, organisasjonsnummer: FromPath[str]) -> Template:
    return render(request, "organisation/home.html")
