"""Dashboards: the council's region page and a municipality's own, refreshed in place while open.

Every figure is read as the workers stored it, never computed on page load. The council reads
region_figure only: the region's sums and each member's aggregates, and a member's breakdown
from the same table; never a municipality's lists. A municipality's staff also reach the
lists behind their own figures (decision points overdue, projects per sub-project).
"""

from __future__ import annotations

from litestar import MediaType, Request, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Response, Template
from minijinja import Markup

from services.dashboards import service as dashboards
from services.dashboards import versions, views
from services.dashboards.pages import table_html
from services.errors import N_
from services.projects import figures as project_lists
from services.projects.rules import PHASE_NAMES
from tenants.context import tenant_tx
from web.auth.guards import municipality_member, region_member
from web.auth.middleware import READ_WITH_SESSION
from web.dashboards.export import FORMATS, export
from web.downloads import download
from web.i18n import gettext
from web.templating import render, wants_fragment

REGION = "/r/{region_slug:str}/dashboard"
MUNICIPALITY = "/k/{kommunenummer:str}/dashboard"


def _lang(request: Request) -> str:
    return request.state.get("lang", "nb")


def _shown_version(request: Request) -> str | None:
    """The version an open dashboard shows, carried by its poll (htmx asks every two seconds);
    None for a page load, which is never short-cut. While it is still the stored version (the
    worker writes it with the figures) nothing else is read, and the answer is 204."""
    return request.query_params.get("v") if wants_fragment(request) else None


def _nothing_new() -> Response:
    return Response(b"", status_code=204, headers={"Vary": "HX-Request"})


def _kept_version(key_of, param: str):
    """The Redis key of the dashboard's version (services/dashboards/versions.py), read with
    the session (web/auth/middleware.py) for a poll only: a page load carries no version."""

    def key(scope) -> str | None:
        if b"v=" not in scope["query_string"]:
            return None
        settings = scope["litestar_app"].state.settings
        return key_of(settings.app_database_url, scope["path_params"][param])

    return {READ_WITH_SESSION: key}


MUNICIPALITY_VERSION = _kept_version(versions.municipality_key, "kommunenummer")
REGION_VERSION = _kept_version(versions.region_key, "region_slug")


def _kept_is(request: Request, shown: str) -> bool:
    """Whether the version the poll shows is the one Redis keeps: nothing moved since (read
    with the session; the route's guard has let the request in by now)."""
    kept = request.state.get(READ_WITH_SESSION)
    return kept is not None and kept[1] is not None and kept[1].decode() == shown


async def _stored_is(request: Request, shown: str, stored_version) -> bool:
    """Whether the version the poll shows is the stored one, as the database says (in the
    caller's transaction), when Redis keeps another or none. None there: what the database says
    is put there for the next poll, unless a recompute wrote first (services/dashboards/versions.py)."""
    version = await stored_version()
    kept = request.state.get(READ_WITH_SESSION)
    if kept is not None and kept[1] is None:
        await request.app.state.redis.set(kept[0], version, nx=True, ex=versions.SECONDS)
    return version == shown


async def _stored_page(request: Request, alone, stored_version, in_transaction):
    """The dashboard's stored page, or, for a poll of the version still stored, the answer that
    nothing is new. Redis' copy of the version is asked first (read with the session); a page
    load reads its one stored row in one statement (alone()); a poll that Redis could not
    answer, or a page not written in this layout yet, reads in a transaction."""
    shown = _shown_version(request)
    if shown is not None and _kept_is(request, shown):
        return _nothing_new()
    stored = await alone() if shown is None else None
    if stored is None:
        async with tenant_tx():
            if shown is not None and await _stored_is(request, shown, stored_version):
                return _nothing_new()
            stored = await in_transaction()
    return stored


# Where the stored part goes in the rendered page: a comment no text the page prints can make
# (the page escapes it, and an escaped "<" reads "&lt;").
_STORED = "<!--samspel:stored-dashboard-->"


