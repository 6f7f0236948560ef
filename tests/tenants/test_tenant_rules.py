"""Property tests for the identifiers of Norwegian tenants."""

from hypothesis import given
from hypothesis import strategies as st

from tenants.rules import (
    is_valid_kommunenummer,
    is_valid_organisasjonsnummer,
    organisasjonsnummer_check_digit,
)

digits = st.text(alphabet="0123456789", min_size=1, max_size=12)


@given(st.integers(min_value=0, max_value=9999))
def test_any_four_digits_is_a_kommunenummer(n):
    assert is_valid_kommunenummer(f"{n:04d}")


@given(digits.filter(lambda s: len(s) != 4))
def test_a_kommunenummer_of_another_length_is_refused(value):
    assert not is_valid_kommunenummer(value)


@given(st.text(min_size=4, max_size=4).filter(lambda s: not s.isascii() or not s.isdigit()))
def test_a_kommunenummer_with_anything_but_ascii_digits_is_refused(value):
    assert not is_valid_kommunenummer(value)


def test_known_organisasjonsnummer_are_valid():
    # Published numbers: Brønnøysundregistra and Equinor.
    assert is_valid_organisasjonsnummer("974760673")
    assert is_valid_organisasjonsnummer("923609016")


@given(st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_the_computed_check_digit_makes_a_valid_number(first_eight):
    digit = organisasjonsnummer_check_digit(first_eight)
    if digit is None:
        assert not any(is_valid_organisasjonsnummer(first_eight + str(d)) for d in range(10))
    else:
        assert is_valid_organisasjonsnummer(first_eight + str(digit))


@given(
    st.text(alphabet="0123456789", min_size=8, max_size=8).filter(
        lambda s: organisasjonsnummer_check_digit(s) is not None
    ),
    st.integers(min_value=0, max_value=8),
    st.integers(min_value=1, max_value=9),
)
def test_changing_any_one_digit_is_detected(first_eight, position, shift):
    number = first_eight + str(organisasjonsnummer_check_digit(first_eight))
    changed = number[:position] + str((int(number[position]) + shift) % 10) + number[position + 1 :]
    assert not is_valid_organisasjonsnummer(changed)


@given(digits.filter(lambda s: len(s) != 9))
def test_an_organisasjonsnummer_of_another_length_is_refused(value):
    assert not is_valid_organisasjonsnummer(value)
