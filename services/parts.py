"""THE list of Samspel's parts: the migrations, routes, actors, demo, dashboard figures and mails derive from it.

A new part is its own folders (services/<part>/, its web pages, workers/actors/<part>.py,
templates, tests) plus one line in PARTS. Everything here is named by a dotted string, so
services never import web or workers: web/app.py imports the route modules, workers/actors
the actor modules, each by name.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from types import ModuleType

from infra.migrate import MigrationSource


@dataclass(frozen=True, slots=True)
class Part:
    """One part of the product, and where each of its pieces is."""

    # The migrations' label in schema_migration and the prefix of the part's event kinds.
    name: str
    # Its package: `migrations/` (and `tables.py`, when it has Piccolo tables) live there.
    package: str
    # Whether `<package>/migrations/NNNN_*.sql` exist; they run in the order of PARTS.
    migrations: bool = False
    # Modules of web pages, each with a ROUTES list: web/app.py serves them all.
    routes: tuple[str, ...] = ()
    # The module of its Dramatiq actors (workers/actors/<part>.py), imported by the workers.
    actors: str | None = None
    # "module:function", an `async def load(demo: Demo) -> dict[str, int]` (services/demo/seed.py).
    demo: str | None = None
    # The module with the part's dashboard slices: `SLICES`, a tuple of dashboards' Slice.
    figures: str | None = None
    # The module with the part's mail templates: `TEMPLATES`, name -> (language, values) -> text.
    mails: str | None = None


_TENDER_PAGES = (
    "web.tendering.public",
    "web.tendering.municipality.editor",
    "web.tendering.municipality.tender",
    "web.tendering.municipality.evaluation",
    "web.tendering.municipality.protocol",
    "web.tendering.supplier",
    "web.tendering.follows",
)

PARTS: tuple[Part, ...] = (
    Part("tenants", "tenants", migrations=True),
    Part("audit", "services.audit", migrations=True),
    Part("outbox", "services.outbox", migrations=True, actors="workers.actors.outbox"),
    Part(
        "access",
        "services.access",
        migrations=True,
        routes=("web.members",),
        demo="services.demo.seed:load_places_and_people",
        mails="services.access.mails",
    ),
    Part(
        "programmes",
        "services.programmes",
        migrations=True,
        routes=(
            "web.programmes.controller",
            "web.programmes.setup",
            "web.programmes.plans",
            "web.programmes.assessments",
        ),
        demo="services.demo.programmes:load_programmes",
        figures="services.programmes.figures",
    ),
    Part(
        "projects",
        "services.projects",
        migrations=True,
        routes=(
            "web.projects.controller",
            "web.projects.creation",
            "web.projects.steps",
            "web.projects.council",
        ),
        actors="workers.actors.projects",
        figures="services.projects.figures",
        mails="services.projects.mails",
    ),
    Part(
        "tendering",
        "services.tendering",
        migrations=True,
        routes=_TENDER_PAGES,
        actors="workers.actors.tendering",
        demo="services.demo.tenders:load_demo_tenders",
        figures="services.tendering.figures",
        mails="services.tendering.mails",
    ),
    Part(
        "dashboards",
        "services.dashboards",
        migrations=True,
        routes=("web.dashboards.controller",),
        actors="workers.actors.dashboards",
    ),
    Part(
        "grants",
        "services.grants",
        migrations=True,
        routes=(
            "web.grants.public",
            "web.grants.municipality",
            "web.grants.casework",
            "web.grants.board",
            "web.grants.applicant",
            "web.grants.follow_up",
            "web.grants.payments",
            "web.grants.statistics",
            "web.grants.exchange_rate",
        ),
        actors="workers.actors.grants",
        demo="services.grants.demo:load_grants",
        figures="services.grants.figures",
        mails="services.grants.mails",
    ),
    Part("notifications", "services.notifications", actors="workers.actors.mail"),
)

_installed: tuple[Part, ...] = PARTS


def installed() -> tuple[Part, ...]:
    """The parts this process runs: PARTS, unless a test has put others in with `install`."""
    return _installed


@contextmanager
def install(parts: Sequence[Part]) -> Iterator[tuple[Part, ...]]:
    """Run with these parts instead of PARTS (a test's throw-away part); restored on exit.

    The dashboards and the mails look their parts up when they run, in every thread: the
    same process-wide list a worker started with PARTS would have.
    """
    global _installed
    _check(parts)
    before, _installed = _installed, tuple(parts)
    try:
        yield _installed
    finally:
        _installed = before


def _check(parts: Sequence[Part]) -> None:
    names = [p.name for p in parts]
    if len(set(names)) != len(names):
        raise ValueError(f"two parts of one name: {sorted(n for n in names if names.count(n) > 1)}")


def _or_installed(parts: Sequence[Part] | None) -> Sequence[Part]:
    return installed() if parts is None else parts


def migration_sources(parts: Sequence[Part] | None = None) -> list[MigrationSource]:
    """The migrations to run, part by part in the list's order."""
    return [MigrationSource(p.name, p.package) for p in _or_installed(parts) if p.migrations]


def load_tables(parts: Sequence[Part] | None = None) -> None:
    """Import every part's Piccolo tables, so they exist before a pool binds them."""
    for part in _or_installed(parts):
        module = f"{part.package}.tables"
        if importlib.util.find_spec(module) is not None:
            importlib.import_module(module)


def route_modules(parts: Sequence[Part] | None = None) -> list[str]:
    return [m for p in _or_installed(parts) for m in p.routes]


def actor_modules(parts: Sequence[Part] | None = None) -> list[str]:
    return [p.actors for p in _or_installed(parts) if p.actors]


def demo_loaders(parts: Sequence[Part] | None = None) -> list[Callable]:
    """Each part's demo loader, in the list's order: a part's demo may use an earlier one's."""
    return [resolve(p.demo) for p in _or_installed(parts) if p.demo]


def figure_modules(parts: Sequence[Part] | None = None) -> list[ModuleType]:
    return [importlib.import_module(p.figures) for p in _or_installed(parts) if p.figures]


def public_change_kinds(parts: Sequence[Part] | None = None) -> frozenset[str]:
    """The event kinds after which something anyone may read has changed: each part's
    `PUBLIC_CHANGES` in its rules.py (a tender published, a call opened). The cached public
    pages are made stale by these, and by no other event (a sealed bid changes nothing public)."""
    kinds: set[str] = set()
    for part in _or_installed(parts):
        name = f"{part.package}.rules"
        if importlib.util.find_spec(name) is not None:
            kinds |= getattr(importlib.import_module(name), "PUBLIC_CHANGES", frozenset())
    return frozenset(kinds)


def mail_modules(parts: Sequence[Part] | None = None) -> list[ModuleType]:
    return [importlib.import_module(p.mails) for p in _or_installed(parts) if p.mails]


def resolve(path: str) -> Callable:
    """The object that a "module:name" path names."""
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)
