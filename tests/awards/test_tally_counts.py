"""The arithmetic under the ballots: votes needed for a threshold, quorum and
certificate quota (domain rules 16, 17, 20, 21). Pure: no database."""

from decimal import Decimal as D

import pytest

from awards.tally import (
    Base,
    Threshold,
    certificate_quota,
    quorum_met,
    required_votes,
    threshold_text,
)

MORE_THAN_HALF = Threshold(1, 2, True, Base.MEMBERS)
TWO_THIRDS = Threshold(2, 3, False, Base.MEMBERS)
EIGHTY_PERCENT = Threshold(4, 5, False, Base.MEMBERS)


@pytest.mark.parametrize(
    ("threshold", "base_count", "needed"),
    [
        # more than half: a strict majority
        (MORE_THAN_HALF, 5, 3),
        (MORE_THAN_HALF, 4, 3),
        (MORE_THAN_HALF, 9, 5),
        (MORE_THAN_HALF, 10, 6),
        (MORE_THAN_HALF, 1, 1),
        (MORE_THAN_HALF, 0, 1),
        # at least two thirds
        (TWO_THIRDS, 9, 6),
        (TWO_THIRDS, 10, 7),
        (TWO_THIRDS, 3, 2),
        (TWO_THIRDS, 7, 5),
        (TWO_THIRDS, 0, 0),
        # at least 80 % (procuracy, courts)
        (EIGHTY_PERCENT, 7, 6),
        (EIGHTY_PERCENT, 10, 8),
        (EIGHTY_PERCENT, 5, 4),
        (EIGHTY_PERCENT, 11, 9),
        # at least 90 %, more than 2/3, all, more than nothing
        (Threshold(9, 10, False, Base.MEMBERS), 10, 9),
        (Threshold(9, 10, False, Base.MEMBERS), 7, 7),
        (Threshold(2, 3, True, Base.MEMBERS), 9, 7),
        (Threshold(1, 1, False, Base.MEMBERS), 7, 7),
        (Threshold(0, 1, True, Base.MEMBERS), 7, 1),
        # the base does not change the arithmetic
        (Threshold(1, 2, True, Base.PRESENT), 7, 4),
        (Threshold(1, 2, False, Base.VALID), 6, 3),
    ],
)
def test_required_votes(threshold, base_count, needed):
    assert required_votes(threshold, base_count) == needed


def test_required_votes_is_exact_on_large_counts():
    # 2/3 of 3,000,000,001 is 2,000,000,000.67: a float would be fine here,
    # but the whole-number comparison never depends on it.
    assert required_votes(TWO_THIRDS, 3_000_000_001) == 2_000_000_001
    assert required_votes(Threshold(1, 3, False, Base.VALID), 3_000_000_000) == 1_000_000_000


def test_required_votes_refuses_a_negative_base():
    with pytest.raises(ValueError, match="base_count cannot be negative"):
        required_votes(MORE_THAN_HALF, -1)


@pytest.mark.parametrize(
    ("numerator", "denominator", "strict", "message"),
    [
        (1, 0, True, "denominator must be positive"),
        (1, -2, False, "denominator must be positive"),
        (3, 2, False, "numerator must be between 0 and 2"),
        (-1, 2, False, "numerator must be between 0 and 2"),
        (1, 1, True, "more than all"),
    ],
)
def test_an_impossible_threshold_cannot_be_built(numerator, denominator, strict, message):
    with pytest.raises(ValueError, match=message):
        Threshold(numerator, denominator, strict, Base.MEMBERS)


def test_a_threshold_needs_a_known_base():
    with pytest.raises(ValueError, match="'everyone'"):
        Threshold(1, 2, True, "everyone")


@pytest.mark.parametrize(
    ("threshold", "base_count", "text"),
    [
        (MORE_THAN_HALF, 9, "more than 1/2 of all members: 5 votes needed"),
        (TWO_THIRDS, 9, "at least 2/3 of all members: 6 votes needed"),
        (
            Threshold(4, 5, False, Base.PRESENT),
            7,
            "at least 4/5 of members present: 6 votes needed",
        ),
        (Threshold(1, 2, True, Base.VALID), 6, "more than 1/2 of valid ballots: 4 votes needed"),
        # never fewer than 1 vote
        (TWO_THIRDS, 0, "at least 2/3 of all members: 1 vote needed"),
        (Threshold(0, 1, True, Base.MEMBERS), 9, "more than 0/1 of all members: 1 vote needed"),
    ],
)
def test_threshold_text(threshold, base_count, text):
    assert threshold_text(threshold, base_count) == text


# Quorum (rule 16) -----------------------------------------------------------


@pytest.mark.parametrize(
    ("present", "members", "fraction", "met"),
    [
        (6, 9, (2, 3), True),
        (5, 9, (2, 3), False),
        (5, 7, (2, 3), True),
        (4, 7, (2, 3), False),
        (7, 7, (2, 3), True),
        (0, 5, (2, 3), False),
        (8, 10, (4, 5), True),
        (7, 10, (4, 5), False),
        (3, 6, (1, 2), True),
        # a bloc without members never meets
        (0, 0, (2, 3), False),
    ],
)
def test_quorum(present, members, fraction, met):
    assert quorum_met(present, members, *fraction) is met


def test_quorum_defaults_to_two_thirds():
    assert quorum_met(6, 9)
    assert not quorum_met(5, 9)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((10, 9), r"present \(10\) cannot exceed members \(9\)"),
        ((-1, 9), "present cannot be negative"),
        ((1, -9), "members cannot be negative"),
        ((6, 9, 2, 0), "invalid quorum 2/0"),
        ((6, 9, 4, 3), "invalid quorum 4/3"),
    ],
)
def test_quorum_refuses_impossible_input(args, message):
    with pytest.raises(ValueError, match=message):
        quorum_met(*args)


# Certificate quota (rule 21) ------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "quota"),
    [
        ({"members": 7}, 3),
        ({"members": 10}, 4),
        ({"members": 9}, 4),
        ({"members": 11}, 5),
        ({"members": 5}, 2),
        ({"members": 2}, 0),
        ({"members": 1}, 0),
        ({"members": 0}, 0),
        # no flag this year: all members count
        ({"members": 7, "flag_units": 0}, 3),
        ({"members": 10, "flag_units": 0}, 5),
        # two leading flags (Nam Định 2021)
        ({"members": 12, "flag_units": 2}, 5),
        # another share
        ({"members": 10, "percent": 30}, 2),
        ({"members": 7, "percent": D("57.5")}, 3),
        ({"members": 9, "percent": 100}, 8),
        ({"members": 9, "percent": 0}, 0),
    ],
)
def test_certificate_quota(kwargs, quota):
    assert certificate_quota(**kwargs) == quota


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"members": -1}, "members cannot be negative"),
        ({"members": 7, "flag_units": -1}, "flag_units cannot be negative"),
        ({"members": 7, "percent": 101}, "percent must be between 0 and 100"),
        ({"members": 7, "percent": -5}, "percent must be between 0 and 100"),
    ],
)
def test_certificate_quota_refuses_impossible_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        certificate_quota(**kwargs)
