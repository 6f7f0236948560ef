"""Litestar HTTP face of the dev ID-porten provider: discovery, login page, tokens and logout."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterable, Mapping
from html import escape
from typing import Any
from urllib.parse import urlencode, urlsplit

from authlib.oauth2.rfc6749 import OAuth2Error
from litestar import Litestar, Request, Response, get, post, route
from litestar.enums import MediaType

from infra.idporten.config import (
    ACR_HIGH,
    ACR_SUBSTANTIAL,
    IdpConfig,
    Person,
    is_valid_pid,
    pick_locale,
    requested_acr,
)
from infra.idporten.models import HttpRequestData, IdpRequest, ProviderResponse, ProviderSession
from infra.idporten.provider import DevIdportenServer

__all__ = ["create_idp_app"]

SESSION_COOKIE = "idporten_dev_session"
CSRF_COOKIE = "idporten_dev_csrf"
# The authorization request travels through the login form in hidden fields; only these.
AUTH_PARAMS = (
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
    "acr_values",
    "ui_locales",
    "prompt",
)
LEVELS = {"substantial": ACR_SUBSTANTIAL, "high": ACR_HIGH}
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}

_STYLE = """
body{font-family:system-ui,sans-serif;margin:0;background:#f3f4f6;color:#111}
main{max-width:36rem;margin:2rem auto;background:#fff;padding:1.5rem 2rem;border-radius:8px}
h1{font-size:1.4rem;margin-top:0}
fieldset{border:1px solid #d1d5db;border-radius:6px;margin:1rem 0;padding:.75rem 1rem}
ul{list-style:none;padding:0;margin:0}
li{margin:.4rem 0}
button{font:inherit;padding:.45rem .9rem;border-radius:4px;border:1px solid #1e40af;
background:#1e40af;color:#fff;cursor:pointer}
button.person{width:100%;text-align:left;background:#eff6ff;color:#111;border-color:#93c5fd}
button.secondary{background:#fff;color:#1e40af}
.role{color:#4b5563;font-size:.9rem}
.error{background:#fee2e2;border:1px solid #b91c1c;padding:.6rem .9rem;border-radius:4px}
.note{color:#4b5563;font-size:.9rem}
iframe{display:none}
"""


def create_idp_app(config: IdpConfig) -> Litestar:
    server = DevIdportenServer(config)
    persons = list(config.persons)

    @get("/.well-known/openid-configuration", sync_to_thread=False)
    def discovery() -> Response[dict[str, Any]]:
        return Response(server.discovery_document(), media_type=MediaType.JSON)

    @get("/jwks", sync_to_thread=False)
    def jwks() -> Response[dict[str, Any]]:
        return Response(server.jwks(), media_type=MediaType.JSON)

    @get("/authorize")
    async def authorize_page(request: Request[Any, Any, Any]) -> Response[Any]:
        session = server.find_session(request.cookies.get(SESSION_COOKIE))
        data = HttpRequestData(
            method="GET",
            path="/authorize",
            query=_text_items(request.query_params.multi_items()),
            headers=request.headers,
        )
        try:
            # The session only tells Authlib whether prompt=none can succeed.
            grant = server.get_consent_grant(data, end_user=session)
        except OAuth2Error as error:
            return _authorize_error(server, error)
        payload = grant.request.payload.data

        if payload.get("prompt") == "none" and session is not None:
            try:
                auth = server.resume_session(
                    session,
                    requested_acr(payload.get("acr_values")),
                    pick_locale(payload.get("ui_locales")),
                    grant.redirect_uri,
                )
            except OAuth2Error as error:
                error.state = payload.get("state")
                return _authorize_error(server, error)
            return _to_litestar(server.create_authorization_response(grant.request, auth, grant))

        params = {k: payload[k] for k in AUTH_PARAMS if k in payload}
        csrf_cookie = request.cookies.get(CSRF_COOKIE)
        new_cookie = csrf_cookie is None
        if csrf_cookie is None:
            csrf_cookie = secrets.token_urlsafe(32)
        response = _login_page(
            server, persons, params, _form_token(server, csrf_cookie, params), session
        )
        if new_cookie:
            response.set_cookie(CSRF_COOKIE, csrf_cookie, httponly=True, samesite="lax")
        return response

    @post("/authorize", status_code=200)
    async def authorize_submit(request: Request[Any, Any, Any]) -> Response[Any]:
        form = await request.form()
        params = {k: v for k in AUTH_PARAMS if isinstance(v := form.get(k), str)}
        csrf_cookie = request.cookies.get(CSRF_COOKIE)
        sent = form.get("csrf")
        # Only a form this provider rendered for this browser may complete a login; the
        # token also binds the hidden parameters, so they cannot be swapped in transit.
        if (
            not csrf_cookie
            or not isinstance(sent, str)
            or not hmac.compare_digest(sent, _form_token(server, csrf_cookie, params))
        ):
            return _error_page(
                403,
                "This login form was not issued to this browser",
                "Start the login again from the service.",
            )

        data = HttpRequestData(
            method="POST", path="/authorize", form=list(params.items()), headers=request.headers
        )
        try:
            # Re-validated in full: client_id, redirect_uri, PKCE and scope are checked again.
            grant = server.get_consent_grant(data, end_user=None)
        except OAuth2Error as error:
            return _authorize_error(server, error)

        action = form.get("action")
        if action == "cancel":
            return _to_litestar(server.create_authorization_response(grant.request, None, grant))

        custom_pid = form.get("custom_pid")
        custom_pid = custom_pid.replace(" ", "") if isinstance(custom_pid, str) else ""
        chosen = form.get("pid")
        pid = custom_pid if action == "custom" else (chosen if isinstance(chosen, str) else "")
        level = form.get("level", "substantial")
        minimum = requested_acr(params.get("acr_values"))

        error = None
        if not is_valid_pid(pid):
            error = "The national identity number must be exactly 11 digits."
        elif level not in LEVELS:
            error = "Choose a security level."
        elif minimum == ACR_HIGH and LEVELS[level] != ACR_HIGH:
            error = "The service requires security level high."
        if error:
            session = server.find_session(request.cookies.get(SESSION_COOKIE))
            return _login_page(
                server,
                persons,
                params,
                sent,
                session,
                error=error,
                custom_pid=custom_pid,
                status=400,
            )

        session, auth = server.sign_in(
            pid,
            LEVELS[level],
            pick_locale(params.get("ui_locales")),
            request.cookies.get(SESSION_COOKIE),
        )
        response = _to_litestar(server.create_authorization_response(grant.request, auth, grant))
        response.set_cookie(SESSION_COOKIE, session.session_id, httponly=True, samesite="lax")
        return response

    @post("/token", status_code=200)
    async def token(request: Request[Any, Any, Any]) -> Response[Any]:
        form = await request.form()
        data = HttpRequestData(
            method="POST",
            path="/token",
            form=_text_items(form.multi_items()),
            headers=request.headers,
        )
        return _to_litestar(server.create_token_response(data))

    @route("/userinfo", http_method=["GET", "POST"], status_code=200)
    async def userinfo(request: Request[Any, Any, Any]) -> Response[Any]:
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        claims = server.userinfo(value.strip()) if scheme.lower() == "bearer" else None
        if claims is None:
            return Response(
                {"error": "invalid_token"},
                status_code=401,
                media_type=MediaType.JSON,
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"', **NO_STORE},
            )
        return Response(claims, status_code=200, media_type=MediaType.JSON, headers=NO_STORE)

    @route("/endsession", http_method=["GET", "POST"], status_code=200)
    async def endsession(request: Request[Any, Any, Any]) -> Response[Any]:
        form_items: list[tuple[str, str]] = []
        if request.method == "POST":
            form_items = _text_items((await request.form()).multi_items())
        data = HttpRequestData(
            method=request.method,
            path="/endsession",
            query=_text_items(request.query_params.multi_items()),
            form=form_items,
            headers=request.headers,
            session_id=request.cookies.get(SESSION_COOKIE),
        )
        try:
            validated = server.validate_endpoint_request("end_session", data)
            result = server.create_endpoint_response("end_session", validated)
        except OAuth2Error as error:
            # RP-initiated logout 1.0 section 4: on errors, never redirect.
            return _error_page(400, "Logout request refused", error.get_error_description())
        if result is not None and result.status != 302:
            return _error_page(result.status, "Logout request refused", str(result.body))

        location = dict(result.headers).get("Location") if result is not None else None
        idp_request: IdpRequest = validated.request  # type: ignore[assignment]
        frames = idp_request.frontchannel_logout_urls
        if frames:
            response = _logout_page(frames, location)
        elif location:
            response = Response(b"", status_code=302, headers={"Location": location, **NO_STORE})
        else:
            response = _logout_page([], None)
        response.delete_cookie(SESSION_COOKIE)
        return response

    app = Litestar(
        route_handlers=[
            discovery,
            jwks,
            authorize_page,
            authorize_submit,
            token,
            userinfo,
            endsession,
        ],
    )
    # Tests and tools reach the in-memory state through here.
    app.state.idp_server = server
    return app


def _text_items(items: Iterable[tuple[str, Any]]) -> list[tuple[str, str]]:
    # Multipart uploads are not OAuth parameters; keep Authlib from seeing file objects.
    return [(k, v) for k, v in items if isinstance(v, str)]


def _form_token(server: DevIdportenServer, csrf_cookie: str, params: Mapping[str, str]) -> str:
    message = csrf_cookie + "\n" + urlencode(sorted(params.items()))
    mac = hmac.new(server.form_secret, message.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def _to_litestar(result: ProviderResponse) -> Response[Any]:
    headers = dict(result.headers)
    media_type = headers.pop("Content-Type", MediaType.TEXT)
    return Response(result.body, status_code=result.status, headers=headers, media_type=media_type)


def _authorize_error(server: DevIdportenServer, error: OAuth2Error) -> Response[Any]:
    result = server.error_response(error)
    if result.status == 302:
        return _to_litestar(result)
    # No verified redirect_uri: RFC 6749 4.1.2.1 says tell the user, never redirect.
    return _error_page(
        result.status,
        "The login request was refused",
        f"{error.error}: {error.get_error_description()}",
    )


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _html(
    status: int,
    title: str,
    content: str,
    *,
    form_targets: Iterable[str] = (),
    frames: Iterable[str] = (),
    head: str = "",
) -> Response[str]:
    nonce = secrets.token_urlsafe(16)
    form_action = " ".join(["'self'", *sorted({_origin(u) for u in form_targets})])
    frame_src = " ".join(sorted({_origin(u) for u in frames})) or "'none'"
    # Chrome also applies form-action to the redirect after the POST, hence the client origin.
    csp = (
        f"default-src 'none'; style-src 'nonce-{nonce}'; form-action {form_action}; "
        f"frame-src {frame_src}; frame-ancestors 'none'; base-uri 'none'"
    )
    body = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title>{head}"
        f'<style nonce="{nonce}">{_STYLE}</style></head>'
        f"<body><main>{content}</main></body></html>"
    )
    return Response(
        body,
        status_code=status,
        media_type=MediaType.HTML,
        headers={
            "Content-Security-Policy": csp,
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
            **NO_STORE,
        },
    )


def _error_page(status: int, title: str, detail: str) -> Response[str]:
    return _html(
        status,
        title,
        f'<h1>{escape(title)}</h1><p class="error">{escape(detail)}</p>',
    )


def _login_page(
    server: DevIdportenServer,
    persons: list[Person],
    params: Mapping[str, str],
    form_token: str,
    session: ProviderSession | None,
    *,
    error: str | None = None,
    custom_pid: str = "",
    status: int = 200,
) -> Response[str]:
    client_id = params.get("client_id", "")
    high_only = requested_acr(params.get("acr_values")) == ACR_HIGH
    hidden = "".join(
        f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in params.items()
    )
    hidden += f'<input type="hidden" name="csrf" value="{escape(form_token)}">'

    if high_only:
        levels = (
            '<label><input type="radio" name="level" value="high" checked> High</label>'
            '<p class="note">The service asked for level high.</p>'
        )
    else:
        levels = (
            '<label><input type="radio" name="level" value="substantial" checked> '
            "Substantial</label> "
            '<label><input type="radio" name="level" value="high"> High</label>'
        )

    people = (
        "".join(
            f'<li><button class="person" name="pid" value="{escape(p.pid)}" formnovalidate>'
            f'{escape(p.name)}<br><span class="role">{escape(p.role)} &middot; '
            f"{escape(p.pid)}</span></button></li>"
            for p in persons
        )
        or '<li class="note">No test persons configured; use a number above.</li>'
    )

    notice = ""
    if session is not None:
        notice = (
            f'<p class="note">Signed in here as {escape(session.pid)}. Choosing the same '
            "person keeps this single sign-on session; another person starts a new one.</p>"
        )
    error_html = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""

    # The custom-number button comes first so Enter in the text field submits it.
    content = (
        "<h1>ID-porten (development)</h1>"
        f"<p>Logging in to <strong>{escape(client_id)}</strong> with TestID.</p>"
        f"{error_html}{notice}"
        f'<form method="post" action="/authorize">{hidden}'
        f"<fieldset><legend>Security level</legend>{levels}</fieldset>"
        "<fieldset><legend>Any synthetic national identity number</legend>"
        '<label for="custom_pid">11 digits</label> '
        f'<input id="custom_pid" name="custom_pid" value="{escape(custom_pid)}" '
        'inputmode="numeric" autocomplete="off" maxlength="13"> '
        '<button name="action" value="custom">Log in</button></fieldset>'
        f"<fieldset><legend>Test persons</legend><ul>{people}</ul></fieldset>"
        '<button class="secondary" name="action" value="cancel" formnovalidate>Cancel</button>'
        "</form>"
    )
    redirect_uri = params.get("redirect_uri", "")
    client = server.query_client(client_id)
    # Only a registered redirect URI may widen form-action.
    registered = client is not None and client.check_redirect_uri(redirect_uri)
    targets = [redirect_uri] if registered else []
    return _html(status, "ID-porten (development)", content, form_targets=targets)


def _logout_page(frames: list[str], location: str | None) -> Response[str]:
    iframes = "".join(
        f'<iframe src="{escape(url)}" title="Front-channel logout"></iframe>' for url in frames
    )
    head = ""
    follow = ""
    if location:
        # A short delay, so the front-channel iframes get to load before we leave.
        head = f'<meta http-equiv="refresh" content="1;url={escape(location)}">'
        follow = f'<p><a href="{escape(location)}">Continue</a></p>'
    content = f"<h1>You are logged out</h1>{iframes}{follow}"
    return _html(200, "Logged out", content, frames=frames, head=head)
