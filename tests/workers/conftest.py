"""The workers' tests: one stub broker with the production middleware, and real Workers on it."""

from __future__ import annotations

import dataclasses
import email
import email.policy
import socket
import sys
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

import dramatiq
import pytest
import redis
from aiosmtpd.controller import Controller
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


RECEIPT_MAILS = ("bid_received", "bid_withdrawn", "bid_reconfirmed")


class Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 OK"

    def to(self, *addresses: str, receipts: bool = False) -> list[email.message.EmailMessage]:
        """The mails to these addresses. A bid's receipt mails (their own tests ask for them)
        are left out otherwise: each bid a test sends along the way brings one."""
        return [
            m
            for m in self.messages
            if m["To"] in addresses
            and (receipts or m["X-Samspel-Mail"] not in RECEIPT_MAILS)
        ]


@pytest.fixture
def inbox(settings, monkeypatch):
    """A real SMTP server, and the mail actor pointed at it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    box = Inbox()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    smtp = dataclasses.replace(settings, smtp_url=f"smtp://127.0.0.1:{port}")
    from workers.actors import mail as mail_actor  # after the stub broker is set, above

    monkeypatch.setattr(mail_actor, "_settings", lambda: smtp)
    yield box
    controller.stop()
