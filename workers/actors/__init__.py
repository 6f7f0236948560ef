"""Every actor module, in one list; importing this package binds them all to the configured broker."""

from __future__ import annotations

import importlib

import dramatiq.broker

# A part with actors adds its module here. A periodic job is an actor in one of them with
# `periodic=cron("…")`: the scheduler finds it there (see workers/scheduler.py).
MODULES = (
    "workers.actors.outbox",
    "workers.actors.mail",
    "workers.actors.dashboards",
    "workers.actors.notices",
)

# Dramatiq binds an actor to the global broker when its module is imported. The worker and
# the scheduler set Samspel's broker first (workers.broker:setup) and tests set a stub; any
# other importer would bind the actors to Dramatiq's default broker, without our middleware.
if dramatiq.broker.global_broker is None:
    from workers.broker import setup

    setup()

for _module in MODULES:
    importlib.import_module(_module)
