"""Score sheets filled in bulk for the query-budget worlds.

What :func:`tests.covenants.factories_score.fill_self`, ``fill_review`` and ``finalize``
leave, with the same values, written with one ``bulk_update`` per batch of lines instead
of a save (and a history row) per line: the large world holds about five thousand lines,
and saving them one by one made most of its build time. The lines therefore have no
history versions; no measured page depends on how many a line has (the history pages
read any number in the same queries). Sheets are saved one by one, with their history.
"""

from decimal import Decimal

from django.utils import timezone

from covenants.models import ScoreLine, SheetStatus
from tests.covenants.factories_score import valid_value

__all__ = ["score_sheets"]

_NOTE = "Quyết định số 12/QĐ-UBND"


def score_sheets(sheets, *, by, step=Decimal(0), review=False, final=False) -> None:
    """Self-score and submit ``sheets`` (the n-th at 0.9 − n·``step`` of each maximum,
    so members get distinct totals), review them at 0.8 (``review``), make the self
    values final (``final``, which implies the review). ``by`` signs every step."""
    sheets = list(sheets)
    review = review or final
    index_of = {sheet.pk: index for index, sheet in enumerate(sheets)}
    lines = list(ScoreLine.objects.filter(sheet__in=sheets).select_related("criterion"))
    for line in lines:
        line.self_value = valid_value(
            line.criterion, Decimal("0.9") - step * index_of[line.sheet_id]
        )
        line.explanation = "Đã thực hiện theo kế hoạch"
        line.evidence_note = _NOTE
        if review:
            line.review_value = valid_value(line.criterion, Decimal("0.8"))
        if final:
            line.final_value = line.self_value
    fields = ["self_value", "explanation", "evidence_note", "review_value", "final_value"]
    ScoreLine.objects.bulk_update(lines, fields, batch_size=500)
    now = timezone.now()
    for sheet in sheets:
        sheet.status = SheetStatus.FINAL if final else SheetStatus.SUBMITTED
        sheet.submitted_at, sheet.submitted_by = now, by
        changed = ["status", "submitted_at", "submitted_by"]
        if review:
            sheet.review_submitted_at, sheet.review_submitted_by = now, by
            changed += ["review_submitted_at", "review_submitted_by"]
        if final:
            sheet.finalized_at, sheet.finalized_by = now, by
            changed += ["finalized_at", "finalized_by"]
        sheet.save(update_fields=changed)
