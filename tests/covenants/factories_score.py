"""Bloc-years in a scoring state, for tests that start mid-flow.

These write rows directly (like ``sign_all``): the services themselves are
tested on their own; here we only need the state they would have left.
"""

from decimal import Decimal

from django.utils import timezone

from blocs.models import BlocYear, MemberRole
from blocs.stages import Stage
from covenants.models import (
    CriterionKind,
    MidYearReview,
    MidYearStatus,
    Period,
    RankingPublication,
    ScoreLine,
    ScoreSheet,
    SheetStatus,
)
from covenants.scores.sheets import sheets_open
from covenants.sheet_services import template_freeze_current
from members.models import AgencyRole
from tests.blocs.factories import ready_bloc_year
from tests.members.factories import AgencyStaffFactory, UserFactory

__all__ = [
    "fill_review",
    "fill_self",
    "finalize",
    "hold_mid_year",
    "leader_of",
    "officer_of",
    "publish",
    "scoring_year",
    "valid_value",
]


def leader_of(agency, **kwargs):
    return AgencyStaffFactory(agency=agency, agency_role=AgencyRole.LEADER, **kwargs)


def officer_of(agency, **kwargs):
    return AgencyStaffFactory(agency=agency, agency_role=AgencyRole.OFFICER, **kwargs)


def freeze_and_sign(bloc_year) -> None:
    """What open_signing and the signatures would have done."""
    from tests.covenants.factories import sign_all

    template_freeze_current(bloc_year=bloc_year)
    covenant = bloc_year.covenant
    sign_all(covenant)


def scoring_year(*, stage=Stage.SCORING, members: int = 4, **kwargs) -> BlocYear:
    """A bloc-year at ``stage`` (in progress or later) with its covenant signed,
    its sheet frozen and the sheets of the periods opened so far."""
    bloc_year = ready_bloc_year(members=members, **kwargs)
    freeze_and_sign(bloc_year)
    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=stage)
    bloc_year.refresh_from_db()
    sheets_open(bloc_year=bloc_year, period=Period.MID_YEAR)
    if stage != Stage.IN_PROGRESS:
        sheets_open(bloc_year=bloc_year, period=Period.YEAR_END)
    return bloc_year


def valid_value(criterion, fraction=Decimal("0.8")) -> Decimal:
    """A value that fits ``criterion``: a share of the maximum, 1 for pass, a count."""
    if criterion.kind == CriterionKind.PASS_FAIL:
        return Decimal(1)
    if criterion.points_per_item is not None:
        return Decimal(int(criterion.max_points * fraction / criterion.points_per_item))
    return (criterion.max_points * fraction).quantize(Decimal("0.01"))


def _lines(sheet):
    return ScoreLine.objects.filter(sheet=sheet).select_related("criterion")


def fill_self(sheet, *, fraction=Decimal("0.8"), submit=True, by=None) -> ScoreSheet:
    for line in _lines(sheet):
        line.self_value = valid_value(line.criterion, fraction)
        line.explanation = "Đã thực hiện theo kế hoạch"
        line.evidence_note = "Quyết định số 12/QĐ-UBND"
        line.save()
    if submit:
        sheet.status = SheetStatus.SUBMITTED
        sheet.submitted_at = timezone.now()
        sheet.submitted_by = by or leader_of(sheet.agency)
        sheet.save(update_fields=["status", "submitted_at", "submitted_by"])
    return sheet


def fill_review(sheet, *, fraction=Decimal("0.8"), submit=True, by=None) -> ScoreSheet:
    for line in _lines(sheet):
        line.review_value = valid_value(line.criterion, fraction)
        line.save()
    if submit:
        sheet.review_submitted_at = timezone.now()
        sheet.review_submitted_by = by or UserFactory()
        sheet.save(update_fields=["review_submitted_at", "review_submitted_by"])
    return sheet


def finalize(sheet, *, by=None) -> ScoreSheet:
    """Final = self on every line (no reason needed), sheet final."""
    for line in _lines(sheet):
        line.final_value = line.self_value
        line.save()
    sheet.status = SheetStatus.FINAL
    sheet.finalized_at = timezone.now()
    sheet.finalized_by = by or UserFactory()
    sheet.save(update_fields=["status", "finalized_at", "finalized_by"])
    return sheet


def publish(bloc_year, period=Period.YEAR_END, *, by=None) -> RankingPublication:
    return RankingPublication.objects.create(
        bloc_year=bloc_year, period=period, published_by=by or UserFactory()
    )


def hold_mid_year(bloc_year, *, by=None) -> MidYearReview:
    """Every mid-year sheet submitted and the review recorded as held."""
    for sheet in ScoreSheet.objects.filter(bloc_year=bloc_year, period=Period.MID_YEAR):
        if sheet.is_draft:
            fill_self(sheet)
    chair = bloc_year.memberships.get(role=MemberRole.CHAIR).agency
    review, _created = MidYearReview.objects.update_or_create(
        bloc_year=bloc_year,
        defaults={
            "status": MidYearStatus.HELD,
            "held_on": timezone.localdate(),
            "place": "Hội trường Sở",
            "results_summary": "Các đơn vị hoàn thành trên 50% chỉ tiêu năm.",
            "host_agency": chair,
            "held_at": timezone.now(),
            "held_by": by or UserFactory(),
        },
    )
    return review


def complete_year_end(bloc_year) -> None:
    """Every year-end sheet self-scored, reviewed, final; the ranking published."""
    for index, sheet in enumerate(
        ScoreSheet.objects.filter(bloc_year=bloc_year, period=Period.YEAR_END).order_by("pk")
    ):
        if sheet.is_draft:
            fill_self(sheet, fraction=Decimal("0.9") - Decimal("0.05") * index)
        if not sheet.review_submitted:
            fill_review(sheet)
        if not sheet.is_final:
            finalize(sheet)
    if not RankingPublication.objects.filter(bloc_year=bloc_year, period=Period.YEAR_END).exists():
        publish(bloc_year)
