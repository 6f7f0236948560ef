"""Loading the demo twice leaves exactly the rows loading it once does."""

import pytest

from services.demo.data import PERSONS, REGIONS
from services.demo.seed import load_demo
from tenants.context import Scope, connection, tenant_tx

pytestmark = pytest.mark.usefixtures("database")

SNAPSHOT = {
    "region": "select slug, name from region",
    "municipality": "select kommunenummer, name, maalform from municipality",
    "region_member": "select region_id, municipality_id from region_member",
    "organisation": "select organisasjonsnummer, name from organisation",
    "person": "select id, pid_hash, name from person",
    "membership": "select person_id, scope, municipality_id, region_id, organisation_id, role"
    " from membership",
}


async def snapshot() -> dict[str, list]:
    async with tenant_tx(Scope(operator=True)):
        return {
            table: sorted(tuple(r) for r in await connection().fetch(sql))
            for table, sql in SNAPSHOT.items()
        }


async def test_loading_the_demo_twice_leaves_the_same_rows(settings):
    key = settings.derived_key("pid")
    await load_demo(key)
    first = await snapshot()
    await load_demo(key)
    assert await snapshot() == first
    kommunenummer = {row[0] for row in first["municipality"]}
    assert {m.kommunenummer for r in REGIONS for m in r.municipalities} <= kommunenummer
    assert len(first["person"]) >= len(PERSONS)
