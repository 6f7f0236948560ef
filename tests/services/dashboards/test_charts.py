"""The charts' axes read as Norwegians read amounts and counts, in the page's language."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from services.dashboards.charts import money_label, nice_ticks
from services.dashboards.rules import fig
from services.programmes.figures import money_chart
from services.projects.figures import project_chart


def texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def test_money_axes_read_in_millions_of_kroner_in_norwegian_and_english():
    assert money_label(8_000_000, "nb", millions=True) == "8 mill. kr"
    assert money_label(2_500_000, "nn", millions=True) == "2,5 mill. kr"
    assert money_label(8_000_000, "en", millions=True) == "NOK 8 m"
    assert money_label(500_000, "nb", millions=False) == "500\xa0000\xa0kr"
    assert money_label(500_000, "en", millions=False) == "NOK 500,000"
    assert money_label(0, "nb", millions=True) == "0"


def test_the_budget_chart_has_no_raw_amount_on_its_axis():
    figures = [
        fig("programmes", "budget", 8_000_000, "1", 2026),
        fig("programmes", "spent", 1_200_000, "1", 2026),
    ]
    drawn = money_chart(figures, "nb")
    labels = texts(drawn.svg)
    assert "8 mill. kr" in labels
    assert not any(re.fullmatch(r"\d{5,}(\.\d+)?", label) for label in labels), labels
    assert "<style" not in drawn.svg and " style=" not in drawn.svg and "<script" not in drawn.svg
    assert drawn.title == "Budsjett, bundet og brukt per år"


def test_a_count_axis_has_whole_numbers_only():
    drawn = project_chart([fig("projects", "projects", 2, "forstudie")], "nn")
    numbers = [t for t in texts(drawn.svg) if re.fullmatch(r"[\d.,]+", t)]
    assert numbers == ["0", "1", "2"]
    assert "Førestudie" in texts(drawn.svg) or "Forstudie" in texts(drawn.svg)


def test_a_municipality_without_running_projects_gets_no_empty_chart():
    assert project_chart([fig("projects", "projects", 0, "forstudie")], "nb") is None
    assert project_chart([fig("projects", "projects", 1, "drift")], "nb") is not None


@given(st.floats(min_value=0, max_value=1e11, allow_nan=False), st.booleans())
def test_ticks_start_at_zero_reach_the_top_and_are_few(top, whole):
    ticks = nice_ticks(top, whole=whole)
    assert ticks[0] == 0 and ticks[-1] >= top
    assert 2 <= len(ticks) <= 7
    if whole:
        assert all(t == int(t) for t in ticks)
