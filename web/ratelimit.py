"""Rate limits on what an attacker would repeat: logging in, and every form a person sends.

Litestar's limiter on a Redis store, so every web process counts together. Logins are counted
per client address (nobody is known yet); a form post is counted per person when logged in, so
one person sending too much never locks out the colleagues behind the same office address.

Only those requests reach the limiter: a pure ASGI middleware in front of it lets every other
request (a page, a poll, the API) pass without building a request object, and without the
thread hop Litestar makes to call a plain function as its `check_throttle_handler`.
"""

from __future__ import annotations

import redis.asyncio as redis
from litestar import Request
from litestar.middleware.rate_limit import RateLimitConfig, RateLimitMiddleware, get_remote_address
from litestar.stores.redis import RedisStore
from litestar.types import ASGIApp, Receive, Scope, Send

from infra.settings import Settings, database_name

STORE = "rate_limit"
_LOGIN = frozenset({"/auth/login", "/auth/callback"})
_UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_NOT_LIMITED = ["^/static/", "^/health/", "^/metrics$"]


def counted(scope: Scope) -> bool:
    """A request the limiter counts: a login step, or anything that sends a form."""
    return scope["type"] == "http" and (scope["path"] in _LOGIN or scope["method"] in _UNSAFE)


def _who(request: Request) -> str:
    if request.url.path in _LOGIN:
        return f"login:{get_remote_address(request)}"
    principal = request.state.get("principal")
    if principal is not None:
        return f"person:{principal.person.id}"
    return f"address:{get_remote_address(request)}"


def rate_limit_config(settings: Settings) -> RateLimitConfig:
    return RateLimitConfig(
        rate_limit=("minute", settings.rate_limit_per_minute),
        identifier_for_request=_who,
        store=STORE,
        exclude=_NOT_LIMITED,
    )


def rate_limit_middleware(settings: Settings):
    """Litestar's limiter for the requests that count; the others go straight on."""
    config = rate_limit_config(settings)

    def factory(app: ASGIApp) -> ASGIApp:
        limiter = RateLimitMiddleware(app, config)

        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if counted(scope):
                await limiter(scope, receive, send)
            else:
                await app(scope, receive, send)

        return middleware

    return factory


def rate_limit_store(settings: Settings) -> RedisStore:
    """Counts kept apart per database, so a test run and `make run` on one Redis never meet."""
    client = redis.from_url(settings.redis_url, socket_connect_timeout=1, socket_timeout=1)
    namespace = f"samspel:{database_name(settings.app_database_url)}:ratelimit"
    return RedisStore(client, namespace=namespace, handle_client_shutdown=True)
