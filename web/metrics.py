"""Prometheus' counters for the operators alone: behind a bearer token, and blind to sealed bids."""

from __future__ import annotations

import hmac
import re
import time

from litestar.connection import ASGIConnection
from litestar.exceptions import NotFoundException
from litestar.handlers import BaseRouteHandler
from litestar.plugins.prometheus import PrometheusConfig, PrometheusController
from litestar.plugins.prometheus.middleware import PrometheusMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from web.middleware import SENT_AT, STATUS

# A business's own tenders and bids are not measured at all: a counter per route and status
# would rise by one for every sealed bid, and its timing would tell when bids come in.
NOT_MEASURED = [
    "^/metrics$",
    # Probes and static files: counted by the load balancer, and not worth a timer each.
    "^/health/",
    "^/static/",
    "^/o/[^/]+/(tenders|bids)(/|$)",
    "^/tenders/[0-9]+/bid$",
]


def metrics_config() -> PrometheusConfig:
    return PrometheusConfig(
        app_name="samspel", prefix="samspel", group_path=True, exclude=NOT_MEASURED
    )


def metrics_middleware():
    """Litestar's Prometheus series (the same names, labels and values: /metrics reads them as
    before), kept by a pure ASGI middleware that builds no request object and looks each
    series up once per method, route and status rather than four times per request. The status
    and the moment the body went out are those the session's middleware recorded (it wraps
    send once for all: web/middleware.head_of_answer)."""
    config = metrics_config()
    not_measured = re.compile("|".join(NOT_MEASURED))
    app_name = config.app_name

    def factory(app: ASGIApp) -> ASGIApp:
        # Litestar's middleware makes (or finds: they are registered once per process) the series.
        litestar_own = PrometheusMiddleware(app, config)
        names: dict = {"method": "", "path": "", "status_code": 200, "app_name": app_name}
        in_progress = litestar_own.requests_in_progress(names)
        counted = litestar_own.request_count(names)
        timed = litestar_own.request_time(names)
        errors = litestar_own.requests_error_count(names)
        series: dict[tuple, tuple] = {}
        gauges: dict[tuple, object] = {}

        def of(method: str, path: str, status: int) -> tuple:
            key = (method, path, status)
            found = series.get(key)
            if found is None:
                found = series[key] = (
                    counted.labels(method, path, status, app_name),
                    timed.labels(method, path, status, app_name),
                    errors.labels(method, path, status, app_name) if status >= 500 else None,
                )
            return found

        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            handler = scope.get("route_handler")
            mount = handler is not None and getattr(handler, "is_mount", False)
            path = scope["raw_path"].decode() if mount else scope["path"]
            if scope["type"] != "http" or not_measured.search(path):
                await app(scope, receive, send)
                return
            method, template = scope["method"], scope["path_template"]
            gauge = gauges.get((method, template))
            if gauge is None:
                gauge = gauges[method, template] = in_progress.labels(
                    method, template, 200, app_name
                )
            started = time.perf_counter()
            gauge.inc()
            try:
                await app(scope, receive, send)
            finally:
                gauge.dec()
                # As the answer went out: web/middleware.head_of_answer, on every measured path.
                state = scope["state"]
                count, timer, error = of(method, template, state.get(STATUS, 500))
                if error is not None:
                    error.inc()
                count.inc()
                timer.observe(state.get(SENT_AT, started) - started)

        return middleware

    return factory


async def operators_only(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    """The operators' bearer token, or 404 as for any unknown path (nothing to learn by guessing).
    A coroutine function, so Litestar calls it in the event loop rather than in a thread."""
    expected = connection.app.state.settings.metrics_token
    scheme, _, given = connection.headers.get("authorization", "").partition(" ")
    if not (
        expected
        and scheme.lower() == "bearer"
        and hmac.compare_digest(given.strip().encode(), expected.encode())
    ):
        raise NotFoundException()


class OperatorMetrics(PrometheusController):
    guards = [operators_only]  # noqa: RUF012 - Litestar's own class attribute
