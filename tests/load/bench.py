"""`make bench`: Samspel at national scale on loopback, each page beside its framework ceiling.

It makes a database of its own (samspel_bench, dropped and made again) and a throw-away Redis,
loads the national dataset (`python -m services.cli generate --scale national`), then measures:
each page and htmx fragment with wrk beside a bare Litestar app returning the very same bytes
(tests/load/ceiling.py), back to back; the region dashboard at a fixed 100 requests/s (open
loop, tests/load/openloop.py); the time from a committed change to its figure on the region
dashboard; a full recompute of every dashboard; the deadline rush (tests/load/rush.py); each
process's memory; and throughput with SAMSPEL_WEB_PROCESSES=2 where the product has it.
bench/results.md gets the machine, the commands and the figures; no test asserts a time.
"""

from __future__ import annotations

import asyncio
import html
import json
import os
import pickle
import platform
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import asyncpg
import httpx

import services.schema  # noqa: F401 - every part's tables, loaded before the pool binds them
from infra.db import Database
from infra.settings import database_name, load, with_database
from services.demo.data import ORGANISATIONS
from tests.e2e.servers import ROOT, free_port, running_product
from tests.load import rush
from tests.load.ceiling import Page, ratio, verdict
from tests.load.openloop import fixed_rate, percentile
from tests.outages import ThrowawayRedis
from tests.web.auth.idp import hidden_fields
from web.auth.sessions import COOKIE

