"""While Redis (the sessions) is down: public pages go on, the rest answers 503 and Retry-After."""

from __future__ import annotations

from litestar import Request, Response
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from services.errors import N_
from web.i18n import gettext
from web.logs import log
from web.templating import render

# What a Redis outage raises; the client reconnects by itself on the next call once it is back.
OUTAGE = (RedisConnectionError, RedisTimeoutError)
RETRY_AFTER_SECONDS = 30
TITLE = N_("Logging in is not possible right now.")
DETAIL = N_("Try again in a minute. The public pages work as usual.")


class SessionsUnavailable(Exception):
    """This request needs a session, and the session store cannot be reached."""


def unavailable_handler(request: Request, error: Exception) -> Response:
    log.warning(
        "sessions_unavailable",
        request_id=request.state.get("request_id"),
        route=request.scope.get("path_template") or request.url.path,
        error=type(error).__name__,
    )
    lang = request.state.get("lang", "nb")
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}
    wants_html = "text/html" in request.headers.get("accept", "") or request.headers.get(
        "hx-request"
    )
    if not wants_html:
        body = {"error": "unavailable", "detail": gettext(lang, TITLE)}
        return Response(body, status_code=503, headers=headers)
    page = render(
        request,
        "error.html",
        status_code=503,
        status=503,
        title=TITLE,
        detail=gettext(lang, DETAIL),
    )
    page.headers.update(headers)
    return page
