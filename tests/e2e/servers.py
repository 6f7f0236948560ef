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
    subprocess.run([sys.executable, *args], cwd=ROOT, env=env, check=True, capture_output=True)


class Product(NamedTuple):
    base: str
    issuer: str
    pids: list[int]


@contextmanager
def running_product(tmp: Path):
    """Migrate, load the demo, start dev ID-porten and the web app; stop both afterwards."""
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
    _run(["-m", "services.cli", "migrate"], env)
    _run(["-m", "services.cli", "demo"], env)
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
        yield Product(base, issuer, [p.pid for p in processes])
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
