"""A file a page hands out (an attachment, a letter, an export): its bytes, as a download under
its own name, never sniffed into something the browser would run."""

from __future__ import annotations

from litestar.response import Response

from web.projects.export import attachment


def file_answer(content: bytes, media_type: str, name: str) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": attachment(name), "X-Content-Type-Options": "nosniff"},
    )
