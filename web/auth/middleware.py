"""Per request: read the session, load the principal, and scope the request to them.

The tenant comes from the session's active membership only, never from the URL or a form.
"""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from services.access.service import memberships_of, person
from tenants.context import Scope as DbScope
from tenants.context import current_scope, tenant_tx
from web.auth.principal import Principal, choose_active
from web.auth.sessions import COOKIE, SessionStore
from web.middleware import cookie
from web.unavailable import OUTAGE

# Nothing personal is served here; no reason to touch Redis or the database for them.
_SKIP = ("/static/", "/health/", "/metrics")


async def load_principal(store: SessionStore, token: str | None) -> tuple[Principal | None, object]:
    session = await store.load(token)
    if session is None or session.person_id is None:
        return None, session
    async with tenant_tx(DbScope(person_id=session.person_id)):
        who = await person(session.person_id)
        memberships = await memberships_of(session.person_id) if who else []
    if who is None:
        return None, session
    return Principal(who, memberships, choose_active(memberships, session.membership_id)), session


def auth_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(_SKIP):
            await app(scope, receive, send)
            return
        store = SessionStore(scope["litestar_app"].state.redis)
        token = cookie(scope, COOKIE)
        state = scope.setdefault("state", {})
        try:
            principal, session = await load_principal(store, token)
        except OUTAGE:
            # Redis is down: go on as nobody, so public pages work; the guards answer 503.
            principal, session = None, None
            state["sessions_unavailable"] = True
        state["session"], state["session_token"], state["principal"] = session, token, principal
        if principal is None:
            await app(scope, receive, send)
            return
        if principal.active and principal.active.kommunenummer:
            state["tenant"] = principal.active.kommunenummer
        context_token = current_scope.set(principal.scope())

        async def send_private(message: Message) -> None:
            if message["type"] == "http.response.start":
                # A logged-in page is this person's alone: no shared cache, no back-button copy.
                MutableScopeHeaders.from_message(message)["Cache-Control"] = "no-store"
            await send(message)

        try:
            await app(scope, receive, send_private)
        finally:
            current_scope.reset(context_token)

    return middleware
