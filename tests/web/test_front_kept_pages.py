"""The front door (web/front.py) answers the public's kept copy of a public page before the
framework, exactly as the app's middleware (web/public_cache.py) answers it; never to someone
with a session cookie, never for a page that is not kept, and a miss or an outage goes on to
the app unchanged."""

from __future__ import annotations

import asyncio
import html
import json
import secrets

import msgspec
import pytest
import redis.asyncio
import redis.exceptions
from litestar import Litestar

from tests.web.auth.idp import Provider, log_in
from tests.web.browsing import HTML, new_person
from tests.web.conftest import serve
from web import public_cache
from web.app import create_app
from web.front import front

VARIANTS = [
    ("/tenders", HTML),
    ("/tenders?kommune=0301", {**HTML, "hx-request": "true"}),
    ("/tenders", {**HTML, "accept-language": "en-GB,en;q=0.8"}),
    ("/tenders", {**HTML, "cookie": "samspel_lang=nn", "accept-language": "en"}),
    ("/api/v1/tenders", {}),
    ("/grants", HTML),
]


@pytest.fixture
async def sites(settings, database, demo):
    """The bare app and the app behind its front door, on one database and one Redis."""
    provider = Provider(settings)
    app = create_app(settings, database=database, oidc_transport=provider.transport)
    fronted = create_app(settings, database=database, oidc_transport=provider.transport)
    async with serve(app) as bare, serve(front(fronted, settings)) as door:
        yield bare, door, provider


@pytest.fixture
def framework_calls(monkeypatch):
    """Each request that reached Litestar (its ASGI entry), by path."""
    reached: list[str] = []
    original = Litestar.__call__

    async def counted(self, scope, receive, send):
        if scope["type"] == "http":
            reached.append(scope["path"])
        return await original(self, scope, receive, send)

    monkeypatch.setattr(Litestar, "__call__", counted)
    return reached


@pytest.fixture
def lookups(monkeypatch):
    """The keys the front door looked up in Redis."""
    looked: list[str] = []
    original = public_cache.Together.kept

    async def spy(self, redis, key):
        looked.append(key)
        return await original(self, redis, key)

    monkeypatch.setattr(public_cache.Together, "kept", spy)
    return looked


def _comparable(response) -> tuple:
    headers = [(k, v) for k, v in response.headers.multi_items() if k != "x-request-id"]
    return response.status_code, headers, response.content


@pytest.mark.parametrize(("path", "headers"), VARIANTS)
async def test_the_front_sends_a_kept_page_as_the_apps_middleware_does(
    sites, framework_calls, path, headers
):
    bare, door, _ = sites
    made = await bare.get(path, headers=headers)
    assert made.status_code == 200 and "etag" in made.headers
    by_app = await bare.get(path, headers=headers)  # the middleware's answer from the copy
    assert by_app.headers["etag"] == made.headers["etag"]
    framework_calls.clear()
    by_front = await door.get(path, headers=headers)
    assert framework_calls == [], "answered before the framework"
    assert _comparable(by_front) == _comparable(by_app)
    assert "frame-ancestors 'none'" in by_front.headers["content-security-policy"]
    assert by_front.headers["x-request-id"] != by_app.headers["x-request-id"]
    # A browser that has it gets 304 from the front as from the app.
    tag = {**headers, "if-none-match": by_app.headers["etag"]}
    not_modified = await door.get(path, headers=tag)
    assert framework_calls == []
    assert _comparable(not_modified) == _comparable(await bare.get(path, headers=tag))
    assert not_modified.status_code == 304


async def test_the_languages_copies_are_apart_as_in_the_app(sites, framework_calls):
    bare, door, _ = sites
    english = {**HTML, "accept-language": "en"}
    await bare.get("/tenders", headers=english)
    framework_calls.clear()
    kept = await door.get("/tenders", headers=english)
    assert framework_calls == [] and '<html lang="en"' in kept.text
    # A language never asked for yet is a miss: made by the app (and kept from then on).
    other = await door.get("/tenders", headers={**HTML, "cookie": "samspel_lang=nn"})
    assert framework_calls == ["/tenders"]
    assert '<html lang="nn"' in other.text


