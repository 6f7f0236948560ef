"""Charts drawn on the server with pygal, as SVG to put inline in the page.

The page's policy allows no inline script or style: pygal's config script and its <style>
are taken out, and samspel.css styles the chart by pygal's classes instead.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pygal

from services.errors import N_
from web.dashboards.views import PHASES
from web.i18n import gettext

_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
_STYLE = re.compile(r"<style\b.*?</style>", re.S)
_STYLE_ATTRIBUTE = re.compile(r'\sstyle="[^"]*"')
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def clean(svg: str) -> str:
    svg = _SCRIPT.sub("", svg)
    svg = _STYLE.sub("", svg)
    svg = _STYLE_ATTRIBUTE.sub("", svg)
    return _COMMENT.sub("", svg)


def _chart(kind, title: str, labels: list[str]):
    chart = kind(
        js=[],
        css=[],
        no_prefix=True,
        disable_xml_declaration=True,
        width=720,
        height=320,
        show_legend=True,
        legend_at_bottom=True,
        print_values=False,
        tooltip_border_radius=0,
        title=title,
    )
    chart.x_labels = labels
    return chart


def _render(chart, title: str) -> str:
    svg = clean(chart.render(is_unicode=True))
    # A name for screen readers; the table beside the chart holds the same numbers.
    return svg.replace("<svg ", f'<svg role="img" aria-label="{_attr(title)}" ', 1)


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def money_chart(by_year: dict[int, dict[str, Decimal]], lang: str) -> str:
    title = gettext(lang, N_("Budget, committed and spent per year (NOK)"))
    chart = _chart(pygal.Bar, title, [str(y) for y in by_year])
    for metric, name in (
        ("budget", N_("Budget")),
        ("committed", N_("Committed")),
        ("spent", N_("Spent")),
    ):
        chart.add(gettext(lang, name), [float(v.get(metric, 0)) for v in by_year.values()])
    return _render(chart, title)


def project_chart(counts: dict[str, Decimal], lang: str) -> str:
    title = gettext(lang, N_("Running projects per sub-project"))
    chart = _chart(pygal.Bar, title, [gettext(lang, PHASES[p]) for p in PHASES])
    chart.add(gettext(lang, N_("Projects")), [float(counts.get(p, 0)) for p in PHASES])
    return _render(chart, title)
