"""What the grant pages share: the names of states and sources, dates, one way to draw a page and
one way to take a step on an application."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Annotated, Any

from litestar import Request
from litestar.params import FromPath
from litestar.response import Response, Template

from services import formats
from services.errors import N_
from services.grants.roles import APPLICANTS, ASSESSORS, MANAGERS, READERS
from services.grants.rules import FINANCING_SOURCES, SUMMARY_LIMIT
from web.actions import act, again_form
from web.auth.guards import municipality_member, organisation_member, person_of, principal_of
from web.flash import SAVED
from web.forms import URL_ENCODED, Form, form_post
from web.i18n import gettext
from web.programmes.pages import SEATS  # a fund's own board has a programme board's seats
from web.templating import render

# Who may use a grant route: the guards, named once.
APPLICANT = [organisation_member(*APPLICANTS)]
ORGANISATION = [organisation_member()]
ASSESSOR = [municipality_member(*ASSESSORS)]
READER = [municipality_member(*READERS)]
MANAGER = [municipality_member(*MANAGERS)]

STATES = {
    "draft": N_("Draft"),
    "submitted": N_("Submitted"),
    "in_assessment": N_("In assessment"),
    "recommended": N_("Recommended to the board"),
    "granted": N_("Granted"),
    "rejected": N_("Rejected"),
    "appealed": N_("Appealed"),
}
OUTCOMES = {"granted": N_("to grant"), "rejected": N_("to reject")}
PARTS = {"effects": N_("Expected effects"), "attachments": N_("Attachments")}
SOURCES = {
    "this_fund": N_("Applied for from this fund"),
    "own": N_("Own funds"),
    "loan": N_("Loan"),
    "other_public": N_("Other public funding"),
    "other_private": N_("Other private funding"),
}
assert tuple(SOURCES) == FINANCING_SOURCES  # noqa: S101 - the page names every source the rules know


def file_size(size: int) -> str:
    """A file's size as a person reads it: "12 kB", "3,4 MB"."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} kB"
    return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")


def page(
    request: Request, name: str, fragment: str | None = None, *, status: int = 200, **context: Any
) -> Template:
    """A grant page, or its fragment for an htmx swap, with the names it draws from."""
    lang = request.state.get("lang", "nb")
    context.setdefault("STATES", STATES)
    context.setdefault("OUTCOMES", OUTCOMES)
    context.setdefault("PARTS", PARTS)
    context.setdefault("SEATS", SEATS)
    context.setdefault("size", file_size)
    context.setdefault("SOURCES", SOURCES)
    context.setdefault("source_options", [(k, gettext(lang, v)) for k, v in SOURCES.items()])
    context.setdefault("SUMMARY_LIMIT", SUMMARY_LIMIT)
    context.setdefault("the_day", lambda value: formats.day(value, lang))
    context.setdefault("errors", {})
    context.setdefault("form", {})
    return render(request, name, fragment=fragment, status_code=status, **context)


def grants_base(request: Request) -> str:
    """Where the active role's grant pages are: its municipality's, or its organisation's."""
    active = principal_of(request).active
    if active.scope == "organisation":
        return f"/o/{active.organisasjonsnummer}/grants"
    return f"/k/{active.kommunenummer}/grants"


async def application_step(
    request: Request,
    application_id: int,
    use_case: Callable[..., Awaitable[Any]],
    data: Form,
    name: str,
    *,
    page: Callable[..., Awaitable[Response]],
    back_to: str = "",
    said: str = SAVED,
    swap: bool = False,
    actor: str = "actor_person_id",
) -> Response:
    """A step on one application, taking the form's values and who takes it (`actor`, as the
    use-case names them): then back to the application (`back_to` a place on it, or one of its
    pages), or `page` again beside the refused form (with `swap`, for htmx, drawn again with the
    confirmation in it)."""
    redraw = partial(page, request, application_id)
    return await act(
        request,
        lambda: use_case(application_id, **data.values(), **{actor: person_of(request)}),
        done=f"{grants_base(request)}/applications/{application_id}{back_to}",
        said=said,
        swap=redraw if swap else None,
        again=again_form(redraw, data, name),
    )


def application_step_route(
    path: str,
    name: str,
    form: type[Form],
    use_case: Callable[..., Awaitable[Any]],
    which: str,
    *,
    guards: list,
    **step: Any,
):
    """The route of one step on an application: the form `which` posted to `path`, then
    application_step with `use_case` (`step`: page, back_to, said, swap or actor, as it takes
    them)."""

    @form_post(path, name=name, guards=guards, form=form)
    async def application_step_post(
        request: Request, application_id: FromPath[int], data: Annotated[form, URL_ENCODED]
    ) -> Response:
        return await application_step(request, application_id, use_case, data, which, **step)

    return application_step_post
