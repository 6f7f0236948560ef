"""Server-side sessions in the real Redis: idle and absolute limits, provider logout, the cookie."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import secrets
import time
from urllib.parse import urlencode

import pytest
import redis.asyncio as redis

from services.demo.data import PERSONS
from tests.web.auth.idp import Provider, log_in
from tests.web.browsing import HTML, ensure_csrf, operator_rows, session_cookie
from tests.web.conftest import serve
from web.app import create_app
from web.auth.sessions import (
    ABSOLUTE_SECONDS,
    COOKIE,
    IDLE_SECONDS,
    LoginAttempt,
    SessionData,
    SessionStore,
)

CASE_OFFICER = next(p for p in PERSONS if p.name == "Ingrid Støen")  # Meråker, 5034


@pytest.fixture
async def store(settings):
    client = redis.from_url(settings.redis_url)
    yield SessionStore(client)
    await client.aclose()


def key_of(token: str) -> str:
    return "samspel:session:" + hashlib.sha256(token.encode()).hexdigest()


def test_the_limits_are_30_minutes_idle_and_12_hours_in_all():
    assert IDLE_SECONDS == 30 * 60
    assert ABSOLUTE_SECONDS == 12 * 3600


async def test_a_new_session_lives_30_minutes_under_a_hashed_key(store):
    token = await store.create(SessionData(created_at=time.time(), person_id=1))
    assert 1790 <= await store.redis.ttl(key_of(token)) <= 1800
    assert await store.redis.exists(key_of(token))
    assert not await store.redis.exists("samspel:session:" + token)  # never the cookie's value


def counted_commands(store, monkeypatch) -> list[str]:
    """The name of every command the store sends to Redis from now on."""
    sent: list[str] = []
    original = store.redis.execute_command

    async def counted(*args, **options):
        sent.append(args[0])
        return await original(*args, **options)

    monkeypatch.setattr(store.redis, "execute_command", counted)
    return sent


async def test_loading_a_session_starts_its_idle_time_again(store):
    token = await store.create(SessionData(created_at=time.time(), person_id=1))
    await store.redis.expire(key_of(token), 5)
    loaded = await store.load(token)
    assert loaded is not None and loaded.person_id == 1
    assert 1790 <= await store.redis.ttl(key_of(token)) <= 1800


async def test_a_session_and_its_copy_of_who_load_in_one_command_that_starts_its_idle_time(
    store, monkeypatch
):
    token = await store.create(SessionData(created_at=time.time(), person_id=1))
    await store.redis.expire(key_of(token), 5)
    sent = counted_commands(store, monkeypatch)
    loaded, copy, _generation, _also = await store.load_with_principal(token)
    assert loaded is not None and loaded.person_id == 1 and copy is None
    assert 1790 <= await store.redis.ttl(key_of(token)) <= 1800
    assert sent[:1] == ["EVALSHA"] and len(sent) == 2  # the load, and the ttl read above
    assert await store.load_with_principal("no-such-session") == (None, None, 0, None)


async def test_a_route_may_read_one_more_key_in_the_same_command_for_a_session_only(
    store, monkeypatch, unique
):
    token = await store.create(SessionData(created_at=time.time(), person_id=1))
    also = f"samspel:test:also:{unique}"
    await store.redis.set(also, "v1", ex=60)
    sent = counted_commands(store, monkeypatch)
    loaded, _copy, _generation, value = await store.load_with_principal(token, also)
    assert loaded is not None and value == b"v1" and sent == ["EVALSHA"]
    assert (await store.load_with_principal(token, also + ":none"))[3] is None
    # Without a session, nothing else is read either.
    assert await store.load_with_principal("no-such-session", also) == (None, None, 0, None)


async def test_a_redis_that_lost_its_scripts_still_loads_the_session(store):
    token = await store.create(SessionData(created_at=time.time(), person_id=1))
    await store.load_with_principal(token)  # the script is known to Redis now
    await store.redis.script_flush()  # as a restarted Redis has forgotten it
    loaded, _copy, _generation, _also = await store.load_with_principal(token)
    assert loaded is not None and loaded.person_id == 1


async def test_an_idle_session_is_gone(store):
    token = await store.create(SessionData(created_at=time.time(), person_id=1))
    await store.redis.pexpire(key_of(token), 1)  # as if 30 minutes had passed without a request
    await asyncio.sleep(0.05)
    assert await store.load(token) is None


async def test_a_session_older_than_12_hours_is_refused_and_deleted(store):
    old = SessionData(created_at=time.time() - ABSOLUTE_SECONDS - 1, person_id=1)
    token = await store.create(old)
    assert await store.load(token) is None
    assert not await store.redis.exists(key_of(token))
    young = await store.create(SessionData(created_at=time.time() - ABSOLUTE_SECONDS + 60))
    assert await store.load(young) is not None


async def test_ending_a_provider_session_ends_every_session_of_it(store):
    sid, other = secrets.token_urlsafe(8), secrets.token_urlsafe(8)
    mine = [await store.create(SessionData(created_at=time.time(), idp_sid=sid)) for _ in range(2)]
    theirs = await store.create(SessionData(created_at=time.time(), idp_sid=other))
    assert await store.delete_by_idp_sid(sid) == 2
    for token in mine:
        assert await store.load(token) is None
    assert await store.load(theirs) is not None
    assert await store.delete_by_idp_sid(sid) == 0


async def test_a_login_attempt_is_taken_once(store):
    state = secrets.token_urlsafe(16)
    attempt = LoginAttempt(nonce="n", verifier="v" * 43, next="/me")
    await store.begin_login(state, attempt)
    assert await store.take_login(state) == attempt
    assert await store.take_login(state) is None


async def test_an_unknown_or_missing_token_loads_nothing(store):
    assert await store.load(None) is None
    assert await store.load("") is None
    assert await store.load(secrets.token_urlsafe(32)) is None


# --- through the app -------------------------------------------------------------------------------


def frontchannel(iss: str, sid: str) -> str:
    return "/auth/frontchannel-logout?" + urlencode({"iss": iss, "sid": sid})


async def test_the_providers_frontchannel_logout_ends_the_session(site, provider, store):
    await log_in(site, provider, CASE_OFFICER.pid)
    cookie = session_cookie(site)
    sid = (await store.load(cookie)).idp_sid
    assert sid

    # A wrong issuer, or another sid, ends nothing.
    for iss, which in (("https://evil.example", sid), (provider.issuer, "another-sid")):
        answer = await site.get(frontchannel(iss, which))
        assert answer.status_code == 200
        assert (await site.get("/me", headers=HTML)).status_code == 200

    answer = await site.get(frontchannel(provider.issuer, sid))
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-store"
    assert "frame-ancestors" in answer.headers["content-security-policy"]
    assert await store.load(cookie) is None
    site.cookies.set(COOKIE, cookie, domain="testserver.local")
    again = await site.get("/k/5034", headers=HTML)
    assert again.status_code == 303 and again.headers["location"].startswith("/auth/login")

    events = await operator_rows(
        "select detail from security_event where kind = 'frontchannel_logout'"
        " and occurred_at > now() - interval '1 minute' order by id desc limit 1"
    )
    assert events and '"sessions": 1' in events[0]["detail"]


async def test_logout_deletes_the_session_on_the_server(site, provider, store):
    await log_in(site, provider, CASE_OFFICER.pid)
    cookie = session_cookie(site)
    assert await store.load(cookie) is not None
    token = await ensure_csrf(site)  # the cookie comes with a page that has a form
    out = await site.post("/auth/logout", data={"_csrf_token": token})
    assert out.status_code == 303
    assert not await store.redis.exists(key_of(cookie))
    cleared = next(c for c in out.headers.get_list("set-cookie") if c.startswith(COOKIE + "="))
    assert "Max-Age=0" in cleared or 'samspel_session=""' in cleared


async def test_the_cookies_are_secure_when_the_base_url_is_https(settings, database, demo):
    https = dataclasses.replace(settings, base_url="https://testserver")
    provider = Provider(https)  # its registered redirect URIs follow the base URL
    app = create_app(https, database=database, oidc_transport=provider.transport)
    async with serve(app) as client:
        client.base_url = "https://testserver"
        start = await client.get("/auth/login")
        state_cookie = next(
            c for c in start.headers.get_list("set-cookie") if c.startswith("samspel_login_state=")
        )
        assert "Secure" in state_cookie
        assert (
            "redirect_uri=https%3A%2F%2Ftestserver%2Fauth%2Fcallback" in start.headers["location"]
        )

        response = await log_in(client, provider, CASE_OFFICER.pid)
        assert response.status_code == 303, response.text
        cookies = response.headers.get_list("set-cookie")
        session = next(c for c in cookies if c.startswith(COOKIE + "="))
        assert "Secure" in session and "HttpOnly" in session and "SameSite=lax" in session
        # A session cookie: it ends with the browser, and the server's limits do the rest.
        assert "Max-Age" not in session and "expires" not in session.lower()

        page = await client.get("/k/5034", headers=HTML)
        assert page.status_code == 200
        assert "max-age=31536000" in page.headers["strict-transport-security"]
        csrf = [c for c in (start.headers.get_list("set-cookie")) if c.startswith("csrftoken=")]
        csrf += [c for c in page.headers.get_list("set-cookie") if c.startswith("csrftoken=")]
        assert csrf and all("Secure" in c for c in csrf)


def test_the_logout_hint_opens_only_with_the_cookie_that_sealed_it():
    from web.auth.sessions import seal_hint, unseal_hint

    sealed = seal_hint("eyJhbGciOiJSUzI1NiJ9.eyJwaWQiOiIwMTAxMDExMjM0NSJ9.c2ln", "cookie-a")
    assert "eyJ" not in sealed
    assert unseal_hint(sealed, "cookie-a").startswith("eyJhbGciOiJSUzI1NiJ9.")
    assert unseal_hint(sealed, "cookie-b") is None
    assert unseal_hint("not base64 at all!", "cookie-a") is None
