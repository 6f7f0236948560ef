"""Each dashboard's figures written out once, when they are recomputed, in every language: a page
request reads the one stored piece of its language and prints it (web/templates/dashboards/
_figures.html), and builds no table, formats no number and draws no chart.

What is written here is what the page shows inside its refreshed part: when the figures were
computed, the charts (as the worker drew them, services/dashboards/charts.py) and the tables
(services/dashboards/views.py) with their download links. The tables are written as HTML text,
as the charts are written as SVG text, with the classes samspel.css and the design system style.
Every text from a figure or a name is escaped here; the page prints the piece as it is.

Each piece is stored with the LAYOUT it was written in: after a change to how pieces are written
(LAYOUT bumped), a page whose piece is older is written for each request from the stored figures
(services/dashboards/service.py), until its next recompute or the hourly refresh of them all
(workers/actors/dashboards.py) stores it again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape

from services import formats
from services.dashboards.charts import Drawn
from services.dashboards.rules import WHOLE_REGION, Figure
from services.dashboards.views import DashTable, municipality_tables, number, region_tables
from services.errors import N_
from services.i18n import LANGUAGES, gettext

# Bumped when the writing below changes: a piece of another layout is not shown.
LAYOUT = "1"


def _cell(table: DashTable, index: int, cell, lang: str) -> str:
    return escape(str(cell) if index < table.numeric_from else number(cell, lang))


def _row(table: DashTable, row: list, link: str | None, lang: str) -> str:
    first = _cell(table, 0, row[0], lang)
    if link:
        first = f'<a class="ds-link" href="{escape(link)}">{first}</a>'
    cells = [f'<th scope="row">{first}</th>']
    for index in range(1, len(row)):
        amount = ' class="amount"' if index >= table.numeric_from else ""
        cells.append(f"<td{amount}>{_cell(table, index, row[index], lang)}</td>")
    return f"<tr>{''.join(cells)}</tr>"


# Babel does not read inside an f-string's braces: the messages are named out here.
NOTHING_YET = N_("Nothing to show yet.")
DOWNLOAD = N_("Download the table")
COMPUTED_AT = N_("Computed at")
NOT_COMPUTED = N_("Not computed yet: the figures appear once the workers have counted them.")


def table_html(table: DashTable, lang: str, export: str, query: str = "") -> str:
    """One table as its section of the page: a heading, the download links (`export` is where
    the table's downloads live, `query` what they add), the rows written in the reader's form."""
    key = escape(table.key)
    out = [
        f'<section class="dashboard-table" aria-labelledby="table-{key}">',
        f'<h2 class="ds-heading" data-size="xs" id="table-{key}">{escape(table.title)}</h2>',
    ]
    if not table.rows:
        out.append(
            f'<p class="ds-paragraph">{escape(gettext(lang, NOTHING_YET))}</p>'
        )
        return "".join([*out, "</section>"])
    download = escape(f"{export}/{table.key}?format=")
    more = escape(query)
    out.append(
        f'<p class="ds-paragraph" data-size="sm">{escape(gettext(lang, DOWNLOAD))}:'
        f' <a class="ds-link" hx-boost="false" href="{download}csv{more}">CSV</a> ·'
        f' <a class="ds-link" hx-boost="false" href="{download}xlsx{more}">XLSX</a></p>'
        f'<div class="table-scroll"><table class="ds-table" data-size="sm" data-table="{key}">'
        "<thead><tr>"
    )
    for index, column in enumerate(table.columns):
        amount = ' class="amount"' if index >= table.numeric_from else ""
        out.append(f'<th scope="col"{amount}>{escape(column)}</th>')
    out.append("</tr></thead><tbody>")
    out += [_row(table, row, link, lang) for row, link in zip(table.rows, table.links, strict=True)]
    out.append("</tbody></table></div></section>")
    return "".join(out)


def figures_html(
    lang: str,
    computed_at: datetime | None,
    charts: Sequence[Drawn],
    tables: Iterable[DashTable],
    export: str,
    query: str = "",
) -> str:
    """What a dashboard shows inside its refreshed part, in one language."""
    if computed_at is None:
        stamp = escape(gettext(lang, NOT_COMPUTED))
    else:
        at = escape(formats.when(computed_at, lang, seconds=True))
        stamp = f"{escape(gettext(lang, COMPUTED_AT))} <time>{at}</time>"
    out = [f'<p class="ds-paragraph computed-at" data-size="sm">{stamp}</p>']
    if charts:
        out.append('<div class="dashboard-charts">')
        out += [
            '<figure class="dashboard-chart"><figcaption class="ds-paragraph" data-size="sm">'
            f"{escape(chart.title)}</figcaption>{chart.svg}</figure>"
            for chart in charts
        ]
        out.append("</div>")
    out += [table_html(table, lang, export, query) for table in tables]
    return "".join(out)


# --- the three pages ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Written:
    """One dashboard's refreshed part in one language, as a page request reads it."""

    lang: str
    body: str


def municipality_page(
    kommunenummer: str,
    figures: Sequence[Figure],
    computed_at: datetime | None,
    charts: dict[str, list[Drawn]],
    languages: Sequence[str] = LANGUAGES,
) -> list[Written]:
    """A municipality's own dashboard in every language: its figures lead to the lists behind
    them. `charts` are its drawings per language, in the parts' order."""
    home = f"/k/{kommunenummer}/dashboard"
    return [
        Written(
            lang,
            figures_html(
                lang,
                computed_at,
                charts.get(lang, []),
                municipality_tables(figures, lang, home),
                f"{home}/export",
            ),
        )
        for lang in languages
    ]


def region_pages(
    region_slug: str,
    region,
    charts: dict[int, dict[str, list[Drawn]]],
    languages: Sequence[str] = LANGUAGES,
) -> dict[int, list[Written]]:
    """A council's dashboards in every language: the region's (key WHOLE_REGION) and each
    member's breakdown (key the member's id). `region` is the RegionFigures just stored;
    `charts` the drawings per municipality id (WHOLE_REGION for the sums) and language."""
    home = f"/r/{region_slug}/dashboard"

    def written(municipality_id: int, tables, query: str) -> list[Written]:
        drawn = charts.get(municipality_id, {})
        return [
            Written(
                lang,
                figures_html(
                    lang,
                    region.computed_at,
                    drawn.get(lang, []),
                    tables(lang),
                    f"{home}/export",
                    query,
                ),
            )
            for lang in languages
        ]

    pages = {
        WHOLE_REGION: written(WHOLE_REGION, lambda lang: region_tables(region, lang, home), "")
    }
    for m in region.members:
        figures = region.figures.get(m.id, [])
        pages[m.id] = written(
            m.id,
            lambda lang, figures=figures: municipality_tables(figures, lang, None),
            f"&kommunenummer={m.kommunenummer}",
        )
    return pages
