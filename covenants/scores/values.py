"""Stored line values ↔ the pure scoring module.

A :class:`~covenants.models.ScoreLine` stores every value as a decimal: the
points, the number of items, or 1/0 for pass/fail. The pure module wants a
:class:`~covenants.scoring.LineInput` whose value's *type* says what it is
(bool for pass/fail, int for a count), so the conversion lives here, once.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from ..scoring import LineInput, ScoreError, line_points
from ..sheet_rules import Kind

__all__ = ["check_value", "counts_items", "line_input", "line_label", "stored_value"]

#: ScoreLine values have nine digits, two of them after the point.
_MAX_STORED = Decimal(10) ** 7


#: Every kind's value: an unknown kind still raises ``Kind(kind)``'s ValueError, without
#: building an enum member per line (a ranking converts every member's lines).
_KINDS = frozenset(Kind)


def _kind(criterion) -> str:
    kind = criterion.kind
    if kind not in _KINDS:
        Kind(kind)
    return kind


def counts_items(criterion) -> bool:
    """The line's value is a number of items (count, or bonus/deduction per item)."""
    kind = _kind(criterion)
    return kind == Kind.COUNT or (
        kind in (Kind.BONUS, Kind.DEDUCTION) and criterion.points_per_item is not None
    )


def line_input(criterion, value: Decimal | None, *, has_evidence: bool = True) -> LineInput:
    """The pure input for a stored ``value`` on ``criterion`` (None stays None)."""
    if value is None:
        return LineInput(None, has_evidence)
    if _kind(criterion) == Kind.PASS_FAIL:
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


def line_label(line) -> str:
    """``"I.1 – Hoàn thành các chỉ tiêu…"``: how messages name a line."""
    return f"{line.key} – {line.criterion.title}"


def check_value(line, raw) -> Decimal | None:
    """The value to store on ``line`` (a ScoreLine with its criterion) for
    ``raw`` as entered — self, review or final alike; None when empty.

    Raises :class:`~covenants.scoring.ScoreError` naming the line when the
    value does not fit the criterion's kind and maximum (the pure module's
    rule), is too large for the column, or has more than two decimals.
    Floats (from a spreadsheet) become exact decimals; 0/1 stand for
    fail/pass.
    """
    if raw is None or raw == "":
        return None
    criterion = line.criterion
    if isinstance(raw, float):
        raw = Decimal(str(raw))
    if Kind(criterion.kind) == Kind.PASS_FAIL:
        if not isinstance(raw, bool) and isinstance(raw, int | Decimal) and raw in (0, 1):
            raw = bool(raw)
        if not isinstance(raw, bool):
            raise ScoreError(_("%(line)s: choose pass or fail.") % {"line": line_label(line)})
    elif isinstance(raw, bool) or not isinstance(raw, int | Decimal):
        # The pure module words the refusal for the kind (points or items).
        line_points(criterion, LineInput(raw), require_evidence=False, key=line.key)
    value = stored_value(criterion, raw)
    if not value.is_finite() or abs(value) >= _MAX_STORED:
        raise ScoreError(_("%(line)s: the number is too large.") % {"line": line_label(line)})
    if value != value.quantize(Decimal("0.01")):
        raise ScoreError(
            _("%(line)s: use at most two decimal places.") % {"line": line_label(line)}
        )
    line_points(criterion, line_input(criterion, value), require_evidence=False, key=line.key)
    return value
