"""One Norwegian format for every number and moment a person reads, and English forms on English
pages; what a page writes, services.inputs reads back as the same value."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import babel
import pytest
from hypothesis import given
from hypothesis import strategies as st

from services import formats, inputs

NBSP = "\u00a0"
AMOUNTS = st.decimals(
    min_value=Decimal("0"),  # what a form takes; a page may show less, as below
    max_value=Decimal("999999999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)
MOMENTS = st.datetimes(
    min_value=datetime(1950, 1, 1), max_value=datetime(2100, 12, 31), timezones=st.just(UTC)
)


@pytest.mark.parametrize(
    "lang,expected",
    [
        ("nb", f"1{NBSP}200{NBSP}000{NBSP}kr"),
        ("nn", f"1{NBSP}200{NBSP}000{NBSP}kr"),
        ("en", "NOK 1,200,000"),
    ],
)
def test_an_amount_is_written_as_a_letter_writes_it(lang, expected):
    assert formats.kroner(Decimal("1200000.00"), lang) == expected


def test_ore_show_two_decimals_and_whole_kroner_none():
    assert formats.amount(Decimal("1200000.5"), "nb") == f"1{NBSP}200{NBSP}000,50"
    assert formats.amount(Decimal("1200000.5"), "en") == "1,200,000.50"
    assert formats.amount(Decimal("48000000.00"), "nn") == f"48{NBSP}000{NBSP}000"


def test_a_score_has_a_decimal_comma_in_norwegian_and_a_point_in_english():
    assert formats.score(Decimal("86.835"), "nb") == "86,84"
    assert formats.score(Decimal("86.835"), "nn") == "86,84"
    assert formats.score(Decimal("86.835"), "en") == "86.84"
    assert formats.score(7, "nb") == "7,00"


def test_a_count_is_a_whole_number_grouped():
    assert formats.count(12000, "nb") == f"12{NBSP}000"
    assert formats.count(Decimal("1.0"), "nb") == "1"
    assert formats.count(12000, "en") == "12,000"


def test_a_share_and_a_file_size():
    assert formats.percent(40, "nb") == f"40{NBSP}%"
    assert formats.percent(Decimal("12.5"), "en") == f"12.5{NBSP}%"
    assert formats.size(18126, "nb") == f"18,1{NBSP}kB"
    assert formats.size(850, "en") == f"850{NBSP}B"
    assert formats.size(2_400_000, "en") == f"2.4{NBSP}MB"


def test_a_moment_is_read_on_oslos_clock():
    winter = datetime(2026, 12, 14, 11, 0, tzinfo=UTC)  # 12.00 in Oslo (CET)
    summer = datetime(2026, 6, 1, 22, 30, tzinfo=UTC)  # 00.30 the next day (CEST)
    assert formats.when(winter, "nb") == "14.12.2026 kl. 12.00"
    assert formats.when(winter, "nn") == "14.12.2026 kl. 12.00"
    assert formats.when(winter, "en") == "14 Dec 2026, 12:00"
    assert formats.when(summer, "nb", seconds=True) == "02.06.2026 kl. 00.30.00"
    assert formats.day(summer, "nb") == "02.06.2026"
    assert formats.day(date(2026, 3, 4), "en") == "4 Mar 2026"


def test_a_value_that_went_through_json_is_read_as_well():
    assert formats.when("2026-12-14T11:00:00.123456+00:00", "nb") == "14.12.2026 kl. 12.00"
    assert formats.day("2026-12-14", "nn") == "14.12.2026"
    assert formats.kroner("450000", "nb") == f"450{NBSP}000{NBSP}kr"


@pytest.mark.parametrize(
    "write",
    [
        formats.kroner,
        formats.amount,
        formats.count,
        formats.score,
        formats.day,
        formats.when,
        formats.percent,
        formats.number,
    ],
)
@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_nothing_is_shown_as_nothing_never_as_none(write, lang):
    assert write(None, lang) == ""
    assert write("", lang) == ""


# Norwegian only: services.inputs reads "1,234" as Norwegians do (a decimal comma), so the
# English "NOK 1,234" is not meant to be typed back.
@given(AMOUNTS, st.sampled_from(["nb", "nn"]))
def test_an_amount_written_is_read_back_as_the_same_amount(value, lang):
    assert inputs.amount(formats.kroner(value, lang), "amount") == value


@given(st.integers(min_value=-(10**15), max_value=10**15), st.sampled_from(["nb", "nn"]))
def test_a_norwegian_number_groups_every_three_digits_with_a_no_break_space(value, lang):
    text = formats.count(value, lang)
    assert re.fullmatch(r"-?\d{1,3}(\u00a0\d{3})*", text), text
    assert int(text.replace(NBSP, "")) == value


@given(MOMENTS)
def test_a_norwegian_day_is_read_back_as_the_day_in_oslo(moment):
    oslo = moment.astimezone(formats.OSLO)
    assert inputs.day(formats.day(moment, "nb"), "day") == oslo.date()
    text = formats.when(moment, "nn")
    assert re.fullmatch(r"\d{2}\.\d{2}\.\d{4} kl\. \d{2}\.\d{2}", text), text
    assert text.endswith(f"{oslo.hour:02}.{oslo.minute:02}")


@given(MOMENTS)
def test_an_english_time_names_the_month_and_uses_a_colon(moment):
    text = formats.when(moment, "en")
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}", text), text


def test_a_cell_builds_no_babel_object(monkeypatch):
    """Cheap per cell: the languages are read from Babel once, at import, never per call."""

    def refuse(*args, **kwargs):
        raise AssertionError("a Babel Locale was built for one value")

    monkeypatch.setattr(babel.Locale, "parse", refuse)
    moment = datetime(2026, 12, 14, 11, 0, tzinfo=UTC)
    for lang in ("nb", "nn", "en"):
        formats.kroner(Decimal("1200000"), lang)
        formats.score(Decimal("86.84"), lang)
        formats.when(moment + timedelta(days=200), lang)
        formats.day(moment, lang)
        formats.size(18126, lang)


def test_an_account_number_is_written_as_banks_write_it():
    from services.formats import account_number

    assert account_number("12345678903") == "1234.56.78903"
    assert account_number("1234.56.78903") == "1234.56.78903"
    assert account_number("123") == "123"
    assert account_number(None) == ""


def test_a_table_cell_writes_its_iso_day_as_the_pages_day():
    from services.formats import cell

    assert cell("2026-11-30", "nb") == "30.11.2026"
    assert cell(date(2026, 11, 30), "en") == "30 Nov 2026"
    assert cell("Fjellsykkel 2026-plan", "nb") == "Fjellsykkel 2026-plan"
    assert cell("2026-13-40", "nb") == "2026-13-40"
    assert cell(None, "nb") == ""


def test_a_saved_amount_is_shown_again_for_editing_as_a_person_types_it():
    assert formats.amount_to_edit(Decimal("1300000.00")) == "1 300 000"
    assert formats.amount_to_edit(Decimal("1300000.50")) == "1 300 000,50"
    assert formats.amount_to_edit(None) == ""


@given(AMOUNTS)
def test_an_amount_shown_for_editing_reads_back_as_the_same_amount(value):
    assert inputs.amount(formats.amount_to_edit(value), "amount") == value.quantize(Decimal("0.01"))
