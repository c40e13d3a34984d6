"""Scoring a member's sheet against a template draft: pure, no database.

A *line* is something that gets a score: a criterion without sub-criteria,
or a sub-criterion. It is addressed by its code path, ``"I.1"`` for
criterion 1 of group I and ``"I.1.2"`` for sub-criterion 1.2 (whose own
code is ``"1.2"``); a criterion with sub-criteria is scored as their sum.

What a value means depends on the criterion's kind (domain.md §3.2):

* ``points``: points from 0 to the maximum;
* ``pass_fail``: ``True`` (the maximum) or ``False`` (0);
* ``count``: a whole number ≥ 0; points = count × points per item, capped
  at the maximum;
* ``bonus`` / ``deduction``: points from 0 to the maximum, or a count as for
  ``count`` when the line has points per item. A deduction line's points
  are what it takes away, so they are positive too.

A line whose criterion requires evidence counts 0 without it when
``require_evidence`` is on (domain.md §9 rule 11). A missing or invalid
value counts 0 and is listed, so a page can show every problem at once.

Totals: each regular, bonus and deduction group is capped at its maximum;
bonus groups together are capped at the template's bonus cap, deduction
groups at its deduction cap when there is one; a late sheet loses
``late_deduction`` points (rule 13, default 2); the total is regular +
bonus − deduction − late penalty and never below 0.

Rounding: all arithmetic is in :class:`~decimal.Decimal` (never float).
Every line's points, and every subtotal and total, are rounded to two
decimal places with ``ROUND_HALF_UP`` (2.345 → 2.35, 2.344 → 2.34), the
way a score is written on paper; sums are taken of the rounded lines.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from .sheet_rules import (
    CriterionDraft,
    GroupDraft,
    GroupKind,
    Kind,
    TemplateDraft,
    format_points,
)

__all__ = [
    "DEFAULT_LATE_DEDUCTION",
    "LineInput",
    "ScoreError",
    "SheetLine",
    "SheetScore",
    "line_key",
    "line_points",
    "review_gaps",
    "round_points",
    "score_sheet",
    "scored_lines",
]

DEFAULT_LATE_DEDUCTION = Decimal(2)
_CENT = Decimal("0.01")
_ZERO = Decimal("0.00")


class ScoreError(ValueError):
    """A line's value does not fit its criterion; ``str()`` names the line."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def round_points(value) -> Decimal:
    """``value`` as points: two decimals, half up (2.345 → 2.35)."""
    return Decimal(value).quantize(_CENT, rounding=ROUND_HALF_UP)


def line_key(group_code: str, criterion_code: str) -> str:
    """``("I", "1")`` → ``"I.1"``; ``("I", "1.2")`` → ``"I.1.2"``."""
    return f"{group_code}.{criterion_code}"


@dataclass(frozen=True)
class SheetLine:
    """A scored line of a draft, with where it sits."""

    key: str
    group: GroupDraft
    criterion: CriterionDraft
    #: The criterion holding this sub-criterion, or None for a criterion.
    parent: CriterionDraft | None = None


def scored_lines(draft: TemplateDraft) -> list[SheetLine]:
    """Every line that gets a score, in sheet order (parents are not scored)."""
    lines = []
    for group in draft.groups:
        for criterion in group.criteria:
            if criterion.children:
                lines.extend(
                    SheetLine(line_key(group.code, child.code), group, child, criterion)
                    for child in criterion.children
                )
            else:
                lines.append(SheetLine(line_key(group.code, criterion.code), group, criterion))
    return lines


@dataclass(frozen=True)
class LineInput:
    """What a member (or a reviewer) entered for one line."""

    value: Decimal | int | bool | None
    has_evidence: bool = True


def _label(criterion: CriterionDraft, key: str | None) -> str:
    return f"{key or criterion.code} – {criterion.title}"


