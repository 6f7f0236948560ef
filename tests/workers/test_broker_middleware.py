"""The broker runs exactly the middleware broker.py lists, and each does its job in a real Worker."""

from __future__ import annotations

import asyncio
import logging
import threading
import time

import dramatiq
import pytest
import redis
from dramatiq import Message
from dramatiq.middleware import (
    AgeLimit,
    AsyncIO,
    Callbacks,
    Pipelines,
    Retries,
    ShutdownNotifications,
    TimeLimit,
)
from periodiq import PeriodiqMiddleware
from redis.connection import UnixDomainSocketConnection

from tenants.context import NOBODY, tenant_tx
from workers import broker as brokers
from workers.actors import MODULES

EXPECTED = [
    AgeLimit,
    TimeLimit,
    ShutdownNotifications,
    Callbacks,
    Pipelines,
    Retries,
    brokers.DeadLetters,
    AsyncIO,
    brokers.DatabasePool,
    PeriodiqMiddleware,
]


def wait_until(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.02)


def test_the_redis_broker_runs_the_listed_middleware_in_order(settings):
    broker = brokers.redis_broker(settings)
    assert [type(m) for m in broker.middleware] == EXPECTED
    retries = next(m for m in broker.middleware if isinstance(m, Retries))
    assert retries.max_retries == brokers.MAX_RETRIES
    limit = next(m for m in broker.middleware if isinstance(m, TimeLimit))
    assert limit.time_limit == brokers.TIME_LIMIT_MS
    assert broker.dead_message_ttl == brokers.DEAD_MESSAGE_TTL_MS
    pool = next(m for m in broker.middleware if isinstance(m, brokers.DatabasePool))
    assert pool.url == settings.app_database_url


def test_the_queues_a_change_passes_on_its_way_to_a_dashboard_are_fetched_promptly_when_idle(
    settings,
):
    # The worker's own idle timeout (Dramatiq's 1 s) is what an idle consumer backs off to.
    broker = brokers.redis_broker(settings)
    for queue in ("outbox", "dashboards"):
        assert broker.consume(queue, timeout=1000).timeout == brokers.PROMPT_POLL_MS <= 100
    assert broker.consume("mail", timeout=1000).timeout == 1000
    assert broker.consume("dashboards.DQ", timeout=1000).timeout == 1000


def test_the_stub_broker_of_the_tests_runs_the_same_middleware(stub):
    assert [type(m) for m in stub.middleware] == EXPECTED


def test_a_unix_socket_url_connects_redis_over_the_socket(settings):
    from dataclasses import replace

    broker = brokers.redis_broker(replace(settings, redis_url="unix:///tmp/samspel/redis.socket"))
    pool = broker.client.connection_pool
    assert pool.connection_class is UnixDomainSocketConnection
    assert pool.connection_kwargs["path"] == "/tmp/samspel/redis.socket"


def test_every_samspel_actor_has_max_retries_and_a_time_limit(stub):
    ours = [a for a in stub.actors.values() if a.fn.__module__ in MODULES]
    assert ours, "no actors found"
    for actor in ours:
        assert actor.options.get("max_retries", brokers.MAX_RETRIES + 1) <= brokers.MAX_RETRIES
        assert 0 < actor.options.get("time_limit", 0) <= brokers.TIME_LIMIT_MS, actor.actor_name


async def test_async_actors_use_the_pool_the_worker_opened_on_its_loop(stub, run_worker):
    seen: list[tuple[str, str]] = []

    @dramatiq.actor(broker=stub, max_retries=0, time_limit=10_000)
    async def who_runs_me() -> None:
        async with tenant_tx(NOBODY) as tx:
            user = await tx.connection.fetchval("select current_user")
        seen.append((user, threading.current_thread().name))

    pools = [m for m in stub.middleware if isinstance(m, brokers.DatabasePool)]
    with run_worker(stub):
        database = pools[0].database
        assert database is not None and database.engine is not None
        who_runs_me.send()
        await asyncio.to_thread(stub.join, who_runs_me.queue_name, fail_fast=True)
        engine = database.engine
        loop_thread = dramatiq.asyncio.get_event_loop_thread()
    assert seen == [("samspel_app", loop_thread.name)]
    assert loop_thread.name != threading.current_thread().name
    # Stopped with the worker: the pool is closed and the middleware holds none.
    assert pools[0].database is None
    assert engine.pool is None


async def test_an_actor_that_always_fails_is_dead_lettered_after_its_retries_in_redis(
    settings, redis_namespace, run_worker, unique, caplog
):
    broker = brokers.redis_broker(settings, namespace=redis_namespace)
    attempts: list[int] = []

    @dramatiq.actor(
        broker=broker,
        queue_name=f"fails_{unique}",
        max_retries=2,
        min_backoff=10,
        max_backoff=20,
        time_limit=5_000,
    )
    def always_fails(n: int) -> None:
        attempts.append(n)
        raise RuntimeError("always")

    client = redis.Redis.from_url(settings.redis_url)
    dead_letters = f"{redis_namespace}:fails_{unique}.XQ"
    caplog.set_level(logging.ERROR, logger="workers.broker")
    sent = always_fails.send(7)
    with run_worker(broker):
        await asyncio.to_thread(wait_until, lambda: client.zcard(dead_letters) == 1)
    [data] = client.hvals(dead_letters + ".msgs")
    dead = Message.decode(data)
    # Redis keeps the message as it was sent for its last retry, the second.
    assert (dead.message_id, dead.args, dead.options["retries"]) == (sent.message_id, (7,), 2)
    assert attempts == [7, 7, 7]  # the first run and max_retries=2 more, then no more
    assert client.llen(f"{redis_namespace}:fails_{unique}") == 0
    [record] = [r for r in caplog.records if sent.message_id in r.getMessage()]
    assert "after 3 attempts: RuntimeError: always" in record.getMessage()
    client.close()


async def test_an_actor_past_its_time_limit_is_stopped_and_dead_lettered(stub, run_worker):
    finished: list[bool] = []

    @dramatiq.actor(broker=stub, max_retries=0, time_limit=100)
    async def too_slow() -> None:
        await asyncio.sleep(10)
        finished.append(True)

    started = time.monotonic()
    with run_worker(stub):
        too_slow.send()
        await asyncio.to_thread(stub.join, too_slow.queue_name, fail_fast=False)
    assert time.monotonic() - started < 5
    assert finished == []
    [dead] = [m for m in stub.dead_letters if m.actor_name == too_slow.actor_name]
    assert (
        dead.options["traceback"]
        .strip()
        .splitlines()[-1]
        .startswith("dramatiq.middleware.time_limit.TimeLimitExceeded")
    )


@pytest.mark.filterwarnings("ignore:.*Unable to connect to database")
def test_a_worker_cannot_boot_without_its_database(settings):
    from dataclasses import replace

    from dramatiq import Worker

    nowhere = replace(
        settings, app_database_url="postgresql://samspel_app@127.0.0.1:1/samspel_test"
    )
    broker = brokers.stub_broker(nowhere)
    worker = Worker(broker, worker_timeout=50, worker_threads=1)
    with pytest.raises(brokers.DatabaseUnavailable):
        worker.start()
    worker.stop()
