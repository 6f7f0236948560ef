"""Security headers on every answer: a strict CSP, no framing, no sniffing, HSTS under https."""

from __future__ import annotations

from urllib.parse import urlsplit

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
    so routing's 404 and 405, and errors raised in a middleware, would go out without these.

    The headers are encoded once, here, and appended as raw pairs on each answer."""
    csp = (b"content-security-policy", content_security_policy(identity_provider).encode())
    always = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin")]
    if https:
        always.append((b"strict-transport-security", b"max-age=31536000; includeSubDomains"))

    async def add_headers(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        headers = message.setdefault("headers", [])
        if not isinstance(headers, list):
            headers = message["headers"] = list(headers)
        # A route may set a policy of its own (the front-channel logout is framed).
        if not any(name.lower() == b"content-security-policy" for name, _ in headers):
            headers.append(csp)
        headers.extend(always)

    return add_headers
