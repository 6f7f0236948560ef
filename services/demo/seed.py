"""Load the demo through the use-cases; loading it again changes nothing."""

from __future__ import annotations

from services.demo.data import ORGANISATIONS, PERSONS, REGIONS, DemoMembership
from services.demo.programmes import load_programmes
from services.demo.tenders import load_demo_tenders
from services.tenancy import service as tenancy
from tenants.context import Scope, tenant_tx
from tenants.identity import pid_hash

OPERATOR = Scope(operator=True)


async def load_demo(pid_key: bytes, sealing_key: bytes | None = None) -> dict[str, int]:
    """Upsert the demo; returns how many of each thing it holds.

    The demo tenders need `sealing_key` (settings.derived_key("sealed-bids")) to seal their bids.
    """
    ids: dict[str, int] = {}
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
        async with tenant_tx(Scope(operator=True, pid_hash=pid_hash(pid_key, person.pid))):
            person_id = await tenancy.ensure_person(person.name, person.email, person.language)
            for membership in person.memberships:
                await tenancy.grant_membership(person_id, **_target(membership, ids))
    counts = {"regions": len(REGIONS), "organisations": len(ORGANISATIONS), "persons": len(PERSONS)}
    # Programmes and PLP projects (issue 4), after the municipalities and persons they need.
    counts |= await load_programmes(pid_key, ids)
    # Tenders (issue 5), with bids sealed by the key from the settings.
    if sealing_key is not None:
        counts["tenders"] = await load_demo_tenders(pid_key, sealing_key, ids)
    return counts


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
