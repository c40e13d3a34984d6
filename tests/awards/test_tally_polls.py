"""Deciding one poll of the year-end ballot: elections, quota, ties and
further rounds (domain §4, rules 17–24); the fallbacks, the flag rank
warning and impossible input are in ``test_tally_fallbacks``. Pure: no
database."""

from decimal import Decimal as D

import pytest

from awards.tally import (
    Base,
    PollKind,
    Threshold,
    tally,
)
from tests.awards.tally_helpers import (  # noqa: F401
    MORE_THAN_HALF,
    THIRD_OF_VALID,
    TWO_THIRDS,
    cand,
    ids,
    poll,
    table,
)

# Single-seat elections ------------------------------------------------------


def test_the_next_chair_is_elected_by_a_majority_of_all_members():
    outcome = tally(poll({1: 6, 2: 3}, kind=PollKind.CHAIR))

    assert ids(outcome.elected) == [1]
    assert table(outcome) == [(1, 6, D("66.67"), True), (2, 3, D("33.33"), False)]
    assert outcome.next_round == ()
    assert outcome.seats_left == 0
    assert outcome.fallback_applied is None
    assert not outcome.needs_decision
    assert (outcome.base_count, outcome.required) == (9, 5)
    assert outcome.rule_text == "more than 1/2 of all members: 5 votes needed"
    assert outcome.warnings == ()


@pytest.mark.parametrize(
    ("approvals", "elected"),
    [(5, [1]), (4, [])],
)
def test_a_single_candidate_needs_the_threshold_too(approvals, elected):
    outcome = tally(poll({1: approvals}, kind=PollKind.VICE_CHAIR))

    assert ids(outcome.elected) == elected
    assert ids(outcome.next_round) == ([] if elected else [1])
    assert outcome.seats_left == 1 - len(elected)


@pytest.mark.parametrize(
    ("base", "base_count", "required", "elected"),
    [
        # 9 members, 7 present, 7 ballots of which 6 valid; at least 2/3
        (Base.MEMBERS, 9, 6, []),
        (Base.PRESENT, 7, 5, [1]),
        (Base.VALID, 6, 4, [1]),
    ],
)
def test_the_base_of_the_share(base, base_count, required, elected):
    outcome = tally(poll({1: 5, 2: 1}, present=7, valid=6, threshold=Threshold(2, 3, False, base)))

    assert (outcome.base_count, outcome.required) == (base_count, required)
    assert ids(outcome.elected) == elected


def test_the_percent_is_of_the_base_count_half_up():
    outcome = tally(poll({1: 2, 2: 1}, members=3, threshold=THIRD_OF_VALID, seats=1))

    # 2/3 = 66.666… → 66.67; 1/3 = 33.333… → 33.33
    assert [r.percent for r in outcome.results] == [D("66.67"), D("33.33")]


def test_nothing_valid_nobody_elected_and_no_division_by_zero():
    outcome = tally(poll({}, candidates=[cand(1)], valid=0, threshold=THIRD_OF_VALID))

    assert outcome.base_count == 0
    assert outcome.required == 1
    assert table(outcome) == [(1, 0, D("0.00"), False)]
    assert outcome.elected == ()
    assert outcome.warnings[0] == ("No candidate can pass: votes needed 1, valid ballots 0.")


def test_a_candidate_without_votes_is_never_elected_by_the_ballot():
    # "more than 0" and "at least 0" would let 0 votes pass.
    outcome = tally(
        poll({1: 3}, candidates=[cand(1), cand(2)], threshold=Threshold(0, 1, False, Base.MEMBERS))
    )

    assert outcome.required == 1
    assert ids(outcome.elected) == [1]
    assert [r.passed for r in outcome.results] == [True, False]


def test_members_absent_can_make_the_threshold_unreachable():
    outcome = tally(poll({1: 4}, members=9, present=4, threshold=MORE_THAN_HALF))

    assert outcome.required == 5
    assert outcome.elected == ()
    assert outcome.warnings[0] == ("No candidate can pass: votes needed 5, valid ballots 4.")


# Certificates: filling the quota --------------------------------------------


def test_certificates_fill_the_quota_by_votes():
    outcome = tally(poll({1: 8, 2: 7, 3: 6, 4: 4, 5: 2}, seats=3))

    assert ids(outcome.elected) == [1, 2, 3]
    assert [r.passed for r in outcome.results] == [True, True, True, False, False]
    assert outcome.next_round == ()
    assert outcome.seats_left == 0


