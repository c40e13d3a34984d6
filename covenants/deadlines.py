"""Who is still due for the covenant's deadlines (signing, mid-year review,
year-end self-scoring). Registered with the deadline registry of ``blocs``.

Each checker looks only at years in the stage where its task belongs: an
unsigned covenant in a year that has moved on is the stage guard's business,
not a reminder's.

Messages are lazy so each reminder renders them in its recipient's language.
"""

from collections import defaultdict

from django.utils.translation import gettext_lazy as _

from blocs.deadlines import register_deadline_check
from blocs.models import DeadlineKind, Membership
from blocs.stages import Stage

from .models import MidYearReview, MidYearStatus, Period, ScoreSheet, SheetStatus, Signature


def _in_stage(bloc_years, stage):
    return [by for by in bloc_years if by.stage == stage]


@register_deadline_check(DeadlineKind.SIGNING)
def unsigned_members(bloc_years):
    """Current members with neither a signature nor a recorded inability.

    The same rule as ``covenants.services.unsigned_agencies``, for many years
    in two queries.
    """
    years = _in_stage(bloc_years, Stage.SIGNING)
    if not years:
        return {}
    handled = set(
        Signature.objects.filter(covenant__bloc_year__in=years, voided_at__isnull=True).values_list(
            "covenant__bloc_year_id", "agency_id"
        )
    )
    members = (
        Membership.objects.current()
        .filter(bloc_year__in=years)
        .select_related("agency")
        .order_by("agency__name")
    )
    result = defaultdict(list)
    for m in members:
        if (m.bloc_year_id, m.agency_id) not in handled:
            result[m.bloc_year_id].append((m.agency, _("The covenant is not signed yet.")))
    return dict(result)


@register_deadline_check(DeadlineKind.MID_YEAR)
def mid_year_not_held(bloc_years):
    years = _in_stage(bloc_years, Stage.IN_PROGRESS)
    if not years:
        return {}
    held = set(
        MidYearReview.objects.filter(bloc_year__in=years, status=MidYearStatus.HELD).values_list(
            "bloc_year_id", flat=True
        )
    )
    message = _("The mid-year review has not been held yet.")
    return {by.pk: [(None, message)] for by in years if by.pk not in held}


@register_deadline_check(DeadlineKind.SELF_SCORING)
def year_end_sheets_in_draft(bloc_years):
    years = _in_stage(bloc_years, Stage.SCORING)
    if not years:
        return {}
    sheets = (
        ScoreSheet.objects.filter(
            bloc_year__in=years, period=Period.YEAR_END, status=SheetStatus.DRAFT
        )
        .select_related("agency")
        .order_by("agency__name")
    )
    result = defaultdict(list)
    for sheet in sheets:
        result[sheet.bloc_year_id].append(
            (sheet.agency, _("The year-end self-scoring sheet is not submitted yet."))
        )
    return dict(result)
