"""The tables a dashboard shows, built from stored figures, in the reader's language; the same
tables are what the CSV and XLSX exports hold. The worker writes them into each dashboard's
stored page (services/dashboards/pages.py); an export builds its one table again from the figures.

Which tables there are is each part's business, as its charts are: `TABLES` in its figures.py
(each a `Table`), and `MEMBER_COLUMNS` (each a `MemberColumn`) for the council's table of its
members; this module builds them in the parts' order and names no part."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from services import formats
from services.dashboards.rules import WHOLE_REGION, Figure
from services.errors import N_
from services.i18n import gettext
from services.parts import figure_modules


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


def of_slice(figures: Sequence[Figure], slice_: str) -> list[Figure]:
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

    def table(self, figures: Sequence[Figure], lang: str, link: str | None = None) -> DashTable:
        headings = (N_("Strategy area"), N_("Year"), *self.metrics.values())
        t = DashTable(
            self.key,
            gettext(lang, self.title),
            [gettext(lang, s) for s in headings],
            numeric_from=2,
        )
        cells: dict[tuple[str, int], dict[str, Decimal]] = defaultdict(dict)
        labels: dict[str, str] = {}
        for f in of_slice(figures, self.slice_):
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


@dataclass(frozen=True, slots=True)
class Table:
    """A dashboard table a part adds: its key, and how it is built from the figures in a
    language (`link`: a municipality's own dashboard, whose figures lead to the lists behind
    them; None on a council's pages). None when the figures give it nothing to show."""

    key: str
    build: Callable[[Sequence[Figure], str, str | None], DashTable | None]


@dataclass(frozen=True, slots=True)
class MemberColumn:
    """A column of the council's table of its members: a metric, its heading, and whether the
    member's figures of it are summed over every subject and year (else its one figure of no
    subject is shown)."""

    metric: str
    heading: str
    summed: bool = False


def tables() -> tuple[Table, ...]:
    """Every part's dashboard tables (`TABLES` in its figures.py), in the order of the parts."""
    return tuple(t for module in figure_modules() for t in getattr(module, "TABLES", ()))


def member_columns() -> tuple[MemberColumn, ...]:
    return tuple(c for module in figure_modules() for c in getattr(module, "MEMBER_COLUMNS", ()))


def municipality_tables(figures: Sequence[Figure], lang: str, link: str | None) -> list[DashTable]:
    """A municipality's tables (or a council's of one member, or of its sums: `link` None)."""
    built = (table.build(figures, lang, link) for table in tables())
    return [t for t in built if t is not None]


def members_table(region, lang: str, link: str) -> DashTable:
    """One row per member municipality: its aggregates, leading to its breakdown."""
    columns = member_columns()
    t = DashTable(
        "municipalities",
        gettext(lang, N_("Member municipalities")),
        [gettext(lang, N_("Municipality")), *(gettext(lang, c.heading) for c in columns)],
    )
    summed = {c.metric for c in columns if c.summed}
    for member in region.members:
        sums: dict[str, Decimal] = defaultdict(Decimal)
        for f in region.figures.get(member.id, []):
            if f.metric in summed:
                sums[f.metric] += f.value
            elif f.subject == "":
                sums[f.metric] = f.value
        t.add([member.name, *(sums[c.metric] for c in columns)], f"{link}/k/{member.kommunenummer}")
    return t


def region_tables(region, lang: str, link: str) -> list[DashTable]:
    """A council's tables of its region: the members' aggregates (each leading to `link`/k/its
    kommunenummer), then the region's sums as a municipality's tables show them."""
    whole = region.figures.get(WHOLE_REGION, [])
    return [members_table(region, lang, link), *municipality_tables(whole, lang, None)]
