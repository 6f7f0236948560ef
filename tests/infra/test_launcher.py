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


# A child that writes its pid where the test can read it, then waits to be stopped.
SLEEPER = textwrap.dedent(
    """
    import os, pathlib, sys, time
    name = sys.argv[1]
    pathlib.Path(f"{name}.pids").open("a").write(f"{os.getpid()}\\n")
    time.sleep(600)
    """
)


def _pids(path: Path) -> list[int]:
    return [int(line) for line in path.read_text().split()] if path.exists() else []


def _wait_for(condition, timeout: float, launcher: subprocess.Popen) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert launcher.poll() is None, "the launcher stopped"
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def _configured_launcher(tmp_path: Path, procfile: str) -> subprocess.Popen:
    (tmp_path / "Procfile").write_text(procfile)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    # Configured servers, so the launcher starts no embedded ones; these children use neither.
    env.setdefault("SAMSPEL_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    env.setdefault("SAMSPEL_REDIS_URL", "redis://127.0.0.1:1/0")
    return subprocess.Popen(
        [sys.executable, "-m", "infra.launcher", "--procfile", "Procfile"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_a_child_killed_with_sigkill_is_restarted_and_the_others_are_untouched(tmp_path):
    (tmp_path / "sleeper.py").write_text(SLEEPER)
    launcher = _configured_launcher(
        tmp_path, "worker: python sleeper.py worker\nweb: python sleeper.py web\n"
    )
    try:
        worker, web = tmp_path / "worker.pids", tmp_path / "web.pids"
        _wait_for(lambda: _pids(worker) and _pids(web), 20, launcher)
        first = _pids(worker)[0]
        os.kill(first, signal.SIGKILL)
        _wait_for(lambda: len(_pids(worker)) == 2, 10, launcher)
        second = _pids(worker)[1]
        assert _alive(second) and not _alive(first)
        assert len(_pids(web)) == 1 and _alive(_pids(web)[0])
    finally:
        launcher.send_signal(signal.SIGTERM)
        output = launcher.communicate(timeout=30)[0]
    assert launcher.returncode == 0, output
    assert "worker exited with -9; restarting in 1 s" in output
    assert "web exited" not in output
    time.sleep(0.3)
    assert [pid for pid in _pids(worker) + _pids(web) if _alive(pid)] == []


def test_a_child_that_keeps_failing_waits_longer_each_time_and_ctrl_c_still_stops_all(tmp_path):
    (tmp_path / "sleeper.py").write_text(SLEEPER)
    launcher = _configured_launcher(
        tmp_path, "broken: python -c 'raise SystemExit(3)'\nweb: python sleeper.py web\n"
    )
    lines: list[str] = []
    try:
        for line in launcher.stdout:
            lines.append(line)
            if "restarting in 2 s" in line:
                break
        # Ctrl-C during the pause: the pending restart is dropped, the rest stopped.
        launcher.send_signal(signal.SIGINT)
        lines.append(launcher.communicate(timeout=30)[0])
    finally:
        if launcher.poll() is None:
            launcher.kill()
    output = "".join(lines)
    assert launcher.returncode == 0, output
    assert output.count("broken exited with 3; restarting in ") == 2, output
    assert output.index("restarting in 1 s") < output.index("restarting in 2 s")
    assert "stopped" in output
    time.sleep(0.3)
    assert [pid for pid in _pids(tmp_path / "web.pids") if _alive(pid)] == []


def test_the_pause_doubles_with_each_quick_exit_up_to_a_cap_and_resets_after_a_stable_run():
    from infra.launcher import Backoff

    backoff = Backoff(first_s=1, max_s=30, stable_after_s=60)
    assert [backoff.after_exit(2) for _ in range(7)] == [1, 2, 4, 8, 16, 30, 30]
    assert backoff.after_exit(61) == 1  # it ran for a minute: a fresh crash, not a loop
    assert backoff.after_exit(1) == 2


# A leader that stops its own child on SIGTERM, as Dramatiq's main process does; the child
# writes down who sent it its SIGTERM.
FORWARDER = textwrap.dedent(
    """
    import os, pathlib, signal, sys, time
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    child = os.fork()
    if child == 0:
        info = signal.sigwaitinfo({signal.SIGTERM})
        pathlib.Path("child.term").write_text(f"{info.si_pid} {os.getppid()}")
        os._exit(0)
    pathlib.Path("leader.pid").write_text(str(os.getpid()))
    signal.sigwaitinfo({signal.SIGTERM})
    os.kill(child, signal.SIGTERM)
    os.waitpid(child, 0)
    """
)


def test_stopping_asks_the_leader_alone_and_it_stops_what_it_forked(tmp_path):
    (tmp_path / "forwarder.py").write_text(FORWARDER)
    launcher = _configured_launcher(tmp_path, "worker: python forwarder.py\n")
    try:
        _wait_for(lambda: (tmp_path / "leader.pid").exists(), 20, launcher)
        time.sleep(0.3)
    finally:
        launcher.send_signal(signal.SIGTERM)
        output = launcher.communicate(timeout=30)[0]
    assert launcher.returncode == 0, output
    sender, parent = (tmp_path / "child.term").read_text().split()
    assert sender == parent == (tmp_path / "leader.pid").read_text()
