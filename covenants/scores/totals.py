"""A stored sheet's totals through the pure scoring module.

Which value counts depends on the sheet: the final value once the sheet is
final; otherwise the period's *agreed* value is the self-score when the
period is not reviewed (mid-year, self only) — see
:meth:`covenants.models.ScoringSettings.is_reviewed`. ``side`` picks one
column explicitly (a page showing the self total, the review total …).
"""

from collections.abc import Iterable, Mapping
from decimal import Decimal

from ..scoring import LineInput, SheetScore, score_sheet
from .values import line_input

__all__ = ["VALUE_FIELDS", "column_score", "sheet_total"]

#: The three columns of a line, by the name pages and the trail use.
VALUE_FIELDS = {"self": "self_value", "review": "review_value", "final": "final_value"}


def sheet_total(
    draft,
    lines: Iterable,
    *,
    column: str,
    late: bool = False,
    late_deduction: Decimal = Decimal(2),
    require_evidence: bool = True,
) -> SheetScore:
    """Score ``lines`` (rows with ``key``, ``criterion`` and the value
    attributes, plus ``has_evidence``) on ``column`` (self, review, final).

    The late penalty applies to the self and final columns only: the review
    judges the work, the penalty judges the submission.
    """
    field = VALUE_FIELDS[column]
    inputs = {
        line.key: line_input(
            line.criterion,
            getattr(line, field),
            has_evidence=getattr(line, "has_evidence", True),
        )
        for line in lines
    }
    return column_score(
        draft,
        inputs,
        column=column,
        late=late,
        late_deduction=late_deduction,
        require_evidence=require_evidence,
    )


def column_score(
    draft,
    inputs: Mapping[str, LineInput],
    *,
    column: str,
    late: bool = False,
    late_deduction: Decimal = Decimal(2),
    require_evidence: bool = True,
) -> SheetScore:
    """:func:`sheet_total` for ``inputs`` already made by
    :func:`.values.line_input` (by line key), so a caller reading plain rows (the
    ranking) needs no line objects; the same rule on the late penalty."""
    if column not in VALUE_FIELDS:
        raise KeyError(column)
    return score_sheet(
        draft,
        inputs,
        late=late and column != "review",
        late_deduction=late_deduction,
        require_evidence=require_evidence,
    )
