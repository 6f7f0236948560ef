"""Dashboard rollups: recompute a municipality's slice or a region's figures and upsert them; read them.

The figures are the parts': each part's figures.py declares its slices (what it computes,
and which events change it), found through services/parts.py; nothing here names a part.

Two kinds of function live here. The reads (figures_for_municipality, figures_for_region)
run inside the caller's tenant_tx(), like every use-case. The
recomputes (recompute_municipality, recompute_region, refresh_everything) are the jobs a
worker runs: each opens its own transaction, because it is the boundary, as an actor is.

Nothing here bypasses row-level security. A municipality's figures are computed in its own
scope from what that scope may read (a sealed bid is no row there, so it is never counted);
a region's figures are computed from its members' figures, read member by member in each
one's own scope, and written in the region's scope. Every recompute replaces its slice with
what the rows say now (upsert, and delete what no longer exists), under a lock, so running
it twice, concurrently, or again after a crash, leaves the same figures.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

import msgspec

from services.dashboards import pages, rules, versions
from services.dashboards.charts import Chart, Drawn, draw_all
from services.dashboards.rules import Figure, RegionFigureRow, Slice, region_figures
from services.errors import N_, InvalidInput
from services.i18n import LANGUAGES
from services.parts import figure_modules
from tenants.context import (
    Scope,
    connection,
    fetch_structs,
    fetchrow_alone,
    rescope,
    tenant_tx,
)
from tenants.tables import Municipality

if TYPE_CHECKING:
    import asyncpg

# Overdue is judged by the Norwegian calendar day, whatever the server's zone.
TODAY = "select (now() at time zone 'Europe/Oslo')::date"


class Member(msgspec.Struct, frozen=True):
    id: int
    kommunenummer: str
    name: str


class MunicipalityFigures(msgspec.Struct, frozen=True):
    figures: list[Figure]
    computed_at: datetime | None


class RegionFigures(msgspec.Struct, frozen=True):
    members: list[Member]
    # municipality id (0 for the region as a whole) -> its figures
    figures: dict[int, list[Figure]]
    computed_at: datetime | None


def slices() -> tuple[Slice, ...]:
    """Every part's dashboard slices, in the order of the parts."""
    found = tuple(s for module in figure_modules() for s in module.SLICES)
    names = [s.name for s in found]
    if len(set(names)) != len(names):
        raise ValueError(f"two parts compute one dashboard slice: {names}")
    return found


def charts() -> tuple[Chart, ...]:
    """Every part's dashboard charts (`CHARTS` in its figures.py), in the order of the parts."""
    return tuple(c for module in figure_modules() for c in getattr(module, "CHARTS", ()))


def slice_names() -> tuple[str, ...]:
    return tuple(s.name for s in slices())


def slices_for(kind: str) -> tuple[str, ...]:
    """The slices an event of this kind may change; () for one no figure depends on."""
    return rules.slices_for(kind, slices())


def changing_kinds() -> frozenset[str]:
    """Every event kind after which some dashboard figure may differ."""
    return frozenset(kind for s in slices() for kind in s.changed_by)


def _chosen(names: Iterable[str] | None) -> tuple[Slice, ...]:
    """These slices (all when None), in the parts' order; an unknown name is a bug."""
    every = slices()
    if names is None:
        return every
    wanted = set(names)
    unknown = wanted - {s.name for s in every}
    if unknown:
        raise ValueError(f"unknown dashboard slices: {sorted(unknown)}")
    return tuple(s for s in every if s.name in wanted)


# --- computing, inside the municipality's transaction ------------------------------------------


async def today() -> date:
    return await connection().fetchval(TODAY)


async def compute_municipality(names: Iterable[str] | None = None, *, on: date) -> list[Figure]:
    """The figures of these slices (all when None) as the transaction's municipality's rows say now."""
    figures: list[Figure] = []
    for slice_ in _chosen(names):
        figures += await slice_.compute(on)
    return sorted(figures)


async def _lock(name: str, *ids: int) -> datetime:
    """Queue on this rollup's lock; returns the time the figures are computed at.

    Taken before reading, so two recomputes of one slice never interleave: the later one
    reads what the earlier one could not have seen, and writes last.
    """
    key = ":".join(["dashboard", name, *map(str, ids)])
    await connection().execute("select pg_advisory_xact_lock(hashtextextended($1, 0))", key)
    return await connection().fetchval("select clock_timestamp()")


