"""Real processes for browser tests: the web app and the dev ID-porten, each on a free port."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, process: subprocess.Popen, log: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited early:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer:\n{log.read_text()}")


def _run(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(f"{args} failed:\n{done.stderr}")


class Product(NamedTuple):
    base: str
    issuer: str
    pids: list[int]


def _wait_for_line(text: str, process: subprocess.Popen, log: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{log.stem} exited early:\n{log.read_text()}")
        if text in log.read_text(errors="replace"):
            return
        time.sleep(0.2)
    raise RuntimeError(f"{log.stem} never said {text!r}:\n{log.read_text()}")


# With workers=True the worker and the scheduler run too (dashboards, the outbox relay), on a
# Redis database of their own, so no other run's jobs reach them; off by default, as it is slower.
WORKERS = (
    ("worker", ["-m", "workers"], "Worker process is ready for action"),
    ("scheduler", ["-m", "workers.scheduler"], "relay_outbox"),
)


@contextmanager
def running_product(tmp: Path, *, workers: bool = False, load_demo: bool = True):
    """Migrate, load the demo, start dev ID-porten and the web app (and, when asked, the worker
    and the scheduler); stop them all afterwards.

    Without load_demo the database is taken as it is (the bench's, loaded by `generate`, which
    holds the demo already): loading the demo again would recompute every dashboard in it."""
    web_port, idp_port = free_port(), free_port()
    base, issuer = f"http://127.0.0.1:{web_port}", f"http://127.0.0.1:{idp_port}"
    persons = tmp / "persons.json"
    env = {
        **os.environ,
        "SAMSPEL_PORT": str(web_port),
        "SAMSPEL_BASE_URL": base,
        "SAMSPEL_IDP_PORT": str(idp_port),
        "SAMSPEL_IDP_ISSUER": issuer,
        "SAMSPEL_IDP_REDIRECT_URIS": f"{base}/auth/callback",
        "SAMSPEL_IDP_POST_LOGOUT_REDIRECT_URIS": f"{base}/",
        "SAMSPEL_IDP_FRONTCHANNEL_LOGOUT_URI": f"{base}/auth/frontchannel-logout",
        "SAMSPEL_IDP_PERSONS_FILE": str(persons),
    }
    if workers:
        redis = urlsplit(env["SAMSPEL_REDIS_URL"])
        if redis.scheme in ("redis", "rediss"):
            env["SAMSPEL_REDIS_URL"] = redis._replace(path=f"/{8 + os.getpid() % 8}").geturl()
        env.update(SAMSPEL_WORKER_PROCESSES="1", SAMSPEL_WORKER_THREADS="2", PYTHONUNBUFFERED="1")
    _run(["-m", "services.cli", "migrate"], env)
    if load_demo:
        _run(["-m", "services.cli", "demo"], env)
    else:
        from services.demo.data import PERSONS

        rows = [{"pid": p.pid, "name": p.name, "role": p.description} for p in PERSONS]
        persons.write_text(json.dumps(rows, ensure_ascii=False))
    assert json.loads(persons.read_text()), "the demo wrote no persons for the login page"
    processes = []
    try:
        for name, args, ready in (
            ("idporten", ["-m", "infra.idporten"], f"{issuer}/.well-known/openid-configuration"),
            ("web", ["-m", "web"], f"{base}/health/ready"),
        ):
            log = tmp / f"{name}.log"
            process = subprocess.Popen(
                [sys.executable, *args],
                cwd=ROOT,
                env=env,
                stdout=log.open("w"),
                stderr=subprocess.STDOUT,
            )
            processes.append(process)
            _wait(ready, process, log)
        for name, args, line in WORKERS if workers else ():
            log = tmp / f"{name}.log"
            process = subprocess.Popen(
                [sys.executable, *args],
                cwd=ROOT,
                env=env,
                stdout=log.open("w"),
                stderr=subprocess.STDOUT,
            )
            processes.append(process)
            _wait_for_line(line, process, log)
        yield Product(base, issuer, [p.pid for p in processes])
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
