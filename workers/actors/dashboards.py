"""Dashboard jobs: recompute the figures a change event touches; the hourly sweep of them all."""

from __future__ import annotations

import logging

import dramatiq
from periodiq import cron

from services.dashboards import service as dashboards
from services.dashboards.rules import municipalities_of
from workers.actors.outbox import handles_when

logger = logging.getLogger(__name__)


def _changes_figures(kind: str) -> bool:
    return bool(dashboards.slices_for(kind))


# Every event after which some part's figures may differ (its figures.py says which), asked
# when the event is sent. Recompute, never increment: a repeated or a late event recomputes
# from what the rows say now, so at-least-once delivery and any order end in the same figures.
@handles_when(_changes_figures)
@dramatiq.actor(queue_name="dashboards", max_retries=5, time_limit=120_000)
async def recompute_dashboards(
    *, event_id: int, kind: str, tenant_id: int | None, payload: dict
) -> None:
    # A regional project's event names its lead and every participant: each recomputes its
    # part, and their region once, from all of them.
    municipality_ids = municipalities_of(tenant_id, payload)
    slices = dashboards.slices_for(kind)
    if not municipality_ids or not slices:
        return
    await dashboards.refresh_municipalities_and_regions(municipality_ids, slices)


# Every hour: what no event announces (a decision point becoming overdue when a day
# begins) and anything an event missed; also how a dashboard is filled the first time.
@dramatiq.actor(
    queue_name="dashboards", max_retries=3, time_limit=300_000, periodic=cron("5 * * * *")
)
async def refresh_all_dashboards() -> None:
    municipalities, regions = await dashboards.refresh_everything()
    logger.info("refreshed the dashboards of %d municipalities, %d regions", municipalities, regions)
