"""The catalog proves every tenant table is guarded, so no future table can forget it."""

from __future__ import annotations

import pytest

from tenants.context import NOBODY, tenant_tx

pytestmark = pytest.mark.usefixtures("database")

# Personal data without a tenant_id column, guarded by policies of their own.
PERSONAL_TABLES = {"person", "membership"}
# The indexes of questions asked across municipalities by design, each once per statement by
# the projects' policies: which projects a municipality takes part in, which are its region's.
# Never unique (Citus keeps a unique key per shard only); each shard has its own copy.
CROSS_TENANT_INDEXES = {"project_participant_municipality", "project_of_region"}


async def test_every_table_with_tenant_id_has_forced_row_level_security_and_a_policy():
    async with tenant_tx(NOBODY) as tx:
        rows = await tx.connection.fetch(
            """
            select c.relname, c.relrowsecurity, c.relforcerowsecurity,
                   (select count(*) from pg_policy p where p.polrelid = c.oid) as policies,
                   exists (select 1 from pg_attribute a where a.attrelid = c.oid
                           and a.attname = 'tenant_id' and not a.attisdropped) as has_tenant,
                   (select a.attname from pg_index i
                      join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
                     where i.indrelid = c.oid and i.indisprimary) as first_key_column
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = 'public' and c.relkind in ('r', 'p')
            """
        )
    guarded = [r for r in rows if r["has_tenant"] or r["relname"] in PERSONAL_TABLES]
    assert {r["relname"] for r in guarded} >= PERSONAL_TABLES | {"audit_event"}
    problems = []
    for r in guarded:
        if not (r["relrowsecurity"] and r["relforcerowsecurity"]):
            problems.append(f"{r['relname']}: row-level security not enabled and forced")
        if r["policies"] == 0:
            problems.append(f"{r['relname']}: no policy")
        if r["has_tenant"] and r["first_key_column"] != "tenant_id":
            problems.append(f"{r['relname']}: tenant_id is not first in the primary key")
    assert problems == []


async def test_every_unique_key_and_index_of_a_tenant_table_starts_with_tenant_id():
    async with tenant_tx(NOBODY) as tx:
        rows = await tx.connection.fetch(
            """
            select c.relname as table_name, ic.relname as index_name, a.attname as first_column,
                   i.indisunique as is_unique
            from pg_index i
            join pg_class c on c.oid = i.indrelid
            join pg_class ic on ic.oid = i.indexrelid
            join pg_namespace n on n.oid = c.relnamespace
            join pg_attribute a on a.attrelid = c.oid and a.attnum = i.indkey[0]
            where n.nspname = 'public'
              and exists (select 1 from pg_attribute t where t.attrelid = c.oid
                          and t.attname = 'tenant_id' and not t.attisdropped)
            """
        )
    assert rows, "no tenant table found"
    across = [r for r in rows if r["first_column"] != "tenant_id"]
    assert [r["index_name"] for r in across if r["index_name"] not in CROSS_TENANT_INDEXES] == []
    assert [r["index_name"] for r in across if r["is_unique"]] == []


async def test_the_app_role_owns_nothing_and_cannot_bypass_row_level_security():
    async with tenant_tx(NOBODY) as tx:
        role = await tx.connection.fetchrow(
            "select rolsuper, rolbypassrls, rolcreaterole, rolcreatedb from pg_roles"
            " where rolname = 'samspel_app'"
        )
        owned = await tx.connection.fetchval(
            "select count(*) from pg_class c join pg_roles r on r.oid = c.relowner"
            " where r.rolname = 'samspel_app'"
        )
    assert dict(role) == {
        "rolsuper": False,
        "rolbypassrls": False,
        "rolcreaterole": False,
        "rolcreatedb": False,
    }
    assert owned == 0
