"""Each request does only what it needs: a static file or a probe touches no session, sets no
cookie; static files are versioned, cached for good and sent compressed when accepted; a
logged-in request reads its session and memberships in one Redis round trip, opens its tenant's
transaction in one statement and gives its connection back without another; a GET makes no
CSRF token it does not send and never reaches the rate limiter."""

from __future__ import annotations

import gzip
import html
import re
from contextlib import contextmanager

import asyncpg
import brotli
import litestar.concurrency
import pytest
import redis.asyncio.connection
from litestar.datastructures import Cookie
from litestar.middleware.rate_limit import RateLimitMiddleware

from services.dashboards import service as dashboards
from tests.services.dashboards.dashboard_helpers import fill, new_place
from tests.services.projects.plp_helpers import kommunenummer
from tests.web.auth.idp import Provider
from tests.web.browsing import CSRF_COOKIE, ensure_csrf, new_person, open_site, post
from web import assets
from web.app import csrf_config
from web.auth.sessions import SessionStore

HTML = {"accept": "text/html"}


def _refuse(*_args, **_kwargs):
    raise AssertionError("a static file or a probe read a session")


async def test_a_static_file_and_a_probe_read_no_session_and_set_no_cookie(client, monkeypatch):
    monkeypatch.setattr(SessionStore, "load_with_principal", _refuse)
    client.cookies.set("samspel_session", "whatever")
    for path in ("/health/live", "/static/css/samspel.css"):
        response = await client.get(path)
        assert response.status_code == 200, path
        assert "set-cookie" not in response.headers, path
        assert response.headers["x-content-type-options"] == "nosniff"


async def test_pages_link_static_files_by_a_versioned_url_that_is_cached_for_good(client):
    page = (await client.get("/", headers=HTML)).text
    linked = re.search(r'href="(/static/css/samspel\.css\?v=[0-9a-f]{16})"', page)
    assert linked, "the stylesheet is linked with its version"
    response = await client.get(linked.group(1))
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    # Without the version (an old page, a hand-typed URL): served, but asked again next time.
    plain = await client.get("/static/css/samspel.css")
    assert plain.headers["cache-control"] == "no-cache"
    again = await client.get(
        "/static/css/samspel.css", headers={"if-none-match": plain.headers["etag"]}
    )
    assert (again.status_code, again.content) == (304, b"")


@pytest.fixture
def compressed_static(tmp_path):
    (tmp_path / "css").mkdir()
    source = tmp_path / "css" / "site.css"
    source.write_text("body { color: black; }\n" * 200)
    assert assets.build(tmp_path) == 1
    return assets.static_app(assets.load(tmp_path)), source.read_bytes()


async def _get(app, path: str, **headers: str) -> tuple[int, dict[bytes, bytes], bytes]:
    sent = []

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "method": "GET",
        "path": path,
        "query_string": b"",
        "headers": [(k.replace("_", "-").encode(), v.encode()) for k, v in headers.items()],
    }
    await app(scope, None, send)
    return sent[0]["status"], dict(sent[0]["headers"]), sent[1]["body"]


async def test_static_files_are_compressed_at_build_time_and_sent_as_the_browser_accepts(
    compressed_static,
):
    app, raw = compressed_static
    status, headers, body = await _get(app, "/static/css/site.css", accept_encoding="gzip, br")
    assert (status, headers[b"content-encoding"]) == (200, b"br")
    assert brotli.decompress(body) == raw
    status, headers, body = await _get(app, "/static/css/site.css", accept_encoding="gzip")
    assert headers[b"content-encoding"] == b"gzip" and gzip.decompress(body) == raw
    status, headers, body = await _get(app, "/static/css/site.css")
    assert b"content-encoding" not in headers and body == raw
    assert (await _get(app, "/static/css/nothing.css"))[0] == 404


