"""Habilitet per case: the official declares their own when assessing; the case's official (the
one who took it into assessment) records each board member's. A conflicted official may not
decide or recommend; a conflicted member may not vote (the database refuses that too)."""

from __future__ import annotations

import msgspec

from services.errors import N_, Conflict, NotAllowed, NotFound
from services.grants.roles import ASSESSORS
from services.grants.service._common import (
    ApplicationNotFound,
    audit_application,
    database_refusals,
    require_municipal_role,
)
from services.grants.tables import GrantHabilitet
from tenants.context import connection, fetch_structs
from tenants.rows import tenant


class Declaration(msgspec.Struct, frozen=True):
    """One habilitet declaration on a case: whose, yes or no, by whom and when."""

    person_id: int | None
    board_member_id: int | None
    name: str
    conflicted: bool
    note: str
    recorded_by_name: str
    recorded_at: object


class OfficialConflicted(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "grant_official_conflicted",
            N_("You declared a conflict of interest in this case: another official handles it."),
        )


class NotTheCaseOfficial(NotAllowed):
    def __init__(self) -> None:
        super().__init__(
            "grant_not_case_official",
            N_("Only the case's official records the board members' declarations."),
        )


async def declare_official(application_id: int, conflicted: bool, person_id: int) -> None:
    """The official's own declaration on the case, kept or replaced."""
    db = connection()
    changed = await db.execute(
        "update grant_habilitet set conflicted = $3, recorded_by = $2, recorded_at = now()"
        " where tenant_id = app_tenant_id() and application_id = $1 and person_id = $2",
        application_id,
        person_id,
        conflicted,
    )
    if changed == "UPDATE 0":
        await db.execute(
            "insert into grant_habilitet (tenant_id, application_id, person_id, conflicted,"
            " recorded_by) values (app_tenant_id(), $1, $2, $3, $2)",
            application_id,
            person_id,
            conflicted,
        )
    declared = {"person_id": person_id, "conflicted": conflicted}
    await audit_application(application_id, "declare_habilitet", declared, person_id)


async def require_official_free(application_id: int, person_id: int | None) -> None:
    """The acting official has declared no conflict in the case (Samspel itself: None)."""
    if person_id is None:
        return
    declared = await (
        GrantHabilitet.select(GrantHabilitet.conflicted)
        .where(
            (GrantHabilitet.tenant_id == tenant())
            & (GrantHabilitet.application_id == application_id)
            & (GrantHabilitet.person_id == person_id)
        )
        .first()
    )
    if declared is None:
        raise Conflict(
            "grant_official_undeclared",
            N_("Declare your habilitet in the assessment before you decide or recommend."),
        )
    if declared["conflicted"]:
        raise OfficialConflicted()


async def member_declarations(application_id: int) -> dict[int, bool]:
    """The board members' declarations on the case: whether each declared a conflict."""
    rows = await GrantHabilitet.select(
        GrantHabilitet.board_member_id, GrantHabilitet.conflicted
    ).where(
        (GrantHabilitet.tenant_id == tenant())
        & (GrantHabilitet.application_id == application_id)
        & GrantHabilitet.board_member_id.is_not_null()
    )
    return {r["board_member_id"]: r["conflicted"] for r in rows}


async def declare_member(
    application_id: int,
    *,
    board_member_id: int,
    conflicted: bool,
    note: str = "",
    actor_person_id: int,
) -> None:
    """A board member's declaration on the case, recorded by the case's official."""
    await require_municipal_role(actor_person_id, ASSESSORS)
    db = connection()
    row = await db.fetchrow(
        "select a.assessed_by, f.programme_id, f.id as fund_id from grant_application a"
        " join grant_call c on c.tenant_id = a.tenant_id and c.id = a.call_id"
        " join grant_fund f on f.tenant_id = c.tenant_id and f.id = c.fund_id"
        " where a.tenant_id = app_tenant_id() and a.id = $1 and a.state <> 'draft'",
        application_id,
    )
    if row is None:
        raise ApplicationNotFound()
    if row["assessed_by"] != actor_person_id:
        raise NotTheCaseOfficial()
    member = await db.fetchval(
        "select id from board_member where tenant_id = app_tenant_id() and id = $1"
        " and (programme_id = $2 or ($2::bigint is null and fund_id = $3))",
        board_member_id,
        row["programme_id"],
        row["fund_id"],
    )
    if member is None:
        raise NotFound(
            "grant_board_member_not_found", N_("No such board member."), field="board_member_id"
        )
    with database_refusals():
        changed = await db.execute(
            "update grant_habilitet set conflicted = $3, note = $4, recorded_by = $5,"
            " recorded_at = now() where tenant_id = app_tenant_id() and application_id = $1"
            " and board_member_id = $2",
            application_id,
            board_member_id,
            conflicted,
            note.strip()[:1000],
            actor_person_id,
        )
        if changed == "UPDATE 0":
            await db.execute(
                "insert into grant_habilitet (tenant_id, application_id, board_member_id,"
                " conflicted, note, recorded_by) values (app_tenant_id(), $1, $2, $3, $4, $5)",
                application_id,
                board_member_id,
                conflicted,
                note.strip()[:1000],
                actor_person_id,
            )
    declared = {"board_member_id": board_member_id, "conflicted": conflicted}
    await audit_application(application_id, "declare_habilitet", declared, actor_person_id)


async def declarations(application_id: int) -> list[Declaration]:
    """The case's declarations: the officials' first, then the board members' by name."""
    return await fetch_structs(
        Declaration,
        "select h.person_id, h.board_member_id, coalesce(m.name, p.name, '') as name,"
        " h.conflicted, h.note, coalesce(r.name, '') as recorded_by_name, h.recorded_at"
        " from grant_habilitet h"
        " left join board_member m on m.tenant_id = h.tenant_id and m.id = h.board_member_id"
        " left join person p on p.id = h.person_id"
        " left join person r on r.id = h.recorded_by"
        " where h.tenant_id = app_tenant_id() and h.application_id = $1"
        " order by h.board_member_id nulls first, m.name, h.id",
        application_id,
    )