def _count(value, criterion: CriterionDraft, key: str | None) -> int:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise ScoreError(
            _("%(line)s: enter a whole number of items.") % {"line": _label(criterion, key)}
        )
    if isinstance(value, Decimal) and (not value.is_finite() or value != value.to_integral_value()):
        raise ScoreError(
            _("%(line)s: enter a whole number of items.") % {"line": _label(criterion, key)}
        )
    if value < 0:
        raise ScoreError(
            _("%(line)s: the number of items cannot be negative.")
            % {"line": _label(criterion, key)}
        )
    return int(value)


def _points(value, maximum: Decimal, criterion: CriterionDraft, key: str | None) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise ScoreError(
            _("%(line)s: enter a number of points.") % {"line": _label(criterion, key)}
        )
    amount = Decimal(value)
    if not amount.is_finite() or not 0 <= amount <= maximum:
        raise ScoreError(
            _("%(line)s: the points must be between 0 and %(max)s.")
            % {"line": _label(criterion, key), "max": format_points(maximum)}
        )
    return amount


def line_points(
    criterion: CriterionDraft,
    line_input: LineInput,
    *,
    require_evidence: bool = True,
    key: str | None = None,
) -> Decimal:
    """The points ``line_input`` earns on ``criterion`` (taken away, for a
    deduction), rounded to two decimals half up.

    Raises :class:`ScoreError`, naming the line by ``key`` (or the
    criterion's code) and title, when the value does not fit the kind or
    the maximum, or is None.
    """
    points = _claimed(criterion, line_input.value, key)
    if require_evidence and criterion.evidence_required and not line_input.has_evidence:
        return _ZERO
    return points


#: Every kind's value, to refuse an unknown kind (``Kind(kind)`` raises) without
#: building an enum member per line: a sheet is scored line by line on every page.
_KINDS = frozenset(Kind)


def _claimed(criterion: CriterionDraft, value, key: str | None) -> Decimal:
    """:func:`line_points` without the evidence rule, so :func:`score_sheet` can
    apply the rule to the same result instead of scoring each line twice. The
    label is only built for a message (it is most of the cost of a valid line)."""
    if value is None:
        raise ScoreError(_("%(line)s: no score entered.") % {"line": _label(criterion, key)})
    kind = criterion.kind
    if kind not in _KINDS:
        Kind(kind)  # raises ValueError, as it always did for an unknown kind
    maximum = criterion.max_points
    if kind == Kind.PASS_FAIL:
        if not isinstance(value, bool):
            raise ScoreError(_("%(line)s: choose pass or fail.") % {"line": _label(criterion, key)})
        points = maximum if value else Decimal(0)
    elif kind == Kind.COUNT or (
        kind in (Kind.BONUS, Kind.DEDUCTION) and criterion.points_per_item is not None
    ):
        count = _count(value, criterion, key)
        points = min(count * criterion.points_per_item, maximum)
    else:
        points = _points(value, maximum, criterion, key)
    return round_points(points)


@dataclass(frozen=True)
class SheetScore:
    """A sheet's result; every amount has two decimals."""

    #: Each scored line's points by key (0 for missing or invalid lines).
    lines: Mapping[str, Decimal]
    #: Each group's points by code, capped at its maximum (a deduction
    #: group's are the points it takes away).
    group_totals: Mapping[str, Decimal]
    regular_total: Decimal
    bonus_total: Decimal
    deduction_total: Decimal
    late_penalty: Decimal
    total: Decimal
    #: Lines with no value, in sheet order.
    missing: tuple[str, ...] = ()
    #: Lines whose value was invalid (or keys that are no line), with the message.
    errors: Mapping[str, str] = field(default_factory=dict)
    #: Lines that would have earned points but count 0 for lack of evidence.
    without_evidence: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        """Every line has a valid value."""
        return not self.missing and not self.errors


