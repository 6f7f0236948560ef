"""CSRF: a pure ASGI middleware in front of Litestar's, doing on a GET only what it needs.

A form post (any unsafe method) goes to Litestar's CSRF middleware as before: the token in the
x-csrftoken header or the form's _csrf_token field must match the signed csrftoken cookie.

A GET, HEAD or OPTIONS sends nothing to check. The browser's cookie, if it has one, is the
request's token; if it has none, a token is made and its cookie set only when the answer used
it (a page with a form, or the page's htmx headers, calls csrf_token()). A poll answered 204,
a JSON answer or a redirect makes no token, signs nothing and sets no cookie; Litestar's
middleware made and signed a token, and set a cookie, on every GET from a client without one.
"""

from __future__ import annotations

from litestar.config.csrf import CSRFConfig
from litestar.datastructures import Cookie
from litestar.middleware.csrf import CSRFMiddleware, generate_csrf_token
from litestar.types import ASGIApp, Receive, Scope, Send
from litestar.utils.empty import value_or_default
from litestar.utils.scope.state import ScopeState

from web.auth.sessions import COOKIE as SESSION_COOKIE
from web.middleware import Headers, at_response_start, cookie, is_quiet

STATE_KEY = "csrf"  # scope["state"][STATE_KEY]: the request's Token on a safe method


class Token:
    """The request's token: the browser's cookie, or one made on first use."""

    __slots__ = ("_secret", "made", "value")

    def __init__(self, value: str | None, secret: str) -> None:
        self.value, self._secret, self.made = value, secret, False

    def get(self) -> str:
        if not self.value:
            self.value, self.made = generate_csrf_token(secret=self._secret), True
        return self.value


def token_of(scope: Scope) -> str:
    """The token a form on this answer carries ("" where the middleware did not run)."""
    token = scope.get("state", {}).get(STATE_KEY)
    if token is not None:
        return token.get()
    # A form post's, checked by Litestar's middleware; Empty where nothing set one.
    return value_or_default(ScopeState.from_scope(scope).csrf_token, "")


def csrf_middleware(config: CSRFConfig):
    safe = frozenset(config.safe_methods)

    def _excluded(scope: Scope) -> bool:
        handler = scope.get("route_handler")
        return handler is not None and bool(handler.opt.get(config.exclude_from_csrf_key))

    # A token is hex, which the cookie carries as it is: its Set-Cookie header is the name, the
    # token and the attributes, these written once here by Litestar's Cookie (which builds a
    # SimpleCookie each time it is asked).
    written = Cookie(
        key=config.cookie_name,
        value="0",
        path=config.cookie_path,
        secure=config.cookie_secure,
        httponly=config.cookie_httponly,
        samesite=config.cookie_samesite,
        domain=config.cookie_domain,
    ).to_encoded_header()[1]
    name, _, attributes = written.partition(b"=0")

    def set_cookie(value: str) -> tuple[bytes, bytes]:
        return (b"set-cookie", name + b"=" + value.encode() + attributes)

    def factory(app: ASGIApp) -> ASGIApp:
        checked = CSRFMiddleware(app, config)

        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http" or scope["method"] not in safe:
                await checked(scope, receive, send)
                return
            if is_quiet(scope) or (_excluded(scope) and not cookie(scope, SESSION_COOKIE)):
                # The public's copy of a kept page carries no token (web/public_cache.py keeps
                # only pages made without a session cookie); a logged-in person's gets theirs.
                await app(scope, receive, send)
                return
            given = cookie(scope, config.cookie_name)
            token = Token(given, config.secret)
            scope.setdefault("state", {})[STATE_KEY] = token
            if given:
                await app(scope, receive, send)
                return

            def cookie_if_made(headers: Headers) -> None:
                if token.made:
                    headers.append(set_cookie(token.value))  # type: ignore[arg-type]

            at_response_start(scope, cookie_if_made)
            await app(scope, receive, send)

        return middleware

    return factory
