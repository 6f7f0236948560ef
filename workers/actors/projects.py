"""Projects' jobs: each morning, remind project owners of overdue decision points."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo

import dramatiq
from periodiq import cron

from infra.settings import Settings, load
from services.projects import mails

OSLO = ZoneInfo("Europe/Oslo")


@cache
def _settings() -> Settings:
    return load()


# Every morning at seven, Norwegian time (the scheduler runs on Europe/Oslo). `today` is for
# a person re-sending a missed day by hand; the scheduler sends none.
@dramatiq.actor(queue_name="notices", max_retries=3, time_limit=300_000, periodic=cron("0 7 * * *"))
async def remind_decision_owners(today: str | None = None) -> None:
    day = date.fromisoformat(today) if today else datetime.now(OSLO).date()
    await mails.remind_overdue_decision_points(_settings(), day)
