"""The scoring-sheet rules on pure drafts: no database."""

from dataclasses import replace
from decimal import Decimal as D

import pytest

from covenants.sheet_examples import culture_society_draft
from covenants.sheet_rules import (
    CriterionDraft,
    GroupDraft,
    GroupKind,
    Kind,
    TemplateDraft,
    template_issues,
    template_totals,
    validate_template,
)

# Group indexes of the example sheet.
I, II, III, IV, V, VI, VII = range(7)  # noqa: E741


def with_group(draft, g, **changes):
    groups = list(draft.groups)
    groups[g] = replace(groups[g], **changes)
    return replace(draft, groups=tuple(groups))


def with_criterion(draft, g, c, **changes):
    criteria = list(draft.groups[g].criteria)
    criteria[c] = replace(criteria[c], **changes)
    return with_group(draft, g, criteria=tuple(criteria))


def with_child(draft, g, c, s, **changes):
    children = list(draft.groups[g].criteria[c].children)
    children[s] = replace(children[s], **changes)
    return with_criterion(draft, g, c, children=tuple(children))


def base():
    return culture_society_draft()


def issue_keys(draft):
    return [(issue.line, issue.field) for issue in template_issues(draft)]


# Valid sheets --------------------------------------------------------------


@pytest.mark.parametrize("base_total", [100, 1000])
def test_the_example_sheet_is_valid_at_100_and_1000_points(base_total):
    draft = culture_society_draft(base_total=base_total)

    assert validate_template(draft) == []
    assert draft.base_total == base_total


def test_a_1000_point_sheet_with_its_own_numbers_is_valid():
    draft = TemplateDraft(
        base_total=D(1000),
        bonus_cap=D(100),
        deduction_cap=D(50),
        groups=(
            GroupDraft(
                "I",
                "Sản xuất kinh doanh",
                D(600),
                (
                    CriterionDraft("1", "Doanh thu", Kind.POINTS, D(350)),
                    CriterionDraft("2", "Nộp ngân sách", Kind.POINTS, D("249.5")),
                    CriterionDraft("3", "Không nợ thuế", Kind.PASS_FAIL, D("0.5")),
                ),
            ),
            GroupDraft(
                "II",
                "Công tác xã hội",
                D(400),
                (
                    CriterionDraft(
                        "1",
                        "An sinh xã hội",
                        Kind.POINTS,
                        D(400),
                        children=(
                            CriterionDraft("1.1", "Từ thiện", Kind.COUNT, D(200), D(50)),
                            CriterionDraft("1.2", "Việc làm", Kind.POINTS, D(200)),
                        ),
                    ),
                ),
            ),
            GroupDraft(
                "III",
                "Điểm thưởng",
                D(100),
                (CriterionDraft("1", "Cờ của Chính phủ", Kind.BONUS, D(100)),),
            ),
            GroupDraft(
                "IV",
                "Điểm trừ",
                D(50),
                (CriterionDraft("1", "Vi phạm", Kind.DEDUCTION, D(50), D(10)),),
            ),
        ),
    )

    assert validate_template(draft) == []
    totals = template_totals(draft)
    assert (totals.regular, totals.bonus, totals.deduction, totals.highest) == (
        D(1000),
        D(100),
        D(50),
        D(1100),
    )


def test_a_government_flag_worth_15_is_valid_when_the_bonus_cap_is_15():
    draft = with_criterion(base(), VI, 0, max_points=D(15))
    draft = replace(with_group(draft, VI, max_points=D(15)), bonus_cap=D(15))

    assert validate_template(draft) == []


def test_bonus_lines_are_alternatives_and_need_not_add_up_to_the_group():
    # 10 + 5 + 6 = 21 > 10: each is capped by the group's 10 when scoring.
    draft = base()

    assert sum(c.max_points for c in draft.groups[VI].criteria) > draft.groups[VI].max_points
    assert validate_template(draft) == []


def test_sub_criteria_are_allowed_in_a_bonus_group_under_a_bonus_parent():
    children = (
        CriterionDraft("3.1", "Sáng kiến", Kind.BONUS, D(4), D(2)),
        CriterionDraft("3.2", "Mô hình mới", Kind.BONUS, D(2)),
    )
    draft = with_criterion(base(), VI, 2, points_per_item=None, children=children)

    assert validate_template(draft) == []