async def _store_municipality(slice_: str, figures: Sequence[Figure], at: datetime) -> None:
    db = connection()
    columns = [
        [f.metric for f in figures],
        [f.subject for f in figures],
        [f.year for f in figures],
        [f.label for f in figures],
        [f.value for f in figures],
    ]
    await db.execute(
        "insert into municipality_figure (tenant_id, slice, metric, subject, year, label, value,"
        " computed_at) select app_tenant_id(), $1, f.metric, f.subject, f.year, f.label, f.value,"
        " $7 from unnest($2::text[], $3::text[], $4::int[], $5::text[], $6::numeric[])"
        " as f (metric, subject, year, label, value)"
        " on conflict (tenant_id, slice, metric, subject, year) do update"
        " set label = excluded.label, value = excluded.value, computed_at = excluded.computed_at",
        slice_,
        *columns,
        at,
    )
    await db.execute(
        "delete from municipality_figure f where f.tenant_id = app_tenant_id() and f.slice = $1"
        " and not exists (select 1 from unnest($2::text[], $3::text[], $4::int[])"
        " as k (metric, subject, year)"
        " where k.metric = f.metric and k.subject = f.subject and k.year = f.year)",
        slice_,
        *columns[:3],
    )


async def recompute_here(names: Iterable[str] | None = None) -> list[Figure]:
    """Recompute and store these slices (all when None) of the open transaction's municipality."""
    db = connection()
    tenant_id = await db.fetchval("select app_tenant_id()")
    if tenant_id is None:
        raise InvalidInput("no_municipality", N_("Only a municipality has these figures."))
    on = await today()
    stored: list[Figure] = []
    for slice_ in _chosen(names):
        at = await _lock(slice_.name, tenant_id)
        figures = sorted(await slice_.compute(on))
        await _store_municipality(slice_.name, figures, at)
        stored += figures
    shown = await _draw_municipality_charts()
    version = version_of(shown)
    await _write_municipality_page(shown, version)
    kommunenummer = await connection().fetchval(
        "insert into municipality_dashboard (tenant_id, version, computed_at)"
        " values (app_tenant_id(), $1, clock_timestamp()) on conflict (tenant_id) do update"
        " set version = excluded.version, computed_at = excluded.computed_at"
        " returning (select kommunenummer from municipality where id = tenant_id)",
        version,
    )
    # Holding the version row's lock, before the commit (services/dashboards/versions.py).
    versions.keep(versions.municipality_key(_database_url(), kommunenummer), version)
    return stored


# --- charts, drawn here and stored; a page only reads them ------------------------------------


def _redrawn(
    figures: Sequence[Figure],
    drawn_before: dict[str, str],
    drawn_elsewhere: dict[str, dict[str, Drawn]] | None = None,
) -> tuple[list[tuple[int, Chart, str, dict[str, Drawn]]], list[str]]:
    """The charts whose figures moved since they were drawn, drawn again in every language
    (position, chart, digest, language -> drawing), and the names of every chart there is.

    A chart's digest is all its drawing depends on, so a drawing of the same digest found
    elsewhere (`drawn_elsewhere`: digest -> language -> drawing) is taken as it is."""
    every = charts()
    redrawn = []
    for position, chart in enumerate(every):
        digest = chart.digest(figures)
        if drawn_before.get(chart.name) == digest:
            continue
        drawings = (drawn_elsewhere or {}).get(digest)
        if drawings is None:
            drawings = {lang: drawn for (lang, _), drawn in draw_all([chart], figures).items()}
        redrawn.append((position, chart, digest, drawings))
    return redrawn, [c.name for c in every]


def _missing(figures: Sequence[Figure], drawn_before: dict[str, str]) -> list[str]:
    """The digests of the charts of these figures that are not drawn yet."""
    wanted = (chart.digest(figures) for chart in charts())
    return [d for d in wanted if d not in drawn_before.values()]


async def _drawn_by_digest(digests: Sequence[str]) -> dict[str, dict[str, Drawn]]:
    """The open transaction's municipality's charts of these digests: digest -> language ->
    drawing (those it drew with nothing to show are none)."""
    found: dict[str, dict[str, Drawn]] = defaultdict(dict)
    for r in await connection().fetch(
        "select digest, lang, title, svg from municipality_chart"
        " where tenant_id = app_tenant_id() and digest = any($1::text[])",
        list(digests),
    ):
        found[r["digest"]][r["lang"]] = Drawn(r["title"], r["svg"])
    return found


