"""Load the demo through the use-cases, part by part as services/parts.py lists them; again, it changes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field

from services.demo.data import ORGANISATIONS, PERSONS, REGIONS, DemoMembership
from services.parts import demo_loaders
from services.tenancy import service as tenancy
from tenants.context import Scope, tenant_tx
from tenants.identity import pid_hash

OPERATOR = Scope(operator=True)


@dataclass
class Demo:
    """What every part's demo loader gets: the keys, and the ids the parts before it made."""

    pid_key: bytes
    # settings.derived_key("sealed-bids"); without it the demo has no tenders (they seal bids).
    sealing_key: bytes | None = None
    # region slug, kommunenummer or organisasjonsnummer -> its id
    ids: dict[str, int] = field(default_factory=dict)


async def load_demo(pid_key: bytes, sealing_key: bytes | None = None) -> dict[str, int]:
    """Upsert the demo; returns how many of each thing it holds.

    The demo tenders need `sealing_key` (settings.derived_key("sealed-bids")) to seal their bids.
    """
    demo = Demo(pid_key, sealing_key)
    counts: dict[str, int] = {}
    for load in demo_loaders():
        counts |= await load(demo)
    return counts


async def load_places_and_people(demo: Demo) -> dict[str, int]:
    """Access's demo: the regions, municipalities, businesses and persons, with their seats."""
    ids = demo.ids
    async with tenant_tx(OPERATOR):
        for region in REGIONS:
            region_id = await tenancy.ensure_region(region.slug, region.name)
            ids[region.slug] = region_id
            for m in region.municipalities:
                municipality_id = await tenancy.ensure_municipality(
                    m.kommunenummer, m.name, m.maalform
                )
                ids[m.kommunenummer] = municipality_id
                await tenancy.add_to_region(region_id, municipality_id)
        for org in ORGANISATIONS:
            ids[org.organisasjonsnummer] = await tenancy.ensure_organisation(
                org.organisasjonsnummer, org.name, org.kommunenummer
            )
    for person in PERSONS:
        async with tenant_tx(Scope(operator=True, pid_hash=pid_hash(demo.pid_key, person.pid))):
            person_id = await tenancy.ensure_person(person.name, person.email, person.language)
            for membership in person.memberships:
                await tenancy.grant_membership(person_id, **_target(membership, ids))
    return {"regions": len(REGIONS), "organisations": len(ORGANISATIONS), "persons": len(PERSONS)}


def _target(membership: DemoMembership, ids: dict[str, int]) -> dict:
    keys = {
        "municipality": "municipality_id",
        "region": "region_id",
        "organisation": "organisation_id",
    }
    target = {"scope": membership.scope, "role": membership.role}
    if membership.scope in keys:
        target[keys[membership.scope]] = ids[membership.target]
    return target
