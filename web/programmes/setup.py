"""Starting a programme and keeping it: its stage, funding lines, board, strategy areas (their
shares summed live by the server as they are typed) and the programme's own KPIs."""

from __future__ import annotations

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
from web.forms import URL_ENCODED, form_post
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


def _setup_post(path: str, name: str):
    return form_post(ONE + path, name=name, guards=[municipality_member(*MANAGERS)])


@_setup_post("/stage", "move_programme_stage")
async def move_stage(
    request: Request,
    programme_id: FromPath[int],
    data: Annotated[StageForm, URL_ENCODED],
) -> Response:
    async def work() -> None:
        data.checked()
        await programmes.move_programme_stage(
            programme_id, data.stage, actor_person_id=person_of(request)
        )

    return await SETUP_PAGE.act(request, programme_id, "stage", data, work, "stage")


@_setup_post("/members", "set_programme_members")
async def set_members(
    request: Request,
    programme_id: FromPath[int],
    data: Annotated[MembersForm, URL_ENCODED],
) -> Response:
    async def work() -> None:
        await programmes.set_programme_members(
            programme_id, data.checked().member_ids(), actor_person_id=person_of(request)
        )

    return await SETUP_PAGE.act(request, programme_id, "members", data, work, "members")


@_setup_post("/funding", "add_funding_line")
async def add_funding(
    request: Request,
    programme_id: FromPath[int],
    data: Annotated[FundingForm, URL_ENCODED],
) -> Response:
    async def work() -> None:
        await programmes.add_funding_line(
            programme_id, **data.values(), actor_person_id=person_of(request)
        )

    return await SETUP_PAGE.act(request, programme_id, "funding", data, work, "funding")


@_setup_post("/board", "add_board_member")
async def add_board_member(
    request: Request,
    programme_id: FromPath[int],
    data: Annotated[BoardMemberForm, URL_ENCODED],
) -> Response:
    async def work() -> None:
        await programmes.add_board_member(
            programme_id, **data.values(), actor_person_id=person_of(request)
        )

    return await SETUP_PAGE.act(request, programme_id, "board", data, work, "board")


@_setup_post("/strategy", "set_strategy_areas")
async def set_strategy_areas(
    request: Request,
    programme_id: FromPath[int],
    data: Annotated[StrategyForm, URL_ENCODED],
) -> Response:
    async def work() -> None:
        await programmes.set_strategy_areas(
            programme_id, data.areas(), actor_person_id=person_of(request)
        )

    return await SETUP_PAGE.act(request, programme_id, "strategy", data, work, "strategy")


@_setup_post("/kpis", "add_kpi")
async def add_kpi(
    request: Request,
    programme_id: FromPath[int],
    data: Annotated[KpiForm, URL_ENCODED],
) -> Response:
    async def work() -> None:
        await programmes.add_kpi(programme_id, **data.values(), actor_person_id=person_of(request))

    return await SETUP_PAGE.act(request, programme_id, "kpis", data, work, "kpis")


ROUTES = [
    new_programme,
    create_programme,
    programme_setup,
    strategy_share_sum,
    move_stage,
    set_members,
    add_funding,
    add_board_member,
    set_strategy_areas,
    add_kpi,
]
