"""Authlib server side of a dev ID-porten, so Samspel can log in locally without the real one."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from authlib.common.security import generate_token, is_secure_transport
from authlib.common.urls import add_params_to_uri
from authlib.oauth2.rfc6749 import (
    AuthorizationServer,
    InvalidScopeError,
    OAuth2Error,
    OAuth2Request,
    scope_to_list,
)
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oidc.core.errors import LoginRequiredError
from authlib.oidc.rpinitiated import EndSessionRequest
from joserfc.jwk import RSAKey

from infra.idporten.config import (
    ACCESS_TOKEN_TTL,
    ACR_HIGH,
    ACR_VALUES,
    CODE_TTL,
    SCOPES,
    SPENT_CODE_MEMORY,
    TOKEN_AUTH_METHODS,
    UI_LOCALES,
    IdpConfig,
)
from infra.idporten.grants import _CodeGrant, _EndSession, _IdportenOpenIDCode, _S256Required
from infra.idporten.models import (
    AccessToken,
    Authentication,
    AuthorizationCode,
    Client,
    HttpRequestData,
    IdpRequest,
    ProviderResponse,
    ProviderSession,
    Subject,
)


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
