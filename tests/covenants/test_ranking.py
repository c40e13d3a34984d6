"""Ranking members by total with the tie-breaks of domain rule 14, and the bloc's
per-group averages. Pure: no database."""

from decimal import Decimal as D

import pytest

from covenants.ranking import MemberScore, group_averages, rank_members


def member(agency_id, total, *, name=None, first=0, deductions=0, women=None, groups=None):
    return MemberScore(
        agency_id=agency_id,
        name=name or f"Sở {agency_id:02d}",
        total=D(total),
        group_totals=groups if groups is not None else {"I": D(first), "II": D(10)},
        deduction_total=D(deductions),
        female_share=None if women is None else D(women),
    )


def table(rows):
    """(agency id, rank, decided_by, tie_unresolved) per row, in order."""
    return [(row.member.agency_id, row.rank, row.decided_by, row.tie_unresolved) for row in rows]


def test_members_are_ranked_by_total_descending():
    rows = rank_members([member(1, 80), member(2, "96.5"), member(3, 85), member(4, "96.25")])

    assert table(rows) == [
        (2, 1, None, False),
        (4, 2, None, False),
        (3, 3, None, False),
        (1, 4, None, False),
    ]


def test_no_members_no_rows():
    assert rank_members([]) == []


def test_a_single_member_ranks_first():
    assert table(rank_members([member(7, 50)])) == [(7, 1, None, False)]


@pytest.mark.parametrize(
    ("first", "second", "rule"),
    [
        # (a) the higher group I score
        (member(1, 90, first=45), member(2, 90, first=40), "first_group"),
        (member(1, 90, first="40.5", deductions=9), member(2, 90, first=40), "first_group"),
        # (b) fewer deductions, group I equal
        (
            member(1, 90, first=40, deductions=1),
            member(2, 90, first=40, deductions=3),
            "fewer_deductions",
        ),
        (
            member(1, 90, first=40, deductions=0, women="0.1"),
            member(2, 90, first=40, deductions="0.5", women="0.9"),
            "fewer_deductions",
        ),
        # (c) ≥ 70 % women before a collective without
        (
            member(1, 90, first=40, women="0.7"),
            member(2, 90, first=40, women="0.69"),
            "female_majority",
        ),
        (member(1, 90, first=40, women="0.85"), member(2, 90, first=40), "female_majority"),
        (member(1, 90, first=40, women=1), member(2, 90, first=40, women=0), "female_majority"),
    ],
)
def test_each_tie_break_decides_in_order(first, second, rule):
    for given in ([first, second], [second, first]):
        rows = rank_members(given)

        assert table(rows) == [(1, 1, rule, False), (2, 2, rule, False)]


def test_the_tie_break_order_is_configurable():
    a = member(1, 90, first=45, deductions=5)
    b = member(2, 90, first=40, deductions=1)

    default = rank_members([a, b])
    deductions_first = rank_members([a, b], tie_breaks=("fewer_deductions", "first_group"))

    assert [row.member.agency_id for row in default] == [1, 2]
    assert table(deductions_first) == [
        (2, 1, "fewer_deductions", False),
        (1, 2, "fewer_deductions", False),
    ]


def test_the_first_group_is_configurable():
    a = member(1, 90, groups={"I": D(40), "II": D(12)})
    b = member(2, 90, groups={"I": D(45), "II": D(10)})

    rows = rank_members([a, b], first_group="II")

    assert table(rows) == [(1, 1, "first_group", False), (2, 2, "first_group", False)]


def test_a_member_without_the_first_group_counts_0_there():
    rows = rank_members([member(1, 90, groups={}), member(2, 90, groups={"I": D(1)})])

    assert [row.member.agency_id for row in rows] == [2, 1]


def test_an_unknown_tie_break_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown tie-break 'coin_toss'"):
        rank_members([member(1, 90)], tie_breaks=("first_group", "coin_toss"))


# Unresolved ties -----------------------------------------------------------


def test_unresolved_ties_share_a_rank_with_competition_ranking():
    rows = rank_members(
        [
            member(1, 85),
            member(2, 90, first=40),
            member(3, 95),
            member(4, 90, first=40),
            member(5, 80),
        ]
    )

    assert table(rows) == [
        (3, 1, None, False),
        (2, 2, None, True),
        (4, 2, None, True),
        (1, 4, None, False),
        (5, 5, None, False),
    ]


