"""What the programme use-cases share: finding the programme, checking text, amounts and years."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import msgspec
from piccolo.columns import Column
from piccolo.table import Table

from services import inputs
from services.errors import N_, InvalidInput, NotAllowed, NotFound
from services.programmes.schemas import StrategyAreaView
from services.programmes.tables import Programme, StrategyArea
from tenants.context import connection
from tenants.rows import shown_columns, tenant


class ProgrammeNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("programme_not_found", N_("No such programme."))


class RoleMayNot(NotAllowed):
    def __init__(self) -> None:
        super().__init__("programme_role_refused", N_("Your role may not do this."))


async def require_role(actor_person_id: int | None, roles: tuple[str, ...]) -> None:
    """The acting person holds one of `roles` in the transaction's municipality.

    No actor (None) is Samspel itself: the demo loader, a worker; a page always names one.
    """
    if actor_person_id is None:
        return
    if not await connection().fetchval(
        "select exists (select 1 from membership where person_id = $1"
        " and municipality_id = app_tenant_id() and role = any($2::text[]))",
        actor_person_id,
        list(roles),
    ):
        raise RoleMayNot()


def amount_of(value: Decimal | int | str, field: str) -> Decimal:
    return inputs.amount(value, field)


async def programme_row(programme_id: int, *, lock: bool = False) -> dict[str, Any]:
    query = Programme.select().where(
        (Programme.tenant_id == tenant()) & (Programme.id == programme_id)
    )
    row = await (query.lock_rows() if lock else query).first()
    if row is None:
        raise ProgrammeNotFound()
    return row


def check_year(programme: Any, year: int) -> None:
    if not programme["period_start"] <= year <= programme["period_end"]:
        raise InvalidInput(
            "year_outside_period", N_("The year is outside the programme's period."), field="year"
        )


async def programme_rows(
    table: type[Table], view: type[msgspec.Struct], programme_id: int, *order_by: Column
) -> list[dict[str, Any]]:
    """The programme's rows of `table`, with the columns `view` shows, in `order_by` order."""
    return await (
        table.select(*shown_columns(table, view))
        .where((table.tenant_id == tenant()) & (table.programme_id == programme_id))
        .order_by(*order_by)
    )


async def strategy_areas(programme_id: int) -> list[StrategyAreaView]:
    rows = await programme_rows(
        StrategyArea, StrategyAreaView, programme_id, StrategyArea.position, StrategyArea.id
    )
    return [StrategyAreaView(**r) for r in rows]
