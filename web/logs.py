"""Structured logs: one JSON object per line, to stdout, with no token or cookie in them.

Each line reaches stdout in one write, newline included: with SAMSPEL_WEB_PROCESSES above 1
every process writes to the same stdout, and a line written in two parts (as `print` does: the
text, then the newline) can have another process's line land between them.
"""

from __future__ import annotations

import logging

import structlog


def configure_logging(level: int = logging.INFO) -> None:
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(ensure_ascii=False),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        # No file bound here and no caching: the line goes to whatever sys.stdout is now.
        logger_factory=structlog.WriteLoggerFactory(),
        cache_logger_on_first_use=False,
    )


log = structlog.get_logger("samspel")
