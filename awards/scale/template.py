"""The scale dataset's scoring sheet and the scores entered on it: pure, no database.

Every generated bloc-year uses the same sheet, built here as a
:class:`~covenants.sheet_rules.TemplateDraft` with exactly the asked number of scored
lines (``--criteria``, 40 by default), so that it passes the same rules as a sheet typed
in by a secretariat (:func:`covenants.sheet_rules.template_issues`): four regular groups
worth 100 points (points, pass/fail, one count line and a criterion with two
sub-criteria in each group that is large enough), a bonus group and a deduction group.

:func:`line_values` draws one member's values line by line from a seeded random
generator, as the pages store them (points, 1/0 for pass/fail, a number of items for
counted lines); the totals and the ranking come from the app's own pure modules
(:mod:`covenants.scoring`, :mod:`covenants.ranking`), so they are what the pages show.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from covenants.scoring import SheetLine, scored_lines
from covenants.sheet_rules import CriterionDraft, GroupDraft, Kind, TemplateDraft

__all__ = ["LineValues", "line_values", "scale_template", "template_lines"]

_CENT = Decimal("0.01")
_ZERO = Decimal("0.00")

#: Regular groups: code, title, maximum (they add up to the base total, 100).
REGULAR_GROUPS = (
    ("I", "Thực hiện nhiệm vụ chính trị, chuyên môn được giao", 40),
    ("II", "Cải cách hành chính và chuyển đổi số", 25),
    ("III", "Công tác thi đua, khen thưởng", 20),
    ("IV", "Xây dựng Đảng, chính quyền và các đoàn thể", 15),
)
BONUS_GROUP = ("V", "Điểm thưởng", 10)
DEDUCTION_GROUP = ("VI", "Điểm trừ", 10)

TOPICS = (
    "Hoàn thành các chỉ tiêu, nhiệm vụ kế hoạch năm của ngành",
    "Tham mưu ban hành văn bản, chính sách thuộc lĩnh vực được giao",
    "Thực hiện các nhiệm vụ đột xuất được giao",
    "Ứng dụng công nghệ thông tin, chuyển đổi số trong hoạt động",
    "Giải quyết thủ tục hành chính đúng hạn",
    "Thực hiện chế độ thông tin, báo cáo",
    "Tổ chức phát động phong trào thi đua",
    "Sáng kiến được Hội đồng sáng kiến công nhận",
    "Xây dựng, nhân rộng điển hình tiên tiến",
    "Công tác phòng, chống tham nhũng, tiêu cực",
    "Thực hành tiết kiệm, chống lãng phí",
    "Tham gia hoạt động chung của Khối",
)


def _title(index: int) -> str:
    topic = TOPICS[index % len(TOPICS)]
    return topic if index < len(TOPICS) else f"{topic} ({index // len(TOPICS) + 1})"


def _shares(total: Decimal, parts: int) -> list[Decimal]:
    """``total`` split into ``parts`` amounts of two decimals that add up to it."""
    each = (total / parts).quantize(_CENT, rounding=ROUND_DOWN)
    shares = [each] * parts
    shares[0] += total - each * parts
    return shares


def _regular_group(code: str, title: str, maximum: int, lines: int, offset: int) -> GroupDraft:
    maxima = _shares(Decimal(maximum), lines)
    criteria = []
    index = 0
    while index < lines:
        number = len(criteria) + 1
        line_max = maxima[index]
        if lines >= 4 and index == 1:
            # A criterion scored as the sum of two sub-criteria (2.1, 2.2).
            children = (
                CriterionDraft(
                    f"{number}.1", _title(offset + index), Kind.POINTS.value, maxima[index]
                ),
                CriterionDraft(
                    f"{number}.2", _title(offset + index + 1), Kind.PASS_FAIL.value, maxima[2]
                ),
            )
            criteria.append(
                CriterionDraft(
                    str(number),
                    "Thực hiện nhiệm vụ phối hợp",
                    Kind.POINTS.value,
                    maxima[index] + maxima[2],
                    children=children,
                )
            )
            index += 2
            continue
        if code == "III" and index == 0:
            kind, per_item = Kind.COUNT.value, (line_max / 4).quantize(_CENT, rounding=ROUND_DOWN)
        elif index % 5 == 4:
            kind, per_item = Kind.PASS_FAIL.value, None
        else:
            kind, per_item = Kind.POINTS.value, None
        criteria.append(
            CriterionDraft(
                str(number),
                _title(offset + index),
                kind,
                line_max,
                points_per_item=per_item,
                evidence_required=index % 3 == 0,
                guidance="Căn cứ báo cáo tổng kết năm và minh chứng kèm theo."
                if index % 3 == 0
                else "",
            )
        )
        index += 1
    return GroupDraft(code, title, Decimal(maximum), tuple(criteria))


def scale_template(lines: int = 40) -> TemplateDraft:
    """The sheet every scale bloc-year uses, with ``lines`` scored lines (at least 8)."""
    if lines < 8:
        raise ValueError("a scale sheet has at least 8 scored lines")
    regular = lines - 4  # two bonus and two deduction lines
    sizes = [regular // 4 + (1 if i < regular % 4 else 0) for i in range(4)]
    groups = []
    offset = 0
    for (code, title, maximum), size in zip(REGULAR_GROUPS, sizes, strict=True):
        groups.append(_regular_group(code, title, maximum, size, offset))
        offset += size
    code, title, maximum = BONUS_GROUP
    groups.append(
        GroupDraft(
            code,
            title,
            Decimal(maximum),
            (
                CriterionDraft("1", "Được khen thưởng đột xuất", Kind.BONUS.value, Decimal(5)),
                CriterionDraft(
                    "2",
                    "Sáng kiến cấp tỉnh được công nhận",
                    Kind.BONUS.value,
                    Decimal(5),
                    points_per_item=Decimal(1),
                    evidence_required=True,
                ),
            ),
        )
    )
    code, title, maximum = DEDUCTION_GROUP
    groups.append(
        GroupDraft(
            code,
            title,
            Decimal(maximum),
            (
                CriterionDraft("1", "Gửi báo cáo chậm", Kind.DEDUCTION.value, Decimal(5)),
                CriterionDraft(
                    "2",
                    "Cán bộ bị kỷ luật",
                    Kind.DEDUCTION.value,
                    Decimal(6),
                    points_per_item=Decimal(2),
                ),
            ),
        )
    )
    return TemplateDraft(
        groups=tuple(groups), base_total=Decimal(100), bonus_cap=Decimal(10), deduction_cap=None
    )


def template_lines(draft: TemplateDraft) -> list[SheetLine]:
    """The scored lines in sheet order (their ``key`` is the score line's)."""
    return scored_lines(draft)


@dataclass(frozen=True)
class LineValues:
    self_value: Decimal
    review_value: Decimal
    #: Why the agreed value departs from the self-score ("" when it does not).
    reason: str


def _items(criterion: CriterionDraft) -> int:
    """The number of items that reaches the line's maximum."""
    per_item = criterion.points_per_item
    return int((criterion.max_points / per_item).to_integral_value(rounding="ROUND_CEILING"))


def _points(criterion: CriterionDraft, quality: float) -> Decimal:
    """A share of the maximum in twentieths, never above it."""
    steps = max(0, min(20, int(quality * 20)))
    return (criterion.max_points * steps / 20).quantize(_CENT, rounding=ROUND_DOWN)


def _self_value(rng: random.Random, criterion: CriterionDraft, skill: float) -> Decimal:
    kind = Kind(criterion.kind)
    if kind == Kind.PASS_FAIL:
        return Decimal(1) if rng.random() < skill + 0.1 else Decimal(0)
    if criterion.points_per_item is not None:  # counted: a number of items
        most = _items(criterion)
        if kind == Kind.DEDUCTION:
            return Decimal(1) if rng.random() < 0.1 else Decimal(0)
        if kind == Kind.BONUS:
            return Decimal(rng.randint(0, most))
        return Decimal(most if rng.random() < skill else rng.randrange(most))
    if kind == Kind.DEDUCTION:
        return _points(criterion, rng.random()) if rng.random() < 0.15 else _ZERO
    if kind == Kind.BONUS:
        return _points(criterion, rng.random()) if rng.random() < 0.5 else _ZERO
    return _points(criterion, skill + rng.uniform(-0.12, 0.1))


def line_values(
    rng: random.Random, lines: list[SheetLine], skill: float, *, reviewed: bool
) -> list[LineValues]:
    """One member's values, line by line: the self-score and, when ``reviewed``, the
    cross-review, which lowers a few point lines a little (the agreed value follows the
    review, with a reason)."""
    values = []
    for line in lines:
        own = _self_value(rng, line.criterion, skill)
        review = own
        if (
            reviewed
            and line.criterion.kind == Kind.POINTS.value
            and own >= Decimal("0.5")
            and rng.random() < 0.06
        ):
            review = own - Decimal("0.5")
        reason = "Thống nhất theo kết quả chấm chéo." if review != own else ""
        values.append(LineValues(own, review, reason))
    return values
