"""What programmes add to the dashboards: budget, committed and spent per strategy area and
year, KPIs against their targets."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import msgspec

from services.dashboards.charts import Chart, Drawn, bars
from services.dashboards.rules import CENT, Figure, Slice, fig
from services.dashboards.views import DashTable, MemberColumn, PerAreaAndYear, Table, of_slice
from services.errors import N_
from services.i18n import gettext
from services.programmes.rules import STANDARD_KPIS as KPI_NAMES
from services.projects.figures import PROJECT_CHANGES, MoneyPart, money_parts
from tenants.context import fetch_structs

HUNDRED = Decimal(100)


class AreaRow(msgspec.Struct, frozen=True):
    id: int
    programme_id: int
    name_nb: str
    name_nn: str
    share: Decimal


class AmountRow(msgspec.Struct, frozen=True):
    """A programme's funding of a year (key = the programme's id)."""

    key: int | None
    year: int
    amount: Decimal


class KpiTargetRow(msgspec.Struct, frozen=True):
    code: str
    name: str
    year: int
    target: Decimal


class KpiMeasurementRow(msgspec.Struct, frozen=True):
    kpi_id: int
    code: str
    name: str
    measured_on: date
    id: int
    value: Decimal


def programme_figures(
    areas: Sequence[AreaRow],
    funding: Sequence[AmountRow],
    committed: Sequence[MoneyPart],
    spent: Sequence[MoneyPart],
    targets: Sequence[KpiTargetRow],
    measurements: Sequence[KpiMeasurementRow],
) -> list[Figure]:
    """Budget (the year's funding times the area's share, as the programme page shows it),
    the municipality's part of what projects committed (budgets approved by a go) and spent
    (status reports) per strategy area and year,
    summed over the municipality's programmes by the area's name; KPI targets and the
    latest measured value of each year, summed over programmes by the KPI's code."""
    names = {a.id: (a.name_nb, a.name_nn) for a in areas}
    money: dict[tuple[str, str, int], Decimal] = defaultdict(Decimal)
    labels: dict[str, str] = {"": ""}
    by_programme_year: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for line in funding:
        by_programme_year[(line.key, line.year)] += line.amount
    for area in areas:
        labels[area.name_nb] = area.name_nn
        for (programme_id, year), amount in by_programme_year.items():
            if programme_id == area.programme_id:
                share = (amount * area.share / HUNDRED).quantize(CENT)
                money[("budget", area.name_nb, year)] += share
    for metric, rows in (("committed", committed), ("spent", spent)):
        for row in rows:
            name = names.get(row.key, ("", ""))[0] if row.key is not None else ""
            money[(metric, name, row.year)] += row.amount
    figures = [
        fig("programmes", metric, value, subject, year, labels.get(subject, subject))
        for (metric, subject, year), value in money.items()
    ]
    return figures + _kpi_figures(targets, measurements)


def _kpi_figures(
    targets: Sequence[KpiTargetRow], measurements: Sequence[KpiMeasurementRow]
) -> list[Figure]:
    sums: dict[tuple[str, str, int], Decimal] = defaultdict(Decimal)
    names: dict[str, str] = {}
    for t in targets:
        names.setdefault(t.code, t.name)
        sums[("kpi_target", t.code, t.year)] += t.target
    latest: dict[tuple[int, int], KpiMeasurementRow] = {}
    for m in measurements:
        key = (m.kpi_id, m.measured_on.year)
        if key not in latest or (m.measured_on, m.id) > (latest[key].measured_on, latest[key].id):
            latest[key] = m
    for m in latest.values():
        names.setdefault(m.code, m.name)
        sums[("kpi_value", m.code, m.measured_on.year)] += m.value
    return [
        fig("programmes", metric, value, code, year, names[code])
        for (metric, code, year), value in sums.items()
    ]


