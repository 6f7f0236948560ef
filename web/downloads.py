"""A file the browser saves rather than shows: its name kept as written (æøå too) for today's
browsers, with an ASCII fallback for old ones. Every page's download answers through here."""

from __future__ import annotations

from urllib.parse import quote

from litestar.response import Response


def attachment(name: str) -> str:
    """A Content-Disposition that keeps æøå in the name and an ASCII fallback for old clients."""
    # Only printable ASCII in the quoted fallback: no quote, backslash or line break to end it.
    fallback = "".join(c if " " <= c <= "~" and c not in '"\\?' else "_" for c in name)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def download(content: bytes, name: str, media_type: str) -> Response:
    """`content` as a file named `name` (X-Content-Type-Options: nosniff comes on every answer)."""
    return Response(
        content, media_type=media_type, headers={"Content-Disposition": attachment(name)}
    )
