"""The workers' tests: one stub broker with the production middleware, and real Workers on it."""

from __future__ import annotations

import sys
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

import dramatiq
import pytest
import redis
from dramatiq import Broker, Worker

from infra.db import bind
from infra.settings import load
from workers import broker as brokers

# Dramatiq binds an actor to the global broker when its module is imported: the stub has to
# be the global broker before any test module here imports workers.actors.
assert "workers.actors" not in sys.modules, "workers.actors was imported before the stub broker"
STUB = brokers.stub_broker(load())
dramatiq.set_broker(STUB)


_BOOTED: weakref.WeakSet[Broker] = weakref.WeakSet()


@pytest.fixture
def stub(database):
    STUB.flush_all()
    yield STUB
    STUB.flush_all()


@pytest.fixture
def run_worker(database):
    """Run a real Worker on a broker; when it stops, the tables go back to the suite's pool.

    The worker's DatabasePool binds every table to the pool it opens on its own event loop,
    and asyncpg connections work only on the loop that opened them.
    """

    @contextmanager
    def run(broker: Broker, *, threads: int = 2) -> Iterator[Worker]:
        if broker not in _BOOTED:
            # What Dramatiq's CLI does once per process; TimeLimit starts its timer thread here.
            broker.emit_after("process_boot")
            _BOOTED.add(broker)
        worker = Worker(broker, worker_timeout=50, worker_threads=threads)
        worker.start()
        try:
            yield worker
        finally:
            worker.stop()
            bind(database.engine)

    return run


@pytest.fixture
def redis_namespace(settings, unique) -> Iterator[str]:
    """A namespace of the real Redis for one test, deleted afterwards."""
    namespace = f"samspel-test-{unique}"
    yield namespace
    client = redis.Redis.from_url(settings.redis_url)
    keys = list(client.scan_iter(f"{namespace}:*"))
    if keys:
        client.delete(*keys)
    client.close()
