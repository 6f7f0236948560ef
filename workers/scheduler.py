"""The one scheduler process: sends the periodic jobs on time, and wakes the relay when an outbox commit lands."""

# Run exactly one (`python -m workers.scheduler`): two would send every periodic job twice.
# A periodic job is an actor with `periodic=cron("m h dom mon dow")` in a module listed in
# workers.actors.MODULES; this process schedules every such actor it finds, and the workers
# run them. Times are Norwegian (TZ defaults to Europe/Oslo), to the minute.

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable

import asyncpg
import pendulum
from dramatiq import Actor, Broker
from dramatiq.cli import LOGFORMAT
from periodiq import Scheduler, print_periodic_actors

from infra.settings import load

logger = logging.getLogger(__name__)

CHANNEL = "outbox_event"  # the channel of the outbox's insert trigger
SETTLE_S = 0.2
RECONNECT_S = 5.0


def periodic_actors(broker: Broker) -> list[Actor]:
    return sorted(
        (a for a in broker.actors.values() if "periodic" in a.options), key=lambda a: a.actor_name
    )


async def wake_on_commit(
    url: str,
    wake: Callable[[], object],
    *,
    settle_s: float = SETTLE_S,
    reconnect_s: float = RECONNECT_S,
) -> None:
    """LISTEN for committed outbox events and call wake() once for each burst of them.

    The minute's sweep would find every event anyway; this only makes a change reach its
    handlers in a second instead of up to a minute. It runs here, in the one scheduler,
    so each commit wakes one relay, not one per worker process. Runs until cancelled.
    """
    while True:
        try:
            connection = await asyncpg.connect(url)
        except (OSError, asyncpg.PostgresError) as error:
            logger.warning("cannot listen for outbox events (%s); retrying", error)
            await asyncio.sleep(reconnect_s)
            continue
        try:
            await _wake_while_connected(connection, wake, settle_s)
        finally:
            if not connection.is_closed():
                await connection.close()
        logger.warning("lost the outbox listener's connection; reconnecting")
        await asyncio.sleep(reconnect_s)


async def _wake_while_connected(
    connection: asyncpg.Connection, wake: Callable[[], object], settle_s: float
) -> None:
    heard = asyncio.Event()
    await connection.add_listener(CHANNEL, lambda *_: heard.set())
    connection.add_termination_listener(lambda *_: heard.set())
    heard.set()  # events may have committed while nobody was listening
    while True:
        await heard.wait()
        if connection.is_closed():
            return
        await asyncio.sleep(settle_s)  # fold a burst of commits into one wake-up
        heard.clear()
        try:
            await asyncio.to_thread(wake)
        except Exception:  # Redis down: the minute's sweep sends the events later
            logger.warning("could not wake the outbox relay", exc_info=True)


def main() -> int:
    # periodiq reads the local wall clock: a daily job at 07:00 means 07:00 in Norway.
    os.environ.setdefault("TZ", "Europe/Oslo")
    time.tzset()
    logging.basicConfig(level=logging.INFO, format=LOGFORMAT)
    # SIGTERM (make run, docker compose stop) ends the process as cleanly as Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

    from workers.broker import setup

    settings = load()
    broker = setup(settings)
    from workers.actors.outbox import relay_outbox  # with every other actor module

    actors = periodic_actors(broker)
    print_periodic_actors(actors)
    threading.Thread(
        target=asyncio.run,
        args=(wake_on_commit(settings.app_database_url, relay_outbox.send),),
        name="outbox-listener",
        daemon=True,
    ).start()
    scheduler = Scheduler(actors=actors)
    # As periodiq's own main does: started in the last seconds of a minute, wait for the next.
    if pendulum.now().second > 55:
        time.sleep(60 - pendulum.now().second)
    scheduler.schedule()
    try:
        scheduler.loop()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
