"""Liveness and readiness: ready names every dependency that cannot be reached."""

from __future__ import annotations

import asyncio

from litestar import Request, get
from litestar.response import Response

TIMEOUT = 1.0


async def _check(name: str, probe) -> str | None:
    try:
        await asyncio.wait_for(probe(), TIMEOUT)
    except Exception:  # noqa: BLE001 - any failure means "down"; the reason is not the client's
        return name
    return None


@get("/health/live", sync_to_thread=False, include_in_schema=False, opt={"public": True})
def live() -> dict[str, str]:
    return {"status": "ok"}


@get("/health/ready", include_in_schema=False, opt={"public": True})
async def ready(request: Request) -> Response[dict]:
    state = request.app.state
    down = [
        name
        for name in await asyncio.gather(
            _check("postgresql", state.database.ping), _check("redis", state.redis.ping)
        )
        if name
    ]
    if down:
        return Response({"status": "unavailable", "down": down}, status_code=503)
    return Response({"status": "ok", "down": []}, status_code=200)
