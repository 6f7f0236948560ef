"""A fixed request rate, open loop: each request leaves at its own scheduled moment whether or not
the earlier ones have come back, and its latency counts from that moment, so a slow server
cannot slow the client down and hide its queue (wrk and hey wait for an answer before asking
again). Debian has no wrk2; this is the small generator the issue allows instead."""

from __future__ import annotations

import asyncio
import time

import httpx


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank percentile (p in 0..100) of the values; nan when there are none."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


async def fixed_rate(
    url: str,
    rate: float,
    seconds: float,
    headers: dict[str, str] | None = None,
    give_up_s: float = 10.0,
) -> dict[str, float]:
    """GET `url` `rate` times a second for `seconds`; latencies in ms from each scheduled start.

    A request not answered within `give_up_s` of leaving (waiting for a connection included)
    counts as failed, so a server far below the rate cannot hold the bench for minutes.
    """
    latencies: list[float] = []
    failures = 0
    limits = httpx.Limits(max_connections=256, max_keepalive_connections=256)
    async with httpx.AsyncClient(headers=headers, limits=limits, timeout=give_up_s) as client:

        async def one(at: float) -> None:
            nonlocal failures
            await asyncio.sleep(max(0.0, at - time.perf_counter()))
            try:
                response = await client.get(url)
                ok = response.status_code < 400
            except httpx.HTTPError:
                ok = False
            if ok:
                latencies.append(1000 * (time.perf_counter() - at))
            else:
                failures += 1

        start = time.perf_counter() + 0.2
        count = int(rate * seconds)
        await asyncio.gather(*(one(start + i / rate) for i in range(count)))
        elapsed = time.perf_counter() - start
    return {
        "offered": rate,
        "served": len(latencies) / elapsed,
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "p99": percentile(latencies, 99),
        "failures": failures,
    }
