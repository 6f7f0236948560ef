"""The short confirmation an action leaves for the next page (Post/Redirect/Get).

The redirect carries it in a cookie the server signs: the English msgid of a message written in
the code (never text from a form), so the page translates it into the reader's language and no
one can make Samspel say something of their own. The next full page shows it once and clears it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets

from litestar import Request
from litestar.datastructures import Cookie
from litestar.response import Response

from services.errors import N_
from web.i18n import gettext

COOKIE = "samspel_said"
SAVED = N_("Your changes are saved.")
_SECONDS = 120  # long enough for the redirect, short enough not to surprise on a later page


def _key(request: Request) -> bytes:
    return request.app.state.settings.derived_key("flash")


def _signed(request: Request, message: str) -> str:
    text = base64.urlsafe_b64encode(message.encode()).decode().rstrip("=")
    mac = hmac.new(_key(request), text.encode(), hashlib.sha256).hexdigest()[:32]
    return f"{text}.{mac}"


def _leave(request: Request, response: Response, cookie: str, value: str) -> Response:
    """Set `cookie` to `value`, signed, for the next page this browser loads."""
    response.set_cookie(
        cookie,
        _signed(request, value),
        max_age=_SECONDS,
        path="/",
        httponly=True,
        samesite="lax",
        secure=request.app.state.settings.secure_cookies,
    )
    return response


def _left(request: Request, cookie: str) -> str | None:
    """The value `_leave` set in `cookie`; None if none (or forged)."""
    raw = request.cookies.get(cookie)
    if not raw or "." not in raw:
        return None
    text, mac = raw.rsplit(".", 1)
    expected = hmac.new(_key(request), text.encode(), hashlib.sha256).hexdigest()[:32]
    if not hmac.compare_digest(mac, expected):
        return None
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
    except ValueError:
        return None


def say(request: Request, response: Response, message: str) -> Response:
    """Leave `message` (an N_() msgid) for the next page this browser loads."""
    return _leave(request, response, COOKIE, message)


def said(request: Request) -> str | None:
    """The message left for this page, in the reader's language; None if none (or forged)."""
    message = _left(request, COOKIE)
    return gettext(request.state.get("lang", "nb"), message) if message else None


def cleared(request: Request) -> list[Cookie]:
    """The cookie that takes the message away once a page has shown it."""
    return [Cookie(key=COOKIE, value="", max_age=0, path="/", httponly=True, samesite="lax")]


# An invitation just made: its one-time link is a secret, so the redirect carries only a signed
# nonce, and the link waits in Redis (where the sessions are) until the next page takes it.
INVITED = "samspel_invited"
_INVITED_KEY = "samspel:invited:"


async def keep_invitation(request: Request, response: Response, email: str, token: str) -> Response:
    """Leave the invitation's address and link (to its `token`) for the next page this browser
    loads, once."""
    link = f"{request.app.state.settings.base_url}/invitations/{token}"
    nonce = secrets.token_urlsafe(16)
    value = json.dumps({"email": email, "link": link})
    await request.app.state.redis.set(_INVITED_KEY + nonce, value, ex=_SECONDS)
    return _leave(request, response, INVITED, nonce)


async def invitation_made(request: Request) -> dict[str, str]:
    """`invited` and `link` for the page, if an invitation was just made here; taken once."""
    nonce = _left(request, INVITED)
    if not nonce:
        return {}
    kept = await request.app.state.redis.getdel(_INVITED_KEY + nonce)
    if not kept:
        return {}
    made = json.loads(kept)
    return {"invited": made["email"], "link": made["link"]}
