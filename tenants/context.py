"""The current principal and tenant_tx(): one transaction, on one connection, with the tenant set in it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from asyncpg.exceptions import InterfaceError
from asyncpg.transaction import Transaction, TransactionState
from piccolo.engine.postgres import PostgresTransaction

from tenants.tables import Municipality


@dataclass(frozen=True, slots=True)
class Scope:
    """What the database may show this transaction; every field left None shows nothing of it."""

    tenant_id: int | None = None
    person_id: int | None = None
    region_id: int | None = None
    organisation_id: int | None = None
    operator: bool = False
    pid_hash: bytes | None = None
    invitation_token: bytes | None = None


NOBODY = Scope()

# Set by the web middleware from the session, or by an actor from its message; read by
# tenant_tx() when it is called without a scope. Never decided by a URL or a form field.
current_scope: ContextVar[Scope] = ContextVar("current_scope", default=NOBODY)


def _text(value: int | None) -> str:
    return "" if value is None else str(value)


@asynccontextmanager
async def tenant_tx(tenant: int | Scope | None = None) -> AsyncIterator[PostgresTransaction]:
    """Open one transaction and scope it; with no argument, to the current principal.

    An int is a municipality id: the transaction sees that tenant and nothing personal.
    """
    if tenant is None:
        scope = current_scope.get()
    elif isinstance(tenant, Scope):
        scope = tenant
    else:
        scope = Scope(tenant_id=tenant)
    engine = Municipality._meta.db
    async with ScopedTransaction(engine, _settings_sql(scope)) as transaction:
        token = current_scope.set(scope)
        try:
            yield transaction
        finally:
            current_scope.reset(token)


_SETTINGS = ("tenant_id", "person_id", "region_id", "organisation_id", "operator", "pid_hash",
             "invitation_token")  # fmt: skip
_SAFE = frozenset("0123456789abcdefon")


def _values(scope: Scope) -> tuple[str, ...]:
    return (
        _text(scope.tenant_id),
        _text(scope.person_id),
        _text(scope.region_id),
        _text(scope.organisation_id),
        "on" if scope.operator else "",
        scope.pid_hash.hex() if scope.pid_hash else "",
        scope.invitation_token.hex() if scope.invitation_token else "",
    )


def scope_settings(scope: Scope) -> list[str]:
    """The scope's values, in _SETTINGS' order, checked to be digits, hex or "on": written into
    tenant_tx's BEGIN (_settings_sql) or sent to SQL that sets them itself (app_set_scope)."""
    values = _values(scope)
    for value in values:
        if not _SAFE.issuperset(value):
            raise ValueError("a scope value is digits, hex or 'on'")
    return list(values)


async def fetchrow_alone(sql: str, *args):
    """One row of one statement of its own, on a pooled connection, in no transaction of ours:
    for a SQL function that sets the current principal's scope first ($1: app_set_scope) and
    then reads under row-level security, as in tenant_tx(), in one round trip instead of three
    (services/dashboards/migrations/0006_pages_in_one_statement.sql)."""
    settings = scope_settings(current_scope.get())
    async with Municipality._meta.db.pool.acquire() as con:
        return await con.fetchrow(sql, settings, *args)


def _settings_sql(scope: Scope) -> str:
    """The scope as one select of set_config, its values written in: digits, hex or "on", so
    nothing needs quoting (checked: a value of any other character is refused)."""
    return "select " + ", ".join(
        f"set_config('app.{name}', '{value}', true)"
        for name, value in zip(_SETTINGS, scope_settings(scope), strict=True)
    )


class _BeginScoped(Transaction):
    """asyncpg's transaction, begun with the scope's settings in the same round trip as BEGIN
    (one simple query: "BEGIN; select set_config(…)"). Commit, rollback and the savepoints of
    a nested `connection().transaction()` are asyncpg's own; start() is theirs for a top-level
    block but for its query, so it keeps their bookkeeping (_top_xact, _state)."""

    __slots__ = ("_settings",)

    def __init__(self, connection, settings: str) -> None:
        super().__init__(connection, None, False, False)
        self._settings = settings

    async def start(self) -> None:
        con = self._connection
        if con._top_xact is not None or con.is_in_transaction():  # noqa: SLF001
            raise InterfaceError("a tenant transaction is a top-level transaction")
        con._top_xact = self  # noqa: SLF001
        try:
            await con.execute("BEGIN; " + self._settings)
        except BaseException:
            self._state = TransactionState.FAILED
            raise
        self._state = TransactionState.STARTED


class ScopedTransaction(PostgresTransaction):
    """Piccolo's transaction (so its queries run in it), opened by _BeginScoped: the tenant's
    settings cost no round trip of their own. Local settings (is_local) end with the
    transaction, so a pooled connection carries nothing over to the next borrower."""

    __slots__ = ("settings",)

    def __init__(self, engine, settings: str) -> None:
        super().__init__(engine, allow_nested=False)
        self.settings = settings

    async def begin(self) -> None:
        # Piccolo made self.transaction from the pooled connection; the same connection's.
        self.transaction = _BeginScoped(self.transaction._connection, self.settings)  # noqa: SLF001
        try:
            await self.transaction.start()
        except BaseException:
            # Piccolo gives the connection back only from __aexit__, which a failed begin never
            # reaches: back to the pool here (which rolls back whatever BEGIN left open).
            if self.engine.pool is not None:
                await self.engine.pool.release(self.connection)
            raise


async def _apply(db, scope: Scope) -> None:
    await db.execute(_settings_sql(scope))


async def rescope(scope: Scope) -> None:
    """Change what the open transaction may see, for a use-case that creates its own tenant
    (registering an organisation): the rest of the transaction acts inside it."""
    await _apply(connection(), scope)
    current_scope.set(scope)


class NoTransaction(RuntimeError):
    """A use-case ran outside tenant_tx(): it would see nothing, or write on its own."""


def connection():
    """The connection of the open tenant transaction, for queries Piccolo cannot express."""
    transaction = Municipality._meta.db.current_transaction.get()
    if transaction is None:
        raise NoTransaction("no tenant_tx() is open")
    return transaction.connection


async def fetch_structs(struct, sql: str, *args) -> list:
    """The rows a query finds, each as the struct whose fields are its columns."""
    return [struct(**dict(r)) for r in await connection().fetch(sql, *args)]
