"""The programme board: its members, their seats and terms."""

from __future__ import annotations

from datetime import date

from services.audit.service import record_change
from services.errors import N_, InvalidInput, required_text
from services.programmes.roles import MANAGERS
from services.programmes.service._common import (
    programme_row,
    require_role,
)
from services.programmes.tables import BoardMember
from tenants.rows import insert_row, tenant

SEATS = ("politician", "business", "observer")


async def add_board_member(
    programme_id: int,
    *,
    name: str,
    seat: str,
    term_start: date,
    term_end: date | None = None,
    person_id: int | None = None,
    actor_person_id: int | None,
) -> int:
    await programme_row(programme_id)
    await require_role(actor_person_id, MANAGERS)
    name = required_text(name, "name", 200)
    if seat not in SEATS:
        raise InvalidInput("board_seat_invalid", N_("Choose a seat."), field="seat")
    if term_end is not None and term_end < term_start:
        raise InvalidInput(
            "board_term_invalid", N_("The term ends after it starts."), field="term_end"
        )
    member_id = await insert_row(
        BoardMember(
            tenant_id=tenant(),
            programme_id=programme_id,
            name=name,
            seat=seat,
            person_id=person_id,
            term_start=term_start,
            term_end=term_end,
        )
    )
    await record_change(
        actor_person_id=actor_person_id,
        action="add",
        entity="board_member",
        entity_id=member_id,
        new_values={
            "programme_id": programme_id,
            "name": name,
            "seat": seat,
            "person_id": person_id,
            "term": [term_start, term_end],
        },
    )
    return member_id
