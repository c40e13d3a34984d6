"""The scoring-sheet rules on pure drafts (valid sheets, totals, issue lists): no database."""

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
from tests.covenants.sheet_helpers import (
    II,
    VI,
    VII,
    I,
    V,
    base,
    issue_keys,
    with_criterion,
    with_group,
)

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
