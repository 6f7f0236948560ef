"""What the programme pages share: the names of kinds, stages, sources, seats and plan states,
where a programme's pages live, and one way to load a programme and draw its page."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from litestar import Request
from litestar.response import Response, Template

from services import formats
from services.errors import N_
from services.programmes import service as programmes
from services.programmes.roles import EDITORS, MANAGERS, PLAN_STEPS
from services.programmes.rules import PLAN_STATE_NAMES as PLAN_STATES
from services.programmes.rules import STAGE_NAMES as STAGES
from services.programmes.rules import STANDARD_KPIS
from services.programmes.schemas import ProgrammeOverview
from tenants.context import tenant_tx
from web.actions import act, again_with
from web.auth.guards import principal_of
from web.forms import Form
from web.i18n import gettext
from web.projects.pages import page as project_page

LIST = "/k/{kommunenummer:str}/programmes"
ONE = LIST + "/{programme_id:int}"

KINDS = {
    "omstilling": N_("Restructuring programme"),
    "naeringsutvikling": N_("Business development"),
}
SOURCES = {
    "county": N_("County"),
    "state": N_("State"),
    "municipality": N_("Municipalities"),
    "business": N_("Business"),
    "other": N_("Other"),
}
SEATS = {
    "politician": N_("Politician"),
    "business": N_("Business"),
    "observer": N_("Observer"),
}
# What the button that takes a plan to a state says.
PLAN_STEP_ACTIONS = {
    "draft": N_("Take the board's approval back"),
    "board_approved": N_("Record the board's approval"),
    "municipality_approved": N_("Record the municipality's approval"),
    "county_granted": N_("Record the county's grant"),
}
ASSESSMENT_KINDS = {
    "yearly": N_("Programme status assessment"),
    "final": N_("Final evaluation"),
}
STANDARD_KPI_NAMES = STANDARD_KPIS
NAMES = {
    "KINDS": KINDS,
    "STAGES": STAGES,
    "SOURCES": SOURCES,
    "SEATS": SEATS,
    "PLAN_STATES": PLAN_STATES,
    "PLAN_STEP_ACTIONS": PLAN_STEP_ACTIONS,
    "ASSESSMENT_KINDS": ASSESSMENT_KINDS,
}


def programmes_base(request: Request) -> str:
    return f"/k/{principal_of(request).active.kommunenummer}/programmes"


def base_of(request: Request, programme_id: int) -> str:
    return f"{programmes_base(request)}/{programme_id}"


def role_of(request: Request) -> str:
    return principal_of(request).active.role


async def overview_of(programme_id: int) -> ProgrammeOverview:
    async with tenant_tx():
        return await programmes.programme_overview(programme_id)


def page(
    request: Request, name: str, fragment: str | None = None, *, status: int = 200, **context: Any
) -> Template:
    """A programme page (or its fragment for htmx) with the names and what this role may do."""
    role = role_of(request)
    lang = request.state.get("lang", "nb")
    context.update(NAMES)
    context.setdefault("when", lambda moment: formats.when(moment, lang))
    context.setdefault("iso", lambda moment: moment.isoformat() if moment else "")
    context["options"] = {
        name: [(key, gettext(lang, label)) for key, label in names.items()]
        for name, names in NAMES.items()
    }
    context.setdefault("may_manage", role in MANAGERS)
    context.setdefault("may_edit", role in EDITORS)
    context.setdefault(
        "plan_steps_of_role", [s for s, roles in PLAN_STEPS.items() if role in roles]
    )
    context.setdefault("errors", {})
    context.setdefault("form", {})
    return project_page(request, name, fragment or name, status=status, **context)


# What a page alone shows beside the programme: (request, overview, which form, its texts) -> context,
# read inside the page's transaction.
Shows = Callable[[Request, ProgrammeOverview, str, dict], Awaitable[dict[str, Any]]]


@dataclass(frozen=True)
class FormPage:
    """One of a programme's pages of forms (set-up, plans, assessments): where it lives under the
    programme, its template, and what it alone shows beside the programme."""

    path: str
    template: str
    shows: Shows

    async def draw(
        self,
        request: Request,
        programme_id: int,
        *,
        status: int = 200,
        which: str = "",
        form: Any = None,
        errors: dict | None = None,
    ) -> Template:
        """The page; `which` names the form that came back refused, with its texts in `form` and
        the errors beside its fields."""
        form = form or {}
        async with tenant_tx():
            overview = await programmes.programme_overview(programme_id)
            context = await self.shows(request, overview, which, form)
        return page(
            request,
            self.template,
            status=status,
            base=base_of(request, programme_id),
            programme=overview,
            which=which,
            form=form,
            errors=errors or {},
            **context,
        )

    async def act(
        self, request: Request, programme_id: int, which: str, data: Form, work, anchor: str = ""
    ) -> Response:
        """Run the use-case of the page's form `which`: done, back to the page at `anchor`;
        refused, the page again with the form's texts and the errors beside its fields."""
        done = f"{base_of(request, programme_id)}/{self.path}" + (f"#{anchor}" if anchor else "")
        again = again_with(
            partial(self.draw, request, programme_id), which=which, form=data.texts()
        )
        return await act(request, work, done=done, again=again)
