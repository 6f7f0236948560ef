"""Ask for a mail inside the use-case's transaction; it is sent only if that transaction commits."""

from __future__ import annotations

import msgspec

from services.notifications.mails import TEMPLATES, MailRequest
from services.notifications.sealing import seal
from services.outbox.service import emit

MAIL_REQUESTED = "notifications.mail_requested"


async def request_mail(
    *,
    to: str,
    template: str,
    language: str,
    values: dict[str, str],
    secrets: dict[str, str] | None = None,
    key: bytes,
) -> int:
    if template not in TEMPLATES:
        raise ValueError(f"no mail template {template!r}")
    sealed = {name: seal(key, text) for name, text in (secrets or {}).items()}
    request = MailRequest(to=to, template=template, language=language, values=values, sealed=sealed)
    return await emit(MAIL_REQUESTED, msgspec.to_builtins(request))
