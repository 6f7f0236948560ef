"""What the programme use-cases share: finding the programme, checking text, amounts and years."""

from __future__ import annotations

from decimal import Decimal

import asyncpg

from services import inputs
from services.errors import N_, InvalidInput, NotFound
from services.programmes.schemas import StrategyAreaView
from tenants.context import connection


class ProgrammeNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("programme_not_found", N_("No such programme."))


def amount_of(value: Decimal | int | str, field: str) -> Decimal:
    return inputs.amount(value, field)


async def programme_row(programme_id: int, *, lock: bool = False) -> asyncpg.Record:
    row = await connection().fetchrow(
        "select * from programme where tenant_id = app_tenant_id() and id = $1"
        + (" for update" if lock else ""),
        programme_id,
    )
    if row is None:
        raise ProgrammeNotFound()
    return row


def check_year(programme: asyncpg.Record, year: int) -> None:
    if not programme["period_start"] <= year <= programme["period_end"]:
        raise InvalidInput(
            "year_outside_period", N_("The year is outside the programme's period."), field="year"
        )


async def strategy_areas(programme_id: int) -> list[StrategyAreaView]:
    rows = await connection().fetch(
        "select id, position, name_nb, name_nn, share from strategy_area"
        " where tenant_id = app_tenant_id() and programme_id = $1 order by position, id",
        programme_id,
    )
    return [StrategyAreaView(**dict(r)) for r in rows]
