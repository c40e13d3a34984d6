"""What scoring pages read, with the blind-review rule in the query.

:func:`sheet_lines` selects only the columns the viewer may see (see
:mod:`.visibility`): a reviewer's page never *loads* a self-score, so no
template or serializer mistake can show one. Each read is a fixed number
of queries whatever the size of the sheet or the bloc.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404

from ..models import (
    Evidence,
    Period,
    RankingPublication,
    ScoreEvent,
    ScoreLine,
    ScoreSheet,
    ScoringCriterion,
)
from .visibility import Visible

__all__ = [
    "LineRow",
    "is_published",
    "period_sheets",
    "sheet_events",
    "sheet_for_page",
    "sheet_lines",
]


def sheet_for_page(bloc_year, period: str, agency_id: int) -> ScoreSheet:
    """The sheet of ``agency_id`` for ``period`` in ``bloc_year`` (404 if none)."""
    if period not in Period.values:
        raise Http404
    sheet = get_object_or_404(
        ScoreSheet.objects.select_related(
            "agency",
            "reviewer_agency",
            "submitted_by",
            "review_submitted_by",
            "finalized_by",
            "template",
        ),
        bloc_year=bloc_year,
        period=period,
        agency_id=agency_id,
    )
    sheet.bloc_year = bloc_year  # the caller's copy has memberships and delegations loaded
    return sheet


@dataclass
class LineRow:
    """One line as a page may show it: hidden values are None *and* were
    never read from the database (``shows_*`` say which were)."""

    pk: int
    key: str
    order: int
    criterion: ScoringCriterion
    explanation: str = ""
    evidence_note: str = ""
    self_value: Decimal | None = None
    review_value: Decimal | None = None
    review_note: str = ""
    final_value: Decimal | None = None
    final_reason: str = ""
    evidence: list = field(default_factory=list)
    shows_self: bool = False
    shows_review: bool = False
    shows_final: bool = False

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence) or bool(self.evidence_note.strip())


_SELF_FIELDS = ("self_value", "explanation", "evidence_note")
_REVIEW_FIELDS = ("review_value", "review_note")
_FINAL_FIELDS = ("final_value", "final_reason")


def sheet_lines(sheet: ScoreSheet, visible: Visible) -> list[LineRow]:
    """The sheet's lines with only the ``visible`` columns read (four queries:
    lines, the template's groups and criteria, evidence files when the self side
    is visible).

    The criteria come from the sheet's template, prefetched on ``sheet.template``
    with its groups, because every page that shows lines also lays them out by
    ``sheet.template.to_draft()``, which then reads nothing more."""
    columns = ["pk", "key", "order", "criterion_id"]
    if visible.self_values:
        columns += _SELF_FIELDS
    if visible.review_values:
        columns += _REVIEW_FIELDS
    if visible.final_values:
        columns += _FINAL_FIELDS
    rows = list(ScoreLine.objects.filter(sheet=sheet).order_by("order", "pk").values(*columns))
    template = sheet.template
    prefetch_related_objects([template], "groups__criteria")
    criteria = {c.pk: c for group in template.groups.all() for c in group.criteria.all()}
    if missing := {row["criterion_id"] for row in rows} - criteria.keys():
        criteria |= ScoringCriterion.objects.in_bulk(missing)  # never, unless data was patched
    evidence: dict[int, list] = {}
    if visible.self_values:
        for item in Evidence.objects.filter(line__sheet=sheet).order_by("uploaded_at", "pk"):
            evidence.setdefault(item.line_id, []).append(item)
    lines = []
    for row in rows:
        pk = row.pop("pk")
        criterion = criteria[row.pop("criterion_id")]
        lines.append(
            LineRow(
                pk=pk,
                criterion=criterion,
                evidence=evidence.get(pk, []),
                shows_self=visible.self_values,
                shows_review=visible.review_values,
                shows_final=visible.final_values,
                **row,
            )
        )
    return lines


def sheet_events(sheet: ScoreSheet, visible: Visible) -> list[ScoreEvent]:
    """The trail, without value changes of columns the viewer may not see.

    The line is joined for its key only (``line_key``): selecting the whole
    line would read its hidden columns too.
    """
    hidden = [
        name
        for name, shown in (
            ("self", visible.self_values),
            ("review", visible.review_values),
            ("final", visible.final_values),
        )
        if not shown
    ]
    return list(
        ScoreEvent.objects.filter(sheet=sheet)
        .exclude(field__in=hidden)
        .select_related("actor")
        .annotate(line_key=F("line__key"))
    )


def period_sheets(bloc_year, period: str) -> list[ScoreSheet]:
    """Every sheet of the period with its agency and reviewer, in Vietnamese
    order of the agencies' names, and ``evidence_count`` annotated."""
    from members.collation import sort_key

    sheets = list(
        ScoreSheet.objects.filter(bloc_year=bloc_year, period=period)
        .select_related("agency", "reviewer_agency")
        .annotate(evidence_count=Count("lines__evidence"))
    )
    for sheet in sheets:
        sheet.bloc_year = bloc_year
    return sorted(sheets, key=lambda s: sort_key(s.agency.name))


def is_published(bloc_year, period: str) -> bool:
    return RankingPublication.objects.filter(bloc_year=bloc_year, period=period).exists()
