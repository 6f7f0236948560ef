"""Grants' jobs: count a report's effects into the programme's KPIs when it arrives; each
morning, remind organisations of reporting deadlines 60 and 7 days ahead. Thin: each hands
over to the grants use-cases."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo

import dramatiq
from periodiq import cron

from infra.settings import Settings, load
from services.dashboards.rules import municipalities_of
from services.grants import reminders
from services.grants.service import reports
from tenants.context import tenant_tx
from workers.actors.outbox import handles

OSLO = ZoneInfo("Europe/Oslo")


@cache
def _settings() -> Settings:
    return load()


# A report is sent in its organisation's scope; its effects are counted in the granting
# municipality's, which the event names. Counted once: a repeated event finds it counted.
@handles("grants.report_submitted")
@dramatiq.actor(queue_name="notices", max_retries=5, time_limit=120_000)
async def count_grant_report_effects(
    *, event_id: int, kind: str, tenant_id: int | None, payload: dict
) -> None:
    granting = municipalities_of(tenant_id, payload)  # the lead: the municipality that granted
    if not granting or "report_id" not in payload:
        return
    async with tenant_tx(granting[0]):
        await reports.count_report_effects(payload["report_id"])


# Every morning at ten past seven, Norwegian time. `today` is for re-sending a missed day by hand.
@dramatiq.actor(
    queue_name="notices", max_retries=3, time_limit=300_000, periodic=cron("10 7 * * *")
)
async def remind_reporting_deadlines(today: str | None = None) -> None:
    day = date.fromisoformat(today) if today else datetime.now(OSLO).date()
    await reminders.remind_reporting_deadlines(_settings(), day)