def _page(request: Request, page: str, version: str, body: str, **shown) -> Response:
    """The dashboard, as the worker wrote it: the page (or, for htmx, its fragment) is rendered
    around a mark, and the stored part, tens of kilobytes, put in its place as bytes; through
    the template it was copied to UTF-8 and back and then encoded again, at every request."""
    template = render(
        request,
        f"dashboards/{page}.html",
        fragment="dashboards/_figures.html",
        poll=f"{request.url.path}?v={version}",
        body=Markup(_STORED),
        **shown,
    )
    engine = request.app.template_engine
    context = template.create_template_context(request)
    before, after = engine.get_template(template.template_name).render(**context).split(_STORED, 1)
    return Response(
        b"".join((before.encode(), body.encode(), after.encode())),
        media_type=MediaType.HTML,
        headers=template.headers,
        cookies=template.cookies,
        status_code=template.status_code,
    )


def _export(table: views.DashTable, fmt: str, name: str) -> Response:
    content, media_type = export(table, fmt)
    return download(content, f"{name}-{table.key}.{fmt}", media_type)


def _pick(tables: list[views.DashTable], key: str, fmt: str) -> views.DashTable:
    if fmt not in FORMATS:
        raise NotFoundException()
    for table in tables:
        if table.key == key:
            return table
    raise NotFoundException()


# --- the council ----------------------------------------------------------------------------------


async def _region() -> dashboards.RegionFigures:
    async with tenant_tx():
        return await dashboards.figures_for_region()


async def _region_page(request: Request, kommunenummer: str | None) -> Response:
    """The region's page of its sums (kommunenummer None) or of one member, as stored; for a
    poll of the version shown, only the version is read and nothing new is answered."""
    lang = _lang(request)
    stored = await _stored_page(
        request,
        lambda: dashboards.stored_region_page(kommunenummer, lang),
        dashboards.region_version,
        lambda: dashboards.region_page(kommunenummer, lang),
    )
    if isinstance(stored, Response):
        return stored
    if stored is None:
        raise NotFoundException()
    if kommunenummer is None:
        return _page(request, "region", stored.version, stored.body)
    return _page(request, "region_member", stored.version, stored.body, member=stored.name)


def _member(region: dashboards.RegionFigures, kommunenummer: str) -> dashboards.Member:
    for member in region.members:
        if member.kommunenummer == kommunenummer:
            return member
    raise NotFoundException()


def _region_tables(request, region, region_slug: str) -> list[views.DashTable]:
    return views.region_tables(region, _lang(request), f"/r/{region_slug}/dashboard")


@get(REGION, guards=[region_member()], name="region_dashboard", opt=REGION_VERSION)
async def region_dashboard(request: Request, region_slug: FromPath[str]) -> Response:
    return await _region_page(request, None)


@get(
    REGION + "/k/{kommunenummer:str}",
    guards=[region_member()],
    name="region_member_dashboard",
    opt=REGION_VERSION,
)
async def region_member_dashboard(
    request: Request, region_slug: FromPath[str], kommunenummer: FromPath[str]
) -> Response:
    return await _region_page(request, kommunenummer)


@get(REGION + "/export/{table:str}", guards=[region_member()], name="region_dashboard_export")
async def region_export(
    request: Request,
    region_slug: FromPath[str],
    table: FromPath[str],
    format: FromQuery[str] = "csv",
    kommunenummer: FromQuery[str | None] = None,
) -> Response:
    region = await _region()
    if kommunenummer:
        member = _member(region, kommunenummer)
        tables = views.municipality_tables(region.figures.get(member.id, []), _lang(request), None)
        name = f"{region_slug}-{kommunenummer}"
    else:
        tables, name = _region_tables(request, region, region_slug), region_slug
    return _export(_pick(tables, table, format), format, name)


# --- a municipality's own -------------------------------------------------------------------------


def _municipality_tables(request, figures, kommunenummer: str) -> list[views.DashTable]:
    return views.municipality_tables(figures, _lang(request), f"/k/{kommunenummer}/dashboard")


