"""Events are written in the use-case's transaction, kept apart by tenant, and claimed by one relay at a time."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import asyncpg
import pytest

from services.outbox.service import claim_batch, emit, mark_delivered, prune_delivered
from tenants.context import NOBODY, NoTransaction, Scope, connection, tenant_tx
from tests.tenants.helpers import new_municipality

pytestmark = pytest.mark.usefixtures("database")

# Events other tests left pending come first (oldest first): claim past all of them.
EVERYTHING = 100_000


class Boom(Exception):
    pass


async def delivered(tenant: int, ids: list[int]) -> dict[int, bool]:
    """What the tenant itself sees of its events: id -> delivered yet."""
    async with tenant_tx(tenant):
        rows = await connection().fetch(
            "select id, delivered_at is not null as done from outbox_event where id = any($1)", ids
        )
    return {r["id"]: r["done"] for r in rows}


async def claimable(ids: list[int]) -> set[int]:
    """Which of these events a relay would claim now (claimed and released again)."""
    async with tenant_tx(NOBODY):
        return {e.id for e in await claim_batch(EVERYTHING)} & set(ids)


async def test_an_event_emitted_in_a_transaction_that_rolls_back_leaves_nothing():
    tenant = await new_municipality()
    with pytest.raises(Boom):
        async with tenant_tx(tenant):
            event_id = await emit("test.changed", {"thing_id": 1})
            raise Boom
    assert await delivered(tenant, [event_id]) == {}
    assert await claimable([event_id]) == set()


async def test_a_committed_event_is_pending_with_its_tenant_kind_and_payload():
    tenant = await new_municipality()
    async with tenant_tx(tenant):
        event_id = await emit("test.changed", {"thing_id": 7, "why": "æøå"})
    assert await delivered(tenant, [event_id]) == {event_id: False}
    async with tenant_tx(NOBODY):
        [event] = [e for e in await claim_batch(EVERYTHING) if e.id == event_id]
    assert (event.tenant_id, event.kind, event.payload) == (
        tenant,
        "test.changed",
        {"thing_id": 7, "why": "æøå"},
    )


async def test_two_relays_at_once_never_claim_the_same_event():
    tenant = await new_municipality()
    async with tenant_tx(tenant):
        ids = [await emit("test.changed", {"n": n}) for n in range(3)]
    first_claimed = asyncio.Event()
    second_done = asyncio.Event()
    seen: dict[str, set[int]] = {}

    async def first() -> None:
        async with tenant_tx(NOBODY):
            events = [e for e in await claim_batch(EVERYTHING) if e.id in ids]
            seen["first"] = {e.id for e in events}
            first_claimed.set()
            await second_done.wait()  # hold the claim while the other relay looks
            await mark_delivered(events)

    async def second() -> None:
        await first_claimed.wait()
        async with tenant_tx(NOBODY):
            seen["second"] = {e.id for e in await claim_batch(EVERYTHING)} & set(ids)
        second_done.set()

    await asyncio.wait_for(asyncio.gather(first(), second()), timeout=10)
    assert seen == {"first": set(ids), "second": set()}
    assert await delivered(tenant, ids) == {i: True for i in ids}
    assert await claimable(ids) == set()


async def test_a_claim_that_rolls_back_leaves_its_events_pending():
    tenant = await new_municipality()
    async with tenant_tx(tenant):
        event_id = await emit("test.changed", {})
    with pytest.raises(Boom):
        async with tenant_tx(NOBODY):
            events = [e for e in await claim_batch(EVERYTHING) if e.id == event_id]
            await mark_delivered(events)
            raise Boom  # e.g. the relay died before its commit
    assert await delivered(tenant, [event_id]) == {event_id: False}
    assert await claimable([event_id]) == {event_id}


async def test_emit_outside_a_tenant_transaction_is_refused():
    with pytest.raises(NoTransaction):
        await emit("test.changed", {})


async def test_an_event_of_no_tenant_is_seen_by_no_tenant_and_claimed_with_tenant_none():
    tenant = await new_municipality()
    async with tenant_tx(Scope(operator=True)):
        event_id = await emit("test.platform_changed", {"region_id": 1})
    assert await delivered(tenant, [event_id]) == {}
    async with tenant_tx(NOBODY):
        assert await connection().fetchval("select count(*) from outbox_event") == 0
        [event] = [e for e in await claim_batch(EVERYTHING) if e.id == event_id]
        assert event.tenant_id is None
        assert await mark_delivered([event]) == 1


async def test_events_are_kept_apart_by_tenant_and_cannot_be_written_for_another():
    a, b = await new_municipality("A"), await new_municipality("B")
    async with tenant_tx(a):
        a_event = await emit("test.changed", {})
    assert await delivered(b, [a_event]) == {}
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        async with tenant_tx(a):
            await connection().execute(
                "insert into outbox_event (tenant_id, kind, payload) values ($1, 'test.x', '{}')",
                b,
            )


async def test_the_application_cannot_change_or_delete_events_directly():
    tenant = await new_municipality()
    async with tenant_tx(tenant):
        await emit("test.changed", {})
    for statement in (
        "update outbox_event set delivered_at = now()",
        "delete from outbox_event",
    ):
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            async with tenant_tx(tenant):
                await connection().execute(statement)


async def test_a_malformed_event_is_refused_before_and_by_the_database():
    tenant = await new_municipality()
    async with tenant_tx(tenant):
        with pytest.raises(ValueError):
            await emit("Changed", {})
        with pytest.raises(TypeError):
            await emit("test.changed", [1, 2])  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            await emit("test.changed", {"when": object()})
    with pytest.raises(asyncpg.CheckViolationError):
        async with tenant_tx(tenant):
            await connection().execute(
                "insert into outbox_event (tenant_id, kind, payload)"
                " values (app_tenant_id(), 'no kind', '{}')"
            )


async def test_pruning_deletes_delivered_events_and_never_pending_ones():
    tenant = await new_municipality()
    async with tenant_tx(tenant):
        sent, waiting = await emit("test.changed", {}), await emit("test.changed", {})
    async with tenant_tx(NOBODY):
        await mark_delivered([e for e in await claim_batch(EVERYTHING) if e.id == sent])
    async with tenant_tx(NOBODY):
        assert await prune_delivered(timedelta(days=1)) >= 0
    assert await delivered(tenant, [sent, waiting]) == {sent: True, waiting: False}
    async with tenant_tx(NOBODY):
        assert await prune_delivered(timedelta(0)) >= 1
    assert await delivered(tenant, [sent, waiting]) == {waiting: False}
