"""create_app(settings): the whole web application, wired in one place."""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

import httpx
import redis.asyncio as redis
from litestar import Litestar, Router, asgi
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.exceptions import HTTPException
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.plugins.htmx import HTMXPlugin
from litestar.types import Receive, Scope, Send

import services.schema  # noqa: F401 - loads every table before the pool binds them
from infra.db import Database
from infra.settings import Settings
from services.access.enhetsregisteret import Enhetsregisteret
from services.errors import DomainError
from services.parts import Part, route_modules
from web import assets, health
from web.account import controller as account
from web.auth import controller as auth
from web.auth.guards import PUBLIC
from web.auth.middleware import auth_middleware
from web.auth.oidc import OidcClient
from web.csrf import csrf_middleware
from web.errors import domain_error_handler, http_error_handler, internal_error_handler
from web.logs import configure_logging
from web.metrics import OperatorMetrics, metrics_middleware
from web.middleware import QUIET_PATTERNS, request_context_middleware
from web.multipart import FormRequest, read_form_first
from web.municipality import controller as municipality
from web.operator import controller as operator
from web.organisation import controller as organisation
from web.public import controller as public
from web.public_cache import public_cache_middleware
from web.ratelimit import STORE, rate_limit_middleware, rate_limit_store
from web.region import controller as region
from web.security import origin, security_headers
from web.templating import template_config
from web.unavailable import OUTAGE, SessionsUnavailable, unavailable_handler

# The frame every part hangs in: logging in, the account, each audience's home, the operator.
ROUTES = [
    auth.login,
    auth.callback,
    auth.welcome,
    auth.register,
    auth.logout,
    auth.frontchannel_logout,
    account.home,
    account.me,
    account.switch_membership,
    account.invitation,
    account.accept_invitation,
    account.new_organisation,
    account.register_organisation,
    municipality.home,
    region.home,
    region.invite_to_council,
    organisation.home,
    operator.home,
    operator.create_region,
    operator.create_municipality,
    operator.invite_admin,
    operator.invite_council_member,
]


def part_routes(parts: Sequence[Part] | None = None) -> list:
    """Every part's pages (services/parts.py names their modules; each has a ROUTES list)."""
    return [
        route for module in route_modules(parts) for route in importlib.import_module(module).ROUTES
    ]


def static_route(files: dict[str, assets.Asset]):
    """/static/ served by web/assets.py's pure ASGI app, from the bytes read at start."""
    serve = assets.static_app(files)

    @asgi("/static", is_mount=True, copy_scope=False, name="static", opt={"public": True, "quiet": True})
    async def static(scope: Scope, receive: Receive, send: Send) -> None:
        raw = scope.get("raw_path")
        path = raw.decode("latin-1") if raw else scope["path"]
        await serve({**scope, "path": path}, receive, send)

    return static


def create_app(
    settings: Settings,
    *,
    database: Database | None = None,
    oidc_transport: httpx.AsyncBaseTransport | None = None,
    register_transport: httpx.AsyncBaseTransport | None = None,
    parts: Sequence[Part] | None = None,
) -> Litestar:
    """The app; tests hand in the suite's pool and a transport that reaches the provider in-process,
    and may serve other parts than services/parts.py lists."""
    configure_logging()
    owns_database = database is None
    database = database or Database(settings.app_database_url)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.oidc = OidcClient(settings, transport=oidc_transport)
        app.state.register = Enhetsregisteret(
            settings.enhetsregisteret_url, transport=register_transport
        )
        app.state.database = database
        app.state.redis = redis.from_url(
            settings.redis_url, socket_connect_timeout=1, socket_timeout=1
        )
        await database.start()
        try:
            yield
        finally:
            await app.state.redis.aclose()
            if owns_database:
                await database.stop()

    files = assets.load()
    return Litestar(
        route_handlers=[
            public.landing,
            public.switch_language,
            *ROUTES,
            *part_routes(parts),
            health.live,
            health.ready,
            OperatorMetrics,
            static_route(files),
        ],
        # The htmx plugin assigns signature types rather than extending them: it goes first.
        plugins=[HTMXPlugin()],
        request_class=FormRequest,
        before_request=read_form_first,
        template_config=template_config(files),
        middleware=[
            request_context_middleware(settings.default_language),
            public_cache_middleware(settings),
            auth_middleware,
            rate_limit_middleware(settings),
            metrics_middleware(),
            csrf_middleware(csrf_config(settings)),
        ],
        exception_handlers={
            DomainError: domain_error_handler,
            HTTPException: http_error_handler,
            SessionsUnavailable: unavailable_handler,
            **dict.fromkeys(OUTAGE, unavailable_handler),
            Exception: internal_error_handler,
        },
        stores={STORE: rate_limit_store(settings)},
        state=State({"default_language": settings.default_language}),
        before_send=[security_headers(settings.secure_cookies, origin(settings.idp_issuer))],
        lifespan=[lifespan],
        logging_config=None,
        openapi_config=openapi_config(),
        # Only the public JSON API is documented (its routes say include_in_schema=True).
        include_in_schema=False,
    )


def csrf_config(settings: Settings) -> CSRFConfig:
    return CSRFConfig(
        # A static file, a probe and the metrics carry no form and need no token cookie.
        exclude=QUIET_PATTERNS,
        secret=settings.derived_key("csrf").hex(),
        cookie_secure=settings.secure_cookies,
        cookie_httponly=False,
        cookie_samesite="lax",
        header_name="x-csrftoken",
    )


def openapi_config() -> OpenAPIConfig:
    """The public tender API and its OCDS packages, described at /schema (JSON, no script: the
    document itself, for clients and schemathesis; no page that would load a viewer from a CDN)."""
    return OpenAPIConfig(
        title="Samspel public tender API",
        version="1",
        description="Published tenders of Norwegian municipalities, as JSON and as OCDS 1.1.",
        path="/schema",
        render_plugins=[JsonRenderPlugin()],
        use_handler_docstrings=True,
        openapi_router=Router(path="/schema", route_handlers=[], opt=PUBLIC),
    )
