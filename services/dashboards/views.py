"""The tables a dashboard shows, built from stored figures, in the reader's language; the same
tables are what the CSV and XLSX exports hold. The worker writes them into each dashboard's
stored page (services/dashboards/pages.py); an export builds its one table again from the figures."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from services import formats
from services.dashboards.rules import WHOLE_REGION, Figure
from services.errors import N_
from services.i18n import gettext
from services.programmes.rules import STANDARD_KPIS as KPI_NAMES
from services.projects.rules import PHASE_NAMES as PHASES
from services.projects.rules import PHASE_ORDER


@dataclass
class DashTable:
    """One table: its key (in the export's address), a title, headings, rows of raw values."""

    key: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    links: list[str | None] = field(default_factory=list)  # where each row's first cell leads
    numeric_from: int = 1  # columns from this one on are numbers

    def add(self, row: list, link: str | None = None) -> None:
        self.rows.append(row)
        self.links.append(link)


def number(value, lang: str) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return formats.number(int(value), lang)  # most figures are whole: the quick path
    if isinstance(value, Decimal | int | float):
        return formats.number(value, lang)
    if isinstance(value, date):  # a day in a table: 14.12.2026, as the pages write it
        return formats.day(value, lang)
    return str(value)


def _of(figures: Sequence[Figure], slice_: str) -> list[Figure]:
    return [f for f in figures if f.slice == slice_]


@dataclass(frozen=True)
class PerAreaAndYear:
    """A table of `metrics` ({metric: its heading}, in NOK) per strategy area and year, from one
    slice of the figures; figures of no area last, named `no_area`."""

    key: str
    title: str
    slice_: str
    metrics: dict[str, str]
    no_area: str

    def table(self, figures: Sequence[Figure], lang: str) -> DashTable:
        headings = (N_("Strategy area"), N_("Year"), *self.metrics.values())
        t = DashTable(
            self.key,
            gettext(lang, self.title),
            [gettext(lang, s) for s in headings],
            numeric_from=2,
        )
        cells: dict[tuple[str, int], dict[str, Decimal]] = defaultdict(dict)
        labels: dict[str, str] = {}
        for f in _of(figures, self.slice_):
            if f.metric in self.metrics:
                cells[(f.subject, f.year)][f.metric] = f.value
                # An area's figures carry its bokmål name as subject and its nynorsk name as label.
                labels[f.subject] = (f.label or f.subject) if lang == "nn" else f.subject
        for (subject, year), values in sorted(
            cells.items(), key=lambda kv: (kv[0][0] == "", kv[0])
        ):
            name = labels[subject] if subject else gettext(lang, self.no_area)
            t.add([name, year, *(values.get(m, Decimal(0)) for m in self.metrics)])
        return t


money_table = PerAreaAndYear(
    "money",
    N_("Budget, committed and spent per strategy area and year (NOK)"),
    "programmes",
    {"budget": N_("Budget"), "committed": N_("Committed"), "spent": N_("Spent")},
    N_("No strategy area"),
).table


def kpi_table(figures: Sequence[Figure], lang: str) -> DashTable:
    t = DashTable(
        "kpis",
        gettext(lang, N_("KPIs against targets")),
        [gettext(lang, s) for s in (N_("KPI"), N_("Year"), N_("Target"), N_("Measured"))],
        numeric_from=2,
    )
    cells: dict[tuple[str, int], dict[str, Decimal]] = defaultdict(dict)
    labels: dict[str, str] = {}
    for f in _of(figures, "programmes"):
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


def project_table(figures: Sequence[Figure], lang: str, link: str | None = None) -> DashTable:
    """Running projects per sub-project, awaiting a decision, closed, decision points overdue.

    `link` (a municipality's own dashboard) leads from a figure to the list behind it.
    """
    t = DashTable(
        "projects",
        gettext(lang, N_("Projects per sub-project and decision points")),
        [gettext(lang, N_("Figure")), gettext(lang, N_("Number"))],
    )
    values = {(f.metric, f.subject): f.value for f in _of(figures, "projects")}
    for phase in PHASE_ORDER:
        t.add(
            [gettext(lang, PHASES[phase.value]), values.get(("projects", phase.value), 0)],
            f"{link}/projects/{phase.value}" if link else None,
        )
    t.add(
        [
            gettext(lang, N_("Awaiting a decision")),
            values.get(("projects_awaiting_decision", ""), 0),
        ]
    )
    t.add([gettext(lang, N_("Closed")), values.get(("projects_closed", ""), 0)])
    t.add(
        [gettext(lang, N_("Decision points overdue")), values.get(("decisions_overdue", ""), 0)],
        f"{link}/overdue" if link else None,
    )
    return t


def tender_table(figures: Sequence[Figure], lang: str) -> DashTable:
    t = DashTable(
        "tenders",
        gettext(lang, N_("Tenders")),
        [gettext(lang, N_("Figure")), gettext(lang, N_("Number"))],
    )
    values = {f.metric: f.value for f in _of(figures, "tenders") if f.subject == ""}
    names = (
        ("tenders_open", N_("Open for bids")),
        ("tenders_in_evaluation", N_("Closed for bids, in evaluation")),
        ("tenders_awarded", N_("Awarded")),
        ("tenders_opened", N_("Tenders with opened bids")),
        ("bids_received", N_("Bids in opened tenders")),
        ("bids_per_tender", N_("Bids per opened tender")),
        ("days_to_award", N_("Days from deadline to award, on average")),
    )
    for metric, name in names:
        if metric in values or metric.startswith("tenders_") and metric != "tenders_opened":
            t.add([gettext(lang, name), values.get(metric, 0)])
    return t


def bid_table(figures: Sequence[Figure], lang: str) -> DashTable:
    """Per opened tender (a municipality's own page only): its bids and days to award."""
    t = DashTable(
        "bids",
        gettext(lang, N_("Bids per opened tender")),
        [gettext(lang, s) for s in (N_("Tender"), N_("Bids"), N_("Days from deadline to award"))],
    )
    tenders: dict[str, dict] = defaultdict(dict)
    for f in _of(figures, "tenders"):
        if f.metric in ("bids", "days_to_award"):
            tenders[f.subject][f.metric] = f.value
            tenders[f.subject]["title"] = f.label
    for _, v in sorted(tenders.items(), key=lambda kv: int(kv[0])):
        t.add([v["title"], v.get("bids"), v.get("days_to_award")])
    return t


grant_table = PerAreaAndYear(
    "grants",
    N_("Grants applied for, granted and paid per strategy area and year (NOK)"),
    "grants",
    {
        "grants_applied": N_("Applied for"),
        "grants_granted": N_("Granted"),
        "grants_paid": N_("Paid"),
    },
    N_("The municipality's own business fund"),
).table


def municipality_tables(figures: Sequence[Figure], lang: str, link: str | None) -> list[DashTable]:
    tables = [
        money_table(figures, lang),
        kpi_table(figures, lang),
        project_table(figures, lang, link),
        tender_table(figures, lang),
        grant_table(figures, lang),
    ]
    if any(f.metric == "bids" for f in figures):
        tables.append(bid_table(figures, lang))
    return tables


def members_table(region, lang: str, link: str) -> DashTable:
    """One row per member municipality: its aggregates, leading to its breakdown."""
    t = DashTable(
        "municipalities",
        gettext(lang, N_("Member municipalities")),
        [
            gettext(lang, s)
            for s in (
                N_("Municipality"),
                N_("Budget (NOK)"),
                N_("Committed (NOK)"),
                N_("Spent (NOK)"),
                N_("Running projects"),
                N_("Decision points overdue"),
                N_("Open for bids"),
                N_("Awarded"),
                N_("Bids in opened tenders"),
            )
        ],
    )
    for member in region.members:
        figures = region.figures.get(member.id, [])
        sums: dict[str, Decimal] = defaultdict(Decimal)
        for f in figures:
            if f.metric in ("budget", "committed", "spent", "projects"):
                sums[f.metric] += f.value
            elif f.subject == "":
                sums[f.metric] = f.value
        t.add(
            [
                member.name,
                *(
                    sums[m]
                    for m in (
                        "budget",
                        "committed",
                        "spent",
                        "projects",
                        "decisions_overdue",
                        "tenders_open",
                        "tenders_awarded",
                        "bids_received",
                    )
                ),
            ],
            f"{link}/k/{member.kommunenummer}",
        )
    return t


def region_tables(region, lang: str, link: str) -> list[DashTable]:
    """A council's tables of its region: the members' aggregates (each leading to `link`/k/its
    kommunenummer), then the region's sums as a municipality's tables show them."""
    whole = region.figures.get(WHOLE_REGION, [])
    return [members_table(region, lang, link), *municipality_tables(whole, lang, None)]
