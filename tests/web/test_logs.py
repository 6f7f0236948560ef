"""The log: one JSON object per line, each line written whole."""

from __future__ import annotations

import io
import json
import logging

from web.logs import configure_logging, log, request_line


class Writes(io.StringIO):
    """stdout that remembers each write it was given."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[str] = []

    def write(self, text: str) -> int:
        self.writes.append(text)
        return super().write(text)


def test_each_log_line_reaches_stdout_in_one_write_with_its_newline(monkeypatch):
    # Several web processes share one stdout: a line written in parts can be split by another's.
    stdout = Writes()
    monkeypatch.setattr("sys.stdout", stdout)
    configure_logging()
    log.info("request", route="/k/{kommune}", status=200)
    log.info("request", route="/tenders", status=304)
    assert len(stdout.writes) == 2
    assert all(write.endswith("\n") and write.count("\n") == 1 for write in stdout.writes)
    assert [json.loads(write)["route"] for write in stdout.writes] == ["/k/{kommune}", "/tenders"]


def test_the_kept_logger_writes_to_whatever_stdout_is_now_as_compact_json(monkeypatch):
    configure_logging()
    log.info("request", route="/warm")  # the logger is made and kept here
    first, second = Writes(), Writes()
    monkeypatch.setattr("sys.stdout", first)
    log.info("request", route="/tenders", tenant=None, title="Bygdø")
    monkeypatch.setattr("sys.stdout", second)
    log.info("request", route="/api/v1/tenders", at=object())
    line = json.loads(first.writes[0])
    assert (line["route"], line["tenant"], line["title"], line["level"]) == (
        "/tenders",
        None,
        "Bygdø",
        "info",
    )
    assert "Bygdø" in first.writes[0], "UTF-8 as it is, not escaped"
    assert json.loads(second.writes[0])["at"].startswith("<object object")


def test_the_request_line_is_the_line_log_info_writes(monkeypatch):
    stdout = Writes()
    monkeypatch.setattr("sys.stdout", stdout)
    configure_logging()
    fields = {"request_id": "abc", "tenant": None, "route": "/k/{kommunenummer:str}", "status": 204}
    log.info("request", **fields)
    request_line(**fields)
    assert len(stdout.writes) == 2 and all(w.count("\n") == 1 for w in stdout.writes)
    by_structlog, ours = (json.loads(w) for w in stdout.writes)
    assert by_structlog.pop("timestamp")[:13] == ours.pop("timestamp")[:13]  # the same form
    assert ours == by_structlog


def test_no_request_line_above_the_info_level(monkeypatch):
    stdout = Writes()
    monkeypatch.setattr("sys.stdout", stdout)
    configure_logging(logging.WARNING)
    try:
        request_line(route="/", status=200)
    finally:
        configure_logging()
    assert stdout.writes == []
