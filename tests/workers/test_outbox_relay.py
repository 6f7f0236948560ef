"""Committed events reach their handlers once, and wait in the outbox while Redis is down."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import replace

import dramatiq
import pytest
import redis
from dramatiq import Message
from dramatiq.brokers.stub import StubBroker

from services.outbox.service import emit
from tenants.context import connection, tenant_tx
from tests.tenants.helpers import new_municipality
from workers import broker as brokers
from workers.actors.outbox import HANDLERS, handles, relay, relay_outbox

KIND = "workers_test.recorded"
_lock = threading.Lock()
received: list[dict] = []


@handles(KIND)
@dramatiq.actor(max_retries=0, time_limit=5_000)
def record_event(*, event_id: int, kind: str, tenant_id: int | None, payload: dict) -> None:
    with _lock:
        received.append(
            {"event_id": event_id, "kind": kind, "tenant_id": tenant_id, "payload": payload}
        )


async def delivered(tenant: int, ids: list[int]) -> dict[int, bool]:
    async with tenant_tx(tenant):
        rows = await connection().fetch(
            "select id, delivered_at is not null as done from outbox_event where id = any($1)", ids
        )
    return {r["id"]: r["done"] for r in rows}


def queued(stub: StubBroker, ids: list[int]) -> list[int]:
    """The event ids waiting for the recording handler, repeats kept."""
    messages = [Message.decode(data) for data in stub.queues[record_event.queue_name].queue]
    return sorted(m.kwargs["event_id"] for m in messages if m.kwargs["event_id"] in ids)


def received_ids(ids: list[int]) -> list[int]:
    with _lock:
        return sorted(r["event_id"] for r in received if r["event_id"] in ids)


async def test_committed_events_are_relayed_once_each_by_a_real_worker(stub, run_worker):
    tenant = await new_municipality()
    async with tenant_tx(tenant):
        ids = [await emit(KIND, {"thing_id": n}) for n in range(5)]
    with run_worker(stub, threads=4):
        # Four relays at once, as a minute's sweep and wake-ups may overlap.
        for _ in range(4):
            relay_outbox.send()
        await asyncio.to_thread(stub.join, relay_outbox.queue_name, fail_fast=True)
        await asyncio.to_thread(stub.join, record_event.queue_name, fail_fast=True)
    assert received_ids(ids) == ids
    with _lock:
        mine = sorted((r for r in received if r["event_id"] in ids), key=lambda r: r["event_id"])
    assert [(r["kind"], r["tenant_id"], r["payload"]) for r in mine] == [
        (KIND, tenant, {"thing_id": n}) for n in range(5)
    ]
    assert await delivered(tenant, ids) == {i: True for i in ids}


async def test_an_event_relayed_again_is_not_sent_again(stub):
    tenant = await new_municipality()
    async with tenant_tx(tenant):
        event_id = await emit(KIND, {})
    first = await relay(stub)
    second = await relay(stub)
    assert first.delivered >= 1 and second.delivered == 0
    assert queued(stub, [event_id]) == [event_id]


async def test_while_redis_is_down_changes_commit_and_their_events_go_out_once_it_is_back(
    settings, redis_namespace, run_worker, monkeypatch, unique
):
    kind = f"workers_test.redis_{unique}"
    up = brokers.redis_broker(settings, namespace=redis_namespace)
    down = brokers.redis_broker(
        replace(settings, redis_url="redis://127.0.0.1:1/0"), namespace=redis_namespace
    )
    got: list[int] = []

    @dramatiq.actor(broker=up, actor_name=f"record_{unique}", max_retries=0, time_limit=5_000)
    def record(*, event_id: int, kind: str, tenant_id: int | None, payload: dict) -> None:
        got.append(event_id)

    monkeypatch.setitem(HANDLERS, kind, [record])
    with pytest.raises(redis.ConnectionError):
        down.client.ping()

    tenant = await new_municipality()
    async with tenant_tx(tenant):  # the use-case commits: emit never touches Redis
        ids = [await emit(kind, {"n": n}) for n in range(3)]
    for _ in range(2):
        assert (await relay(down)).refused
        assert await delivered(tenant, ids) == {i: False for i in ids}

    result = await relay(up)  # Redis is back
    assert not result.refused and not result.more
    assert await delivered(tenant, ids) == {i: True for i in ids}
    assert (await relay(up)).delivered == 0
    with run_worker(up):
        await asyncio.to_thread(up.join, record.queue_name, timeout=10_000)
    assert sorted(got) == ids


async def test_a_refusal_mid_batch_keeps_the_rest_and_sends_none_twice(stub, monkeypatch, unique):
    refusing_kind = f"workers_test.refused_{unique}"
    # An actor whose queue the stub does not know: enqueueing it fails like an outage would.
    elsewhere = dramatiq.actor(
        lambda **_: None, broker=StubBroker(), actor_name="elsewhere", queue_name="elsewhere"
    )
    monkeypatch.setitem(HANDLERS, refusing_kind, [elsewhere])
    tenant = await new_municipality()
    async with tenant_tx(tenant):
        before = await emit(KIND, {"at": "before"})
        stuck = await emit(refusing_kind, {})
        after = await emit(KIND, {"at": "after"})

    assert (await relay(stub)).refused
    assert await delivered(tenant, [before, stuck, after]) == {
        before: True,
        stuck: False,
        after: False,
    }
    monkeypatch.setitem(HANDLERS, refusing_kind, [record_event])  # the outage is over
    assert not (await relay(stub)).refused
    assert await delivered(tenant, [before, stuck, after]) == dict.fromkeys(
        [before, stuck, after], True
    )
    assert queued(stub, [before, stuck, after]) == [before, stuck, after]


async def test_an_event_without_a_handler_is_marked_delivered_and_sends_nothing(stub):
    tenant = await new_municipality()
    async with tenant_tx(tenant):
        event_id = await emit("workers_test.nobody_listens", {})
    assert not (await relay(stub)).refused
    assert await delivered(tenant, [event_id]) == {event_id: True}
    assert all(q.qsize() == 0 for q in stub.queues.values())


async def test_a_handler_kind_must_be_a_valid_event_kind():
    with pytest.raises(ValueError):
        handles("NotAKind")(record_event)


async def test_a_run_that_runs_out_of_time_says_there_is_more(stub):
    await relay(stub)  # nothing left over from earlier tests
    tenant = await new_municipality()
    async with tenant_tx(tenant):
        ids = [await emit(KIND, {"n": n}) for n in range(3)]
    first = await relay(stub, batch=2, run_for_s=0)
    assert (first.delivered, first.more, first.refused) == (2, True, False)
    rest = await relay(stub, batch=2, run_for_s=0)
    assert (rest.delivered, rest.more, rest.refused) == (1, False, False)
    assert queued(stub, ids) == ids