def score_sheet(
    draft: TemplateDraft,
    inputs: Mapping[str, LineInput],
    *,
    late: bool = False,
    late_deduction: Decimal = DEFAULT_LATE_DEDUCTION,
    require_evidence: bool = True,
) -> SheetScore:
    """Score ``inputs`` (by line key) against ``draft``; never raises for a
    bad line value: the line counts 0 and is listed in ``errors``."""
    if late_deduction < 0:
        raise ValueError("late_deduction cannot be negative")
    lines: dict[str, Decimal] = {}
    missing: list[str] = []
    errors: dict[str, str] = {}
    without_evidence: list[str] = []
    # The lines in sheet order, as scored_lines() gives them, without building a
    # SheetLine each (a ranking scores every member's sheet on each request);
    # each group keeps its lines' keys for its total below.
    layout = []
    for group in draft.groups:
        parts = []
        for criterion in group.criteria:
            if criterion.children:
                keys = [line_key(group.code, child.code) for child in criterion.children]
                parts.append((criterion, keys))
                lines_of = zip(keys, criterion.children, strict=True)
            else:
                key = line_key(group.code, criterion.code)
                parts.append((None, key))
                lines_of = ((key, criterion),)
            for key, line_criterion in lines_of:
                lines[key] = _ZERO
                line_input = inputs.get(key)
                if line_input is None or line_input.value is None:
                    missing.append(key)
                    continue
                try:
                    claimed = _claimed(line_criterion, line_input.value, key)
                except ScoreError as error:
                    errors[key] = error.message
                    continue
                # line_points' evidence rule, applied to the one scoring of the line.
                if (
                    require_evidence
                    and line_criterion.evidence_required
                    and not line_input.has_evidence
                ):
                    if claimed > _ZERO:
                        without_evidence.append(key)
                    continue
                lines[key] = claimed
        layout.append((group, parts))
    for key in inputs:
        if key not in lines:
            errors[key] = _("%(line)s: there is no such line on this sheet.") % {"line": key}

    group_totals: dict[str, Decimal] = {}
    sums = dict.fromkeys(GroupKind, _ZERO)
    for group, parts in layout:
        earned = _group_points(group, parts, lines)
        group_totals[group.code] = earned
        sums[group.kind] += earned
    bonus = min(sums[GroupKind.BONUS], draft.bonus_cap)
    deduction = sums[GroupKind.DEDUCTION]
    if draft.deduction_cap is not None:
        deduction = min(deduction, draft.deduction_cap)
    regular = sums[GroupKind.REGULAR]
    penalty = Decimal(late_deduction) if late else Decimal(0)
    total = max(Decimal(0), regular + bonus - deduction - penalty)
    return SheetScore(
        lines=lines,
        group_totals=group_totals,
        regular_total=round_points(regular),
        bonus_total=round_points(bonus),
        deduction_total=round_points(deduction),
        late_penalty=round_points(penalty),
        total=round_points(total),
        missing=tuple(missing),
        errors=errors,
        without_evidence=tuple(without_evidence),
    )


def _group_points(group: GroupDraft, parts, lines: Mapping[str, Decimal]) -> Decimal:
    """``group``'s points from ``parts``: (criterion, its sub-lines' keys) for a
    criterion with sub-criteria, (None, its key) for one without."""
    earned = Decimal(0)
    for criterion, keys in parts:
        if criterion is not None:
            parts_sum = sum((lines[key] for key in keys), Decimal(0))
            earned += min(parts_sum, criterion.max_points)
        else:
            earned += lines[keys]
    return round_points(min(earned, group.max_points))


def review_gaps(
    self_inputs: Mapping[str, LineInput],
    review_inputs: Mapping[str, LineInput],
    draft: TemplateDraft,
    *,
    gap: Decimal,
) -> list[str]:
    """Keys of the lines, in sheet order, where the self-score and the
    review differ by more than ``gap`` points.

    Each side counts as scored, evidence aside (the gap is about the points
    given, not about the evidence rule); a missing or invalid value counts 0.
    """
    if gap < 0:
        raise ValueError("gap cannot be negative")
    own = score_sheet(draft, self_inputs, require_evidence=False).lines
    reviewed = score_sheet(draft, review_inputs, require_evidence=False).lines
    return [key for key in own if abs(own[key] - reviewed[key]) > gap]
