"""Security headers on every answer: a strict CSP, no framing, no sniffing, HSTS under https."""

from __future__ import annotations

from urllib.parse import urlsplit

from litestar.datastructures import MutableScopeHeaders
from litestar.types import ASGIApp, Message, Receive, Scope, Send


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


def security_headers_middleware(https: bool, identity_provider: str):
    csp = content_security_policy(identity_provider)

    def factory(app: ASGIApp) -> ASGIApp:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return

            async def send_with_headers(message: Message) -> None:
                if message["type"] == "http.response.start":
                    headers = MutableScopeHeaders.from_message(message)
                    # A route may set a policy of its own (the front-channel logout is framed).
                    if "content-security-policy" not in headers:
                        headers["Content-Security-Policy"] = csp
                    headers["X-Content-Type-Options"] = "nosniff"
                    headers["Referrer-Policy"] = "same-origin"
                    if https:
                        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
                await send(message)

            await app(scope, receive, send_with_headers)

        return middleware

    return factory
