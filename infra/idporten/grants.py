"""Authlib's grants as ID-porten runs them: PKCE S256 from every client, ID-porten's claims."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from authlib.oauth2.rfc6749 import (
    InvalidRequestError,
    OAuth2Request,
)
from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oauth2.rfc7636.challenge import compare_s256_code_challenge
from authlib.oidc.core import OpenIDCode
from authlib.oidc.rpinitiated import EndSessionEndpoint, EndSessionRequest
from joserfc.jwk import KeySet, RSAKey

from infra.idporten.config import ID_TOKEN_TTL, TOKEN_AUTH_METHODS
from infra.idporten.models import AuthorizationCode, Client, Subject

if TYPE_CHECKING:  # the server holds these grants; only its type is needed here
    from infra.idporten.provider import DevIdportenServer


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
    """As ID-porten: without an id_token_hint it logs out but never redirects back (Authlib's
    default refuses a post_logout_redirect_uri that no hint vouches for)."""

    server: DevIdportenServer

    def get_server_jwks(self) -> KeySet:
        return KeySet([self.server.public_key])

    def get_algorithms(self) -> list[str]:
        return ["RS256"]

    def end_session(self, end_session_request: EndSessionRequest) -> None:
        self.server.end_sessions(end_session_request)
