"""Charts drawn once, when the figures are recomputed, and stored beside them: a page only reads.

A part declares its charts in its figures.py (`CHARTS`, each a `Chart`: which slice it reads and
how it draws), as it declares its slices; this module draws bars for any of them and knows no part.

Each chart is drawn in every language (nb, nn, en) and stored per language. A chart's words
are most of what it says (the categories, the legend, the axis' unit: "8 mill. kr" in Norwegian,
"NOK 8 m" in English), and an SVG cannot be translated after it is drawn; three stored copies of
a few kilobytes cost nothing, and the page reads the one of its language in the same query as
the others.

Legibility: the drawing is 480 units wide and its text 17 units high, so on a 390 px phone (the
figure about 358 px wide) the text is still about 12.7 px; samspel.css gives the text the size
it is laid out for, and the colours (the page's policy allows no inline style). Money axes read
in kroner or millions of kroner, count axes in whole numbers only. The SVG is written as text
(`bars`), not through a drawing library: the national recompute draws some 2 400 charts.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import msgspec

from services import formats
from services.dashboards.rules import Figure
from services.errors import N_
from services.i18n import LANGUAGES, gettext

# Bumped when the drawing changes, so every stored chart is drawn again at the next recompute.
DRAWING = "6"
WIDTH, HEIGHT = 480, 300
FONT = 17  # samspel.css `.dashboard-chart text` has the same size: keep them together

MILLION = Decimal(1_000_000)


@dataclass(frozen=True, slots=True)
class Drawn:
    """One chart in one language: its title (the figure's caption) and its SVG."""

    title: str
    svg: str


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart of a dashboard: its name, the slice whose figures it shows, and how it draws them.

    `draw` gets that slice's figures and a language and returns None when there is nothing to show.
    """

    name: str
    slice: str
    draw: Callable[[Sequence[Figure], str], Drawn | None]

    def digest(self, figures: Sequence[Figure]) -> str:
        """What the drawing depends on: redrawn only when this changes."""
        mine = sorted(f for f in figures if f.slice == self.slice)
        return hashlib.sha256(
            msgspec.json.encode([DRAWING, self.name, mine]), usedforsecurity=False
        ).hexdigest()[:32]


# --- axes --------------------------------------------------------------------------------------


def nice_ticks(top: float, *, whole: bool, most: int = 5) -> list[float]:
    """Ticks from 0 past `top` in a round step (1, 2, 2.5 or 5 times a power of ten), at most
    `most` + 1 of them; whole numbers only when `whole` (a count is never 0.5, nor an øre)."""
    top = max(float(top), 1.0)  # kroner and counts: no axis shorter than one
    rough = top / most
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= rough)
    if whole:
        step = max(1.0, float(math.ceil(step)))
    count = math.ceil(top / step - 1e-9)
    return [round(i * step, 6) for i in range(count + 1)]


def money_label(value: float, lang: str, *, millions: bool) -> str:
    """ "8 mill. kr" / "NOK 8 m" on an axis in millions; "500 000 kr" / "NOK 500,000" below one;
    the numbers as services/formats.py writes them."""
    if value == 0:
        return "0"
    if millions:
        amount = formats.number((Decimal(str(value)) / MILLION).quantize(Decimal("0.1")), lang)
        return gettext(lang, N_("NOK %(amount)s m"), amount=amount)
    return formats.kroner(round(value), lang)


def count_label(value: float, lang: str) -> str:
    return formats.count(round(value), lang)


def _axis(values: Sequence[float], lang: str, *, money: bool) -> tuple[list[dict], float]:
    top = max(values, default=0.0)
    ticks = nice_ticks(top, whole=True)
    millions = money and ticks[-1] >= 1_000_000
    labels = [
        {
            "value": t,
            "label": money_label(t, lang, millions=millions) if money else count_label(t, lang),
        }
        for t in ticks
    ]
    return labels, ticks[-1]


# --- drawing -----------------------------------------------------------------------------------


def _text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(text: str) -> str:
    return _text(text).replace('"', "&quot;")


def _width(text: str) -> float:
    """About how wide a text of FONT units is: an average letter is a little over half as wide."""
    return len(text) * FONT * 0.56


_LINE = FONT + 7  # a line of text and the gap under it
_MARGIN = 8
_GAP = 8  # between an axis' labels and the plot


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _under(x: float, axis_y: float, label: str) -> str:
    """A label centred under the point `x` of the horizontal axis at `axis_y`."""
    return (
        f'<text x="{_n(x)}" y="{_n(axis_y + FONT + 2)}" text-anchor="middle">{_text(label)}</text>'
    )


def _left_of(axis_x: float, y: float, label: str) -> str:
    """A label ending left of the vertical axis at `axis_x`, its middle at the height `y`."""
    return (
        f'<text x="{_n(axis_x - _GAP)}" y="{_n(y + FONT * 0.35)}" text-anchor="end">'
        f"{_text(label)}</text>"
    )


def bars(
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    lang: str,
    *,
    money: bool,
    horizontal: bool = False,
) -> Drawn:
    """A bar chart of `series` (each a name and one value per category), its value axis in
    kroner (`money`) or in whole counts; horizontal bars for long category names.

    Written straight as SVG text from the figures (no drawing library: a chart costs a fraction
    of a millisecond to write, in each language). The classes are the ones samspel.css styles:
    the page's policy allows no inline style, and the colours and the text's size live there."""
    ticks, top = _axis([v for _, values in series for v in values], lang, money=money)
    top = top or 1.0
    legend_rows = math.ceil(len(series) / 3) if len(series) > 1 else 0
    floor = HEIGHT - _MARGIN - legend_rows * _LINE  # under the plot: its axis' labels
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}"'
        f' width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{_attr(title)}">',
        f'<rect class="background" width="{WIDTH}" height="{HEIGHT}"/>',
    ]
    shown = len(series)
    if horizontal:
        left = _MARGIN + max((_width(c) for c in categories), default=0) + _GAP
        right = WIDTH - _MARGIN - _width(ticks[-1]["label"]) / 2
        plot_top, plot_bottom = _MARGIN, floor - _LINE

        def across(value: float) -> float:
            return left + (right - left) * value / top

        out.append('<g class="axis x">')
        for tick in ticks:
            x = across(tick["value"])
            out.append(f'<path class="guide line" d="M{_n(x)} {plot_top}V{_n(plot_bottom)}"/>')
            out.append(_under(x, plot_bottom, tick["label"]))
        out.append("</g>")
        band = (plot_bottom - plot_top) / max(len(categories), 1)
        thick = band * 0.7 / shown
        out.append('<g class="axis y">')
        for i, name in enumerate(categories):
            out.append(_left_of(left, plot_top + band * (i + 0.5), name))
        out.append(f'<path class="line" d="M{_n(left)} {plot_top}V{_n(plot_bottom)}"/></g>')
        for s, (_, values) in enumerate(series):
            out.append(f'<g class="series color-{s}">')
            for i, value in enumerate(values):
                y = plot_top + band * (i + 0.15) + thick * s
                out.append(
                    f'<rect x="{_n(left)}" y="{_n(y)}" width="{_n(across(value) - left)}"'
                    f' height="{_n(thick)}"/>'
                )
            out.append("</g>")
    else:
        left = _MARGIN + max(_width(t["label"]) for t in ticks) + _GAP
        right = WIDTH - _MARGIN
        plot_top, plot_bottom = _MARGIN + FONT / 2, floor - _LINE

        def up(value: float) -> float:
            return plot_bottom - (plot_bottom - plot_top) * value / top

        out.append('<g class="axis y">')
        for tick in ticks:
            y = up(tick["value"])
            out.append(f'<path class="guide line" d="M{_n(left)} {_n(y)}H{right}"/>')
            out.append(_left_of(left, y, tick["label"]))
        out.append("</g>")
        band = (right - left) / max(len(categories), 1)
        widest = max((_width(c) for c in categories), default=0) + _GAP
        every = max(1, math.ceil(widest / band))  # a label on every n-th bar when they crowd
        out.append('<g class="axis x">')
        for i, name in enumerate(categories):
            if i % every == 0:
                out.append(_under(left + band * (i + 0.5), plot_bottom, name))
        out.append(f'<path class="line" d="M{_n(left)} {_n(plot_bottom)}H{right}"/></g>')
        thick = band * 0.8 / shown
        for s, (_, values) in enumerate(series):
            out.append(f'<g class="series color-{s}">')
            for i, value in enumerate(values):
                y = up(value)
                out.append(
                    f'<rect x="{_n(left + band * (i + 0.1) + thick * s)}" y="{_n(y)}"'
                    f' width="{_n(thick)}" height="{_n(plot_bottom - y)}"/>'
                )
            out.append("</g>")
    if legend_rows:
        column = (WIDTH - 2 * _MARGIN) / 3
        box = FONT - 3
        out.append('<g class="legends">')
        for s, (name, _) in enumerate(series):
            x = _MARGIN + column * (s % 3)
            y = floor + _LINE * (s // 3) + (_LINE - box) / 2
            out.append(
                f'<g class="legend"><rect class="color-{s}" x="{_n(x)}" y="{_n(y)}" width="{box}"'
                f' height="{box}"/><text x="{_n(x + box + 6)}" y="{_n(y + box - 1)}">'
                f"{_text(name)}</text></g>"
            )
        out.append("</g>")
    out.append("</svg>")
    return Drawn(title, "".join(out))


def draw_all(charts: Sequence[Chart], figures: Sequence[Figure]) -> dict[tuple[str, str], Drawn]:
    """Every chart with something to show, in every language: (language, chart name) -> drawn."""
    drawn: dict[tuple[str, str], Drawn] = {}
    for chart in charts:
        mine = [f for f in figures if f.slice == chart.slice]
        if not mine:
            continue
        for lang in LANGUAGES:
            result = chart.draw(mine, lang)
            if result is not None:
                drawn[(lang, chart.name)] = result
    return drawn
