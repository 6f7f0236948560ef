"""The Dramatiq broker and its middleware, built from settings: the one place that decides how a job runs."""

from __future__ import annotations

import logging

import dramatiq
import redis
from dramatiq import Broker, Middleware
from dramatiq.asyncio import get_event_loop_thread
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import (
    AgeLimit,
    AsyncIO,
    Callbacks,
    MiddlewareError,
    Pipelines,
    Retries,
    ShutdownNotifications,
    TimeLimit,
)
from periodiq import PeriodiqMiddleware

from infra.db import Database
from infra.settings import Settings, load

# Dramatiq's defaults are 20 retries over about a month and a 10-minute limit; a job that
# fails five times in an hour is a bug to look at, not a glitch to wait out.
MAX_RETRIES = 5
MIN_BACKOFF_MS = 15_000
MAX_BACKOFF_MS = 3_600_000
TIME_LIMIT_MS = 300_000
# Redis keeps a dead-lettered message this long in <namespace>:<queue>.XQ, for a person to
# read and re-send; Dramatiq's own default, written down so nobody has to look it up.
DEAD_MESSAGE_TTL_MS = 7 * 86_400_000
# A scheduled message that waited longer than this is dropped: the next tick sends a fresh one.
PERIODIC_SKIP_AFTER_S = 30
# A worker process that dies (kill -9, the OOM killer) leaves the messages it held in its ack
# sets; Redis queues them again once its heartbeat is this old and a command on their queue
# runs Dramatiq's maintenance. Dramatiq's defaults (60 s, 1 command in 1,000) stranded them
# for minutes (`make faults`). A live process heartbeats with every fetch, about once a second
# per idle queue, so it is never taken for dead; and a message run twice is fine (handlers are
# idempotent: delivery is at least once anyway).
HEARTBEAT_TIMEOUT_MS = 15_000
# Every other command runs the maintenance: two range reads of a sorted set when nobody died, so
# cheap. One in ten left a loaded machine's idle queue, fetched about once a second, a one in
# eight chance of holding a dead process's message past half a minute (seen in whole-suite runs).
MAINTENANCE_CHANCE = 500_000  # per million commands

# An idle consumer waits longer and longer between fetches, up to the worker's timeout (1 s in
# Dramatiq). A change reaches its dashboard through two queues, the relay's and the dashboards',
# so two such waits put the change-to-dashboard time at p95 1.8 s (`make bench`, target 1 s).
# These queues, idle, fetch at least every PROMPT_POLL_MS instead: about ten cheap fetches a
# second per worker process and queue; the other queues (mails, notices) may wait their second.
PROMPT_QUEUES = frozenset({"outbox", "dashboards"})
PROMPT_POLL_MS = 100

logger = logging.getLogger(__name__)


class DeadLetters(Middleware):
    """Says out loud when a message is dead-lettered: after its last retry, or when it failed for good.

    The broker keeps the message (Redis: <namespace>:<queue>.XQ for DEAD_MESSAGE_TTL_MS; the stub
    broker: `dead_letters`); without this line in the log nobody would know to look there.
    """

    def after_nack(self, broker: Broker, message) -> None:
        traceback = message.options.get("traceback") or ""
        last_line = traceback.strip().splitlines()[-1] if traceback.strip() else "no traceback"
        logger.error(
            "dead-lettered %s message %s on queue %s after %d attempts: %s",
            message.actor_name,
            message.message_id,
            message.queue_name,
            # Retries counts failed runs; an actor's `throws` fails it at once, uncounted.
            max(message.options.get("retries", 0), 1),
            last_line,
        )


class DatabaseUnavailable(MiddlewareError):
    """The worker could not start its database pool; a MiddlewareError stops the boot."""


