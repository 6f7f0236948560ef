"""`make run`'s mailbox: an SMTP server that keeps every mail, and a page that shows them.

No mail leaves the machine; the demo shows what Samspel would have sent.
"""

from __future__ import annotations

import email
import email.policy
import os
import sys
import time
from collections.abc import Mapping
from html import escape
from pathlib import Path
from urllib.parse import quote

import uvicorn
from aiosmtpd.controller import Controller
from litestar import Litestar, get
from litestar.params import FromPath
from litestar.response import Response

BOX = Path(os.environ.get("SAMSPEL_MAILBOX_DIR", ".samspel/mail"))


class Keep:
    """aiosmtpd's handler: each message becomes one .eml file."""

    def __init__(self, box: Path) -> None:
        self.box = box

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's name
        self.box.mkdir(parents=True, exist_ok=True)
        name = f"{time.time_ns()}.eml"
        (self.box / name).write_bytes(envelope.original_content or envelope.content)
        return "250 kept"


def _files(box: Path) -> list[Path]:
    return sorted(box.glob("*.eml"), reverse=True) if box.exists() else []


def _read(file: Path) -> email.message.EmailMessage:
    return email.message_from_bytes(file.read_bytes(), policy=email.policy.default)


def messages(box: Path) -> list[email.message.EmailMessage]:
    return [_read(f) for f in _files(box)]


def attached(message: email.message.EmailMessage) -> list[tuple[str, str, bytes]]:
    """The mail's attachments: (file name, media type, bytes)."""
    return [
        (
            part.get_filename() or "attachment",
            part.get_content_type(),
            part.get_payload(decode=True),
        )
        for part in message.iter_attachments()
    ]


def page(box: Path) -> str:
    rows = []
    for file in _files(box):
        message = _read(file)
        body = message.get_body(preferencelist=("plain",))
        text = body.get_content() if body else ""
        files = "".join(
            f"<li><a href='/{escape(file.stem)}/{n}'>{escape(name)}</a>"
            f" ({escape(kind)}, {len(content)} bytes)</li>"
            for n, (name, kind, content) in enumerate(attached(message))
        )
        rows.append(
            f"<article><h2>{escape(str(message['Subject']))}</h2>"
            f"<p>To: {escape(str(message['To']))} · {escape(str(message['Date'] or ''))}</p>"
            f"<pre>{escape(text)}</pre>"
            + (f"<p>Attachments:</p><ul>{files}</ul>" if files else "")
            + "</article>"
        )
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Samspel mailbox</title>"
        "</head><body><h1>Mails Samspel sent</h1>"
        + ("".join(rows) or "<p>No mail yet.</p>")
        + "</body></html>"
    )


def create_app(box: Path) -> Litestar:
    @get("/", sync_to_thread=True)
    def index() -> Response[str]:
        return Response(page(box), media_type="text/html")

    @get("/{mail:str}/{n:int}", sync_to_thread=True)
    def attachment(mail: FromPath[str], n: FromPath[int]) -> Response[bytes]:
        found = [f for f in _files(box) if f.stem == mail]
        files = attached(_read(found[0])) if found else []
        if not 0 <= n < len(files):
            return Response(b"no such attachment", status_code=404, media_type="text/plain")
        name, kind, content = files[n]
        return Response(
            content,
            media_type=kind,
            headers={"Content-Disposition": f"inline; filename*=UTF-8''{quote(name)}"},
        )

    return Litestar([index, attachment])


def ports(env: Mapping[str, str]) -> tuple[int, int]:
    """The mailbox's SMTP port and its page's port; `make run` points SAMSPEL_SMTP_URL at the first."""
    found = []
    for name, default in (("SAMSPEL_MAILBOX_SMTP_PORT", 1025), ("SAMSPEL_MAILBOX_PORT", 8025)):
        raw = env.get(name, "").strip() or str(default)
        if not raw.isdigit() or not 1 <= int(raw) <= 65535:
            raise SystemExit(f"mailbox not started: {name} must be a port number; got {raw!r}")
        found.append(int(raw))
    return found[0], found[1]


def main() -> int:
    smtp_port, web_port = ports(os.environ)
    controller = Controller(Keep(BOX), hostname="127.0.0.1", port=smtp_port)
    controller.start()
    print(f"mailbox: SMTP on 127.0.0.1:{smtp_port}, mails at http://127.0.0.1:{web_port}")
    try:
        uvicorn.run(create_app(BOX), host="127.0.0.1", port=web_port, log_level="warning")
    finally:
        controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