SECONDS = int(os.environ.get("BENCH_SECONDS", "6"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
WRK = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--timeout", "10s", "--latency"]
SEED = int(os.environ.get("BENCH_SEED", "1"))
SCALE = os.environ.get("BENCH_SCALE", "national")
DATABASE = "samspel_bench"
ARNE, MARIT = "12076512345", "30117034567"  # Grong's admin, Indre Namdal's council member
REGION = "indre-namdal"
# (label, path, query, htmx, who, target share of the ceiling in per cent)
PAGES = [
    ("/health/live", "/health/live", "", False, None, 60),
    ("/tenders (public)", "/tenders", "", False, None, 50),
    ("/tenders filter fragment", "/tenders", "kommune=5045", True, None, 50),
    ("/api/v1/tenders", "/api/v1/tenders", "", False, None, 50),
    ("/k/5045 (logged in)", "/k/5045", "", False, ARNE, 20),
    ("/k/5045/projects", "/k/5045/projects", "", False, ARNE, 20),
    ("/k/5045/projects filter fragment", "/k/5045/projects", "phase=forstudie", True, ARNE, 20),
    ("/k/5045/dashboard", "/k/5045/dashboard", "", False, ARNE, 20),
    ("/k/5045/dashboard poll (unchanged)", "/k/5045/dashboard", "poll", True, ARNE, 20),
    (f"/r/{REGION}/dashboard", f"/r/{REGION}/dashboard", "", False, MARIT, 20),
    (f"/r/{REGION}/dashboard poll (unchanged)", f"/r/{REGION}/dashboard", "poll", True, MARIT, 20),
]
TWO_PROCESSES = ["/health/live", "/tenders (public)", "/api/v1/tenders", "/k/5045 (logged in)",
                 "/k/5045/projects", "/k/5045/dashboard", f"/r/{REGION}/dashboard"]  # fmt: skip
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    """wrk's '12.34ms' in milliseconds; nan for what it prints when nothing came back."""
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if found is None:
        return float("nan")
    number, unit = found.groups()
    return float(number) * _UNITS.get(unit, 60_000.0)


def log_in(base: str, pid: str) -> str:
    """A session cookie, got the way a browser gets one: through dev ID-porten's login page."""
    with httpx.Client(follow_redirects=False, timeout=10) as client:
        authorize = client.get(f"{base}/auth/login").headers["location"]
        page = client.get(authorize)
        chosen = client.post(authorize.split("?")[0], data={**hidden_fields(page.text), "pid": pid})
        client.get(chosen.headers["location"])
        return f"{COOKIE}={client.cookies[COOKIE]}"


def wrk(url: str, headers: dict[str, str]) -> dict[str, float]:
    args = [part for k, v in headers.items() for part in ("-H", f"{k}: {v}")]
    out = subprocess.run([*WRK, *args, url], capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    timeouts = re.search(r"timeout (\d+)", out)
    return {
        "timeouts": int(timeouts.group(1)) if timeouts else 0,
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": _ms(_after(r"50%\s+(\S+)", out)),
        "p99": _ms(_after(r"99%\s+(\S+)", out)),
        "errors": int(errors.group(1)) if errors else 0,
    }


def _after(pattern: str, text: str) -> str:
    found = re.search(pattern, text)
    return found.group(1) if found else ""


def rss_tree(pid: int) -> list[tuple[int, str, float]]:
    """(pid, command, resident MiB) of a process and every process below it."""
    found = []
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    except OSError:
        return found
    kib = next(
        (int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0
    )
    found.append((pid, command, kib / 1024))
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            found += rss_tree(int(child))
    return found


def _short(command: str) -> str:
    return re.sub(r"^\S*python\S*\s+", "python ", command)[:70]


class Run:
    """The bench's state: where things are, and everything measured so far."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.rows: dict[str, dict] = {}
        self.notes: list[str] = []
        self.figures: dict[str, object] = {}
        # The machine's load average (1, 5, 15 min) as each phase ends: others may share it.
        self.load: list[tuple[str, tuple[float, float, float]]] = [("start", os.getloadavg())]

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def mark(self, phase: str) -> None:
        self.load.append((phase, os.getloadavg()))


def _fetch(base: str, path: str, query: str, htmx: bool, cookie: str | None) -> tuple[Page, dict]:
    headers = {"Cookie": cookie} if cookie else {}
    if htmx:
        headers["HX-Request"] = "true"
    if query == "poll":  # the dashboard's own poll URL, as its page tells the browser
        fragment = httpx.get(base + path, headers=headers, timeout=120).text
        poll = html.unescape(re.search(r'hx-get="([^"]+)"', fragment).group(1))
        query = poll.split("?", 1)[1] if "?" in poll else ""
    url = base + path + (f"?{query}" if query else "")
    response = httpx.get(url, headers=headers, timeout=120)
    return Page.of(path, query, htmx, response), headers


def measure_pages(run: Run, base: str, cookies: dict) -> None:
    """Each page once to learn its bytes, then Samspel and the ceiling back to back."""
    pages, targets = [], []
    for label, path, query, htmx, who, target in PAGES:
        try:
            page, headers = _fetch(base, path, query, htmx, cookies.get(who))
        except (httpx.HTTPError, AttributeError) as error:
            run.notes.append(f"`{label}` could not be fetched ({error!r}); not measured")
            continue
        if page.status not in (200, 204):
            run.notes.append(f"`{label}` answered {page.status}; not measured")
            continue
        pages.append(page)
        targets.append((label, page, headers, target))
    pages_file = Path(tempfile.mkstemp(suffix=".pickle")[1])
    pages_file.write_bytes(pickle.dumps(pages))
    port = free_port()
    ceiling = subprocess.Popen([sys.executable, "-m", "tests.load.ceiling", str(pages_file), str(port)],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)  # fmt: skip
    try:
        _wait(f"http://127.0.0.1:{port}{pages[0].path}")
        for label, page, headers, target in targets:
            url = page.path + (f"?{page.query}" if page.query else "")
            ours = wrk(base + url, headers)
            settle(base)
            theirs = wrk(f"http://127.0.0.1:{port}{url}", headers)
            share = ratio(ours["rps"], theirs["rps"])
            run.rows[label] = {"samspel": ours, "ceiling": theirs, "ratio": share,
                               "target": target, "verdict": verdict(share, target),
                               "bytes": len(page.body), "status": page.status, "url": url}  # fmt: skip
            print(f"  {label:<42} {ours['rps']:>8.0f} /s  ceiling {theirs['rps']:>8.0f} /s"
                  f"  {share:5.1f} %  {verdict(share, target)}", flush=True)  # fmt: skip
    finally:
        ceiling.terminate()
        ceiling.wait(timeout=10)
        pages_file.unlink()


def settle(base: str, seconds: float = 60) -> None:
    """Wait until Samspel has worked off what wrk left it (answers it had no time to send):
    /health/live answers within 250 ms again, or a minute has passed."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            httpx.get(base + "/health/live", timeout=seconds)
        except httpx.HTTPError:
            pass
        if time.monotonic() - started < 0.25:
            return
        time.sleep(0.5)


def _wait(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


INTERVAL_S = 1.0


async def change_latency(run: Run, changes: int = 50) -> tuple[int, int]:
    """Commit a new project in Grong once a second, 50 times, while watching the region's
    figure of Grong's pre-studies: how long after its commit each change is shown."""
    from services.projects.schemas import NewProject
    from services.projects.service import create_project
    from tenants.context import Scope, connection, tenant_tx
    from tenants.identity import pid_hash

    settings = load()
    async with tenant_tx(Scope(pid_hash=pid_hash(settings.derived_key("pid"), ARNE))):
        arne = await connection().fetchval("select id from person where pid_hash = app_pid_hash()")
        grong = await connection().fetchval(
            "select id from municipality where kommunenummer = '5045'"
        )
        region = await connection().fetchval("select id from region where slug = $1", REGION)
    figure = (
        "select value from region_figure where region_id = app_region_id()"
        " and municipality_id = $1 and slice = 'projects' and metric = 'projects'"
        " and subject = 'forstudie'"
    )

    async def shown() -> Decimal:
        async with tenant_tx(Scope(region_id=region)):
            return await connection().fetchval(figure, grong) or Decimal(0)

    # One change a second, each committed whether or not the last is shown yet: the k-th is
    # shown once the count reaches where it was plus k (a recompute counts every change before it).
    base = await shown()
    committed: list[float] = []
    samples: list[tuple[float, Decimal]] = []

    async def watch(until: float) -> None:
        while time.perf_counter() < until:
            value = await shown()
            samples.append((time.perf_counter(), value))
            if value >= base + changes:
                return
            await asyncio.sleep(0.01)

    watcher = asyncio.create_task(watch(time.perf_counter() + changes * INTERVAL_S + 60))
    start = time.perf_counter()
    for n in range(changes):
        await asyncio.sleep(max(0.0, start + n * INTERVAL_S - time.perf_counter()))
        async with tenant_tx(Scope(tenant_id=grong, person_id=arne)):
            await create_project(
                NewProject(title=f"Måling {n + 1}: ny forstudie", phase="forstudie",
                           budget=Decimal(100_000), decided_on=date.today(),
                           owner_person_id=arne),
                actor_person_id=arne,
            )  # fmt: skip
        committed.append(time.perf_counter())
    await watcher
    seen = []
    for k, at in enumerate(committed, start=1):
        shown_at = next((t for t, v in samples if v >= base + k and t >= at), None)
        if shown_at is not None:
            seen.append(1000 * (shown_at - at))
    run.figures["change"] = {"changes": changes, "missed": changes - len(seen),
                             "p50": percentile(seen, 50), "p95": percentile(seen, 95),
                             "max": max(seen, default=float("nan"))}  # fmt: skip
    return grong, arne


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())  # fmt: skip
    memory = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))  # fmt: skip
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()  # fmt: skip
    return (
        f"{model}, {os.cpu_count()} cores, {memory / 1024 / 1024:.0f} GiB, Linux"
        f" {platform.release()}, Python {platform.python_version()}, commit {commit}"
    )


def _web_processes_supported() -> bool:
    sources = [
        ROOT / "infra" / "settings.py",
        ROOT / "web" / "__main__.py",
        ROOT / "infra" / "launcher.py",
    ]
    return any("WEB_PROCESSES" in p.read_text() for p in sources if p.exists())


async def _drop(run: Run, url: str) -> None:
    admin = await asyncpg.connect(with_database(url, "postgres"))
    try:
        await admin.execute(f'drop database if exists "{DATABASE}" with (force)')
        run.figures["postgres"] = await admin.fetchval("show server_version")
    finally:
        await admin.close()


def _generate(run: Run) -> None:
    for args in (["migrate"], ["generate", "--scale", SCALE, "--seed", str(SEED)]):
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "services.cli", *args], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True, check=True)  # fmt: skip
        if args[0] == "generate":
            report = json.loads(done.stdout.strip().splitlines()[-1])
            run.figures["generate"] = {**report, "wall_s": time.perf_counter() - started}