def _chart_columns(redrawn) -> list[list]:
    rows = [
        (lang, chart.name, position, drawn.title, drawn.svg, digest)
        for position, chart, digest, drawings in redrawn
        for lang, drawn in drawings.items()
    ]
    return [[r[i] for r in rows] for i in range(6)]


def version_of(shown: object) -> str:
    """A dashboard's version: a digest of all its page shows, stored with the figures."""
    return hashlib.sha256(msgspec.json.encode(shown), usedforsecurity=False).hexdigest()[:16]


async def _draw_municipality_charts() -> MunicipalityFigures:
    """Draw the open transaction's municipality's charts whose figures moved, and store them;
    returns the figures they were drawn from, as the page reads them."""
    db = connection()
    shown = await figures_for_municipality()
    figures = shown.figures
    before = {
        r["chart"]: r["digest"]
        for r in await db.fetch(
            "select distinct chart, digest from municipality_chart"
            " where tenant_id = app_tenant_id()"
        )
    }
    redrawn, names = _redrawn(figures, before)
    if redrawn:
        # A chart drawn again replaces all its languages (one with nothing to show is gone).
        await db.execute(
            "delete from municipality_chart where tenant_id = app_tenant_id()"
            " and chart = any($1::text[])",
            [chart.name for _, chart, _, _ in redrawn],
        )
        await db.execute(
            "insert into municipality_chart (tenant_id, lang, chart, position, title, svg,"
            " digest, drawn_at) select app_tenant_id(), c.lang, c.chart, c.position, c.title,"
            " c.svg, c.digest, clock_timestamp() from unnest($1::text[], $2::text[], $3::int[],"
            " $4::text[], $5::text[], $6::text[]) as c (lang, chart, position, title, svg, digest)",
            *_chart_columns(redrawn),
        )
    await db.execute(
        "delete from municipality_chart where tenant_id = app_tenant_id()"
        " and chart <> all($1::text[])",
        names,
    )
    return shown


async def _draw_region_charts(
    rows: Sequence[RegionFigureRow], members: Sequence[int], region_id: int
) -> None:
    """The region's charts (its sums) and each member's, from the rows just stored.

    A member's chart of figures the council sees whole is the very chart the member's own
    dashboard holds (the same digest): it is read from there, in the member's scope, rather
    than drawn a second time."""
    db = connection()
    by_municipality: dict[int, list[Figure]] = defaultdict(list)
    for row in rows:
        by_municipality[row.municipality_id].append(row.figure)
    before: dict[int, dict[str, str]] = defaultdict(dict)
    for r in await db.fetch(
        "select distinct municipality_id, chart, digest from region_chart"
        " where region_id = app_region_id()"
    ):
        before[r["municipality_id"]][r["chart"]] = r["digest"]
    elsewhere: dict[str, dict[str, Drawn]] = {}
    rescoped = False
    for municipality_id in members:
        missing = _missing(by_municipality.get(municipality_id, []), before[municipality_id])
        if missing:
            await rescope(Scope(tenant_id=municipality_id))
            rescoped = True
            elsewhere.update(await _drawn_by_digest(missing))
    if rescoped:
        await rescope(Scope(region_id=region_id))
    names = [c.name for c in charts()]
    for municipality_id in (rules.WHOLE_REGION, *members):
        redrawn, _ = _redrawn(
            by_municipality.get(municipality_id, []), before[municipality_id], elsewhere
        )
        if not redrawn:
            continue
        await db.execute(
            "delete from region_chart where region_id = app_region_id() and municipality_id = $1"
            " and chart = any($2::text[])",
            municipality_id,
            [chart.name for _, chart, _, _ in redrawn],
        )
        await db.execute(
            "insert into region_chart (region_id, municipality_id, lang, chart, position, title,"
            " svg, digest, drawn_at) select app_region_id(), $1, c.lang, c.chart, c.position,"
            " c.title, c.svg, c.digest, clock_timestamp() from unnest($2::text[], $3::text[],"
            " $4::int[], $5::text[], $6::text[], $7::text[])"
            " as c (lang, chart, position, title, svg, digest)",
            municipality_id,
            *_chart_columns(redrawn),
        )
    await db.execute(
        "delete from region_chart where region_id = app_region_id()"
        " and (chart <> all($1::text[]) or municipality_id <> all($2::bigint[]))",
        names,
        [rules.WHOLE_REGION, *members],
    )


# --- the pages, written here in every language and stored; a request only reads them ------------


