"""Per request: read the session, load the principal, and scope the request to them.

The tenant comes from the session's active membership only, never from the URL or a form.
The session and the copy of its person's memberships are read in one Redis round trip; the
database is asked only when the copy is missing, older than a minute, or from before a change
of memberships (a route with `opt={"changes_access": True}` that succeeded moves the
generation every copy is checked against).

Every request it sees goes on with send wrapped once (web/middleware.head_of_answer): the
headers asked for on the way in (no-store here, a new CSRF token's cookie) are set there, and
the status and the time the answer went out are recorded for the metrics.
"""

from __future__ import annotations

from litestar.types import ASGIApp, Receive, Scope, Send

from services.access.service import memberships_of, person
from tenants.context import Scope as DbScope
from tenants.context import current_scope, tenant_tx
from web.auth.principal import Principal, choose_active
from web.auth.sessions import COOKIE, CachedPrincipal, SessionStore
from web.middleware import (
    Headers,
    at_response_start,
    cookie,
    head_of_answer,
    is_quiet,
    replace_header,
)
from web.unavailable import OUTAGE

CHANGES_ACCESS = "changes_access"
# opt={READ_WITH_SESSION: key_of}: a route that needs one more Redis key names it, key_of(scope)
# giving the key (or None), and it is read in the session's round trip: the route finds
# state[READ_WITH_SESSION] = (key, value, None when there is none). Read before the route's
# guards ran: the route uses it only once they let the request in.
READ_WITH_SESSION = "read_with_session"
_STORE = "session_store"


async def load_principal(
    store: SessionStore, token: str | None, also: str | None = None
) -> tuple[Principal | None, object, bytes | None]:
    session, copy, generation, value = await store.load_with_principal(token, also)
    if session is None or session.person_id is None:
        return None, session, value
    if copy is None or copy.generation != generation or copy.person.id != session.person_id:
        async with tenant_tx(DbScope(person_id=session.person_id)):
            who = await person(session.person_id)
            memberships = await memberships_of(session.person_id) if who else []
        if who is None:
            return None, session, value
        copy = CachedPrincipal(generation, who, memberships)
        await store.keep_principal(token, copy)  # type: ignore[arg-type] - a session has a token
    active = choose_active(copy.memberships, session.membership_id)
    return Principal(copy.person, copy.memberships, active), session, value


def _no_store(headers: Headers) -> None:
    replace_header(headers, b"cache-control", b"no-store")


def _store(scope: Scope) -> SessionStore:
    """The app's session store, made once per Redis client (it registers its script)."""
    app_state = scope["litestar_app"].state
    store = app_state.get(_STORE)
    if store is None or store.redis is not app_state.redis:
        store = app_state[_STORE] = SessionStore(app_state.redis)
    return store


def auth_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        # Nothing personal is served on a static file, a health probe or the metrics.
        if scope["type"] != "http" or is_quiet(scope):
            await app(scope, receive, send)
            return
        store = _store(scope)
        token = cookie(scope, COOKIE)
        state = scope.setdefault("state", {})
        handler = scope.get("route_handler")
        opt = handler.opt if handler is not None else {}
        key_of = opt.get(READ_WITH_SESSION)
        also = key_of(scope) if key_of is not None else None
        try:
            principal, session, value = await load_principal(store, token, also)
        except OUTAGE:
            # Redis is down: go on as nobody, so public pages work; the guards answer 503.
            principal, session, value = None, None, None
            state["sessions_unavailable"] = True
        state["session"], state["session_token"], state["principal"] = session, token, principal
        if also is not None:
            state[READ_WITH_SESSION] = (also, value)
        if principal is None:
            await app(scope, receive, head_of_answer(scope, send))
            return
        if principal.active and principal.active.kommunenummer:
            state["tenant"] = principal.active.kommunenummer
        context_token = current_scope.set(principal.scope())
        # A logged-in page is this person's alone: no shared cache, no back-button copy.
        at_response_start(scope, _no_store)

        async def access_changed(status: int) -> None:
            if status < 400:
                # Committed before the answer starts: every session reads its memberships again.
                await store.access_changed()

        before_start = access_changed if opt.get(CHANGES_ACCESS) else None
        try:
            await app(scope, receive, head_of_answer(scope, send, before_start))
        finally:
            current_scope.reset(context_token)

    return middleware
