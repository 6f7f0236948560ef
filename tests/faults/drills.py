"""`make faults`: break the running product on purpose, the way an operator's bad day would, and report.

The product runs as `make run` runs it (infra.launcher over the Procfile, the demo loaded),
on free loopback ports, against a throw-away PostgreSQL cluster (Debian's initdb and pg_ctl in
a temporary folder, so a restart touches nothing else; without them a database of its own on
the configured server, behind a proxy that can be cut) and a throw-away Redis that the drills
may kill. A light load (two clients, ~40 requests/s on /health/live) runs throughout; every
drill is bounded in time. The drills make their changes through the use-cases, as the demo's
persons, and read the outcome as the database's superuser. The results go to bench/faults.md.
"""

from __future__ import annotations

import asyncio
import email
import html
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
import redis as redis_client

from infra.db import Database
from infra.settings import Settings, database_name, load, with_database
from services.access import service as access
from services.dashboards import service as dashboards
from services.dashboards.rules import region_figures
from services.demo.tenders import MERAAKER_TITLE
from services.notifications.service import mail_key
from services.parts import load_tables
from services.projects import service as projects
from services.projects.schemas import NewProject
from tenants.context import Scope, connection, tenant_tx
from tenants.identity import pid_hash
from tests.outages import CuttableProxy, ThrowawayPostgres, ThrowawayRedis, free_port
from tests.web.auth.idp import hidden_fields

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "bench" / "faults.md"
SECRET = os.environ.get("SAMSPEL_SECRET_KEY", "test-secret-test-secret-test-secret-0000")
BASE_DATABASE_URL = os.environ.get(
    "SAMSPEL_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/samspel_test"
)
DATABASE_URL = with_database(
    BASE_DATABASE_URL, f"{database_name(BASE_DATABASE_URL)}_faults{os.getpid()}"
)
# Demo persons (services/demo/data.py) by pid, and who of them may start projects where.
ARNE, INGRID, KJERSTI, METTE = "12076512345", "05817397463", "25068289012", "19047867890"
CREATORS = {ARNE: ("5045",), INGRID: ("5034",), KJERSTI: ("5035", "5036")}
FOSSLI = "931782258"  # Mette Fossli's business, which has not bid on Meråker's tender


@dataclass
class Result:
    name: str
    how: str
    checks: list[tuple[str, bool]] = field(default_factory=list)

    def check(self, what: str, ok: bool) -> None:
        self.checks.append((what, ok))
        print(f"  [{'pass' if ok else 'FAIL'}] {what}", flush=True)

    @property
    def passed(self) -> bool:
        return bool(self.checks) and all(ok for _, ok in self.checks)


class Load:
    """Two clients asking /health/live in a loop; counts what was not answered 200."""

    def __init__(self, base: str) -> None:
        self.url = f"{base}/health/live"
        self.sent = self.failed = 0
        self.running = False
        self.threads: list[threading.Thread] = []

    def __enter__(self) -> Load:
        self.running = True
        self.threads = [threading.Thread(target=self._ask, daemon=True) for _ in range(2)]
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.running = False
        for thread in self.threads:
            thread.join()

    def _ask(self) -> None:
        with httpx.Client(timeout=2) as client:
            while self.running:
                self.sent += 1
                try:
                    if client.get(self.url).status_code != 200:
                        self.failed += 1
                except httpx.HTTPError:
                    self.failed += 1
                time.sleep(0.05)


class PostgresPath:
    """A cuttable proxy in front of the configured PostgreSQL: a restart, as the product sees one."""

    def __init__(self, url: str) -> None:
        target = urlsplit(url)
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        self.proxy = CuttableProxy(target.hostname or "127.0.0.1", target.port or 5432)
        self.mend()
        credentials = target.netloc.rsplit("@", 1)[0] + "@" if "@" in target.netloc else ""
        self.url = urlunsplit(target._replace(netloc=f"{credentials}127.0.0.1:{self.proxy.port}"))

    def cut(self) -> None:
        asyncio.run_coroutine_threadsafe(self.proxy.cut(), self.loop).result(10)

    def mend(self) -> None:
        asyncio.run_coroutine_threadsafe(self.proxy.mend(), self.loop).result(10)


