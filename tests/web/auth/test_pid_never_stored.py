"""The national identity number is used to find a person and then forgotten: never stored, never logged."""

import asyncpg
import redis.asyncio as aioredis

from tests.web.auth.idp import log_in


async def test_after_a_login_the_pid_is_nowhere_in_the_database_redis_or_the_log(
    site, provider, settings, capsys
):
    pid = "17037512345"  # a fresh synthetic number: this person registers on the way in
    response = await log_in(site, provider, pid)
    assert response.headers["location"].startswith("/welcome")
    welcome = await site.get(response.headers["location"])
    token = site.cookies.get("csrftoken", domain="testserver.local")
    done = await site.post(
        "/welcome",
        data={"name": "Pia Pid", "email": "pia@example.no", "_csrf_token": token},
    )
    assert welcome.status_code == 200 and done.status_code == 303

    admin = await asyncpg.connect(settings.database_url)
    try:
        tables = await admin.fetch(
            "select table_name from information_schema.tables where table_schema = 'public'"
        )
        for row in tables:
            dump = await admin.fetchval(
                f"select coalesce(string_agg(t::text, ''), '') from \"{row['table_name']}\" t"
            )
            assert pid not in dump, row["table_name"]
    finally:
        await admin.close()
    client = aioredis.from_url(settings.redis_url)
    try:
        for key in [k async for k in client.scan_iter("samspel:*")]:
            value = await client.get(key) if await client.type(key) == b"string" else b""
            assert pid.encode() not in (value or b""), key
    finally:
        await client.aclose()
    assert pid not in capsys.readouterr().out
