"""The tally after the last round (fallbacks), the flag nominee's rank
(rule 18) and impossible input: pure, no database."""

from dataclasses import replace
from decimal import Decimal as D

import pytest
from django.utils import translation

from awards.tally import (
    Base,
    Fallback,
    PollKind,
    Threshold,
    tally,
)
from tests.awards.tally_helpers import (
    MORE_THAN_HALF,
    THIRD_OF_VALID,
    TWO_THIRDS,
    cand,
    ids,
    poll,
    table,
)

# After the last round: the fallbacks -----------------------------------------


def test_score_ranking_breaks_a_tie_after_the_last_round():
    candidates = [cand(3, rank=4), cand(4, rank=3)]
    outcome = tally(poll({3: 4, 4: 4}, candidates=candidates, threshold=THIRD_OF_VALID, round=2))

    assert ids(outcome.elected) == [4]
    assert outcome.fallback_applied == Fallback.SCORE_RANKING
    assert (outcome.next_round, outcome.seats_left, outcome.needs_decision) == ((), 0, False)
    assert outcome.warnings == ("No decision after round 2: the score ranking chooses Sở 04.",)
    texts = {r.candidate.agency_id: r.text for r in outcome.results}
    assert (
        texts[4] == "4/9 votes = 44.44 % ≥ 1/3 of valid ballots; chosen by score ranking (rank 3)"
    )
    assert texts[3] == "4/9 votes = 44.44 % ≥ 1/3 of valid ballots"


def test_score_ranking_fills_the_places_left_after_those_elected():
    outcome = tally(
        poll({1: 8, 2: 4, 3: 4, 4: 4, 5: 3}, seats=3, round=2, fallback=Fallback.SCORE_RANKING)
    )

    assert ids(outcome.elected) == [1, 2, 3]
    assert outcome.seats_left == 0
    assert [r.passed for r in outcome.results] == [True, False, False, False, False]


def test_score_ranking_puts_unranked_candidates_last():
    candidates = [cand(1, rank=None), cand(2, rank=5)]
    outcome = tally(poll({1: 3, 2: 1}, candidates=candidates, round=2))

    assert ids(outcome.elected) == [2]
    assert outcome.results[1].text.endswith("; chosen by score ranking (rank 5)")


def test_score_ranking_may_choose_an_unranked_candidate():
    outcome = tally(poll({1: 3}, candidates=[cand(1, rank=None)], round=2))

    assert ids(outcome.elected) == [1]
    assert outcome.results[0].text == (
        "3/9 votes = 33.33 % ≤ 1/2 of all members; chosen by score ranking (unranked)"
    )


def test_score_ranking_cannot_split_a_shared_rank_the_chair_decides():
    candidates = [cand(1, rank=3), cand(2, rank=3), cand(3, rank=5)]
    outcome = tally(poll({1: 2, 2: 2, 3: 2}, candidates=candidates, round=2))

    assert outcome.elected == ()
    assert outcome.fallback_applied == Fallback.SCORE_RANKING
    assert outcome.needs_decision
    assert ids(outcome.next_round) == [1, 2]
    assert outcome.seats_left == 1
    assert outcome.warnings == (
        "Sở 01, Sở 02 share a score rank: the chair and vice-chair choose 1 of them.",
    )


def test_the_chair_and_vice_chair_decide_after_the_last_round():
    outcome = tally(
        poll({1: 8, 2: 6, 3: 6, 4: 6}, seats=3, round=2, fallback=Fallback.CHAIR_DECIDES)
    )

    assert ids(outcome.elected) == [1]
    assert outcome.fallback_applied == Fallback.CHAIR_DECIDES
    assert outcome.needs_decision
    assert ids(outcome.next_round) == [2, 3, 4]
    assert outcome.seats_left == 2
    assert outcome.warnings == (
        "No decision after round 2: the chair and vice-chair choose 2 of Sở 02, Sở 03, Sở 04.",
    )


def test_the_places_stay_empty_after_the_last_round():
    outcome = tally(poll({1: 4, 2: 3}, kind=PollKind.FLAG, round=2, fallback=Fallback.UNASSIGNED))

    assert outcome.elected == ()
    assert outcome.fallback_applied == Fallback.UNASSIGNED
    assert (outcome.next_round, outcome.seats_left, outcome.needs_decision) == ((), 1, False)
    assert outcome.warnings == ("No decision after round 2: places left unassigned: 1.",)


@pytest.mark.parametrize("fallback", list(Fallback))
def test_a_single_round_poll_falls_back_at_once(fallback):
    outcome = tally(poll({1: 4, 2: 4}, threshold=THIRD_OF_VALID, max_rounds=1, fallback=fallback))

    assert outcome.fallback_applied == fallback


