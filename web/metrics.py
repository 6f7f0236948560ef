"""Prometheus' counters for the operators alone: behind a bearer token, and blind to sealed bids."""

from __future__ import annotations

import hmac

from litestar.connection import ASGIConnection
from litestar.exceptions import NotFoundException
from litestar.handlers import BaseRouteHandler
from litestar.plugins.prometheus import PrometheusConfig, PrometheusController

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
