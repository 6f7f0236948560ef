"""Grants' jobs: each morning, remind organisations of reporting deadlines 60 and 7 days ahead.
Thin: it hands over to the grants use-cases. (A report's effects are counted when the official
approves it, in the approval's transaction: services/grants/service/reports.py.)"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo

import dramatiq
from periodiq import cron

from infra.settings import Settings, load
from services.grants import reminders

OSLO = ZoneInfo("Europe/Oslo")


@cache
def _settings() -> Settings:
    return load()


# Every morning at ten past seven, Norwegian time. `today` is for re-sending a missed day by hand.
@dramatiq.actor(
    queue_name="notices", max_retries=3, time_limit=300_000, periodic=cron("10 7 * * *")
)
async def remind_reporting_deadlines(today: str | None = None) -> None:
    day = date.fromisoformat(today) if today else datetime.now(OSLO).date()
    await reminders.remind_reporting_deadlines(_settings(), day)