async def compute(on: date) -> list[Figure]:
    areas = await fetch_structs(
        AreaRow,
        "select id, programme_id, name_nb, name_nn, share from strategy_area"
        " where tenant_id = app_tenant_id() order by id",
    )
    funding = await fetch_structs(
        AmountRow,
        "select programme_id as key, year, sum(amount) as amount from funding_line"
        " where tenant_id = app_tenant_id() group by programme_id, year",
    )
    # Committed and spent: the municipality's part of the projects' money (a regional
    # project's by each participant's cost share, so a region's sum counts it once).
    committed, spent = await money_parts()
    targets = await fetch_structs(
        KpiTargetRow,
        "select k.code, k.name, t.year, t.target from kpi_target t"
        " join kpi k on k.tenant_id = t.tenant_id and k.id = t.kpi_id"
        " where t.tenant_id = app_tenant_id() order by k.id, t.year",
    )
    measurements = await fetch_structs(
        KpiMeasurementRow,
        "select distinct on (m.kpi_id, extract(year from m.measured_on)) m.kpi_id, k.code,"
        " k.name, m.measured_on, m.id, m.value from kpi_measurement m"
        " join kpi k on k.tenant_id = m.tenant_id and k.id = m.kpi_id"
        " where m.tenant_id = app_tenant_id()"
        " order by m.kpi_id, extract(year from m.measured_on), m.measured_on desc, m.id desc",
    )
    return programme_figures(areas, funding, committed, spent, targets, measurements)


SLICES = (
    Slice(
        "programmes",
        # Projects carry the money committed and spent per strategy area, so their events
        # recompute this slice too.
        changed_by=frozenset(
            {
                "programmes.funding_line_added",
                "programmes.strategy_areas_set",
                "programmes.kpi_target_set",
                "programmes.kpi_measured",
            }
        )
        | PROJECT_CHANGES,
        compute=compute,
    ),
)


def money_chart(figures: Sequence[Figure], lang: str) -> Drawn | None:
    """Budget, committed and spent per year, summed over the strategy areas."""
    years: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for f in figures:
        if f.metric in MONEY:
            years[f.year][f.metric] += f.value
    if not years:
        return None
    ordered = sorted(years)
    return bars(
        gettext(lang, N_("Budget, committed and spent per year")),
        [str(year) for year in ordered],
        [
            (gettext(lang, name), [float(years[year][metric]) for year in ordered])
            for metric, name in MONEY.items()
        ],
        lang,
        money=True,
    )


MONEY = {"budget": N_("Budget"), "committed": N_("Committed"), "spent": N_("Spent")}
CHARTS = (Chart("money", "programmes", money_chart),)


# --- tables -----------------------------------------------------------------------------------

money_table = PerAreaAndYear(
    "money",
    N_("Budget, committed and spent per strategy area and year (NOK)"),
    "programmes",
    {"budget": N_("Budget"), "committed": N_("Committed"), "spent": N_("Spent")},
    N_("No strategy area"),
).table


def kpi_table(figures: Sequence[Figure], lang: str, link: str | None = None) -> DashTable:
    t = DashTable(
        "kpis",
        gettext(lang, N_("KPIs against targets")),
        [gettext(lang, s) for s in (N_("KPI"), N_("Year"), N_("Target"), N_("Measured"))],
        numeric_from=2,
    )
    cells: dict[tuple[str, int], dict[str, Decimal]] = defaultdict(dict)
    labels: dict[str, str] = {}
    for f in of_slice(figures, "programmes"):
        if f.metric in ("kpi_target", "kpi_value"):
            cells[(f.subject, f.year)][f.metric] = f.value
            labels[f.subject] = (
                gettext(lang, KPI_NAMES[f.subject])
                if f.subject in KPI_NAMES
                else (f.label or f.subject)
            )
    for (code, year), values in sorted(cells.items()):
        t.add([labels[code], year, values.get("kpi_target"), values.get("kpi_value")])
    return t


TABLES = (Table("money", money_table), Table("kpis", kpi_table))
# The council's table of its members: each one's money summed over its areas and years.
MEMBER_COLUMNS = (
    MemberColumn("budget", N_("Budget (NOK)"), summed=True),
    MemberColumn("committed", N_("Committed (NOK)"), summed=True),
    MemberColumn("spent", N_("Spent (NOK)"), summed=True),
)
