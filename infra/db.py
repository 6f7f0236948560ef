"""The Piccolo engines: built on demand (Piccolo connects when an engine is constructed) and bound to tables."""

from __future__ import annotations

from collections.abc import Iterable

from piccolo.engine.postgres import PostgresEngine
from piccolo.table import Table


def make_engine(url: str) -> PostgresEngine:
    # extensions=() because the app role may create nothing; the migrations own the schema.
    return PostgresEngine(config={"dsn": url}, extensions=())


def all_tables() -> list[type[Table]]:
    """Every Piccolo table class imported so far, subclasses included."""
    found: list[type[Table]] = []
    pending = list(Table.__subclasses__())
    while pending:
        table = pending.pop()
        found.append(table)
        pending.extend(table.__subclasses__())
    return found


def bind(engine: PostgresEngine, tables: Iterable[type[Table]] | None = None) -> None:
    """Point the tables at one engine; there is no piccolo_conf.py to find it by magic."""
    for table in all_tables() if tables is None else tables:
        table._meta.db = engine


async def _nothing_to_reset(connection) -> None:
    """What the pool does to a connection given back, besides asyncpg's own rollback of a
    transaction left open: nothing. asyncpg's default runs one more statement on every release
    (unlock advisory locks, close cursors, unlisten, reset all settings), a round trip per
    request; on this pool nothing outlives its transaction: the tenant's settings are local to
    it (tenants/context.py), no session-level SET, LISTEN, WITH HOLD cursor or session advisory
    lock is ever taken (the outbox listener and the migrations have connections of their own)."""


class Database:
    """The app role's pool, started and stopped with the process that uses it."""

    def __init__(self, url: str, *, min_size: int = 1, max_size: int = 10) -> None:
        self.url = url
        self.min_size = min_size
        self.max_size = max_size
        self.engine: PostgresEngine | None = None

    async def start(self) -> PostgresEngine:
        if self.engine is None:
            self.engine = make_engine(self.url)
            await self.engine.start_connection_pool(
                min_size=self.min_size, max_size=self.max_size, reset=_nothing_to_reset
            )
            bind(self.engine)
        return self.engine

    async def stop(self) -> None:
        if self.engine is not None and self.engine.pool is not None:
            await self.engine.close_connection_pool()
        self.engine = None

    async def ping(self) -> None:
        engine = await self.start()
        async with engine.pool.acquire() as connection:  # type: ignore[union-attr]
            await connection.fetchval("select 1")