async def main_async() -> int:
    run = Run()
    if note := os.environ.get("BENCH_NOTE"):  # what the one who ran it knows of the machine
        run.notes.append(note)
    redis = ThrowawayRedis().start()
    url = with_database(os.environ["SAMSPEL_DATABASE_URL"], DATABASE)
    os.environ.update(SAMSPEL_DATABASE_URL=url, SAMSPEL_REDIS_URL=redis.url,
                      SAMSPEL_RATE_LIMIT_PER_MINUTE="1000000")  # fmt: skip
    os.environ.pop("SAMSPEL_WEB_PROCESSES", None)
    try:
        print(f"bench: loading the {SCALE} dataset into {database_name(url)}", flush=True)
        await _drop(run, url)
        _generate(run)
        g = run.figures["generate"]
        run.mark("after the load")
        # The load ends with a full recompute of every dashboard (refresh_everything), timed
        # by the generator alone: the bench takes that figure rather than pay for a second one.
        run.figures["recompute"] = {"municipalities": g["dashboards"][0],
                                    "regions": g["dashboards"][1], "seconds": g["recompute_s"]}  # fmt: skip
        print(f"bench: loaded in {g['wall_s']:.0f} s, of which the full recompute"
              f" {g['recompute_s']:.0f} s", flush=True)  # fmt: skip
        db = Database(load().app_database_url, max_size=4)
        await db.start()
        try:
            await _measure(run)
        except Exception as error:  # noqa: BLE001 - what was measured is written all the same
            run.notes.append(f"the bench stopped early: {error!r}")
        finally:
            await db.stop()
    finally:
        redis.close()
    run.figures["wall_s"] = run.elapsed()
    run.mark("end")
    write(run)
    return 0


