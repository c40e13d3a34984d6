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
    conference = Conference.objects.filter(bloc_year=bloc_year).first()
    if conference is None or conference.status != ConferenceStatus.CONFIRMED:
        yield _("The conference results have not been confirmed.")
    elif conference.next_chair_id is None or conference.next_vice_chair_id is None:
        yield _("Next year's chair and vice-chair have not been elected.")
    proposals = AwardProposal.objects.filter(bloc_year=bloc_year).select_related(
        "agency", "achievement_report"
    )
    for proposal in proposals:
        report = getattr(proposal, "achievement_report", None)
        if report is None or report.status != ReportStatus.CHECKED:
            yield _("The achievement report of %(agency)s has not been checked.") % {
                "agency": proposal.agency.name
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
