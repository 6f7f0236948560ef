"""The landing page and the language switch."""

from __future__ import annotations

from litestar import Request, get
from litestar.datastructures import Cookie
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from services.tenancy.service import regions_with_municipalities
from tenants.context import NOBODY, tenant_tx
from web.auth.guards import PUBLIC
from web.i18n import COOKIE, LANGUAGES
from web.templating import render


@get("/", name="landing", opt=PUBLIC)
async def landing(request: Request) -> Template:
    async with tenant_tx(NOBODY):
        regions = await regions_with_municipalities()
    return render(request, "public/landing.html", regions=regions)


def local_path(path: str | None) -> str:
    """Only a path on this site: never let the switch become an open redirect."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    return path


@get("/language/{lang:str}", name="language", opt=PUBLIC)
async def switch_language(
    request: Request, lang: FromPath[str], next: FromQuery[str | None] = None
) -> Redirect:
    target = local_path(next)
    if lang not in LANGUAGES:
        return Redirect(target, status_code=303)
    return Redirect(
        target,
        status_code=303,
        cookies=[
            Cookie(
                key=COOKIE,
                value=lang,
                max_age=365 * 24 * 3600,
                httponly=True,
                samesite="lax",
                secure=request.app.state.settings.secure_cookies,
            )
        ],
    )
