"""Stored line values ↔ the pure scoring module.

A :class:`~covenants.models.ScoreLine` stores every value as a decimal: the
points, the number of items, or 1/0 for pass/fail. The pure module wants a
:class:`~covenants.scoring.LineInput` whose value's *type* says what it is
(bool for pass/fail, int for a count), so the conversion lives here, once.
"""

from decimal import Decimal

from ..scoring import LineInput
from ..sheet_rules import Kind

__all__ = ["counts_items", "line_input", "stored_value"]


def counts_items(criterion) -> bool:
    """The line's value is a number of items (count, or bonus/deduction per item)."""
    kind = Kind(criterion.kind)
    return kind == Kind.COUNT or (
        kind in (Kind.BONUS, Kind.DEDUCTION) and criterion.points_per_item is not None
    )


def line_input(criterion, value: Decimal | None, *, has_evidence: bool = True) -> LineInput:
    """The pure input for a stored ``value`` on ``criterion`` (None stays None)."""
    if value is None:
        return LineInput(None, has_evidence)
    if Kind(criterion.kind) == Kind.PASS_FAIL:
        return LineInput(value != 0, has_evidence)
    if counts_items(criterion):
        whole = value.to_integral_value()
        return LineInput(int(whole) if whole == value else value, has_evidence)
    return LineInput(value, has_evidence)


def stored_value(criterion, value) -> Decimal | None:
    """What to store for a value entered on a form: bool → 1/0, else a Decimal."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return Decimal(1) if value else Decimal(0)
    return Decimal(value)
