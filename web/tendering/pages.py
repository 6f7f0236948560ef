"""What the tender pages of all three sides share: state names, amounts and times, page or fragment."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Request
from litestar.response import Template

from services import formats
from services.errors import N_
from services.tendering.sealing import SEALING_KEY_PURPOSE
from web.templating import render

STATES = {
    "draft": N_("Draft"),
    "published": N_("Open for bids"),
    "bids_closed": N_("Bids closed"),
    "opened": N_("Bids opened"),
    "evaluated": N_("Evaluated"),
    "award_notified": N_("Award notified"),
    "standstill": N_("Standstill"),
    "contract_signed": N_("Contract signed"),
    "completed": N_("Completed"),
    "cancelled": N_("Cancelled"),
    "unsuccessful": N_("Unsuccessful"),
}
NOTICES = {
    "not_regulated": N_("Below 100 000 NOK: the procurement rules do not apply."),
    "local": N_("Announced in Samspel."),
    "local_and_doffin": N_(
        "From 1 300 000 NOK (the national threshold): the notice must also go to Doffin."
    ),
}


def when_text(moment: datetime | None, lang: str = "nb", *, seconds: bool = False) -> str:
    """A moment on the Norwegian clock, the one deadlines are set by: "14.12.2026 kl. 12.00"."""
    return formats.when(moment, lang, seconds=seconds)


def sealing_key(request: Request) -> bytes:
    """The key bids are sealed with, derived from the app's secret."""
    return request.app.state.settings.derived_key(SEALING_KEY_PURPOSE)


def page(
    request: Request, name: str, fragment: str | None = None, *, status: int = 200, **context: Any
) -> Template:
    """The page, or its fragment for an htmx swap; either way the answer varies by HX-Request."""
    lang = request.state.get("lang", "nb")
    context.setdefault("when", lambda moment: formats.when(moment, lang))
    context.setdefault("when_s", lambda moment: formats.when(moment, lang, seconds=True))
    context.setdefault("iso", lambda moment: moment.isoformat() if moment else "")
    context.setdefault("STATES", STATES)
    context.setdefault("NOTICES", NOTICES)
    context.setdefault("errors", {})
    context.setdefault("form", {})
    return render(request, name, fragment=fragment, status_code=status, **context)
