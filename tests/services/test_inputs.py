"""The one reader of amounts, dates and organisasjonsnummer: what Norwegians write comes back as the
value they meant, and anything else is refused with its field, never another exception."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services import inputs
from services.errors import InvalidInput
from services.projects.rules import DecisionOutcome
from tenants.rules import organisasjonsnummer_check_digit

AMOUNTS = st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2, allow_nan=False)
DAYS = st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31))


def norwegian(amount: Decimal, *, group: str = " ", comma: bool = True) -> str:
    whole, _, fraction = f"{amount:.2f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", group)
    return grouped + ((("," if comma else ".") + fraction) if fraction != "00" else "")


@given(AMOUNTS)
def test_an_amount_written_with_spaces_and_a_decimal_comma_reads_back(amount):
    assert inputs.amount(norwegian(amount), "price") == amount


@given(AMOUNTS)
def test_an_amount_written_with_dots_and_kr_reads_back(amount):
    assert inputs.amount(norwegian(amount, group=".") + " kr", "price") == amount


@given(AMOUNTS)
def test_an_amount_written_the_english_way_with_its_pence_reads_back(amount):
    """1,200,000.00 reads back; a lone 2,250 is Norwegian for 2.25, the reading people here mean."""
    english = f"{amount:,.2f}"
    assert inputs.amount(english, "price") == amount


def test_a_lone_comma_is_the_norwegian_decimal_comma():
    assert inputs.amount("2,25", "price") == Decimal("2.25")
    assert inputs.amount("1,200,000", "price") == Decimal("1200000")


@pytest.mark.parametrize(
    "typed, meant",
    [
        ("1 200 000", Decimal("1200000")),
        ("1 200 000,50", Decimal("1200000.50")),
        ("1.200.000 kr", Decimal("1200000")),
        ("1,200,000", Decimal("1200000")),
        ("1\u00a0200", Decimal("1200")),
        ("kr 1 200,-", Decimal("1200")),
        ("NOK 99,5", Decimal("99.5")),
    ],
)
def test_the_ways_people_write_an_amount(typed, meant):
    assert inputs.amount(typed, "estimated_value") == meant


@given(st.text(max_size=60))
def test_any_text_is_an_amount_or_a_refusal_naming_its_field(typed):
    try:
        found = inputs.amount(typed, "spent")
    except InvalidInput as error:
        assert error.field == "spent"
    else:
        assert 0 <= found < inputs.AMOUNT_LIMIT


@pytest.mark.parametrize(
    "typed", ["1 000 000 000 000", "1e30", "NaN", "Infinity", "-5", "1,005", "12,345,6", "\x00"]
)
def test_an_amount_numeric_14_2_cannot_hold_is_refused_with_its_field(typed):
    with pytest.raises(InvalidInput) as refused:
        inputs.amount(typed, "price")
    assert refused.value.field == "price"


@given(DAYS)
def test_a_date_written_the_norwegian_way_reads_back(day):
    assert inputs.day(day.strftime("%d.%m.") + f"{day.year:04d}", "decided_on") == day


@given(DAYS)
def test_a_date_from_a_date_input_reads_back(day):
    assert inputs.day(day.isoformat(), "decided_on") == day


@given(st.text(max_size=30))
def test_any_text_is_a_date_or_a_refusal_naming_its_field(typed):
    try:
        inputs.day(typed, "period_end")
    except InvalidInput as error:
        assert error.field == "period_end"


def test_a_date_that_does_not_exist_is_refused():
    with pytest.raises(InvalidInput):
        inputs.day("31.02.2026", "decided_on")


@given(st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2999, 1, 1)))
def test_a_moment_on_the_norwegian_clock_reads_back(moment):
    moment = moment.replace(second=0, microsecond=0)
    typed = moment.strftime("%d.%m.") + f"{moment.year:04d} " + moment.strftime("%H:%M")
    assert inputs.moment(typed, "bid_deadline") == moment.replace(tzinfo=inputs.OSLO)
    local = f"{moment.year:04d}-" + moment.strftime("%m-%dT%H:%M")
    assert inputs.moment(local, "bid_deadline") == moment.replace(tzinfo=inputs.OSLO)


@given(st.text(max_size=40))
def test_any_text_is_a_moment_or_a_refusal_naming_its_field(typed):
    try:
        inputs.moment(typed, "bid_deadline")
    except InvalidInput as error:
        assert error.field == "bid_deadline"


@given(st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_an_organisasjonsnummer_with_its_check_digit_reads_back_with_or_without_spaces(first):
    digit = organisasjonsnummer_check_digit(first)
    if digit is None:
        return
    number = f"{first}{digit}"
    assert inputs.organisasjonsnummer(number) == number
    assert inputs.organisasjonsnummer(f"{number[:3]} {number[3:6]} {number[6:]}") == number


@given(st.text(max_size=20))
def test_any_text_is_an_organisasjonsnummer_or_a_refusal_naming_its_field(typed):
    try:
        found = inputs.organisasjonsnummer(typed, "orgnr")
    except InvalidInput as error:
        assert error.field == "orgnr"
    else:
        assert len(found) == 9


@given(st.text(max_size=30))
def test_any_text_is_a_number_or_a_refusal_naming_its_field(typed):
    try:
        inputs.number(typed, "value")
    except InvalidInput as error:
        assert error.field == "value"


def test_a_text_with_a_nul_or_past_its_limit_is_refused_with_its_field():
    for typed in ("a\x00b", "x" * 301):
        with pytest.raises(InvalidInput) as refused:
            inputs.text(typed, "title", limit=300)
        assert refused.value.field == "title"


def test_a_text_that_was_not_utf_8_is_refused_with_its_field():
    """web.forms keeps undecodable bytes as lone surrogates; they cannot be stored."""
    with pytest.raises(InvalidInput) as refused:
        inputs.text(b"\xffsvar".decode("utf-8", "surrogateescape"), "answers")
    assert refused.value.field == "answers"


@pytest.mark.parametrize("typed", ["0001-01-01", "01.01.0001", "1899-12-31", "31.12.3000"])
def test_a_date_outside_the_years_anyone_plans_for_is_refused(typed):
    with pytest.raises(InvalidInput) as refused:
        inputs.day(typed, "measured_on")
    assert refused.value.field == "measured_on"


@pytest.mark.parametrize(
    "typed", ["0001-01-01T00:00", "01.01.0001 00:00", "9999-12-31T23:59", "31.12.9999 23:59"]
)
def test_a_moment_outside_the_years_anyone_plans_for_is_refused(typed):
    """Year 1 on Oslo's clock is before year 1 in UTC: it once reached the database."""
    with pytest.raises(InvalidInput) as refused:
        inputs.moment(typed, "bid_deadline")
    assert refused.value.field == "bid_deadline"


