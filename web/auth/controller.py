"""Login with ID-porten, the first-login form, logout and front-channel logout."""

from __future__ import annotations

import secrets
import time
from typing import Annotated
from urllib.parse import urlencode

from authlib.common.security import generate_token
from litestar import Request, get, post
from litestar.datastructures import Cookie
from litestar.params import FromQuery, QueryParameter
from litestar.response import Redirect, Response

from services.access import service as access
from services.access.signing import birth_date_of
from tenants.context import Scope, tenant_tx
from tenants.identity import pid_hash
from web.actions import act
from web.auth.guards import PUBLIC, logged_in, principal_of
from web.auth.oidc import LoginRefused
from web.auth.sessions import COOKIE, LoginAttempt, SessionData, SessionStore, unseal_hint
from web.forms import FORMS, URL_ENCODED, Form, client_address
from web.public.controller import local_path
from web.security import origin
from web.templating import render

STATE_COOKIE = "samspel_login_state"


def _store(request: Request) -> SessionStore:
    return SessionStore(request.app.state.redis)


def _session_cookie(request: Request, token: str | None) -> Cookie:
    settings = request.app.state.settings
    return Cookie(
        key=COOKIE,
        value=token or "",
        max_age=None if token else 0,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        path="/",
    )


@get("/auth/login", opt=PUBLIC, name="login")
async def login(request: Request, next: FromQuery[str | None] = None) -> Redirect:
    state, nonce, verifier = generate_token(32), generate_token(32), generate_token(64)
    await _store(request).begin_login(
        state, LoginAttempt(nonce=nonce, verifier=verifier, next=local_path(next))
    )
    url = await request.app.state.oidc.authorization_url(
        state=state, nonce=nonce, verifier=verifier, locale=request.state.lang
    )
    # The state is also bound to this browser, so a callback link sent by someone else fails.
    return Redirect(
        url,
        status_code=302,
        cookies=[
            Cookie(
                key=STATE_COOKIE,
                value=state,
                max_age=600,
                httponly=True,
                samesite="lax",
                secure=request.app.state.settings.secure_cookies,
                path="/auth",
            )
        ],
    )


async def _refuse(request: Request, reason: str) -> Response:
    # Nothing of a refused answer is trusted, and no session outlives it.
    if request.state.get("session_token"):
        await _store(request).delete(request.state.session_token)
    async with tenant_tx(Scope()):
        await access.record_security_event(
            "login_refused", detail={"reason": reason}, client_address=client_address(request)
        )
    response = render(request, "auth/refused.html", status_code=400, reason=reason)
    response.cookies.append(_session_cookie(request, None))
    return response


@get("/auth/callback", opt=PUBLIC, name="callback")
async def callback(
    request: Request,
    code: FromQuery[str | None] = None,
    # "state" is a name Litestar keeps for itself; the query parameter is still "state".
    oidc_state: Annotated[str | None, QueryParameter(name="state")] = None,
    error: FromQuery[str | None] = None,
) -> Response:
    state = oidc_state
    attempt = await _store(request).take_login(state) if state else None
    try:
        if attempt is None or request.cookies.get(STATE_COOKIE) != state:
            raise LoginRefused("state")
        if error or not code:
            raise LoginRefused(f"provider_{error or 'no_code'}")
        oidc = request.app.state.oidc
        tokens = await oidc.exchange(code, attempt.verifier)
        if "id_token" not in tokens:
            raise LoginRefused("no_id_token")
        claims = await oidc.validate(tokens["id_token"], nonce=attempt.nonce)
    except LoginRefused as refused:
        return await _refuse(request, refused.reason)
    return await _start_session(request, claims, tokens["id_token"], attempt)


def _birth_date(pid: str) -> str | None:
    born = birth_date_of(pid)
    return born.isoformat() if born else None