def _by_lang(records) -> dict[str, list[Drawn]]:
    drawn: dict[str, list[Drawn]] = defaultdict(list)
    for r in records:
        drawn[r["lang"]].append(Drawn(r["title"], r["svg"]))
    return drawn


async def _municipality_pages(
    shown: MunicipalityFigures, languages: Sequence[str] = LANGUAGES
) -> list[pages.Written]:
    """The open transaction's municipality's dashboard, written from its stored figures and
    charts in these languages."""
    db = connection()
    kommunenummer = await db.fetchval(
        "select kommunenummer from municipality where id = app_tenant_id()"
    )
    drawn = _by_lang(
        await db.fetch(
            "select lang, title, svg from municipality_chart where tenant_id = app_tenant_id()"
            " order by position"
        )
    )
    return pages.municipality_page(
        kommunenummer, shown.figures, shown.computed_at, drawn, languages
    )


async def _write_municipality_page(shown: MunicipalityFigures, version: str) -> None:
    """Store the open transaction's municipality's dashboard in every language, as the
    dashboard of this version, replacing what was written before."""
    written = await _municipality_pages(shown)
    await connection().execute(
        "insert into municipality_page (tenant_id, lang, body, version, layout, written_at)"
        " select app_tenant_id(), p.lang, p.body, $3, $4, clock_timestamp()"
        " from unnest($1::text[], $2::text[]) as p (lang, body)"
        " on conflict (tenant_id, lang) do update set body = excluded.body,"
        " version = excluded.version, layout = excluded.layout, written_at = excluded.written_at",
        [w.lang for w in written],
        [w.body for w in written],
        version,
        pages.LAYOUT,
    )


async def _region_pages(
    languages: Sequence[str] = LANGUAGES,
) -> tuple[RegionFigures, dict[int, list[pages.Written]]]:
    """The open transaction's region's pages (its sums, key WHOLE_REGION, and each member's),
    written from its stored figures and charts in these languages."""
    db = connection()
    region = await figures_for_region()
    slug = await db.fetchval("select slug from region where id = app_region_id()")
    drawn: dict[int, list] = defaultdict(list)
    for r in await db.fetch(
        "select municipality_id, lang, title, svg from region_chart"
        " where region_id = app_region_id() order by municipality_id, position"
    ):
        drawn[r["municipality_id"]].append(r)
    charts = {m: _by_lang(rs) for m, rs in drawn.items()}
    return region, pages.region_pages(slug, region, charts, languages)


async def _write_region_pages(version: str) -> None:
    """Store the open transaction's region's pages in every language, as its dashboard of
    this version, from the figures and charts it has just stored; a former member's go."""
    region, written = await _region_pages()
    names = {m.id: (m.kommunenummer, m.name) for m in region.members}
    rows = [
        (municipality_id, *names.get(municipality_id, ("", "")), w.lang, w.body)
        for municipality_id, languages in written.items()
        for w in languages
    ]
    db = connection()
    await db.execute("delete from region_page where region_id = app_region_id()")
    await db.execute(
        "insert into region_page (region_id, municipality_id, kommunenummer, name, lang, body,"
        " version, layout, written_at) select app_region_id(), p.m, p.nr, p.name, p.lang,"
        " p.body, $6, $7, clock_timestamp() from unnest($1::bigint[], $2::text[], $3::text[],"
        " $4::text[], $5::text[]) as p (m, nr, name, lang, body)",
        *([r[i] for r in rows] for i in range(5)),
        version,
        pages.LAYOUT,
    )


def _database_url() -> str:
    """The database the tables are bound to, whose dashboards' versions Redis keeps apart."""
    return Municipality._meta.db.config["dsn"]


# --- the jobs: each its own transaction ---------------------------------------------------------


async def recompute_municipality(tenant_id: int, names: Iterable[str] | None = None) -> None:
    """Recompute a municipality's slices (all when None) in its own scope, in one transaction."""
    async with tenant_tx(tenant_id):
        await recompute_here(names)


async def regions_of(tenant_id: int) -> list[int]:
    async with tenant_tx(Scope()):
        rows = await connection().fetch(
            "select region_id from region_member where municipality_id = $1 order by region_id",
            tenant_id,
        )
    return [r["region_id"] for r in rows]


