"""The throw-away part's actor: thin, it hands a noted event to the part's mail use-case."""

from __future__ import annotations

import dramatiq

from infra.settings import load
from tests.throwaway_part import mails
from workers.actors.outbox import handles


@handles("throwaway.noted")
@dramatiq.actor(queue_name="throwaway", max_retries=1, time_limit=30_000)
async def mail_throwaway_note(
    *, event_id: int, kind: str, tenant_id: int | None, payload: dict
) -> None:
    await mails.mail_note(load(), tenant_id, payload["note_id"])
