"""Create and find regions, municipalities, organisations, persons and memberships."""

from __future__ import annotations

import re

import msgspec

from services.errors import N_, Conflict, InvalidInput, NotAllowed
from tenants.context import connection, current_scope
from tenants.rules import MAALFORMER, is_valid_kommunenummer, is_valid_organisasjonsnummer
from tenants.tables import Municipality, Region, RegionMember


class MunicipalityView(msgspec.Struct, frozen=True):
    id: int
    kommunenummer: str
    name: str
    maalform: str


class RegionView(msgspec.Struct, frozen=True):
    id: int
    slug: str
    name: str
    municipalities: list[MunicipalityView]


_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def _require_operator() -> None:
    if not current_scope.get().operator:
        raise NotAllowed("operator_only", N_("only the platform operator may do this"))


def _check_slug(slug: str) -> None:
    if not _SLUG.fullmatch(slug):
        raise InvalidInput(
            "slug_invalid",
            N_("Use lower-case letters a-z, digits and single hyphens."),
            field="slug",
        )


async def create_region(slug: str, name: str) -> int:
    """A new region; an existing short name is refused, never silently renamed."""
    _check_slug(slug)
    if await Region.exists().where(Region.slug == slug):
        raise Conflict("region_exists", N_("A region with this short name exists."), field="slug")
    return await ensure_region(slug, name)


async def create_municipality(kommunenummer: str, name: str, maalform: str) -> int:
    """A new municipality; an existing kommunenummer is refused, never silently renamed."""
    if await Municipality.exists().where(Municipality.kommunenummer == kommunenummer):
        raise Conflict(
            "municipality_exists",
            N_("A municipality with this kommunenummer exists."),
            field="kommunenummer",
        )
    return await ensure_municipality(kommunenummer, name, maalform)


# The ensure_* upserts stay SQL: one statement that inserts or renames and returns the id
# reads more plainly than Piccolo's on_conflict, which would also write every other column.


async def ensure_region(slug: str, name: str) -> int:
    _require_operator()
    _check_slug(slug)
    if not name.strip():
        raise InvalidInput("name_required", N_("a region needs a name"), field="name")
    return await connection().fetchval(
        "insert into region (slug, name) values ($1, $2)"
        " on conflict (slug) do update set name = excluded.name returning id",
        slug,
        name.strip(),
    )


async def ensure_municipality(kommunenummer: str, name: str, maalform: str) -> int:
    _require_operator()
    if not is_valid_kommunenummer(kommunenummer):
        raise InvalidInput(
            "kommunenummer_invalid",
            N_("a kommunenummer is exactly four digits"),
            field="kommunenummer",
        )
    if maalform not in MAALFORMER:
        raise InvalidInput("maalform_invalid", N_("målform is nb or nn"), field="maalform")
    if not name.strip():
        raise InvalidInput("name_required", N_("a municipality needs a name"), field="name")
    return await connection().fetchval(
        "insert into municipality (kommunenummer, name, maalform) values ($1, $2, $3)"
        " on conflict (kommunenummer) do update set name = excluded.name,"
        " maalform = excluded.maalform returning id",
        kommunenummer,
        name.strip(),
        maalform,
    )


async def add_to_region(region_id: int, municipality_id: int) -> None:
    _require_operator()
    await RegionMember.insert(
        RegionMember(region_id=region_id, municipality_id=municipality_id)
    ).on_conflict(action="DO NOTHING")


async def ensure_organisation(
    organisasjonsnummer: str, name: str, kommunenummer: str | None
) -> int:
    nr = organisasjonsnummer.replace(" ", "")
    if not is_valid_organisasjonsnummer(nr):
        raise InvalidInput(
            "organisasjonsnummer_invalid",
            N_("an organisasjonsnummer is nine digits with a valid check digit"),
            field="organisasjonsnummer",
        )
    return await connection().fetchval(
        # The operator's (and the demo's) organisations are vouched for by whoever made them.
        "insert into organisation (organisasjonsnummer, name, kommunenummer, verified_at)"
        " values ($1, $2, $3, now()) on conflict (organisasjonsnummer) do update"
        " set name = excluded.name returning id",
        nr,
        name.strip(),
        kommunenummer,
    )


async def ensure_person(name: str, email: str, language: str | None) -> int:
    """The person whose pid hash is in the scope, created at their first appearance.

    An existing person keeps the name and e-mail they gave: those are theirs to change.
    """
    db = connection()
    existing = await db.fetchval("select id from person where pid_hash = app_pid_hash()")
    if existing is not None:
        return existing
    return await db.fetchval(
        "insert into person (pid_hash, name, email, language) values (app_pid_hash(), $1, $2, $3)"
        " returning id",
        name,
        email,
        language,
    )


async def grant_membership(
    person_id: int,
    scope: str,
    role: str,
    *,
    municipality_id: int | None = None,
    region_id: int | None = None,
    organisation_id: int | None = None,
) -> int:
    return await connection().fetchval(
        "insert into membership (person_id, scope, role, municipality_id, region_id,"
        " organisation_id) values ($1, $2, $3, $4, $5, $6)"
        " on conflict (person_id, scope, municipality_id, region_id, organisation_id, role)"
        " do update set role = excluded.role returning id",
        person_id,
        scope,
        role,
        municipality_id,
        region_id,
        organisation_id,
    )


async def regions_with_municipalities() -> list[RegionView]:
    """Every region and its member municipalities, by name: public reference data."""
    rows = await connection().fetch(
        "select r.id as region_id, r.slug, r.name as region_name, m.id, m.kommunenummer, m.name,"
        " m.maalform from region r left join region_member rm on rm.region_id = r.id"
        " left join municipality m on m.id = rm.municipality_id"
        " order by r.name, m.name"
    )
    regions: dict[int, RegionView] = {}
    for row in rows:
        region = regions.setdefault(
            row["region_id"], RegionView(row["region_id"], row["slug"], row["region_name"], [])
        )
        if row["id"] is not None:
            region.municipalities.append(
                MunicipalityView(row["id"], row["kommunenummer"], row["name"], row["maalform"])
            )
    return list(regions.values())
