"""The members' mid-year results and the minutes of the mid-year review.

:func:`mid_year_results` is what both the page and the minutes show: each
submitted mid-year sheet's total through the pure scoring module
(:func:`covenants.scores.totals.sheet_total`). The total is the member's own
(self) total, because mid-year sheets are usually not reviewed; when the
settings say they are, a sheet made final shows its final total instead.
Draft sheets have no result: the member has not vouched for them yet.

The minutes (BIÊN BẢN, Decree 30 Mẫu 1.9) print in the layout of
``templates/pdf/base.html`` with the THƯ KÝ / CHỦ TRÌ signature pair; a
record not yet held prints with a "DỰ THẢO" mark on every page and the
number the secretariat typed. Once the review is held the minutes are an
issued document (:func:`issue_minutes`): numbered in the chair agency's
register ("02/BB-KTĐ6"), dated the meeting, fingerprinted, QR-coded and
rebuilt only when their content changes.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, OuterRef

from config.pdf import render_pdf
from members.collation import sort_key
from members.models import Agency, DocType, IssuedDocument

from ..documents import issuer_lines, place_name, typed_number
from ..issuing import issue_bloc_pdf
from ..models import (
    Evidence,
    MidYearReview,
    Period,
    ScoreLine,
    ScoreSheet,
    ScoringTemplate,
    SheetStatus,
)
from .core import settings_for
from .totals import sheet_total

__all__ = ["ResultRow", "issue_minutes", "mid_year_results", "minutes_context", "minutes_pdf"]

TEMPLATE = "covenants/pdf/mid_year_minutes.html"


@dataclass(frozen=True)
class ResultRow:
    agency: Agency
    total: Decimal
    #: "self" or "final": which column the total adds up.
    column: str
    is_late: bool
    #: Every line has a valid value.
    complete: bool


def mid_year_results(bloc_year, *, agency_id: int | None = None) -> list[ResultRow]:
    """Every submitted mid-year sheet's total (only ``agency_id``'s when
    given), in Vietnamese order of the agencies' names; a fixed number of
    queries whatever the number of members and lines."""
    sheets = ScoreSheet.objects.filter(bloc_year=bloc_year, period=Period.MID_YEAR).exclude(
        status=SheetStatus.DRAFT
    )
    if agency_id is not None:
        sheets = sheets.filter(agency_id=agency_id)
    # The year's settings come with the sheets (a join, not a query of their own); the
    # rows are sorted by name below, so the model's order (three joins) is not asked.
    sheets = list(sheets.select_related("agency", "bloc_year__scoring_settings").order_by())
    if not sheets:
        return []
    try:
        settings = sheets[0].bloc_year.scoring_settings
    except ObjectDoesNotExist:  # never saved yet: created with the defaults
        settings = settings_for(bloc_year)
    lines = defaultdict(list)
    for line in (
        ScoreLine.objects.filter(sheet__in=sheets)
        .select_related("criterion")
        .annotate(has_file=Exists(Evidence.objects.filter(line=OuterRef("pk"))))
    ):
        line.has_evidence = line.has_file or bool(line.evidence_note.strip())
        lines[line.sheet_id].append(line)
    drafts = {
        template.pk: template.to_draft()
        for template in ScoringTemplate.objects.filter(
            pk__in={sheet.template_id for sheet in sheets}
        ).with_content()
    }
    reviewed = settings.is_reviewed(Period.MID_YEAR)
    rows = []
    for sheet in sheets:
        column = "final" if reviewed and sheet.is_final else "self"
        score = sheet_total(
            drafts[sheet.template_id],
            lines[sheet.pk],
            column=column,
            late=sheet.is_late,
            late_deduction=settings.late_deduction,
            require_evidence=settings.require_evidence,
        )
        rows.append(ResultRow(sheet.agency, score.total, column, sheet.is_late, score.complete))
    return sorted(rows, key=lambda row: sort_key(row.agency.name))


def _signer(position: str, name_and_title: str) -> dict:
    """Decree 30 signs with the name alone: "Trần Thị Thủy, chuyên viên" → the name."""
    return {"position": position, "name": name_and_title.split(",", 1)[0].strip()}


def minutes_context(bloc_year, review: MidYearReview) -> dict:
    superior, body = issuer_lines(bloc_year)
    number, symbol = typed_number(review.number)
    return {
        "review": review,
        "bloc_year": bloc_year,
        "rows": mid_year_results(bloc_year),
        "attendees": [line.strip() for line in review.attendees.splitlines() if line.strip()],
        "is_draft": not review.is_held,
        "issuer_superior": superior,
        "issuer_body": body,
        # A number that is not a register number is left blank, to be written by hand.
        "number": number,
        "symbol": symbol,
        "place": place_name(bloc_year.bloc.province),
        "issued_on": review.held_on,
        "doc_type": "BIÊN BẢN",
        "summary": f"HỘI NGHỊ SƠ KẾT 6 THÁNG ĐẦU NĂM {bloc_year.year}",
        "title": f"Biên bản hội nghị sơ kết 6 tháng đầu năm {bloc_year.year}",
        "secretary": _signer("THƯ KÝ", review.secretary),
        "chair": _signer("CHỦ TRÌ", review.chaired_by),
        "recipients": [
            "Ban Thi đua – Khen thưởng tỉnh",
            "Các đơn vị thành viên Khối",
            "Lưu: VT",
        ],
    }


def minutes_pdf(bloc_year, review: MidYearReview) -> bytes:
    """The minutes rendered as they stand (a draft's PDF: not registered)."""
    return render_pdf(TEMPLATE, minutes_context(bloc_year, review))


def issue_minutes(bloc_year, review: MidYearReview, actor) -> IssuedDocument | None:
    """The issued minutes, or None while the review is not held (or the year has no
    chair). The caller checks who may read them (``mid_year.can_view_minutes``)."""
    if review is None or not review.is_held or review.held_on is None:
        return None
    return issue_bloc_pdf(
        bloc_year,
        "mid_year_minutes",
        doc_type=DocType.MINUTES,
        template=TEMPLATE,
        context=minutes_context(bloc_year, review),
        issued_on=review.held_on,
        actor=actor,
    )
