"""The pure rules of a tilsegn's money: de minimis against the ceiling, the payment request's
steps over every pair of states, the lines that never exceed the tilsegn, and how a report's
effects move a KPI's actual."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from itertools import product

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.errors import Conflict, InvalidInput
from services.grants import payments, reports, state_aid
from services.grants.payments import PaymentKind, PaymentState

NOK = st.decimals(min_value=0, max_value=Decimal("99999999999.99"), places=2)
RATES = st.decimals(min_value=1, max_value=100, places=4)

# --- de minimis ---------------------------------------------------------------------------------


@given(NOK, NOK, RATES)
def test_a_grant_is_refused_exactly_when_the_three_years_pass_the_ceiling_in_euro(
    earlier, this, rate
):
    aid = state_aid.state_aid(earlier, this, rate)
    passes = (earlier + this) / rate > state_aid.CEILING_EUR
    assert aid.passes_ceiling == passes
    if passes:
        with pytest.raises(state_aid.CeilingPassed):
            state_aid.check_ceiling(aid)
    else:
        state_aid.check_ceiling(aid)


@given(NOK, RATES)
def test_granting_the_room_left_never_passes_the_ceiling(earlier, rate):
    aid = state_aid.state_aid(earlier, Decimal(0), rate)
    if aid.passes_ceiling:
        assert aid.room_nok == 0
    else:
        assert not state_aid.state_aid(earlier, aid.room_nok, rate).passes_ceiling
        assert state_aid.state_aid(earlier, aid.room_nok + Decimal("0.01"), rate).passes_ceiling


@given(NOK, NOK, RATES)
def test_more_support_never_turns_a_refusal_into_a_grant(earlier, this, rate):
    if state_aid.state_aid(earlier, this, rate).passes_ceiling:
        assert state_aid.state_aid(earlier + 1, this, rate).passes_ceiling


def test_the_ceiling_is_300_000_euro_at_the_operators_rate():
    aid = state_aid.state_aid(Decimal(3_000_000), Decimal(525_000), Decimal("11.75"))
    assert aid.ceiling_nok == Decimal("3525000.00")
    assert not aid.passes_ceiling
    assert state_aid.state_aid(Decimal(3_000_000), Decimal("525000.01"), Decimal("11.75")).passes_ceiling


def test_the_refusal_names_the_figures():
    aid = state_aid.state_aid(Decimal(3_400_000), Decimal(200_000), Decimal("11.75"))
    with pytest.raises(state_aid.CeilingPassed) as refused:
        state_aid.check_ceiling(aid)
    assert "306\u00a0383" in str(refused.value)  # EUR 3 600 000 / 11.75
    assert "125\u00a0000" in str(refused.value)  # room: 3 525 000 - 3 400 000


@pytest.mark.parametrize("typed", ["0", "0.9999", "100.0001", "11.12345"])
def test_an_exchange_rate_outside_reason_is_refused(typed):
    with pytest.raises(InvalidInput):
        state_aid.check_rate(Decimal(typed))


# --- the payment request's steps ----------------------------------------------------------------


ALLOWED = {
    ("submitted", "approved"),
    ("submitted", "rejected"),
    ("approved", "paid"),
    ("approved", "rejected"),
}


@pytest.mark.parametrize("current, wanted", list(product(PaymentState, PaymentState)))
def test_a_payment_request_takes_only_its_own_steps(current, wanted):
    assert payments.may_move(current, wanted) == ((current.value, wanted.value) in ALLOWED)


def test_paid_and_rejected_are_the_end():
    for end in (PaymentState.PAID, PaymentState.REJECTED):
        assert not any(payments.may_move(end, s) for s in PaymentState)


def test_a_clawback_starts_approved_and_a_request_submitted():
    assert payments.first_state(PaymentKind.CLAWBACK) == PaymentState.APPROVED
    assert payments.first_state(PaymentKind.PART) == PaymentState.SUBMITTED
    assert payments.first_state(PaymentKind.FINAL) == PaymentState.SUBMITTED


# --- together, never more than the tilsegn -------------------------------------------------------

AMOUNT = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(500_000), places=2)
STEP = st.tuples(
    st.sampled_from(["part", "final", "clawback"]),
    AMOUNT,
    st.sampled_from(["submitted", "approved", "paid", "rejected"]),
)


@given(AMOUNT, st.lists(STEP, max_size=12))
def test_whatever_is_asked_the_accepted_lines_never_exceed_the_tilsegn(granted, asks):
    lines: list[payments.Line] = []
    for kind, amount, decided in asks:
        signed = -amount if kind == "clawback" else amount
        try:
            payments.check_request(kind, signed, payments.balance(granted, lines))
        except (Conflict, InvalidInput):
            continue
        state = payments.first_state(kind)
        if payments.may_move(state, decided):
            state = PaymentState(decided)
        lines.append(payments.Line(kind, state, signed))
        now = payments.balance(granted, lines)
        assert now.standing <= granted
        assert now.paid >= 0
        assert sum(1 for x in lines if x.kind == "final" and x.state != "rejected") <= 1


def test_one_final_payment_per_tilsegn():
    lines = [payments.Line("final", "submitted", Decimal(100))]
    with pytest.raises(payments.FinalRequested):
        payments.check_request("part", Decimal(1), payments.balance(Decimal(1000), lines))
    rejected = [payments.Line("final", "rejected", Decimal(100))]
    payments.check_request("final", Decimal(1000), payments.balance(Decimal(1000), rejected))


def test_a_request_above_what_remains_names_the_remainder():
    lines = [payments.Line("part", "paid", Decimal(60_000))]
    with pytest.raises(payments.ExceedsTilsegn) as refused:
        payments.check_request("part", Decimal(50_000), payments.balance(Decimal(100_000), lines))
    assert "40\u00a0000" in str(refused.value)


def test_a_clawback_is_a_negative_line_no_larger_than_what_was_paid():
    lines = [payments.Line("part", "paid", Decimal(30_000))]
    current = payments.balance(Decimal(100_000), lines)
    payments.check_request("clawback", Decimal(-30_000), current)
    with pytest.raises(payments.ClawbackTooLarge):
        payments.check_request("clawback", Decimal(-30_001), current)
    with pytest.raises(InvalidInput):
        payments.check_request("clawback", Decimal(5), current)


# --- reports -------------------------------------------------------------------------------------

EFFECTS = st.dictionaries(
    st.sampled_from(["new_jobs", "secured_jobs", "new_businesses"]),
    st.decimals(min_value=-1000, max_value=1000, places=2),
)


@given(st.lists(EFFECTS, min_size=1, max_size=6), st.decimals(min_value=0, max_value=100, places=2))
def test_counting_reports_in_turn_leaves_the_actual_at_the_baseline_plus_the_last_reported(
    sequence, baseline
):
    """Each report replaces the tilsegn's last: after any sequence, what was added is what the
    reports said last, per KPI."""
    actual: dict[str, Decimal] = {}
    counted: dict[str, Decimal] = {}
    for reported in sequence:
        for code, change in reports.effect_changes(reported, counted).items():
            actual[code] = reports.moved_actual(actual.get(code), baseline, change)
        counted |= reported
    for code, last in counted.items():
        assert actual.get(code, baseline) == baseline + last


@pytest.mark.parametrize(
    "days_left, reminder", [(61, None), (60, 60), (59, None), (8, None), (7, 7), (0, None)]
)
def test_a_reminder_falls_60_and_7_days_before_the_deadline(days_left, reminder):
    today = date(2026, 11, 30)
    assert reports.reminder_due(today + timedelta(days=days_left), today) == reminder
    assert reports.reminder_due(None, today) is None


@given(NOK, NOK, RATES)
def test_what_is_left_after_a_grant_is_zero_exactly_when_it_reaches_the_ceiling(earlier, this, rate):
    aid = state_aid.state_aid(earlier, this, rate)
    assert aid.room_after_nok >= 0
    if aid.passes_ceiling:
        assert aid.room_after_nok == 0
    else:
        assert aid.room_after_nok == aid.room_nok - this
