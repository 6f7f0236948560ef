"""`make run`'s launcher: embedded PostgreSQL and Redis when none is configured, all stopped on Ctrl-C."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = textwrap.dedent(
    """
    import asyncio, os, pathlib, time
    import asyncpg, redis
    from infra.settings import load
    s = load()
    async def main():
        c = await asyncpg.connect(s.app_database_url)
        assert await c.fetchval("select current_user") == "samspel_app"
        assert await c.fetchval("select count(*) from membership") == 0  # RLS, no scope
        v = await c.fetchval("select current_setting('server_version_num')")
        await c.close()
        return v
    version = asyncio.run(main())
    redis.Redis.from_url(s.redis_url).set("probe", "ok")
    pathlib.Path("probe.out").write_text(f"{version} {os.environ['SAMSPEL_REDIS_URL']}")
    time.sleep(600)
    """
)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"


def _children_of(path: Path) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if str(path) in cmdline:
                found.append(int(proc.name))
    return found


def test_embedded_servers_start_serve_and_stop_with_the_launcher(tmp_path):
    (tmp_path / "probe.py").write_text(PROBE)
    (tmp_path / "Procfile").write_text("probe: python probe.py\n")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SAMSPEL_DATABASE_URL", "SAMSPEL_REDIS_URL", "SAMSPEL_APP_DATABASE_URL")
    }
    env["PYTHONPATH"] = str(ROOT)
    launcher = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "infra.launcher",
            "--procfile",
            "Procfile",
            "--prepare",
            "python -m services.cli migrate",
        ],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while not (tmp_path / "probe.out").exists() and time.monotonic() < deadline:
            assert launcher.poll() is None, launcher.stdout.read()
            time.sleep(0.2)
        version, redis_url = (tmp_path / "probe.out").read_text().split()
        assert int(version) >= 160000  # pgserver's PostgreSQL 16, not this machine's 15
        assert redis_url.startswith("unix://")
        running = _children_of(tmp_path)
        assert running, "nothing found running under the state folder"
    finally:
        launcher.send_signal(signal.SIGINT)
        output = launcher.communicate(timeout=60)[0]
    assert launcher.returncode == 0, output
    assert "stopped" in output
    time.sleep(0.5)
    assert [pid for pid in running if _alive(pid)] == []
    assert _children_of(tmp_path) == []
