"""The OpenID Connect client for ID-porten: Authlib speaks the protocol, we check the ID token."""

from __future__ import annotations

import time
from typing import Any

import httpx
from authlib.integrations.httpx_client import AsyncOAuth2Client
from joserfc import jwt
from joserfc.errors import (
    BadSignatureError,
    ExpiredTokenError,
    InvalidClaimError,
    InvalidKeyIdError,
    JoseError,
    MissingClaimError,
    UnsupportedAlgorithmError,
)
from joserfc.jwk import KeySet

from infra.settings import Settings

ACR_SUBSTANTIAL = "idporten-loa-substantial"
ACR_HIGH = "idporten-loa-high"
LEEWAY_SECONDS = 30
METADATA_TTL = 3600


class LoginRefused(Exception):
    """The provider's answer cannot be trusted; `reason` says which check failed."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def allowed_acr(configured: str) -> list[str]:
    return [ACR_HIGH] if configured == ACR_HIGH else [ACR_SUBSTANTIAL, ACR_HIGH]


class OidcClient:
    """One per process; discovery and keys are cached, and refetched once for an unknown key."""

    def __init__(self, settings: Settings, transport: httpx.AsyncBaseTransport | None = None):
        self.issuer = settings.idp_issuer
        self.client_id = settings.oidc_client_id
        self.client_secret = settings.oidc_client_secret
        self.redirect_uri = f"{settings.base_url}/auth/callback"
        self.post_logout_redirect_uri = f"{settings.base_url}/"
        self.acr_values = settings.acr_values
        self._transport = transport
        self._metadata: dict[str, Any] | None = None
        self._metadata_at = 0.0
        self._keys: KeySet | None = None

    def _http(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=self._transport, timeout=10)

    def _oauth(self) -> AsyncOAuth2Client:
        return AsyncOAuth2Client(
            client_id=self.client_id,
            client_secret=self.client_secret,
            scope="openid profile",
            redirect_uri=self.redirect_uri,
            code_challenge_method="S256",
            transport=self._transport,
            timeout=10,
        )

    async def metadata(self) -> dict[str, Any]:
        if self._metadata is None or time.monotonic() - self._metadata_at > METADATA_TTL:
            async with self._http() as http:
                response = await http.get(f"{self.issuer}/.well-known/openid-configuration")
                response.raise_for_status()
                metadata = response.json()
            if metadata.get("issuer") != self.issuer:
                raise LoginRefused("discovery_issuer")
            self._metadata, self._metadata_at = metadata, time.monotonic()
        return self._metadata

    async def keys(self, *, refresh: bool = False) -> KeySet:
        if self._keys is None or refresh:
            metadata = await self.metadata()
            async with self._http() as http:
                response = await http.get(metadata["jwks_uri"])
                response.raise_for_status()
                self._keys = KeySet.import_key_set(response.json())
        return self._keys

    async def authorization_url(self, *, state: str, nonce: str, verifier: str, locale: str) -> str:
        metadata = await self.metadata()
        async with self._oauth() as oauth:
            url, _ = oauth.create_authorization_url(
                metadata["authorization_endpoint"],
                state=state,
                nonce=nonce,
                code_verifier=verifier,
                acr_values=self.acr_values,
                ui_locales=locale,
            )
        return url

    async def exchange(self, code: str, verifier: str) -> dict[str, Any]:
        metadata = await self.metadata()
        async with self._oauth() as oauth:
            try:
                return dict(
                    await oauth.fetch_token(
                        metadata["token_endpoint"], code=code, code_verifier=verifier
                    )
                )
            except Exception as error:  # noqa: BLE001 - any failure here refuses the login
                raise LoginRefused("token_exchange") from error

    async def validate(self, id_token: str, *, nonce: str) -> dict[str, Any]:
        """Check signature (RS256 only), iss, aud, exp/iat, nonce and acr; return the claims."""
        try:
            token = await self._decode(id_token)
        except LoginRefused:
            raise
        except (BadSignatureError, InvalidKeyIdError) as error:
            raise LoginRefused("signature") from error
        except UnsupportedAlgorithmError as error:
            raise LoginRefused("algorithm") from error
        except (JoseError, ValueError) as error:
            raise LoginRefused("malformed_token") from error
        registry = jwt.JWTClaimsRegistry(
            leeway=LEEWAY_SECONDS,
            iss={"essential": True, "value": self.issuer},
            aud={"essential": True, "value": self.client_id},
            exp={"essential": True},
            iat={"essential": True},
            sub={"essential": True},
            pid={"essential": True},
            nonce={"essential": True, "value": nonce},
            acr={"essential": True, "values": allowed_acr(self.acr_values)},
        )
        try:
            registry.validate(token.claims)
        except ExpiredTokenError as error:
            raise LoginRefused("expired") from error
        except (InvalidClaimError, MissingClaimError) as error:
            raise LoginRefused(f"claim_{getattr(error, 'claim', 'unknown')}") from error
        except JoseError as error:
            raise LoginRefused("claims") from error
        if token.claims["iat"] > time.time() + LEEWAY_SECONDS:
            raise LoginRefused("claim_iat")
        return dict(token.claims)

    async def _decode(self, id_token: str) -> jwt.Token:
        try:
            return jwt.decode(id_token, await self.keys(), algorithms=["RS256"])
        except InvalidKeyIdError:
            # The provider may have rotated its keys: fetch them once more, and only once.
            return jwt.decode(id_token, await self.keys(refresh=True), algorithms=["RS256"])

    async def end_session_url(self, *, id_token: str | None, state: str) -> str | None:
        """ID-porten's logout. With the ID token as id_token_hint it sends the browser back to
        us; without one (a session from before, or a cookie that no longer opens the hint) it
        still ends its session and sends every client its front-channel logout, but by its
        documentation does not redirect back, so no post_logout_redirect_uri is asked for."""
        metadata = await self.metadata()
        endpoint = metadata.get("end_session_endpoint")
        if not endpoint:
            return None
        if not id_token:
            return str(httpx.URL(endpoint, params={"client_id": self.client_id}))
        params = {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": self.post_logout_redirect_uri,
            "state": state,
        }
        return str(httpx.URL(endpoint, params=params))
