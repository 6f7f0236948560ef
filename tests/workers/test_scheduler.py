"""The scheduler sends the periodic jobs and wakes the relay on a commit; `python -m workers` runs the worker."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time

import asyncpg
import pendulum
import pytest

from infra.settings import SettingsError
from services.outbox.service import emit
from tenants.context import connection, tenant_tx
from tests.tenants.helpers import new_municipality
from workers.__main__ import arguments
from workers.actors.outbox import relay_outbox
from workers.scheduler import periodic_actors, wake_on_commit


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
                "select count(pg_terminate_backend(pid)) from pg_stat_activity"
                " where usename = 'samspel_app' and query = 'LISTEN \"outbox_event\"'"
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
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
        reader.join(timeout=5)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert worker.returncode == 0, "".join(lines)
    assert any("Worker has been shut down" in line for line in lines), "".join(lines)
