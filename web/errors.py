"""Errors become clear answers in one place: a page for a browser, JSON with a reason for an API."""

from __future__ import annotations

from urllib.parse import urlencode

import asyncpg
from asyncpg.exceptions import _base as asyncpg_base
from litestar import Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException
from litestar.response import Redirect

from services.errors import N_, DomainError
from web.auth.sessions import COOKIE as SESSION_COOKIE
from web.i18n import COOKIE, choose_language, gettext
from web.logs import log
from web.templating import render, wants_fragment

TITLES = {
    400: N_("The request could not be understood."),
    401: N_("You need to log in."),
    403: N_("Your role does not allow this."),
    404: N_("There is nothing here."),
    405: N_("This cannot be done here."),
    409: N_("This conflicts with what is already there."),
    422: N_("Some of what you sent is not valid."),
    429: N_("Too many requests. Wait a little and try again."),
    500: N_("Something went wrong on our side. Try again in a little while."),
}

# Input that reached the database but cannot be stored there (a NUL byte, a number beyond its
# column, a date out of range): the sender's mistake, so a 422 that says so, never a 500.
UNSTORABLE = (asyncpg.DataError, asyncpg_base.DataError, UnicodeDecodeError)
UNSTORABLE_DETAIL = N_(
    "Something you sent cannot be stored: a character, a number or a date is out of range."
)


def language_of(request: Request) -> str:
    """The reader's language, also for an address no route matched, where Litestar answers
    before any middleware (so before the one that chooses the language) has run."""
    if "lang" not in request.state:
        default = request.app.state.get("default_language", "nb")
        request.state.lang = choose_language(
            request.cookies.get(COOKIE), request.headers.get("accept-language"), default
        )
    return request.state.lang


def _wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "") or request.headers.get("hx-request")


def _page(
    request: Request, status: int, detail: str | None = None, headers: dict | None = None
) -> Response:
    title = TITLES.get(status, "")
    language_of(request)  # the page below is in it
    page = render(
        request,
        "error.html",
        fragment="_error.html",
        status_code=status,
        status=status,
        title=title,
        detail=detail,
        account_unknown=_account_unknown(request),
    )
    page.headers.update(headers or {})
    if wants_fragment(request):
        # An htmx fragment (an upload, an inline edit) keeps its form; the message goes to the
        # page's error region instead of replacing what the person was working on.
        page.headers.update({"HX-Retarget": "#htmx-error", "HX-Reswap": "innerHTML"})
    return page


def _account_unknown(request: Request) -> bool:
    """An address no route matched is answered before the middleware that reads the session, and
    an exception handler cannot wait for Redis: with a session cookie, the person may well be
    logged in, so the page's header offers no "Log in" it cannot be sure of."""
    return "principal" not in request.state and bool(request.cookies.get(SESSION_COOKIE))


def _headers_of(error: HTTPException) -> dict[str, str]:
    """The error's own headers; a 429 also says when to try again (the limit's reset)."""
    headers = dict(error.headers or {})
    if error.status_code == 429:
        headers.setdefault("Retry-After", headers.get("RateLimit-Reset", "60"))
    return headers


def domain_error_handler(request: Request, error: DomainError) -> Response:
    lang = language_of(request)
    if _wants_html(request):
        return _page(request, error.status, error.translated(lang))
    body = {"error": error.code, "detail": error.translated(lang)}
    if error.field:
        body["field"] = error.field
    return Response(body, status_code=error.status)


def http_error_handler(request: Request, error: HTTPException) -> Response:
    status = error.status_code
    if isinstance(error, NotAuthorizedException) and _wants_html(request):
        target = "/auth/login?" + urlencode({"next": request.url.path})
        if request.headers.get("hx-request"):
            return Response("", status_code=401, headers={"HX-Redirect": target})
        return Redirect(target, status_code=303)
    if _wants_html(request) and status >= 400:
        return _page(request, status, headers=_headers_of(error))
    lang = language_of(request)
    return Response(
        {"error": status, "detail": gettext(lang, TITLES.get(status, str(error.detail)))},
        status_code=status,
        headers=_headers_of(error),
    )


def _answer(request: Request, status: int, detail: str | None) -> Response:
    if _wants_html(request):
        return _page(request, status, detail)
    lang = language_of(request)
    return Response(
        {"error": status, "detail": gettext(lang, detail or TITLES[status])}, status_code=status
    )


def internal_error_handler(request: Request, error: Exception) -> Response:
    """The last resort: unstorable input is the sender's 422; anything else a logged 500."""
    lang = language_of(request)
    if isinstance(error, UNSTORABLE):
        return _answer(request, 422, gettext(lang, UNSTORABLE_DETAIL))
    log.error(
        "unhandled error",
        request_id=request.state.get("request_id"),
        route=request.scope.get("path_template") or request.url.path,
        exc_info=error,
    )
    return _answer(request, 500, None)