async def _measure(run: Run) -> None:
    with (
        tempfile.TemporaryDirectory() as tmp,
        running_product(Path(tmp), load_demo=False) as product,
    ):
        cookies = {ARNE: log_in(product.base, ARNE), MARIT: log_in(product.base, MARIT)}
        print("bench: pages (Samspel, then its ceiling)", flush=True)
        measure_pages(run, product.base, cookies)
        print("bench: the region dashboard at 100 requests/s", flush=True)
        run.figures["fixed"] = await fixed_rate(
            f"{product.base}/r/{REGION}/dashboard", 100, 10, {"Cookie": cookies[MARIT]}
        )
        run.figures["rss_web_alone"] = rss_tree(product.pids[1])
        run.mark("after the pages")
    with (
        tempfile.TemporaryDirectory() as tmp,
        running_product(Path(tmp), workers=True, load_demo=False) as product,
    ):
        print("bench: from a commit to the region dashboard, 50 changes", flush=True)
        grong, arne = await change_latency(run)
        print("bench: the deadline rush (75 s)", flush=True)
        businesses = run.figures["generate"]["rows"]["organisation"] - len(ORGANISATIONS)
        suppliers = min(rush.SUPPLIERS, businesses)
        run.figures["rush"] = await rush.run(product.base, grong, arne, suppliers)
        run.mark("after the rush")
        names = ["idporten", "web", "worker", "scheduler"]
        run.figures["rss"] = [
            (name, rss_tree(pid)) for name, pid in zip(names, product.pids, strict=True)
        ]
    if not _web_processes_supported():
        run.notes.append(
            "SAMSPEL_WEB_PROCESSES is not in this commit: two web processes not measured"
        )
        return
    os.environ["SAMSPEL_WEB_PROCESSES"] = "2"
    try:
        with (
            tempfile.TemporaryDirectory() as tmp,
            running_product(Path(tmp), load_demo=False) as product,
        ):
            print("bench: two web processes", flush=True)
            cookies = {ARNE: log_in(product.base, ARNE), MARIT: log_in(product.base, MARIT)}
            two = {}
            for label, path, _query, _htmx, who, _ in PAGES:
                if label in TWO_PROCESSES:
                    headers = {"Cookie": cookies[who]} if who else {}
                    two[label] = wrk(product.base + path, headers)
                    settle(product.base)
            run.figures["two"] = two
            run.figures["rss_two"] = rss_tree(product.pids[1])
    finally:
        os.environ.pop("SAMSPEL_WEB_PROCESSES", None)


