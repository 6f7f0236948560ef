"""Ask for a mail inside the use-case's transaction; it is sent only if that transaction commits."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import msgspec

from infra.settings import Settings
from services.notifications.mails import MailAttachment, MailRequest, templates
from services.notifications.sealing import seal
from services.outbox.service import emit
from tenants.context import connection

if TYPE_CHECKING:  # recipients reads access, which requests its invitations here
    from services.notifications.recipients import Recipient

MAIL_REQUESTED = "notifications.mail_requested"


def mail_key(settings: Settings) -> bytes:
    """The key that seals a request's secrets, and that the mail worker opens them with."""
    return settings.derived_key("mail-secrets")


async def request_mail(
    *,
    to: str,
    template: str,
    language: str,
    values: dict[str, str],
    secrets: dict[str, str] | None = None,
    key: bytes,
    once: str | None = None,
    attachments: list[MailAttachment] | None = None,
) -> int:
    if template not in templates():
        raise ValueError(f"no mail template {template!r}")
    sealed = {name: seal(key, text) for name, text in (secrets or {}).items()}
    request = MailRequest(
        to=to,
        template=template,
        language=language,
        values=values,
        sealed=sealed,
        once=once,
        attachments=attachments or [],
    )
    return await emit(MAIL_REQUESTED, msgspec.to_builtins(request))


async def request_mails(
    settings: Settings,
    people: Iterable[Recipient],
    template: str,
    values: dict[str, str],
    secrets: dict[str, str] | None = None,
) -> int:
    """One mail of the template to each person, in the person's language; how many. `secrets`
    travel sealed, for the sending worker only (a bid's price before the opening)."""
    count = 0
    for person in people:
        await request_mail(
            to=person.email,
            template=template,
            language=person.language,
            values=values,
            secrets=secrets,
            key=mail_key(settings),
        )
        count += 1
    return count


async def request_mail_once(
    settings: Settings, once: str, person: Recipient, template: str, values: dict[str, str]
) -> bool:
    """One mail of the template to the person, in the person's language, unless this
    municipality requested a mail under the same `once` key within the outbox's keep time
    (seven days); whether it is requested now. For a periodic job's mails whose
    key names their day ("decision_point_overdue:17:2026-03-02"): a retried or a repeated run
    requests none again. The key is looked for in this transaction's own tenant's outbox,
    under a lock on it, so of two concurrent runs the second waits and finds the first's.
    """
    db = connection()
    if await db.fetchval("select app_tenant_id()") is None:
        raise ValueError("request_mail_once needs a municipality's transaction")
    await db.execute(
        "select pg_advisory_xact_lock(hashtextextended('mail-once:' || app_tenant_id() || ':'"
        " || $1, 0))",
        once,
    )
    requested = await db.fetchval(
        "select exists (select 1 from outbox_event where tenant_id = app_tenant_id()"
        " and kind = $1 and payload->>'once' = $2)",
        MAIL_REQUESTED,
        once,
    )
    if requested:
        return False
    await request_mail(
        to=person.email,
        template=template,
        language=person.language,
        values=values,
        key=mail_key(settings),
        once=once,
    )
    return True
