"""The audit chain links every change and names the first link an edit in the database broke."""

import asyncpg
import pytest

from services.audit.service import record_change, verify_chain
from tenants.context import tenant_tx
from tests.tenants.helpers import new_municipality

pytestmark = pytest.mark.usefixtures("database")


async def test_an_untouched_chain_verifies(unique):
    tenant = await new_municipality()
    for i in range(5):
        async with tenant_tx(tenant):
            await record_change(
                actor_person_id=None,
                action="edit",
                entity="thing",
                entity_id=i,
                old_values={"n": i},
                new_values={"n": i + 1, "why": f"æøå {unique}"},
            )
    report = await verify_chain(tenant)
    assert report.intact and report.events == 5


async def test_a_row_edited_directly_in_the_database_is_named(settings):
    tenant = await new_municipality()
    for i in range(4):
        async with tenant_tx(tenant):
            await record_change(
                actor_person_id=None,
                action="edit",
                entity="thing",
                entity_id=i,
                new_values={"amount": 100 * i},
            )
    admin = await asyncpg.connect(settings.database_url)
    try:
        await admin.execute(
            "update audit_event set new_values = '{\"amount\": 1}' where tenant_id = $1 and seq = 3",
            tenant,
        )
    finally:
        await admin.close()
    report = await verify_chain(tenant)
    assert (report.intact, report.first_broken_seq, report.reason) == (False, 3, "content changed")


async def test_a_deleted_event_is_named(settings):
    tenant = await new_municipality()
    for i in range(3):
        async with tenant_tx(tenant):
            await record_change(actor_person_id=None, action="edit", entity="thing", entity_id=i)
    admin = await asyncpg.connect(settings.database_url)
    try:
        await admin.execute("delete from audit_event where tenant_id = $1 and seq = 2", tenant)
    finally:
        await admin.close()
    report = await verify_chain(tenant)
    assert (report.first_broken_seq, report.reason) == (2, "missing event")