# --- account numbers ----------------------------------------------------------------------------

TEN_DIGITS = st.text(alphabet="0123456789", min_size=10, max_size=10)


@given(TEN_DIGITS)
def test_an_account_number_with_its_check_digit_reads_back_however_it_is_grouped(first_ten):
    digit = inputs.account_check_digit(first_ten)
    if digit is None:
        return  # no valid number starts with these ten digits
    number = first_ten + str(digit)
    for typed in (number, f"{number[:4]}.{number[4:6]}.{number[6:]}", f"{number[:4]} {number[4:6]} {number[6:]}"):
        assert inputs.account_number(typed, "account") == number


@given(TEN_DIGITS, st.integers(min_value=0, max_value=9))
def test_an_account_number_with_a_wrong_check_digit_is_refused(first_ten, wrong):
    if inputs.account_check_digit(first_ten) == wrong:
        return
    with pytest.raises(InvalidInput) as refused:
        inputs.account_number(first_ten + str(wrong), "account")
    assert refused.value.field == "account"


@given(st.text(max_size=30))
def test_any_text_is_an_account_number_or_a_refusal_naming_its_field(typed):
    try:
        found = inputs.account_number(typed, "account")
    except InvalidInput as error:
        assert error.field == "account"
    else:
        assert len(found) == 11 and found.isdigit()


def test_a_known_account_number():
    assert inputs.account_number("1234.56.78903") == "12345678903"
    with pytest.raises(InvalidInput):
        inputs.account_number("1234.56.78904")


def test_a_choice_outside_its_list_is_refused_beside_its_field():
    assert inputs.choice(DecisionOutcome, "go", "outcome", "Choose.") is DecisionOutcome.GO
    with pytest.raises(InvalidInput) as refused:
        inputs.choice(DecisionOutcome, "maybe", "outcome", "Choose an outcome.")
    assert (refused.value.code, refused.value.field) == ("outcome_invalid", "outcome")
