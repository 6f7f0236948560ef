"""The one policy for a form's action: run its use-case in one tenant transaction, then answer.

Success is Post/Redirect/Get (a client-side redirect for htmx); an action that changes one part
of a page may instead answer an htmx swap with that part drawn again, the confirmation in it
(`swap`), and still redirect a browser without JavaScript. A refusal is answered the same
way everywhere: not found -> the 404 page, not allowed -> the 403 page (both by the app's
DomainError handler), invalid input -> the same page again, 422, each error beside its field,
a conflict (someone changed it, or the state no longer allows it) -> the page again, 409,
with the message.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from litestar import Request
from litestar.plugins.htmx import ClientRedirect
from litestar.response import Redirect, Response

from services.errors import Conflict, DomainError, InvalidInput
from tenants.context import Scope, tenant_tx
from web.flash import SAVED, say
from web.forms import Form, errors_of
from web.i18n import gettext
from web.templating import wants_fragment

T = TypeVar("T")
# Renders the page again for a refusal: (status, {field: message in the user's language}).
Again = Callable[[int, dict[str, str]], Awaitable[Response]]
Done = str | Callable[[Any], str | Response | Awaitable[Response]]
# Draws the part of the page an action changed, for an htmx swap: takes `confirmed=` (the
# confirmation, in the reader's language) and its page function's other context.
Swap = Callable[..., Awaitable[Response]]


def again_with(page: Callable[..., Any], errors_key: str = "errors", **context: Any) -> Again:
    """Again for a page function taking `status=` and its context: the errors under `errors_key`."""

    async def again(status: int, errors: dict[str, str]) -> Response:
        answer = page(status=status, **{errors_key: errors}, **context)
        return await answer if inspect.isawaitable(answer) else answer

    return again


def again_form(page: Callable[..., Any], form: Form, name: str = "", **context: Any) -> Again:
    """The page again beside a refused form: its errors under `<name>_errors` and what was typed
    under `<name>_form` (plain `errors` and `form` without a name)."""
    errors_key, form_key = (f"{name}_errors", f"{name}_form") if name else ("errors", "form")
    return again_with(page, errors_key, **{form_key: form.texts()}, **context)


def go_to(request: Request, target: str, said: str | None = None) -> Response:
    """After a form: a redirect, or for htmx a client-side one (a 3xx would swap in place);
    `said` (an N_() msgid) is the confirmation the next page shows."""
    if request.headers.get("hx-request") == "true":
        redirect: Response = ClientRedirect(redirect_to=target)
        if "#" in target:
            # htmx sets location.href; to the page already shown, with an #anchor, a browser
            # would only scroll. HX-Refresh makes it load the page again, at the anchor.
            redirect.headers["HX-Refresh"] = "true"
    else:
        redirect = Redirect(target, status_code=303)
    return say(request, redirect, said) if said else redirect


def refusal_status(refusal: DomainError) -> int | None:
    """The status a page answers a refusal with when it shows the page again; None: an error page."""
    if isinstance(refusal, Conflict):
        return 409
    if isinstance(refusal, InvalidInput):
        return 422
    return None


async def act(
    request: Request,
    work: Callable[[], Awaitable[T]],
    *,
    done: Done,
    again: Again | None = None,
    scope: Scope | None = None,
    first: Callable[[], Awaitable[Any]] | None = None,
    said: str = SAVED,
    swap: Swap | None = None,
) -> Response:
    """Run `work` in one transaction; `done` is where to go next (or makes the answer itself).

    Going on, the next page confirms the action with `said` (an N_() msgid, in the reader's
    language there); an answer `done` makes itself says what it needs on its own.

    `first` asks what lies outside Samspel (a public register) before the transaction, so no
    connection waits on it; its answer is handed to `work`, and its refusals answer the same way.

    `swap` answers an htmx request for a fragment (hx-post with hx-target) after success: the
    changed part drawn again with `said` in it, where the form was; `done` stays the answer for
    everyone else (Post/Redirect/Get), so the page works without JavaScript.
    """
    try:
        asked = await first() if first else None
        async with tenant_tx(scope):
            result = await (work(asked) if first else work())
    except DomainError as refusal:
        status = refusal_status(refusal)
        if status is None or again is None:
            raise  # the app's handler answers with the refusal's own page
        return await again(status, errors_of(request, refusal))
    if swap is not None and wants_fragment(request):
        return await swap(confirmed=gettext(request.state.get("lang", "nb"), said))
    if isinstance(done, str):
        return go_to(request, done, said)
    answer = done(result)
    if inspect.isawaitable(answer):
        answer = await answer
    return go_to(request, answer, said) if isinstance(answer, str) else answer