async def test_a_logged_in_request_reads_session_and_memberships_in_one_round_trip(
    settings, database, demo, monkeypatch
):
    person = await new_person(settings, "Einrundtur")
    async with open_site(settings, database, Provider(settings)) as site:
        browser = await site.browser(person.pid)
        assert (await browser.get("/me", headers=HTML)).status_code == 200  # the copy is kept
        calls = []
        original = SessionStore.load_with_principal

        async def counted(self, token, also=None):
            calls.append(token)
            return await original(self, token, also)

        monkeypatch.setattr(SessionStore, "load_with_principal", counted)
        sent: list[str] = []
        fetch = asyncpg.Connection.fetch

        async def spy(self, query, *args, **kwargs):
            sent.append(query)
            return await fetch(self, query, *args, **kwargs)

        monkeypatch.setattr(asyncpg.Connection, "fetch", spy)
        response = await browser.get("/me", headers=HTML)
    assert response.status_code == 200
    assert len(calls) == 1
    assert not [q for q in sent if "membership" in q], "memberships came from Redis, not SQL"


async def test_the_front_door_answers_a_probe_and_a_static_file_before_the_framework(
    settings, database, demo, monkeypatch
):
    from tests.web.conftest import serve
    from web.app import create_app
    from web.front import front

    async with serve(front(create_app(settings, database=database), settings)) as client:
        monkeypatch.setattr(SessionStore, "load_with_principal", _refuse)
        live = await client.get("/health/live")
        assert (live.status_code, live.json()) == (200, {"status": "ok"})
        static = await client.get("/static/css/samspel.css", headers={"accept-encoding": "br"})
        assert static.headers["content-encoding"] == "br"
        for answer in (live, static):
            assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
            assert answer.headers["x-content-type-options"] == "nosniff"
            assert "set-cookie" not in answer.headers
        monkeypatch.undo()
        # Everything else is the app's, as before.
        page = await client.get("/", headers=HTML)
        assert page.status_code == 200 and "x-request-id" in page.headers
        assert (await client.get("/health/ready")).json()["status"] == "ok"


_SQL = ("execute", "executemany", "fetch", "fetchrow", "fetchval", "fetchmany")


@contextmanager
def round_trips(monkeypatch):
    """Every SQL statement sent on any connection, and every Redis send (a pipeline is one)."""
    sent: dict[str, list] = {"sql": [], "redis": []}
    with monkeypatch.context() as patch:
        for name in _SQL:
            original = getattr(asyncpg.Connection, name)

            def spy(self, query, *args, _original=original, **kwargs):
                sent["sql"].append(" ".join(str(query).split()))
                return _original(self, query, *args, **kwargs)

            patch.setattr(asyncpg.Connection, name, spy)
        send = redis.asyncio.connection.AbstractConnection.send_packed_command

        async def counted(self, command, *args, **kwargs):
            sent["redis"].append(command)
            return await send(self, command, *args, **kwargs)

        patch.setattr(redis.asyncio.connection.AbstractConnection, "send_packed_command", counted)
        yield sent


@pytest.fixture
async def polling(settings, database, demo):
    """A municipality's staff member with its dashboard open: the browser and its poll's URL."""
    place = await new_place("Rundturkommune")
    await fill(place)
    await dashboards.refresh_municipalities_and_regions([place.id])
    staff = await new_person(
        settings,
        "Rundtur",
        seat={"scope": "municipality", "role": "viewer", "municipality_id": place.id},
    )
    async with open_site(settings, database, Provider(settings)) as site:
        browser = await site.browser(staff.pid)
        path = f"/k/{await kommunenummer(place.id)}/dashboard"
        page = await browser.get(path, headers={"hx-request": "true"})
        poll = html.unescape(re.search(r'hx-get="([^"]+)"', page.text).group(1))
        yield browser, poll


