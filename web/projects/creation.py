"""Starting a project on its funding: owner, sponsor, manager, steering group, strategy area, and
for a regional project its participants, whose cost shares are summed as they are typed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Annotated

from litestar import Request, get
from litestar.params import FromPath
from litestar.response import Response, Template

from services import formats, inputs
from services.access import service as access
from services.errors import N_, InvalidInput
from services.programmes import service as programmes
from services.projects import service as projects
from services.projects.roles import CREATORS
from services.projects.rules import HUNDRED, STARTING_PHASES
from services.projects.schemas import NewProject, SteeringMemberInput
from tenants.context import tenant_tx
from web.actions import act
from web.auth.guards import municipality_member, person_of, principal_of
from web.forms import URL_ENCODED, Form, form_post
from web.i18n import gettext
from web.projects.pages import page

NEW = "/k/{kommunenummer:str}/projects/new"
STEERING_ROWS = 5
PARTICIPANT_ROWS = 6  # the lead's row first, then the other municipalities


@dataclass
class Shares:
    """The participant rows as typed, their sum, what they mean, and what is wrong with them."""

    rows: list[dict]
    total: Decimal
    parsed: dict[str, Decimal]  # kommunenummer -> per cent; empty: a local project
    problem: str | None

    @property
    def sum_text(self) -> str:
        """The sum as a plain number (90, 99.5) for the page's data-sum."""
        return f"{self.total.normalize():f}"


# The rows the page makes up for the steering group and for the participants' cost shares, here
# and again on their own steps (web/projects/steps.py); an error in a row is the group's.
STEERING_PREFIXES = ("steering-name-", "steering-represents-")
STEERING_FIELDS = {"steering-": "steering_group"}
SHARE_PREFIXES = ("participant-", "share-")
SHARE_FIELDS = {"participant-": "cost_shares", "share-": "cost_shares"}


class NewProjectForm(Form):
    PREFIXED = STEERING_PREFIXES + SHARE_PREFIXES
    PREFIX_FIELDS = STEERING_FIELDS | SHARE_FIELDS
    LIMITS = {"title": 300}

    title: str = ""
    description: str = ""
    phase: str = "forstudie"
    programme: str = ""
    strategy_area: str = ""
    budget: str = ""
    decided_on: str = ""
    funding_basis: str = ""
    owner: str = ""
    owner_name: str = ""
    sponsor: str = ""
    sponsor_name: str = ""
    manager: str = ""
    manager_name: str = ""
    mandate: str = ""
    plan: str = ""
    period_start: str = ""
    period_end: str = ""
    delegated: str = ""

    def new_project(self, lead: str, lang: str) -> NewProject:
        """What create_project takes; every field's refusal at once."""
        shares = shares_of(self, lead, lang)
        with self.reading() as read:
            if self.phase not in {p.value for p in STARTING_PHASES}:
                read.refuse(
                    InvalidInput("phase_invalid", N_("Choose a sub-project."), field="phase")
                )
            if shares.problem:
                read.refuse(
                    InvalidInput("cost_shares_invalid", shares.problem, field="cost_shares")
                )
            ids = {
                name: read.optional(inputs.whole, value, name)
                for name, value in (
                    ("programme", self.programme),
                    ("strategy_area", self.strategy_area),
                    ("owner", self.owner),
                    ("sponsor", self.sponsor),
                    ("manager", self.manager),
                )
            }
            if not self.owner and not self.owner_name:
                read.refuse(
                    InvalidInput("owner_required", N_("Name the project owner."), field="owner")
                )
            budget = read(inputs.amount, self.budget, "budget")
            decided_on = read(inputs.day, self.decided_on, "decided_on")
            period = read.period(self.period_start, self.period_end)
        return NewProject(
            title=self.title,
            phase=self.phase,
            budget=budget,
            decided_on=decided_on,
            owner_person_id=ids["owner"],
            owner_name=self.owner_name,
            sponsor_person_id=ids["sponsor"],
            sponsor_name=self.sponsor_name,
            manager_person_id=ids["manager"],
            manager_name=self.manager_name,
            description=self.description,
            programme_id=ids["programme"],
            strategy_area_id=ids["strategy_area"],
            mandate=self.mandate,
            plan=self.plan,
            period_start=period[0],
            period_end=period[1],
            funding_basis=self.funding_basis,
            decisions_delegated_to_board=self.delegated == "on",
            steering_group=steering_group_of(self),
            cost_shares=shares.parsed,
        )


def steering_group_of(form: Form) -> list[SteeringMemberInput]:
    names, represents = form.prefixed["steering-name-"], form.prefixed["steering-represents-"]
    return [
        SteeringMemberInput(names[key], represents.get(key, ""))
        for key in sorted(names, key=lambda k: int(k) if k.isdigit() else 0)
        if names[key]
    ]


def steering_rows(form: Form, at_least: int = STEERING_ROWS) -> list[dict]:
    members = steering_group_of(form)
    rows = [{"name": m.name, "represents": m.represents} for m in members]
    return rows + [{"name": "", "represents": ""}] * max(at_least - len(rows), 1)


