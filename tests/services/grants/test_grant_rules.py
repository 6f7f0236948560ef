"""The pure rules of grants: the application's steps over every pair of states, plans that must
balance, and the share and the amount computed from the plans against the fund's rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import product

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.errors import InvalidInput
from services.grants.rules import (
    ApplicationState,
    FundRules,
    assess,
    board_decides,
    board_outcome,
    check_asked_for,
    check_attachment,
    check_call_dates,
    check_plans,
    check_tilsegn_terms,
    may_appeal,
    may_move,
    plans_balance,
    receipt_digest,
)
from services.grants.schemas import PlanLine

S = ApplicationState
ALLOWED = {
    (S.DRAFT, S.SUBMITTED),
    (S.SUBMITTED, S.IN_ASSESSMENT),
    (S.IN_ASSESSMENT, S.GRANTED),
    (S.IN_ASSESSMENT, S.REJECTED),
    (S.IN_ASSESSMENT, S.RECOMMENDED),
    (S.RECOMMENDED, S.GRANTED),
    (S.RECOMMENDED, S.REJECTED),
    (S.REJECTED, S.APPEALED),
    (S.APPEALED, S.GRANTED),
    (S.APPEALED, S.REJECTED),
}
FIFTY_FIFTY = FundRules(Decimal(50), Decimal(1_000_000), Decimal(500_000))
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(10_000_000), places=2)


@pytest.mark.parametrize("pair", list(product(S, S)), ids=lambda p: f"{p[0]}->{p[1]}")
def test_an_application_takes_only_its_own_steps(pair):
    assert may_move(*pair) == (pair in ALLOWED)


def test_a_grant_never_moves_again_and_a_rejection_only_to_its_appeal():
    for wanted in S:
        assert not may_move(S.GRANTED, wanted)
        assert may_move(S.REJECTED, wanted) == (wanted == S.APPEALED)


def test_only_the_board_decides_a_recommended_or_appealed_case_and_only_to_an_outcome():
    for state in (S.RECOMMENDED, S.APPEALED):
        assert {w for w in S if may_move(state, w)} == {S.GRANTED, S.REJECTED}


WHEN = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("state", "days", "appealed", "allowed"),
    [
        (S.REJECTED, 0, False, True),
        (S.REJECTED, 21, False, True),
        (S.REJECTED, 21.0001, False, False),
        (S.REJECTED, 3, True, False),
        (S.GRANTED, 3, False, False),
        (S.IN_ASSESSMENT, 3, False, False),
    ],
)
def test_a_rejection_is_appealed_once_within_three_weeks(state, days, appealed, allowed):
    now = WHEN + timedelta(days=days)
    assert may_appeal(state, WHEN, now, appealed) is allowed


@pytest.mark.parametrize(
    ("votes", "outcome"),
    [
        (["granted", "granted", "rejected"], "granted"),
        (["rejected"], "rejected"),
        (["granted", "rejected"], None),
        ([], None),
    ],
)
def test_the_board_decides_by_a_simple_majority_and_a_tie_decides_nothing(votes, outcome):
    assert board_outcome(votes) == outcome


def test_a_fund_that_asks_for_effects_and_attachments_makes_them_mandatory():
    check_asked_for([], effects="", attachments=0)
    with pytest.raises(InvalidInput) as effects:
        check_asked_for(["effects"], effects=" ", attachments=0)
    assert effects.value.field == "effects"
    with pytest.raises(InvalidInput) as files:
        check_asked_for(["effects", "attachments"], effects="Jobs", attachments=0)
    assert files.value.field == "attachments"


def test_a_tilsegn_needs_a_reporting_deadline_after_today():
    today = date(2026, 3, 2)
    check_tilsegn_terms(date(2026, 3, 3), today)
    for deadline in (None, today):
        with pytest.raises(InvalidInput) as refused:
            check_tilsegn_terms(deadline, today)
        assert refused.value.field == "reporting_deadline"


def test_an_attachment_is_what_its_type_says():
    check_attachment("plan.pdf", "application/pdf", b"%PDF-1.7 ...")
    for name, kind, content in [
        ("plan.pdf", "application/pdf", b"MZ\x90"),
        ("plan.exe", "application/x-msdownload", b"MZ"),
        ("tom.pdf", "application/pdf", b""),
        ("a/b.pdf", "application/pdf", b"%PDF-"),
    ]:
        with pytest.raises(InvalidInput) as refused:
            check_attachment(name, kind, content)
        assert refused.value.field == "attachments"


def costs(*amounts: int) -> list[PlanLine]:
    return [PlanLine(f"cost {n}", Decimal(a)) for n, a in enumerate(amounts)]


def financing(**by_source: int) -> list[PlanLine]:
    return [PlanLine("", Decimal(a), source=s) for s, a in by_source.items()]


def test_plans_that_add_up_to_the_same_sum_balance():
    assert plans_balance(costs(100, 300), financing(this_fund=200, own=200))
    check_plans(costs(100, 300), financing(this_fund=200, own=200))


def test_a_financing_plan_one_ore_short_is_refused_with_both_sums():
    short = [*financing(this_fund=200), PlanLine("", Decimal("199.99"), source="own")]
    with pytest.raises(InvalidInput) as refused:
        check_plans(costs(400), short)
    assert refused.value.field == "financing"
    assert refused.value.values == {"financing": "399,99", "costs": "400"}


def test_plans_without_a_cost_or_without_a_request_of_the_fund_are_refused():
    with pytest.raises(InvalidInput) as no_cost:
        check_plans([], financing(this_fund=100))
    assert no_cost.value.field == "costs"
    with pytest.raises(InvalidInput) as nothing_asked:
        check_plans(costs(100), financing(own=100))
    assert nothing_asked.value.code == "grant_nothing_requested"


@given(st.lists(amounts, min_size=1, max_size=6), st.lists(amounts, min_size=1, max_size=6))
def test_balance_is_the_sums_being_equal_whichever_way_the_lines_are_split(cost, money):
    cost_lines = [PlanLine("c", a) for a in cost]
    money_lines = [PlanLine("", a, source="own") for a in money]
    assert plans_balance(cost_lines, money_lines) == (sum(cost) == sum(money))
    assert plans_balance(cost_lines, [PlanLine("", sum(cost), source="own")])


def test_half_of_the_cost_asked_of_a_fifty_per_cent_fund_is_granted_in_full():
    figures = assess(costs(400_000), financing(this_fund=200_000, own=200_000), FIFTY_FIFTY)
    assert figures.eligible_cost == 400_000
    assert figures.share == Decimal("50.00")
    assert figures.grantable == 200_000
    assert not figures.share_too_high and not figures.amount_too_high
    assert not figures.board_decides


def test_asking_for_more_than_the_share_allows_is_flagged_and_cut_to_the_share():
    figures = assess(costs(300_000), financing(this_fund=200_000, own=100_000), FIFTY_FIFTY)
    assert figures.share == Decimal("66.67")
    assert figures.share_too_high
    assert figures.grantable == 150_000


def test_a_request_a_hair_above_the_share_is_too_high_though_it_rounds_to_the_maximum():
    figures = assess(
        costs(100_000),
        [PlanLine("", Decimal("50000.01"), source="this_fund"), *financing(own=49_999)],
        FIFTY_FIFTY,
    )
    assert figures.share == Decimal("50.00")
    assert figures.share_too_high


def test_above_the_officials_limit_the_board_decides():
    figures = assess(costs(1_400_000), financing(this_fund=700_000, own=700_000), FIFTY_FIFTY)
    assert figures.grantable == 700_000
    assert figures.board_decides
    assert not board_decides(Decimal(500_000), Decimal(500_000))
    assert board_decides(Decimal("500000.01"), Decimal(500_000))


@given(
    cost=amounts,
    asked=amounts,
    share=st.decimals(min_value=Decimal("0.01"), max_value=Decimal(100), places=2),
    maximum=amounts,
)
def test_what_the_rules_allow_never_passes_the_request_the_share_or_the_maximum(
    cost, asked, share, maximum
):
    rules = FundRules(share, maximum, Decimal(500_000))
    figures = assess([PlanLine("c", cost)], [PlanLine("", asked, source="this_fund")], rules)
    assert 0 <= figures.grantable <= asked
    assert figures.grantable <= maximum
    assert figures.grantable * 100 <= cost * share
    assert figures.share_too_high == (asked * 100 > cost * share)
    assert figures.amount_too_high == (asked > maximum)
    if not figures.share_too_high and not figures.amount_too_high:
        assert figures.grantable == asked


def test_a_call_closes_on_or_after_the_day_it_opens():
    check_call_dates(date(2026, 1, 1), date(2026, 1, 1))
    with pytest.raises(InvalidInput):
        check_call_dates(date(2026, 1, 2), date(2026, 1, 1))


def test_the_receipt_changes_with_any_line_of_the_plans():
    sent = {"title": "A", "costs": [["x", "100.00"]]}
    assert receipt_digest(sent) == receipt_digest(dict(reversed(sent.items())))
    assert receipt_digest(sent) != receipt_digest({"title": "A", "costs": [["x", "100.01"]]})
