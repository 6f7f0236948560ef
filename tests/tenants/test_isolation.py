"""Tenants are kept apart by PostgreSQL itself, tested as the application's own role."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from services.audit.service import record_change
from tenants.context import NOBODY, connection, tenant_tx
from tests.tenants.helpers import new_municipality

pytestmark = pytest.mark.usefixtures("database")


async def tenant_tables() -> list[str]:
    async with tenant_tx(NOBODY) as tx:
        rows = await tx.connection.fetch(
            "select c.relname from pg_class c join pg_attribute a on a.attrelid = c.oid"
            " join pg_namespace n on n.oid = c.relnamespace"
            " where n.nspname = 'public' and c.relkind in ('r', 'p')"
            " and a.attname = 'tenant_id' and not a.attisdropped order by 1"
        )
    return [r["relname"] for r in rows]


async def write_event(tenant: int, what: str = "test") -> None:
    async with tenant_tx(tenant):
        await record_change(actor_person_id=None, action=what, entity="test", entity_id=what)


async def test_the_suite_runs_as_the_app_role_not_a_superuser():
    async with tenant_tx(NOBODY) as tx:
        row = await tx.connection.fetchrow(
            "select current_user as me, r.rolsuper, r.rolbypassrls from pg_roles r"
            " where r.rolname = current_user"
        )
    assert row["me"] == "samspel_app"
    assert not row["rolsuper"] and not row["rolbypassrls"]


async def test_with_no_tenant_set_every_tenant_table_gives_no_rows():
    a = await new_municipality()
    await write_event(a)
    tables = await tenant_tables()
    assert "audit_event" in tables
    async with tenant_tx(NOBODY) as tx:
        for table in tables + ["person", "membership"]:
            assert await tx.connection.fetchval(f"select count(*) from {table}") == 0, table


async def test_inside_a_tenant_transaction_only_that_tenants_rows_are_seen():
    a, b = await new_municipality("A"), await new_municipality("B")
    await write_event(a, "a-change")
    await write_event(b, "b-change")
    for tenant in (a, b):
        async with tenant_tx(tenant):
            for table in await _tables_in_tx():
                seen = await connection().fetch(f"select distinct tenant_id from {table}")
                assert {r["tenant_id"] for r in seen} <= {tenant}, table
            actions = await connection().fetch("select action from audit_event")
            assert {r["action"] for r in actions} == {"a-change" if tenant == a else "b-change"}


async def _tables_in_tx() -> list[str]:
    rows = await connection().fetch(
        "select table_name from information_schema.columns"
        " where table_schema = 'public' and column_name = 'tenant_id'"
    )
    return [r["table_name"] for r in rows]


async def test_writing_a_row_of_another_tenant_fails():
    a, b = await new_municipality("A"), await new_municipality("B")
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        async with tenant_tx(a):
            await connection().execute(
                "insert into audit_head (tenant_id, seq, hash) values ($1, 0, $2)", b, bytes(32)
            )
    async with tenant_tx(b):
        assert await connection().fetchval("select count(*) from audit_head") == 0


async def test_the_app_role_cannot_update_or_delete_audit_events():
    a = await new_municipality()
    await write_event(a)
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        async with tenant_tx(a):
            await connection().execute("delete from audit_event")


async def test_200_interleaved_transactions_on_two_connections_never_see_each_other():
    a, b = await new_municipality("A"), await new_municipality("B")
    leaks: list[tuple[int, set[int]]] = []

    async def one(i: int) -> None:
        tenant = a if i % 2 == 0 else b
        async with tenant_tx(tenant):
            await record_change(actor_person_id=None, action=f"t{i}", entity="test")
            await asyncio.sleep(0)  # hand the loop to the other tenant mid-transaction
            seen = {
                r["tenant_id"]
                for r in await connection().fetch("select distinct tenant_id from audit_event")
            }
            if seen != {tenant}:
                leaks.append((tenant, seen))

    await asyncio.gather(*(one(i) for i in range(200)))
    assert leaks == []
    for tenant in (a, b):
        async with tenant_tx(tenant):
            assert await connection().fetchval("select count(*) from audit_event") == 100
