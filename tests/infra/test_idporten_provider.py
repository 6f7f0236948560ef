"""Checks the dev ID-porten provider behaves like ID-porten where Samspel's login relies on it."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from litestar import Litestar
from litestar.testing import TestClient

from infra.idporten import ClientConfig, IdpConfig, Person, create_idp_app
from infra.idporten.__main__ import load_config
from infra.idporten.app import CSRF_COOKIE, SESSION_COOKIE, _form_token

ISSUER = "http://127.0.0.1:8001"
CLIENT_A = "samspel-dev"
SECRET_A = "secret-a"
REDIRECT_A = "http://127.0.0.1:8000/auth/callback"
LOGOUT_A = "http://127.0.0.1:8000/"
CLIENT_B = "other-service"
SECRET_B = "secret-b"
REDIRECT_B = "http://127.0.0.1:9000/callback"
FRONTCHANNEL_B = "http://127.0.0.1:9000/frontchannel-logout"
PID = "12888540006"


@pytest.fixture(scope="module")
def private_key() -> dict[str, Any]:
    # One key per module: RSA generation is the slow part of building an app.
    return RSAKey.generate_key(2048, auto_kid=True).as_dict(private=True)


@pytest.fixture
def app(private_key: dict[str, Any]) -> Litestar:
    return create_idp_app(
        IdpConfig(
            issuer=ISSUER,
            clients=[
                ClientConfig(CLIENT_A, SECRET_A, [REDIRECT_A], [LOGOUT_A]),
                ClientConfig(
                    CLIENT_B,
                    SECRET_B,
                    [REDIRECT_B],
                    ["http://127.0.0.1:9000/"],
                    frontchannel_logout_uri=FRONTCHANNEL_B,
                ),
            ],
            persons=[Person(PID, "Kari Nordmann", "Business developer")],
            private_key=private_key,
        )
    )


@pytest.fixture
def client(app: Litestar) -> Any:
    with TestClient(app=app) as test_client:
        yield test_client


class _HiddenInputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "input" and attributes.get("type") == "hidden":
            self.fields[attributes["name"] or ""] = attributes.get("value") or ""


def hidden_fields(html: str) -> dict[str, str]:
    parser = _HiddenInputs()
    parser.feed(html)
    return parser.fields


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    return verifier, challenge.rstrip(b"=").decode()


def auth_params(client_id: str = CLIENT_A, redirect_uri: str = REDIRECT_A, **extra: str) -> dict:
    params = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "scope": "openid profile",
        "state": secrets.token_urlsafe(8),
        "nonce": secrets.token_urlsafe(8),
    }
    params.update(extra)
    return {k: v for k, v in params.items() if v is not None}


def login(client: Any, params: dict, form: dict[str, str]) -> Any:
    page = client.get("/authorize", params=params)
    assert page.status_code == 200, page.text
    return client.post(
        "/authorize", data={**hidden_fields(page.text), **form}, follow_redirects=False
    )


def query_of(location: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def get_code(
    client: Any,
    client_id: str = CLIENT_A,
    redirect_uri: str = REDIRECT_A,
    pid: str = PID,
    level: str = "substantial",
    **extra: str,
) -> tuple[str, str, dict]:
    verifier, challenge = pkce_pair()
    params = auth_params(
        client_id, redirect_uri, code_challenge=challenge, code_challenge_method="S256", **extra
    )
    response = login(client, params, {"pid": pid, "level": level})
    assert response.status_code == 302, response.text
    location = response.headers["location"]
    assert location.startswith(redirect_uri + "?")
    query = query_of(location)
    assert query["state"] == params["state"]
    return query["code"], verifier, params


def exchange(
    client: Any,
    code: str,
    verifier: str | None,
    client_id: str = CLIENT_A,
    secret: str = SECRET_A,
    redirect_uri: str = REDIRECT_A,
    basic: bool = True,
) -> Any:
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
    if verifier is not None:
        form["code_verifier"] = verifier
    if basic:
        return client.post("/token", data=form, auth=(client_id, secret))
    return client.post("/token", data={**form, "client_id": client_id, "client_secret": secret})


def verified_claims(client: Any, id_token: str) -> tuple[dict, dict]:
    keys = KeySet.import_key_set(client.get("/jwks").json())
    token = jwt.decode(id_token, keys, algorithms=["RS256"])
    return dict(token.header), dict(token.claims)


def full_login(client: Any, **kwargs: Any) -> dict[str, Any]:
    code, verifier, params = get_code(client, **kwargs)
    client_id = kwargs.get("client_id", CLIENT_A)
    secret = SECRET_B if client_id == CLIENT_B else SECRET_A
    redirect_uri = kwargs.get("redirect_uri", REDIRECT_A)
    response = exchange(client, code, verifier, client_id, secret, redirect_uri)
    assert response.status_code == 200, response.text
    return response.json()


def test_discovery_document_describes_idporten(client: Any) -> None:
    doc = client.get("/.well-known/openid-configuration").json()

    assert doc["issuer"] == ISSUER
    assert doc["authorization_endpoint"] == f"{ISSUER}/authorize"
    assert doc["token_endpoint"] == f"{ISSUER}/token"
    assert doc["userinfo_endpoint"] == f"{ISSUER}/userinfo"
    assert doc["jwks_uri"] == f"{ISSUER}/jwks"
    assert doc["end_session_endpoint"] == f"{ISSUER}/endsession"
    assert doc["code_challenge_methods_supported"] == ["S256"]
    assert doc["acr_values_supported"] == ["idporten-loa-substantial", "idporten-loa-high"]
    assert doc["id_token_signing_alg_values_supported"] == ["RS256"]
    assert doc["ui_locales_supported"] == ["nb", "nn", "en", "se"]
    assert doc["frontchannel_logout_supported"] is True


def test_jwks_publishes_only_the_public_key(client: Any) -> None:
    keys = client.get("/jwks").json()["keys"]

    assert len(keys) == 1
    assert keys[0]["kty"] == "RSA" and keys[0]["kid"]
    assert "d" not in keys[0] and "p" not in keys[0]


def test_code_flow_gives_verifiable_idporten_id_token(client: Any) -> None:
    code, verifier, params = get_code(
        client, level="high", acr_values="idporten-loa-high", ui_locales="nn en"
    )
    response = exchange(client, code, verifier)
    assert response.status_code == 200, response.text
    tokens = response.json()

    header, claims = verified_claims(client, tokens["id_token"])
    jwks_kid = client.get("/jwks").json()["keys"][0]["kid"]
    assert header["alg"] == "RS256"
    assert header["kid"] == jwks_kid
    assert claims["iss"] == ISSUER
    assert claims["aud"] == CLIENT_A
    assert claims["pid"] == PID
    assert claims["acr"] == "idporten-loa-high"
    assert claims["amr"] == ["TestID"]
    assert claims["nonce"] == params["nonce"]
    assert claims["locale"] == "nn"
    assert claims["sub"] and claims["sub"] != PID
    assert claims["sid"]
    assert claims["exp"] - claims["iat"] == 120
    assert claims["auth_time"] <= claims["iat"]

    userinfo = client.get(
        "/userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    assert userinfo.status_code == 200
    assert userinfo.json() == {"sub": claims["sub"], "pid": PID}


def test_acr_and_locale_defaults(client: Any) -> None:
    tokens = full_login(client, ui_locales="de")
    _, claims = verified_claims(client, tokens["id_token"])

    assert claims["acr"] == "idporten-loa-substantial"
    assert claims["locale"] == "nb"


def test_client_secret_post_is_accepted_and_a_wrong_secret_is_not(client: Any) -> None:
    code, verifier, _ = get_code(client)
    assert exchange(client, code, verifier, basic=False).status_code == 200

    code, verifier, _ = get_code(client)
    refused = exchange(client, code, verifier, secret="wrong")
    assert refused.status_code == 401
    assert refused.json()["error"] == "invalid_client"


def test_sub_is_pairwise_per_client_and_stable(client: Any) -> None:
    first_a = verified_claims(client, full_login(client)["id_token"])[1]
    second_a = verified_claims(client, full_login(client)["id_token"])[1]
    first_b = verified_claims(
        client, full_login(client, client_id=CLIENT_B, redirect_uri=REDIRECT_B)["id_token"]
    )[1]

    assert first_a["pid"] == first_b["pid"] == PID
    assert first_a["sub"] == second_a["sub"]
    assert first_a["sub"] != first_b["sub"]


def test_missing_code_challenge_is_invalid_request(client: Any) -> None:
    params = auth_params()
    response = client.get("/authorize", params=params, follow_redirects=False)

    assert response.status_code == 302
    query = query_of(response.headers["location"])
    assert response.headers["location"].startswith(REDIRECT_A)
    assert query["error"] == "invalid_request"
    assert query["state"] == params["state"]


def test_plain_code_challenge_is_refused(client: Any) -> None:
    verifier, _ = pkce_pair()
    params = auth_params(code_challenge=verifier, code_challenge_method="plain")
    response = client.get("/authorize", params=params, follow_redirects=False)

    assert response.status_code == 302
    assert query_of(response.headers["location"])["error"] == "invalid_request"


def test_missing_openid_scope_is_refused(client: Any) -> None:
    _, challenge = pkce_pair()
    params = auth_params(scope="profile", code_challenge=challenge, code_challenge_method="S256")
    response = client.get("/authorize", params=params, follow_redirects=False)

    assert response.status_code == 302
    assert query_of(response.headers["location"])["error"] == "invalid_scope"


def test_wrong_code_verifier_is_invalid_grant(client: Any) -> None:
    code, _, _ = get_code(client)
    other_verifier, _ = pkce_pair()
    response = exchange(client, code, other_verifier)

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_missing_code_verifier_is_refused_for_confidential_client(client: Any) -> None:
    code, _, _ = get_code(client)
    response = exchange(client, code, None)

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_code_is_one_time_and_replay_revokes_its_token(client: Any) -> None:
    code, verifier, _ = get_code(client)
    first = exchange(client, code, verifier)
    assert first.status_code == 200
    access_token = first.json()["access_token"]

    second = exchange(client, code, verifier)
    assert second.status_code == 400
    assert second.json()["error"] == "invalid_grant"

    userinfo = client.get("/userinfo", headers={"Authorization": f"Bearer {access_token}"})
    assert userinfo.status_code == 401


def test_code_expires_after_sixty_seconds(app: Litestar, client: Any) -> None:
    server = app.state.idp_server
    code, verifier, _ = get_code(client)
    real_clock = server.clock
    server.clock = lambda: real_clock() + 61

    response = exchange(client, code, verifier)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_unknown_redirect_uri_is_refused_without_redirect(client: Any) -> None:
    _, challenge = pkce_pair()
    params = auth_params(
        redirect_uri="https://evil.example/cb",
        code_challenge=challenge,
        code_challenge_method="S256",
    )
    response = client.get("/authorize", params=params, follow_redirects=False)

    assert response.status_code == 400
    assert "location" not in response.headers
    assert "evil.example" not in response.headers.get("content-security-policy", "")
    assert "invalid_request" in response.text


def test_unknown_client_is_refused_without_redirect(client: Any) -> None:
    _, challenge = pkce_pair()
    params = auth_params(client_id="nobody", code_challenge=challenge, code_challenge_method="S256")
    response = client.get("/authorize", params=params, follow_redirects=False)

    assert response.status_code == 400
    assert "location" not in response.headers


def test_login_form_without_matching_token_is_refused(client: Any) -> None:
    _, challenge = pkce_pair()
    params = auth_params(code_challenge=challenge, code_challenge_method="S256")
    page = client.get("/authorize", params=params)
    fields = hidden_fields(page.text)

    tampered = {**fields, "state": "swapped", "pid": PID, "level": "substantial"}
    response = client.post("/authorize", data=tampered, follow_redirects=False)
    assert response.status_code == 403
    assert "location" not in response.headers

    forged = {k: v for k, v in fields.items() if k != "csrf"} | {"pid": PID}
    response = client.post("/authorize", data=forged, follow_redirects=False)
    assert response.status_code == 403


def test_login_form_revalidates_the_authorization_request(app: Litestar, client: Any) -> None:
    _, challenge = pkce_pair()
    client.get(
        "/authorize", params=auth_params(code_challenge=challenge, code_challenge_method="S256")
    )
    # Even a correctly signed form must name a registered redirect URI.
    params = auth_params(
        redirect_uri="https://evil.example/cb",
        code_challenge=challenge,
        code_challenge_method="S256",
    )
    token = _form_token(app.state.idp_server, client.cookies[CSRF_COOKIE], params)
    response = client.post(
        "/authorize", data={**params, "csrf": token, "pid": PID}, follow_redirects=False
    )

    assert response.status_code == 400
    assert "location" not in response.headers


def test_bad_pid_shows_an_error_on_the_page(client: Any) -> None:
    _, challenge = pkce_pair()
    params = auth_params(code_challenge=challenge, code_challenge_method="S256")
    response = login(client, params, {"action": "custom", "custom_pid": "1234567890x"})

    assert response.status_code == 400
    assert "location" not in response.headers
    assert "must be exactly 11 digits" in response.text
    # The page still carries the request so the user can try again.
    assert hidden_fields(response.text)["state"] == params["state"]


def test_free_text_pid_logs_in(client: Any) -> None:
    _, challenge = pkce_pair()
    params = auth_params(code_challenge=challenge, code_challenge_method="S256")
    response = login(client, params, {"action": "custom", "custom_pid": "01010112345"})

    assert response.status_code == 302
    assert "code" in query_of(response.headers["location"])


def test_high_request_cannot_be_answered_with_substantial(client: Any) -> None:
    _, challenge = pkce_pair()
    params = auth_params(
        code_challenge=challenge, code_challenge_method="S256", acr_values="idporten-loa-high"
    )
    response = login(client, params, {"pid": PID, "level": "substantial"})

    assert response.status_code == 400
    assert "requires security level high" in response.text


def test_login_page_lists_persons_and_has_strict_csp(client: Any) -> None:
    _, challenge = pkce_pair()
    page = client.get(
        "/authorize", params=auth_params(code_challenge=challenge, code_challenge_method="S256")
    )
    csp = page.headers["content-security-policy"]

    assert "Kari Nordmann" in page.text and "Business developer" in page.text
    assert "unsafe-eval" not in csp and "unsafe-inline" not in csp
    assert "form-action 'self' http://127.0.0.1:8000" in csp


def test_cancel_returns_access_denied(client: Any) -> None:
    _, challenge = pkce_pair()
    params = auth_params(code_challenge=challenge, code_challenge_method="S256")
    response = login(client, params, {"action": "cancel"})

    assert response.status_code == 302
    query = query_of(response.headers["location"])
    assert query["error"] == "access_denied" and query["state"] == params["state"]


def test_end_session_redirects_with_state_and_clears_session(client: Any) -> None:
    tokens = full_login(client)
    assert client.cookies.get(SESSION_COOKIE)

    response = client.get(
        "/endsession",
        params={
            "id_token_hint": tokens["id_token"],
            "post_logout_redirect_uri": LOGOUT_A,
            "state": "bye-123",
        },
        follow_redirects=False,
    )
    assert response.status_code == 302
    assert response.headers["location"] == f"{LOGOUT_A}?state=bye-123"
    assert not client.cookies.get(SESSION_COOKIE)

    # With the provider session gone, a silent login has to fail.
    _, challenge = pkce_pair()
    silent = client.get(
        "/authorize",
        params=auth_params(code_challenge=challenge, code_challenge_method="S256", prompt="none"),
        follow_redirects=False,
    )
    assert query_of(silent.headers["location"])["error"] == "login_required"


def test_end_session_does_not_redirect_to_unregistered_uri(client: Any) -> None:
    tokens = full_login(client)
    response = client.get(
        "/endsession",
        params={
            "id_token_hint": tokens["id_token"],
            "post_logout_redirect_uri": "https://evil.example/",
            "state": "x",
        },
        follow_redirects=False,
    )

    assert response.status_code == 200
    assert "location" not in response.headers
    assert "evil.example" not in response.text


def test_end_session_without_a_hint_logs_out_but_never_redirects_as_idporten_does(
    client: Any,
) -> None:
    # ID-porten: post_logout_redirect_uri "must be combined with id_token_hint"; without one it
    # ends the session and tells the clients, and the browser stays on its page.
    full_login(client)
    full_login(client, client_id=CLIENT_B, redirect_uri=REDIRECT_B)
    response = client.get(
        "/endsession",
        params={"client_id": CLIENT_A, "post_logout_redirect_uri": LOGOUT_A, "state": "s2"},
        follow_redirects=False,
    )
    assert response.status_code == 200 and "location" not in response.headers
    assert "You are logged out" in response.text and LOGOUT_A not in response.text
    assert f'<iframe src="{FRONTCHANNEL_B}?' in response.text
    assert not client.cookies.get(SESSION_COOKIE)


def test_single_sign_on_keeps_sid_and_frontchannel_logout_embeds_iframe(client: Any) -> None:
    tokens_a = full_login(client)
    tokens_b = full_login(client, client_id=CLIENT_B, redirect_uri=REDIRECT_B)
    sid_a = verified_claims(client, tokens_a["id_token"])[1]["sid"]
    sid_b = verified_claims(client, tokens_b["id_token"])[1]["sid"]
    assert sid_a == sid_b

    response = client.get(
        "/endsession",
        params={
            "id_token_hint": tokens_a["id_token"],
            "post_logout_redirect_uri": LOGOUT_A,
            "state": "s1",
        },
        follow_redirects=False,
    )
    assert response.status_code == 200
    expected = f"{FRONTCHANNEL_B}?{urlencode({'iss': ISSUER, 'sid': sid_a})}"
    assert f'<iframe src="{expected.replace("&", "&amp;")}"' in response.text
    assert f"{LOGOUT_A}?state=s1" in response.text
    assert "frame-src http://127.0.0.1:9000" in response.headers["content-security-policy"]


def test_prompt_none_reuses_the_session(client: Any) -> None:
    tokens = full_login(client)
    sid = verified_claims(client, tokens["id_token"])[1]["sid"]

    verifier, challenge = pkce_pair()
    silent = client.get(
        "/authorize",
        params=auth_params(code_challenge=challenge, code_challenge_method="S256", prompt="none"),
        follow_redirects=False,
    )
    assert silent.status_code == 302
    code = query_of(silent.headers["location"])["code"]
    second = exchange(client, code, verifier)
    assert verified_claims(client, second.json()["id_token"])[1]["sid"] == sid


def test_env_config_defaults_and_errors(tmp_path: Path) -> None:
    config, port = load_config({})
    assert port == 8001
    assert config.issuer == "http://127.0.0.1:8001"
    assert config.clients[0].client_id == "samspel-dev"
    assert list(config.clients[0].redirect_uris) == ["http://127.0.0.1:8000/auth/callback"]

    assert (
        config.clients[0].frontchannel_logout_uri
        == "http://127.0.0.1:8000/auth/frontchannel-logout"
    )

    with pytest.raises(Exception, match="SAMSPEL_IDP_PORT"):
        load_config({"SAMSPEL_IDP_PORT": "eighty"})
    with pytest.raises(Exception, match="SAMSPEL_IDP_REDIRECT_URIS"):
        load_config({"SAMSPEL_IDP_REDIRECT_URIS": "not a url"})

    persons = tmp_path / "persons.json"
    persons.write_text(json.dumps([{"pid": "123", "name": "X", "role": "Y"}]))
    with pytest.raises(Exception, match="SAMSPEL_IDP_PERSONS_FILE"):
        load_config({"SAMSPEL_IDP_PERSONS_FILE": str(persons)})

    persons.write_text(json.dumps([{"pid": PID, "name": "Kari", "role": "Tester"}]))
    config, _ = load_config({"SAMSPEL_IDP_PERSONS_FILE": str(persons)})
    assert config.persons == [Person(PID, "Kari", "Tester")]


def test_the_client_is_registered_where_samspel_runs_when_make_run_moves_ports() -> None:
    moved, _ = load_config({"SAMSPEL_PORT": "18000"})
    client = moved.clients[0]
    assert list(client.redirect_uris) == ["http://127.0.0.1:18000/auth/callback"]
    assert list(client.post_logout_redirect_uris) == ["http://127.0.0.1:18000/"]
    assert client.frontchannel_logout_uri == "http://127.0.0.1:18000/auth/frontchannel-logout"

    public, _ = load_config({"SAMSPEL_PORT": "18000", "SAMSPEL_BASE_URL": "https://samspel.test/"})
    assert list(public.clients[0].redirect_uris) == ["https://samspel.test/auth/callback"]
    assert list(public.clients[0].post_logout_redirect_uris) == ["https://samspel.test/"]

    # Samspel asks for exactly what the provider registered, whatever the ports.
    from infra.settings import load

    env = {
        "SAMSPEL_PORT": "18000",
        "SAMSPEL_DATABASE_URL": "postgresql://x@127.0.0.1/x",
        "SAMSPEL_REDIS_URL": "redis://127.0.0.1:6379/0",
        "SAMSPEL_SECRET_KEY": "k" * 32,
    }
    assert f"{load(env).base_url}/auth/callback" in load_config(env)[0].clients[0].redirect_uris

    with pytest.raises(Exception, match="SAMSPEL_BASE_URL"):
        load_config({"SAMSPEL_BASE_URL": "samspel.test"})
    with pytest.raises(Exception, match="SAMSPEL_PORT"):
        load_config({"SAMSPEL_PORT": "http"})
