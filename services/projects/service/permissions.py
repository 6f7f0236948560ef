"""Who may take which step on a project: read by the use-cases, and by the page that offers them."""

from __future__ import annotations

from datetime import date

import asyncpg
import msgspec

from services.errors import N_, NotAllowed
from services.projects.roles import CREATORS, PLANNERS
from services.projects.rules import ProjectRole, may_record_decision
from services.projects.service._common import project_row
from tenants.context import connection
from tenants.rows import tenant


class PlannersOnly(NotAllowed):
    def __init__(self) -> None:
        super().__init__(
            "project_planners_only",
            N_(
                "Only the project's owner, sponsor or manager, a case officer or an admin"
                " may do this."
            ),
        )


class CreatorsOnly(NotAllowed):
    def __init__(self) -> None:
        super().__init__(
            "project_creators_only", N_("Only a case officer or an admin starts a project.")
        )


class MyPart(msgspec.Struct, frozen=True):
    """What the acting person may do on one project now (the use-cases refuse the rest)."""

    plan: bool = False  # plan, close, set the decision point, steering group, cost shares
    decide: bool = False
    delegate: bool = False


async def municipal_roles(person_id: int | None) -> set[str]:
    """The person's roles in the transaction's municipality."""
    if person_id is None:
        return set()
    rows = await connection().fetch(
        "select role from membership where person_id = $1 and municipality_id = app_tenant_id()",
        person_id,
    )
    return {r["role"] for r in rows}


# No person acting (None) is Samspel itself, a worker or the demo loader: it is trusted, as
# those callers never act for someone. Every page passes the person of the session.


async def require_creator(person_id: int | None) -> None:
    if person_id is not None and not await municipal_roles(person_id) & set(CREATORS):
        raise CreatorsOnly()


async def project_roles(project: asyncpg.Record, person_id: int | None, on: date) -> set[str]:
    """The person's PLP roles in the project; the board's only with a voting seat on `on`."""
    roles: set[str] = set()
    if person_id is None:
        return roles
    if project["owner_person_id"] == person_id:
        roles.add(ProjectRole.PROSJEKTEIGAR)
    if project["sponsor_person_id"] == person_id:
        roles.add(ProjectRole.PROSJEKTANSVARLEG)
    if project["manager_person_id"] == person_id:
        roles.add(ProjectRole.PROSJEKTLEIAR)
    if project["programme_id"] is not None and await connection().fetchval(
        "select 1 from board_member where tenant_id = app_tenant_id() and programme_id = $1"
        " and person_id = $2 and seat <> 'observer' and term_start <= $3"
        " and (term_end is null or term_end >= $3)",
        project["programme_id"],
        person_id,
        on,
    ):
        roles.add(ProjectRole.PROGRAMSTYRE)
    return roles


_RUNNERS = {ProjectRole.PROSJEKTEIGAR, ProjectRole.PROSJEKTANSVARLEG, ProjectRole.PROSJEKTLEIAR}


async def may_plan(project: asyncpg.Record, person_id: int | None) -> bool:
    if await municipal_roles(person_id) & set(PLANNERS):
        return True
    return bool(await project_roles(project, person_id, date.today()) & _RUNNERS)


async def require_planner(project: asyncpg.Record, person_id: int | None) -> None:
    if person_id is not None and not await may_plan(project, person_id):
        raise PlannersOnly()


async def my_part(project_id: int, person_id: int | None, on: date) -> MyPart:
    """What the person may do on the project: nothing unless the session's municipality leads it."""
    project = await project_row(project_id)
    if project["tenant_id"] != tenant():
        return MyPart()
    if project["status"] == "closed":
        return MyPart()
    roles = await project_roles(project, person_id, on)
    return MyPart(
        plan=await may_plan(project, person_id),
        decide=may_record_decision(roles, project["decisions_delegated_to_board"]),
        delegate=ProjectRole.PROSJEKTEIGAR in roles,
    )
