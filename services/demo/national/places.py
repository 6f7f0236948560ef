"""The national dataset's places and people: regions, municipalities, businesses, their persons.

Made through the tenancy use-cases, in the operator's scope as the demo makes them; each
person in the scope of their own identity number's hash, as a first login makes them.
"""

from __future__ import annotations

from services.demo.national import AlreadyGenerated, Place, World, names
from services.tenancy import service as tenancy
from tenants.context import Scope, connection, rescope, tenant_tx
from tenants.identity import pid_hash

OPERATOR = Scope(operator=True)
STAFF_NAMES = ("Kari", "Ola", "Ingrid", "Per", "Siri", "Lars", "Anne", "Knut", "Marit", "Nils")
SURNAMES = ("Haugen", "Berg", "Dahl", "Lien", "Moe", "Strand", "Vik", "Bakke", "Lund", "Solberg")


def person_name(index: int) -> str:
    return f"{STAFF_NAMES[index % 10]} {SURNAMES[(index // 10) % 10]}"


async def load(world: World) -> None:
    scale = world.scale
    async with tenant_tx(OPERATOR):
        db = connection()
        existing = {
            r["kommunenummer"] for r in await db.fetch("select kommunenummer from municipality")
        }
        if len(existing) >= scale.municipalities:
            raise AlreadyGenerated(
                f"the database holds {len(existing)} municipalities already: generate once, on a"
                " fresh database"
            )
        regions = [r["id"] for r in await db.fetch("select id from region order by id")]
        bar = world.progress("places", scale.municipalities - len(existing) + scale.regions)
        new_regions = []
        for index in range(scale.regions - len(regions)):
            name = names.place_name(399 - index) + "regionen"
            new_regions.append(await tenancy.ensure_region(names.slug(name), name))
            bar.advance()
        numbers = names.kommunenumre(scale.municipalities - len(existing), existing)
        rng = world.rng_for("places")
        for index, kommunenummer in enumerate(numbers):
            municipality_id = await tenancy.ensure_municipality(
                kommunenummer, names.place_name(index), "nn" if rng.random() < 0.4 else "nb"
            )
            await tenancy.add_to_region(new_regions[index % len(new_regions)], municipality_id)
            bar.advance()
        bar.close()
        rows = await db.fetch(
            "select m.id, m.kommunenummer, m.name, min(rm.region_id) as region_id"
            " from municipality m join region_member rm on rm.municipality_id = m.id"
            " group by m.id order by m.kommunenummer"
        )
        members = await db.fetch("select region_id, municipality_id from region_member")
    for r in members:
        world.region_members.setdefault(r["region_id"], []).append(r["municipality_id"])
    await _staff(world, rows)
    await _businesses(world, [r["kommunenummer"] for r in rows])


async def _person(world: World, pid: str, name: str, language: str) -> int:
    """A person as their first login makes them: in the scope of their pid's keyed hash."""
    await rescope(Scope(operator=True, pid_hash=pid_hash(world.pid_key, pid)))
    email = name.lower().replace(" ", ".").translate(names._ASCII) + "@example.no"
    return await tenancy.ensure_person(name, email, language)


async def _staff(world: World, rows) -> None:
    """Two persons in every municipality: its admin and a case officer."""
    bar = world.progress("staff", len(rows))
    async with tenant_tx(OPERATOR):
        for index, r in enumerate(rows):
            ids = []
            for seat, role in enumerate(("admin", "case_officer")):
                number = 2 * index + seat
                person = await _person(world, names.staff_pid(number), person_name(number), "nn")
                await rescope(OPERATOR)
                await tenancy.grant_membership(
                    person, "municipality", role, municipality_id=r["id"]
                )
                ids.append(person)
            world.places.append(Place(r["id"], r["kommunenummer"], r["name"], r["region_id"], *ids))
            bar.advance()
    bar.close()


async def _businesses(world: World, kommunenumre: list[str]) -> None:
    """The businesses that bid and apply, each with the person who acts for it (its admin)."""
    rng = world.rng_for("businesses")
    async with tenant_tx(OPERATOR):
        have = await connection().fetchval("select count(*) from organisation")
    count = max(world.scale.organisations - have, 0)
    bar = world.progress("businesses", count)
    async with tenant_tx(OPERATOR):
        for index in range(count):
            word = names.BUSINESS_WORDS[index % len(names.BUSINESS_WORDS)]
            name = f"{names.place_name(index % 400)} {word} AS"
            nr = names.organisasjonsnummer(index)
            organisation = await tenancy.ensure_organisation(nr, name, rng.choice(kommunenumre))
            person = await _person(world, names.supplier_pid(index), person_name(index + 7), "nb")
            await rescope(OPERATOR)
            await tenancy.grant_membership(
                person, "organisation", "admin", organisation_id=organisation
            )
            world.businesses.append((organisation, nr, person))
            bar.advance()
    bar.close()


async def settle_outbox(world: World) -> None:
    """Mark the load's own events delivered: the full recompute that ends the load covers every
    figure they would change, and no mail goes out for a generated row."""
    async with tenant_tx(Scope()):
        while rows := await connection().fetch("select tenant_id, id from outbox_claim(5000)"):
            await connection().execute(
                "select outbox_mark_delivered($1::bigint[], $2::bigint[])",
                [r["tenant_id"] for r in rows],
                [r["id"] for r in rows],
            )


TABLES = ("region", "municipality", "organisation", "person", "programme", "kpi_measurement",
          "project", "sub_project", "decision_point", "project_participant", "tender", "bid",
          "grant_fund", "grant_call", "grant_application")  # fmt: skip


async def count(world: World) -> dict[str, int]:
    """How many rows each table holds, counted through the administrator's URL that created the
    database (every role below it sees only a scope's rows); without that URL, nothing."""
    import asyncpg

    if world.settings.database_url is None:
        return {}
    admin = await asyncpg.connect(world.settings.database_url)
    try:
        return {t: await admin.fetchval(f"select count(*) from {t}") for t in TABLES}
    finally:
        await admin.close()
