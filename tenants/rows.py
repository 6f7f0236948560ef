"""What every part's use-cases share for Piccolo's query builder: the open transaction's
municipality, and inserting a row for its id.

Piccolo's queries run on tenant_tx()'s connection (tests/tenants/test_piccolo_in_tenant_tx.py),
so row-level security holds for them as for the SQL.
"""

from __future__ import annotations

import msgspec
from piccolo.columns import Column
from piccolo.table import Table

from tenants.context import current_scope


def tenant() -> int | None:
    """The municipality of the open tenant_tx(): every query filters by it, beside the policies."""
    return current_scope.get().tenant_id


async def insert_row(row: Table) -> int:
    """Insert `row`; its id."""
    await type(row).insert(row)
    return row.id


async def insert_once(row: Table, key: tuple[Column, ...], refusal: Exception) -> int:
    """Insert `row` and return its id, unless a row with the same `key` is there: `refusal`."""
    added = await type(row).insert(row).on_conflict(target=key, action="DO NOTHING")
    if not added:
        raise refusal
    return added[0]["id"]


def shown_columns(table: type[Table], view: type[msgspec.Struct]) -> list[Column]:
    """The columns of `table` that `view` shows, for a select whose rows become that view."""
    return [c for c in table._meta.columns if c._meta.name in view.__struct_fields__]
