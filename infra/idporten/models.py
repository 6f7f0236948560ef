"""The provider's own records: requests, clients, sessions, codes and tokens, all in memory."""

from __future__ import annotations

import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from urllib.parse import urlencode

from authlib.oauth2.rfc6749 import (
    ClientMixin,
    OAuth2Payload,
    OAuth2Request,
    scope_to_list,
)
from authlib.oidc.core import AuthorizationCodeMixin

from infra.idporten.config import AMR, SCOPES, TOKEN_AUTH_METHODS, ClientConfig


class ProviderResponse(NamedTuple):
    """Framework-neutral response, so this module does not depend on the HTTP app."""

    status: int
    body: Any
    headers: list[tuple[str, str]]


@dataclass(frozen=True)
class HttpRequestData:
    """What the provider needs from an HTTP request, read up front because Authlib is sync."""

    method: str
    path: str
    query: Sequence[tuple[str, str]] = ()
    form: Sequence[tuple[str, str]] = ()
    headers: Mapping[str, str] = field(default_factory=dict)
    session_id: str | None = None


class _Payload(OAuth2Payload):
    def __init__(self, items: Sequence[tuple[str, str]]) -> None:
        self._data: dict[str, str] = {}
        self._datalist: dict[str, list[str]] = {}
        for key, value in items:
            self._data.setdefault(key, value)
            self._datalist.setdefault(key, []).append(value)

    @property
    def data(self) -> dict[str, str]:
        return self._data

    @property
    def datalist(self) -> dict[str, list[str]]:  # type: ignore[override]
        return self._datalist


class IdpRequest(OAuth2Request):
    def __init__(self, data: HttpRequestData, issuer: str) -> None:
        # The issuer URL, not the Host header, so Authlib's transport check sees what clients see.
        uri = issuer + data.path + ("?" + urlencode(list(data.query)) if data.query else "")
        super().__init__(method=data.method, uri=uri, headers=data.headers)
        self.payload = _Payload([*data.query, *data.form])
        self._args = dict(reversed(list(data.query)))
        self._form = dict(reversed(list(data.form)))
        self.session_id = data.session_id
        self.frontchannel_logout_urls: list[str] = []

    @property
    def args(self) -> dict[str, str]:
        return self._args

    @property
    def form(self) -> dict[str, str]:
        return self._form


class Client(ClientMixin):
    def __init__(self, config: ClientConfig) -> None:
        self.client_id = config.client_id
        self.client_secret = config.client_secret
        self.redirect_uris = tuple(config.redirect_uris)
        self.post_logout_redirect_uris = tuple(config.post_logout_redirect_uris)
        self.frontchannel_logout_uri = config.frontchannel_logout_uri

    @property
    def client_metadata(self) -> dict[str, Any]:
        # Authlib's end-session endpoint reads the registration from here.
        return {
            "redirect_uris": list(self.redirect_uris),
            "post_logout_redirect_uris": list(self.post_logout_redirect_uris),
            "frontchannel_logout_uri": self.frontchannel_logout_uri,
        }

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> None:
        # OpenID Connect requires redirect_uri in every request; never guess one.
        return None

    def get_allowed_scope(self, scope: str | None) -> str:
        return " ".join(s for s in scope_to_list(scope) or [] if s in SCOPES)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return hmac.compare_digest(client_secret.encode(), self.client_secret.encode())

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return endpoint == "token" and method in TOKEN_AUTH_METHODS

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass(frozen=True)
class Authentication:
    """A completed login, handed to Authlib as the granting user."""

    pid: str
    sid: str
    acr: str
    auth_time: int
    locale: str


@dataclass(frozen=True)
class Subject:
    """The user as one client sees it; the client is needed for the pairwise sub."""

    pid: str
    sid: str
    client_id: str
    locale: str


@dataclass
class ProviderSession:
    session_id: str  # secret, lives in the browser cookie
    sid: str  # public, goes into ID tokens and front-channel logout
    pid: str
    acr: str
    auth_time: int
    client_ids: set[str] = field(default_factory=set)


@dataclass
class AuthorizationCode(AuthorizationCodeMixin):
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    auth: Authentication
    nonce: str | None
    code_challenge: str
    code_challenge_method: str
    expires_at: float

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth.auth_time

    def get_acr(self) -> str:
        return self.auth.acr

    def get_amr(self) -> list[str]:
        return list(AMR)


@dataclass
class AccessToken:
    subject: Subject
    scope: str
    expires_at: float
    code: str
