"""Public pages kept in Redis per data version, and answered 304 to a browser that has them.

A route marks itself with `opt=PUBLIC_CACHED` (the public tender list and page, the tender API
and OCDS, the list of grant calls). For a GET from someone without a session (the public, a
search engine, a load balancer's check) this pure ASGI middleware reads the data version and
the kept page in one round trip (MGET); a page made at the current version is sent as it is,
without the session, CSRF, template or database, and with its ETag; a browser that sends that
ETag back in If-None-Match gets 304. Otherwise the page is made as usual and kept. Served by
`python -m web`, a kept page is answered earlier still, by the front door (web/front.py), with
this module's key, lookup and answer; this middleware then sees the misses, and in-process
tests that serve the app alone.

What is kept is what the public reads: only pages made for a request without a session
cookie, in the public's transaction (`NOBODY`: row-level security shows no tenant's private
row), with status 200 and no Set-Cookie. A logged-in person always gets their own page, never
a kept one, and nothing of theirs is ever kept. The pages are made stale by the worker moving
the version after a committed event that changes public data (services/parts.py:
public_change_kinds), and expire after a minute anyway (a deadline passing changes a page).

Requests that miss a page another request of this process is making wait for it (when it is
made at the version they read) instead of making it again: a burst of the public after a change
or an expiry costs one page's work per process, not one per request.
"""

from __future__ import annotations

import asyncio
import hashlib
import re

import msgspec
from litestar import Litestar
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from redis.asyncio import Redis

from infra.public_cache import namespace, version_key
from infra.settings import Settings
from web.auth.sessions import COOKIE as SESSION_COOKIE
from web.middleware import cookie
from web.unavailable import OUTAGE

KEEP_SECONDS = 60
# What the kept copy depends on besides the address: the language, and whether htmx asked for
# a fragment (web/templating.wants_fragment reads the same three headers).
_VARIANT_HEADERS = (b"hx-request", b"hx-boosted", b"hx-history-restore-request")
_DROPPED = {b"set-cookie", b"content-length", b"etag", b"cache-control", b"vary"}
_VARY = b"Cookie, Accept-Language, HX-Request"


class Kept(msgspec.Struct, array_like=True):
    version: bytes
    etag: bytes
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


def _cacheable(scope: Scope) -> bool:
    if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
        return False
    handler = scope.get("route_handler")
    return bool(handler is not None and handler.opt.get("public_cache")) and not cookie(
        scope, SESSION_COOKIE
    )


def public_cached_routes(app: Litestar) -> dict[str, tuple[re.Pattern[str], list[str]]]:
    """Per method, one pattern whose n-th group matches the paths of the n-th route marked
    public-cached, and those routes' templates: the front door (web/front.py) looks only these
    up. A path parameter matches any one segment; a kept page is found by its exact path."""
    found: dict[str, list[tuple[str, str]]] = {}
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            if handler.opt.get("public_cache"):
                parts = [
                    re.escape(p) if isinstance(p, str) else "[^/]+" for p in route.path_components
                ]
                for method in handler.http_methods:
                    found.setdefault(method, []).append(("/" + "/".join(parts), route.path_format))
    return {
        method: (re.compile("|".join(f"({p})" for p, _ in routes)), [t for _, t in routes])
        for method, routes in found.items()
    }


def page_key(prefix: str, scope: Scope, lang: str) -> str:
    """Where the public's copy of this request's page is kept (this middleware and the front
    door, web/front.py, both read it here): the address, the language, the htmx variant."""
    headers = dict(scope["headers"])
    variant = b"|".join(headers.get(name, b"") for name in _VARIANT_HEADERS)
    raw = b"\n".join(
        [lang.encode(), variant, scope["path"].encode(), scope.get("query_string", b"")]
    )
    return f"{prefix}:page:{hashlib.sha256(raw).hexdigest()[:32]}"


def _etag(version: bytes, body: bytes) -> bytes:
    return b'W/"' + hashlib.sha256(version + b"\n" + body).hexdigest()[:24].encode() + b'"'


def _matches(scope: Scope, etag: bytes) -> bool:
    for name, value in scope["headers"]:
        if name == b"if-none-match":
            return etag in [tag.strip() for tag in value.split(b",")] or value.strip() == b"*"
    return False


async def read_kept(redis: Redis, version_name: str, *keys: str) -> tuple[bytes, list[Kept | None]]:
    """The data version and the pages kept at `keys` that were made at it, in one round trip.
    Raises one of OUTAGE when Redis is away."""
    version, *raws = await redis.mget(version_name, *keys)
    version = version or b"0"
    found: list[Kept | None] = []
    for raw in raws:
        kept = None if raw is None else msgspec.msgpack.decode(raw, type=Kept)
        found.append(kept if kept is not None and kept.version == version else None)
    return version, found