@pytest.mark.parametrize("fallback", list(Fallback))
def test_no_fallback_when_the_last_round_decides(fallback):
    outcome = tally(poll({1: 6, 2: 3}, round=2, fallback=fallback))

    assert ids(outcome.elected) == [1]
    assert outcome.fallback_applied is None
    assert not outcome.needs_decision


def test_a_round_past_the_last_is_the_last():
    outcome = tally(poll({1: 4}, round=3, max_rounds=2, fallback=Fallback.UNASSIGNED))

    assert outcome.fallback_applied == Fallback.UNASSIGNED


# The flag nominee should rank first by score (rule 18) -----------------------


def test_a_flag_nominee_ranked_first_raises_no_warning():
    outcome = tally(poll({1: 7, 2: 2}, kind=PollKind.FLAG))

    assert ids(outcome.elected) == [1]
    assert outcome.warnings == ()


def test_a_flag_nominee_not_first_by_score_is_flagged():
    candidates = [cand(1, rank=2, name="Sở Văn hóa – Thể thao"), cand(2, rank=1)]
    outcome = tally(poll({1: 7, 2: 2}, candidates=candidates, kind="flag"))

    assert ids(outcome.elected) == [1]
    assert outcome.warnings == (
        "Sở Văn hóa – Thể thao is proposed for the flag but is ranked 2 by score: "
        "the proposal must give the reason.",
    )


def test_an_unranked_flag_nominee_is_flagged():
    outcome = tally(poll({1: 7}, candidates=[cand(1, rank=None)], kind=PollKind.FLAG))

    assert outcome.warnings == (
        "Sở 01 is proposed for the flag but has no score rank: the proposal must give the reason.",
    )


def test_a_flag_chosen_by_score_ranking_is_checked_too():
    candidates = [cand(1, rank=2), cand(2, rank=3)]
    outcome = tally(
        poll({1: 4, 2: 4}, candidates=candidates, kind="flag", round=2, threshold=THIRD_OF_VALID)
    )

    assert ids(outcome.elected) == [1]
    assert outcome.warnings[-1].startswith("Sở 01 is proposed for the flag but is ranked 2")


def test_certificates_are_not_checked_against_rank_one():
    outcome = tally(poll({3: 7}, candidates=[cand(3)], kind=PollKind.CERTIFICATE))

    assert outcome.warnings == ()


# Impossible input ------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"members": -1, "present": 0}, "members cannot be negative"),
        ({"seats": -1}, "seats cannot be negative"),
        ({"ballots_valid": -1}, "ballots_valid cannot be negative"),
        ({"present": 10}, r"present \(10\) cannot exceed members \(9\)"),
        (
            {"present": 6, "ballots_cast": 7},
            r"ballots cast \(7\) cannot exceed units present \(6\)",
        ),
        ({"ballots_cast": 8}, r"valid ballots \(9\) cannot exceed ballots cast \(8\)"),
        ({"votes": {1: 5, 7: 1}}, "votes for agency 7, which is not a candidate"),
        ({"votes": {1: 10}}, "agency 1 has 10 votes but there are only 9 valid ballots"),
        ({"votes": {1: -2}}, "votes for agency 1 cannot be negative"),
        ({"votes": {1: True}}, "votes for agency 1 must be a whole number"),
        ({"votes": {1: 6, 2: 5}}, "11 votes on 9 valid ballots for 1 place"),
        ({"candidates": [cand(1), cand(1), cand(2)]}, "agency 1 is a candidate twice"),
        ({"candidates": [cand(1, rank=0), cand(2)]}, "a score rank starts at 1, not 0"),
        ({"kind": "medal"}, "unknown poll kind 'medal'"),
        ({"kind": PollKind.CHAIR, "seats": 2}, "a chair poll fills exactly 1 place, not 2"),
        ({"kind": PollKind.VICE_CHAIR, "seats": 0}, "a vice_chair poll fills exactly 1 place"),
        ({"round": 0}, "round must be at least 1"),
        ({"max_rounds": 0}, "max_rounds must be at least 1"),
        ({"fallback": "coin_toss"}, "'coin_toss'"),
    ],
)
def test_impossible_input_is_refused(changes, message):
    with pytest.raises(ValueError, match=message):
        tally(replace(poll({1: 5, 2: 4}), **changes))


def test_missing_votes_count_zero():
    outcome = tally(poll({1: 6}, candidates=[cand(1), cand(2)]))

    assert table(outcome)[1] == (2, 0, D("0.00"), False)


# Texts for the minutes --------------------------------------------------------