def shares_of(form: Form, lead: str, lang: str) -> Shares:
    """The participant rows; the lead is row 0. Only the lead (or nobody) named: a local project."""
    chosen, typed = form.prefixed["participant-"], form.prefixed["share-"]
    rows, parsed, total, problem = [], {}, Decimal(0), None
    for i in range(PARTICIPANT_ROWS):
        nr = lead if i == 0 else chosen.get(str(i), "")
        raw = typed.get(str(i), "")
        rows.append({"kommunenummer": nr, "share": raw})
        if not nr or (i == 0 and not raw):
            continue
        try:
            share = inputs.number(raw, "cost_shares")
        except InvalidInput:
            problem = problem or gettext(lang, N_("A cost share is a number of per cent above 0."))
            continue
        if nr in parsed:
            problem = problem or gettext(lang, N_("Each municipality takes part once."))
        parsed[nr] = share
        total += share
    if len(parsed) <= 1 and not problem:
        return Shares(rows, total, {}, None)  # the lead alone: a local project
    if lead not in parsed:
        problem = problem or gettext(lang, N_("Give the lead municipality its cost share too."))
    if problem is None and total != HUNDRED:
        problem = gettext(
            lang,
            N_("The cost shares sum to %(sum)s %%, not 100 %%."),
            sum=formats.number(total, lang),
        )
    return Shares(rows, total, parsed, problem)


# The use-case's names of the fields this page draws under another name.
FIELD_OF = {
    "programme_id": "programme",
    "strategy_area_id": "strategy_area",
    "owner_person_id": "owner",
    "owner_name": "owner",
    "sponsor_person_id": "sponsor",
    "manager_person_id": "manager",
    "lead_municipality": "cost_shares",
    "name": "steering_group",
}
DRAWN = {*NewProjectForm.__annotations__, "steering_group", "cost_shares", "_form"}


def beside_fields(errors: dict[str, str]) -> dict[str, str]:
    """Each refusal beside the field the page draws; one it does not draw, above the form."""
    placed: dict[str, str] = {}
    for name, message in errors.items():
        name = FIELD_OF.get(name, name)
        placed.setdefault(name if name in DRAWN else "_form", message)
    return placed


def _lead(request: Request) -> str:
    return principal_of(request).active.kommunenummer


async def _choices(request: Request) -> dict:
    """The people, programmes, strategy areas and neighbours the form offers."""
    async with tenant_tx():
        people = await access.members_of(
            municipality_id=principal_of(request).active.municipality_id
        )
        found = await programmes.list_programmes()
        areas = await projects.strategy_area_choices()
        neighbours = await projects.participant_candidates()
    lang = request.state.get("lang", "nb")
    return {
        "people": sorted({(m.person_id, m.person_name) for m in people}, key=lambda p: p[1]),
        "programmes_options": [(p.id, p.name) for p in found],
        "area_options": [
            (a.id, f"{a.programme_name} – {a.name_nn if lang == 'nn' else a.name_nb}")
            for a in areas
        ],
        "neighbours": [n for n in neighbours if n.kommunenummer != _lead(request)],
    }


async def _editor(
    request: Request, form: NewProjectForm, errors: dict, *, status: int = 200
) -> Template:
    lang = request.state.get("lang", "nb")
    return page(
        request,
        "projects/new.html",
        "projects/_new.html",
        status=status,
        base=f"/k/{_lead(request)}/projects",
        form=form.texts(),
        errors=errors,
        steering=steering_rows(form),
        shares=shares_of(form, _lead(request), lang),
        lead_name=principal_of(request).active.municipality_name,
        **await _choices(request),
    )


@get(NEW, guards=[municipality_member(*CREATORS)], name="new_project")
async def new_project(request: Request) -> Template:
    blank = NewProjectForm.of(
        {
            "owner": str(person_of(request)),
            "decided_on": date.today().isoformat(),
            "share-0": "100",
        }
    )
    return await _editor(request, blank, {})


@get(NEW + "/shares", guards=[municipality_member()], name="project_shares")
async def shares(request: Request, kommunenummer: FromPath[str]) -> Template:
    """The live sum of the cost shares, recomputed by the server as they are typed (for a new
    project and for one whose participants change; it reads nothing, so any member may ask)."""
    form = NewProjectForm.of(dict(request.query_params.items()))
    summed = shares_of(form, kommunenummer, request.state.get("lang", "nb"))
    return page(request, "projects/_shares.html", "projects/_shares.html", shares=summed)


@form_post(
    "/k/{kommunenummer:str}/projects",
    name="create_project",
    guards=[municipality_member(*CREATORS)],
)
async def create(
    request: Request, kommunenummer: FromPath[str], data: Annotated[NewProjectForm, URL_ENCODED]
) -> Response:
    lang = request.state.get("lang", "nb")

    async def work() -> int:
        return await projects.create_project(
            data.new_project(kommunenummer, lang), actor_person_id=person_of(request)
        )

    async def again(status: int, errors: dict[str, str]) -> Response:
        return await _editor(request, data, beside_fields(errors), status=status)

    return await act(
        request,
        work,
        done=lambda project_id: f"/k/{kommunenummer}/projects/{project_id}",
        again=again,
    )


ROUTES = [new_project, shares, create]
