"""Dashboard and tender jobs: recompute the figures a change event touches; the periodic sweeps."""

from __future__ import annotations

import logging

import dramatiq
from periodiq import cron

from services.dashboards import service as dashboards
from services.dashboards.rules import municipality_of, slices_for
from services.errors import DomainError
from services.tendering import service as tendering
from tenants.context import NOBODY, tenant_tx
from workers.actors.outbox import handles

logger = logging.getLogger(__name__)

# Every event after which a dashboard figure may differ. Tendering emits nothing when a bid
# is sent or withdrawn (a bid is sealed until the opening), so no event here lets a
# municipality's figures move before its tender is opened.
CHANGES = (
    "programmes.funding_line_added",
    "programmes.strategy_areas_set",
    "programmes.kpi_target_set",
    "programmes.kpi_measured",
    "projects.created",
    "projects.sub_project_closed",
    "projects.decision_point_reached",
    "projects.decision_recorded",
    "projects.status_reported",
    "tendering.published",
    "tendering.bids_closed",
    "tendering.opened",
    "tendering.evaluated",
    "tendering.unsuccessful",
    "tendering.award_notified",
    "tendering.contract_signed",
    "tendering.completed",
    "tendering.cancelled",
)


# Recompute, never increment: a repeated or a late event recomputes from what the rows say
# now, so at-least-once delivery and any order of delivery end in the same figures.
@handles(*CHANGES)
@dramatiq.actor(queue_name="dashboards", max_retries=5, time_limit=120_000)
async def recompute_dashboards(
    *, event_id: int, kind: str, tenant_id: int | None, payload: dict
) -> None:
    municipality_id = municipality_of(tenant_id, payload)
    slices = slices_for(kind)
    if municipality_id is None or not slices:
        return
    await dashboards.refresh_municipality_and_regions(municipality_id, slices)


# Every hour: what no event announces (a decision point becoming overdue when a day
# begins) and anything an event missed; also how a dashboard is filled the first time.
@dramatiq.actor(
    queue_name="dashboards", max_retries=3, time_limit=300_000, periodic=cron("5 * * * *")
)
async def refresh_all_dashboards() -> None:
    municipalities, regions = await dashboards.refresh_everything()
    logger.info("refreshed the dashboards of %d municipalities, %d regions", municipalities, regions)


# Every minute: tenders whose deadline has passed stop taking bids (the bid trigger refuses
# late bids anyway; this moves the state, so the opening can begin and dashboards follow).
@dramatiq.actor(queue_name="tenders", max_retries=3, time_limit=60_000, periodic=cron("* * * * *"))
async def close_due_tenders() -> None:
    async with tenant_tx(NOBODY):
        due = await tendering.due_for_closing()
    closed = 0
    for tenant_id, tender_id in due:
        try:
            async with tenant_tx(tenant_id):
                await tendering.close_bids(tender_id)
            closed += 1
        except DomainError as error:  # closed meanwhile by an opener, or moved: nothing to do
            logger.info("tender %s was not closed: %s", tender_id, error.code)
    if closed:
        logger.info("closed %d tenders at their deadline", closed)
