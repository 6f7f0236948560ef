"""Piccolo's queries inside tenant_tx() run on its one connection, under its tenant setting."""

from __future__ import annotations

import pytest

from services.programmes.tables import Programme
from tenants.context import connection, tenant_tx
from tenants.tables import Municipality
from tests.tenants.helpers import new_municipality

pytestmark = pytest.mark.usefixtures("database")


def programme(tenant: int, name: str) -> Programme:
    return Programme(
        tenant_id=tenant, name=name, kind="omstilling", period_start=2026, period_end=2030
    )


async def test_a_piccolo_query_runs_on_the_transactions_connection_with_its_tenant():
    tenant = await new_municipality()
    async with tenant_tx(tenant):
        [seen] = await Municipality.raw(
            "select pg_backend_pid() as pid, current_setting('app.tenant_id', true) as tenant,"
            " txid_current() as txid"
        )
        own = await connection().fetchrow("select pg_backend_pid() as pid, txid_current() as txid")
    assert seen == {"pid": own["pid"], "tenant": str(tenant), "txid": own["txid"]}


async def test_piccolo_sees_and_writes_only_the_tenant_of_the_transaction(unique):
    mine, other = await new_municipality(), await new_municipality()
    async with tenant_tx(mine):
        await Programme.insert(programme(mine, f"Mine {unique}"))
    async with tenant_tx(other):
        assert await Programme.select(Programme.name).output(as_list=True) == []
        # Row-level security refuses a row for another tenant, whatever Piccolo is told.
        with pytest.raises(Exception, match="row-level security"):
            await Programme.insert(programme(mine, f"Smuggled {unique}"))
    async with tenant_tx(mine):
        names = await Programme.select(Programme.name).output(as_list=True)
    assert names == [f"Mine {unique}"]


async def test_a_piccolo_write_is_undone_with_its_transaction(unique):
    tenant = await new_municipality()
    with pytest.raises(RuntimeError):
        async with tenant_tx(tenant):
            await Programme.insert(programme(tenant, f"Undone {unique}"))
            assert await Programme.count() == 1
            raise RuntimeError("the use-case failed after writing")
    async with tenant_tx(tenant):
        assert await Programme.count() == 0


async def test_outside_tenant_tx_piccolo_sees_no_tenant_rows(unique):
    tenant = await new_municipality()
    async with tenant_tx(tenant):
        await Programme.insert(programme(tenant, f"Hidden {unique}"))
    # A pooled connection with no setting: the policies match nothing (fail closed).
    assert await Programme.count() == 0


async def test_a_piccolo_insert_stamps_the_row_by_the_databases_clock(unique):
    tenant = await new_municipality()
    async with tenant_tx(tenant):
        [row] = await Programme.insert(programme(tenant, f"Stamped {unique}")).returning(
            Programme.created_at
        )
        now = await connection().fetchval("select now()")
    assert row["created_at"] == now
