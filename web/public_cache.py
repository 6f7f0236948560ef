"""Public pages kept in Redis per data version, and answered 304 to a browser that has them.

A route marks itself with `opt=PUBLIC_CACHED` (the public tender list and page, the tender API
and OCDS, the list of grant calls). For a GET from someone without a session (the public, a
search engine, a load balancer's check) this pure ASGI middleware reads the data version and
the kept page in one round trip (MGET); a page made at the current version is sent as it is,
without the session, CSRF, template or database, and with its ETag; a browser that sends that
ETag back in If-None-Match gets 304. Otherwise the page is made as usual and kept.

What is kept is what the public reads: only pages made for a request without a session
cookie, in the public's transaction (`NOBODY`: row-level security shows no tenant's private
row), with status 200 and no Set-Cookie. A logged-in person always gets their own page, never
a kept one, and nothing of theirs is ever kept. The pages are made stale by the worker moving
the version after a committed event that changes public data (services/parts.py:
public_change_kinds), and expire after a minute anyway (a deadline passing changes a page).
"""

from __future__ import annotations

import hashlib

import msgspec
from litestar.types import ASGIApp, Message, Receive, Scope, Send

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


def _key(prefix: str, scope: Scope) -> str:
    headers = dict(scope["headers"])
    variant = b"|".join(headers.get(name, b"") for name in _VARIANT_HEADERS)
    lang = scope.get("state", {}).get("lang", "")
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


async def _answer(send: Send, scope: Scope, kept: Kept) -> None:
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
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if not _cacheable(scope):
                await app(scope, receive, send)
                return
            redis = scope["litestar_app"].state.redis
            key = _key(prefix, scope)
            try:
                version, raw = await redis.mget(version_name, key)
            except OUTAGE:
                await app(scope, receive, send)  # Redis down: the page is made as usual
                return
            version = version or b"0"
            if raw is not None:
                kept = msgspec.msgpack.decode(raw, type=Kept)
                if kept.version == version:
                    await _answer(send, scope, kept)
                    return

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
                # Not the public's page (an error, a form again, a cookie): sent, never kept.
                await send(start)
                await send({"type": "http.response.body", "body": body})
                return
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
            await _answer(send, scope, kept)

        return middleware

    return factory
