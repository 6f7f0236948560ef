"""How a tenant transaction talks to PostgreSQL: its scope goes with BEGIN in one statement, it
ends with COMMIT or ROLLBACK, and its connection goes back to the pool with nothing of it left."""

from __future__ import annotations

import asyncpg
import pytest

from tenants.context import Scope, connection, tenant_tx
from tenants.tables import Municipality
from tests.tenants.helpers import new_municipality

pytestmark = pytest.mark.usefixtures("database")

_SQL = ("execute", "fetch", "fetchrow", "fetchval")
SETTINGS = "select current_setting('app.tenant_id', true), current_setting('app.person_id', true)"


@pytest.fixture
def sent(monkeypatch):
    statements: list[str] = []
    for name in _SQL:
        original = getattr(asyncpg.Connection, name)

        def spy(self, query, *args, _original=original, **kwargs):
            statements.append(" ".join(str(query).split()))
            return _original(self, query, *args, **kwargs)

        monkeypatch.setattr(asyncpg.Connection, name, spy)
    return statements


async def test_the_scope_goes_with_begin_and_the_connection_goes_back_without_a_reset(sent):
    tenant = await new_municipality("Eittsteg")
    sent.clear()
    async with tenant_tx(Scope(tenant_id=tenant, person_id=7)):
        assert tuple(await connection().fetchrow(SETTINGS)) == (str(tenant), "7")
    begin, read, commit = sent
    assert begin.startswith(f"BEGIN; select set_config('app.tenant_id', '{tenant}', true)")
    assert "set_config('app.person_id', '7', true)" in begin
    assert (read, commit) == (SETTINGS, "COMMIT;")
    # Local settings end with the transaction: the next borrower of any connection sees none.
    pool = Municipality._meta.db.pool
    async with pool.acquire() as raw:
        assert tuple(await raw.fetchrow(SETTINGS)) in {("", ""), (None, None)}


async def test_a_savepoint_inside_still_works_and_a_failure_rolls_back(sent):
    tenant = await new_municipality("Lagring")
    with pytest.raises(RuntimeError):
        async with tenant_tx(tenant):
            db = connection()
            async with db.transaction():  # a savepoint, as the audit chain's cursor uses
                assert await db.fetchval("select current_setting('app.tenant_id')") == str(tenant)
            raise RuntimeError("refused")
    assert sent[-1] == "ROLLBACK;"


async def test_a_begin_that_fails_gives_its_connection_back(monkeypatch):
    pool = Municipality._meta.db.pool
    async with tenant_tx(Scope()):  # the pool has made its connections
        pass
    idle = pool.get_idle_size()
    original = asyncpg.Connection.execute

    async def broken(self, query, *args, **kwargs):
        if str(query).startswith("BEGIN; "):
            await original(self, "BEGIN")  # as if the connection failed after BEGIN
            raise asyncpg.exceptions.ConnectionFailureError("lost")
        return await original(self, query, *args, **kwargs)

    monkeypatch.setattr(asyncpg.Connection, "execute", broken)
    for _ in range(2):  # as many as the pool holds: kept ones would run it dry
        with pytest.raises(asyncpg.exceptions.ConnectionFailureError):
            async with tenant_tx(Scope()):
                pass
    monkeypatch.undo()
    assert pool.get_idle_size() == idle
    async with tenant_tx(Scope(person_id=1)):
        assert await connection().fetchval("select current_setting('app.person_id')") == "1"


def test_a_scope_value_that_is_not_digits_or_hex_is_refused():
    from tenants.context import _settings_sql

    with pytest.raises(ValueError):
        _settings_sql(Scope(tenant_id=-1))
