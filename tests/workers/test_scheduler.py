"""The scheduler sends the periodic jobs and wakes the relay on a commit; `python -m workers` runs the worker."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import dramatiq
import pendulum
import pytest

from infra.settings import SettingsError
from services.outbox.service import emit
from tenants.context import connection, tenant_tx
from tests.outages import CuttableProxy, ThrowawayRedis
from tests.tenants.helpers import new_municipality
from workers.__main__ import NICENESS, arguments
from workers.actors.outbox import relay_outbox
from workers.broker import redis_broker
from workers.scheduler import Scheduler, periodic_actors, wake_on_commit


class Boom(Exception):
    pass


def test_the_scheduler_finds_the_relay_every_minute_and_the_prune_every_hour(stub):
    specs = {a.actor_name: a.options["periodic"] for a in periodic_actors(stub)}
    assert {"relay_outbox", "prune_outbox"} <= set(specs)
    relay, prune = specs["relay_outbox"], specs["prune_outbox"]
    noon = pendulum.datetime(2026, 3, 2, 12, 0, tz="Europe/Oslo")
    assert all(relay.validate(noon.add(minutes=m)) for m in range(60))
    assert [m for m in range(60) if prune.validate(noon.add(minutes=m))] == [17]


async def test_a_scheduled_tick_that_waited_too_long_is_skipped_and_a_fresh_one_runs(
    stub, run_worker
):
    tenant = await new_municipality()
    async with tenant_tx(tenant):
        event_id = await emit("workers_test.tick", {})

    async def pending() -> bool:
        async with tenant_tx(tenant):
            return await connection().fetchval(
                "select delivered_at is null from outbox_event where id = $1", event_id
            )

    with run_worker(stub):
        stale = str(pendulum.now().subtract(minutes=5).replace(microsecond=0))
        relay_outbox.send_with_options(scheduled_at=stale)
        await asyncio.to_thread(stub.join, relay_outbox.queue_name, fail_fast=True)
    assert await pending()
    with run_worker(stub):
        relay_outbox.send_with_options(scheduled_at=str(pendulum.now().replace(microsecond=0)))
        await asyncio.to_thread(stub.join, relay_outbox.queue_name, fail_fast=True)
    assert not await pending()


async def test_a_commit_to_the_outbox_wakes_the_relay_once_and_a_rollback_does_not(settings):
    tenant = await new_municipality()
    loop = asyncio.get_running_loop()
    calls: list[float] = []
    woken = asyncio.Event()

    def wake() -> None:
        calls.append(time.monotonic())
        loop.call_soon_threadsafe(woken.set)

    listener = asyncio.create_task(
        wake_on_commit(settings.app_database_url, wake, settle_s=0.05, reconnect_s=0.1)
    )
    try:
        await asyncio.wait_for(woken.wait(), 5)  # once on connecting: commits may have been missed
        await asyncio.sleep(0.2)
        woken.clear()
        before = len(calls)
        with pytest.raises(Boom):
            async with tenant_tx(tenant):
                await emit("workers_test.wake", {})
                raise Boom
        await asyncio.sleep(0.5)
        assert len(calls) == before
        async with tenant_tx(tenant):
            for n in range(3):
                await emit("workers_test.wake", {"n": n})
        await asyncio.wait_for(woken.wait(), 5)
        await asyncio.sleep(0.3)
        assert len(calls) == before + 1
    finally:
        listener.cancel()


async def test_a_wake_up_that_fails_does_not_stop_the_listener(settings):
    tenant = await new_municipality()
    loop = asyncio.get_running_loop()
    failed, woken = asyncio.Event(), asyncio.Event()
    calls = 0

    def wake() -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            loop.call_soon_threadsafe(failed.set)
            raise ConnectionError("redis is down")
        loop.call_soon_threadsafe(woken.set)

    listener = asyncio.create_task(wake_on_commit(settings.app_database_url, wake, settle_s=0.05))
    try:
        await asyncio.wait_for(failed.wait(), 5)
        async with tenant_tx(tenant):
            await emit("workers_test.wake", {})
        await asyncio.wait_for(woken.wait(), 5)
    finally:
        listener.cancel()
    assert calls == 2


async def test_the_listener_reconnects_when_its_connection_is_cut(settings):
    tenant = await new_municipality()
    loop = asyncio.get_running_loop()
    calls: list[float] = []
    woken = asyncio.Event()

    def wake() -> None:
        calls.append(time.monotonic())
        loop.call_soon_threadsafe(woken.set)

    listener = asyncio.create_task(
        wake_on_commit(settings.app_database_url, wake, settle_s=0.05, reconnect_s=0.1)
    )
    try:
        await asyncio.wait_for(woken.wait(), 5)
        woken.clear()
        admin = await asyncpg.connect(settings.database_url)
        try:
            cut = await admin.fetchval(
                # Only this run's database: a `make run` on the same server keeps its listener.
                "select count(pg_terminate_backend(pid)) from pg_stat_activity"
                " where usename = 'samspel_app' and query = 'LISTEN \"outbox_event\"'"
                " and datname = current_database()"
            )
        finally:
            await admin.close()
        assert cut == 1
        await asyncio.wait_for(woken.wait(), 5)  # connected again, and woke for what it missed
        woken.clear()
        async with tenant_tx(tenant):
            await emit("workers_test.wake", {})
        await asyncio.wait_for(woken.wait(), 5)
    finally:
        listener.cancel()


async def test_the_listener_rides_out_a_database_outage_and_hears_commits_after_it(settings):
    tenant = await new_municipality()
    target = urlsplit(settings.app_database_url)
    proxy = CuttableProxy(target.hostname or "127.0.0.1", target.port or 5432)
    await proxy.mend()
    through_proxy = urlunsplit(
        target._replace(netloc=target.netloc.rsplit("@", 1)[0] + f"@127.0.0.1:{proxy.port}")
    )
    loop = asyncio.get_running_loop()
    woken = asyncio.Event()

    def wake() -> None:
        loop.call_soon_threadsafe(woken.set)

    listener = asyncio.create_task(
        wake_on_commit(through_proxy, wake, settle_s=0.05, reconnect_s=0.1, reconnect_max_s=0.4)
    )
    try:
        await asyncio.wait_for(woken.wait(), 5)
        await proxy.cut()  # the server is gone: connections dropped, new ones refused
        await asyncio.sleep(1.5)  # several refused reconnects, each pause longer
        assert not listener.done()
        woken.clear()
        await proxy.mend()
        await asyncio.wait_for(woken.wait(), 5)  # back, and woke for what it missed
        woken.clear()
        async with tenant_tx(tenant):
            await emit("workers_test.wake", {})
        await asyncio.wait_for(woken.wait(), 5)
    finally:
        listener.cancel()
        await proxy.cut()


@pytest.fixture
def throwaway_redis():
    server = ThrowawayRedis().start()
    yield server
    server.close()


def _tick_actor(server: ThrowawayRedis, settings, namespace: str) -> dramatiq.Actor:
    broker = redis_broker(replace(settings, redis_url=server.url), namespace=namespace)
    return dramatiq.actor(lambda: None, broker=broker, actor_name="tick_probe")


def _queued(actor: dramatiq.Actor) -> int:
    return actor.broker.client.hlen(f"{actor.broker.namespace}:{actor.queue_name}.msgs")


def test_a_tick_sent_while_redis_is_down_goes_out_when_it_comes_back(
    throwaway_redis, settings, unique
):
    actor = _tick_actor(throwaway_redis, settings, f"samspel-test-{unique}")
    scheduler = Scheduler([actor], send_for_s=20, retry_first_s=0.1, retry_max_s=0.5)
    assert scheduler.send_actors([actor], pendulum.now()) == []
    throwaway_redis.stop()
    unsent: list = [None]
    sending = threading.Thread(
        target=lambda: unsent.__setitem__(0, scheduler.send_actors([actor], pendulum.now()))
    )
    sending.start()
    time.sleep(1.5)
    assert sending.is_alive()  # still trying, not crashed
    throwaway_redis.start()  # the same port, empty: a restarted Redis without its data
    sending.join(timeout=20)
    assert unsent[0] == []
    assert _queued(actor) == 1


def test_a_tick_is_given_up_when_redis_stays_down_and_the_next_one_goes_out(
    throwaway_redis, settings, unique
):
    actor = _tick_actor(throwaway_redis, settings, f"samspel-test-{unique}")
    scheduler = Scheduler([actor], send_for_s=1, retry_first_s=0.1, retry_max_s=0.2)
    throwaway_redis.stop()
    assert scheduler.send_actors([actor], pendulum.now()) == [actor]
    throwaway_redis.start()
    assert scheduler.send_actors([actor], pendulum.now()) == []
    assert _queued(actor) == 1


def test_a_tick_that_fails_arms_the_next_one_instead_of_ending_the_scheduler(stub):
    class Broken(Scheduler):
        def schedule(self) -> None:
            raise RuntimeError("a bug in a tick")

    previous = signal.signal(signal.SIGALRM, signal.SIG_IGN)
    try:
        Broken(periodic_actors(stub)).tick()
        armed = signal.alarm(0)  # cancels it, and says how far off it was
    finally:
        signal.signal(signal.SIGALRM, previous)
    assert 0 < armed <= 10


def test_the_worker_command_is_two_processes_of_four_threads_unless_told():
    assert arguments({}) == [
        "workers.broker:setup",
        "workers.actors",
        "--processes",
        "2",
        "--threads",
        "4",
    ]
    told = arguments({"SAMSPEL_WORKER_PROCESSES": "3", "SAMSPEL_WORKER_THREADS": "8"})
    assert told[-4:] == ["--processes", "3", "--threads", "8"]
    for bad in ("0", "many", "-1", "65"):
        with pytest.raises(SettingsError, match="SAMSPEL_WORKER_THREADS"):
            arguments({"SAMSPEL_WORKER_THREADS": bad})


def test_python_m_workers_boots_with_its_pool_and_stops_cleanly_on_sigterm(migrated):
    env = dict(os.environ, SAMSPEL_WORKER_PROCESSES="1", SAMSPEL_WORKER_THREADS="1")
    worker = subprocess.Popen(
        [sys.executable, "-m", "workers"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        for line in worker.stdout:
            lines.append(line)
            if "Worker process is ready for action" in line:
                ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert ready.wait(30), "".join(lines)
        assert any("Running Postgres version" in line for line in lines), "".join(lines)
        # The jobs run below people's requests: the command and the processes it forked.
        children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text().split()
        assert children
        for pid in (worker.pid, *map(int, children)):
            assert os.getpriority(os.PRIO_PROCESS, pid) == min(19, os.nice(0) + NICENESS)
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
        reader.join(timeout=5)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert worker.returncode == 0, "".join(lines)
    assert any("Worker has been shut down" in line for line in lines), "".join(lines)