def test_three_way_tie_then_the_next_rank_skips_two():
    rows = rank_members([member(i, 70, first=30) for i in (1, 2, 3)] + [member(4, 60)])

    assert [row.rank for row in rows] == [1, 1, 1, 4]
    assert [row.tie_unresolved for row in rows] == [True, True, True, False]


def test_without_tie_breaks_equal_totals_stay_tied():
    rows = rank_members([member(1, 90, first=45), member(2, 90, first=40)], tie_breaks=())

    assert table(rows) == [(1, 1, None, True), (2, 1, None, True)]


def test_a_tied_block_reports_the_rule_that_separated_it_from_the_rows_around_it():
    rows = rank_members(
        [
            member(1, 90, first=40, deductions=2),
            member(2, 90, first=45),
            member(3, 90, first=40, deductions=2),
            member(4, 90, first=40, deductions=1),
            member(5, 88),
        ]
    )

    assert table(rows) == [
        (2, 1, "first_group", False),
        (4, 2, "first_group", False),  # from the row above; fewer deductions below
        (1, 3, "fewer_deductions", True),
        (3, 3, "fewer_deductions", True),
        (5, 5, None, False),
    ]


def test_tied_names_follow_vietnamese_alphabetical_order():
    names = [
        "Hội Nông dân tỉnh",
        "Đài Phát thanh và Truyền hình",
        "Ủy ban MTTQ",
        "Ban Dân tộc",
        "Văn phòng",
    ]
    scores = [member(i, 90, name=name, first=40) for i, name in enumerate(names, start=1)]

    rows = rank_members(scores)

    assert [row.member.name for row in rows] == [
        "Ban Dân tộc",
        "Đài Phát thanh và Truyền hình",
        "Hội Nông dân tỉnh",
        "Ủy ban MTTQ",
        "Văn phòng",
    ]
    assert sorted(names) != [row.member.name for row in rows]  # code points would differ
    assert {row.rank for row in rows} == {1}


def test_names_only_order_tied_rows_never_a_decided_one():
    rows = rank_members(
        [member(1, 90, name="An Giang", first=40), member(2, 90, name="Yên Bái", first=41)]
    )

    assert [row.member.name for row in rows] == ["Yên Bái", "An Giang"]


def test_ranking_is_stable_for_identical_names_by_agency_id():
    rows = rank_members([member(9, 90, name="Sở Y tế"), member(3, 90, name="Sở Y tế")])

    assert [row.member.agency_id for row in rows] == [3, 9]


def test_member_score_is_frozen():
    with pytest.raises(AttributeError):
        member(1, 90).total = D(100)


# Group averages ------------------------------------------------------------


def test_group_averages_per_group_code():
    scores = [
        member(1, 0, groups={"I": D(45), "II": D("12.5"), "III": D(10)}),
        member(2, 0, groups={"I": D(40), "II": D(14), "III": D(10)}),
        member(3, 0, groups={"I": D(41), "II": D(13), "III": D(11)}),
    ]

    averages = group_averages(scores)

    assert averages == {"I": D("42.00"), "II": D("13.17"), "III": D("10.33")}
    assert list(averages) == ["I", "II", "III"]
    assert str(averages["I"]) == "42.00"


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["2.34", "2.35"], "2.35"),  # 2.345 half up
        (["2.34", "2.348"], "2.34"),  # 2.344
        (["10", "20", "20"], "16.67"),
        (["0"], "0.00"),
    ],
)
def test_group_averages_round_half_up(values, expected):
    scores = [member(i, 0, groups={"I": D(v)}) for i, v in enumerate(values)]

    assert str(group_averages(scores)["I"]) == expected


def test_group_averages_count_only_members_having_the_group():
    scores = [member(1, 0, groups={"I": D(40), "VI": D(10)}), member(2, 0, groups={"I": D(30)})]

    assert group_averages(scores) == {"I": D(35), "VI": D(10)}


def test_group_averages_of_nobody_are_empty():
    assert group_averages([]) == {}
