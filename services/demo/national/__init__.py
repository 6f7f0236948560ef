"""`samspel generate --scale national`: Norway's municipalities, with a decade of programmes,
projects, tenders, sealed bids, grant applications and KPI values, to measure Samspel at scale.

Deterministic from a seed: the same seed gives the same rows, names, numbers and amounts; only
the dates move with the day of loading, so the open tenders' deadlines lie ahead. It adds to
what is there (the demo is loaded first, and its municipalities get their share of the data),
and refuses to run twice on one database. Rows go in through the use-cases' SQL as the app role
in each tenant's scope; the history that the row guards cannot take today (bids received
before deadlines long past, applications to calls long closed) goes in as the schema owner in
one transaction (bulk.history_writer says how).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from infra.settings import Settings
from services.demo.national.bulk import Progress
from services.tendering.sealing import SEALING_KEY_PURPOSE


@dataclass(frozen=True, slots=True)
class Scale:
    name: str
    # Totals in the database afterwards, the demo's included.
    municipalities: int
    regions: int
    organisations: int
    projects: int
    tenders: int
    bids: int
    applications: int
    # One municipality in this many runs a programme.
    programme_every: int = 4
    kpi_years: int = 10


SCALES = {
    "national": Scale("national", 357, 40, 2000, 50_000, 20_000, 200_000, 5_000),
    "small": Scale("small", 24, 5, 30, 240, 60, 300, 40),
}


@dataclass(frozen=True, slots=True)
class Place:
    id: int
    kommunenummer: str
    name: str
    region_id: int
    admin_id: int
    officer_id: int


@dataclass
class World:
    """What one stage leaves for the next: the ids made so far, the seed's generator, the day."""

    scale: Scale
    settings: Settings
    seed: int
    today: date
    now: datetime
    quiet: bool = False
    places: list[Place] = field(default_factory=list)
    region_members: dict[int, list[int]] = field(default_factory=dict)
    # (organisation id, organisasjonsnummer, the id of the person who acts for it)
    businesses: list[tuple[int, str, int]] = field(default_factory=list)
    # municipality id -> (programme id, [strategy area ids], first year, last year)
    programmes: dict[int, tuple[int, list[int], int, int]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def sealing_key(self) -> bytes:
        return self.settings.derived_key(SEALING_KEY_PURPOSE)

    @property
    def pid_key(self) -> bytes:
        return self.settings.derived_key("pid")

    def rng_for(self, stage: str) -> random.Random:
        """The seed's own generator for one stage: a change in one stage moves no other's data."""
        return random.Random(f"{self.seed}:{stage}")

    def progress(self, stage: str, total: int) -> Progress:
        return Progress(stage, total, quiet=self.quiet)


class AlreadyGenerated(RuntimeError):
    pass


async def generate(settings: Settings, scale: Scale, seed: int, *, quiet: bool = False) -> dict:
    """Load the dataset of this scale; returns what it holds, counted from the database."""
    from services.demo.national import grants, places, programmes, projects, tenders

    now = datetime.now(UTC)
    world = World(scale, settings, seed, now.date(), now, quiet=quiet)
    await places.load(world)
    await programmes.load(world)
    await projects.load(world)
    await tenders.load(world)
    await grants.load(world)
    await places.settle_outbox(world)
    return await places.count(world)
