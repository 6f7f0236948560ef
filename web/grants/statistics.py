"""The yearly statistics of kommunale næringsfond, per municipality and per region: each grant
with its purpose, amount, recipient and organisasjonsnummer, on the page and as CSV and XLSX."""

from __future__ import annotations

from litestar import Request, get
from litestar.params import FromPath
from litestar.response import Response, Template

from services import inputs
from services.errors import InvalidInput
from services.grants import service as grants
from tenants.context import connection, tenant_tx
from web.auth.guards import principal_of, region_member
from web.grants.pages import READER, page
from web.grants.tables import download_asked, statistics_table


def _lang(request: Request) -> str:
    return request.state.get("lang", "nb")


async def _year(request: Request) -> int:
    typed = request.query_params.get("year", "")
    try:
        year = inputs.whole(typed, "year") if typed else None
    except InvalidInput:
        year = None
    if year is None or not 2000 <= year <= 2100:
        year = await connection().fetchval(
            "select extract(year from now() at time zone 'Europe/Oslo')::int"
        )
    return year


def _answer(request: Request, rows, year: int, name: str, **context) -> Response | Template:
    return download_asked(request, statistics_table, rows, year, name=name) or page(
        request,
        "grants/statistics.html",
        table=statistics_table(rows, _lang(request), year),
        year=year,
        rows=rows,
        **context,
    )


@get(
    "/k/{kommunenummer:str}/grants/statistics",
    guards=READER,
    name="grant_statistics",
)
async def municipality_statistics(
    request: Request, kommunenummer: FromPath[str]
) -> Response | Template:
    async with tenant_tx():
        year = await _year(request)
        rows = await grants.municipality_statistics(year)
        years = await grants.statistics_years()
    return _answer(
        request,
        rows,
        year,
        f"naeringsfond-{kommunenummer}-{year}",
        years=sorted({*years, year}, reverse=True),
        place=principal_of(request).active.municipality_name,
        home=f"/k/{kommunenummer}",
        base=f"/k/{kommunenummer}/grants/statistics",
    )


@get("/r/{region_slug:str}/grants/statistics", guards=[region_member()], name="region_grant_statistics")
async def region_statistics(request: Request, region_slug: FromPath[str]) -> Response | Template:
    async with tenant_tx():
        year = await _year(request)
        rows = await grants.region_statistics(year)
    return _answer(
        request,
        rows,
        year,
        f"naeringsfond-{region_slug}-{year}",
        years=list(range(year, year - 6, -1)),
        place=principal_of(request).active.region_name,
        home=f"/r/{region_slug}",
        base=f"/r/{region_slug}/grants/statistics",
    )


ROUTES = [municipality_statistics, region_statistics]
