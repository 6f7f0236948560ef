"""The schema keeps the shape Citus needs to spread tenants over several database servers:
every tenant table is distributed by tenant_id, and no key or reference crosses tenants
(docs/scaling.md says why each rule matters)."""

from __future__ import annotations

import pytest

from tenants.context import NOBODY, tenant_tx

pytestmark = pytest.mark.usefixtures("database")

_TENANT_TABLES = """
    select c.oid from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p')
      and exists (select 1 from pg_attribute a where a.attrelid = c.oid
                  and a.attname = 'tenant_id' and not a.attisdropped)
"""


async def _rows(sql: str) -> list[dict]:
    async with tenant_tx(NOBODY) as tx:
        return [dict(r) for r in await tx.connection.fetch(sql)]


async def test_every_primary_and_unique_key_of_a_tenant_table_holds_tenant_id():
    rows = await _rows(
        f"""
        select c.conrelid::regclass::text as table_name, c.conname
        from pg_constraint c
        where c.contype in ('p', 'u') and c.conrelid in ({_TENANT_TABLES})
          and not exists (select 1 from pg_attribute a where a.attrelid = c.conrelid
                          and a.attnum = any (c.conkey) and a.attname = 'tenant_id')
        """
    )
    assert rows == []


async def test_a_reference_between_tenant_tables_includes_tenant_id():
    """Citus co-locates a tenant's rows on one node only if every join key carries tenant_id."""
    rows = await _rows(
        f"""
        select c.conrelid::regclass::text as table_name, c.conname
        from pg_constraint c
        where c.contype = 'f' and c.conrelid in ({_TENANT_TABLES})
          and c.confrelid in ({_TENANT_TABLES})
          and not exists (select 1 from pg_attribute a where a.attrelid = c.conrelid
                          and a.attnum = any (c.conkey) and a.attname = 'tenant_id')
        """
    )
    assert rows == []


async def test_no_shared_table_refers_to_a_tenant_table():
    """Shared tables become reference tables, copied to every node: they may not point into
    a distributed table."""
    rows = await _rows(
        f"""
        select c.conrelid::regclass::text as table_name, c.conname
        from pg_constraint c
        join pg_class r on r.oid = c.conrelid
        join pg_namespace n on n.oid = r.relnamespace
        where c.contype = 'f' and n.nspname = 'public'
          and c.conrelid not in ({_TENANT_TABLES}) and c.confrelid in ({_TENANT_TABLES})
        """
    )
    assert rows == []