class Together:
    """Lookups that arrive in one turn of the event loop, read in one round trip.

    The read is sent when the turn ends, after every lookup it answers arrived, never one
    already under way: each sees the data version as it was when it came, or later. A burst of
    the public then costs one round trip, not one each (the front door, web/front.py)."""

    def __init__(self, version_name: str) -> None:
        self._version_name = version_name
        self._waiting: dict[str, list[asyncio.Future]] = {}
        self._reads: set[asyncio.Task] = set()

    async def kept(self, redis: Redis, key: str) -> Kept | None:
        """Raises one of OUTAGE when Redis is away."""
        loop = asyncio.get_running_loop()
        if not self._waiting:
            loop.call_soon(self._send, redis)
        future = loop.create_future()
        self._waiting.setdefault(key, []).append(future)
        return await future

    def _send(self, redis: Redis) -> None:
        waiting, self._waiting = self._waiting, {}
        read = asyncio.ensure_future(self._read(redis, waiting))
        self._reads.add(read)  # the loop keeps only a weak reference to a task
        read.add_done_callback(self._reads.discard)

    async def _read(self, redis: Redis, waiting: dict[str, list[asyncio.Future]]) -> None:
        futures = [future for each in waiting.values() for future in each]
        try:
            _, found = await read_kept(redis, self._version_name, *waiting)
            for kept, each in zip(found, waiting.values(), strict=True):
                for future in each:
                    if not future.done():
                        future.set_result(kept)
        except Exception as error:
            for future in futures:
                if not future.done():
                    future.set_exception(error)
        finally:
            for future in futures:
                future.cancel()  # only those still waiting: the read itself was cancelled


async def answer(send: Send, scope: Scope, kept: Kept) -> None:
    """The kept page as it was sent when made, with its ETag; 304 when the browser has it."""
    headers = [
        *kept.headers,
        (b"etag", kept.etag),
        (b"cache-control", b"no-cache"),
        (b"vary", _VARY),
    ]
    if _matches(scope, kept.etag):
        await send({"type": "http.response.start", "status": 304, "headers": headers})
        await send({"type": "http.response.body", "body": b""})
        return
    body = b"" if scope["method"] == "HEAD" else kept.body
    headers.append((b"content-length", str(len(kept.body)).encode()))
    await send({"type": "http.response.start", "status": kept.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def public_cache_middleware(settings: Settings):
    prefix, version_name = namespace(settings), version_key(settings)

    def factory(app: ASGIApp) -> ASGIApp:
        # The pages this process is making now, by key: a request that misses while one is
        # being made waits for it rather than making it again, so the burst that follows a
        # version's change or a copy's expiry makes each page once, not once a request.
        making: dict[str, asyncio.Future[Kept | None]] = {}

        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if not _cacheable(scope):
                await app(scope, receive, send)
                return
            redis = scope["litestar_app"].state.redis
            key = page_key(prefix, scope, scope.get("state", {}).get("lang", ""))
            try:
                version, (found,) = await read_kept(redis, version_name, key)
            except OUTAGE:
                await app(scope, receive, send)  # Redis down: the page is made as usual
                return
            if found is None and key in making:
                made = await asyncio.shield(making[key])
                # Made at the version this request read; else (newer data, or not the
                # public's page) this request makes its own.
                found = made if made is not None and made.version == version else None
            if found is not None:
                await answer(send, scope, found)
                return
            mine = key not in making
            if mine:
                making[key] = asyncio.get_running_loop().create_future()
            kept = None
            try:
                kept = await _make(app, scope, receive, send, redis, key, version)
            finally:
                if mine:
                    making.pop(key).set_result(kept)
            if kept is not None:
                await answer(send, scope, kept)

        return middleware

    return factory


async def _make(app, scope, receive, send, redis, key: str, version: bytes) -> Kept | None:
    """The page made as usual, and kept when it is the public's; what is not the public's (an
    error, a form again, a cookie) is sent here, and None is returned."""
    start: dict = {}
    chunks: list[bytes] = []

    async def capture(message: Message) -> None:
        if message["type"] == "http.response.start":
            start.update(message)
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, capture)
    body = b"".join(chunks)
    headers = [(k.lower(), v) for k, v in start.get("headers", [])]
    status = start.get("status", 500)
    if status != 200 or any(k == b"set-cookie" for k, _ in headers):
        await send(start)
        await send({"type": "http.response.body", "body": body})
        return None
    kept = Kept(
        version,
        _etag(version, body),
        status,
        [(k, v) for k, v in headers if k not in _DROPPED],
        body,
    )
    try:
        await redis.set(key, msgspec.msgpack.encode(kept), ex=KEEP_SECONDS)
    except OUTAGE:
        pass
    return kept
