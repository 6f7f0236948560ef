"""The national identity number is used to find a person and then forgotten: never stored, never
logged, not even inside an ID token's base64."""

from __future__ import annotations

import base64
import json
import logging

import asyncpg
import pytest
import redis.asyncio as aioredis
from joserfc import jwt
from joserfc.jwk import OctKey

from tests.web.auth.idp import log_in
from tests.web.auth.leaks import holds
from tests.web.browsing import post, random_pid

# Every table of every schema but the catalogues, read by the superuser: RLS hides nothing.
_TABLES = """
    select n.nspname, c.relname
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p', 'm')
      and n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
"""


async def _database_holding(settings, pid: str) -> list[str]:
    admin = await asyncpg.connect(settings.database_url)
    try:
        found = []
        for schema, table in await admin.fetch(_TABLES):
            # A row as text writes bytea as hex and jsonb as JSON: holds() reads both.
            rows = await admin.fetch(f'select t::text from "{schema}"."{table}" t')
            if any(holds(row[0], pid) for row in rows):
                found.append(f"{schema}.{table}")
        return found
    finally:
        await admin.close()


async def _values(client: aioredis.Redis, key: bytes) -> list[bytes]:
    kind = await client.type(key)
    if kind == b"string":
        return [await client.get(key) or b""]
    if kind == b"set":
        return list(await client.smembers(key))
    if kind == b"list":
        return await client.lrange(key, 0, -1)
    if kind == b"hash":
        return [part for pair in (await client.hgetall(key)).items() for part in pair]
    if kind == b"zset":
        return await client.zrange(key, 0, -1)
    if kind == b"stream":
        return [json.dumps(str(entry)).encode() for entry in await client.xrange(key)]
    return []


async def _redis_holding(settings, pid: str) -> list[str]:
    # Every key of the database, not only ours: the pid is fresh, so any hit is this test's.
    client = aioredis.from_url(settings.redis_url)
    try:
        found = []
        async for key in client.scan_iter(count=1000):
            if holds(key, pid) or any(holds(value, pid) for value in await _values(client, key)):
                found.append(key.decode(errors="replace"))
        return found
    finally:
        await client.aclose()


@pytest.fixture
def every_log(capsys, caplog):
    caplog.set_level(logging.DEBUG)

    def read() -> str:
        captured = capsys.readouterr()
        return captured.out + captured.err + caplog.text

    return read


async def test_after_a_login_the_pid_is_nowhere_in_the_database_redis_or_the_log(
    site, provider, settings, every_log
):
    pid = random_pid()  # fresh each run: this person registers on the way in
    response = await log_in(site, provider, pid)
    assert response.headers["location"].startswith("/welcome")
    welcome = await site.get(response.headers["location"])
    done = await post(site, "/welcome", {"name": "Pia Pid", "email": "pia@example.no"})
    assert welcome.status_code == 200 and done.status_code == 303
    assert (await site.get("/me")).status_code == 200  # the session is live and in use

    assert await _redis_holding(settings, pid) == []
    assert await _database_holding(settings, pid) == []
    assert not holds(every_log(), pid)


async def test_logging_in_again_stores_no_pid_either(site, provider, settings, every_log):
    # The second login finds the person by the pid's keyed hash and starts a session at once.
    pid = random_pid()
    await log_in(site, provider, pid)
    await post(site, "/welcome", {"name": "Per Pid", "email": "per@example.no"})
    site.cookies.clear()
    again = await log_in(site, provider, pid)
    assert again.status_code == 303 and not again.headers["location"].startswith("/welcome")

    assert await _redis_holding(settings, pid) == []
    assert await _database_holding(settings, pid) == []
    assert not holds(every_log(), pid)


# The search itself must be able to fail: each way a pid could hide is found.
PID = "17037512345"


def _b64(data: bytes) -> bytes:
    return base64.b64encode(data)


def _b64url(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


@pytest.mark.parametrize("prefix", [b"", b"x", b"xy", b"xyz"])
@pytest.mark.parametrize("encode", [_b64, _b64url, base64.urlsafe_b64encode])
def test_the_search_finds_a_pid_in_base64_at_every_alignment(prefix, encode):
    blob = b"key=" + encode(prefix + b'{"pid":"' + PID.encode() + b'"}') + b";"
    assert PID.encode() not in blob
    assert holds(blob, PID)


@pytest.mark.parametrize("glue", ["", "a", "ab", "abc"])
def test_the_search_finds_a_pid_in_an_id_token_glued_to_other_text(glue):
    token = jwt.encode({"alg": "HS256"}, {"sub": "x", "pid": PID}, OctKey.generate_key(256))
    stored = json.dumps({"created_at": 1.0, "id_token": glue + token})
    assert PID not in stored
    assert holds(stored, PID)


def test_the_search_finds_a_pid_as_hex_and_in_base64_of_base64():
    assert holds("\\x" + PID.encode().hex(), PID)
    assert holds(_b64(_b64(PID.encode())), PID)


def test_the_search_finds_nothing_where_there_is_nothing():
    token = jwt.encode(
        {"alg": "HS256"}, {"sub": "x", "pid": "17037512346"}, OctKey.generate_key(256)
    )
    assert not holds(token + " 1703751234 " + _b64(b"17037 12345").decode(), PID)
