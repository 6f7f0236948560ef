"""The dashboard tables name a strategy area as the page's language does, and write a day as a day."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from services.dashboards import views
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
