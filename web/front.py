"""The front door: what no request needs the framework for, answered before it.

`python -m web` serves `front(create_app(settings))`. A liveness probe and a static file carry
nothing personal and read no session, so they are answered here, from memory, with the same
security headers every answer carries (web/security.py); everything else goes to the app, whose
own /health/live and /static/ routes answer the same (in-process tests use those). A probe or a
stylesheet then costs what the bare ASGI server costs, not a pass through the router and the
middleware chain.
"""

from __future__ import annotations

from litestar import Litestar
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from infra.settings import Settings
from web import assets
from web.assets import PREFIX
from web.security import origin, security_headers

LIVE = b'{"status":"ok"}'


def front(app: Litestar, settings: Settings) -> ASGIApp:
    add_headers = security_headers(settings.secure_cookies, origin(settings.idp_issuer))
    static = assets.static_app(assets.load())
    live_headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(LIVE)).encode()),
        (b"cache-control", b"no-store"),
    ]

    async def serve(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        path = scope["path"]
        if path != "/health/live" and not path.startswith(PREFIX):
            await app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            await add_headers(message, scope)
            await send(message)

        if path.startswith(PREFIX):
            await static(scope, receive, send_with_headers)
            return
        if scope["method"] not in ("GET", "HEAD"):
            await app(scope, receive, send)  # the app's 405, as for any route
            return
        start = {"type": "http.response.start", "status": 200, "headers": list(live_headers)}
        await send_with_headers(start)
        await send(
            {"type": "http.response.body", "body": LIVE if scope["method"] == "GET" else b""}
        )

    return serve
