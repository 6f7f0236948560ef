"""Authlib server side of a dev ID-porten, so Samspel can log in locally without the real one."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from urllib.parse import urlencode, urlsplit

from authlib.common.security import generate_token, is_secure_transport
from authlib.common.urls import add_params_to_uri
from authlib.oauth2.rfc6749 import (
    AuthorizationServer,
    ClientMixin,
    InvalidRequestError,
    InvalidScopeError,
    OAuth2Error,
    OAuth2Payload,
    OAuth2Request,
    scope_to_list,
)
from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oauth2.rfc7636.challenge import compare_s256_code_challenge
from authlib.oidc.core import AuthorizationCodeMixin, OpenIDCode
from authlib.oidc.core.errors import LoginRequiredError
from authlib.oidc.rpinitiated import EndSessionEndpoint, EndSessionRequest
from joserfc.jwk import KeySet, RSAKey

ACR_SUBSTANTIAL = "idporten-loa-substantial"
ACR_HIGH = "idporten-loa-high"
ACR_VALUES = (ACR_SUBSTANTIAL, ACR_HIGH)
UI_LOCALES = ("nb", "nn", "en", "se")
DEFAULT_LOCALE = "nb"
SCOPES = ("openid", "profile")
AMR = ("TestID",)
TOKEN_AUTH_METHODS = ("client_secret_basic", "client_secret_post")

CODE_TTL = 60
ID_TOKEN_TTL = 120
ACCESS_TOKEN_TTL = 120
# A spent code is remembered a while so a replay can still revoke what it produced.
SPENT_CODE_MEMORY = 600

_PID = re.compile(r"[0-9]{11}")


def is_valid_pid(value: str) -> bool:
    return bool(_PID.fullmatch(value))


@dataclass(frozen=True)
class Person:
    pid: str
    name: str
    role: str = ""

    def __post_init__(self) -> None:
        if not is_valid_pid(self.pid):
            raise ValueError(f"pid must be 11 digits, got {self.pid!r}")


@dataclass(frozen=True)
class ClientConfig:
    client_id: str
    client_secret: str
    redirect_uris: Sequence[str]
    post_logout_redirect_uris: Sequence[str] = ()
    frontchannel_logout_uri: str | None = None


@dataclass
class IdpConfig:
    issuer: str
    clients: list[ClientConfig]
    persons: list[Person] = field(default_factory=list)
    # Private RSA JWK; a fresh one is generated at start when absent.
    private_key: dict[str, Any] | RSAKey | None = None
    # Key for pairwise sub; derived from the issuer when absent (see pairwise_sub).
    pairwise_secret: bytes | None = None


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


class _S256Required(CodeChallenge):
    """PKCE with S256 for every client, as ID-porten demands; Authlib only forces public ones."""

    DEFAULT_CODE_CHALLENGE_METHOD = "S256"
    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]
    CODE_CHALLENGE_METHODS = {"S256": compare_s256_code_challenge}

    def validate_code_challenge(self, grant: AuthorizationCodeGrant, redirect_uri: str) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("Missing 'code_challenge': PKCE with S256 is required.")
        # A missing method means "plain" under RFC 7636, so it is refused like "plain".
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("'code_challenge_method' must be 'S256'.")
        # With a challenge always stored, Authlib's verifier check applies to every client.
        super().validate_code_challenge(grant, redirect_uri)


class _CodeGrant(AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = list(TOKEN_AUTH_METHODS)
    server: DevIdportenServer

    def validate_authorization_request(self) -> str:
        if not self.request.payload.redirect_uri:
            raise InvalidRequestError("Missing 'redirect_uri' in request.")
        return super().validate_authorization_request()

    def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
        self.server.store_code(code, request)

    def query_authorization_code(self, code: str, client: Client) -> AuthorizationCode | None:
        return self.server.take_code(code, client.client_id)

    def delete_authorization_code(self, authorization_code: AuthorizationCode) -> None:
        # Nothing left to do: take_code removed it, so a failed exchange burns the code too.
        pass

    def authenticate_user(self, authorization_code: AuthorizationCode) -> Subject:
        auth = authorization_code.auth
        return Subject(auth.pid, auth.sid, authorization_code.client_id, auth.locale)


class _IdportenOpenIDCode(OpenIDCode):
    DEFAULT_EXPIRES_IN = ID_TOKEN_TTL

    def __init__(self, server: DevIdportenServer) -> None:
        super().__init__(require_nonce=False)
        self.server = server

    def exists_nonce(self, nonce: str, request: OAuth2Request) -> bool:
        return self.server.nonce_in_use(request.payload.client_id, nonce)

    def resolve_client_private_key(self, client: Client) -> RSAKey:
        return self.server.private_key

    def get_client_algorithm(self, client: Client) -> str:
        return "RS256"

    def get_encode_header(self, client: Client) -> dict[str, str]:
        # Authlib only adds kid through its deprecated jwt config; clients need it to pick a key.
        return {"alg": "RS256", "kid": self.server.kid, "typ": "JWT"}

    def get_client_claims(self, client: Client) -> dict[str, Any]:
        # ID-porten sends aud as a plain string, not a list.
        return {"iss": self.server.issuer, "aud": client.get_client_id()}

    def generate_user_info(self, user: Subject, scope: str) -> dict[str, Any]:
        return self.server.user_claims(user)


class _EndSession(EndSessionEndpoint):
    server: DevIdportenServer

    def get_server_jwks(self) -> KeySet:
        return KeySet([self.server.public_key])

    def get_algorithms(self) -> list[str]:
        return ["RS256"]

    def is_post_logout_redirect_uri_legitimate(
        self,
        request: OAuth2Request,
        post_logout_redirect_uri: str,
        client: Client,
        logout_hint: Any,
    ) -> bool:
        # Dev convenience: accept client_id without id_token_hint. The URI is already an exact
        # match against the client's registration, so this cannot become an open redirect.
        return True

    def end_session(self, end_session_request: EndSessionRequest) -> None:
        self.server.end_sessions(end_session_request)


class DevIdportenServer(AuthorizationServer):
    def __init__(self, config: IdpConfig, clock: Callable[[], float] = time.time) -> None:
        super().__init__(scopes_supported=list(SCOPES))
        self.issuer = config.issuer.rstrip("/")
        _check_issuer(self.issuer)
        self.clock = clock
        self.clients = {c.client_id: Client(c) for c in config.clients}
        self.private_key = _load_private_key(config.private_key)
        self.public_key = RSAKey.import_key(self.private_key.as_dict(private=False))
        self.kid: str = self.private_key.kid  # type: ignore[assignment]
        # Derived from the issuer by default so sub stays the same across restarts of the
        # dev provider, as it does in the real ID-porten; nothing secret is protected by it.
        self._pairwise_secret = (
            config.pairwise_secret
            or hashlib.sha256(b"samspel-dev-idporten-pairwise:" + self.issuer.encode()).digest()
        )
        # Signs the login form; random because it only has to outlive one process.
        self.form_secret = secrets.token_bytes(32)
        self._codes: dict[str, AuthorizationCode] = {}
        self._spent_codes: dict[str, float] = {}
        self._tokens: dict[str, AccessToken] = {}
        self._sessions: dict[str, ProviderSession] = {}

        self.register_token_generator(
            "default",
            BearerTokenGenerator(
                lambda **_: generate_token(43), expires_generator=ACCESS_TOKEN_TTL
            ),
        )
        self.register_grant(_CodeGrant, [_S256Required(), _IdportenOpenIDCode(self)])
        self.register_endpoint(_EndSession)

    # --- Authlib hooks -------------------------------------------------------------------

    def query_client(self, client_id: str) -> Client | None:
        return self.clients.get(client_id)

    def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
        subject: Subject = request.user
        code: AuthorizationCode = request.authorization_code
        self._tokens[token["access_token"]] = AccessToken(
            subject=subject,
            scope=token.get("scope", ""),
            expires_at=self.clock() + token.get("expires_in", ACCESS_TOKEN_TTL),
            code=code.code,
        )

    def validate_requested_scope(self, scope: str | None) -> None:
        if "openid" not in (scope_to_list(scope) or []):
            raise InvalidScopeError("The 'openid' scope is required.")
        super().validate_requested_scope(scope)

    def create_oauth2_request(self, request: HttpRequestData | OAuth2Request) -> OAuth2Request:
        if isinstance(request, OAuth2Request):
            return request
        return IdpRequest(request, self.issuer)

    def create_json_request(self, request: Any) -> Any:
        raise NotImplementedError("No JSON endpoints in the dev provider.")

    def handle_response(self, status: int, body: Any, headers: Any) -> ProviderResponse:
        return ProviderResponse(status, body, list(headers))

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        # Authlib emits signals for framework integrations; nothing listens here.
        return None

    def error_response(self, error: OAuth2Error) -> ProviderResponse:
        return self.handle_error_response(None, error)

    # --- codes and tokens ----------------------------------------------------------------

    def store_code(self, code: str, request: OAuth2Request) -> None:
        self._prune()
        auth: Authentication = request.user
        data = request.payload.data
        self._codes[code] = AuthorizationCode(
            code=code,
            client_id=request.client.client_id,
            redirect_uri=request.payload.redirect_uri,
            scope=request.scope,
            auth=auth,
            nonce=data.get("nonce"),
            code_challenge=data["code_challenge"],
            code_challenge_method=data["code_challenge_method"],
            expires_at=self.clock() + CODE_TTL,
        )
        session = self._session_by_sid(auth.sid)
        if session is not None:
            session.client_ids.add(request.client.client_id)

    def take_code(self, code: str, client_id: str) -> AuthorizationCode | None:
        if code in self._spent_codes:
            # RFC 6749 4.1.2: a replayed code should revoke what the first use produced.
            for token, issued in list(self._tokens.items()):
                if issued.code == code:
                    del self._tokens[token]
            return None
        item = self._codes.get(code)
        if item is None or item.client_id != client_id:
            return None
        del self._codes[code]
        self._spent_codes[code] = self.clock() + SPENT_CODE_MEMORY
        if item.expires_at <= self.clock():
            return None
        return item

    def nonce_in_use(self, client_id: str, nonce: str) -> bool:
        now = self.clock()
        return any(
            c.client_id == client_id and c.nonce == nonce and c.expires_at > now
            for c in self._codes.values()
        )

    def userinfo(self, access_token: str) -> dict[str, Any] | None:
        token = self._tokens.get(access_token)
        if token is None or token.expires_at <= self.clock():
            return None
        claims = self.user_claims(token.subject)
        return {"sub": claims["sub"], "pid": claims["pid"]}

    def _prune(self) -> None:
        now = self.clock()
        for store in (self._codes, self._tokens):
            for key in [k for k, v in store.items() if v.expires_at <= now]:
                del store[key]
        for key in [k for k, until in self._spent_codes.items() if until <= now]:
            del self._spent_codes[key]

    # --- identity ------------------------------------------------------------------------

    def pairwise_sub(self, client_id: str, pid: str) -> str:
        # The separator keeps ("ab", "1...") and ("a", "b1...") from colliding.
        mac = hmac.new(self._pairwise_secret, f"{client_id}\x1f{pid}".encode(), hashlib.sha256)
        return base64.urlsafe_b64encode(mac.digest()).rstrip(b"=").decode()

    def user_claims(self, subject: Subject) -> dict[str, Any]:
        return {
            "sub": self.pairwise_sub(subject.client_id, subject.pid),
            "pid": subject.pid,
            "sid": subject.sid,
            "locale": subject.locale,
        }

    # --- provider sessions (single sign-on) ----------------------------------------------

    def find_session(self, session_id: str | None) -> ProviderSession | None:
        if not session_id:
            return None
        return self._sessions.get(session_id)

    def _session_by_sid(self, sid: str) -> ProviderSession | None:
        return next((s for s in self._sessions.values() if s.sid == sid), None)

    def sign_in(
        self, pid: str, acr: str, locale: str, session_id: str | None
    ) -> tuple[ProviderSession, Authentication]:
        session = self.find_session(session_id)
        now = int(self.clock())
        if session is None or session.pid != pid:
            if session is not None:
                del self._sessions[session.session_id]
            session = ProviderSession(
                session_id=secrets.token_urlsafe(32),
                sid=secrets.token_urlsafe(16),
                pid=pid,
                acr=acr,
                auth_time=now,
            )
            self._sessions[session.session_id] = session
        else:
            # Same person logging in again keeps the SSO session, hence the same sid.
            session.acr = acr
            session.auth_time = now
        return session, Authentication(pid, session.sid, acr, now, locale)

    def resume_session(
        self, session: ProviderSession, requested_acr: str, locale: str, redirect_uri: str
    ) -> Authentication:
        """Silent login for prompt=none; refused if the session is below the requested level."""
        if requested_acr == ACR_HIGH and session.acr != ACR_HIGH:
            raise LoginRequiredError(redirect_uri=redirect_uri)
        return Authentication(session.pid, session.sid, session.acr, session.auth_time, locale)

    def end_sessions(self, end_session_request: EndSessionRequest) -> None:
        request: IdpRequest = end_session_request.request  # type: ignore[assignment]
        ended: list[ProviderSession] = []
        cookie_session = self.find_session(request.session_id)
        if cookie_session is not None:
            ended.append(cookie_session)
        hinted_sid = (end_session_request.id_token_claims or {}).get("sid")
        if hinted_sid:
            hinted = self._session_by_sid(hinted_sid)
            if hinted is not None and hinted is not cookie_session:
                ended.append(hinted)

        targets: dict[tuple[str, str], None] = {}  # a dict keeps the order stable
        for session in ended:
            del self._sessions[session.session_id]
            for client_id in sorted(session.client_ids):
                targets[(client_id, session.sid)] = None
        # The logging-out client learns of it even when its browser session is already gone.
        client = end_session_request.client
        if client is not None and hinted_sid:
            targets[(client.client_id, hinted_sid)] = None

        for client_id, sid in targets:
            registered = self.clients.get(client_id)
            if registered is not None and registered.frontchannel_logout_uri:
                request.frontchannel_logout_urls.append(
                    add_params_to_uri(
                        registered.frontchannel_logout_uri, [("iss", self.issuer), ("sid", sid)]
                    )
                )

    # --- published metadata --------------------------------------------------------------

    def jwks(self) -> dict[str, Any]:
        return {"keys": [{**self.public_key.as_dict(private=False), "use": "sig", "alg": "RS256"}]}

    def discovery_document(self) -> dict[str, Any]:
        iss = self.issuer
        return {
            "issuer": iss,
            "authorization_endpoint": f"{iss}/authorize",
            "token_endpoint": f"{iss}/token",
            "userinfo_endpoint": f"{iss}/userinfo",
            "jwks_uri": f"{iss}/jwks",
            "end_session_endpoint": f"{iss}/endsession",
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["pairwise"],
            "scopes_supported": list(SCOPES),
            "token_endpoint_auth_methods_supported": list(TOKEN_AUTH_METHODS),
            "code_challenge_methods_supported": ["S256"],
            "acr_values_supported": list(ACR_VALUES),
            "id_token_signing_alg_values_supported": ["RS256"],
            "ui_locales_supported": list(UI_LOCALES),
            "claims_supported": [
                "iss",
                "aud",
                "sub",
                "pid",
                "acr",
                "amr",
                "sid",
                "locale",
                "auth_time",
                "iat",
                "exp",
                "nonce",
                "at_hash",
            ],
            "frontchannel_logout_supported": True,
            "frontchannel_logout_session_supported": True,
        }


def requested_acr(acr_values: str | None) -> str:
    values = (acr_values or "").split()
    if ACR_HIGH in values:
        return ACR_HIGH
    return ACR_SUBSTANTIAL


def pick_locale(ui_locales: str | None) -> str:
    for tag in (ui_locales or "").split():
        if tag in UI_LOCALES:
            return tag
    return DEFAULT_LOCALE


def _check_issuer(issuer: str) -> None:
    parts = urlsplit(issuer)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ValueError(f"issuer must be an http(s) URL without query or fragment: {issuer!r}")
    # Authlib refuses plain http except on loopback; fail at start rather than on first login.
    if not is_secure_transport(issuer):
        raise ValueError(
            f"issuer {issuer!r} must use https or an http loopback host (127.0.0.1, localhost)"
        )


def _load_private_key(value: dict[str, Any] | RSAKey | None) -> RSAKey:
    if value is None:
        key = RSAKey.generate_key(2048, auto_kid=True)
    elif isinstance(value, RSAKey):
        key = value
    else:
        key = RSAKey.import_key(value)
    if not key.is_private:
        raise ValueError("private_key must be a private RSA key")
    key.ensure_kid()
    return key