async def recompute_region(region_id: int) -> None:
    """Recompute a region's figures from its members' figures.

    One transaction, scoped in turn to each member (to read that member's figures, and
    nothing else of it) and to the region (to write): the region's lock is held from before
    the first read to the commit, so a later run always writes last and from newer figures.
    """
    async with tenant_tx(Scope(region_id=region_id)):
        at = await _lock("region", region_id)
        members = await _members()
        by_municipality: dict[int, list[Figure]] = {}
        for member in members:
            await rescope(Scope(tenant_id=member.id))
            by_municipality[member.id] = (await figures_for_municipality()).figures
        await rescope(Scope(region_id=region_id))
        rows = region_figures(by_municipality, slices())
        await _store_region(rows, at)
        await _draw_region_charts(rows, [m.id for m in members], region_id)
        version = version_of([members, rows, at])
        await _write_region_pages(version)
        slug = await connection().fetchval(
            "insert into region_dashboard (region_id, version, computed_at)"
            " values (app_region_id(), $1, clock_timestamp()) on conflict (region_id) do update"
            " set version = excluded.version, computed_at = excluded.computed_at"
            " returning (select slug from region where id = region_id)",
            version,
        )
        versions.keep(versions.region_key(_database_url(), slug), version)


async def _store_region(rows: Sequence[RegionFigureRow], at: datetime) -> None:
    db = connection()
    columns = [
        [r.municipality_id for r in rows],
        [r.figure.slice for r in rows],
        [r.figure.metric for r in rows],
        [r.figure.subject for r in rows],
        [r.figure.year for r in rows],
        [r.figure.label for r in rows],
        [r.figure.value for r in rows],
    ]
    await db.execute(
        "insert into region_figure (region_id, municipality_id, slice, metric, subject, year,"
        " label, value, computed_at) select app_region_id(), f.m, f.slice, f.metric, f.subject,"
        " f.year, f.label, f.value, $8 from unnest($1::bigint[], $2::text[], $3::text[],"
        " $4::text[], $5::int[], $6::text[], $7::numeric[])"
        " as f (m, slice, metric, subject, year, label, value)"
        " on conflict (region_id, municipality_id, slice, metric, subject, year) do update"
        " set label = excluded.label, value = excluded.value, computed_at = excluded.computed_at",
        *columns,
        at,
    )
    await db.execute(
        "delete from region_figure f where f.region_id = app_region_id()"
        " and not exists (select 1 from unnest($1::bigint[], $2::text[], $3::text[], $4::text[],"
        " $5::int[]) as k (m, slice, metric, subject, year) where k.m = f.municipality_id"
        " and k.slice = f.slice and k.metric = f.metric and k.subject = f.subject"
        " and k.year = f.year)",
        *columns[:5],
    )


async def refresh_municipalities_and_regions(
    municipality_ids: Iterable[int], names: Iterable[str] | None = None
) -> None:
    """What a change event leads to: each municipality's slices, then each of their regions
    once, after every member it reads has been recomputed."""
    regions: dict[int, None] = {}
    for tenant_id in municipality_ids:
        await recompute_municipality(tenant_id, names)
        regions.update(dict.fromkeys(await regions_of(tenant_id)))
    for region_id in regions:
        await recompute_region(region_id)


async def refresh_everything(at_once: int = 2) -> tuple[int, int]:
    """Every municipality's every slice, then every region; returns how many of each.

    `at_once` recomputes run side by side, each its own transaction on its own connection (as
    concurrent workers' would), so one's queries run in PostgreSQL while another draws its
    charts in Python; every region starts after the last municipality it reads is done."""
    async with tenant_tx(Scope()):
        municipalities = [r["id"] for r in await connection().fetch("select id from municipality")]
        regions = [r["id"] for r in await connection().fetch("select id from region")]
    await _each(municipalities, recompute_municipality, at_once)
    await _each(regions, recompute_region, at_once)
    return len(municipalities), len(regions)


async def _each(ids: Sequence[int], job, at_once: int) -> None:
    """job(id) for every id, at most `at_once` of them running at a time."""
    todo = iter(ids)

    async def one_after_another() -> None:
        for id_ in todo:
            await job(id_)

    await asyncio.gather(*(one_after_another() for _ in range(max(1, at_once))))


# --- reads, inside the caller's transaction -----------------------------------------------------


def _figure(r) -> Figure:
    return Figure(r["slice"], r["metric"], r["subject"], r["year"], r["label"], r["value"])


async def figures_for_municipality() -> MunicipalityFigures:
    """The transaction's municipality's stored figures, and when the oldest was computed."""
    rows = await connection().fetch(
        "select slice, metric, subject, year, label, value, computed_at from municipality_figure"
        " where tenant_id = app_tenant_id() order by slice, metric, subject, year"
    )
    return MunicipalityFigures(
        [_figure(r) for r in rows], min((r["computed_at"] for r in rows), default=None)
    )


