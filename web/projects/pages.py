"""What the programme and project pages share: names of PLP's states, page or fragment."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.response import Template

from services.errors import N_
from web.templating import render

PHASES = {
    "forstudie": N_("Pre-study"),
    "forprosjekt": N_("Pre-project"),
    "hovudprosjekt": N_("Main project"),
    "drift": N_("Operation"),
}
STATUSES = {
    "active": N_("Running"),
    "awaiting_decision": N_("Awaiting decision"),
    "closed": N_("Closed"),
}
SUB_PROJECT_STATES = {
    "planned": N_("Planned"),
    "active": N_("Running"),
    "closed": N_("Closed"),
}
OUTCOMES = {
    "go": N_("Go"),
    "go_with_conditions": N_("Go with conditions"),
    "revise": N_("Revise"),
    "stop": N_("Stop"),
}


def page(
    request: Request, name: str, fragment: str, *, status: int = 200, **context: Any
) -> Template:
    """The page, or its fragment for an htmx swap; either way the answer varies by HX-Request."""
    lang = request.state.get("lang", "nb")
    context.setdefault("area_name", lambda nb, nn: nn if lang == "nn" else nb)
    context.update(PHASES=PHASES, STATUSES=STATUSES, OUTCOMES=OUTCOMES)
    context.setdefault("SUB_PROJECT_STATES", SUB_PROJECT_STATES)
    return render(request, name, fragment=fragment, status_code=status, **context)
