"""The own board of a fund without a programme (a municipality's næringsfond): the municipality
names its members from its own people, and that board takes the fund's cases above the
officials' limit in meetings (meetings.py), with the same habilitet and votes as a programme's."""

from __future__ import annotations

from datetime import date

import asyncpg
import msgspec

from services.audit.service import record_change
from services.errors import N_, Conflict, InvalidInput, NotFound
from services.grants.roles import MANAGERS
from services.grants.schemas import Choice
from services.grants.service._common import FundNotFound, require_municipal_role
from services.grants.service.minutes import board_of
from services.grants.tables import GrantFund
from services.programmes.schemas import BoardMemberView
from services.programmes.service.board import SEATS
from tenants.context import connection, fetch_structs
from tenants.rows import tenant


class FundHasProgrammeBoard(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "grant_fund_programme_board",
            N_("The fund belongs to a programme: the programme's board decides its cases."),
        )


class FundBoard(msgspec.Struct, frozen=True):
    """A fund without a programme, and the members of its own board."""

    id: int
    name: str
    members: list[BoardMemberView]


async def fund_boards() -> list[FundBoard]:
    """The municipality's funds without a programme, each with its own board's members."""
    funds = await (
        GrantFund.select(GrantFund.id, GrantFund.name)
        .where((GrantFund.tenant_id == tenant()) & GrantFund.programme_id.is_null())
        .order_by(GrantFund.name, GrantFund.id)
    )
    return [FundBoard(f["id"], f["name"], await board_of(None, f["id"])) for f in funds]


async def people_choices() -> list[Choice]:
    """The municipality's own people, whom it may name to a fund's board."""
    return await fetch_structs(
        Choice,
        "select p.id, p.name from person p where exists (select 1 from membership m"
        " where m.person_id = p.id and m.municipality_id = app_tenant_id())"
        " order by p.name, p.id",
    )


async def add_fund_board_member(
    fund_id: int,
    *,
    person_id: int,
    seat: str,
    term_start: date,
    actor_person_id: int | None,
) -> int:
    """Name one of the municipality's people to the fund's board; returns the member's id."""
    await require_municipal_role(actor_person_id, MANAGERS)
    if seat not in SEATS:
        raise InvalidInput("board_seat_invalid", N_("Choose a seat."), field="seat")
    fund = await (
        GrantFund.select(GrantFund.programme_id)
        .where((GrantFund.tenant_id == tenant()) & (GrantFund.id == fund_id))
        .first()
    )
    if fund is None:
        raise FundNotFound()
    if fund["programme_id"] is not None:
        raise FundHasProgrammeBoard()
    db = connection()
    name = await db.fetchval(
        "select p.name from person p where p.id = $1 and exists (select 1 from membership m"
        " where m.person_id = p.id and m.municipality_id = app_tenant_id())",
        person_id,
    )
    if name is None:
        raise NotFound(
            "grant_board_person_not_found",
            N_("Choose one of the municipality's people."),
            field="person_id",
        )
    try:
        member_id = await db.fetchval(
            "insert into board_member (tenant_id, fund_id, name, seat, person_id, term_start)"
            " values (app_tenant_id(), $1, $2, $3, $4, $5) returning id",
            fund_id,
            name.strip() or "?",
            seat,
            person_id,
            term_start,
        )
    except asyncpg.PostgresError as error:
        if getattr(error, "sqlstate", None) == "GR040":
            raise FundHasProgrammeBoard() from error
        raise
    await record_change(
        actor_person_id=actor_person_id,
        action="create",
        entity="board_member",
        entity_id=member_id,
        new_values={"fund_id": fund_id, "person_id": person_id, "seat": seat},
    )
    return member_id
