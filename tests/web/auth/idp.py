"""The dev ID-porten in-process, with keys made in the test, and a browser that logs in through it."""

from __future__ import annotations

import json
from collections.abc import Callable
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import httpx
from joserfc import jwt
from joserfc.jwk import RSAKey

from infra.idporten import ClientConfig, IdpConfig, create_idp_app


class _HiddenInputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "input" and a.get("type") == "hidden":
            self.fields[a.get("name") or ""] = a.get("value") or ""


def hidden_fields(html: str) -> dict[str, str]:
    parser = _HiddenInputs()
    parser.feed(html)
    return parser.fields


class Provider:
    """The provider app, the key it signs with, and a hook that may rewrite its ID tokens."""

    def __init__(self, settings) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key", "use": "sig"})
        self.app = create_idp_app(
            IdpConfig(
                issuer=settings.idp_issuer,
                clients=[
                    ClientConfig(
                        client_id=settings.oidc_client_id,
                        client_secret=settings.oidc_client_secret,
                        redirect_uris=[f"{settings.base_url}/auth/callback"],
                        post_logout_redirect_uris=[f"{settings.base_url}/"],
                    )
                ],
                private_key=self.key.as_dict(private=True),
            )
        )
        self.issuer = settings.idp_issuer
        self.tamper: Callable[[dict, dict], tuple[dict, dict, object]] | None = None
        self.transport = _Tampering(self)

    def sign(self, header: dict, claims: dict, key=None) -> str:
        return jwt.encode(header, claims, key or self.key)


class _Tampering(httpx.AsyncBaseTransport):
    """Passes requests to the provider; lets a test rewrite the ID token the token endpoint gives."""

    def __init__(self, provider: Provider) -> None:
        self.provider = provider
        self.inner = httpx.ASGITransport(app=provider.app)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if request.url.path != "/token" or self.provider.tamper is None:
            return response
        body = json.loads(await response.aread())
        if "id_token" in body:
            token = jwt.decode(body["id_token"], self.provider.key)
            header, claims, key = self.provider.tamper(dict(token.header), dict(token.claims))
            body["id_token"] = (
                key
                if isinstance(key, str)
                else jwt.encode(header, claims, key or self.provider.key)
            )
        return httpx.Response(response.status_code, json=body)


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


async def log_in(
    client: httpx.AsyncClient,
    provider: Provider,
    pid: str,
    *,
    next: str = "/",
    level: str = "substantial",
    rewrite_authorize: Callable[[str], str] | None = None,
) -> httpx.Response:
    """What a browser does: our login, the provider's page, choosing a person, our callback."""
    start = await client.get("/auth/login", params={"next": next})
    assert start.status_code == 302, start.text
    authorize = start.headers["location"]
    if rewrite_authorize:
        authorize = rewrite_authorize(authorize)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=provider.app), base_url=provider.issuer
    ) as browser:
        page = await browser.get(authorize)
        if page.status_code in (302, 303):
            back = page.headers["location"]
        else:
            assert page.status_code == 200, page.text
            chosen = await browser.post(
                "/authorize", data={**hidden_fields(page.text), "pid": pid, "level": level}
            )
            assert chosen.status_code in (302, 303), chosen.text
            back = chosen.headers["location"]
    parts = urlsplit(back)
    return await client.get(f"{parts.path}?{parts.query}")
