"""Per request: an id, the language, and one log line when it ends (never a token or a cookie).

And the one wrapper of send that finishes a non-quiet answer's head (head_of_answer), which the
session's middleware puts on every request it sees: the headers the middlewares ask for
(at_response_start: no-store on a logged-in page, a new CSRF token's cookie), and the status
and the moment the body went out, for the metrics. A wrapper of send in each of them cost a
coroutine per message each, on every request.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from collections.abc import Callable

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from web.i18n import COOKIE, choose_language
from web.logs import request_line

_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
# Paths that serve nothing personal: no session, no CSRF, no rate limit, no metrics, no log line
# (a probe every few seconds and every stylesheet would drown the log).
QUIET = ("/static/", "/health/", "/metrics")
QUIET_PATTERNS = ["^/static/", "^/health/", "^/metrics$"]  # the same, for Litestar's `exclude`


def is_quiet(scope: Scope) -> bool:
    """A quiet path; the static mount's own path is rewritten by Litestar, so it says so in opt."""
    if scope["path"].startswith(QUIET):
        return True
    handler = scope.get("route_handler")
    return bool(handler is not None and handler.opt.get("quiet"))


# scope["state"] keys head_of_answer fills and reads.
STATUS = "response_status"  # the answer's status, once it started
SENT_AT = "response_sent_at"  # time.perf_counter() as its last body part went out
_AT_START = "at_response_start"

Headers = list[tuple[bytes, bytes]]


def at_response_start(scope: Scope, hook: Callable[[Headers], None]) -> None:
    """hook(headers) runs as the answer starts, on its raw header list, which it may change."""
    scope["state"].setdefault(_AT_START, []).append(hook)


def replace_header(headers: Headers, name: bytes, value: bytes) -> None:
    """The header `name` (lower case) set to `value`, whatever the answer had set."""
    headers[:] = [h for h in headers if h[0].lower() != name]
    headers.append((name, value))


def _raw_headers(message: Message) -> Headers:
    headers = message.setdefault("headers", [])
    if not isinstance(headers, list):
        headers = message["headers"] = list(headers)
    return headers


def head_of_answer(scope: Scope, send: Send, before_start=None) -> Send:
    """send, recording the answer's status and when its body went out (STATUS, SENT_AT) and
    running the at_response_start hooks on its head; awaiting before_start(status) first when
    given. Inside the public pages' cache (web/public_cache.py), so that a cookie set here keeps
    the answer out of it."""
    state = scope["state"]

    async def send_finished(message: Message) -> None:
        kind = message["type"]
        if kind == "http.response.start":
            state[STATUS] = message["status"]
            if before_start is not None:
                await before_start(message["status"])
            hooks = state.get(_AT_START)
            if hooks:
                headers = _raw_headers(message)
                for hook in hooks:
                    hook(headers)
        elif kind == "http.response.body" and not message.get("more_body"):
            state[SENT_AT] = time.perf_counter()
        await send(message)

    return send_finished


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return value.decode("latin-1")
    return None


def cookie(scope: Scope, name: str) -> str | None:
    """One cookie's value. Our cookies hold plain tokens; a quoted value loses its quotes.

    A plain split, not http.cookies.SimpleCookie, which parses (and builds morsels for) the
    whole header on every call and was a visible share of a request's time."""
    raw = _header(scope, b"cookie")
    if not raw:
        return None
    wanted = name + "="
    for part in raw.split(";"):
        part = part.strip()
        if part.startswith(wanted):
            value = part[len(wanted) :]
            if len(value) >= 2 and value[0] == value[-1] == '"':
                value = value[1:-1]
            return value
    return None


def language_of(scope: Scope, default_language: str) -> str:
    """The request's language: its language cookie, else its Accept-Language, else the default."""
    return choose_language(
        cookie(scope, COOKIE), _header(scope, b"accept-language"), default_language
    )


def request_context_middleware(default_language: str):
    def factory(app: ASGIApp) -> ASGIApp:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            if is_quiet(scope):
                scope.setdefault("state", {})["lang"] = default_language
                await app(scope, receive, send)
                return
            given = _header(scope, b"x-request-id")
            request_id = given if given and _REQUEST_ID.fullmatch(given) else secrets.token_hex(8)
            state = scope.setdefault("state", {})
            state["request_id"] = request_id
            state["lang"] = language_of(scope, default_language)
            started = time.perf_counter()
            id_header = (b"x-request-id", request_id.encode())
            status = 500

            async def send_with_id(message: Message) -> None:
                nonlocal status
                if message["type"] == "http.response.start":
                    status = message["status"]
                    _raw_headers(message).append(id_header)
                await send(message)

            try:
                await app(scope, receive, send_with_id)
            finally:
                request_line(
                    request_id=request_id,
                    process=os.getpid(),  # which of SAMSPEL_WEB_PROCESSES answered
                    tenant=state.get("tenant"),
                    method=scope["method"],
                    route=scope.get("path_template") or scope["path"],
                    status=status,
                    duration_ms=round((time.perf_counter() - started) * 1000, 2),
                )

        return middleware

    return factory
