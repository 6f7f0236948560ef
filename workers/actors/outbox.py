"""The outbox relay: committed events go to the actors that handle their kind, each once."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

import dramatiq
import redis
from dramatiq import Actor, Broker, Message
from periodiq import cron

from infra.public_cache import version_key
from infra.settings import Settings, load
from services.outbox import service as outbox
from services.outbox.rules import valid_kind
from services.parts import public_change_kinds
from tenants.context import NOBODY, tenant_tx

logger = logging.getLogger(__name__)

# Which actors receive an event of a kind; filled by @handles in the parts' actor modules.
HANDLERS: dict[str, list[Actor]] = {}
# Actors that choose their events as each is sent (@handles_when): the dashboards ask the
# parts whether a figure changes with the kind, so a new part's events reach them unnamed.
CHOOSERS: list[tuple[Callable[[str], bool], Actor]] = []

BATCH = 100
# A relay run stops claiming after this long and sends itself again, well inside its time
# limit: an interrupted run would roll back and send its batch a second time.
RUN_FOR_S = 20
KEEP_DELIVERED = timedelta(days=7)
_MESSAGE_IDS = uuid.UUID("6f3c3f0e-6c55-4a55-9d1e-2f7b3c1d9a10")


def handles(*kinds: str) -> Callable[[Actor], Actor]:
    """Send this actor every committed event of these kinds, as keyword arguments
    `event_id`, `kind`, `tenant_id` (None for an event of no tenant) and `payload`.

    Delivery is at least once (a relay that dies between sending and committing sends again),
    so a handler is idempotent: it recomputes and upserts, and never increments.
    """

    def register(actor: Actor) -> Actor:
        for kind in kinds:
            if not valid_kind(kind):
                raise ValueError(f"not an event kind: {kind!r}")
            HANDLERS.setdefault(kind, []).append(actor)
        return actor

    return register


def handles_when(wants: Callable[[str], bool]) -> Callable[[Actor], Actor]:
    """Send this actor every committed event whose kind `wants`, as @handles does."""

    def register(actor: Actor) -> Actor:
        CHOOSERS.append((wants, actor))
        return actor

    return register


def handlers_of(kind: str) -> list[Actor]:
    return [*HANDLERS.get(kind, ()), *(actor for wants, actor in CHOOSERS if wants(kind))]


def event_message(event: outbox.Event, actor: Actor) -> Message:
    message = actor.message_with_options(
        kwargs={
            "event_id": event.id,
            "kind": event.kind,
            "tenant_id": event.tenant_id,
            "payload": event.payload,
        }
    )
    # The same event sent to the same actor twice has the same id, so a handler or a person
    # reading the logs can tell a repeat from a new event.
    return message.copy(message_id=str(uuid.uuid5(_MESSAGE_IDS, f"{event.id}:{actor.actor_name}")))


@dataclass(frozen=True, slots=True)
class Relayed:
    delivered: int
    refused: bool = False  # the broker refused a message; the rest waits for the next run
    more: bool = False  # time ran out with events left


async def relay(broker: Broker, *, batch: int = BATCH, run_for_s: float = RUN_FOR_S) -> Relayed:
    """Send committed events to their handlers through `broker`, and mark them delivered.

    Each batch is claimed, sent and marked in one transaction, so two relays never send the
    same event. If the broker refuses a message (Redis is down) the relay stops there: what
    was sent is marked, the rest stays in the outbox for the next run.
    """
    deadline = time.monotonic() + run_for_s
    delivered = 0
    while True:
        async with tenant_tx(NOBODY):
            events = await outbox.claim_batch(batch)
            sent = await _send(broker, events)
            await outbox.mark_delivered(sent)
        delivered += len(sent)
        if len(sent) < len(events):
            return Relayed(delivered, refused=True)
        if len(events) < batch:
            return Relayed(delivered)
        if time.monotonic() >= deadline:
            return Relayed(delivered, more=True)


async def _send(broker: Broker, events: list[outbox.Event]) -> list[outbox.Event]:
    sent = []
    for event in events:
        actors = handlers_of(event.kind)
        try:
            for actor in actors:
                # redis-py blocks; in a thread, so the worker's loop keeps serving other actors.
                await asyncio.to_thread(broker.enqueue, event_message(event, actor))
        except Exception:
            logger.warning(
                "the broker refused event %s (%s); it stays in the outbox",
                event.id,
                event.kind,
                exc_info=True,
            )
            break
        if not actors:
            logger.info("event %s (%s) has no handler; marked delivered", event.id, event.kind)
        sent.append(event)
    return sent


# Every minute, and whenever the scheduler hears a commit to the outbox (workers/scheduler.py).
# Its own queue, so a backlog of handler jobs never delays the relay.
@dramatiq.actor(
    queue_name="outbox",
    max_retries=3,
    time_limit=60_000,
    periodic=cron("* * * * *"),
)
async def relay_outbox() -> None:
    result = await relay(relay_outbox.broker)
    if result.delivered:
        logger.info("relayed %d outbox events", result.delivered)
    if result.more:
        # A backlog (after Redis was down): keep draining now rather than a minute from now.
        await asyncio.to_thread(relay_outbox.send)


@dramatiq.actor(
    queue_name="outbox",
    max_retries=3,
    time_limit=300_000,
    periodic=cron("17 * * * *"),
)
async def prune_outbox() -> None:
    async with tenant_tx(NOBODY):
        deleted = await outbox.prune_delivered(KEEP_DELIVERED)
    if deleted:
        logger.info("pruned %d delivered outbox events", deleted)


@cache
def _public_kinds() -> frozenset[str]:
    return public_change_kinds()


@cache
def _public_cache() -> tuple[Settings, redis.Redis]:
    settings = load()
    return settings, redis.Redis.from_url(
        settings.redis_url, socket_connect_timeout=5, socket_timeout=5
    )


# After a committed change the public sees (a part's PUBLIC_CHANGES): the kept copies of the
# public pages are stale from now on. Moving a counter is idempotent enough: a repeat only
# makes the next reader render once more.
@handles_when(lambda kind: kind in _public_kinds())
@dramatiq.actor(queue_name="outbox", max_retries=5, time_limit=30_000)
def forget_public_pages(*, event_id: int, kind: str, tenant_id: int | None, payload: dict) -> None:
    settings, client = _public_cache()
    client.incr(version_key(settings))
