"""The loading tools of the national dataset: many rows in one statement, a progress bar, and the
one owner transaction that writes history the row guards would refuse today.

Rows go in as the app role, in the scope the use-cases run in (row-level security checks each
row), with one `insert … select … from unnest(…)` per table and tenant rather than one per row.
"""

from __future__ import annotations

import sys
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

import asyncpg

from infra.migrate import connect_as_owner
from infra.settings import Settings
from tenants.context import connection


async def insert_rows(
    table: str,
    columns: dict[str, str],
    rows: Sequence[Sequence],
    *,
    returning: str | None = None,
) -> list:
    """Insert `rows` (tuples in the order of `columns`, name -> SQL type) in the open transaction."""
    if not rows:
        return []
    names = list(columns)
    # jsonb goes over the wire as text and is cast in the select, as the use-cases' ::jsonb does.
    wire = ["text" if t == "jsonb" else t for t in columns.values()]
    arrays = [list(values) for values in zip(*rows, strict=True)]
    picks = ", ".join(
        f"c{i}::jsonb" if t == "jsonb" else f"c{i}" for i, t in enumerate(columns.values())
    )
    aliases = ", ".join(f"c{i}" for i in range(len(names)))
    unnest = ", ".join(f"${i + 1}::{t}[]" for i, t in enumerate(wire))
    sql = (
        f"insert into {table} ({', '.join(names)}) select {picks}"
        f" from unnest({unnest}) as u ({aliases})"
    )
    if returning:
        return await connection().fetch(f"{sql} returning {returning}", *arrays)
    await connection().execute(sql, *arrays)
    return []


@asynccontextmanager
async def history_writer(
    settings: Settings, guarded: dict[str, Sequence[str]]
) -> AsyncIterator[asyncpg.Connection]:
    """One owner transaction in which these tables' guard triggers are off and row-level
    security does not bind the owner, so rows can carry the past times they happened at.

    The guards stamp the database's clock and refuse a bid after its deadline or an
    application outside its call's dates: history cannot pass them today. ALTER TABLE is
    transactional and holds the table's lock until the commit, so no other session ever sees
    a table unguarded, and a failed load rolls the switch back with the rows.
    """
    owner = await connect_as_owner(settings)
    try:
        async with owner.transaction():
            for table, triggers in guarded.items():
                for trigger in triggers:
                    await owner.execute(f"alter table {table} disable trigger {trigger}")
                await owner.execute(f"alter table {table} no force row level security")
            yield owner
            for table, triggers in guarded.items():
                for trigger in triggers:
                    await owner.execute(f"alter table {table} enable trigger {trigger}")
                await owner.execute(f"alter table {table} force row level security")
    finally:
        await owner.close()


class Progress:
    """A plain progress bar on stderr: one line per stage, redrawn at most ten times a second."""

    WIDTH = 30

    def __init__(self, stage: str, total: int, *, out=None, quiet: bool = False) -> None:
        self.stage, self.total, self.done = stage, max(total, 1), 0
        self.out, self.quiet = out or sys.stderr, quiet
        self.started = self.drawn = time.monotonic()
        self._draw()

    def advance(self, n: int = 1) -> None:
        self.done += n
        now = time.monotonic()
        if now - self.drawn >= 0.1 or self.done >= self.total:
            self.drawn = now
            self._draw()

    def close(self) -> float:
        self.done = max(self.done, self.total)
        self._draw(end="\n")
        return time.monotonic() - self.started

    def _draw(self, end: str = "") -> None:
        if self.quiet:
            return
        filled = int(self.WIDTH * min(self.done, self.total) / self.total)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        seconds = time.monotonic() - self.started
        print(
            f"\r{self.stage:<14} [{bar}] {self.done:>7}/{self.total:<7} {seconds:6.1f} s",
            end=end,
            file=self.out,
            flush=True,
        )
