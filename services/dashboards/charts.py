"""Charts drawn once, when the figures are recomputed, and stored beside them: a page only reads.

A part declares its charts in its figures.py (`CHARTS`, each a `Chart`: which slice it reads and
how it draws), as it declares its slices; this module draws bars for any of them and knows no part.

Each chart is drawn in every language (nb, nn, en) and stored per language. A chart's words
are most of what it says (the categories, the legend, the axis' unit: "8 mill. kr" in Norwegian,
"NOK 8 m" in English), and an SVG cannot be translated after it is drawn; three stored copies of
a few kilobytes cost nothing, and the page reads the one of its language in the same query as
the others.

Legibility: the drawing is 480 units wide and its text 17 units high, so on a 390 px phone (the
figure about 358 px wide) the text is still about 12.7 px; samspel.css gives the text the sizes
pygal laid it out for (the page's policy strips pygal's own <style>). Money axes read in kroner
or millions of kroner, count axes in whole numbers only.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import msgspec
import pygal
from pygal.style import Style

from services import formats
from services.dashboards.rules import Figure
from services.errors import N_
from services.i18n import LANGUAGES, gettext

# Bumped when the drawing changes, so every stored chart is drawn again at the next recompute.
DRAWING = "5"
WIDTH, HEIGHT = 480, 300
FONT = 17  # samspel.css `.dashboard-chart text` has the same size: keep them together

_STYLE = Style(
    font_family="inherit",
    label_font_size=FONT,
    major_label_font_size=FONT,
    legend_font_size=FONT,
    title_font_size=FONT,
    value_font_size=FONT,
    tooltip_font_size=FONT,
    legend_box_size=FONT - 3,
)
_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
_STYLE_ELEMENT = re.compile(r"<style\b.*?</style>", re.S)
_STYLE_ATTRIBUTE = re.compile(r'\sstyle="[^"]*"')
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_DESC = re.compile(r"<desc\b.*?</desc>", re.S)

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


def clean(svg: str) -> str:
    """The page's policy allows no inline script or style: pygal's are taken out."""
    for pattern in (_SCRIPT, _STYLE_ELEMENT, _STYLE_ATTRIBUTE, _COMMENT, _DESC):
        svg = pattern.sub("", svg)
    return svg


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


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
    kroner (`money`) or in whole counts; horizontal bars for long category names."""
    labels, top = _axis([v for _, values in series for v in values], lang, money=money)
    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    chart = kind(
        js=[],
        css=[],
        no_prefix=True,
        disable_xml_declaration=True,
        width=WIDTH,
        height=HEIGHT,
        style=_STYLE,
        show_legend=len(series) > 1,
        legend_at_bottom=True,
        legend_at_bottom_columns=min(len(series), 3),
        print_values=False,
        tooltip_border_radius=0,
        range=(0, top),
        margin=8,
        spacing=8,
        truncate_label=-1,
        truncate_legend=-1,
    )
    # A horizontal chart lists its categories from the bottom up: reverse them to read downwards.
    order = list(reversed(range(len(categories)))) if horizontal else list(range(len(categories)))
    chart.x_labels = [categories[i] for i in order]
    chart.y_labels = labels
    for name, values in series:
        chart.add(name, [float(values[i]) for i in order])
    svg = clean(chart.render(is_unicode=True))
    # A name for screen readers; the table beside the chart holds the same numbers.
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{_attr(title)}" ', 1)
    return Drawn(title, svg)


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