async def test_a_request_id_given_is_sent_back_and_the_hit_is_logged_with_its_route(
    sites, framework_calls, capsys
):
    bare, door, _ = sites
    await bare.get("/tenders/0?x=1", headers=HTML)  # no such tender: a 404, never kept
    await bare.get("/api/v1/tenders", headers={})
    capsys.readouterr()
    framework_calls.clear()
    answer = await door.get("/api/v1/tenders", headers={"x-request-id": "frontdoor-0001"})
    assert framework_calls == [] and answer.headers["x-request-id"] == "frontdoor-0001"
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]
    (line,) = [line for line in lines if line.get("request_id") == "frontdoor-0001"]
    assert (line["route"], line["status"], line["method"]) == ("/api/v1/tenders", 200, "GET")
    missing = await door.get("/tenders/0?x=1", headers=HTML)
    assert missing.status_code == 404 and framework_calls == ["/tenders/0"]


async def test_never_a_kept_page_for_someone_with_a_session(sites, framework_calls, settings):
    bare, door, provider = sites
    await bare.get("/tenders", headers=HTML)  # the public's copy is kept
    person = await new_person(settings, "Framdør Lesar")
    assert (await log_in(door, provider, person.pid)).status_code == 303
    framework_calls.clear()
    own = await door.get("/tenders", headers=HTML)
    assert framework_calls == ["/tenders"]
    assert own.status_code == 200 and own.headers["cache-control"] == "no-store"
    assert person.name in html.unescape(own.text) and "etag" not in own.headers
    # Even a session cookie that is no session is the app's to judge.
    framework_calls.clear()
    door.cookies.clear()
    await door.get("/tenders", headers={**HTML, "cookie": "samspel_session=whatever"})
    assert framework_calls == ["/tenders"]


async def test_a_page_that_is_not_kept_costs_no_lookup(sites, framework_calls, lookups):
    bare, door, _ = sites
    await bare.get("/tenders", headers=HTML)
    framework_calls.clear()
    for path in ("/", "/tenders/1/ocds", "/tenders/", "/static-not", "/k/0301"):
        await door.get(path, headers=HTML)
    assert lookups == [] and len(framework_calls) == 5
    # Only GET is a public-cached route's method: HEAD and POST are the app's, as before.
    head = await door.head("/tenders")
    assert (head.status_code, (await bare.head("/tenders")).status_code) == (405, 405)
    assert lookups == []


async def test_a_miss_or_an_outage_goes_to_the_app_unchanged(sites, framework_calls, monkeypatch):
    bare, door, _ = sites
    fresh = await door.get("/tenders", headers=HTML)  # not kept at this data version: a miss
    assert framework_calls == ["/tenders"] and fresh.status_code == 200
    kept = await door.get("/tenders", headers=HTML)  # what the app behind the front kept
    assert framework_calls == ["/tenders"] and kept.headers["etag"] == fresh.headers["etag"]

    async def down(*_args):
        raise redis.exceptions.ConnectionError("Redis is away")

    monkeypatch.setattr(public_cache, "read_kept", down)
    framework_calls.clear()
    page = await door.get("/tenders", headers=HTML)
    assert framework_calls == ["/tenders"] and page.status_code == 200


async def test_lookups_that_arrive_together_are_one_round_trip_at_the_version_they_came_at(
    settings,
):
    client = redis.asyncio.from_url(settings.redis_url)
    name = f"samspel:together-{secrets.token_hex(4)}"
    version = str(await client.incr(f"{name}:version")).encode()
    page = public_cache.Kept(version, b'W/"x"', 200, [], b"kept")
    await client.set(f"{name}:a", msgspec.msgpack.encode(page), ex=60)
    sent = []
    mget = client.mget

    async def counted(*keys):
        sent.append(keys)
        return await mget(*keys)

    client.mget = counted
    together = public_cache.Together(f"{name}:version")
    try:
        found = await asyncio.gather(
            together.kept(client, f"{name}:a"),
            together.kept(client, f"{name}:b"),
            together.kept(client, f"{name}:a"),
        )
        assert [k and k.body for k in found] == [b"kept", None, b"kept"]
        assert sent == [(f"{name}:version", f"{name}:a", f"{name}:b")]
        await client.incr(f"{name}:version")  # the data changed: the copy is stale from now on
        assert await together.kept(client, f"{name}:a") is None
        # Redis away: each lookup of the read gets the error (the front then asks the app).
        broken = redis.asyncio.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=1)
        for outcome in await asyncio.gather(
            together.kept(broken, f"{name}:a"),
            together.kept(broken, f"{name}:b"),
            return_exceptions=True,
        ):
            assert isinstance(outcome, redis.exceptions.ConnectionError)
    finally:
        await client.delete(f"{name}:version", f"{name}:a")
        await client.aclose()
