"""The dashboards' pure aggregation: rows in, figures out; the same input always gives the same figures."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal

import msgspec

from services.projects.rules import PHASE_ORDER, is_overdue

SLICES = ("programmes", "projects", "tenders")
CENT = Decimal("0.01")
HUNDRED = Decimal(100)
WHOLE_REGION = 0  # region_figure.municipality_id of the region's own sums

# Which slices an event of a part can change. Projects carry the money committed and spent
# per strategy area, so their events recompute the programmes slice too.
_SLICES_OF_PART = {
    "programmes": ("programmes",),
    "projects": ("programmes", "projects"),
    "tendering": ("tenders",),
}

OPEN_STATES = frozenset({"published"})
EVALUATION_STATES = frozenset({"bids_closed", "opened", "evaluated"})
AWARDED_STATES = frozenset({"award_notified", "standstill", "contract_signed", "completed"})

# Per-tender figures stay with the municipality: the region gets their aggregates only.
PER_TENDER = frozenset({"bids", "days_to_award"})


class Figure(msgspec.Struct, frozen=True, order=True):
    slice: str
    metric: str
    subject: str
    year: int
    label: str
    value: Decimal

    @property
    def key(self) -> tuple[str, str, str, int]:
        return (self.slice, self.metric, self.subject, self.year)


class RegionFigureRow(msgspec.Struct, frozen=True, order=True):
    municipality_id: int  # WHOLE_REGION for the region's sums
    figure: Figure


def slices_for(kind: str) -> tuple[str, ...]:
    """The slices an event of this kind may change; () for one no figure depends on."""
    return _SLICES_OF_PART.get(kind.split(".", 1)[0], ())


def municipality_of(tenant_id: int | None, payload: Mapping) -> int | None:
    """Whose figures an event changes: a participant's status report changes its lead's."""
    return payload.get("lead_municipality_id") or tenant_id


def _fig(slice_: str, metric: str, value, subject: str = "", year: int = 0, label: str = ""):
    return Figure(slice_, metric, subject, year, label, Decimal(value).quantize(CENT))


# --- programmes: budget, committed, spent per strategy area and year; KPIs against targets ---


class AreaRow(msgspec.Struct, frozen=True):
    id: int
    programme_id: int
    name_nb: str
    name_nn: str
    share: Decimal


class AmountRow(msgspec.Struct, frozen=True):
    """Money of a year: a programme's funding (key = programme id), or a project's commitment
    or spending (key = its strategy area's id, None when it has none)."""

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
    committed: Sequence[AmountRow],
    spent: Sequence[AmountRow],
    targets: Sequence[KpiTargetRow],
    measurements: Sequence[KpiMeasurementRow],
) -> list[Figure]:
    """Budget (the year's funding times the area's share, as the programme page shows it),
    committed (budgets approved by a go) and spent (status reports) per strategy area and year,
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
        _fig("programmes", metric, value, subject, year, labels.get(subject, subject))
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
        _fig("programmes", metric, value, code, year, names[code])
        for (metric, code, year), value in sums.items()
    ]


# --- projects: per PLP sub-project, awaiting a decision, decision points overdue ---------------


class ProjectRow(msgspec.Struct, frozen=True):
    phase: str
    status: str


def project_figures(
    projects: Sequence[ProjectRow], open_decision_dues: Iterable[date], today: date
) -> list[Figure]:
    """Running projects per sub-project (closed ones apart), and decision points overdue today."""
    per_phase = {phase.value: 0 for phase in PHASE_ORDER}
    closed = awaiting = 0
    for p in projects:
        if p.status == "closed":
            closed += 1
            continue
        per_phase[p.phase] += 1
        awaiting += p.status == "awaiting_decision"
    overdue = sum(1 for due in open_decision_dues if is_overdue(due, today, decided=False))
    return [
        *(_fig("projects", "projects", n, phase) for phase, n in per_phase.items()),
        _fig("projects", "projects_awaiting_decision", awaiting),
        _fig("projects", "projects_closed", closed),
        _fig("projects", "decisions_overdue", overdue),
    ]


# --- tenders: open and awarded, bids per opened tender, days from deadline to award ------------


class TenderRow(msgspec.Struct, frozen=True):
    id: int
    title: str
    state: str
    bid_deadline: datetime
    opened_at: datetime | None
    award_notified_at: datetime | None


def tender_figures(tenders: Sequence[TenderRow], bids: Mapping[int, int]) -> list[Figure]:
    """`bids` holds the standing bids of opened tenders only: before its opening a tender has
    no bid figure at all, not even a zero, whatever `bids` says."""
    counts = {"tenders_open": 0, "tenders_in_evaluation": 0, "tenders_awarded": 0}
    figures = []
    for t in tenders:
        if t.state in OPEN_STATES:
            counts["tenders_open"] += 1
        elif t.state in EVALUATION_STATES:
            counts["tenders_in_evaluation"] += 1
        elif t.state in AWARDED_STATES:
            counts["tenders_awarded"] += 1
        if t.opened_at is not None:
            figures.append(_fig("tenders", "bids", bids.get(t.id, 0), str(t.id), 0, t.title))
        if t.award_notified_at is not None:
            days = Decimal((t.award_notified_at - t.bid_deadline).total_seconds()) / 86400
            figures.append(_fig("tenders", "days_to_award", days, str(t.id), 0, t.title))
    return [*(_fig("tenders", metric, n) for metric, n in counts.items()), *figures]


# --- the region: each member's aggregates, and the region's sums ------------------------------


def _mean(values: list[Decimal]) -> Decimal:
    return (sum(values, Decimal(0)) / len(values)).quantize(CENT)


def _tender_aggregates(figures: Iterable[Figure]) -> list[Figure]:
    bids = [f.value for f in figures if f.metric == "bids"]
    days = [f.value for f in figures if f.metric == "days_to_award"]
    out = [_fig("tenders", "tenders_opened", len(bids)), _fig("tenders", "bids_received", sum(bids))]
    if bids:
        out.append(_fig("tenders", "bids_per_tender", _mean(bids)))
    if days:
        out.append(_fig("tenders", "days_to_award", _mean(days)))
    return out


def region_figures(by_municipality: Mapping[int, Sequence[Figure]]) -> list[RegionFigureRow]:
    """What a council may read: per member, its figures less the per-tender ones (of which
    it gets counts and means); for the region, the sums of those and the means over all."""
    rows: list[RegionFigureRow] = []
    sums: dict[tuple[str, str, str, int], Decimal] = defaultdict(Decimal)
    labels: dict[tuple[str, str, str, int], str] = {}
    every_tender: list[Figure] = []
    for municipality_id, figures in sorted(by_municipality.items()):
        kept = [f for f in figures if f.metric not in PER_TENDER]
        per_tender = [f for f in figures if f.metric in PER_TENDER]
        every_tender += per_tender
        for f in kept:
            sums[f.key] += f.value
            labels.setdefault(f.key, f.label)
        for f in kept + _tender_aggregates(per_tender):
            rows.append(RegionFigureRow(municipality_id, f))
    for key, value in sums.items():
        rows.append(RegionFigureRow(WHOLE_REGION, Figure(*key, labels[key], value)))
    if by_municipality:
        rows += [RegionFigureRow(WHOLE_REGION, f) for f in _tender_aggregates(every_tender)]
    return sorted(rows)
