"""Each scoring-sheet rule on pure drafts, one broken line at a time: no database."""

from dataclasses import replace
from decimal import Decimal as D

import pytest

from covenants.sheet_rules import (
    CriterionDraft,
    GroupDraft,
    Kind,
    template_issues,
)
from tests.covenants.sheet_helpers import (
    II,
    IV,
    VI,
    VII,
    I,
    V,
    base,
    with_child,
    with_criterion,
    with_group,
)

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
