"""Each request does only what it needs: a static file or a probe touches no session, sets no
cookie; static files are versioned, cached for good and sent compressed when accepted; a
logged-in request reads its session and memberships in one Redis round trip."""

from __future__ import annotations

import gzip
import re

import asyncpg
import brotli
import pytest

from tests.web.auth.idp import Provider
from tests.web.browsing import new_person, open_site
from web import assets
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

        async def counted(self, token):
            calls.append(token)
            return await original(self, token)

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
