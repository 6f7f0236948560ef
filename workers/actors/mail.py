"""Send the mails use-cases asked for, once their transaction has committed."""

from __future__ import annotations

import logging
from functools import cache
from urllib.parse import urlsplit

import aiosmtplib
import dramatiq
import msgspec
import redis.asyncio as redis

from infra.settings import Settings, database_name, load
from services.notifications.mails import MailRequest, compose
from services.notifications.service import MAIL_REQUESTED, mail_key
from workers.actors.outbox import handles

logger = logging.getLogger(__name__)
SENT_KEY = "samspel:mail-sent:{database}:{event}"
SENT_TTL_S = 7 * 24 * 3600


@cache
def _settings() -> Settings:
    return load()


async def deliver(settings: Settings, event_id: int, payload: dict) -> bool:
    """Send one requested mail; False when it was sent before (delivery is at least once)."""
    request = msgspec.convert(payload, MailRequest)
    message = compose(request, mail_key(settings))
    if settings.smtp_url is None:
        logger.warning("no SAMSPEL_SMTP_URL: mail %s to its recipient was not sent", event_id)
        return False
    client = redis.from_url(settings.redis_url)
    # Event ids count per database; one Redis may serve several (staging, tests).
    sent_key = SENT_KEY.format(database=database_name(settings.app_database_url), event=event_id)
    try:
        # Claimed before sending: a retry after a crash mid-send may lose a mail, but a
        # relay that delivers the event twice never sends it twice.
        if not await client.set(sent_key, "1", nx=True, ex=SENT_TTL_S):
            return False
        smtp = urlsplit(settings.smtp_url)
        try:
            await aiosmtplib.send(
                message,
                hostname=smtp.hostname,
                port=smtp.port or (465 if smtp.scheme == "smtps" else 25),
                use_tls=smtp.scheme == "smtps",
                username=smtp.username,
                password=smtp.password,
                timeout=20,
            )
        except Exception:
            await client.delete(sent_key)  # let the retry send it
            raise
    finally:
        await client.aclose()
    return True


@handles(MAIL_REQUESTED)
@dramatiq.actor(queue_name="mail", max_retries=5, time_limit=60_000)
async def send_mail(event_id: int, kind: str, tenant_id: int | None, payload: dict) -> None:
    await deliver(_settings(), event_id, payload)