class DatabasePool(Middleware):
    """The application role's pool, started at worker boot on the AsyncIO loop, closed at shutdown.

    asyncpg connections belong to the event loop that opened them, and async actors run on
    the AsyncIO middleware's loop thread: the pool has to be opened there, never at import.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.database: Database | None = None

    def before_worker_boot(self, broker: Broker, worker) -> None:
        # Listed after AsyncIO, whose before_worker_boot has started the loop by now.
        loop = get_event_loop_thread()
        if loop is None:
            raise DatabaseUnavailable("the DatabasePool middleware needs AsyncIO before it")
        # Every part's tables exist before the pool binds them; an actor module may not import all.
        import services.schema  # noqa: F401

        # Each worker thread runs at most one actor at a time: one connection each, and a spare.
        database = Database(self.url, min_size=1, max_size=worker.worker_threads + 1)
        try:
            loop.run_coroutine(database.start())
        except Exception as error:  # raised as MiddlewareError, or Dramatiq would only log it
            raise DatabaseUnavailable(
                f"the worker's database pool did not start: {error}"
            ) from error
        self.database = database

    def after_worker_shutdown(self, broker: Broker, worker) -> None:
        # after_* hooks run in reverse order, so this runs before AsyncIO stops the loop.
        loop = get_event_loop_thread()
        if self.database is not None and loop is not None:
            loop.run_coroutine(self.database.stop())
        self.database = None


def middleware(settings: Settings) -> list[Middleware]:
    """Every middleware the broker runs, in order; nothing is added behind this list's back."""
    return [
        # Drops a message older than its actor's max_age before anything else looks at it.
        AgeLimit(),
        # Interrupts an actor that runs past its time_limit (here the default for all).
        TimeLimit(time_limit=TIME_LIMIT_MS),
        # Lets a long actor notice that the worker is stopping (opt-in per actor).
        ShutdownNotifications(),
        # on_success / on_failure actors, and pipelines: Dramatiq's composition.
        Callbacks(),
        Pipelines(),
        # Retries with exponential backoff, at most MAX_RETRIES unless an actor says fewer;
        # after the last one the message fails and the broker dead-letters it.
        Retries(max_retries=MAX_RETRIES, min_backoff=MIN_BACKOFF_MS, max_backoff=MAX_BACKOFF_MS),
        # Logs each dead-lettered message, so a job that gave up is seen.
        DeadLetters(),
        # Runs `async def` actors on one event loop thread per worker process.
        AsyncIO(),
        # After AsyncIO: opens the pool on its loop at boot, closes it before the loop stops.
        DatabasePool(settings.app_database_url),
        # Gives actors the `periodic` option the scheduler reads, and drops stale ticks.
        PeriodiqMiddleware(skip_delay=PERIODIC_SKIP_AFTER_S),
    ]


class SamspelRedisBroker(RedisBroker):
    """Dramatiq's Redis broker, but the queues a person waits on are fetched promptly when idle."""

    def consume(self, queue_name: str, prefetch: int = 1, timeout: int = 5000):
        if queue_name in PROMPT_QUEUES:
            timeout = min(timeout, PROMPT_POLL_MS)
        return super().consume(queue_name, prefetch, timeout)


def redis_broker(settings: Settings, *, namespace: str = "dramatiq") -> RedisBroker:
    """The production broker, on SAMSPEL_REDIS_URL (redis://, rediss:// or unix://)."""
    # Timeouts, because redis-py waits forever by default, and the relay sends while it holds
    # its outbox rows: an unreachable Redis must fail the send, not hang it.
    client = redis.Redis.from_url(
        settings.redis_url, socket_connect_timeout=5, socket_timeout=10, health_check_interval=30
    )
    return SamspelRedisBroker(
        client=client,
        namespace=namespace,
        dead_message_ttl=DEAD_MESSAGE_TTL_MS,
        heartbeat_timeout=HEARTBEAT_TIMEOUT_MS,
        maintenance_chance=MAINTENANCE_CHANCE,
        middleware=middleware(settings),
    )


def stub_broker(settings: Settings) -> StubBroker:
    """An in-memory broker with the same middleware, for tests with a real Worker."""
    return StubBroker(middleware=middleware(settings))


def setup(settings: Settings | None = None) -> Broker:
    """Build the Redis broker and make it Dramatiq's global one: `dramatiq workers.broker:setup …`.

    Dramatiq binds each actor to the global broker when the actor's module is imported, so
    this runs before any module of workers.actors is imported.
    """
    broker = redis_broker(settings or load())
    dramatiq.set_broker(broker)
    return broker