class Product:
    """The launcher with the Procfile's processes; its whole output in one log file."""

    def __init__(self, folder: Path, redis_url: str, database_url: str) -> None:
        self.web_port = free_port()
        self.base = f"http://127.0.0.1:{self.web_port}"
        self.log = folder / "launcher.log"
        self.env = {
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            "SAMSPEL_DATABASE_URL": database_url,
            "SAMSPEL_REDIS_URL": redis_url,
            "SAMSPEL_SECRET_KEY": SECRET,
            "SAMSPEL_PORT": str(self.web_port),
            "SAMSPEL_IDP_PORT": str(free_port()),
            "SAMSPEL_MAILBOX_PORT": str(free_port()),
            "SAMSPEL_MAILBOX_SMTP_PORT": (smtp := str(free_port())),
            "SAMSPEL_SMTP_URL": f"smtp://127.0.0.1:{smtp}",
            "SAMSPEL_MAILBOX_DIR": str(folder / "mail"),
            "SAMSPEL_IDP_PERSONS_FILE": str(folder / "persons.json"),
            "SAMSPEL_WORKER_PROCESSES": "2",
            "SAMSPEL_WORKER_THREADS": "2",
        }
        for name in ("SAMSPEL_BASE_URL", "SAMSPEL_IDP_ISSUER", "SAMSPEL_APP_DATABASE_URL"):
            self.env.pop(name, None)
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "infra.launcher",
                "--prepare",
                "python -m services.cli migrate",
                "--prepare",
                "python -m services.cli demo",
            ],  # fmt: skip
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
        )
        self.wait_until(lambda: self.ready() and self.count("ready for action") >= 2, 120)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def count(self, phrase: str) -> int:
        return self.text().count(phrase)

    def ready(self) -> bool:
        try:
            return httpx.get(f"{self.base}/health/ready", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def wait_until(self, condition, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"the launcher stopped:\n{self.text()[-4000:]}")
            if condition():
                return True
            time.sleep(0.2)
        return False

    def pid_of(self, name: str) -> int:
        return int(re.findall(rf"started {name}: .* \(pid (\d+)\)", self.text())[-1])


class Backstage:
    """The drills' own hands on the product's database: use-cases as the demo's persons (the
    application role, row-level security on), and plain reads as the superuser."""

    def __init__(self, product: Product) -> None:
        self.settings: Settings = load(product.env)
        self.admin_url = product.env["SAMSPEL_DATABASE_URL"]
        self.redis_url = product.env["SAMSPEL_REDIS_URL"]

    def run(self, work, *args):
        async def with_pool():
            load_tables()
            database = Database(self.settings.app_database_url, min_size=1, max_size=2)
            await database.start()
            try:
                return await work(*args)
            finally:
                await database.stop()

        return asyncio.run(with_pool())

    def sql(self, query: str, *args) -> list:
        async def ask():
            admin = await asyncpg.connect(self.admin_url)
            try:
                return await admin.fetch(query, *args)
            finally:
                await admin.close()

        return asyncio.run(ask())

    def value(self, query: str, *args):
        rows = self.sql(query, *args)
        return rows[0][0] if rows else None

    def person(self, pid: str) -> int:
        return self.value(
            "select id from person where pid_hash = $1",
            pid_hash(self.settings.derived_key("pid"), pid),
        )

    def creators(self) -> list[tuple[int, int]]:
        """(municipality id, person id) for each demo person who may start projects there."""
        ids = {
            r["kommunenummer"]: r["id"]
            for r in self.sql("select id, kommunenummer from municipality")
        }
        return [(ids[k], self.person(pid)) for pid, places in CREATORS.items() for k in places]

    def last_event(self) -> int:
        return self.value("select coalesce(max(id), 0) from outbox_event")

    def undelivered(self, after: int = 0) -> int:
        return self.value(
            "select count(*) from outbox_event where delivered_at is null and id > $1", after
        )


async def start_projects(pairs: list[tuple[int, int]], tag: str, each: int = 1) -> int:
    """Start `each` project in every (municipality, person): one transaction and one event each."""
    started = 0
    for _ in range(each):
        for municipality_id, person_id in pairs:
            async with tenant_tx(Scope(tenant_id=municipality_id, person_id=person_id)):
                await projects.create_project(
                    NewProject(
                        title=f"Øving {tag} {started + 1}",
                        phase="forstudie",
                        budget=Decimal("100000"),
                        decided_on=date.today(),
                        owner_person_id=person_id,
                    ),
                    actor_person_id=person_id,
                )
            started += 1
    return started


async def send_invitations(
    settings: Settings, municipality_id: int, person_id: int, emails: list[str]
) -> None:
    """Invite each address into the municipality: one mail each, once the transaction commits."""
    mail = access.InvitationMail(
        link_prefix=f"{settings.base_url}/invitations/", key=mail_key(settings),
        inviter="Fault drill", language="nn",
    )  # fmt: skip
    for address in emails:
        async with tenant_tx(Scope(tenant_id=municipality_id, person_id=person_id)):
            await access.invite(
                scope="municipality", role="case_officer", email=address, invited_by=person_id,
                municipality_id=municipality_id, mail=mail,
            )  # fmt: skip


async def figures_unlike_a_recompute() -> tuple[list[str], int, int]:
    """Which municipalities' and regions' stored figures differ from computing them afresh now
    (read only: nothing is stored), and how many of each were compared."""
    async with tenant_tx(Scope()):
        municipalities = [r["id"] for r in await connection().fetch("select id from municipality")]
        regions = [r["id"] for r in await connection().fetch("select id from region")]
    differ: list[str] = []
    fresh = {}
    for municipality_id in municipalities:
        async with tenant_tx(municipality_id):
            stored = sorted((await dashboards.figures_for_municipality()).figures)
            fresh[municipality_id] = await dashboards.compute_municipality(
                on=await dashboards.today()
            )
        if stored != fresh[municipality_id]:
            differ.append(f"municipality {municipality_id}")
    for region_id in regions:
        async with tenant_tx(Scope(region_id=region_id)):
            stored_region = await dashboards.figures_for_region()
        expected: dict[int, list] = {}
        members = {m.id: fresh[m.id] for m in stored_region.members}
        for row in region_figures(members, dashboards.slices()):
            expected.setdefault(row.municipality_id, []).append(row.figure)
        stored_sorted = {k: sorted(v) for k, v in stored_region.figures.items()}
        if stored_sorted != {k: sorted(v) for k, v in expected.items()}:
            differ.append(f"region {region_id}")
    return differ, len(municipalities), len(regions)


def queued(redis_url: str) -> tuple[int, int]:
    """Messages in Redis not yet done (queued, delayed or held by a worker), and dead-lettered."""
    client = redis_client.Redis.from_url(redis_url, socket_connect_timeout=2)
    try:
        waiting = dead = 0
        for key in client.scan_iter("dramatiq:*.msgs"):
            if key.endswith(b".XQ.msgs"):
                dead += client.hlen(key)
            else:
                waiting += client.hlen(key)
        return waiting, dead
    finally:
        client.close()


def stranded(redis_url: str, silent_s: float = 3) -> int:
    """Messages held (taken, not acknowledged) by worker processes that stopped heartbeating."""
    client = redis_client.Redis.from_url(redis_url, socket_connect_timeout=2)
    try:
        beats = dict(client.zrange("dramatiq:__heartbeats__", 0, -1, withscores=True))
        now_ms = time.time() * 1000
        held = 0
        for key in client.scan_iter("dramatiq:__acks__.*"):
            worker = key.split(b":__acks__.", 1)[1].split(b".", 1)[0]
            if now_ms - beats.get(worker, 0) > silent_s * 1000:
                held += client.scard(key)
        return held
    finally:
        client.close()


def drained(backstage: Backstage, redis_url: str) -> bool:
    try:
        undelivered, waiting = backstage.undelivered(), queued(redis_url)[0]
        if os.environ.get("FAULTS_VERBOSE"):
            print(f"    {datetime.now():%H:%M:%S} undelivered {undelivered}, in Redis {waiting}")
        return undelivered == 0 and waiting == 0
    except (OSError, redis_client.RedisError, asyncpg.PostgresError):
        return False


def rollup_holder(backstage: Backstage, processes: list[int]) -> tuple[int, str] | None:
    """A worker process inside a dashboard rollup now (holding a rollup's lock), and the
    statement its connection ran last; None when no rollup runs."""
    rows = backstage.sql(
        "select a.client_port, a.query from pg_locks l join pg_stat_activity a on a.pid = l.pid"
        " where l.locktype = 'advisory' and l.granted and a.datname = current_database()"
        " and a.usename = 'samspel_app' and a.xact_start is not null"
    )
    for row in rows:
        owner = socket_owner(row["client_port"], processes)
        if owner is not None:
            return owner, " ".join(row["query"].split())[:90]
    return None


def socket_owner(port: int, processes: list[int]) -> int | None:
    """Which of these processes has a loopback TCP socket on this local port."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port:
            inodes.add(f"socket:[{fields[9]}]")
    for pid in processes:
        try:
            if any(os.readlink(fd) in inodes for fd in Path(f"/proc/{pid}/fd").iterdir()):
                return pid
        except OSError:
            continue
    return None


class Changes:
    """Projects started through the use-case in a loop, in every demo municipality, until stopped."""

    def __init__(self, backstage: Backstage, tag: str) -> None:
        self.backstage, self.tag = backstage, tag
        # A round of projects (one per municipality) every quarter second: enough to keep
        # rollups running, little enough that the backlog drains in seconds.
        self.pause = 0.25
        self.pairs = backstage.creators()
        self.started = 0
        self.error: Exception | None = None
        self.running = False
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Changes:
        self.running = True
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.running = False
        self.thread.join()

    def _run(self) -> None:
        async def loop():
            while self.running:
                self.started += await start_projects(self.pairs, f"{self.tag} {self.started}")
                await asyncio.sleep(self.pause)

        try:
            self.backstage.run(loop)
        except Exception as error:  # reported as a failed check, not a crashed drill
            self.error = error


def children_of(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def drill_kill_a_worker(product: Product) -> Result:
    result = Result(
        "kill -9 of a worker process",
        "`kill -9` one of `python -m workers`' worker processes while two clients ask /health/live",
    )
    web, worker = product.pid_of("web"), product.pid_of("worker")
    victims = children_of(worker)
    ready_before = product.count("ready for action")
    with Load(product.base) as load:
        time.sleep(2)
        os.kill(victims[0], signal.SIGKILL)
        restarted = product.wait_until(lambda: product.pid_of("worker") != worker, 30)
        back = product.wait_until(lambda: product.count("ready for action") >= ready_before + 2, 60)
        time.sleep(2)
    result.check(f"the launcher said so: {_line(product, 'worker exited with')}", restarted)
    result.check("the worker's processes are back and ready for action", back)
    result.check(
        f"web answered every request meanwhile ({load.sent - load.failed}/{load.sent})",
        load.sent > 0 and load.failed == 0,
    )
    result.check("web, scheduler and idporten were not restarted", _untouched(product, web))
    return result


def drill_kill_a_worker_mid_rollup(
    product: Product, backstage: Backstage, redis: ThrowawayRedis
) -> Result:
    result = Result(
        "kill -9 of a worker mid-rollup",
        "projects started through the use-case in every demo municipality in a loop (each one an"
        " event that recomputes its dashboard and its regions'); `kill -9` the worker process"
        " whose connection holds a rollup's lock; the changes go on for a second, then stop; wait"
        " for the queues to drain; compare every stored figure with a recompute done afterwards",
    )
    web, worker = product.pid_of("web"), product.pid_of("worker")
    processes = children_of(worker)
    ready_before = product.count("ready for action")
    held = None
    with Load(product.base) as load:
        with Changes(backstage, "rollup") as changes:
            time.sleep(3)  # a backlog of rollups builds up
            deadline = time.monotonic() + 30
            while held is None and time.monotonic() < deadline:
                held = rollup_holder(backstage, processes)
            if held is not None:
                os.kill(held[0], signal.SIGKILL)
            killed_at = time.monotonic()
            time.sleep(1)  # changes keep coming while the worker is down; then they stop
        made = changes.started
        restarted = product.wait_until(lambda: product.pid_of("worker") != worker, 30)
        back = product.wait_until(lambda: product.count("ready for action") >= ready_before + 2, 60)
        left = stranded(redis.url)
        is_drained = product.wait_until(lambda: drained(backstage, redis.url), 90)
        took = time.monotonic() - killed_at
    result.check(
        f"a rollup was running in the killed process (pid {held[0]}), its connection's last"
        f" statement: `{held[1]}`"
        if held
        else "a rollup was running in a worker process",
        held is not None,
    )
    result.check(
        f"{made} projects were started meanwhile through the use-case"
        + (f" (error: {changes.error!r})" if changes.error else ""),
        made > 0 and changes.error is None,
    )
    result.check(
        f"the launcher restarted the worker: {_line(product, 'worker exited with')}",
        restarted and back,
    )
    result.check(
        f"the queues drained {took:.0f} s after the kill: every event relayed, no message left"
        f" in Redis, the {left} the killed process had taken and never acknowledged included"
        " (queued again after the broker's heartbeat timeout, 15 s)",
        is_drained,
    )
    dead = queued(redis.url)[1]
    result.check(f"no message was dead-lettered ({dead})", dead == 0)
    differ, municipalities, regions = backstage.run(figures_unlike_a_recompute)
    result.check(
        f"the stored figures of all {municipalities} municipalities and {regions} regions equal a"
        f" full recompute done afterwards{f' (differ: {differ})' if differ else ''}",
        is_drained and not differ,
    )
    result.check(
        f"web answered every request meanwhile ({load.sent - load.failed}/{load.sent})",
        load.sent > 0 and load.failed == 0,
    )
    result.check("web, scheduler and idporten were not restarted", _untouched(product, web))
    return result


def drill_same_bid_twice(product: Product, backstage: Backstage) -> Result:
    result = Result(
        "the same bid sent twice",
        "Mette Fossli logs in through the dev ID-porten, opens the bid form of Meråker's"
        " published tender and posts it twice at once (one form, one idempotency key: a double"
        " click), on two connections",
    )
    tender_id = backstage.value("select id from tender where title = $1", MERAAKER_TITLE)
    organisation_id = backstage.value(
        "select id from organisation where organisasjonsnummer = $1", FOSSLI
    )
    with httpx.Client(base_url=product.base, timeout=20) as browser:
        _log_in(browser, METTE)
        landing = browser.get(f"/tenders/{tender_id}/bid")
        page = browser.get(landing.headers.get("location", f"/o/{FOSSLI}/tenders/{tender_id}"))
        form = re.search(r'<form[^>]*action="([^"]*/bids)"[^>]*>(.*?)</form>', page.text, re.S)
        assert form, f"no bid form on the page ({page.status_code})"
        fields = {
            **hidden_fields(form[2]),
            "price": "375 000",
            **{
                html.unescape(n): "Svar frå øvinga."
                for n in re.findall(r'name="(answer:[^"]+)"', form[2])
            },
        }
        document = {"documents": ("tilbod.txt", b"Tilbod fra faults-ovinga", "text/plain")}
        together = threading.Barrier(2)
        answers: list[httpx.Response | Exception] = []

        def click() -> None:
            with httpx.Client(base_url=product.base, cookies=browser.cookies, timeout=20) as twin:
                together.wait()
                try:
                    answers.append(twin.post(html.unescape(form[1]), data=fields, files=document))
                except httpx.HTTPError as error:
                    answers.append(error)

        clicks = [threading.Thread(target=click) for _ in range(2)]
        for thread in clicks:
            thread.start()
        for thread in clicks:
            thread.join()
    statuses = [a.status_code if isinstance(a, httpx.Response) else repr(a) for a in answers]
    receipts = {a.headers.get("location") for a in answers if isinstance(a, httpx.Response)}
    bids = backstage.value(
        "select count(*) from bid where tender_id = $1 and organisation_id = $2",
        tender_id,
        organisation_id,
    )
    result.check(
        f"both posts were answered with the receipt (statuses {statuses})", statuses == [303, 303]
    )
    result.check(
        f"both answers point to the same receipt ({', '.join(sorted(map(str, receipts)))})",
        len(receipts) == 1 and None not in receipts,
    )
    result.check(f"the database holds one bid from the business for the tender ({bids})", bids == 1)
    return result


def _log_in(browser: httpx.Client, pid: str) -> None:
    """The way a browser logs in: through the dev ID-porten's login page."""
    authorize = browser.get("/auth/login").headers["location"]
    page = browser.get(authorize)
    chosen = browser.post(authorize.split("?")[0], data={**hidden_fields(page.text), "pid": pid})
    browser.get(chosen.headers["location"])


def drill_redis_down_across_a_minute(
    product: Product, backstage: Backstage, redis: ThrowawayRedis
) -> Result:
    seconds = int(os.environ.get("FAULTS_REDIS_DOWN_S", "30"))
    result = Result(
        f"Redis down for {seconds} s across a minute boundary",
        "`kill -9` redis-server between :40 and :50 of a minute; meanwhile start a project in"
        " every demo municipality and send three invitations (each a mail) through the"
        f" use-cases; start Redis again on its port, empty, {seconds} s later; wait for the"
        " queues to drain",
    )
    pairs = backstage.creators()
    grong, arne = pairs[0]
    emails = [f"drill-{os.getpid()}-{n}@faults.example" for n in range(3)]
    web, scheduler = product.pid_of("web"), product.pid_of("scheduler")
    exits_before = product.count(" exited with ")
    # Stop in the minute's last seconds, so the next minute's tick falls in the outage.
    while not 40 <= datetime.now().second <= 50:
        time.sleep(0.5)
    refused_before = product.count("could not send")
    with Load(product.base) as load:
        redis.stop()
        down_at = time.monotonic()
        not_ready = product.wait_until(lambda: not product.ready(), 10)
        before = backstage.last_event()
        started = backstage.run(start_projects, pairs, "redis")
        backstage.run(send_invitations, backstage.settings, grong, arne, emails)
        written = backstage.last_event() - before
        held_back = backstage.undelivered(before)
        time.sleep(max(0.0, seconds - (time.monotonic() - down_at)))
        redis.start()
        ready_again = product.wait_until(product.ready, 10)
        up_at = datetime.now()
    result.check(
        f"a tick fell in the outage and was retried: {_line(product, 'could not send')}",
        product.count("could not send") > refused_before,
    )
    result.check("/health/ready said 503 while Redis was down", not_ready)
    result.check("/health/ready was 200 again within 10 s of Redis coming back", ready_again)
    result.check(
        f"/health/live answered meanwhile ({load.sent - load.failed}/{load.sent})",
        load.sent > 0 and load.failed == 0,
    )
    next_minute = up_at.replace(second=0, microsecond=0).timestamp() + 60
    # The scheduler logs Norwegian time; the minute is the same in every zone that matters here.
    stamp = datetime.fromtimestamp(next_minute).strftime(":%M:00")
    sent = product.wait_until(
        lambda: re.search(rf"Scheduling Actor\(relay_outbox\) at \S+ \d\d{stamp}", product.text()),
        next_minute - time.time() + 25,
    )
    result.check(f"the scheduler sent the next tick (hh{stamp}) after the outage", bool(sent))
    result.check(
        "no process exited (scheduler and workers rode it out)",
        product.count(" exited with ") == exits_before
        and product.pid_of("scheduler") == scheduler
        and product.pid_of("web") == web,
    )
    result.check(
        f"the use-cases worked while Redis was down: {started} projects started and"
        f" {len(emails)} invitations sent wrote {written} outbox events, {held_back} of them"
        " held back until Redis returned",
        written == started + len(emails) and held_back == written,
    )
    is_drained = product.wait_until(lambda: drained(backstage, redis.url), 90)
    relayed = written - backstage.undelivered(before)
    result.check(
        f"every one of them was relayed afterwards ({relayed}/{written}), and the queues drained",
        is_drained and relayed == written,
    )
    product.wait_until(lambda: all(mails_to(product, e) >= 1 for e in emails), 20)
    time.sleep(2)  # a second copy would come now
    counts = {email: mails_to(product, email) for email in emails}
    result.check(
        f"each invitation's mail reached the mailbox once ({sorted(counts.values())})",
        all(n == 1 for n in counts.values()),
    )
    differ, municipalities, regions = backstage.run(figures_unlike_a_recompute)
    result.check(
        f"the dashboards count every project started in the outage: the figures of all"
        f" {municipalities} municipalities and {regions} regions equal a recompute"
        f"{f' (differ: {differ})' if differ else ''}",
        not differ,
    )
    return result


def mails_to(product: Product, address: str) -> int:
    box = Path(product.env["SAMSPEL_MAILBOX_DIR"])
    return sum(
        address in message.get("To", "")
        for message in (email.message_from_bytes(path.read_bytes()) for path in box.glob("*.eml"))
    )


def drill_login_on_other_ports(product: Product) -> Result:
    result = Result(
        "make run on other ports",
        f"SAMSPEL_PORT={product.web_port} and no SAMSPEL_IDP_* URIs set: follow /auth/login to the"
        " dev ID-porten",
    )
    with httpx.Client(timeout=5, follow_redirects=False) as client:
        login = client.get(f"{product.base}/auth/login")
        location = login.headers.get("location", "")
        page = client.get(location) if location.startswith("http") else None
    result.check(
        f"/auth/login sent the browser to the dev ID-porten ({login.status_code})",
        login.status_code in (302, 303, 307) and "redirect_uri=" in location,
    )
    result.check(
        f"the dev ID-porten showed its login page ({page.status_code if page else 'no answer'}),"
        " not 'Redirect URI … is not supported by client'",
        page is not None and page.status_code == 200 and "not supported" not in page.text,
    )
    return result


def drill_postgres_restarted(product: Product, database: PostgresPath) -> Result:
    seconds = int(os.environ.get("FAULTS_POSTGRES_DOWN_S", "10"))
    result = Result(
        f"PostgreSQL away for {seconds} s",
        "every connection to PostgreSQL dropped and new ones refused (a proxy in front of it is"
        f" cut), then let through again {seconds} s later",
    )
    web = product.pid_of("web")
    exits_before = product.count(" exited with ")
    with Load(product.base) as load:
        database.cut()
        down_at = time.monotonic()
        not_ready = product.wait_until(lambda: not product.ready(), 10)
        time.sleep(max(0.0, seconds - (time.monotonic() - down_at)))
        database.mend()
        back_at = time.monotonic()
        ready_again = product.wait_until(product.ready, 10)
        took = time.monotonic() - back_at
    result.check("/health/ready said 503 while PostgreSQL was away", not_ready)
    result.check(
        f"/health/ready was 200 again {took:.1f} s after PostgreSQL was back (limit 10 s),"
        " nothing restarted",
        ready_again and product.pid_of("web") == web,
    )
    result.check(
        f"/health/live answered meanwhile ({load.sent - load.failed}/{load.sent})",
        load.sent > 0 and load.failed == 0,
    )
    result.check(
        "no process exited (the outbox listener reconnected by itself)",
        product.count(" exited with ") == exits_before
        and product.wait_until(lambda: "reconnecting in" in product.text(), 5),
    )
    return result


def drill_postgres_really_restarted(
    product: Product, backstage: Backstage, postgres: ThrowawayPostgres
) -> Result:
    seconds = int(os.environ.get("FAULTS_POSTGRES_DOWN_S", "5"))
    result = Result(
        "PostgreSQL restarted",
        f"`pg_ctl stop -m fast` on the product's own PostgreSQL cluster, `pg_ctl start` {seconds} s"
        " later; then a project started through the use-case must reach the dashboards",
    )
    web = product.pid_of("web")
    exits_before = product.count(" exited with ")
    reconnects_before = product.count("reconnecting in")
    with Load(product.base) as load:
        postgres.stop("fast")
        down_at = time.monotonic()
        not_ready = product.wait_until(lambda: not product.ready(), 10)
        time.sleep(max(0.0, seconds - (time.monotonic() - down_at)))
        postgres.start()
        back_at = time.monotonic()
        ready_again = product.wait_until(product.ready, 10)
        took = time.monotonic() - back_at
    result.check("/health/ready said 503 while PostgreSQL was down", not_ready)
    result.check(
        f"/health/ready was 200 again {took:.1f} s after PostgreSQL was back (limit 10 s),"
        " without restarting Samspel",
        ready_again and took <= 10 and product.pid_of("web") == web,
    )
    result.check(
        f"/health/live answered meanwhile ({load.sent - load.failed}/{load.sent})",
        load.sent > 0 and load.failed == 0,
    )
    result.check(
        f"no process exited; the outbox listener reconnected by itself: {_line(product, 'reconnecting in')}",
        product.count(" exited with ") == exits_before
        and product.wait_until(lambda: product.count("reconnecting in") > reconnects_before, 5),
    )
    before = backstage.last_event()
    made_at = time.monotonic()
    backstage.run(start_projects, backstage.creators()[:1], "postgres")
    relayed = product.wait_until(lambda: drained(backstage, backstage.redis_url), 60)
    result.check(
        f"a change made after the restart was relayed and handled"
        f" {time.monotonic() - made_at:.1f} s later (the workers' pools reconnected)",
        relayed and backstage.undelivered(before) == 0,
    )
    differ, municipalities, regions = backstage.run(figures_unlike_a_recompute)
    result.check(
        f"the figures of all {municipalities} municipalities and {regions} regions equal a"
        f" recompute{f' (differ: {differ})' if differ else ''}",
        not differ,
    )
    return result


def _line(product: Product, phrase: str) -> str:
    lines = [line for line in product.text().splitlines() if phrase in line]
    return f"`{lines[-1].strip()}`" if lines else "(no such line)"


def _untouched(product: Product, web: int) -> bool:
    text = product.text()
    return product.pid_of("web") == web and not any(
        f"{name} exited" in text for name in ("web", "scheduler", "idporten", "mailcatcher")
    )


async def _drop_database() -> None:
    admin = await asyncpg.connect(with_database(BASE_DATABASE_URL, "postgres"))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{database_name(DATABASE_URL)}" WITH (FORCE)')
    finally:
        await admin.close()


def report(results: list[Result], started: datetime, seconds: float, real_postgres: bool) -> str:
    where = (
        "a throw-away PostgreSQL cluster of its own (Debian's `initdb`/`pg_ctl` in a temporary"
        " folder, on a free loopback port)"
        if real_postgres
        else "a database of its own on the configured PostgreSQL, behind a cuttable proxy"
    )
    lines = [
        "# Fault drills",
        "",
        f"`make faults` on {started:%Y-%m-%d %H:%M} UTC, {seconds:.0f} s in all. The product ran"
        " under `python -m infra.launcher` (what `make run` runs: web, worker with 2 processes of"
        " 2 threads, scheduler, dev ID-porten, mailbox) with the demo loaded, on free loopback"
        f" ports, against {where} and a throw-away `redis-server`; two clients asked"
        " `/health/live` every 50 ms throughout each drill. The drills make their changes"
        " through the use-cases as the demo's persons, and read the outcome as the database's"
        " superuser.",
        "",
        "Command: `make faults`, which runs `SAMSPEL_DATABASE_URL=postgresql://postgres@127.0.0.1:"
        "5432/samspel_test .venv/bin/python -m tests.faults.drills`. When Debian's PostgreSQL"
        " binaries are there (`/usr/lib/postgresql/*/bin`) the drills run their own cluster and"
        " restart it for real; otherwise they use the server named there (a database"
        f" `{database_name(DATABASE_URL).rsplit('_faults', 1)[0]}_faults<pid>`, dropped at the"
        " end) and cut a proxy in front of it instead of restarting. `FAULTS_REDIS_DOWN_S` and"
        " `FAULTS_POSTGRES_DOWN_S` change the outages' lengths.",
        "",
        "| drill | what was done | result |",
        "|---|---|---|",
    ]
    for result in results:
        lines.append(
            f"| {result.name} | {result.how} | {'pass' if result.passed else '**FAIL**'} |"
        )
    for result in results:
        lines += ["", f"## {result.name}", ""]
        lines += [f"- {'pass' if ok else '**FAIL**'}: {what}" for what, ok in result.checks]
    lines += [
        "",
        "## Found by these drills, and fixed",
        "",
        "- A worker process killed with `-9` left the messages it had taken (the running job and"
        " its prefetched ones) in Redis for minutes: Dramatiq gives them back only when the"
        " process's heartbeat is 60 s old and a command on their queue happens to run its"
        " maintenance (1 in 1,000). `workers/broker.py` now uses 15 s and 1 in 10;"
        " tests/workers/test_worker_outages.py checks a dead process's message comes back"
        " within 30 s.",
        "- `python -m services.cli demo` (what `make run` prepares with) failed with"
        " `No module named 'piccolo_conf'`: its pool started before the programme tables were"
        " imported. services/cli.py now loads every part's tables first.",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    started, clock = datetime.now(UTC), time.monotonic()
    redis = ThrowawayRedis().start()
    postgres = ThrowawayPostgres.available()
    if postgres is not None:
        database_url = with_database(postgres.create().url, "samspel_faults")
        path = None
    else:
        path = PostgresPath(DATABASE_URL)
        database_url = path.url
    folder = Path(tempfile.mkdtemp(prefix="samspel-faults-"))
    product = Product(folder, redis.url, database_url)
    backstage = Backstage(product)
    restart = (
        (drill_postgres_really_restarted, (backstage, postgres))
        if postgres is not None
        else (drill_postgres_restarted, (path,))
    )
    results: list[Result] = []
    drills = [
        (drill_login_on_other_ports, ()),
        (drill_same_bid_twice, (backstage,)),
        (drill_kill_a_worker, ()),
        (drill_kill_a_worker_mid_rollup, (backstage, redis)),
        (drill_redis_down_across_a_minute, (backstage, redis)),
        restart,
    ]
    only = os.environ.get("FAULTS_ONLY", "")
    try:
        print(f"starting the product (log: {product.log})", flush=True)
        product.start()
        for drill, extra in drills:
            if only and drill.__name__ not in only.split(","):
                continue
            print(f"drill: {drill.__name__}", flush=True)
            try:
                results.append(drill(product, *extra))
            except Exception as error:  # one broken drill is reported, the others still run
                failed = Result(drill.__name__, "(the drill itself broke)")
                failed.check(f"{type(error).__name__}: {error}", False)
                results.append(failed)
    finally:
        product.stop()
        redis.close()
        if postgres is not None:
            postgres.close()
        else:
            asyncio.run(_drop_database())
    if not only:
        REPORT.write_text(report(results, started, time.monotonic() - clock, postgres is not None))
        print(f"wrote {REPORT.relative_to(ROOT)}", flush=True)
    return 0 if results and all(r.passed for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
