"""Who takes part in a regional project and at what cost share; the region follows from them."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import asyncpg

from services.audit.service import record_change
from services.errors import N_, Conflict, InvalidInput, NotFound
from services.projects.rules import HUNDRED, validate_cost_shares
from services.projects.schemas import ParticipantView
from services.projects.service._common import emit_project_change, participant_ids, project_row
from services.projects.service.permissions import require_planner
from services.projects.tables import Project
from tenants.context import connection, fetch_structs
from tenants.rows import tenant


async def _municipalities(kommunenummer: list[str]) -> dict[str, int]:
    rows = await connection().fetch(
        "select kommunenummer, id from municipality where kommunenummer = any($1::text[])",
        kommunenummer,
    )
    found = {r["kommunenummer"]: r["id"] for r in rows}
    missing = sorted(set(kommunenummer) - set(found))
    if missing:
        raise NotFound(
            "municipality_not_found", N_("No municipality has this number."), field="cost_shares"
        )
    return found


async def _region_of(project: asyncpg.Record, municipality_ids: set[int]) -> int:
    """The region every participant belongs to: the project's, or the first that holds them all."""
    rows = await connection().fetch(
        "select region_id from region_member where municipality_id = any($1::bigint[])"
        " group by region_id having count(*) = $2 order by region_id",
        list(municipality_ids),
        len(municipality_ids),
    )
    regions = [r["region_id"] for r in rows]
    if project["region_id"] is not None and project["region_id"] in regions:
        return project["region_id"]
    if not regions or project["region_id"] is not None:
        raise InvalidInput(
            "participants_not_in_region",
            N_("Every participant must belong to the project's region."),
            field="cost_shares",
        )
    return regions[0]


async def _lead_kommunenummer(project: asyncpg.Record) -> str:
    return await connection().fetchval(
        "select kommunenummer from municipality where id = $1", project["tenant_id"]
    )


async def _shares_now(project: asyncpg.Record) -> dict[str, Decimal]:
    """The cost shares as they stand, by kommunenummer (for the audit's old values)."""
    return {
        r["kommunenummer"]: r["cost_share"]
        for r in await connection().fetch(
            "select m.kommunenummer, pp.cost_share from project_participant pp join municipality m"
            " on m.id = pp.municipality_id where pp.tenant_id = app_tenant_id()"
            " and pp.project_id = $1",
            project["id"],
        )
    }


async def write_cost_shares(
    project: asyncpg.Record, shares: Mapping[str, Decimal], actor_person_id: int | None
) -> None:
    """Check and store the cost shares of a locked project, and the region they put it in."""
    lead = await _lead_kommunenummer(project)
    shares = {nr.strip(): Decimal(share) for nr, share in shares.items()}
    validate_cost_shares(shares, lead)
    ids = await _municipalities(list(shares))
    db = connection()
    before = await _shares_now(project)
    regional = len(shares) > 1
    region_id = await _region_of(project, set(ids.values())) if regional else None
    await db.execute(
        "delete from project_participant where tenant_id = app_tenant_id() and project_id = $1"
        " and not municipality_id = any($2::bigint[])",
        project["id"],
        list(ids.values()) if regional else [],
    )
    if regional:
        for nr, share in shares.items():
            await db.execute(
                "insert into project_participant (tenant_id, project_id, municipality_id,"
                " cost_share) values (app_tenant_id(), $1, $2, $3) on conflict"
                " (tenant_id, project_id, municipality_id) do update set cost_share = $3",
                project["id"],
                ids[nr],
                share,
            )
    await Project.update({Project.region_id: region_id}).where(
        (Project.tenant_id == tenant()) & (Project.id == project["id"])
    )
    await record_change(
        actor_person_id=actor_person_id,
        action="set_cost_shares",
        entity="project",
        entity_id=project["id"],
        old_values={"region_id": project["region_id"], "cost_shares": before},
        new_values={"region_id": region_id, "cost_shares": shares if regional else {}},
    )


async def set_cost_shares(
    project_id: int, shares: Mapping[str, Decimal], *, actor_person_id: int | None
) -> None:
    """Set who takes part (kommunenummer -> per cent, the lead included; together 100 %).

    Participants must all belong to one region, whose council then sees the project; the
    lead alone at 100 % makes the project local again.
    """
    project = await project_row(project_id, lead=True)
    await require_planner(project, actor_person_id)
    await _change_cost_shares(project, shares, actor_person_id)


async def _change_cost_shares(
    project: asyncpg.Record, shares: Mapping[str, Decimal], actor_person_id: int | None
) -> None:
    """Write new cost shares; every municipality's figures change, those of one that left too."""
    before = await participant_ids(project)
    await write_cost_shares(project, shares, actor_person_id)
    await emit_project_change("projects.cost_shares_set", project, *before)


async def add_participant(
    project_id: int, kommunenummer: str, cost_share: Decimal, *, actor_person_id: int | None
) -> None:
    """Add a participant whose share is taken from the lead's; the lead keeps a share above 0."""
    project = await project_row(project_id, lead=True)
    await require_planner(project, actor_person_id)
    shares = {p.kommunenummer: p.cost_share for p in await participants_of(project)}
    lead = await _lead_kommunenummer(project)
    shares = shares or {lead: HUNDRED}
    if kommunenummer in shares:
        raise Conflict(
            "participant_exists", N_("This municipality already takes part."), field="kommunenummer"
        )
    shares[lead] -= Decimal(cost_share)
    shares[kommunenummer] = Decimal(cost_share)
    await _change_cost_shares(project, shares, actor_person_id)


async def participants_of(project: asyncpg.Record) -> list[ParticipantView]:
    return await fetch_structs(
        ParticipantView,
        "select m.id as municipality_id, m.kommunenummer, m.name, pp.cost_share,"
        " m.id = pp.tenant_id as lead from project_participant pp join municipality m"
        " on m.id = pp.municipality_id where pp.tenant_id = $1 and pp.project_id = $2"
        " order by pp.cost_share desc, m.name",
        project["tenant_id"],
        project["id"],
    )