def write(run: Run) -> None:
    lines = report(run)
    (ROOT / "bench" / "results.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def report(run: Run) -> list[str]:
    f = run.figures
    g = f["generate"]
    out = [
        "# Benchmarks",
        "",
        f"Made by `make bench` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC in {f['wall_s'] / 60:.1f} minutes"
        " (set-up, load and measuring; `make setup` before it not counted).",
        "",
        f"- Machine: {machine()}; PostgreSQL {f.get('postgres')} and a throw-away redis-server on"
        " the same machine; client and server share the cores.",
        "- Load average (1, 5, 15 min) as each phase ended: "
        + "; ".join(f"{phase} {a:.1f}, {b:.1f}, {c:.1f}" for phase, (a, b, c) in run.load)
        + f" ({os.cpu_count()} cores). What else ran meanwhile slows Samspel and its ceiling"
        " alike: the two of each page are measured back to back, so their ratio holds.",
        f"- Data: `python -m services.cli generate --scale {SCALE} --seed {SEED}` into a database"
        f" of its own ({DATABASE}), loaded in {g['wall_s']:.0f} s (the full recompute at its end"
        f" included): "
        + ", ".join(f"{n} {t.replace('_', ' ')}" for t, n in g["rows"].items())
        + ".",
        f"- Pages: one uvicorn worker (`python -m web`), `{' '.join(WRK)} -H 'Cookie: …' URL`, each"
        " path on Samspel, then on the ceiling (tests/load/ceiling.py: a bare Litestar app under the"
        " same uvicorn settings answering that path with the bytes Samspel answered, from memory),"
        " back to back. SAMSPEL_RATE_LIMIT_PER_MINUTE is raised so the rush's 100 logins from one"
        " address are not refused.",
        "",
        "| page | bytes | Samspel req/s | p50 ms | p99 ms | ceiling req/s | p50 ms | p99 ms | ratio | target | |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for label, r in run.rows.items():
        s, c = r["samspel"], r["ceiling"]
        bad = f" ({s['errors']} non-2xx)" if s["errors"] else ""
        bad += f" ({s['timeouts']} timed out)" if s["timeouts"] else ""
        out.append(
            f"| `{r['url']}`{' (htmx)' if 'fragment' in label or 'poll' in label else ''}{bad} | {r['bytes']}"
            f" | {s['rps']:.0f} | {s['p50']:.1f} | {s['p99']:.1f} | {c['rps']:.0f} | {c['p50']:.1f}"
            f" | {c['p99']:.1f} | {r['ratio']:.1f} % | ≥ {r['target']} % | {r['verdict']} |"
        )
    # A phase the run did not reach shows as nan (its note says why).
    missing = defaultdict(lambda: float("nan"))
    fx = f.get("fixed", missing)
    ch = f.get("change", missing)
    rc = f["recompute"]
    ru = f.get("rush", missing)
    rush_ok = (ru["accepted_before"] == ru["answered_before"] and ru["accepted_after"] == 0
               and ru["lost"] == 0 and ru["unanswered_rows"] == 0 and ru["late_rows"] == 0)  # fmt: skip
    out += [
        "",
        "## Latency, freshness, recompute, rush",
        "",
        "| what | figure | target | |",
        "|---|---|---|---|",
        f"| `/r/{REGION}/dashboard` at a fixed {fx['offered']:.0f} requests/s for 10 s, open loop"
        f" (tests/load/openloop.py) | served {fx['served']:.0f}/s, p50 {fx['p50']:.1f} ms, p95"
        f" {fx['p95']:.1f} ms, p99 {fx['p99']:.1f} ms, {fx['failures']} failed | p95 ≤ 50 ms"
        f" | {verdict(fx['p95'], 50, at_most=True)} |",
        f"| a committed change (a new project in Grong, one a second) to its figure in Indre"
        f" Namdal's region_figure, which the region dashboard reads; worker and scheduler running |"
        f" p50 {ch['p50']:.0f} ms, p95 {ch['p95']:.0f} ms, max {ch['max']:.0f} ms over"
        f" {ch['changes']} changes, {ch['missed']} not shown within 60 s of the last | p95 ≤ 1 s |"
        f" {verdict(ch['p95'] if not ch['missed'] else float('inf'), 1000, at_most=True)} |",
        f"| full recompute of every dashboard (refresh_everything: {rc['municipalities']}"
        f" municipalities, then {rc['regions']} regions) | {rc['seconds']:.1f} s | ≤ 60 s |"
        f" {verdict(rc['seconds'], 60, at_most=True)} |",
        f"| deadline rush: {ru['suppliers']} businesses logged in, {ru['sent_before']} bids sent over"
        f" the last {rush.WINDOW_S:.0f} s before 6 tenders' deadline and {ru['sent_after']} in the"
        f" {rush.AFTER_S:.0f} s after, through the bid form | accepted {ru['accepted_before']} of"
        f" {ru['answered_before']} answered before the deadline, refused {ru['refused_after']} of"
        f" {ru['sent_after']} sent after it ({ru['accepted_after']} accepted), {ru['straddling']}"
        f" sent before and answered after ({ru['straddling_accepted']} accepted, by the database's"
        f" clock), lost {ru['lost']}, rows without an answer {ru['unanswered_rows']}, rows received"
        f" at or after the deadline {ru['late_rows']}; p50 {ru['p50']:.0f} ms, p99 {ru['p99']:.0f}"
        f" ms (answers {ru['statuses']}) | p99 ≤ 200 ms, none lost |"
        f" {'met' if rush_ok and ru['p99'] <= 200 else 'not met'} |",
        "",
        "## Memory after the run (resident, MiB)",
        "",
        "| process | pid | MiB |",
        "|---|---:|---:|",
    ]
    for name, tree in f.get("rss", []):
        for pid, command, mib in tree:
            out.append(f"| {name}: `{_short(command)}` | {pid} | {mib:.0f} |")
    for pid, command, mib in f.get("rss_web_alone", []):
        out.append(
            f"| web after the page runs (no workers): `{_short(command)}` | {pid} | {mib:.0f} |"
        )
    out += ["", "## Two web processes (SAMSPEL_WEB_PROCESSES=2)", ""]
    if "two" in f:
        out += [
            "| page | one process req/s | two processes req/s | p99 ms |",
            "|---|---:|---:|---:|",
        ]
        for label, r in f["two"].items():
            one = run.rows.get(label, {}).get("samspel", {}).get("rps", float("nan"))
            out.append(f"| `{label}` | {one:.0f} | {r['rps']:.0f} | {r['p99']:.1f} |")
        out.append("")
        out.append(
            "Web processes: " + ", ".join(f"{p} {m:.0f} MiB" for p, _, m in f["rss_two"]) + "."
        )
    out += [""] + [f"- {note}" for note in run.notes]
    return out


def main() -> int:
    return asyncio.run(main_async())


if __name__ == "__main__":
    sys.exit(main())
