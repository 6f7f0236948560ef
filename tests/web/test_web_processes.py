"""SAMSPEL_WEB_PROCESSES: `python -m web` runs several processes on one socket, and each serves."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from tests.e2e.servers import free_port

ROOT = Path(__file__).resolve().parents[2]


def _get(url: str) -> int:
    # A new connection each time, so the kernel hands it to whichever process accepts first.
    with httpx.Client(timeout=10) as client:
        return client.get(url, headers={"accept": "text/html"}).status_code


def test_two_web_processes_on_one_port_both_serve(database, tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "SAMSPEL_PORT": str(port),
        "SAMSPEL_WEB_PROCESSES": "2",
        "PYTHONUNBUFFERED": "1",
    }
    log = tmp_path / "web.log"
    web = subprocess.Popen(
        [sys.executable, "-m", "web"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                if httpx.get(base + "/health/ready", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert web.poll() is None, log.read_text()
            time.sleep(0.1)
        processes: set[int] = set()
        with ThreadPoolExecutor(8) as pool:
            for _ in range(10):
                assert set(pool.map(_get, [base + "/"] * 24)) == {200}
                lines = [line for line in log.read_text().splitlines() if line.startswith("{")]
                processes = {
                    json.loads(line)["process"]
                    for line in lines
                    if json.loads(line).get("event") == "request"
                }
                if len(processes) == 2:
                    break
        assert len(processes) == 2, f"one process answered everything: {processes}"
        assert web.pid not in processes  # the supervisor only watches; its children serve
    finally:
        web.terminate()
        web.wait(timeout=20)
