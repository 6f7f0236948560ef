"""Key rotation: an unknown kid makes the client fetch the provider's keys once more, only once."""

import time

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, OctKey, RSAKey

from web.auth.oidc import LoginRefused, OidcClient


class RotatingProvider:
    """Discovery and a JWKS whose published keys the test changes; counts the JWKS fetches."""

    def __init__(self, settings, *keys: RSAKey) -> None:
        self.settings = settings
        self.published = list(keys)
        self.jwks_fetches = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        issuer = self.settings.idp_issuer
        if request.url.path == "/.well-known/openid-configuration":
            return httpx.Response(
                200,
                json={
                    "issuer": issuer,
                    "jwks_uri": f"{issuer}/jwks",
                    "authorization_endpoint": f"{issuer}/authorize",
                    "token_endpoint": f"{issuer}/token",
                },
            )
        if request.url.path == "/jwks":
            self.jwks_fetches += 1
            return httpx.Response(200, json=KeySet(self.published).as_dict(private=False))
        return httpx.Response(404)


def token(settings, key: RSAKey, nonce: str = "n") -> str:
    now = int(time.time())
    claims = {
        "iss": settings.idp_issuer,
        "aud": settings.oidc_client_id,
        "sub": "pairwise",
        "pid": "05817397463",
        "acr": "idporten-loa-substantial",
        "nonce": nonce,
        "iat": now,
        "exp": now + 60,
    }
    return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)


def key(kid: str) -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": kid})


async def test_a_rotated_key_is_fetched_once_and_accepted(settings):
    old, new = key("old"), key("new")
    provider = RotatingProvider(settings, old)
    client = OidcClient(settings, transport=httpx.MockTransport(provider))
    assert (await client.validate(token(settings, old), nonce="n"))["pid"] == "05817397463"
    provider.published = [old, new]
    assert (await client.validate(token(settings, new), nonce="n"))["sub"] == "pairwise"
    assert provider.jwks_fetches == 2


async def test_a_kid_the_provider_never_published_is_refused_after_one_refetch(settings):
    published, stranger = key("published"), key("stranger")
    provider = RotatingProvider(settings, published)
    client = OidcClient(settings, transport=httpx.MockTransport(provider))
    await client.validate(token(settings, published), nonce="n")
    with pytest.raises(LoginRefused) as refused:
        await client.validate(token(settings, stranger), nonce="n")
    assert refused.value.reason == "signature"
    assert provider.jwks_fetches == 2  # the cached set, then one refetch; no more


async def test_a_token_signed_with_hs256_by_the_public_key_is_refused(settings):
    published = key("published")
    client = OidcClient(
        settings, transport=httpx.MockTransport(RotatingProvider(settings, published))
    )
    forged = jwt.encode(
        {"alg": "HS256", "kid": "published"},
        {"iss": settings.idp_issuer},
        OctKey.import_key(b"x" * 32),
    )
    with pytest.raises(LoginRefused) as refused:
        await client.validate(forged, nonce="n")
    assert refused.value.reason == "algorithm"
