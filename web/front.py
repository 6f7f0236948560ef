"""The front door: what no request needs the framework for, answered before it.

`python -m web` serves `front(create_app(settings))`. A liveness probe and a static file carry
nothing personal and read no session, so they are answered here, from memory, with the same
security headers every answer carries (web/security.py); everything else goes to the app, whose
own /health/live and /static/ routes answer the same (in-process tests use those). A probe or a
stylesheet then costs what the bare ASGI server costs, not a pass through the router and the
middleware chain.

The public's kept copy of a public page (web/public_cache.py) is answered here too: a GET
without a session cookie to a route marked public-cached is looked up under the key the app's
middleware keeps it under, for the language the app would choose, and a copy made at the
current data version is sent as the middleware sends it, inside the same request context (an
id, one log line). The lookups that arrive together are read in one round trip (Together).
Anything else, a miss and a Redis outage go to the app unchanged; another path costs no Redis
round trip.
"""

from __future__ import annotations

from litestar import Litestar
from litestar._asgi.utils import is_valid_host
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from infra.public_cache import namespace, version_key
from infra.settings import Settings
from web import assets
from web.assets import PREFIX
from web.auth.sessions import COOKIE as SESSION_COOKIE
from web.middleware import cookie, language_of, request_context_middleware
from web.public_cache import Together, answer, page_key, public_cached_routes
from web.security import origin, security_headers
from web.unavailable import OUTAGE

LIVE = b'{"status":"ok"}'
_KEPT = "kept_page"  # scope["state"][_KEPT]: the kept page the front door sends


def front(app: Litestar, settings: Settings) -> ASGIApp:
    add_headers = security_headers(settings.secure_cookies, origin(settings.idp_issuer))
    static = assets.static_app(assets.load())
    live_headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(LIVE)).encode()),
        (b"cache-control", b"no-store"),
    ]
    cached = public_cached_routes(app)
    prefix, together = namespace(settings), Together(version_key(settings))
    default_language = settings.default_language

    async def send_kept(scope: Scope, receive: Receive, send: Send) -> None:
        await answer(send, scope, scope["state"][_KEPT])

    # The kept page, sent inside the app's request context: made once, not per request.
    send_kept_in_context = request_context_middleware(default_language)(send_kept)

    async def kept(scope: Scope, receive: Receive, send: Send) -> bool:
        """Whether the public's kept copy of this page was sent."""
        routes = cached.get(scope["method"])
        if routes is None:
            return False
        pattern, templates = routes
        matched = pattern.fullmatch(scope["path"])
        if matched is None or cookie(scope, SESSION_COOKIE):  # as public_cache decides
            return False
        host = next((value for name, value in scope["headers"] if name == b"host"), None)
        if host is not None and not is_valid_host(host):
            return False  # the router's 400
        key = page_key(prefix, scope, language_of(scope, default_language))
        try:
            found = await together.kept(app.state.redis, key)
        except OUTAGE:
            return False
        if found is None:
            return False
        scope["path_template"] = templates[matched.lastindex - 1]  # as the router sets it
        scope.setdefault("state", {})[_KEPT] = found
        await send_kept_in_context(scope, receive, with_headers(send, scope))
        return True

    def with_headers(send: Send, scope: Scope) -> Send:
        async def send_with_headers(message: Message) -> None:
            await add_headers(message, scope)
            await send(message)

        return send_with_headers

    async def serve(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        path = scope["path"]
        if path.startswith(PREFIX):
            await static(scope, receive, with_headers(send, scope))
            return
        if path != "/health/live":
            if not await kept(scope, receive, send):
                await app(scope, receive, send)
            return
        if scope["method"] not in ("GET", "HEAD"):
            await app(scope, receive, send)  # the app's 405, as for any route
            return
        start = {"type": "http.response.start", "status": 200, "headers": list(live_headers)}
        await with_headers(send, scope)(start)
        await send(
            {"type": "http.response.body", "body": LIVE if scope["method"] == "GET" else b""}
        )

    return serve
