"""make run's mailbox keeps every mail it is sent and shows it on its page."""

import socket
from email.message import EmailMessage

import aiosmtplib
import httpx
import pytest
from aiosmtpd.controller import Controller

from infra.mailcatcher import Keep, create_app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_a_mail_sent_over_smtp_is_kept_and_listed(tmp_path):
    port = free_port()
    controller = Controller(Keep(tmp_path), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        mail = EmailMessage()
        mail["From"], mail["To"], mail["Subject"] = "a@x.no", "b@y.no", "Tilsegn <klar>"
        mail.set_content("Hei, tilsegnet er klart.")
        await aiosmtplib.send(mail, hostname="127.0.0.1", port=port)
    finally:
        controller.stop()
    assert len(list(tmp_path.glob("*.eml"))) == 1
    transport = httpx.ASGITransport(app=create_app(tmp_path))
    async with httpx.AsyncClient(transport=transport, base_url="http://mailbox") as client:
        page = (await client.get("/")).text
    assert "Tilsegn &lt;klar&gt;" in page and "tilsegnet er klart" in page


def test_the_mailbox_listens_where_its_settings_say_and_refuses_a_bad_port():
    from infra.mailcatcher import ports

    assert ports({}) == (1025, 8025)
    assert ports({"SAMSPEL_MAILBOX_SMTP_PORT": "11025", "SAMSPEL_MAILBOX_PORT": "18025"}) == (
        11025,
        18025,
    )
    with pytest.raises(SystemExit, match="SAMSPEL_MAILBOX_PORT"):
        ports({"SAMSPEL_MAILBOX_PORT": "mail"})


async def test_a_mails_attachment_is_listed_with_its_name_and_opens_from_the_page(tmp_path):
    port = free_port()
    controller = Controller(Keep(tmp_path), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        mail = EmailMessage()
        mail["From"], mail["To"], mail["Subject"] = "a@x.no", "b@y.no", "Tilsegn"
        mail.set_content("Brevet ligg ved.")
        mail.add_attachment(
            b"%PDF-1.4 brev", maintype="application", subtype="pdf", filename="tilsegn-7.pdf"
        )
        await aiosmtplib.send(mail, hostname="127.0.0.1", port=port)
    finally:
        controller.stop()
    transport = httpx.ASGITransport(app=create_app(tmp_path))
    async with httpx.AsyncClient(transport=transport, base_url="http://mailbox") as client:
        page = (await client.get("/")).text
        link = page.split("<a href='", 1)[1].split("'", 1)[0]
        opened = await client.get(link)
        missing = await client.get(link[:-1] + "9")
    assert "tilsegn-7.pdf" in page and "application/pdf" in page and "Brevet ligg ved." in page
    assert (
        opened.content == b"%PDF-1.4 brev" and opened.headers["content-type"] == "application/pdf"
    )
    assert missing.status_code == 404
