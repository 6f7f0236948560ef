"""Structured logs: one JSON object per line, to stdout, with no token or cookie in them.

Each line reaches stdout in one write, newline included: with SAMSPEL_WEB_PROCESSES above 1
every process writes to the same stdout, and a line written in two parts (as `print` does: the
text, then the newline) can have another process's line land between them.
"""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime

import msgspec
import structlog

_ENCODER = msgspec.json.Encoder(enc_hook=str)  # UTF-8 as it is; anything else by its str()


def _json(event: dict, **_options) -> str:
    return _ENCODER.encode(event).decode()


class StdoutLines:
    """structlog's logger: each line to whatever sys.stdout is at the time of writing (so the
    logger itself can be kept from its first use), text and newline in one write."""

    def msg(self, message: str) -> None:
        out = sys.stdout
        out.write(message + "\n")
        out.flush()

    log = debug = info = warn = warning = msg
    fatal = failure = err = error = critical = exception = msg


def _stdout_lines(*_args) -> StdoutLines:
    return StdoutLines()


_level = logging.INFO


def configure_logging(level: int = logging.INFO) -> None:
    global _level  # noqa: PLW0603 - request_line's copy of the level, set with the rest
    _level = level
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(serializer=_json),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        # The bound logger is made once, not for every line: it finds sys.stdout when it writes.
        logger_factory=_stdout_lines,
        cache_logger_on_first_use=True,
    )


log = structlog.get_logger("samspel")


def request_line(**fields) -> None:
    """The line every request ends with, as log.info("request", **fields) writes it (the same
    keys, level and timestamp) without structlog's processor chain, which took half as much
    again as the line itself. Nothing binds structlog's context variables: none is missing."""
    if _level > logging.INFO:
        return
    fields["event"] = "request"
    fields["level"] = "info"
    fields["timestamp"] = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    StdoutLines().msg(_json(fields))