def test_a_passing_candidate_beyond_the_quota_is_not_elected():
    outcome = tally(poll({3: 5, 1: 7, 2: 6}, seats=2))

    assert ids(outcome.elected) == [1, 2]
    assert table(outcome)[2] == (3, 5, D("55.56"), True)
    assert outcome.next_round == ()
    assert outcome.seats_left == 0


def test_results_list_most_votes_first_then_score_rank_then_name():
    candidates = [
        cand(1, rank=None, name="Sở Y tế"),
        cand(2, rank=None, name="Sở Du lịch"),
        cand(3, rank=4),
        cand(4, rank=2),
        cand(5, rank=1),
    ]
    outcome = tally(poll({1: 3, 2: 3, 3: 3, 4: 3, 5: 6}, candidates=candidates, seats=3))

    assert ids(r.candidate for r in outcome.results) == [5, 4, 3, 2, 1]


def test_fewer_candidates_than_places_leaves_places_open():
    outcome = tally(poll({1: 6, 2: 5}, seats=4))

    assert ids(outcome.elected) == [1, 2]
    assert outcome.seats_left == 2
    assert outcome.next_round == ()
    assert outcome.fallback_applied is None


def test_a_poll_without_places_elects_nobody():
    outcome = tally(poll({}, candidates=[cand(1)], seats=0, kind=PollKind.FLAG))

    assert outcome.elected == ()
    assert (outcome.seats_left, outcome.next_round) == (0, ())


# Ties at the cut: a further round between the tied only ---------------------


def test_a_tie_for_a_single_place_goes_to_round_two_between_the_tied():
    outcome = tally(poll({1: 4, 2: 4, 3: 1}, threshold=THIRD_OF_VALID))

    assert outcome.elected == ()
    assert ids(outcome.next_round) == [1, 2]
    assert outcome.seats_left == 1
    assert outcome.fallback_applied is None
    assert outcome.warnings == ("Tied at 4 votes: Sở 01, Sở 02. Round 2 chooses 1 of them.",)


def test_a_tie_at_the_cut_elects_those_above_it():
    outcome = tally(poll({1: 8, 2: 7, 3: 6, 4: 6}, seats=3))

    assert ids(outcome.elected) == [1, 2]
    assert ids(outcome.next_round) == [3, 4]
    assert outcome.seats_left == 1


def test_a_tie_below_the_cut_changes_nothing():
    outcome = tally(poll({1: 6, 2: 5, 3: 3, 4: 3}, seats=2, threshold=THIRD_OF_VALID))

    assert [r.passed for r in outcome.results] == [True, True, True, True]
    assert ids(outcome.elected) == [1, 2]
    assert (outcome.next_round, outcome.seats_left) == ((), 0)


def test_a_tie_that_fits_the_places_elects_all_the_tied():
    outcome = tally(poll({1: 8, 2: 6, 3: 6, 4: 2}, seats=3))

    assert ids(outcome.elected) == [1, 2, 3]
    assert outcome.next_round == ()


def test_a_tie_across_several_places():
    outcome = tally(poll({1: 8, 2: 6, 3: 6, 4: 6}, seats=3))

    assert ids(outcome.elected) == [1]
    assert ids(outcome.next_round) == [2, 3, 4]
    assert outcome.seats_left == 2
    assert outcome.warnings == ("Tied at 6 votes: Sở 02, Sở 03, Sở 04. Round 2 chooses 2 of them.",)


def test_round_two_between_the_tied_decides():
    outcome = tally(poll({3: 6, 4: 3}, round=2))

    assert ids(outcome.elected) == [3]
    assert outcome.fallback_applied is None


# Too few pass: a further round among the others ------------------------------


def test_too_few_passing_goes_to_round_two_among_those_that_did_not_pass():
    outcome = tally(poll({1: 8, 2: 6, 3: 4, 4: 4, 5: 3}, seats=3))

    assert ids(outcome.elected) == [1, 2]
    assert ids(outcome.next_round) == [3, 4, 5]
    assert outcome.seats_left == 1
    assert outcome.warnings == (
        "Places still open: 1. Round 2 votes again among Sở 03, Sở 04, Sở 05.",
    )


def test_nobody_passing_the_chair_vote_goes_to_round_two_with_everyone():
    outcome = tally(poll({1: 4, 2: 3, 3: 2}, kind=PollKind.CHAIR))

    assert outcome.elected == ()
    assert ids(outcome.next_round) == [1, 2, 3]
    assert outcome.seats_left == 1


def test_more_rounds_when_allowed():
    outcome = tally(poll({1: 4, 2: 3}, round=2, max_rounds=3))

    assert outcome.fallback_applied is None
    assert ids(outcome.next_round) == [1, 2]
    assert outcome.warnings == ("Places still open: 1. Round 3 votes again among Sở 01, Sở 02.",)