@get(
    MUNICIPALITY,
    guards=[municipality_member()],
    name="municipality_dashboard",
    opt=MUNICIPALITY_VERSION,
)
async def municipality_dashboard(request: Request, kommunenummer: FromPath[str]) -> Response:
    lang = _lang(request)
    stored = await _stored_page(
        request,
        lambda: dashboards.stored_municipality_page(lang),
        dashboards.municipality_version,
        lambda: dashboards.municipality_page(lang),
    )
    if isinstance(stored, Response):
        return stored
    return _page(request, "municipality", stored.version, stored.body)


def _overdue_table(rows, lang: str) -> views.DashTable:
    t = views.DashTable(
        "overdue",
        gettext(lang, N_("Decision points overdue")),
        [gettext(lang, s) for s in (N_("Project"), N_("Next sub-project"), N_("Due"))],
        numeric_from=2,  # the due date, right-aligned and written as a day by the page
    )
    for d in rows:
        phase = gettext(lang, PHASE_NAMES[d.next_phase]) if d.next_phase else ""
        t.add([d.project_title, phase, d.due_date], f"/projects/{d.project_id}")
    return t


def _phase_table(rows, phase: str, lang: str) -> views.DashTable:
    t = views.DashTable(
        f"projects-{phase}",
        gettext(lang, PHASE_NAMES[phase]),
        [gettext(lang, N_("Project")), gettext(lang, N_("Approved (NOK)"))],
    )
    for p in rows:
        t.add([p.title, p.approved_budget], f"/projects/{p.id}")
    return t


async def _list(request: Request, kommunenummer: str, which: str) -> views.DashTable:
    lang = _lang(request)
    if which == "overdue":
        async with tenant_tx():
            table = _overdue_table(await project_lists.overdue_decisions(), lang)
    elif which.startswith("projects-") and which[9:] in PHASE_NAMES:
        async with tenant_tx():
            table = _phase_table(await project_lists.projects_in_phase(which[9:]), which[9:], lang)
    else:
        raise NotFoundException()
    # Each project's page lives under the municipality's own address.
    table.links = [f"/k/{kommunenummer}{link}" if link else None for link in table.links]
    return table


def _list_page(request: Request, kommunenummer: str, table: views.DashTable) -> Template:
    return render(
        request,
        "dashboards/list.html",
        title=table.title,
        table=table_html(table, _lang(request), f"/k/{kommunenummer}/dashboard/export"),
        back=f"/k/{kommunenummer}/dashboard",
    )


@get(MUNICIPALITY + "/overdue", guards=[municipality_member()], name="dashboard_overdue")
async def overdue(request: Request, kommunenummer: FromPath[str]) -> Template:
    return _list_page(request, kommunenummer, await _list(request, kommunenummer, "overdue"))


@get(MUNICIPALITY + "/projects/{phase:str}", guards=[municipality_member()], name="dashboard_phase")
async def phase_projects(
    request: Request, kommunenummer: FromPath[str], phase: FromPath[str]
) -> Template:
    table = await _list(request, kommunenummer, f"projects-{phase}")
    return _list_page(request, kommunenummer, table)


@get(
    MUNICIPALITY + "/export/{table:str}",
    guards=[municipality_member()],
    name="municipality_dashboard_export",
)
async def municipality_export(
    request: Request,
    kommunenummer: FromPath[str],
    table: FromPath[str],
    format: FromQuery[str] = "csv",
) -> Response:
    if format not in FORMATS:
        raise NotFoundException()
    if table == "overdue" or table.startswith("projects-"):
        chosen = await _list(request, kommunenummer, table)
    else:
        async with tenant_tx():
            own = await dashboards.figures_for_municipality()
        chosen = _pick(_municipality_tables(request, own.figures, kommunenummer), table, format)
    return _export(chosen, format, kommunenummer)


ROUTES = [
    region_dashboard,
    region_member_dashboard,
    region_export,
    municipality_dashboard,
    overdue,
    phase_projects,
    municipality_export,
]
