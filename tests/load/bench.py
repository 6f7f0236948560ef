"""`make bench`: requests per second and latency of the running product, and the web process's memory.

wrk (Debian's) drives loopback for a fixed few seconds per path, then stops. Results go to
bench/results.md with the command that made them; no test asserts a time.
"""

from __future__ import annotations

import os
import platform
import re
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from tests.e2e.servers import ROOT, running_product

SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
PATHS = ["/", "/health/live", "/health/ready", "/static/vendor/htmx.min.js"]
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * _UNITS[unit]


def wrk(url: str) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": _ms(re.search(r"50%\s+(\S+)", out).group(1)),
        "p99": _ms(re.search(r"99%\s+(\S+)", out).group(1)),
        "errors": int(errors.group(1)) if errors else 0,
    }


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp, running_product(Path(tmp)) as product:
        rows = [(path, wrk(product.base + path)) for path in PATHS]
        memory = rss_mib(product.pids[-1])
    lines = [
        "# Benchmarks",
        "",
        f"Made by `make bench` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: {platform.machine()},"
        f" {os.cpu_count()} cores, Python {platform.python_version()}; one uvicorn worker"
        f" against the local PostgreSQL and Redis; `wrk -t2 -c{CONNECTIONS} -d{SECONDS}s"
        " --latency` per path from the same machine (so client and server share the cores).",
        "",
        "| path | requests/s | p50 ms | p99 ms | non-2xx/3xx |",
        "|---|---:|---:|---:|---:|",
        *(
            f"| `{path}` | {r['rps']:.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {r['errors']} |"
            for path, r in rows
        ),
        "",
        f"Web process resident memory after the run: {memory:.0f} MiB.",
        "",
    ]
    out = ROOT / "bench" / "results.md"
    out.write_text("\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
