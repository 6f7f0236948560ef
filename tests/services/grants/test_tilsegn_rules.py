"""The pure rules of a tilsegn's own lifecycle: its steps over every pair of states, which states
take new requests, reports and clawbacks, and the refusals that name why."""

from __future__ import annotations

from itertools import product

import pytest

from services.grants import tilsegn
from services.grants.payments import FinalRequested
from services.grants.tilsegn import TilsegnState as T

# Written out by hand, apart from the rules' own list: the steps a tilsegn may take.
ALLOWED = {
    ("active", "part_paid"),
    ("active", "final_requested"),
    ("part_paid", "final_requested"),
    ("final_requested", "active"),
    ("final_requested", "part_paid"),
    ("final_requested", "settled"),
    ("active", "withdrawn"),
    ("active", "cancelled"),
    ("part_paid", "cancelled"),
    ("part_paid", "clawed_back"),
    ("settled", "clawed_back"),
    ("cancelled", "clawed_back"),
}


@pytest.mark.parametrize("current, wanted", list(product(T, T)), ids=lambda s: s.value)
def test_a_tilsegn_takes_only_its_own_steps(current, wanted):
    assert tilsegn.may_move(current, wanted) == ((current.value, wanted.value) in ALLOWED)
    if (current.value, wanted.value) in ALLOWED:
        tilsegn.check_step(current, wanted)
    else:
        with pytest.raises(tilsegn.TilsegnStep):
            tilsegn.check_step(current, wanted)


def test_withdrawn_and_clawed_back_are_the_end_and_nothing_returns_to_a_grant_not_yet_paid():
    for end in (T.WITHDRAWN, T.CLAWED_BACK):
        assert not any(tilsegn.may_move(end, s) for s in T)
    assert {a for a, b in ALLOWED if b == "withdrawn"} == {"active"}  # only before any payment


@pytest.mark.parametrize("state", list(T), ids=lambda s: s.value)
def test_only_an_open_tilsegn_takes_requests_and_reports(state):
    if state in (T.ACTIVE, T.PART_PAID):
        tilsegn.check_open(state)
    elif state == T.FINAL_REQUESTED:
        with pytest.raises(FinalRequested):
            tilsegn.check_open(state)
    else:
        with pytest.raises(tilsegn.TilsegnClosed):
            tilsegn.check_open(state)


@pytest.mark.parametrize("state", list(T), ids=lambda s: s.value)
def test_a_clawback_only_where_money_was_paid_and_no_final_payment_waits(state):
    if state in (T.PART_PAID, T.SETTLED, T.CANCELLED, T.CLAWED_BACK):
        tilsegn.check_clawback(state)
    else:
        with pytest.raises(tilsegn.NoClawbackNow):
            tilsegn.check_clawback(state)


def test_open_and_closed_and_the_final_request_divide_the_states():
    assert tilsegn.OPEN | tilsegn.CLOSED | {T.FINAL_REQUESTED} == set(T)
    assert not tilsegn.OPEN & tilsegn.CLOSED
    # A clawback moves a tilsegn that has been paid into: every state it comes from is closed
    # or has payments behind it.
    assert {a for a, b in ALLOWED if b == "clawed_back"} <= tilsegn.CLAWBACK_FROM
