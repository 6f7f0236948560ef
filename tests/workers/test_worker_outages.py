"""`python -m workers` rides out a Redis outage: it stays up and consumes again once Redis is back."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import redis
from dramatiq import Message
from dramatiq.brokers.redis import RedisBroker

from tests.outages import ThrowawayRedis


def _wait(condition, timeout: float, lines: list[str]) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "".join(lines[-40:])
        time.sleep(0.1)


def _dead_lettered(client: redis.Redis) -> int:
    return client.hlen("dramatiq:outbox.XQ.msgs")


def test_a_worker_stays_up_through_a_redis_outage_and_consumes_after_it(migrated):
    server = ThrowawayRedis().start()
    env = dict(
        os.environ,
        SAMSPEL_REDIS_URL=server.url,
        SAMSPEL_WORKER_PROCESSES="1",
        SAMSPEL_WORKER_THREADS="1",
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "workers"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(worker.stdout), daemon=True).start()
    client = redis.Redis.from_url(server.url)
    # A message for an actor nobody has: the worker takes it and dead-letters it, touching
    # no data, so a dead letter is proof that the worker consumed.
    probe = Message(queue_name="outbox", actor_name="no_such_actor", args=(), kwargs={}, options={})
    try:
        _wait(lambda: any("ready for action" in line for line in lines), 30, lines)
        server.stop()
        time.sleep(3)  # the consumer's fetches fail meanwhile
        assert worker.poll() is None, "".join(lines)
        server.start()  # the same port, empty, as after a crash without persistence
        time.sleep(1)
        assert worker.poll() is None, "".join(lines)
        sender = RedisBroker(url=server.url, middleware=[])
        sender.declare_queue("outbox")
        sender.enqueue(probe)
        sender.close()
        _wait(lambda: _dead_lettered(client) == 1, 30, lines)
        assert any("Restarting consumer" in line for line in lines), "".join(lines)
    finally:
        client.close()
        worker.send_signal(signal.SIGTERM)  # its main process stops its worker processes
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
        server.close()
    assert worker.returncode == 0, "".join(lines)


def test_what_a_killed_worker_process_held_is_queued_again_within_half_a_minute(settings):
    from dataclasses import replace

    from workers import broker as brokers

    server = ThrowawayRedis().start()
    config = replace(settings, redis_url=server.url)
    probe = Message(queue_name="probe", actor_name="probe", args=(), kwargs={}, options={})
    try:
        killed = brokers.redis_broker(config)
        killed.declare_queue("probe")
        killed.enqueue(probe)
        held = killed.consume("probe", prefetch=1, timeout=100)
        taken = None
        while taken is None:
            taken = next(held)
        # The process dies here: no ack, no nack, no more heartbeats; only Redis remembers.
        died_at = time.monotonic()
        survivor = brokers.redis_broker(config)
        survivor.declare_queue("probe")
        consumer = survivor.consume("probe", prefetch=1, timeout=1000)
        again = None
        while again is None and time.monotonic() - died_at < 30:
            again = next(consumer)
        assert again is not None, "the dead process's message was not queued again in 30 s"
        assert again.message_id == probe.message_id
        assert time.monotonic() - died_at >= brokers.HEARTBEAT_TIMEOUT_MS / 1000 - 1
    finally:
        server.close()
