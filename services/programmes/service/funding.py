"""The programme's money: one line per source and year."""

from __future__ import annotations

from decimal import Decimal

from services.audit.service import record_change
from services.errors import N_, Conflict, InvalidInput
from services.outbox.service import emit
from services.programmes.roles import MANAGERS
from services.programmes.service._common import (
    amount_of,
    check_year,
    programme_row,
    require_role,
)
from services.programmes.tables import FundingLine
from tenants.rows import insert_once, tenant

FUNDING_SOURCES = ("county", "state", "municipality", "business", "other")


async def add_funding_line(
    programme_id: int,
    *,
    source: str,
    year: int,
    amount: Decimal,
    actor_person_id: int | None,
) -> int:
    """One source's money for one year; a second line of the same source and year is refused."""
    programme = await programme_row(programme_id)
    await require_role(actor_person_id, MANAGERS)
    if source not in FUNDING_SOURCES:
        raise InvalidInput("funding_source_invalid", N_("Choose a source."), field="source")
    check_year(programme, year)
    amount = amount_of(amount, "amount")
    line_id = await insert_once(
        FundingLine(
            tenant_id=tenant(), programme_id=programme_id, source=source, year=year, amount=amount
        ),
        (FundingLine.tenant_id, FundingLine.programme_id, FundingLine.source, FundingLine.year),
        Conflict(
            "funding_line_exists",
            N_("This source already has a line for this year."),
            field="source",
        ),
    )
    await record_change(
        actor_person_id=actor_person_id,
        action="add",
        entity="funding_line",
        entity_id=line_id,
        new_values={"programme_id": programme_id, "source": source, "year": year, "amount": amount},
    )
    await emit("programmes.funding_line_added", {"programme_id": programme_id})
    return line_id