@pytest.mark.parametrize(
    ("threshold", "votes", "text"),
    [
        (TWO_THIRDS, 7, "7/9 votes = 77.78 % ≥ 2/3 of all members"),
        (TWO_THIRDS, 6, "6/9 votes = 66.67 % ≥ 2/3 of all members"),
        (TWO_THIRDS, 4, "4/9 votes = 44.44 % < 2/3 of all members"),
        (MORE_THAN_HALF, 5, "5/9 votes = 55.56 % > 1/2 of all members"),
        (MORE_THAN_HALF, 4, "4/9 votes = 44.44 % ≤ 1/2 of all members"),
        (Threshold(4, 5, False, Base.PRESENT), 7, "7/8 votes = 87.50 % ≥ 4/5 of members present"),
        (Threshold(4, 5, False, Base.PRESENT), 6, "6/8 votes = 75.00 % < 4/5 of members present"),
        (Threshold(1, 2, True, Base.VALID), 3, "3/7 votes = 42.86 % ≤ 1/2 of valid ballots"),
        (Threshold(1, 2, True, Base.VALID), 7, "7/7 votes = 100.00 % > 1/2 of valid ballots"),
        (Threshold(1, 2, True, Base.VALID), 0, "0/7 votes = 0.00 % ≤ 1/2 of valid ballots"),
    ],
)
def test_candidate_texts(threshold, votes, text):
    # 9 members, 8 present, 7 valid ballots
    outcome = tally(poll({1: votes}, present=8, valid=7, threshold=threshold))

    assert outcome.results[0].text == text


def test_texts_in_vietnamese():
    with translation.override("vi"):
        outcome = tally(poll({1: 7, 2: 2}, threshold=TWO_THIRDS, kind=PollKind.FLAG))

    assert outcome.results[0].text == "7/9 phiếu = 77,78 % ≥ 2/3 tổng số thành viên"
    assert outcome.results[1].text == "2/9 phiếu = 22,22 % < 2/3 tổng số thành viên"
    assert outcome.rule_text == "từ 2/3 tổng số thành viên trở lên: cần 6 phiếu"


@pytest.mark.parametrize(
    ("threshold", "text", "rule"),
    [
        (
            MORE_THAN_HALF,
            "5/9 phiếu = 55,56 % > 1/2 tổng số thành viên",
            "trên 1/2 tổng số thành viên: cần 5 phiếu",
        ),
        (
            Threshold(1, 2, True, Base.PRESENT),
            "5/9 phiếu = 55,56 % > 1/2 số thành viên có mặt",
            "trên 1/2 số thành viên có mặt: cần 5 phiếu",
        ),
        (
            Threshold(4, 5, False, Base.VALID),
            "5/9 phiếu = 55,56 % < 4/5 số phiếu hợp lệ",
            "từ 4/5 số phiếu hợp lệ trở lên: cần 8 phiếu",
        ),
    ],
)
def test_vietnamese_bases_and_rules(threshold, text, rule):
    with translation.override("vi"):
        outcome = tally(poll({1: 5}, threshold=threshold))

    assert (outcome.results[0].text, outcome.rule_text) == (text, rule)


def test_vietnamese_warnings():
    candidates = [cand(1, rank=2, name="Sở Y tế"), cand(2, rank=1, name="Sở Nội vụ")]
    with translation.override("vi"):
        outcome = tally(poll({1: 7, 2: 2}, candidates=candidates, kind=PollKind.FLAG))

    assert outcome.warnings == (
        "Sở Y tế được đề nghị tặng Cờ thi đua nhưng xếp hạng 2 theo điểm: "
        "tờ trình phải nêu rõ lý do.",
    )


def test_vietnamese_round_and_fallback_warnings():
    with translation.override("vi"):
        tie = tally(poll({1: 4, 2: 4, 3: 1}, threshold=THIRD_OF_VALID))
        decide = tally(poll({1: 4, 2: 3}, round=2, fallback=Fallback.CHAIR_DECIDES))
        empty = tally(
            poll(
                {1: 0},
                valid=0,
                threshold=THIRD_OF_VALID,
                max_rounds=1,
                fallback=Fallback.UNASSIGNED,
            )
        )

    assert tie.warnings == (
        "Bằng phiếu (4 phiếu): Sở 01, Sở 02. Vòng 2 chọn 1 trong số các đơn vị này.",
    )
    assert decide.warnings == (
        "Chưa có kết quả sau vòng 2: khối trưởng và khối phó chọn 1 trong số Sở 01, Sở 02.",
    )
    assert empty.warnings == (
        "Không đơn vị nào có thể đạt: cần 1 phiếu, chỉ có 0 phiếu hợp lệ.",
        "Chưa có kết quả sau vòng 1: số vị trí để trống: 1.",
    )
