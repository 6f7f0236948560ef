"""An invitation's mail leaves through the outbox and a real SMTP server, once."""

import asyncio
import dataclasses
import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller

from services.access import service as access
from tenants.context import Scope, connection, tenant_tx
from tests.tenants.helpers import new_municipality
from workers.actors.mail import deliver

pytestmark = pytest.mark.usefixtures("database")


class Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 OK"


@pytest.fixture
def smtp():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, f"smtp://127.0.0.1:{port}"
    controller.stop()


async def test_an_invitation_is_mailed_with_a_link_that_is_sealed_in_the_outbox(settings, smtp):
    inbox, url = smtp
    tenant = await new_municipality("Postkommune")
    key = settings.derived_key("mail-secrets")
    async with tenant_tx(Scope(tenant_id=tenant)):
        token = await access.invite(
            scope="municipality",
            role="viewer",
            email="ny@post.example",
            invited_by=None,
            municipality_id=tenant,
            mail=access.InvitationMail(
                link_prefix="http://127.0.0.1:8000/invitations/",
                key=key,
                inviter="Kari",
                language="en",
            ),
        )
        row = await connection().fetchrow(
            "select id, payload::text as payload from outbox_event"
            " where kind = 'notifications.mail_requested' order by id desc limit 1"
        )
    assert token not in row["payload"]

    import json

    payload = json.loads(row["payload"])
    sent = await deliver(dataclasses.replace(settings, smtp_url=url), row["id"], payload)
    again = await deliver(dataclasses.replace(settings, smtp_url=url), row["id"], payload)
    await asyncio.sleep(0.1)
    assert (sent, again) == (True, False)
    assert len(inbox.messages) == 1
    mail = inbox.messages[0]
    assert mail["To"] == "ny@post.example"
    assert "Postkommune" in mail["Subject"]
    assert f"http://127.0.0.1:8000/invitations/{token}" in mail.get_content()


async def test_without_an_smtp_server_configured_nothing_is_sent_and_nothing_breaks(settings):
    payload = {
        "to": "x@example.no",
        "template": "invitation",
        "language": "nb",
        "values": {"place": "Grong", "scope": "municipality", "role": "viewer", "inviter": "A"},
        "sealed": {},
    }
    with pytest.raises(KeyError):
        # The link is a sealed value; a request without it is malformed and fails loudly.
        await deliver(dataclasses.replace(settings, smtp_url=None), 1, payload)
