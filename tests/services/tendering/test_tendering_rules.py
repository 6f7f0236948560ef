"""A tender's states, thresholds, criteria, scoring, ranking and deadlines, without a database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import product
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.errors import Conflict, InvalidInput
from services.tendering.rules import (
    LATE_CHANGE_WINDOW,
    MAX_POINTS,
    AwardCriterion,
    Bid,
    CancellationReasonRequired,
    DocumentsChangedAfterDeadline,
    InvalidAwardCriteria,
    InvalidEstimatedValue,
    InvalidPrice,
    InvalidScore,
    InvalidTenderTransition,
    Notice,
    StandstillNotOver,
    TenderState,
    check_contract_signing,
    check_transition,
    deadline_after_change,
    deadline_refusals,
    evaluator_average,
    is_late_change,
    is_on_time,
    may_close_bids,
    may_sign_contract,
    price_score,
    rank_bids,
    required_notice,
    standstill_end,
    validate_award_criteria,
    weighted_total,
)

S = TenderState
OSLO = ZoneInfo("Europe/Oslo")
D = Decimal

MAIN_LINE = [
    S.DRAFT,
    S.PUBLISHED,
    S.BIDS_CLOSED,
    S.OPENED,
    S.EVALUATED,
    S.AWARD_NOTIFIED,
    S.STANDSTILL,
    S.CONTRACT_SIGNED,
    S.COMPLETED,
]
BEFORE_SIGNING = MAIN_LINE[: MAIN_LINE.index(S.CONTRACT_SIGNED)]
ALLOWED = (
    set(zip(MAIN_LINE, MAIN_LINE[1:], strict=False))
    | {(state, S.CANCELLED) for state in BEFORE_SIGNING}
    | {(S.BIDS_CLOSED, S.UNSUCCESSFUL), (S.OPENED, S.UNSUCCESSFUL)}
)

MERAKER = [AwardCriterion("Kvalitet", 60), AwardCriterion("Pris", 40, is_price=True)]
GRONG = [
    AwardCriterion("Kvalitet", 50),
    AwardCriterion("Kompetanse", 20),
    AwardCriterion("Pris", 30, is_price=True),
]


def oslo(*args: int) -> datetime:
    return datetime(*args, tzinfo=OSLO)


def grong_bid(bid_id, price, quality, competence, qualified=True):
    scores = {"Kvalitet": [D(s) for s in quality], "Kompetanse": [D(s) for s in competence]}
    return Bid(bid_id, D(price), scores, qualified)


# States ---------------------------------------------------------------------------------


def test_the_tender_states_are_exactly_those_of_the_domain():
    assert {state.value for state in TenderState} == {
        "draft",
        "published",
        "bids_closed",
        "opened",
        "evaluated",
        "award_notified",
        "standstill",
        "contract_signed",
        "completed",
        "cancelled",
        "unsuccessful",
    }


@pytest.mark.parametrize(("current", "target"), sorted(ALLOWED))
def test_a_tender_takes_each_allowed_step(current, target):
    check_transition(current, target, reason="Behovet fall bort")


@pytest.mark.parametrize(
    ("current", "target"), [pair for pair in product(S, S) if pair not in ALLOWED]
)
def test_a_tender_refuses_every_other_step_even_with_a_reason(current, target):
    with pytest.raises(InvalidTenderTransition) as refused:
        check_transition(current, target, reason="Behovet fall bort")
    assert refused.value.code == "tender_transition_refused"
    assert (refused.value.current, refused.value.target) == (current, target)
    assert isinstance(refused.value, Conflict)


@pytest.mark.parametrize(("state", "reason"), list(product(BEFORE_SIGNING, [None, "", "  \n"])))
def test_a_tender_is_not_cancelled_without_a_reason(state, reason):
    with pytest.raises(CancellationReasonRequired) as refused:
        check_transition(state, S.CANCELLED, reason=reason)
    assert refused.value.code == "tender_cancellation_reason_required"


def test_a_signed_contract_cannot_be_cancelled():
    with pytest.raises(InvalidTenderTransition):
        check_transition(S.CONTRACT_SIGNED, S.CANCELLED, reason="Angra")


def test_a_tender_with_no_bid_at_the_deadline_ends_unsuccessful_without_opening():
    check_transition(S.BIDS_CLOSED, S.UNSUCCESSFUL)


def test_a_tender_whose_opened_bids_are_all_invalid_ends_unsuccessful():
    check_transition(S.OPENED, S.UNSUCCESSFUL)


def test_an_evaluated_tender_cannot_turn_unsuccessful():
    with pytest.raises(InvalidTenderTransition):
        check_transition(S.EVALUATED, S.UNSUCCESSFUL)


# Thresholds -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "notice"),
    [
        (D(0), Notice.NOT_REGULATED),
        (D("99999.99"), Notice.NOT_REGULATED),
        (D(100_000), Notice.LOCAL),
        (D(450_000), Notice.LOCAL),
        (D(1_200_000), Notice.LOCAL),
        (D("1299999.99"), Notice.LOCAL),
        (D(1_300_000), Notice.LOCAL_AND_DOFFIN),
        (D(50_000_000), Notice.LOCAL_AND_DOFFIN),
    ],
)
def test_the_estimated_value_decides_where_the_notice_goes(value, notice):
    assert required_notice(value) == notice


@pytest.mark.parametrize("value", [D("-0.01"), D("NaN"), D("Infinity")])
def test_an_estimated_value_below_zero_or_not_a_sum_is_refused(value):
    with pytest.raises(InvalidEstimatedValue) as refused:
        required_notice(value)
    assert refused.value.code == "tender_estimated_value_invalid"


# Award criteria -------------------------------------------------------------------------


@pytest.mark.parametrize("criteria", [MERAKER, GRONG, [AwardCriterion("Pris", 100, True)]])
def test_criteria_with_weights_summing_to_100_and_price_among_them_are_accepted(criteria):
    validate_award_criteria(criteria)


@pytest.mark.parametrize("price_weight", [39, 41])
def test_weights_that_miss_100_are_refused_with_their_sum(price_weight):
    criteria = [AwardCriterion("Kvalitet", 60), AwardCriterion("Pris", price_weight, True)]
    with pytest.raises(InvalidAwardCriteria) as refused:
        validate_award_criteria(criteria)
    assert refused.value.code == "award_criteria_weights_not_100"
    assert f"sum to {60 + price_weight}" in str(refused.value)


@pytest.mark.parametrize("weight", [0, -10, D(60), 60.0, True])
def test_a_weight_is_a_whole_number_above_zero(weight):
    criteria = [AwardCriterion("Kvalitet", weight), AwardCriterion("Pris", 40, True)]
    with pytest.raises(InvalidAwardCriteria) as refused:
        validate_award_criteria(criteria)
    assert refused.value.code == "award_criterion_weight_invalid"
    assert "Kvalitet" in str(refused.value)


def test_criteria_without_price_are_refused():
    criteria = [AwardCriterion("Kvalitet", 60), AwardCriterion("Kompetanse", 40)]
    with pytest.raises(InvalidAwardCriteria) as refused:
        validate_award_criteria(criteria)
    assert refused.value.code == "award_criteria_price_count"


def test_two_price_criteria_are_refused():
    criteria = [AwardCriterion("Pris", 60, True), AwardCriterion("Timepris", 40, True)]
    with pytest.raises(InvalidAwardCriteria) as refused:
        validate_award_criteria(criteria)
    assert refused.value.code == "award_criteria_price_count"


def test_two_criteria_with_the_same_name_in_other_case_are_refused():
    criteria = [
        AwardCriterion("Kvalitet", 30),
        AwardCriterion(" kvalitet", 30),
        AwardCriterion("Pris", 40, True),
    ]
    with pytest.raises(InvalidAwardCriteria) as refused:
        validate_award_criteria(criteria)
    assert refused.value.code == "award_criteria_names_not_unique"
    assert isinstance(refused.value, InvalidInput)


def test_a_criterion_without_a_name_is_refused():
    with pytest.raises(InvalidAwardCriteria) as refused:
        validate_award_criteria([AwardCriterion("  ", 60), AwardCriterion("Pris", 40, True)])
    assert refused.value.code == "award_criterion_name_required"


@st.composite
def weight_partitions(draw, min_parts=1, max_parts=6):
    """Whole weights above 0 summing to 100, as cuts of 1..99."""
    parts = draw(st.integers(min_parts, max_parts))
    cuts = sorted(draw(st.sets(st.integers(1, 99), min_size=parts - 1, max_size=parts - 1)))
    bounds = [0, *cuts, 100]
    return [high - low for low, high in zip(bounds, bounds[1:], strict=False)]


def criteria_from(weights, price_at=0):
    return [
        AwardCriterion("Pris" if i == price_at else f"Kriterium {i}", w, is_price=i == price_at)
        for i, w in enumerate(weights)
    ]


@given(weight_partitions(), st.data())
def test_any_whole_weights_above_zero_summing_to_100_are_accepted(weights, data):
    price_at = data.draw(st.integers(0, len(weights) - 1))
    validate_award_criteria(criteria_from(weights, price_at))
    assert sum(weights) == 100


@given(weight_partitions(), st.integers(-5, 5).filter(bool))
def test_weights_moved_off_100_are_always_refused(weights, delta):
    weights = [*weights[:-1], weights[-1] + delta]
    with pytest.raises(InvalidAwardCriteria) as refused:
        validate_award_criteria(criteria_from(weights))
    assert refused.value.code in {
        "award_criteria_weights_not_100",
        "award_criterion_weight_invalid",
    }


# Scoring --------------------------------------------------------------------------------


def test_the_lowest_price_gets_full_points_and_twice_that_gets_half():
    assert price_score(D(400_000), D(400_000)) == MAX_POINTS
    assert price_score(D(800_000), D(400_000)) == D(5)
    assert price_score(D(800_000), D(400_000), max_points=D(100)) == D(50)


@pytest.mark.parametrize("price", [D(0), D(-1), D("NaN")])
def test_a_price_of_zero_or_less_is_refused(price):
    with pytest.raises(InvalidPrice) as refused:
        price_score(D(100), price)
    assert refused.value.code == "bid_price_invalid"


def test_a_lowest_price_above_the_price_is_a_mistake_of_the_caller():
    with pytest.raises(ValueError):
        price_score(D(100), D(200))


def test_a_criterion_scores_the_mean_of_its_evaluators():
    assert evaluator_average([D(7), D(8)]) == D("7.5")
    assert evaluator_average([D(0), D(10), D(5)]) == D(5)


@pytest.mark.parametrize("scores", [[], [D(11)], [D(-1)], [D(5), D("10.1")], [D("NaN")]])
def test_evaluator_scores_are_given_from_0_to_10(scores):
    with pytest.raises(InvalidScore) as refused:
        evaluator_average(scores)
    assert refused.value.code == "evaluation_score_invalid"


def test_full_scores_on_every_criterion_total_100_and_none_total_0():
    assert weighted_total(GRONG, dict.fromkeys(["Kvalitet", "Kompetanse", "Pris"], D(10))) == 100
    assert weighted_total(GRONG, dict.fromkeys(["Kvalitet", "Kompetanse", "Pris"], D(0))) == 0


def test_the_total_weighs_each_score_by_its_criterion():
    scores = {"Kvalitet": D(8), "Kompetanse": D(5), "Pris": D(6)}
    assert weighted_total(GRONG, scores) == D(40) + D(10) + D(18)


def test_a_total_without_a_score_for_every_criterion_is_refused():
    with pytest.raises(InvalidScore) as refused:
        weighted_total(GRONG, {"Kvalitet": D(8), "Pris": D(6)})
    assert "Kompetanse" in str(refused.value)


# Ranking --------------------------------------------------------------------------------


def test_the_grong_bids_rank_by_weighted_total():
    ranking = rank_bids(
        GRONG,
        [
            grong_bid("rådgjevar", 450_000, [8, 7], [6, 6]),
            grong_bid("næringshage", 400_000, [6, 6], [9, 9]),
            grong_bid("konsulent", 300_000, [4, 4], [4, 4]),
        ],
    )
    assert [(r.rank, r.bid_id) for r in ranking] == [
        (1, "næringshage"),
        (2, "rådgjevar"),
        (3, "konsulent"),
    ]
    # 50 * 6/10 + 20 * 9/10 + 30 * (10 * 300/400)/10; the cheapest takes the full 30 for price
    assert ranking[0].total == D(30) + D(18) + D("22.5")
    assert ranking[2].total == D(20) + D(8) + D(30)
    assert ranking[2].scores["Pris"] == MAX_POINTS
    assert ranking[1].scores["Kvalitet"] == D("7.5")


def test_a_bid_that_failed_qualification_neither_ranks_nor_sets_the_lowest_price():
    ranking = rank_bids(
        MERAKER,
        [
            Bid("billig", D(100_000), {"Kvalitet": [D(10)]}, qualified=False),
            Bid("a", D(200_000), {"Kvalitet": [D(5)]}),
        ],
    )
    assert [r.bid_id for r in ranking] == ["a"]
    assert ranking[0].scores["Pris"] == MAX_POINTS


def test_no_qualified_bid_gives_an_empty_ranking():
    assert rank_bids(MERAKER, [Bid("a", D(1), {"Kvalitet": [D(5)]}, qualified=False)]) == []


def test_equal_totals_rank_the_lower_price_first():
    tied = [
        Bid("tilbod-1", D(200), {"Kvalitet": [D(10)], "Kompetanse": [D(10)]}),  # 50 + 20 + 15
        Bid("tilbod-2", D(100), {"Kvalitet": [D(7)], "Kompetanse": [D(10)]}),  # 35 + 20 + 30
    ]
    ranking = rank_bids(GRONG, tied)
    assert [(r.rank, r.bid_id, r.total) for r in ranking] == [
        (1, "tilbod-2", 85),
        (2, "tilbod-1", 85),
    ]


def test_equal_totals_and_prices_rank_by_bid_id():
    same = {"Kvalitet": [D(5)]}
    ranking = rank_bids(MERAKER, [Bid("b", D(100), same), Bid("a", D(100), same)])
    assert [(r.rank, r.bid_id) for r in ranking] == [(1, "a"), (2, "b")]


def test_two_bids_with_one_id_are_a_mistake_of_the_caller():
    with pytest.raises(ValueError):
        rank_bids(MERAKER, [Bid("a", D(1), {"Kvalitet": [D(5)]})] * 2)


def test_bids_are_not_ranked_against_invalid_criteria():
    with pytest.raises(InvalidAwardCriteria):
        rank_bids([AwardCriterion("Kvalitet", 100)], [Bid("a", D(1), {"Kvalitet": [D(5)]})])


def test_a_bid_missing_an_evaluators_score_is_not_ranked():
    with pytest.raises(InvalidScore):
        rank_bids(MERAKER, [Bid("a", D(100), {})])


scores_0_to_10 = st.one_of(
    st.integers(0, 10).map(Decimal),
    st.decimals(0, 10, places=2, allow_nan=False, allow_infinity=False),
)
prices = st.one_of(
    st.integers(1, 4).map(lambda n: Decimal(n * 100_000)),
    st.decimals(1, 10_000_000, places=2, allow_nan=False, allow_infinity=False),
)


@st.composite
def tenders(draw):
    """Valid criteria and bids with unique ids; few distinct values make ties common."""
    criteria = criteria_from(draw(weight_partitions(max_parts=4)))
    ids = draw(
        st.lists(st.text("abcxyz", min_size=1, max_size=3), min_size=1, max_size=8, unique=True)
    )
    bids = [
        Bid(
            bid_id,
            draw(prices),
            {
                c.name: draw(st.lists(scores_0_to_10, min_size=1, max_size=3))
                for c in criteria
                if not c.is_price
            },
            qualified=draw(st.booleans()),
        )
        for bid_id in ids
    ]
    return criteria, bids


@given(tenders(), st.randoms())
def test_the_ranking_does_not_depend_on_the_order_the_bids_came_in(tender, random):
    criteria, bids = tender
    shuffled = random.sample(bids, len(bids))
    assert rank_bids(criteria, shuffled) == rank_bids(criteria, bids)


@given(tenders())
def test_every_total_is_from_0_to_100_and_the_ranking_descends(tender):
    ranking = rank_bids(*tender)
    assert all(0 <= r.total <= 100 for r in ranking)
    assert [r.total for r in ranking] == sorted((r.total for r in ranking), reverse=True)
    assert [r.rank for r in ranking] == list(range(1, len(ranking) + 1))


@given(tenders())
def test_the_lowest_qualified_price_gets_the_full_price_score(tender):
    criteria, bids = tender
    ranking = rank_bids(criteria, bids)
    qualified = [bid for bid in bids if bid.qualified]
    assert {r.bid_id for r in ranking} == {bid.bid_id for bid in qualified}
    if ranking:
        lowest = min(bid.price for bid in qualified)
        for r in ranking:
            assert (r.scores["Pris"] == MAX_POINTS) == (r.price == lowest)


@given(prices, prices)
def test_a_higher_price_never_scores_more(first, second):
    lowest = min(first, second)
    low, high = sorted([first, second])
    assert price_score(high, lowest) <= price_score(low, lowest) == MAX_POINTS


# Deadlines and standstill ---------------------------------------------------------------

DEADLINE = oslo(2026, 3, 16, 12, 0)


def test_a_bid_a_second_before_the_deadline_is_on_time():
    assert is_on_time(DEADLINE - timedelta(seconds=1), DEADLINE) is True


def test_a_bid_at_the_deadline_is_refused():
    assert is_on_time(DEADLINE, DEADLINE) is False


def test_a_bid_a_second_late_is_refused():
    assert is_on_time(DEADLINE + timedelta(seconds=1), DEADLINE) is False


def test_the_deadline_is_an_instant_whatever_the_clock_it_is_told_in():
    utc_deadline = DEADLINE.astimezone(UTC)
    assert is_on_time(DEADLINE - timedelta(microseconds=1), utc_deadline) is True
    assert is_on_time(utc_deadline, DEADLINE) is False


def test_a_time_without_a_zone_is_refused():
    with pytest.raises(ValueError):
        is_on_time(datetime(2026, 3, 16, 11, 59), DEADLINE)


def test_bids_close_at_the_deadline_and_not_before():
    assert may_close_bids(DEADLINE - timedelta(seconds=1), DEADLINE) is False
    assert may_close_bids(DEADLINE, DEADLINE) is True


@pytest.mark.parametrize(
    ("notified_at", "ends_at"),
    [
        (oslo(2026, 3, 3, 14, 0), oslo(2026, 3, 14)),
        (oslo(2026, 3, 3, 0, 0), oslo(2026, 3, 14)),
        (oslo(2026, 3, 3, 23, 59), oslo(2026, 3, 14)),
        (datetime(2026, 3, 3, 23, 30, tzinfo=UTC), oslo(2026, 3, 15)),
        (oslo(2026, 3, 20, 10, 0), oslo(2026, 3, 31)),
        (oslo(2026, 10, 20, 10, 0), oslo(2026, 10, 31)),
    ],
    ids=["afternoon", "midnight", "late_evening", "utc_late_is_oslo_next_day", "dst", "dst_end"],
)
def test_the_standstill_ends_after_ten_full_oslo_days_following_the_notice(notified_at, ends_at):
    end = standstill_end(notified_at)
    assert end == ends_at
    assert (end.hour, end.minute) == (0, 0)


@given(st.datetimes(datetime(2020, 1, 1), datetime(2035, 12, 31), timezones=st.just(UTC)))
def test_the_standstill_is_the_notice_day_and_ten_full_oslo_days_after_it(notified_at):
    end = standstill_end(notified_at).astimezone(OSLO)
    assert end.time() == datetime.min.time()
    assert (end.date() - notified_at.astimezone(OSLO).date()).days == 11
    # Days on the calendar: the spring change to summer time takes an hour from one of them.
    assert timedelta(days=10, hours=-1) < end - notified_at <= timedelta(days=11, hours=1)


def test_the_contract_is_signed_at_the_end_of_the_standstill_and_not_before():
    end = standstill_end(oslo(2026, 3, 3, 14, 0))
    assert may_sign_contract(end, end) is True
    assert may_sign_contract(end - timedelta(microseconds=1), end) is False
    check_contract_signing(end, end)
    with pytest.raises(StandstillNotOver) as refused:
        check_contract_signing(end - timedelta(seconds=1), end)
    assert refused.value.code == "standstill_not_over"


def test_a_late_change_is_one_less_than_six_days_before_the_deadline():
    assert LATE_CHANGE_WINDOW == timedelta(days=6)
    assert is_late_change(DEADLINE - timedelta(days=6), DEADLINE) is False
    assert is_late_change(DEADLINE - timedelta(days=6) + timedelta(seconds=1), DEADLINE) is True


def test_a_change_six_days_before_the_deadline_keeps_the_deadline():
    assert deadline_after_change(DEADLINE - timedelta(days=6), DEADLINE) == DEADLINE


def test_a_change_a_second_too_late_moves_the_deadline_a_day_at_the_same_time_of_day():
    changed = DEADLINE - timedelta(days=6) + timedelta(seconds=1)
    assert deadline_after_change(changed, DEADLINE) == DEADLINE + timedelta(days=1)


def test_a_change_an_hour_before_the_deadline_moves_it_six_days():
    assert deadline_after_change(DEADLINE - timedelta(hours=1), DEADLINE) == oslo(2026, 3, 22, 12)


def test_a_moved_deadline_keeps_its_oslo_time_across_summer_time():
    deadline = oslo(2026, 3, 27, 12, 0)
    moved = deadline_after_change(oslo(2026, 3, 26, 9, 0), deadline)
    assert moved == oslo(2026, 4, 1, 12, 0)


@pytest.mark.parametrize("after", [timedelta(0), timedelta(days=1)])
def test_the_documents_cannot_change_once_the_deadline_has_passed(after):
    with pytest.raises(DocumentsChangedAfterDeadline) as refused:
        deadline_after_change(DEADLINE + after, DEADLINE)
    assert refused.value.code == "tender_documents_changed_after_deadline"


@given(
    st.timedeltas(timedelta(seconds=1), timedelta(days=30)),
    st.datetimes(datetime(2025, 1, 1), datetime(2030, 12, 31)),
)
def test_after_any_change_bidders_have_six_days_and_the_deadline_keeps_its_time(before, deadline):
    deadline = deadline.replace(hour=12, minute=0, second=0, microsecond=0, tzinfo=OSLO)
    changed = deadline - before
    moved = deadline_after_change(changed, deadline)
    assert moved >= deadline
    assert moved.astimezone(UTC) - changed.astimezone(UTC) >= LATE_CHANGE_WINDOW
    assert moved.astimezone(OSLO).time() == deadline.time()
    assert moved == deadline or is_late_change(changed, moved - timedelta(days=1))


# --- a tender's deadlines -----------------------------------------------------------------------

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def test_deadlines_ahead_and_in_order_are_accepted():
    assert deadline_refusals(NOW + timedelta(days=5), NOW + timedelta(days=10), NOW) == {}


def test_each_deadline_in_the_past_is_refused_beside_its_field():
    refused = deadline_refusals(NOW - timedelta(seconds=1), NOW, NOW)  # "now" is already past
    assert {f: r.code for f, r in refused.items()} == {
        "questions_deadline": "deadline_in_past",
        "bid_deadline": "deadline_in_past",
    }


def test_questions_after_the_bid_deadline_are_refused_and_a_missing_deadline_is_not_judged():
    later, sooner = NOW + timedelta(days=9), NOW + timedelta(days=3)
    [(field, refusal)] = deadline_refusals(later, sooner, NOW).items()
    assert (field, refusal.code) == ("questions_deadline", "questions_after_bid_deadline")
    assert deadline_refusals(None, NOW - timedelta(days=1), NOW).keys() == {"bid_deadline"}
    naive = deadline_refusals(datetime(2027, 1, 1), None, NOW)  # noqa: DTZ001 - the point
    assert naive["questions_deadline"].code == "deadline_without_zone"
