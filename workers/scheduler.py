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
from periodiq import Scheduler as PeriodiqScheduler
from periodiq import print_periodic_actors

from infra.settings import load

logger = logging.getLogger(__name__)

CHANNEL = "outbox_event"  # the channel of the outbox's insert trigger
SETTLE_S = 0.2
# The listener's pause before reconnecting doubles up to the cap while the database stays away.
RECONNECT_S = 1.0
RECONNECT_MAX_S = 30.0
# A listening connection hears nothing when the network drops silently: ask it now and then.
PROBE_AFTER_S = 30.0
PROBE_TIMEOUT_S = 5.0
# A tick's sends are retried this long: a message sent later would be dropped as stale by the
# workers (broker.PERIODIC_SKIP_AFTER_S is 30), and the next minute's tick sends a fresh one.
SEND_FOR_S = 20.0
SEND_RETRY_FIRST_S = 0.5
SEND_RETRY_MAX_S = 5.0
# After a tick that failed for a reason nobody foresaw, the next one is armed this soon.
REARM_S = 10


class Scheduler(PeriodiqScheduler):
    """periodiq's scheduler, which rides out a Redis outage instead of exiting on it.

    periodiq lets the broker's ConnectionError escape its loop, and the process ends; here a
    tick's sends are retried with a doubling pause while the outage lasts, then given up for
    that tick, and whatever else fails a tick is logged and the next tick armed all the same.
    """

    def __init__(
        self,
        actors: list[Actor],
        *,
        send_for_s: float = SEND_FOR_S,
        retry_first_s: float = SEND_RETRY_FIRST_S,
        retry_max_s: float = SEND_RETRY_MAX_S,
    ) -> None:
        super().__init__(actors)
        self.send_for_s, self.retry_first_s, self.retry_max_s = (
            send_for_s,
            retry_first_s,
            retry_max_s,
        )

    def send_actors(self, actors: list[Actor], now) -> list[Actor]:
        """Send each actor's tick; returns the actors that could not be sent in time."""
        pending = list(actors)
        deadline = time.monotonic() + self.send_for_s
        pause = self.retry_first_s
        while True:
            failures = [(actor, error) for actor in pending if (error := self._send(actor, now))]
            pending = [actor for actor, _ in failures]
            if not pending:
                return []
            names = ", ".join(actor.actor_name for actor in pending)
            if time.monotonic() + pause > deadline:
                logger.error(
                    "gave up sending %s for %s (%s); the next tick sends them again",
                    names,
                    now,
                    failures[0][1],
                )
                return pending
            logger.warning("could not send %s (%s); retrying in %g s", names, failures[0][1], pause)
            time.sleep(pause)
            pause = min(pause * 2, self.retry_max_s)

    @staticmethod
    def _send(actor: Actor, now) -> str | None:
        """Send one tick; None when it went out, else what went wrong."""
        try:
            logger.info("Scheduling %s at %s.", actor, now)
            actor.send_with_options(scheduled_at=str(now))
        except Exception as error:  # noqa: BLE001 - Redis down, or slow: never the end of us
            return f"{type(error).__name__}: {error}"
        return None

    def loop(self) -> None:
        while self.alarm_q.get(block=True):
            self.tick()

    def tick(self) -> None:
        try:
            self.schedule()
        except Exception:  # a tick that fails must not leave the scheduler without an alarm
            logger.exception("a scheduler tick failed; the next one runs in %d s", REARM_S)
            signal.signal(signal.SIGALRM, self.signal_handler)
            signal.alarm(REARM_S)


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
    reconnect_max_s: float = RECONNECT_MAX_S,
) -> None:
    """LISTEN for committed outbox events and call wake() once for each burst of them.

    The minute's sweep would find every event anyway; this only makes a change reach its
    handlers in a second instead of up to a minute. It runs here, in the one scheduler,
    so each commit wakes one relay, not one per worker process. Runs until cancelled, through
    any database outage: the pause before reconnecting doubles up to `reconnect_max_s`.
    """
    pause = reconnect_s
    while True:
        try:
            connection = await asyncpg.connect(url, timeout=10)
        except Exception as error:  # noqa: BLE001 - down, starting up, refusing: wait and retry
            logger.warning(
                "cannot listen for outbox events (%s: %s); retrying in %g s",
                type(error).__name__,
                error,
                pause,
            )
            await asyncio.sleep(pause)
            pause = min(pause * 2, reconnect_max_s)
            continue
        pause = reconnect_s
        try:
            await _wake_while_connected(connection, wake, settle_s)
        except Exception as error:  # noqa: BLE001 - the connection broke under a command
            logger.warning("the outbox listener failed (%s: %s)", type(error).__name__, error)
        finally:
            if not connection.is_closed():
                connection.terminate()
        logger.warning("lost the outbox listener's connection; reconnecting in %g s", pause)
        await asyncio.sleep(pause)


async def _wake_while_connected(
    connection: asyncpg.Connection, wake: Callable[[], object], settle_s: float
) -> None:
    heard = asyncio.Event()
    await connection.add_listener(CHANNEL, lambda *_: heard.set())
    connection.add_termination_listener(lambda *_: heard.set())
    heard.set()  # events may have committed while nobody was listening
    while True:
        try:
            await asyncio.wait_for(heard.wait(), PROBE_AFTER_S)
        except TimeoutError:
            await connection.fetchval("select 1", timeout=PROBE_TIMEOUT_S)  # raises if gone
            continue
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
    scheduler.tick()
    try:
        scheduler.loop()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
