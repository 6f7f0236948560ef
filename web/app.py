"""create_app(settings): the whole web application, wired in one place."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import redis.asyncio as redis
from litestar import Litestar
from litestar.config.csrf import CSRFConfig
from litestar.plugins.htmx import HTMXPlugin
from litestar.plugins.prometheus import PrometheusConfig, PrometheusController
from litestar.static_files import create_static_files_router

import services.schema  # noqa: F401 - loads every table before the pool binds them
from infra.db import Database
from infra.settings import Settings
from services.errors import DomainError
from web import health
from web.errors import domain_error_handler
from web.logs import configure_logging
from web.middleware import request_context_middleware
from web.public import controller as public
from web.security import security_headers_middleware
from web.templating import template_config

STATIC = Path(__file__).parent / "static"


def create_app(settings: Settings, *, database: Database | None = None) -> Litestar:
    configure_logging()
    owns_database = database is None
    database = database or Database(settings.app_database_url)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        app.state.settings = settings
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

    prometheus = PrometheusConfig(
        app_name="samspel", prefix="samspel", group_path=True, exclude=["/metrics"]
    )
    return Litestar(
        route_handlers=[
            public.landing,
            public.switch_language,
            health.live,
            health.ready,
            PrometheusController,
            create_static_files_router(path="/static", directories=[STATIC], name="static"),
        ],
        # The htmx plugin assigns signature types rather than extending them: it goes first.
        plugins=[HTMXPlugin()],
        template_config=template_config(),
        middleware=[
            request_context_middleware(settings.default_language),
            security_headers_middleware(settings.secure_cookies),
            prometheus.middleware,
        ],
        csrf_config=CSRFConfig(
            secret=settings.derived_key("csrf").hex(),
            cookie_secure=settings.secure_cookies,
            cookie_httponly=False,
            cookie_samesite="lax",
            header_name="x-csrftoken",
        ),
        exception_handlers={DomainError: domain_error_handler},
        lifespan=[lifespan],
        logging_config=None,
        openapi_config=None,
    )
