"""Security headers on every answer: a strict CSP, no framing, no sniffing, HSTS under https."""

from __future__ import annotations

from urllib.parse import urlsplit

from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(identity_provider: str) -> str:
    # Chromium applies form-action to the redirect after a POST too: logging out posts to us
    # and is sent on to ID-porten's end-session endpoint.
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "connect-src 'self'",
            "frame-ancestors 'none'",
            "base-uri 'self'",
            f"form-action 'self' {identity_provider}",
            "object-src 'none'",
        ]
    )


def security_headers(https: bool, identity_provider: str):
    """A before-send hook, not a middleware: Litestar runs middleware only on a matched route,
    so routing's 404 and 405, and errors raised in a middleware, would go out without these."""
    csp = content_security_policy(identity_provider)

    async def add_headers(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        headers = MutableScopeHeaders.from_message(message)
        # A route may set a policy of its own (the front-channel logout is framed).
        if "content-security-policy" not in headers:
            headers["Content-Security-Policy"] = csp
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "same-origin"
        if https:
            headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"

    return add_headers