async def _members() -> list[Member]:
    return await fetch_structs(
        Member,
        "select m.id, m.kommunenummer, m.name from region_member rm"
        " join municipality m on m.id = rm.municipality_id"
        " where rm.region_id = app_region_id() order by m.name",
    )


async def municipality_version() -> str:
    """The transaction's municipality's dashboard version ("" before its first recompute)."""
    found = await connection().fetchval(
        "select version from municipality_dashboard where tenant_id = app_tenant_id()"
    )
    return found or ""


async def region_version() -> str:
    """The transaction's region's dashboard version, of its sums and every member's page."""
    found = await connection().fetchval(
        "select version from region_dashboard where region_id = app_region_id()"
    )
    return found or ""


class StoredPage(msgspec.Struct, frozen=True):
    """A dashboard as a request reads it: its version ("" before its first recompute), the
    refreshed part the worker wrote in the reader's language, and for a member's page in a
    region, the member's name."""

    version: str
    body: str
    name: str = ""


def _stored(found: asyncpg.Record) -> StoredPage:
    """A row of the page reads of migration 0007 (a region's page has a name as well)."""
    return StoredPage(found["page_version"], found["page_body"], found.get("page_name", ""))


async def municipality_page(lang: str) -> StoredPage:
    """The transaction's municipality's dashboard, in this language: one row, as written.

    Before the worker first wrote it, or while what it wrote is of an older layout or another
    version than the figures' (a new municipality; an upgrade that changed how pages are
    written, until the next recompute or the hourly refresh; a recompute by a release that
    wrote no pages), it is written now from what is stored, and not kept: a request never
    writes."""
    found = await connection().fetchrow(
        "select * from municipality_page_of($1, $2)", lang, pages.LAYOUT
    )
    if found and found["page_body"] is not None:
        return _stored(found)
    written = await _municipality_pages(await figures_for_municipality(), (lang,))
    return StoredPage(found["page_version"] if found else "", written[0].body)


async def stored_municipality_page(lang: str) -> StoredPage | None:
    """municipality_page as the worker wrote it, read in one statement of its own, outside any
    transaction (the statement sets the reader's scope itself); None when nothing is written in
    this layout, for municipality_page in a transaction to write it now."""
    found = await fetchrow_alone(
        "select * from stored_municipality_page($1, $2, $3)", lang, pages.LAYOUT
    )
    if found is None or found["page_body"] is None:
        return None
    return _stored(found)


async def stored_region_page(kommunenummer: str | None, lang: str) -> StoredPage | None:
    """region_page as the worker wrote it, in one statement of its own (as
    stored_municipality_page); None when nothing is written, for region_page to answer."""
    found = await fetchrow_alone(
        "select * from stored_region_page($1, $2, $3, $4)", kommunenummer or "", lang, pages.LAYOUT
    )
    return None if found is None else _stored(found)


async def region_page(kommunenummer: str | None, lang: str) -> StoredPage | None:
    """The transaction's region's page of its sums (kommunenummer None) or of one member, in
    this language: one row, as written (or, before the worker wrote it in this layout, written
    now as municipality_page does); None for a municipality that is no member of the region."""
    found = await connection().fetchrow(
        "select * from region_page_of($1, $2, $3)", kommunenummer or "", lang, pages.LAYOUT
    )
    if found:
        return _stored(found)
    region, written = await _region_pages((lang,))
    if kommunenummer is None:
        return StoredPage(await region_version(), written[rules.WHOLE_REGION][0].body)
    for member in region.members:
        if member.kommunenummer == kommunenummer:
            return StoredPage(await region_version(), written[member.id][0].body, member.name)
    return None


async def figures_for_region() -> RegionFigures:
    """The transaction's region's figures: its sums (key 0) and each member's aggregates."""
    rows = await connection().fetch(
        "select municipality_id, slice, metric, subject, year, label, value, computed_at"
        " from region_figure where region_id = app_region_id()"
        " order by municipality_id, slice, metric, subject, year"
    )
    figures: dict[int, list[Figure]] = defaultdict(list)
    for r in rows:
        figures[r["municipality_id"]].append(_figure(r))
    return RegionFigures(
        await _members(), dict(figures), min((r["computed_at"] for r in rows), default=None)
    )
