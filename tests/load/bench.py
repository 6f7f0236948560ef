"""`make bench`: requests per second and latency of the running product, and the web process's memory.

wrk (Debian's) drives loopback for a fixed few seconds per path, then stops. Results go to
bench/results.md with the command that made them; no test asserts a time.
"""

from __future__ import annotations

import html
import os
import platform
import re
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import httpx

from tests.e2e.servers import ROOT, running_product
from tests.web.auth.idp import hidden_fields
from web.auth.sessions import COOKIE

SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
PUBLIC = ["/", "/health/live", "/health/ready", "/static/vendor/htmx.min.js", "/tenders"]
PUBLIC += ["/api/v1/tenders"]
# Pages behind the login, as the demo's Grong admin (owner of the Grong projects) sees them.
LOGGED_IN = ["/k/5045", "/k/5045/projects", "/k/5045/programmes", "/k/5045/dashboard"]
OWNER = "12076512345"  # Arne Lyngstad in services/demo/data.py
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * _UNITS[unit]


def log_in(base: str, pid: str) -> str:
    """A session cookie, got the way a browser gets one: through dev ID-porten's login page."""
    with httpx.Client(follow_redirects=False, timeout=10) as client:
        authorize = client.get(f"{base}/auth/login").headers["location"]
        page = client.get(authorize)
        chosen = client.post(authorize.split("?")[0], data={**hidden_fields(page.text), "pid": pid})
        client.get(chosen.headers["location"])
        return f"{COOKIE}={client.cookies[COOKIE]}"


def wrk(url: str, cookie: str | None = None, *extra: str) -> dict[str, float]:
    header = ["-H", f"Cookie: {cookie}"] if cookie else []
    for line in extra:
        header += ["-H", line]
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", *header, url],
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


def dashboard_poll(product, cookie: str) -> dict[str, float]:
    """What an open dashboard costs while its figures stand still: the poll that gets 204."""
    htmx = {"Cookie": cookie, "HX-Request": "true"}
    fragment = httpx.get(product.base + "/k/5045/dashboard", headers=htmx).text
    poll = html.unescape(re.search(r'hx-get="([^"]+)"', fragment).group(1))
    assert httpx.get(product.base + poll, headers=htmx).status_code == 204
    return wrk(product.base + poll, cookie, "HX-Request: true")


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp, running_product(Path(tmp)) as product:
        rows = [(path, wrk(product.base + path)) for path in PUBLIC]
        cookie = log_in(product.base, OWNER)
        for path in LOGGED_IN:  # wrk counts a redirect to the login as a success: rule it out
            status = httpx.get(product.base + path, headers={"Cookie": cookie}).status_code
            assert status == 200, f"{path} answered {status} to the logged-in session"
        rows += [(path + " (logged in)", wrk(product.base + path, cookie)) for path in LOGGED_IN]
        rows.append(
            ("/k/5045/dashboard (its 2 s poll, unchanged)", dashboard_poll(product, cookie))
        )
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