def test_group_kinds_follow_their_criteria():
    kinds = [group.kind for group in base().groups]

    assert kinds == [GroupKind.REGULAR] * 5 + [GroupKind.BONUS, GroupKind.DEDUCTION]


def test_totals_of_the_example_sheet():
    totals = template_totals(base())

    assert totals.regular == D(100)
    assert totals.bonus == D(10)
    assert totals.deduction == D(20)
    assert totals.highest == D(110)
    assert totals.groups == 7
    # 4 + 1 (I.2 has two) ... every criterion without children, plus sub-criteria.
    assert totals.scored_lines == 28


def test_totals_cap_the_bonus_and_the_deductions():
    draft = replace(base(), bonus_cap=D(10), deduction_cap=D(8))
    draft = with_group(draft, VII, max_points=D(8))

    totals = template_totals(draft)

    assert (totals.bonus, totals.deduction) == (D(10), D(8))


# Each rule -----------------------------------------------------------------

CASES = [
    # (id, change, line, field, message)
    (
        "regular groups must add up to the base total",
        lambda d: replace(d, base_total=D(90)),
        (),
        "base_total",
        "The regular groups add up to 100 points, not the base total of 90.",
    ),
    (
        "criteria must add up to their group",
        lambda d: with_criterion(d, II, 2, max_points=D(4)),
        (II,),
        "max_points",
        "II – Cải cách hành chính và chuyển đổi số: its criteria add up to 16 points, "
        "not the group's 15.",
    ),
    (
        "sub-criteria must add up to their criterion",
        lambda d: with_child(d, I, 1, 0, max_points=D(5)),
        (I, 1),
        "max_points",
        "I.2 – Tham mưu UBND tỉnh ban hành văn bản, chính sách thuộc lĩnh vực được giao: "
        "its sub-criteria add up to 9 points, not the criterion's 10.",
    ),
    (
        "a count criterion needs points per item",
        lambda d: with_criterion(d, I, 3, points_per_item=None),
        (I, 3),
        "points_per_item",
        "I.4 – Có mô hình, cách làm hay được cấp có thẩm quyền công nhận, nhân rộng: "
        "a count criterion needs the points per item.",
    ),
    (
        "points per item must be more than 0",
        lambda d: with_criterion(d, I, 3, points_per_item=D(0)),
        (I, 3),
        "points_per_item",
        "I.4 – Có mô hình, cách làm hay được cấp có thẩm quyền công nhận, nhân rộng: "
        "the points per item must be more than 0.",
    ),
    (
        "points per item cannot exceed the maximum",
        lambda d: with_criterion(d, I, 3, points_per_item=D(6)),
        (I, 3),
        "points_per_item",
        "I.4 – Có mô hình, cách làm hay được cấp có thẩm quyền công nhận, nhân rộng: "
        "the points per item (6) exceed the maximum (5).",
    ),
    (
        "a points criterion has no points per item",
        lambda d: with_criterion(d, II, 2, points_per_item=D(1)),
        (II, 2),
        "points_per_item",
        "II.3 – Ứng dụng CNTT, văn bản điện tử và chữ ký số: only count, bonus and "
        "deduction lines have points per item; leave it blank for a points line.",
    ),
    (
        "a bonus line may not exceed the bonus cap",
        lambda d: with_criterion(d, VI, 0, max_points=D(12)),
        (VI, 0),
        "max_points",
        "VI.1 – Được tặng Cờ thi đua của Chính phủ hoặc của Bộ, ngành trung ương: "
        "a bonus line may add at most the bonus cap of 10 points.",
    ),
    (
        "a bonus group may not exceed the bonus cap",
        lambda d: with_group(d, VI, max_points=D(12)),
        (VI,),
        "max_points",
        "VI – Điểm thưởng: a bonus group may add at most the bonus cap of 10 points.",
    ),
    (
        "bonus groups together may not exceed the bonus cap",
        lambda d: replace(
            d,
            groups=(
                *d.groups,
                GroupDraft(
                    "VIII",
                    "Thưởng thêm",
                    D(5),
                    (CriterionDraft("1", "Bằng khen", Kind.BONUS, D(5)),),
                ),
            ),
        ),
        (),
        "bonus_cap",
        "The bonus groups VI, VIII together allow 15 points, more than the bonus cap of 10.",
    ),
    (
        "a deduction group may not exceed the deduction cap when set",
        lambda d: replace(d, deduction_cap=D(15)),
        (VII,),
        "max_points",
        "VII – Điểm trừ: a deduction group may take away at most the deduction cap of 15 points.",
    ),
    (
        "a deduction line may not exceed the deduction cap when set",
        lambda d: with_group(replace(d, deduction_cap=D(8)), VII, max_points=D(8)),
        (VII, 2),
        "max_points",
        "VII.3 – Có cán bộ bị kỷ luật hoặc vi phạm bị cơ quan có thẩm quyền kết luận: "
        "a deduction line may take away at most the deduction cap of 8 points.",
    ),
    (
        "a deduction line may not exceed its group",
        lambda d: with_criterion(d, VII, 2, max_points=D(25)),
        (VII, 2),
        "max_points",
        "VII.3 – Có cán bộ bị kỷ luật hoặc vi phạm bị cơ quan có thẩm quyền kết luận: "
        "its 25 points exceed the group's maximum of 20.",
    ),
    (
        "group codes are unique",
        lambda d: with_group(d, II, code="I"),
        (II,),
        "code",
        "I – Cải cách hành chính và chuyển đổi số: the code I is used by another group.",
    ),
    (
        "group codes are Roman numerals",
        lambda d: with_group(d, II, code="B"),
        (II,),
        "code",
        "B – Cải cách hành chính và chuyển đổi số: a group's code is a Roman numeral "
        "(I, II, III, …).",
    ),
    (
        "criterion codes are unique in their group",
        lambda d: with_criterion(d, II, 1, code="1"),
        (II, 1),
        "code",
        "II.1 – Tỷ lệ hồ sơ thủ tục hành chính giải quyết trực tuyến, đúng hạn: "
        "the code 1 is used twice in this group.",
    ),
    (
        "criterion codes are numbers",
        lambda d: with_criterion(d, II, 1, code="b"),
        (II, 1),
        "code",
        "II.b – Tỷ lệ hồ sơ thủ tục hành chính giải quyết trực tuyến, đúng hạn: "
        "a criterion's code is a number (1, 2, 3, …).",
    ),
    (
        "sub-criterion codes start with their criterion's",
        lambda d: with_child(d, I, 1, 1, code="3.2"),
        (I, 1, 1),
        "code",
        "I.3.2 – Không có văn bản bị cơ quan có thẩm quyền yêu cầu sửa đổi, bãi bỏ: "
        "a sub-criterion's code is its criterion's code, a dot and a number (2.1).",
    ),
    (
        "sub-criteria have no sub-criteria",
        lambda d: with_child(
            d,
            I,
            1,
            0,
            children=(CriterionDraft("2.1.1", "Sâu hơn", Kind.POINTS, D(6)),),
        ),
        (I, 1, 0),
        "",
        "I.2.1 – Trình đúng tiến độ theo chương trình công tác của UBND tỉnh: "
        "sub-criteria cannot have sub-criteria of their own.",
    ),
    (
        "a criterion with sub-criteria is scored as their sum",
        lambda d: with_criterion(d, I, 1, kind=Kind.PASS_FAIL),
        (I, 1),
        "kind",
        "I.2 – Tham mưu UBND tỉnh ban hành văn bản, chính sách thuộc lĩnh vực được giao: "
        "a criterion with sub-criteria is scored as their sum, so its kind is points.",
    ),
    (
        "a criterion with sub-criteria has no points per item",
        lambda d: with_criterion(d, I, 1, points_per_item=D(1)),
        (I, 1),
        "points_per_item",
        "I.2 – Tham mưu UBND tỉnh ban hành văn bản, chính sách thuộc lĩnh vực được giao: "
        "a criterion with sub-criteria is scored as their sum and has no points per item.",
    ),
    (
        "bonus criteria go in a group of their own",
        lambda d: with_criterion(d, II, 2, kind=Kind.BONUS),
        (II, 2),
        "kind",
        "II.3 – Ứng dụng CNTT, văn bản điện tử và chữ ký số: a bonus line cannot sit in a "
        "regular group; regular, bonus and deduction criteria each go in groups of their own.",
    ),
    (
        "deduction sub-criteria cannot sit under a regular criterion",
        lambda d: with_child(d, IV, 1, 0, kind=Kind.DEDUCTION),
        (IV, 1, 0),
        "kind",
        "IV.2.1 – Công đoàn cơ sở vững mạnh: a deduction line cannot sit in a regular "
        "group; regular, bonus and deduction criteria each go in groups of their own.",
    ),
    (
        "the kind must be known",
        lambda d: with_criterion(d, V, 0, kind="stars"),
        (V, 0),
        "kind",
        "V.1 – Tham gia các hoạt động văn hóa, thể thao, giao lưu do Khối tổ chức: "
        "unknown kind “stars”.",
    ),
    (
        "a criterion needs a title",
        lambda d: with_criterion(d, V, 1, title=""),
        (V, 1),
        "title",
        "V.2: the line has no title.",
    ),
    (
        "a group needs a title",
        lambda d: with_group(d, V, title=""),
        (V,),
        "title",
        "V: the group has no title.",
    ),
    (
        "a title fits the database",
        lambda d: with_criterion(d, V, 1, title="x" * 501),
        (V, 1),
        "title",
        "V.2 – " + "x" * 54 + "…: the title has 501 characters; at most 500 fit.",
    ),
    (
        "a group needs criteria",
        lambda d: with_group(d, VII, criteria=()),
        (VII,),
        "",
        "VII – Điểm trừ: the group has no criteria.",
    ),
    (
        "maxima cannot be negative",
        lambda d: with_criterion(d, V, 1, max_points=D(-1)),
        (V, 1),
        "max_points",
        "V.2 – Tham gia tham quan, học tập kinh nghiệm: the maximum points cannot be negative.",
    ),
    (
        "maxima must be more than 0",
        lambda d: with_criterion(d, V, 1, max_points=D(0)),
        (V, 1),
        "max_points",
        "V.2 – Tham gia tham quan, học tập kinh nghiệm: the maximum points must be more than 0.",
    ),
    (
        "amounts have at most two decimals",
        lambda d: with_criterion(d, V, 1, max_points=D("1.005")),
        (V, 1),
        "max_points",
        "V.2 – Tham gia tham quan, học tập kinh nghiệm: the maximum points may have at most "
        "two decimals.",
    ),
    (
        "amounts fit the database",
        lambda d: replace(d, base_total=D(100000)),
        (),
        "base_total",
        "Settings: the base total must be less than 100,000.",
    ),
    (
        "the base total is more than 0",
        lambda d: replace(d, base_total=D(0)),
        (),
        "base_total",
        "Settings: the base total must be more than 0.",
    ),
    (
        "caps cannot be negative",
        lambda d: replace(d, bonus_cap=D(-1)),
        (),
        "bonus_cap",
        "Settings: the bonus cap cannot be negative.",
    ),
    (
        "a sheet needs groups",
        lambda d: replace(d, groups=()),
        (),
        "",
        "The sheet has no groups.",
    ),
]


