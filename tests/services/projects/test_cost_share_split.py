"""A regional project's money split by cost shares: to the øre, and never a krone lost or doubled."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from services.projects.rules import split_by_cost_shares

AMOUNTS = st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2)


@st.composite
def cost_shares(draw) -> dict[int, Decimal]:
    """Two to six participants, each above 0, together 100 % (hundredths of a per cent)."""
    count = draw(st.integers(2, 6))
    cuts = sorted(draw(st.sets(st.integers(1, 9999), min_size=count - 1, max_size=count - 1)))
    bounds = [0, *cuts, 10000]
    ids = draw(st.lists(st.integers(1, 10**6), min_size=count, max_size=count, unique=True))
    return {m: Decimal(hi - lo).scaleb(-2) for m, lo, hi in zip(ids, bounds[:-1], bounds[1:], strict=True)}


def test_sixty_forty_splits_a_budget_by_the_shares():
    assert split_by_cost_shares(Decimal("350000.00"), {7: Decimal(60), 8: Decimal(40)}) == {
        7: Decimal("210000.00"),
        8: Decimal("140000.00"),
    }


def test_the_øre_left_by_thirds_goes_to_one_participant_not_to_none():
    parts = split_by_cost_shares(Decimal("100.00"), {3: Decimal("33.34"), 1: Decimal("33.33"),
                                                     2: Decimal("33.33")})
    assert parts == {3: Decimal("33.34"), 1: Decimal("33.33"), 2: Decimal("33.33")}
    parts = split_by_cost_shares(Decimal("0.02"), {3: Decimal("33.34"), 1: Decimal("33.33"),
                                                   2: Decimal("33.33")})
    assert parts == {3: Decimal("0.01"), 1: Decimal("0.01"), 2: Decimal("0.00")}


@given(amount=AMOUNTS, shares=cost_shares())
def test_the_parts_sum_to_the_amount_and_each_is_within_an_øre_of_its_share(amount, shares):
    parts = split_by_cost_shares(amount, shares)
    assert set(parts) == set(shares)
    assert sum(parts.values(), Decimal(0)) == amount
    for m, part in parts.items():
        assert part >= 0
        assert abs(part - amount * shares[m] / 100) < Decimal("0.01")
        assert part == part.quantize(Decimal("0.01"))
