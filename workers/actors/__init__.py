"""Every part's actor module, from services/parts.py; importing this package binds them all to the configured broker."""

from __future__ import annotations

import importlib
from collections.abc import Sequence

import dramatiq.broker

from services.parts import Part, actor_modules

# Dramatiq binds an actor to the global broker when its module is imported. The worker and
# the scheduler set Samspel's broker first (workers.broker:setup) and tests set a stub; any
# other importer would bind the actors to Dramatiq's default broker, without our middleware.
if dramatiq.broker.global_broker is None:
    from workers.broker import setup

    setup()


def load(parts: Sequence[Part] | None = None) -> tuple[str, ...]:
    """Import the actor modules of these parts (those services/parts.py lists by default).

    A periodic job is an actor in one of them with `periodic=cron("…")`: the scheduler
    finds it there (see workers/scheduler.py).
    """
    modules = tuple(actor_modules(parts))
    for module in modules:
        importlib.import_module(module)
    return modules


MODULES = load()
