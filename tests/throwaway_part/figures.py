"""What the throw-away part adds to the dashboards: how many notes a municipality has."""

from __future__ import annotations

from datetime import date

from services.dashboards.rules import Figure, Slice, fig
from tenants.context import connection
from tests.throwaway_part.service import NOTED


async def compute(on: date) -> list[Figure]:
    notes = await connection().fetchval(
        "select count(*) from throwaway_note where tenant_id = app_tenant_id()"
    )
    return [fig("throwaway", "notes", notes)]


SLICES = (Slice("throwaway", changed_by=frozenset({NOTED}), compute=compute),)
