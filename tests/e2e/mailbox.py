"""The mails the product asked to send, read the way its worker writes them, for browser tests.

The browser tests run no worker: a mail waits in the outbox, and this composes it as the worker
would (secrets unsealed with the run's key), in a process of its own (Playwright's sync API
owns the test's event loop).
"""

from __future__ import annotations

import json
import subprocess
import sys

from tests.e2e.servers import ROOT

_READ = """
import asyncio, json, sys

import asyncpg
import msgspec

from infra.settings import load
from services.notifications.mails import MailRequest, compose
from services.notifications.service import mail_key


async def main(to):
    settings = load()
    # As the outbox relay reads it: the owner's role sees every tenant's events.
    db = await asyncpg.connect(settings.owner_database_url)
    try:
        payload = await db.fetchval(
            "select payload::text from outbox_event"
            " where kind = 'notifications.mail_requested' and payload->>'to' = $1"
            " order by id desc limit 1",
            to,
        )
    finally:
        await db.close()
    mail = compose(msgspec.convert(json.loads(payload), MailRequest), mail_key(settings))
    body = mail.get_body(preferencelist=("plain",))
    attachments = [
        {
            "name": part.get_filename(),
            "type": part.get_content_type(),
            "head": part.get_payload(decode=True)[:5].decode("latin-1"),
            "size": len(part.get_payload(decode=True)),
        }
        for part in mail.iter_attachments()
    ]
    print(json.dumps({
        "subject": mail["Subject"],
        "body": body.get_content(),
        "language": mail["Content-Language"],
        "attachments": attachments,
    }))


asyncio.run(main(sys.argv[1]))
"""


def last_mail_to(address: str) -> dict:
    """The newest mail requested for `address`: its subject, body, language and attachments
    (each its name, media type, first five bytes and size)."""
    done = subprocess.run(
        [sys.executable, "-c", _READ, address],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout)
