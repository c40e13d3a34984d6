"""What the conference adds to the bloc-year's stage machine.

- Conference → submitted: the results confirmed (with next year's chair and
  vice-chair elected) and every nominee's achievement report checked.
- Submitted → closed: the rotating flag handed over to the next chair.
"""

from django.utils.translation import gettext as _

from blocs.stages import register_effect, register_guard
from members import audit

from .models import AwardProposal, Conference, ConferenceStatus, FlagHandover, ReportStatus


@register_guard("submit_proposals")
def results_confirmed_and_reports_checked(bloc_year):
    """The bloc-year overview asks on every view of a year at the conference, so it
    reads only the columns it judges (no model instances) and orders the proposals
    without the bloc-year's own ordering, a join of three tables that is constant here."""
    conference = Conference.objects.filter(bloc_year=bloc_year).values_list(
        "status", "next_chair_id", "next_vice_chair_id"
    )[:1]
    status, next_chair_id, next_vice_chair_id = next(iter(conference), (None, None, None))
    if status != ConferenceStatus.CONFIRMED:
        yield _("The conference results have not been confirmed.")
    elif next_chair_id is None or next_vice_chair_id is None:
        yield _("Next year's chair and vice-chair have not been elected.")
    proposals = (
        AwardProposal.objects.filter(bloc_year=bloc_year)
        .order_by("award", "order", "pk")
        .values_list("agency__name", "achievement_report__status")
    )
    for agency_name, report_status in proposals:
        # No report (a LEFT JOIN's NULL) is unchecked too.
        if report_status != ReportStatus.CHECKED:
            yield _("The achievement report of %(agency)s has not been checked.") % {
                "agency": agency_name
            }


@register_guard("close_year")
def flag_handed_over(bloc_year):
    if not FlagHandover.objects.filter(bloc_year=bloc_year).exists():
        yield _("The handover of the rotating flag has not been recorded.")


@register_effect("close_year")
@audit.service
def open_next_year(*, bloc_year, actor):
    """The closed year hands over to the next: opened (or completed while
    still in set-up) with the elected officers, members, draft covenant and
    sheet. Imported here, not at the top, to keep this module's imports light."""
    from .next_year import next_year_open

    next_year_open(bloc_year=bloc_year, actor=actor)