@pytest.mark.parametrize(
    ("change", "line", "field", "message"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_each_rule_names_the_line_and_the_field(change, line, field, message):
    issues = template_issues(change(base()))

    assert (line, field, message) in [(i.line, i.field, i.message) for i in issues]


def test_a_change_that_breaks_one_rule_reports_only_that_rule():
    draft = with_criterion(base(), II, 2, points_per_item=D(1))

    assert validate_template(draft) == [
        "II.3 – Ứng dụng CNTT, văn bản điện tử và chữ ký số: only count, bonus and deduction "
        "lines have points per item; leave it blank for a points line."
    ]


def test_a_wrong_group_total_also_breaks_the_base_total():
    draft = with_group(base(), V, max_points=D(6))

    assert issue_keys(draft) == [((V,), "max_points"), ((), "base_total")]


def test_every_problem_is_listed_at_once():
    draft = with_criterion(base(), I, 3, points_per_item=None)
    draft = with_group(draft, II, code="I")
    draft = replace(draft, deduction_cap=D(5))

    assert issue_keys(draft) == [
        ((I, 3), "points_per_item"),
        ((II,), "code"),
        ((VII, 0), "max_points"),
        ((VII, 2), "max_points"),
        ((VII,), "max_points"),
    ]


def test_sums_are_not_checked_over_broken_amounts():
    # Only the bad amount is reported, not a meaningless sum.
    draft = with_criterion(base(), V, 1, max_points="abc")

    assert issue_keys(draft) == [((V, 1), "max_points")]


def test_validate_template_returns_the_issue_messages():
    draft = with_group(base(), II, code="I")

    assert validate_template(draft) == [issue.message for issue in template_issues(draft)]
    assert all(str(issue) == issue.message for issue in template_issues(draft))
