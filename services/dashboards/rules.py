"""The dashboards' pure aggregation: rows in, figures out; the same input always gives the same figures.

What the figures are is each part's business (services/<part>/figures.py declares its Slice);
this module knows how any slice is stored, summed over a region and kept from a council.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import msgspec

CENT = Decimal("0.01")
WHOLE_REGION = 0  # region_figure.municipality_id of the region's own sums


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


@dataclass(frozen=True, slots=True)
class Slice:
    """What a part adds to the dashboards: a slice of figures, and when and how they are computed."""

    name: str
    # Event kinds after which a figure of the slice may differ; an event of another kind
    # never recomputes it (the hourly refresh catches what no event announces).
    changed_by: frozenset[str]
    # The figures as the open transaction's municipality's rows say now, on this Norwegian day.
    compute: Callable[[date], Awaitable[list[Figure]]]
    # Metrics about one thing each (a tender's bids) stay with the municipality: a council
    # reads instead what `summarise` makes of them (counts, means), never the things.
    private: frozenset[str] = frozenset()
    summarise: Callable[[Sequence[Figure]], list[Figure]] | None = None


def fig(slice_: str, metric: str, value, subject: str = "", year: int = 0, label: str = ""):
    """A figure, its value rounded to the øre as the tables store it."""
    return Figure(slice_, metric, subject, year, label, Decimal(value).quantize(CENT))


def mean(values: Sequence[Decimal]) -> Decimal:
    return (sum(values, Decimal(0)) / len(values)).quantize(CENT)


def slices_for(kind: str, slices: Iterable[Slice]) -> tuple[str, ...]:
    """The slices an event of this kind may change; () for one no figure depends on."""
    return tuple(s.name for s in slices if kind in s.changed_by)


def municipalities_of(tenant_id: int | None, payload: Mapping) -> tuple[int, ...]:
    """Whose figures an event changes: the municipality it names as the lead (a participant's
    status report changes its lead's), else its own; and every one in `municipality_ids` (the
    participants of a regional project, each counting its cost share), once each."""
    first = payload.get("lead_municipality_id") or tenant_id
    named = [first, *payload.get("municipality_ids", ())]
    return tuple(dict.fromkeys(m for m in named if m is not None))


# --- the region: each member's aggregates, and the region's sums ------------------------------


def _is_private(figure: Figure, private: Mapping[str, frozenset[str]]) -> bool:
    return figure.metric in private.get(figure.slice, ())


def _summaries(figures: Sequence[Figure], slices: Sequence[Slice]) -> list[Figure]:
    return [
        f
        for s in slices
        if s.summarise is not None
        for f in s.summarise([f for f in figures if f.slice == s.name and f.metric in s.private])
    ]


def region_figures(
    by_municipality: Mapping[int, Sequence[Figure]], slices: Sequence[Slice]
) -> list[RegionFigureRow]:
    """What a council may read: per member, its figures less the private ones (of which it
    gets each slice's summary); for the region, the sums of those and the summary of all."""
    private = {s.name: s.private for s in slices}
    rows: list[RegionFigureRow] = []
    sums: dict[tuple[str, str, str, int], Decimal] = defaultdict(Decimal)
    labels: dict[tuple[str, str, str, int], str] = {}
    every_private: list[Figure] = []
    for municipality_id, figures in sorted(by_municipality.items()):
        kept = [f for f in figures if not _is_private(f, private)]
        every_private += [f for f in figures if _is_private(f, private)]
        for f in kept:
            sums[f.key] += f.value
            labels.setdefault(f.key, f.label)
        for f in kept + _summaries(figures, slices):
            rows.append(RegionFigureRow(municipality_id, f))
    for key, value in sums.items():
        rows.append(RegionFigureRow(WHOLE_REGION, Figure(*key, labels[key], value)))
    if by_municipality:
        rows += [RegionFigureRow(WHOLE_REGION, f) for f in _summaries(every_private, slices)]
    return sorted(rows)


def structs(struct, records) -> list:
    """Database records as the rows a part's figures are computed from."""
    return [struct(**dict(r)) for r in records]
