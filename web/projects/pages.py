"""What the programme and project pages share: names of PLP's states, page or fragment."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from litestar import Request
from litestar.response import Template

from services.errors import N_
from services.programmes.rules import STANDARD_KPIS
from services.projects.rules import PHASE_NAMES as PHASES
from services.projects.rules import SUB_PROJECT_STATE_NAMES as SUB_PROJECT_STATES
from services.projects.rules import SubProjectPhase, next_phase
from web.i18n import gettext
from web.templating import render

STATUSES = {
    "active": N_("Running"),
    "awaiting_decision": N_("Awaiting decision"),
    "closed": N_("Closed"),
}
OUTCOMES = {
    "go": N_("Go"),
    "go_with_conditions": N_("Go with conditions"),
    "revise": N_("Revise"),
    "stop": N_("Stop"),
}


# The one step a project waits for (services.projects.rules.NextStep), said with the phase it is
# about, and who may take it (rules.StepTakers).
NEXT_STEPS = {
    "plan": N_("Plan the %(phase)s"),
    "close": N_("Close the %(phase)s with its closing report"),
    "decision_point": N_("Set the date of the decision point after the %(phase)s"),
    "decide": N_("Record the decision on the %(phase)s"),
    "none": N_("The project is closed; nothing follows."),
}
STEP_TAKERS = {
    "planners": N_("the project owner, sponsor or manager, a case officer or an admin"),
    "owner": N_("the project owner"),
    "owner_or_board": N_("the project owner, or the programme board by delegation"),
    "nobody": "",
}


def next_step_context(detail: Any, part: Any) -> dict[str, Any]:
    """The step, the phase its text names, and whether this person may take it."""
    current = SubProjectPhase(detail.summary.phase)
    following = next_phase(current)
    step = detail.next_step
    about = following if step in ("plan", "decide") else current
    takes = part.decide if step == "decide" else part.plan if step != "none" else False
    planned = next(
        (s for s in detail.sub_projects if following and s.phase == following.value), None
    )
    return {
        "step": step,
        "step_phase": about.value if about else "",
        "following_phase": following.value if following else "",
        "following_planned": planned,
        "may_take_step": takes,
    }


# Days from today a decision point's date is proposed, for the owner to prepare.
DECISION_DAYS = 14


def step_defaults(detail: Any) -> dict[str, str]:
    """The step's form as first shown: the planned sub-project's values, a decision date."""
    following = next_phase(SubProjectPhase(detail.summary.phase))
    planned = next(
        (s for s in detail.sub_projects if following and s.phase == following.value), None
    )
    values = {"due_date": (date.today() + timedelta(days=DECISION_DAYS)).isoformat()}
    if planned is not None:
        values.update(
            mandate=planned.mandate,
            plan=planned.plan,
            budget=f"{planned.budget:f}".removesuffix(".00"),
            period_start=planned.period_start.isoformat() if planned.period_start else "",
            period_end=planned.period_end.isoformat() if planned.period_end else "",
        )
    return values


def translated(names: dict[str, str], lang: str) -> dict[str, str]:
    return {key: gettext(lang, name) for key, name in names.items()}


def page(
    request: Request, name: str, fragment: str, *, status: int = 200, **context: Any
) -> Template:
    """The page, or its fragment for an htmx swap; either way the answer varies by HX-Request."""
    lang = request.state.get("lang", "nb")
    context.setdefault("area_name", lambda nb, nn: nn if lang == "nn" else nb)
    context.update(PHASES=PHASES, STATUSES=STATUSES, OUTCOMES=OUTCOMES)
    # The names a table repeats in every row, translated once for the page.
    context.update(PHASE_TEXT=translated(PHASES, lang), STATUS_TEXT=translated(STATUSES, lang))
    context.update(NEXT_STEPS=NEXT_STEPS, STEP_TAKERS=STEP_TAKERS)
    context.setdefault("SUB_PROJECT_STATES", SUB_PROJECT_STATES)
    context.setdefault("STANDARD_KPIS", STANDARD_KPIS)
    return render(request, name, fragment=fragment, status_code=status, **context)
