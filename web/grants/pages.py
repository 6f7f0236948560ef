"""What the grant pages share: the names of states and sources, dates, and one way to draw a page."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.response import Template

from services import formats
from services.errors import N_
from services.grants.roles import APPLICANTS, ASSESSORS, MANAGERS, READERS
from services.grants.rules import FINANCING_SOURCES, SUMMARY_LIMIT
from web.auth.guards import municipality_member, organisation_member
from web.i18n import gettext
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
SEATS = {"politician": N_("Politician"), "business": N_("Business"), "observer": N_("Observer")}
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