async def test_a_logged_in_poll_makes_one_redis_round_trip_and_no_sql_statement(
    polling, monkeypatch
):
    browser, poll = polling
    hx = {"hx-request": "true"}
    assert (await browser.get(poll, headers=hx)).status_code == 204  # the copy of who is kept
    with round_trips(monkeypatch) as sent:
        unchanged = await browser.get(poll, headers=hx)
    assert (unchanged.status_code, unchanged.text) == (204, "")
    # A logged-in answer, however short: this person's alone, and its request named.
    assert unchanged.headers["cache-control"] == "no-store" and unchanged.headers["x-request-id"]
    assert len(sent["redis"]) == 1, (
        "the session, the memberships' copy, its generation and the dashboard's version at once"
    )
    # The version the recompute kept in Redis is still the one shown: no transaction at all
    # (tests/web/dashboards/test_dashboard_cost.py: when Redis has another or none).
    assert sent["sql"] == []


async def test_a_logged_in_poll_and_page_run_nothing_in_a_worker_thread(polling, monkeypatch):
    """Litestar runs a plain function given as a guard or a throttle check in a thread."""
    browser, poll = polling
    hopped = []
    original = litestar.concurrency._run_sync_asyncio  # noqa: SLF001

    async def spy(fn, *args, **kwargs):
        hopped.append(getattr(fn, "__name__", repr(fn)))
        return await original(fn, *args, **kwargs)

    monkeypatch.setattr(litestar.concurrency, "_run_sync_asyncio", spy)
    assert (await browser.get(poll, headers={"hx-request": "true"})).status_code == 204
    assert (await browser.get("/me", headers=HTML)).status_code == 200
    assert hopped == []


async def test_a_get_without_a_form_makes_no_csrf_token_and_one_with_a_form_sets_it_once(
    polling, settings
):
    browser, poll = polling
    browser.cookies.delete(CSRF_COOKIE)
    unchanged = await browser.get(poll, headers={"hx-request": "true"})
    assert "set-cookie" not in unchanged.headers, "a 204 carries no form, and no token"
    page = await browser.get("/me", headers=HTML)
    assert CSRF_COOKIE + "=" in page.headers["set-cookie"], "a page with forms sets the cookie"
    token = page.headers["set-cookie"].split(";")[0].split("=", 1)[1]
    assert token in page.text
    config = csrf_config(settings)
    litestars = Cookie(
        key=config.cookie_name,
        value=token,
        path=config.cookie_path,
        secure=config.cookie_secure,
        httponly=config.cookie_httponly,
        samesite=config.cookie_samesite,
        domain=config.cookie_domain,
    ).to_encoded_header()
    assert page.headers["set-cookie"] == litestars[1].decode(), "as Litestar's Cookie writes it"
    assert page.headers["cache-control"] == "no-store" and page.headers["x-request-id"]
    again = await browser.get("/me", headers=HTML)
    assert "set-cookie" not in again.headers and token in again.text, "the cookie's own token"


async def test_a_get_never_reaches_the_rate_limiter_and_a_form_post_does(polling, monkeypatch):
    browser, poll = polling
    reached = []
    original = RateLimitMiddleware.__call__

    async def spy(self, scope, receive, send):
        reached.append(scope["method"])
        return await original(self, scope, receive, send)

    await ensure_csrf(browser)
    monkeypatch.setattr(RateLimitMiddleware, "__call__", spy)
    assert (await browser.get(poll, headers={"hx-request": "true"})).status_code == 204
    assert (await browser.get("/me", headers=HTML)).status_code == 200
    assert reached == []
    await post(browser, "/me/active", {"membership": "0"}, headers=HTML)
    assert reached == ["POST"]


async def test_the_publics_copy_of_a_kept_page_carries_no_token_and_sets_no_cookie(client):
    for _ in range(2):  # made, then answered from the kept copy
        page = await client.get("/tenders", headers=HTML)
        assert page.status_code == 200 and "set-cookie" not in page.headers
        assert '{"x-csrftoken": ""}' in html.unescape(page.text)
