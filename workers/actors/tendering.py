"""Tendering's jobs: close tenders at their deadline; mail the award notices, the end of a
standstill, bids to reconfirm, clarifications and new tenders to followers. Thin: each hands
over to tendering's own use-cases."""

from __future__ import annotations

import logging
from functools import cache

import dramatiq
from periodiq import cron

from infra.settings import Settings, load
from services.errors import DomainError
from services.tendering import mails
from services.tendering import service as tendering
from tenants.context import NOBODY, tenant_tx
from workers.actors.outbox import handles

logger = logging.getLogger(__name__)


@cache
def _settings() -> Settings:
    return load()


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


@handles("tendering.award_notified")
@dramatiq.actor(queue_name="notices", max_retries=5, time_limit=120_000)
async def mail_award_notices(
    *, event_id: int, kind: str, tenant_id: int | None, payload: dict
) -> None:
    if tenant_id is None:
        return
    settings = _settings()
    for notice_id in payload.get("notice_ids", []):
        await mails.mail_award_notice(settings, tenant_id, notice_id)


# Every hour: a standstill ends at the time of day the award was notified, ten days on.
@dramatiq.actor(
    queue_name="notices", max_retries=3, time_limit=120_000, periodic=cron("10 * * * *")
)
async def end_standstill_periods() -> None:
    await mails.mail_ended_standstills(_settings())


# A published tender's documents changed: every bid sent against the older ones must be
# reconfirmed, so its organisation is told (the bidder's page says so too, if they look).
@handles("tendering.documents_changed")
@dramatiq.actor(queue_name="notices", max_retries=5, time_limit=120_000)
async def mail_bids_to_reconfirm(
    *, event_id: int, kind: str, tenant_id: int | None, payload: dict
) -> None:
    await mails.mail_bids_to_reconfirm(
        _settings(), payload["tender_id"], payload["documents_version"]
    )


@handles("tendering.clarification_published")
@dramatiq.actor(queue_name="notices", max_retries=5, time_limit=120_000)
async def mail_clarification(
    *, event_id: int, kind: str, tenant_id: int | None, payload: dict
) -> None:
    await mails.mail_clarification(_settings(), payload["tender_id"], payload["id"])


@handles("tendering.published")
@dramatiq.actor(queue_name="notices", max_retries=5, time_limit=120_000)
async def mail_followers(*, event_id: int, kind: str, tenant_id: int | None, payload: dict) -> None:
    await mails.mail_followers(_settings(), payload["tender_id"])


# A bid sent, withdrawn or reconfirmed: its receipt, with the PDF, to the person who did it.
@handles("tendering.bid_receipt")
@dramatiq.actor(queue_name="notices", max_retries=5, time_limit=120_000)
async def mail_bid_receipt(
    *, event_id: int, kind: str, tenant_id: int | None, payload: dict
) -> None:
    await mails.mail_bid_receipt(_settings(), event_id, payload)
