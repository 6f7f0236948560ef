"""A municipality's programmes: the overview (money per strategy area and year, KPIs against
targets) and the two edits made there most, a KPI's measurement and its target for a year."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from litestar import Request, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Response, Template

from services import inputs
from services.errors import N_
from services.programmes import service as programmes
from services.programmes.roles import EDITORS, MANAGERS
from services.programmes.schemas import KpiView, ProgrammeOverview
from tenants.context import tenant_tx
from web.actions import act
from web.auth.guards import municipality_member, person_of, principal_of
from web.forms import URL_ENCODED, Form, form_post
from web.programmes.pages import LIST, ONE, STANDARD_KPI_NAMES, base_of, overview_of, page
from web.templating import wants_fragment

KPI = ONE + "/kpis/{kpi_id:int}"


def kpi_rows(overview: ProgrammeOverview) -> list[dict]:
    """Each KPI with the target it is measured against and how far along it is, in per cent."""
    rows = []
    for kpi in overview.kpis:
        year = kpi.latest_measured_on.year if kpi.latest_measured_on else None
        percent = None if kpi.progress is None else int((kpi.progress * 100).to_integral_value())
        rows.append(
            {
                "kpi": kpi,
                "name": STANDARD_KPI_NAMES.get(kpi.code) if kpi.standard else None,
                "year": year,
                "target": kpi.targets.get(year) if year else None,
                "final_target": kpi.targets.get(overview.period_end),
                "percent": percent,
                "bar": max(0, min(100, percent or 0)),
            }
        )
    return rows


_overview = overview_of


def _overview_page(
    request: Request, overview: ProgrammeOverview, *, status: int = 200, edit: dict | None = None
) -> Template:
    years = list(overview.budget_by_year)
    return page(
        request,
        "programmes/overview.html",
        "programmes/_kpis.html",
        status=status,
        base=base_of(request, overview.id),
        programme=overview,
        years=years,
        kpis=kpi_rows(overview),
        edit=edit or {},
    )


@get(LIST, guards=[municipality_member()], name="programme_list")
async def programme_list(request: Request) -> Template:
    async with tenant_tx():
        found = await programmes.list_programmes()
    return page(request, "programmes/list.html", programmes=found)


@get(ONE, guards=[municipality_member()], name="programme_overview")
async def programme_overview(
    request: Request, programme_id: FromPath[int]
) -> Template:
    return _overview_page(request, await _overview(programme_id))


def _kpi_of(overview: ProgrammeOverview, kpi_id: int) -> KpiView:
    kpi = next((k for k in overview.kpis if k.id == kpi_id), None)
    if kpi is None:
        raise NotFoundException()
    return kpi


class MeasurementForm(Form):
    PARSE = {"measured_on": inputs.day, "value": inputs.number}

    measured_on: str = ""
    value: str = ""
    source: str = ""


class TargetForm(Form):
    PARSE = {"year": partial(inputs.whole, message=N_("Choose a year.")), "target": inputs.number}

    year: str = ""
    target: str = ""


class BaselineForm(Form):
    PARSE = {"baseline": inputs.number}

    baseline: str = ""


def _kpi_edit(path: str, which: str, roles: tuple[str, ...], form: type[Form], use_case):
    """The route of a KPI's edit form `which` (posted to the KPI's /<path>), named after its
    use-case: the KPI must be the programme's, then the use-case takes the form's fields; the
    answer is the KPIs again (for htmx) or the programme at its KPIs, or the form refused."""

    @form_post(
        f"{KPI}/{path}", name=use_case.__name__, guards=[municipality_member(*roles)], form=form
    )
    async def kpi_edit(
        request: Request,
        programme_id: FromPath[int],
        kpi_id: FromPath[int],
        data: Annotated[form, URL_ENCODED],
    ) -> Response:
        async def work() -> None:
            _kpi_of(await programmes.programme_overview(programme_id), kpi_id)
            await use_case(kpi_id, **data.parsed(), actor_person_id=person_of(request))

        async def again(status: int, errors: dict[str, str]) -> Response:
            edit = {"kpi": kpi_id, "form": which, "values": data.texts(), "errors": errors}
            return _overview_page(request, await _overview(programme_id), status=status, edit=edit)

        async def done(_) -> Response | str:
            if wants_fragment(request):
                return _overview_page(request, await _overview(programme_id))
            active = principal_of(request).active
            return f"/k/{active.kommunenummer}/programmes/{programme_id}#kpis"

        return await act(request, work, done=done, again=again)

    return kpi_edit


# The edits of a KPI made on the overview: (path, which form, who may, its form, its use-case).
KPI_EDITS = [
    ("measurements", "measurement", EDITORS, MeasurementForm, programmes.record_kpi_measurement),
    ("targets", "target", EDITORS, TargetForm, programmes.set_kpi_target),
    ("baseline", "baseline", MANAGERS, BaselineForm, programmes.set_kpi_baseline),
]


ROUTES = [programme_list, programme_overview, *(_kpi_edit(*edit) for edit in KPI_EDITS)]
