"""Logging in with ID-porten: the whole flow, and every way an answer is refused."""

import time
from urllib.parse import urlencode, urlsplit

import pytest
from joserfc.jwk import RSAKey

from services.demo.data import PERSONS
from tests.web.auth.idp import log_in, query_of
from tests.web.browsing import ensure_csrf
from web.auth.sessions import COOKIE

CASE_OFFICER = next(p for p in PERSONS if p.name == "Ingrid Støen")  # Meråker, 5034
JAR_DOMAIN = "testserver.local"  # where httpx's cookie jar files cookies for "testserver"


def session_cookie(site) -> str | None:
    return site.cookies.get(COOKIE, domain=JAR_DOMAIN)


async def test_a_demo_municipal_user_lands_in_their_municipality(site, provider):
    response = await log_in(site, provider, CASE_OFFICER.pid)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/home"
    home = await site.get("/home")
    assert home.headers["location"] == "/k/5034"
    page = await site.get("/k/5034")
    assert page.status_code == 200 and "Meråker" in page.text
    assert page.headers["cache-control"] == "no-store"


async def test_after_logout_the_old_cookie_no_longer_works(site, provider):
    await log_in(site, provider, CASE_OFFICER.pid)
    old = session_cookie(site)
    token = await ensure_csrf(site)  # the cookie comes with a page that has a form
    out = await site.post("/auth/logout", data={"_csrf_token": token})
    assert out.status_code == 303
    ending = urlsplit(out.headers["location"])
    assert ending.path == "/endsession"
    # The hint opens only with the browser's cookie (Redis keeps it sealed), and it brings the
    # browser back to Samspel after ID-porten's logout.
    query = query_of(out.headers["location"])
    assert set(query) == {"id_token_hint", "post_logout_redirect_uri", "state"}
    assert query["post_logout_redirect_uri"].endswith("/")
    site.cookies.set(COOKIE, old, domain=JAR_DOMAIN)
    again = await site.get("/k/5034", headers={"accept": "text/html"})
    assert again.status_code == 303 and again.headers["location"].startswith("/auth/login")


async def test_each_login_gets_a_new_session_id(site, provider):
    site.cookies.set(COOKIE, "chosen-by-an-attacker", domain=JAR_DOMAIN)
    await log_in(site, provider, CASE_OFFICER.pid)
    first = session_cookie(site)
    assert first and first != "chosen-by-an-attacker"
    await log_in(site, provider, CASE_OFFICER.pid)
    assert session_cookie(site) not in (first, None)


async def test_the_session_cookie_is_httponly_and_lax(site, provider):
    response = await log_in(site, provider, CASE_OFFICER.pid)
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith(COOKIE))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie  # the base URL is http here; https turns it on


def _resign(**changes):
    def tamper(header, claims):
        claims.update(changes)
        return header, claims, None

    return tamper


REFUSALS = {
    "bad signature": (
        lambda h, c: (h, c, RSAKey.generate_key(2048, parameters={"kid": "test-key"})),
        "signature",
    ),
    "wrong iss": (_resign(iss="https://evil.example"), "claim_iss"),
    "wrong aud": (_resign(aud="another-client"), "claim_aud"),
    "expired": (_resign(exp=int(time.time()) - 3600, iat=int(time.time()) - 3700), "expired"),
    "wrong nonce": (_resign(nonce="not-the-one-we-sent"), "claim_nonce"),
    "acr below substantial": (_resign(acr="idporten-loa-low"), "claim_acr"),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
async def test_an_untrustworthy_id_token_is_refused_with_a_clear_page_and_no_session(
    site, provider, case
):
    provider.tamper, reason = REFUSALS[case]
    response = await log_in(site, provider, CASE_OFFICER.pid)
    await assert_refused(site, response, reason)


async def test_an_unsigned_token_alg_none_is_refused(site, provider):
    def unsigned(header, claims):
        import base64
        import json

        def part(value):
            return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

        return header, claims, f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."

    provider.tamper = unsigned
    response = await log_in(site, provider, CASE_OFFICER.pid)
    await assert_refused(site, response, "algorithm")


async def test_a_replayed_state_is_refused(site, provider):
    first = await log_in(site, provider, CASE_OFFICER.pid)
    assert first.status_code == 303
    # The same callback again, code and state as before.
    start = await site.get("/auth/login")
    state = query_of(start.headers["location"])["state"]
    site.cookies.clear()
    replay = await site.get("/auth/callback?" + urlencode({"code": "x", "state": state}))
    await assert_refused(site, replay, "state")
    again = await site.get("/auth/callback?" + urlencode({"code": "x", "state": state}))
    await assert_refused(site, again, "state")


async def test_a_login_without_pkce_is_refused_by_the_provider_and_by_us(site, provider):
    def strip_pkce(url: str) -> str:
        parts = urlsplit(url)
        query = {
            k: v
            for k, v in query_of(url).items()
            if k not in ("code_challenge", "code_challenge_method")
        }
        return f"{parts.path}?{urlencode(query)}"

    response = await log_in(site, provider, CASE_OFFICER.pid, rewrite_authorize=strip_pkce)
    await assert_refused(site, response, "provider_invalid_request")


async def assert_refused(site, response, reason):
    assert response.status_code == 400, response.text
    assert "could not be completed" in response.text or "kunne ikke" in response.text
    assert f"<code>{reason}</code>" in response.text
    assert not session_cookie(site)
    me = await site.get("/me", headers={"accept": "text/html"})
    assert me.status_code == 303 and me.headers["location"].startswith("/auth/login")


async def test_a_refused_answer_ends_the_session_the_browser_had(site, provider):
    await log_in(site, provider, CASE_OFFICER.pid)
    assert (await site.get("/k/5034")).status_code == 200
    old = session_cookie(site)
    provider.tamper = _resign(nonce="not-the-one-we-sent")
    refused = await log_in(site, provider, CASE_OFFICER.pid)
    await assert_refused(site, refused, "claim_nonce")
    site.cookies.set(COOKIE, old, domain=JAR_DOMAIN)  # the old cookie, put back by hand
    again = await site.get("/k/5034", headers={"accept": "text/html"})
    assert again.status_code == 303 and again.headers["location"].startswith("/auth/login")
