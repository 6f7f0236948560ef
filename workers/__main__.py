"""`python -m workers`: Dramatiq's worker for Samspel's broker and actors, sized by SAMSPEL_WORKER_*."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

from dramatiq.cli import main as dramatiq_main
from dramatiq.cli import make_argument_parser

from infra.settings import SettingsError

# Jobs yield the CPU to people's requests: on a small server a burst of bid receipts (a PDF
# each) would otherwise slow the very bids that sent them (the deadline rush of `make bench`).
# Dramatiq's worker processes are forked from this one and inherit it.
NICENESS = 5


def _count(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= 64:
        raise SettingsError(f"{name} must be a whole number from 1 to 64; got {raw!r}")
    return int(raw)


def arguments(env: Mapping[str, str]) -> list[str]:
    """Dramatiq's command line: the broker set up from settings, then the actors' package."""
    return [
        "workers.broker:setup",
        "workers.actors",
        "--processes",
        str(_count(env, "SAMSPEL_WORKER_PROCESSES", 2)),
        "--threads",
        str(_count(env, "SAMSPEL_WORKER_THREADS", 4)),
    ]


def main() -> int:
    try:
        argv = arguments(os.environ)
    except SettingsError as error:
        print(f"samspel worker: {error}", file=sys.stderr)
        return 2
    os.nice(NICENESS)
    return dramatiq_main(make_argument_parser().parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