async def _start_session(request: Request, claims: dict, id_token: str, attempt: LoginAttempt):
    settings = request.app.state.settings
    hashed = pid_hash(settings.derived_key("pid"), claims["pid"])
    async with tenant_tx(Scope(pid_hash=hashed)):
        person = await access.person_by_pid_hash()
        if person:
            await access.record_security_event(
                "login",
                person_id=person.id,
                detail={"acr": claims.get("acr")},
                client_address=client_address(request),
            )
    data = SessionData(
        created_at=time.time(),
        person_id=person.id if person else None,
        pending_pid_hash=None if person else hashed.hex(),
        pending_locale=claims.get("locale"),
        idp_sid=claims.get("sid"),
        birth_date=_birth_date(claims["pid"]),
    )
    # Any session the browser had is dropped: a new id at every login, no fixation.
    if request.state.get("session_token"):
        await _store(request).delete(request.state.session_token)
    token = await _store(request).create(data, id_token=id_token)
    if person is None:
        target = "/welcome?" + urlencode({"next": attempt.next})
    else:
        target = "/home" if attempt.next == "/" else attempt.next
    response = Redirect(target, status_code=303)
    response.cookies.extend(
        [
            _session_cookie(request, token),
            Cookie(key=STATE_COOKIE, value="", max_age=0, path="/auth"),
        ]
    )
    return response


def _pending(request: Request) -> SessionData | None:
    session = request.state.get("session")
    return session if session is not None and session.pending_pid_hash else None


@get("/welcome", opt=PUBLIC, name="welcome")
async def welcome(request: Request, next: FromQuery[str | None] = None) -> Response:
    if _pending(request) is None:
        return Redirect("/auth/login", status_code=303)
    return render(request, "auth/welcome.html", form={}, errors={}, next=local_path(next))


class WelcomeForm(Form):
    name: str = ""
    email: str = ""
    next: str = ""


@post("/welcome", opt=PUBLIC, name="register", type_decoders=FORMS)
async def register(request: Request, data: Annotated[WelcomeForm, URL_ENCODED]) -> Response:
    session = _pending(request)
    if session is None:
        return Redirect("/auth/login", status_code=303)

    async def work() -> int:
        person_id = await access.register_person(
            data.checked().name, data.email, request.state.lang
        )
        for kind in ("registered", "login"):
            await access.record_security_event(
                kind, person_id=person_id, client_address=client_address(request)
            )
        return person_id

    async def registered(person_id: int) -> Response:
        session.person_id, session.pending_pid_hash = person_id, None
        await _store(request).save(request.state.session_token, session)
        target = local_path(data.next)
        return Redirect("/me" if target == "/" else target, status_code=303)

    async def again(status: int, errors: dict[str, str]) -> Response:
        form = data.texts()
        next_page = local_path(data.next)
        return render(
            request,
            "auth/welcome.html",
            status_code=status,
            form=form,
            errors=errors,
            next=next_page,
        )

    return await act(
        request,
        work,
        done=registered,
        again=again,
        scope=Scope(pid_hash=bytes.fromhex(session.pending_pid_hash)),
    )


@post("/auth/logout", guards=[logged_in], name="logout")
async def logout(request: Request) -> Redirect:
    principal = principal_of(request)
    await _store(request).delete(request.state.session_token)
    async with tenant_tx(Scope(person_id=principal.person.id)):
        await access.record_security_event(
            "logout", person_id=principal.person.id, client_address=client_address(request)
        )
    session: SessionData = request.state.session
    hint = unseal_hint(session.sealed_hint, request.state.session_token)
    url = await request.app.state.oidc.end_session_url(
        id_token=hint, state=secrets.token_urlsafe(16)
    )
    response = Redirect(url or "/", status_code=303)
    response.cookies.append(_session_cookie(request, None))
    return response


@get("/auth/frontchannel-logout", opt=PUBLIC, name="frontchannel_logout")
async def frontchannel_logout(
    request: Request, iss: FromQuery[str | None] = None, sid: FromQuery[str | None] = None
) -> Response:
    oidc = request.app.state.oidc
    ended = 0
    if iss == oidc.issuer and sid:
        ended = await _store(request).delete_by_idp_sid(sid)
        async with tenant_tx(Scope()):
            await access.record_security_event(
                "frontchannel_logout",
                detail={"sessions": ended},
                client_address=client_address(request),
            )
    return Response(
        "",
        media_type="text/plain",
        headers={
            "Cache-Control": "no-store",
            # ID-porten's logout page loads this in an iframe; only it may frame it.
            "Content-Security-Policy": f"frame-ancestors {origin(oidc.issuer)}",
        },
    )
