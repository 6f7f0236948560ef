"""The current principal and tenant_tx(): one transaction, on one connection, with the tenant set in it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass

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
    async with engine.transaction(allow_nested=False) as transaction:
        token = current_scope.set(scope)
        try:
            await _apply(transaction.connection, scope)
            yield transaction
        finally:
            current_scope.reset(token)


async def _apply(db, scope: Scope) -> None:
    # Local settings (is_local = true) end with the transaction, so a pooled connection
    # carries nothing over to the next borrower.
    await db.execute(
        "select set_config('app.tenant_id', $1, true), set_config('app.person_id', $2, true),"
        " set_config('app.region_id', $3, true), set_config('app.organisation_id', $4, true),"
        " set_config('app.operator', $5, true), set_config('app.pid_hash', $6, true),"
        " set_config('app.invitation_token', $7, true)",
        _text(scope.tenant_id),
        _text(scope.person_id),
        _text(scope.region_id),
        _text(scope.organisation_id),
        "on" if scope.operator else "",
        scope.pid_hash.hex() if scope.pid_hash else "",
        scope.invitation_token.hex() if scope.invitation_token else "",
    )


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
