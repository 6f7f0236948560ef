"""Starting a programme and keeping it: its stage, funding lines, board, strategy areas (their
shares summed live by the server as they are typed) and the programme's own KPIs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from litestar import Request, get
from litestar.params import FromPath
from litestar.response import Response, Template

from services.programmes import service as programmes
from services.programmes.roles import MANAGERS
from services.programmes.rules import board_is_balanced, seat_balance
from services.programmes.schemas import ProgrammeOverview
from tenants.context import tenant_tx
from web.actions import act
from web.auth.guards import municipality_member, person_of
from web.forms import URL_ENCODED, Form, form_post
from web.programmes.forms import (
    BoardMemberForm,
    FundingForm,
    KpiForm,
    MembersForm,
    ProgrammeForm,
    StageForm,
    StrategyForm,
)
from web.programmes.pages import (
    LIST,
    ONE,
    FormPage,
    base_of,
    page,
    programmes_base,
)

SETUP = ONE + "/setup"
BLANK_AREA_ROWS = 2  # empty rows below the areas, for new ones


# --- a new programme ----------------------------------------------------------------------------


async def _new_page(request: Request, form: dict, errors: dict, status: int = 200) -> Template:
    async with tenant_tx():
        neighbours = await programmes.neighbours()
    return page(
        request,
        "programmes/new.html",
        status=status,
        base=programmes_base(request),
        form=form,
        errors=errors,
        neighbours=neighbours,
    )


@get(LIST + "/new", guards=[municipality_member(*MANAGERS)], name="new_programme")
async def new_programme(request: Request) -> Template:
    return await _new_page(request, {"kind": "omstilling"}, {})


@form_post(LIST, name="create_programme", guards=[municipality_member(*MANAGERS)])
async def create_programme(
    request: Request, data: Annotated[ProgrammeForm, URL_ENCODED]
) -> Response:
    async def work() -> int:
        return await programmes.create_programme(
            **data.values(), actor_person_id=person_of(request)
        )

    async def again(status: int, errors: dict[str, str]) -> Response:
        return await _new_page(request, data.texts(), errors, status)

    return await act(
        request, work, done=lambda new_id: f"{base_of(request, new_id)}/setup", again=again
    )


# --- the set-up page ----------------------------------------------------------------------------


def area_rows(overview: ProgrammeOverview) -> list[dict[str, str]]:
    """The editor's rows: the areas as they are, then empty ones for new areas."""
    rows = [
        {
            "n": str(i),
            "id": str(a.id),
            "name_nb": a.name_nb,
            "name_nn": a.name_nn,
            "share": f"{a.share.normalize():f}",
        }
        for i, a in enumerate(overview.strategy_areas)
    ]
    start = len(rows)
    rows += [
        {"n": str(start + i), "id": "", "name_nb": "", "name_nn": "", "share": ""}
        for i in range(BLANK_AREA_ROWS)
    ]
    return rows


def _sum(total) -> dict:
    return {"share_total": total, "share_ok": total == 100}


async def _setup_shows(
    request: Request, overview: ProgrammeOverview, which: str, form: dict
) -> dict[str, Any]:
    members = {str(m.id) for m in overview.members}
    areas = StrategyForm.of(form) if which == "strategy" and form else None
    return {
        "area_rows": areas.rows() if areas else area_rows(overview),
        **_sum(areas.total() if areas else sum(a.share for a in overview.strategy_areas)),
        "seats": seat_balance([m.seat for m in overview.board]),
        "balanced": board_is_balanced([m.seat for m in overview.board]),
        "years": list(range(overview.period_start, overview.period_end + 1)),
        "neighbours": await programmes.neighbours(),
        "ticked": sorted(
            {k.removeprefix("member-") for k, v in form.items() if v}
            if which == "members"
            else members
        ),
    }


SETUP_PAGE = FormPage("setup", "programmes/setup.html", _setup_shows)


@get(SETUP, guards=[municipality_member()], name="programme_setup")
async def programme_setup(
    request: Request, programme_id: FromPath[int]
) -> Template:
    return await SETUP_PAGE.draw(request, programme_id)


@get(ONE + "/strategy/sum", guards=[municipality_member(*MANAGERS)], name="strategy_share_sum")
async def strategy_share_sum(
    request: Request, programme_id: FromPath[int]
) -> Template:
    """The live sum of the shares, recomputed by the server as the editor types."""
    form = StrategyForm.of(dict(request.query_params.items()))
    return page(request, "programmes/_share_sum.html", **_sum(form.total()))


def _setup_form(which: str, form: type[Form], use_case: Callable[..., Awaitable[Any]]):
    """The route of the set-up page's form `which` (posted to the programme's /<which>), named
    after its use-case: that takes the programme and the form's values; done or refused, back
    to that form."""

    @form_post(
        f"{ONE}/{which}", name=use_case.__name__, guards=[municipality_member(*MANAGERS)], form=form
    )
    async def setup_form(
        request: Request, programme_id: FromPath[int], data: Annotated[form, URL_ENCODED]
    ) -> Response:
        async def work() -> None:
            await use_case(programme_id, **data.values(), actor_person_id=person_of(request))

        return await SETUP_PAGE.act(request, programme_id, which, data, work, which)

    return setup_form


# The set-up page's forms: (which, its form, the use-case it runs).
SETUP_FORMS = [
    ("stage", StageForm, programmes.move_programme_stage),
    ("members", MembersForm, programmes.set_programme_members),
    ("funding", FundingForm, programmes.add_funding_line),
    ("board", BoardMemberForm, programmes.add_board_member),
    ("strategy", StrategyForm, programmes.set_strategy_areas),
    ("kpis", KpiForm, programmes.add_kpi),
]


ROUTES = [
    new_programme,
    create_programme,
    programme_setup,
    strategy_share_sum,
    *(_setup_form(*row) for row in SETUP_FORMS),
]
