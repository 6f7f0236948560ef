"""Who may act for a business, as pure rules: the birth date in an identity number, and a role
holder matched by name and birth date."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from services.access.signing import RoleHolder, birth_date_of, may_sign, same_person


def identity_number(born: date, *, kind: str = "fnr") -> str:
    """An 11-digit number for `born` (check digits aside, which the birth date does not need)."""
    year2 = born.year % 100
    if born.year < 1900:
        individual = 600
    elif born.year < 2000:
        individual = 100
    else:
        individual = 800
    day, month = born.day, born.month
    if kind == "d":
        day += 40
    elif kind == "synthetic":
        month += 80
    return f"{day:02d}{month:02d}{year2:02d}{individual:03d}00"


@given(
    st.dates(min_value=date(1854, 1, 1), max_value=date(2039, 12, 31)),
    st.sampled_from(["fnr", "d", "synthetic"]),
)
def test_the_birth_date_is_read_back_from_every_kind_of_number(born, kind):
    assert birth_date_of(identity_number(born, kind=kind)) == born


def test_a_number_without_a_birth_date_gives_none():
    assert birth_date_of("3102801234") is None  # ten digits
    assert birth_date_of("31029012345") is None  # 31 February
    assert birth_date_of("0101507501x") is None


INGRID = RoleHolder("DAGL", "Ingrid", "Marie", "Støen", date(1978, 5, 21))


def test_a_name_matches_with_or_without_the_middle_name_and_in_any_case():
    born = date(1978, 5, 21)
    assert same_person(INGRID, "Ingrid Støen", born)
    assert same_person(INGRID, "INGRID MARIE STØEN", born)
    assert not same_person(INGRID, "Ingrid Støen", date(1978, 5, 22))
    assert not same_person(INGRID, "Ingrid Aune", born)
    assert not same_person(INGRID, "", born)


def test_only_a_standing_signing_role_may_sign():
    born = date(1978, 5, 21)
    assert may_sign([INGRID], "Ingrid Støen", born)
    assert not may_sign([INGRID], "Ingrid Støen", None)
    member = RoleHolder("MEDL", "Ingrid", "", "Støen", born)
    resigned = RoleHolder("LEDE", "Ingrid", "", "Støen", born, resigned=True)
    assert not may_sign([member, resigned], "Ingrid Støen", born)
