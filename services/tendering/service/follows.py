"""Organisations following a municipality or a region, to hear of every tender it publishes."""

from __future__ import annotations

import msgspec

from services.errors import N_, InvalidInput, NotFound
from services.tendering.service._common import require_organisation_member
from tenants.context import connection, fetch_structs


class FollowNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__(
            "follow_target_not_found", N_("No such municipality or region."), field="target"
        )


class FollowView(msgspec.Struct, frozen=True):
    """One follow of the organisation: a municipality (kommunenummer) or a region (slug)."""

    id: int
    name: str
    kommunenummer: str | None = None
    region_slug: str | None = None


async def _target(
    kommunenummer: str | None, region_slug: str | None
) -> tuple[int | None, int | None]:
    if bool(kommunenummer) == bool(region_slug):
        raise InvalidInput(
            "follow_target_required", N_("Choose a municipality or a region."), field="target"
        )
    db = connection()
    if kommunenummer:
        found = await db.fetchval(
            "select id from municipality where kommunenummer = $1", kommunenummer
        )
        if found is not None:
            return found, None
    elif region_slug:
        found = await db.fetchval("select id from region where slug = $1", region_slug)
        if found is not None:
            return None, found
    raise FollowNotFound()


async def _follow_key(
    person_id: int, kommunenummer: str | None, region_slug: str | None
) -> tuple[int, int | None, int | None]:
    """A follow's key: the organisation the person acts for, and the municipality or region."""
    organisation_id = await require_organisation_member(person_id)
    return (organisation_id, *await _target(kommunenummer, region_slug))


async def follow(
    *, person_id: int, kommunenummer: str | None = None, region_slug: str | None = None
) -> None:
    """The organisation the transaction acts for follows one municipality or one region; to
    follow it again changes nothing."""
    await connection().execute(
        "insert into tender_follow (organisation_id, municipality_id, region_id)"
        " select $1, $2, $3 where not exists (select 1 from tender_follow"
        "  where organisation_id = $1 and municipality_id is not distinct from $2"
        "  and region_id is not distinct from $3)"
        " on conflict do nothing",
        *await _follow_key(person_id, kommunenummer, region_slug),
    )


async def unfollow(
    *, person_id: int, kommunenummer: str | None = None, region_slug: str | None = None
) -> None:
    """The organisation stops following it; not following it already changes nothing."""
    await connection().execute(
        "delete from tender_follow where organisation_id = $1"
        " and municipality_id is not distinct from $2 and region_id is not distinct from $3",
        *await _follow_key(person_id, kommunenummer, region_slug),
    )


async def follows() -> list[FollowView]:
    """What the transaction's organisation follows (none outside an organisation's scope)."""
    return await fetch_structs(
        FollowView,
        "select f.id, coalesce(m.name, r.name) as name, m.kommunenummer, r.slug as region_slug"
        " from tender_follow f left join municipality m on m.id = f.municipality_id"
        " left join region r on r.id = f.region_id"
        " where f.organisation_id = app_organisation_id() order by 2, f.id",
    )
