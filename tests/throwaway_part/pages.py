"""The throw-away part's one page."""

from __future__ import annotations

from litestar import MediaType, get

from web.auth.guards import PUBLIC


@get("/throwaway", opt=PUBLIC, media_type=MediaType.HTML, name="throwaway_page")
async def throwaway_page() -> str:
    return "<h1>Throw-away notes</h1>"


ROUTES = [throwaway_page]
