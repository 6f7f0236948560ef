"""The dashboard tables name a strategy area as the page's language does, and write a day as a day."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from services.dashboards import pages, views
from services.dashboards.rules import Figure
from services.programmes.figures import money_table

AREA = [
    Figure(
        "programmes",
        "budget",
        "Reiseliv og opplevelser",
        2026,
        "Reiseliv og opplevingar",
        Decimal("600000"),
    ),
]


@pytest.mark.parametrize(
    "lang,name",
    [
        ("nb", "Reiseliv og opplevelser"),
        ("nn", "Reiseliv og opplevingar"),
        ("en", "Reiseliv og opplevelser"),
    ],
)
def test_a_strategy_area_has_its_nynorsk_name_on_nynorsk_pages_only(lang, name):
    assert money_table(AREA, lang).rows[0][0] == name


def test_a_cell_writes_figures_and_days_in_the_readers_form():
    assert views.number(Decimal("1200000"), "nb") == "1\u00a0200\u00a0000"
    assert views.number(Decimal("1200000"), "en") == "1,200,000"
    assert views.number(date(2026, 1, 5), "nn") == "05.01.2026"
    assert views.number(None, "nb") == "–"


def test_a_written_table_escapes_what_people_typed_and_writes_cells_in_the_readers_form():
    table = views.DashTable("bids", "Tilbud <per> konkurranse", ["Konkurranse", "Tilbud"])
    table.add(['<script>alert("x")</script> & co', Decimal("1200000")], '/k/1?a=1&b="2"')
    table.add(["Tom", None])
    written = pages.table_html(table, "nb", "/k/5045/dashboard/export", "&kommunenummer=5045")
    assert "<script>" not in written and "&lt;script&gt;alert(&quot;x&quot;)" in written
    assert "Tilbud &lt;per&gt; konkurranse" in written
    assert 'href="/k/1?a=1&amp;b=&quot;2&quot;"' in written
    assert 'href="/k/5045/dashboard/export/bids?format=csv&amp;kommunenummer=5045"' in written
    assert '<td class="amount">1\u00a0200\u00a0000</td>' in written
    assert '<td class="amount">–</td>' in written


def test_an_empty_table_says_so_in_the_readers_language_and_offers_no_download():
    written = pages.table_html(views.DashTable("kpis", "KPI", ["KPI"]), "en", "/x")
    assert "Nothing to show yet." in written and "format=csv" not in written
